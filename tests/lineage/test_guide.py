"""The auditor's guide carries the indicator catalogue, generated, never out of date."""

from __future__ import annotations

import csv

import pytest

from footprint.lineage.guide import (
    BEGIN,
    CATALOGUE_PATH,
    END,
    GuideError,
    guide_is_current,
    render_indicator_section,
    updated_guide,
)


def test_guide_indicator_section_is_up_to_date():
    assert guide_is_current(), "run `footprint lineage guide` and commit docs/auditors_guide.md"


def test_every_catalogue_indicator_is_in_the_section():
    section = render_indicator_section()
    with CATALOGUE_PATH.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert f"(`{row['indicator_id']}`)" in section
        assert row["numerator_definition"] in section


def test_only_the_text_between_the_markers_changes():
    text = f"before\n{BEGIN}\nold\n{END}\nafter\n"
    assert updated_guide(text, "new") == f"before\n{BEGIN}\nnew\n{END}\nafter\n"


def test_a_guide_without_markers_is_refused():
    with pytest.raises(GuideError, match="no section"):
        updated_guide("no markers here", "new")
