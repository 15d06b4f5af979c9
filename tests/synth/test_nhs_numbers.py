"""Synthetic NHS numbers: Modulus 11 valid, distinct, from the never-issued 900-999 blocks."""

from __future__ import annotations

import numpy as np
import pytest

from footprint.nhs_number import check_digit, is_valid
from footprint.synth import nhs_numbers


def test_vectorised_check_digits_agree_with_the_reference_implementation():
    rng = np.random.default_rng(1)
    stems = rng.integers(100_000_000, 1_000_000_000, size=5_000)
    digits = nhs_numbers.check_digits(stems)
    for stem, digit in zip(stems, digits, strict=True):
        expected = check_digit(f"{stem:09d}")
        assert digit == (10 if expected is None else expected)


def test_the_999_block_holds_every_valid_number_once():
    block = nhs_numbers.valid_numbers(999)
    assert 900_000 < block.size < 920_000  # one stem in eleven has no valid check digit
    assert np.all(np.diff(block) > 0)
    assert np.all(block // 10_000_000 == 999)
    assert all(is_valid(str(n)) for n in block[:: block.size // 500])


def test_a_borough_uses_only_the_test_range_and_numbers_are_distinct():
    numbers = nhs_numbers.allocate(50_000, np.random.default_rng(3))
    assert np.unique(numbers).size == numbers.size
    assert np.all(numbers // 10_000_000 == 999)
    assert nhs_numbers.is_valid(numbers).all()


def test_a_region_continues_into_the_lower_never_issued_blocks():
    numbers = nhs_numbers.allocate(1_000_000, np.random.default_rng(4))
    prefixes = set(np.unique(numbers // 10_000_000).tolist())
    assert prefixes == {998, 999}
    assert np.unique(numbers).size == numbers.size
    assert nhs_numbers.is_valid(numbers).all()


@pytest.mark.slow  # ~10 s: draws 9 million numbers
def test_beyond_a_region_only_as_many_blocks_as_needed_are_used():
    ten_blocks = sum(nhs_numbers.valid_numbers(p).size for p in range(990, 1000))
    numbers = nhs_numbers.allocate(ten_blocks + 1000, np.random.default_rng(5))
    prefixes = set(np.unique(numbers // 10_000_000).tolist())
    assert prefixes == set(range(989, 1000))  # never into an issued range (below 900)
    assert np.unique(numbers).size == numbers.size


def test_running_out_of_blocks_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(nhs_numbers, "LAST_PREFIX", 998)
    two_blocks = nhs_numbers.valid_numbers(999).size + nhs_numbers.valid_numbers(998).size
    with pytest.raises(ValueError, match=f"cannot allocate {two_blocks + 1:,} .* from 998-999"):
        nhs_numbers.allocate(two_blocks + 1, np.random.default_rng(1))


def test_allocation_is_deterministic():
    a = nhs_numbers.allocate(1000, np.random.default_rng(9))
    b = nhs_numbers.allocate(1000, np.random.default_rng(9))
    assert np.array_equal(a, b)


def test_a_wrong_check_digit_is_detected():
    number = int(nhs_numbers.valid_numbers(999)[12345])
    wrong = number - number % 10 + (number % 10 + 1) % 10
    assert not nhs_numbers.is_valid(np.array([wrong]))[0]
