"""An incremental night equals a full rebuild (issue 5, item 6).

Two months of tiny synthetic deliveries are ingested and built in full, holding back
the last day of the daily feeds. The next night brings that day, a refresh of the first
month's GP registrations (counts changed, rows removed) and a refresh of the last
month's practice map that moves a practice to another SDF (so rows already built must
be attributed again). The incremental build of that night, and a night with nothing
new after it, must leave every table of the core and published schemas exactly as
`dbt build --full-refresh` of the same warehouse makes them. So must a fourth night
that replaces a month of inpatient spells, taking records away from people and moving
one to another person (dim_persons then rebuilds every person).

Marked slow: six dbt builds of the whole project take one to three minutes on two
cores, most of it dbt's own per-model overhead rather than data.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from tests.dbt_build.warehouse import BIN, Workspace, differences, tables

pytestmark = pytest.mark.slow
MONTHS = 2
DAILY_FEEDS = ("trust/ae_attendances", "ambulance/incidents")


def _last_day_files(landing: Path) -> list[Path]:
    return [sorted((landing / feed).glob("*_????-??-??.*"))[-1] for feed in DAILY_FEEDS]


def _write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _read_csv(path: Path, delimiter: str = ",") -> tuple[list[str], list[list[str]]]:
    with path.open(newline="") as handle:
        header, *rows = list(csv.reader(handle, delimiter=delimiter))
    return header, rows


def _refresh_registrations(landing: Path) -> None:
    """The first month delivered again: every 7th row removed, every 5th count + 1."""
    first = sorted((landing / "ccg/gp_registrations").glob("gp_registrations_*.csv"))[0]
    header, rows = _read_csv(first)
    count = header.index("registered_patients")
    refreshed = []
    for number, row in enumerate(rows):
        if number % 7 == 3:
            continue
        if number % 5 == 0:
            row[count] = str(int(row[count]) + 1)
        refreshed.append(row)
    _write_csv(landing / "ccg/gp_registrations/refresh" / first.name, header, refreshed)


def _refresh_inpatient_spells(landing: Path) -> None:
    """The first month of spells delivered again: every 7th spell removed, and the
    second spell given the NHS number of the third, so that it leaves one person for
    another (pipe-delimited files)."""
    first = sorted((landing / "trust/inpatient_spells").glob("inpatient_spells_*.csv"))[0]
    header, rows = _read_csv(first, delimiter="|")
    nhs_number = header.index("nhs_number")
    rows[1][nhs_number] = rows[2][nhs_number]
    refreshed = [row for number, row in enumerate(rows) if number % 7 != 3]
    _write_csv(landing / "trust/inpatient_spells/refresh" / first.name, header, refreshed, "|")


def _busiest_practice(landing: Path, month: str) -> str:
    """The practice with the most A&E attendances in the month (pipe-delimited files)."""
    counts: Counter[str] = Counter()
    for path in (landing / "trust/ae_attendances").glob(f"ae_attendances_{month}-??.csv"):
        with path.open(newline="") as handle:
            counts.update(row["practice_code"] for row in csv.DictReader(handle, delimiter="|"))
    return counts.most_common(1)[0][0]


def _refresh_practice_map(landing: Path) -> tuple[str, str]:
    """The last month's map delivered again with its busiest practice in another SDF."""
    last = sorted((landing / "ccg/practice_map").glob("practice_map_*.csv"))[-1]
    header, rows = _read_csv(last)
    practice, sdf = header.index("practice_code"), header.index("sdf_code")
    busiest = _busiest_practice(landing, last.stem.removeprefix("practice_map_"))
    moved = next(row for row in rows if row[practice] == busiest)
    moved[sdf] = next(code for code in sorted({row[sdf] for row in rows}) if code != moved[sdf])
    _write_csv(landing / "ccg/practice_map/refresh" / last.name, header, rows)
    return moved[practice], moved[sdf]


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("incremental")
    generated = root / "generated"
    night = Workspace(root / "night", root / "night" / "landing")
    night.run(
        str(BIN / "footprint"),
        "generate",
        "--scale",
        "0.02",
        "--months",
        str(MONTHS),
        "--out",
        str(generated),
        "--quiet",
    )
    shutil.copytree(generated, night.landing, ignore=shutil.ignore_patterns("_generator"))
    held_back = _last_day_files(night.landing)
    for path in held_back:
        path.rename(root / path.name)

    # night 1: everything but the last day, built from empty
    night.ingest()
    night.dbt_build()
    with duckdb.connect(str(night.warehouse), read_only=True) as connection:
        night_1_loaded_until = connection.execute(
            "select max(finished_at) from raw.load_manifest"
        ).fetchone()[0]

    # night 2: the last day, a refreshed month of registrations, a practice moved
    for path, destination in zip(held_back, _last_day_files(generated), strict=True):
        (root / path.name).rename(night.landing / destination.relative_to(generated))
    _refresh_registrations(night.landing)
    moved = _refresh_practice_map(night.landing)
    night.ingest()
    night.dbt_build()
    incremental = root / "incremental.duckdb"
    shutil.copyfile(night.warehouse, incremental)

    # night 3: nothing new
    night.dbt_build()
    quiet = root / "quiet.duckdb"
    shutil.copyfile(night.warehouse, quiet)

    # the same deliveries rebuilt from scratch (same workspace: dbt parses once)
    night.dbt_build("--full-refresh")
    rebuilt = root / "rebuilt.duckdb"
    shutil.copyfile(night.warehouse, rebuilt)

    # night 4: a month of inpatient spells replaced (people lose and change records)
    _refresh_inpatient_spells(night.landing)
    night.ingest()
    night.dbt_build()
    replaced = root / "replaced.duckdb"
    shutil.copyfile(night.warehouse, replaced)
    night.dbt_build("--full-refresh")
    return {
        "incremental": incremental,
        "quiet": quiet,
        "rebuilt": rebuilt,
        "replaced": replaced,
        "replaced_rebuilt": night.warehouse,
        "moved_practice": moved,
        "night_1_loaded_until": night_1_loaded_until,
    }


def test_the_night_changes_what_it_should(nights):
    """The held-back day, the refresh and the practice move really reached the facts
    (otherwise the comparison below would prove nothing)."""
    with duckdb.connect(str(nights["incremental"]), read_only=True) as connection:
        superseded = connection.execute(
            "select feed, count(*) from raw.load_manifest where status = 'superseded' "
            "group by feed order by feed"
        ).fetchall()
        practice, sdf = nights["moved_practice"]
        moved_rows = connection.execute(
            "select count(*) from core.fct_ae_attendances "
            "where practice_code = $practice and registration_sdf_code = $sdf",
            {"practice": practice, "sdf": sdf},
        ).fetchone()[0]
        night_feeds = connection.execute(
            "select distinct organisation || '/' || feed from raw.load_manifest "
            "where finished_at > $night_1 order by 1",
            {"night_1": nights["night_1_loaded_until"]},
        ).fetchall()
    assert dict(superseded) == {"gp_registrations": 1, "practice_map": 1}
    assert moved_rows > 0
    # no council delivery and no trust or ambulance refresh: dim_persons rebuilds only
    # the people of the held-back day (the night below takes its full path)
    assert [feed for (feed,) in night_feeds] == [
        "ambulance/incidents", "ccg/gp_registrations", "ccg/practice_map", "trust/ae_attendances"
    ]  # fmt: skip
    with duckdb.connect(str(nights["replaced"]), read_only=True) as connection:
        replaced = connection.execute(
            "select count(*) from raw.load_manifest "
            "where feed = 'inpatient_spells' and status = 'superseded'"
        ).fetchone()[0]
    assert replaced == 1


@pytest.mark.parametrize(
    ("night", "rebuild"),
    [("incremental", "rebuilt"), ("quiet", "rebuilt"), ("replaced", "replaced_rebuilt")],
)
def test_an_incremental_night_equals_a_full_rebuild(nights, night, rebuild):
    compared = tables(nights[rebuild])
    assert "core.fct_registered_population" in compared
    assert "core.dim_persons" in compared
    assert "sdf.sdf_indicator_values" in compared
    assert tables(nights[night]) == compared
    mismatched = {}
    for table in compared:
        different, rows = differences(nights[night], nights[rebuild], table)
        if different:
            mismatched[table] = f"{different} of {rows} rows differ from the rebuild"
    assert not mismatched, mismatched
