"""``python -m footprint.synth``: the same as ``footprint generate``."""

import sys

from footprint.synth.cli import main

sys.exit(main())
