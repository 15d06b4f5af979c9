"""Synthetic NHS numbers that pass the Modulus 11 check but can never be a real patient's.

NHS numbers are ten digits: nine digits then a Modulus 11 check digit (weights 10..2;
check = 11 - sum mod 11, 11 becomes 0, and a stem whose check would be 10 is never
issued). The UK registries allocate numbers by their first three digits (England, Wales
and the Isle of Man 3xx, 400-499 and 600-799, Scotland's CHI 010-311, Northern Ireland
320-399), and numbers beginning 900-999 are outside all of them: 999 is the NHS's
published test range and 900-998 are not issued to patients. Synthetic data drawn from
these blocks cannot collide with a real person.

The 999 block holds about 909,000 valid numbers (one stem in eleven has no valid check
digit). A borough fits; a region at scale 10 (3.3 million people) does not, so the
generator continues into 998, 997 and so on, only as far as it needs: 990 for a region,
989 for scale 30 (10.3 million), 900 at the most (~91 million).
"""

from __future__ import annotations

import numpy as np

_WEIGHTS = np.array([10, 9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)
FIRST_PREFIX = 999
LAST_PREFIX = 900
STEMS_PER_PREFIX = 1_000_000  # 6 free digits after a 3-digit prefix


def check_digits(stems: np.ndarray) -> np.ndarray:
    """Modulus 11 check digit of nine-digit stems; 10 marks a stem with no valid digit."""
    stems = np.asarray(stems, dtype=np.int64)
    total = np.zeros(stems.shape, dtype=np.int64)
    remaining = stems.copy()
    for weight in _WEIGHTS[::-1]:  # least significant digit has weight 2
        total += (remaining % 10) * weight
        remaining //= 10
    digit = 11 - total % 11
    return np.where(digit == 11, 0, digit)


def valid_numbers(prefix: int) -> np.ndarray:
    """Every valid ten-digit NHS number starting with a three-digit prefix, ascending."""
    stems = prefix * STEMS_PER_PREFIX + np.arange(STEMS_PER_PREFIX, dtype=np.int64)
    digits = check_digits(stems)
    keep = digits != 10
    return stems[keep] * 10 + digits[keep]


def is_valid(numbers: np.ndarray) -> np.ndarray:
    """Vectorised Modulus 11 check of ten-digit integers."""
    numbers = np.asarray(numbers, dtype=np.int64)
    digits = check_digits(numbers // 10)
    return (numbers >= 1_000_000_000) & (numbers <= 9_999_999_999) & (digits == numbers % 10)


def allocate(count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` distinct synthetic NHS numbers in a random (seeded) order.

    Blocks are used from 999 downwards, only as many as needed, so a borough-sized run
    uses the test range alone.
    """
    pools: list[np.ndarray] = []
    available = 0
    for prefix in range(FIRST_PREFIX, LAST_PREFIX - 1, -1):
        if available >= count:
            break
        pool = valid_numbers(prefix)
        pools.append(pool)
        available += pool.size
    if available < count:
        raise ValueError(
            f"cannot allocate {count:,} synthetic NHS numbers from {LAST_PREFIX}-{FIRST_PREFIX}"
        )
    pool = np.concatenate(pools)
    return rng.choice(pool, size=count, replace=False)
