"""Named, independent random streams derived from one seed.

Each part of the generator draws from its own stream, so that changing how one part
draws (or injecting faults) never shifts the numbers another part sees: a run with
faults has exactly the same people and events as the same run without.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """A generator for one named purpose; the same (seed, name) always gives the same draws."""
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(name.encode())]))
