"""The detail inside an SDF, as its profile shows it: one compact table per breakdown
(GP practice, PCN, LSOA with its deprivation decile, ward, deprivation decile), a row
per practice or neighbourhood and a column per indicator, from the published
sdf.sdf_indicator_breakdowns. Values, comparisons and suppression are the mart's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from footprint.profiles.marts import BreakdownCell, Indicator, PublishedProfiles

NOT_RECORDED = "not_recorded"
COLLAPSED = ("practice", "pcn")  # rows with nothing to show are counted, not listed
TITLES = {  # title, first column's heading, plural for "n more ... not listed"
    "practice": ("By GP practice", "Practice", "practices"),
    "pcn": ("By primary care network (PCN)", "PCN", "PCNs"),
    "lsoa": ("By neighbourhood (LSOA) and its deprivation decile", "Neighbourhood", "LSOAs"),
    "ward": ("By ward", "Ward", "wards"),
    "imd_decile": ("By deprivation decile of the neighbourhood", "Decile", "deciles"),
}


@dataclass(frozen=True)
class BreakdownRow:
    code: str
    name: str
    imd_decile: int | None
    cells: list[BreakdownCell | None]  # one per column; None where the row has no figure


@dataclass(frozen=True)
class BreakdownTable:
    breakdown_type: str
    title: str
    indicators: list[Indicator]
    rows: list[BreakdownRow]
    rows_all_suppressed: int  # practices or PCNs left out: nothing in them to show
    heading: str
    noun: str
    periods: list[tuple[date, date]]  # the 12 months of each column
    sdf_values: list[float | None]  # the whole SDF's value in each column

    @property
    def shows_decile(self) -> bool:
        return self.breakdown_type == "lsoa"


@dataclass(frozen=True)
class BreakdownSection:
    tables: list[BreakdownTable]
    has_suppressed: bool
    has_secondary: bool


def _order(row: BreakdownRow) -> tuple[bool, int, str]:
    # deciles by number; the others by name; "not recorded" last
    return (row.code == NOT_RECORDED, row.imd_decile or 0, row.name)


def _table(
    breakdown_type: str, cells: list[BreakdownCell], indicators: list[Indicator]
) -> BreakdownTable:
    shown = [i for i in indicators if any(c.indicator_id == i.indicator_id for c in cells)]
    by_row: dict[str, dict[str, BreakdownCell]] = {}
    for cell in cells:
        by_row.setdefault(cell.breakdown_code, {})[cell.indicator_id] = cell
    rows = []
    hidden = 0
    for code, row_cells in by_row.items():
        # practices outside the SDF with a resident or two would fill the table; every
        # neighbourhood is inside it and keeps its row
        if breakdown_type in COLLAPSED and all(
            c.is_suppressed or c.value is None for c in row_cells.values()
        ):
            hidden += 1
            continue
        first = next(iter(row_cells.values()))
        rows.append(
            BreakdownRow(
                code=code,
                name=first.breakdown_name or code,
                imd_decile=first.imd_decile if breakdown_type in ("lsoa", "imd_decile") else None,
                cells=[row_cells.get(i.indicator_id) for i in shown],
            )
        )
    firsts = [next(c for c in cells if c.indicator_id == i.indicator_id) for i in shown]
    title, heading, noun = TITLES[breakdown_type]
    return BreakdownTable(
        breakdown_type=breakdown_type,
        title=title,
        indicators=shown,
        rows=sorted(rows, key=_order),
        rows_all_suppressed=hidden,
        heading=heading,
        noun=noun,
        periods=[(c.period_start_date, c.period_end_date) for c in firsts],
        sdf_values=[c.sdf_value for c in firsts],
    )


def sdf_breakdowns(published: PublishedProfiles, sdf_code: str) -> BreakdownSection:
    """The breakdown tables of one SDF, in the order of TITLES and of the catalogue."""
    cells = [c for c in published.breakdowns if c.sdf_code == sdf_code]
    tables = [
        _table(kind, [c for c in cells if c.breakdown_type == kind], published.indicators)
        for kind in TITLES
        if any(c.breakdown_type == kind for c in cells)
    ]
    return BreakdownSection(
        tables=tables,
        has_suppressed=any(c.is_suppressed for c in cells),
        has_secondary=any(c.is_secondary_suppressed for c in cells),
    )
