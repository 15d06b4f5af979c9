"""The pseudonymisation key: from the environment, or a key file outside the repository.

In production (FOOTPRINT_ENV=production) a missing key is an error; a development
machine can make one with `footprint keygen` (the demo does so when none exists).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from footprint.paths import PROJECT_ROOT

KEY_ENV = "FOOTPRINT_PSEUDONYMISATION_KEY"
KEY_FILE_ENV = "FOOTPRINT_KEY_FILE"
MIN_KEY_BYTES = 32


class MissingKeyError(RuntimeError):
    """The pseudonymisation key is missing or unusable."""


def key_file_path() -> Path:
    default = Path.home() / ".config" / "footprint" / "pseudonymisation.key"
    return Path(os.environ.get(KEY_FILE_ENV, default)).expanduser().resolve()


def is_production() -> bool:
    return os.environ.get("FOOTPRINT_ENV", "development").lower() == "production"


def _decode(text: str, where: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise MissingKeyError(f"The pseudonymisation key in {where} is not hexadecimal.") from None
    if len(key) < MIN_KEY_BYTES:
        raise MissingKeyError(
            f"The pseudonymisation key in {where} is {len(key)} bytes; "
            f"it must be at least {MIN_KEY_BYTES} bytes (64 hex characters)."
        )
    return key


def load_key() -> bytes:
    """The key, from FOOTPRINT_PSEUDONYMISATION_KEY or the key file."""
    if os.environ.get(KEY_ENV):
        return _decode(os.environ[KEY_ENV], f"the environment variable {KEY_ENV}")
    path = key_file_path()
    if path.is_relative_to(PROJECT_ROOT):
        raise MissingKeyError(
            f"The key file {path} is inside the repository; keep it outside "
            f"(set {KEY_FILE_ENV} to a path elsewhere)."
        )
    if not path.exists():
        hint = "" if is_production() else " or run `footprint keygen` to make a local one"
        raise MissingKeyError(
            f"No pseudonymisation key: set {KEY_ENV} (64+ hex characters) or "
            f"{KEY_FILE_ENV} to a key file{hint}. Looked for {path}."
        )
    return _decode(path.read_text(), str(path))


def create_key_file() -> Path:
    """Write a new random key file (development only); never overwrites one."""
    if is_production():
        raise MissingKeyError("Refusing to create a key in production: provision one instead.")
    path = key_file_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(MIN_KEY_BYTES) + "\n")
    return path
