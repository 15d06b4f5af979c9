"""NHS number validation (Modulus 11) and keyed pseudonymisation (HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import hmac

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
SHA256_BLOCK_BYTES = 64


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when no valid digit exists."""
    total = sum(int(d) * w for d, w in zip(first_nine, _WEIGHTS, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    if digit == 10:
        return None
    return digit


def is_valid(nhs_number: str) -> bool:
    """True for ten digits whose last is the Modulus 11 check digit of the first nine."""
    if len(nhs_number) != 10 or not nhs_number.isdigit():
        return False
    return check_digit(nhs_number[:9]) == int(nhs_number[9])


def pseudonymise(value: str, key: bytes, namespace: str = "nhs") -> str:
    """Keyed HMAC-SHA256 of a namespaced identifier, as 64 hex characters.

    The namespace keeps an NHS number and a council id that happen to share digits
    from mapping to the same pseudonym.
    """
    return hmac.new(key, f"{namespace}:{value}".encode(), hashlib.sha256).hexdigest()


def hmac_pads(key: bytes) -> tuple[bytes, bytes]:
    """The inner and outer padded keys of HMAC-SHA256 (RFC 2104), so that SQL can compute
    sha256(outer || sha256(inner || message)), the same value as `pseudonymise`."""
    block = hashlib.sha256(key).digest() if len(key) > SHA256_BLOCK_BYTES else key
    block = block.ljust(SHA256_BLOCK_BYTES, b"\0")
    return bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block)
