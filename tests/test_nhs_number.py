"""Modulus 11 validation and the keyed pseudonym."""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import pytest

from footprint.nhs_number import check_digit, hmac_pads, is_valid, pseudonymise


@pytest.mark.parametrize("number", ["9434765919", "4010232137", "9990000026"])
def test_known_valid_numbers_pass(number):
    assert is_valid(number)


@pytest.mark.parametrize("number", ["9434765918", "401023213", "94347659190", "943476591X", ""])
def test_wrong_check_digit_length_or_characters_fail(number):
    assert not is_valid(number)


def test_a_stem_whose_check_digit_would_be_ten_has_no_valid_number():
    # 1*10 + ... chosen so that 11 - total % 11 == 10
    stems = [f"999{n:06d}" for n in range(200)]
    impossible = [s for s in stems if check_digit(s) is None]
    assert impossible and all(not is_valid(s + str(d)) for s in impossible for d in range(10))


def test_pseudonym_is_the_namespaced_hmac():
    key = bytes(range(32))
    expected = hmac.new(key, b"nhs:9434765919", hashlib.sha256).hexdigest()
    assert pseudonymise("9434765919", key) == expected
    assert pseudonymise("9434765919", key, "council") != expected
    assert pseudonymise("9434765919", bytes(32)) != expected


@pytest.mark.parametrize("key", [bytes(range(32)), b"short", bytes(range(100))])
def test_the_hmac_computed_in_sql_from_the_pads_is_the_pseudonym(key):
    """Ingestion computes the HMAC in DuckDB (ingest/sql/pseudonyms.sql.j2) from the pads;
    keys longer than SHA-256's 64-byte block are hashed first, as RFC 2104 says."""
    inner, outer = hmac_pads(key)
    (found,) = duckdb.execute(
        "select sha256($outer || unhex(sha256($inner || encode('nhs:' || $value))))",
        {"inner": inner, "outer": outer, "value": "9434765919"},
    ).fetchone()
    assert found == pseudonymise("9434765919", key)
