"""YAML as Footprint reads it: safe loading, with libyaml's C parser when PyYAML has it
(the suites, checkpoints and contracts are read several times a run; the pure-Python
parser takes most of a second for them)."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def load(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)
