"""`footprint run` parses the dbt project first; when dbt cannot, it says what dbt said."""

from __future__ import annotations

import pytest

from orchestration.run import DbtParseError, prepare_dbt_manifest


def test_a_failed_parse_is_reported_with_dbts_own_words(tmp_path, monkeypatch):
    monkeypatch.setenv("DBT_PROFILES_DIR", str(tmp_path))  # holds no profiles.yml
    with pytest.raises(DbtParseError, match=r"`dbt parse` failed \(exit \d+\)") as raised:
        prepare_dbt_manifest()
    assert "profile" in str(raised.value).lower()
