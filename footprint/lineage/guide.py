"""The indicator section of docs/auditors_guide.md, generated from the catalogue seed.

The definitions are written once, in seeds/indicator_catalogue.csv; the guide carries
a rendered copy between two markers. `footprint lineage guide` rewrites it;
`footprint lineage guide --check` (and a test) fails when the copy is stale.
"""

from __future__ import annotations

import csv
from pathlib import Path

from footprint.paths import PROJECT_ROOT, SEEDS_DIR

GUIDE_PATH = PROJECT_ROOT / "docs" / "auditors_guide.md"
CATALOGUE_PATH = SEEDS_DIR / "indicator_catalogue.csv"
BEGIN = "<!-- BEGIN GENERATED indicators: `footprint lineage guide` writes this section -->"
END = "<!-- END GENERATED indicators -->"

METHODS = {
    "proportion": "proportion with a Wilson score 95% interval",
    "crude_rate": "crude rate with a Byars 95% interval (exact below 10 events)",
    "count": "count with a Byars 95% interval",
    "dsr": "directly standardised rate (ESP 2013) with a Dobson 95% interval; "
    "not shown below 10 events",
    "life_expectancy": "life expectancy at birth (Chiang II abridged life table, PHE's "
    "method) with a 95% interval; not shown for populations of 5,000 or less or "
    "intervals wider than 20 years",
}
POLARITY = {
    "high_is_good": "higher is better",
    "low_is_good": "lower is better",
    "no_judgement": "no judgement (context only)",
}


class GuideError(RuntimeError):
    """The guide has no generated section to fill, or it is out of date."""


def _read_catalogue(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sorted(rows, key=lambda r: int(r["display_order"]))


def _indicator(row: dict[str, str]) -> str:
    kind = row["indicator_type"].replace("_", " ")
    if row["target_value"]:
        kind += f" (target {row['target_value']} {row['unit']})"
    method = METHODS.get(row["method"], row["method"])
    polarity = POLARITY.get(row["polarity"], row["polarity"])
    indicator = row["indicator_id"]
    lines = [
        f"### {row['display_order']}. {row['indicator_name']} (`{row['indicator_id']}`)",
        "",
        f"- **Numerator:** {row['numerator_definition']}",
        f"- **Denominator:** {row['denominator_definition']}",
        f"- **Unit and method:** {row['unit']}; {method}; {polarity}.",
        f"- **Type:** {kind}.",
        f"- **Framework:** {row['framework']} {row['framework_code']} "
        f"({row['framework_version']}); owner: {row['owner_organisation']}.",
        f"- **Feeds:** {row['source_feeds']} (coverage judged on {row['numerator_feeds']}); "
        f"attributed by {row['attribution']}.",
        f"- **Periods:** monthly, and 12 months ({row['rolling_12_months'].replace('_', ' ')}); "
        f"reported {row['lag_months']} month(s) behind the latest data; headline: "
        f"{row['headline_period_type'].replace('_', ' ')}.",
        f"- **Model:** `models/intermediate/indicators/int_indicator__{indicator}.sql`; "
        f"trace a value with `footprint lineage deliveries {indicator} <area code> <YYYY-MM>`.",
    ]
    return "\n".join(lines)


def render_indicator_section(catalogue: Path = CATALOGUE_PATH) -> str:
    rows = _read_catalogue(catalogue)
    intro = (
        f"_{len(rows)} indicators, generated from `seeds/indicator_catalogue.csv`; "
        "edit the seed, not this section._"
    )
    return "\n\n".join([intro, *(_indicator(row) for row in rows)])


def updated_guide(text: str, section: str) -> str:
    if BEGIN not in text or END not in text:
        raise GuideError(f"the guide has no section between {BEGIN!r} and {END!r}")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{section}\n{END}{tail}"


def write_guide(guide: Path = GUIDE_PATH, catalogue: Path = CATALOGUE_PATH) -> bool:
    """Rewrite the generated section; True when the file changed."""
    text = guide.read_text(encoding="utf-8")
    new = updated_guide(text, render_indicator_section(catalogue))
    if new != text:
        guide.write_text(new, encoding="utf-8")
    return new != text


def guide_is_current(guide: Path = GUIDE_PATH, catalogue: Path = CATALOGUE_PATH) -> bool:
    text = guide.read_text(encoding="utf-8")
    return updated_guide(text, render_indicator_section(catalogue)) == text
