"""The real nightly job (`footprint run`), end to end, as the scheduler runs it.

Crash consistency: the job is SIGKILLed at points seen in its own output (during
ingestion, the dbt build, the quality checks, publication); after every kill the
published file is a complete version, the load manifest's accounting holds, and
the runs that follow converge to the marts of an uninterrupted run on the same
deliveries (compared by content hash). Readers query the published file throughout.
The uninterrupted run's output is then scanned for anything identifiable, checked
for disclosure control, and searched for the key and for planted formulae.

Slow (each run of the job is minutes): `make test-reliability`.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from footprint.paths import PROJECT_ROOT
from tests.reliability.builds import content_hash
from tests.reliability.conftest import FOOTPRINT, footprint_env
from tests.reliability.nightly import (
    LOAD_TIMES,
    KillPoint,
    accounting_problems,
    open_copy,
    published_version,
    run_and_kill,
    run_to_end,
    step,
)
from tests.reliability.scan import delivered_numbers_in_tree, files_containing, scan_tree
from tests.reliability.test_malicious_input import FORMULAE

pytestmark = pytest.mark.slow

KEY_HEX = "e8a1" * 16
RAW = ("raw", "raw_history")
# 18 months: every indicator needs a rolling year after its lag (reablement: 91 days
# and a quarterly delivery), or the gate rightly refuses to publish; faults are the
# fault suite's business
GENERATE = ["--scale", "0.02", "--months", "18", "--faults", "none", "--quiet"]
BEFORE_FIRST_PUBLICATION = [
    KillPoint("ingestion, first feed", step("raw__ambulance__incidents")),
    KillPoint("ingestion, sixth feed", step("raw__trust__ae_attendances"), after=0.3),
    KillPoint("dbt build, 40th node", r"\b40 of \d+ START"),
    # the checkpoint workers are children of the job, killed with it
    KillPoint("delivery checks, under way", step("delivery_expectations"), after=0.5),
    KillPoint("mart checks", step("mart_expectations")),
]
# publication takes well under a second at this scale, so "under way" is not a delay
# but a state seen on disk: the first Parquet copy written into the staging version
# (first of the two, as a staging folder left by a kill would match the glob at once)
DURING_PUBLICATION = [
    KillPoint(
        "publication, under way",
        step("published__footprint"),
        published_glob=".staging/*/parquet/*.parquet",
    ),
    KillPoint("publication, at its start", step("published__footprint")),
]
KILL_POINTS = BEFORE_FIRST_PUBLICATION + DURING_PUBLICATION


def _plant_formulae(landing: Path) -> None:
    """Spreadsheet formulae in the only free-text fields any delivery carries."""
    target = sorted((landing / "ccg" / "practice_map").glob("*.csv"))[-1]
    lines = target.read_text().split("\n")
    for index, formula in enumerate(FORMULAE, start=1):
        fields = lines[index].split(",")
        fields[1] = '"' + formula.replace('"', '""') + '"'
        fields[3] = '"' + formula.replace('"', '""') + '"'
        lines[index] = ",".join(fields)
    target.write_text("\n".join(lines))


def _size(path: Path) -> int:
    return path.stat().st_size


MALFORMED_NHS_NUMBERS = ("943-476-5919", "UNKNOWN", "999000001", "NaN")


def _plant_malformed_nhs_numbers(landing: Path) -> list[tuple[str, int]]:
    """NHS numbers a sender might write: once, any one of them stopped the night."""
    ae = max(sorted((landing / "trust" / "ae_attendances").glob("*.csv")), key=_size)
    lines = ae.read_text().split("\n")
    position = lines[0].split("|").index("nhs_number")
    planted = []
    for row, value in enumerate(MALFORMED_NHS_NUMBERS[:3], start=1):
        fields = lines[row].split("|")
        fields[position] = value
        lines[row] = "|".join(fields)
        planted.append((ae.relative_to(landing).as_posix(), row))
    ae.write_text("\n".join(lines))
    incidents = max(sorted((landing / "ambulance" / "incidents").glob("*.jsonl")), key=_size)
    lines = incidents.read_text().split("\n")
    lines[0] = re.sub(r'"nhs_number":("[0-9]+"|null)', '"nhs_number":NaN', lines[0])
    incidents.write_text("\n".join(lines))
    return [*planted, (incidents.relative_to(landing).as_posix(), 1)]


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory) -> Path:
    from footprint.synth.cli import main as generate

    landing = tmp_path_factory.mktemp("deliveries") / "landing"
    assert generate([*GENERATE, "--out", str(landing)]) == 0
    _plant_formulae(landing)
    _plant_malformed_nhs_numbers(landing)
    return landing


def _workspace(root: Path, deliveries: Path) -> dict[str, str]:
    shutil.copytree(deliveries, root / "landing")
    return footprint_env(root, key_hex=KEY_HEX)


class Uninterrupted:
    """The same deliveries built by one run of the job that nobody interrupts. It runs
    in the background, beside whatever the test does meanwhile; `result()` waits."""

    def __init__(self, root: Path, deliveries: Path) -> None:
        self.root = root
        self.env = _workspace(root, deliveries)
        self.log = root / "run.log"
        self._out = self.log.open("w")
        self._process = subprocess.Popen(
            [FOOTPRINT, "run"],
            env=self.env,
            cwd=PROJECT_ROOT,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def result(self) -> dict:
        status = self._process.wait()
        self._out.close()
        assert status == 0, self.log.read_text()[-4000:]
        version = published_version(self.root / "published")
        assert version is not None
        warehouse = Path(self.env["FOOTPRINT_WAREHOUSE"])
        return {
            "root": self.root,
            "env": self.env,
            "log": self.log,
            "version": version,
            "raw": content_hash(warehouse, RAW, ignore=LOAD_TIMES),
        }


@pytest.fixture(scope="module")
def background_run(tmp_path_factory, deliveries) -> Uninterrupted:
    return Uninterrupted(tmp_path_factory.mktemp("uninterrupted"), deliveries)


@pytest.fixture(scope="module")
def uninterrupted(background_run) -> dict:
    return background_run.result()


_READER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import duckdb

    database, log_path, stop = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    with log_path.open("a") as log:
        while not stop.exists():
            try:
                with duckdb.connect(str(database), read_only=True) as c:
                    info = "select build_id from publication.build_info"
                    (build_id,) = c.execute(info).fetchone()
                    (rows,) = c.execute("select count(*) from sdf.sdf_indicator_values").fetchone()
                record = {"build": build_id, "rows": rows}
            except Exception as err:
                record = {"error": f"{type(err).__name__}: {err}"}
            log.write(json.dumps(record) + "\\n")
            log.flush()
    """
)


def _start_readers(published: Path, root: Path, count: int = 2) -> list:
    return [
        (
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _READER,
                    str(published / "footprint.duckdb"),
                    str(root / f"reader{i}.jsonl"),
                    str(root / "stop-readers"),
                ],
                cwd=PROJECT_ROOT,
            ),
            root / f"reader{i}.jsonl",
        )
        for i in range(count)
    ]


def _check_after_kill(
    env: dict[str, str], root: Path, point: KillPoint, reference: Uninterrupted
) -> None:
    version = published_version(Path(env["FOOTPRINT_PUBLISHED"]))
    if version is not None:  # a complete version, and the same marts as the reference
        assert version["marts"] == reference.result()["version"]["marts"], point
    warehouse = Path(env["FOOTPRINT_WAREHOUSE"])
    if warehouse.exists():
        problems = accounting_problems(open_copy(warehouse, root / "scratch"))
        assert problems == [], (str(point), problems[:10])


def test_malformed_nhs_numbers_are_quarantined_and_the_night_publishes(
    tmp_path, deliveries, uninterrupted
):
    planted = _plant_malformed_nhs_numbers(shutil.copytree(deliveries, tmp_path / "again"))
    copy = open_copy(Path(uninterrupted["env"]["FOOTPRINT_WAREHOUSE"]), tmp_path / "copy")
    with duckdb.connect(str(copy), read_only=True) as warehouse:
        for file_path, row in planted:
            found = warehouse.execute(
                "select rule from raw.quarantine where file_path = ? and row_number = ?",
                [file_path, row],
            ).fetchall()
            assert found == [("nhs_number",)], (file_path, row)
    assert uninterrupted["version"] is not None  # published, first time, with no retry


def test_the_same_deliveries_give_bit_identical_marts(tmp_path_factory, deliveries, uninterrupted):
    """Floating-point sums are exact (statistics_exact_sum), so a second build of the
    same deliveries publishes the same marts to the last bit."""
    again = Uninterrupted(tmp_path_factory.mktemp("again"), deliveries).result()
    assert again["raw"] == uninterrupted["raw"]
    assert again["version"]["marts"] == uninterrupted["version"]["marts"]


def test_the_report_and_audit_record_hold_every_dbt_test_and_freshness(uninterrupted):
    """Tests of sources and singular tests (tests/dbt/) as well as the tests of models,
    and each feed's freshness; and the run said where its full log is."""
    current = uninterrupted["root"] / "published" / "current"
    record = json.loads((current / "audit" / "audit_record.json").read_text())
    checks = {(c["checkpoint"], c["expectation"]) for c in record["quality_checks"]}
    report = (current / "quality_report.html").read_text()
    # a singular test of the seeds alone (tag reference_data) runs in CI's code_checks
    singular = {
        p.stem
        for p in (PROJECT_ROOT / "tests" / "dbt").rglob("*.sql")
        if "reference_data" not in p.read_text()
    }
    for name in singular | {"trust__ae_attendances delivered on time"}:
        assert name in report
    assert {name for kind, name in checks if kind == "dbt_tests"} >= singular
    assert any(kind == "dbt_tests" and name.startswith("source_") for kind, name in checks)
    assert ("freshness", "trust__ae_attendances delivered on time") in checks
    log = uninterrupted["log"].read_text()
    assert "full log in" in log and "dbt build: done" in log
    assert "Started execution of step" not in log  # quiet by default


# --- what the uninterrupted run published ----------------------------------------------

DESCRIPTORS = {  # whole numbers in published marts that are not counts of people or events
    "lsoa_count",  # LSOAs in an SDF (lookups)
    "practice_count",  # practices in a PCN (lookups)
    "display_order",
    "decimal_places",
    "multiplier",
    "lag_months",
    "trend_step_months",
    "rolling_12_months",
    "period_month",
    "data_coverage",
}


def test_the_publication_holds_nothing_identifiable(uninterrupted, deliveries):
    published = uninterrupted["root"] / "published"
    findings = list(scan_tree(published))
    assert findings == [], "\n".join(map(str, findings[:20]))
    # and, with no pattern to miss anything: not one NHS number that was delivered
    population = pq.read_table(deliveries / "_generator" / "population.parquet")
    column = next(c for c in population.column_names if "nhs" in c)
    delivered = {str(v) for v in population.column(column).to_pylist() if v}
    assert len(delivered) > 1000
    assert delivered_numbers_in_tree(published, delivered) == []


def test_the_publication_holds_no_person_level_row(uninterrupted):
    """No value of any published text column is a pseudonym or a record id from the
    warehouse, and no published column is named for one."""
    env = uninterrupted["env"]
    warehouse = Path(env["FOOTPRINT_WAREHOUSE"])
    published = uninterrupted["root"] / "published" / "footprint.duckdb"
    with duckdb.connect() as connection:
        connection.execute("attach ? as wh (read_only)", [str(warehouse)])
        connection.execute("attach ? as pub (read_only)", [str(published)])
        identifiers = connection.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = 'wh' and table_schema = 'raw' and (column_name like "
            "'%pseudonym' or column_name in ('attendance_id', 'spell_id', 'incident_id', "
            "'episode_id', 'event_id'))"
        ).fetchall()
        assert identifiers, "no identifier columns found in the warehouse to look for"
        connection.execute("create temp table ids (v varchar)")
        for schema, table, column in identifiers:
            connection.execute(
                f'insert into ids select distinct "{column}" from wh."{schema}"."{table}"'
            )
        columns = connection.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = 'pub' and data_type = 'VARCHAR'"
        ).fetchall()
        named = [c for c in columns if "pseudonym" in c[2] or c[2] in ("nhs_number", "person_id")]
        assert named == []
        hits = []
        for schema, table, column in columns:
            (n,) = connection.execute(
                f'select count(*) from pub."{schema}"."{table}" where "{column}" in '
                f"(select v from ids)"
            ).fetchone()
            if n:
                hits.append(f"{schema}.{table}.{column}: {n}")
    assert hits == []


def test_every_published_count_and_rate_is_under_disclosure_control(uninterrupted):
    published = uninterrupted["root"] / "published" / "footprint.duckdb"
    checked, problems = 0, []
    with duckdb.connect(str(published), read_only=True) as connection:
        columns = connection.execute(
            "select table_schema, table_name, column_name, data_type "
            "from information_schema.columns where table_schema <> 'publication'"
        ).fetchall()
        by_table: dict[tuple[str, str], dict[str, str]] = {}
        for schema, table, column, data_type in columns:
            by_table.setdefault((schema, table), {})[column] = data_type
        for (schema, table), types in by_table.items():
            relation = f'"{schema}"."{table}"'
            counts = [
                c
                for c, t in types.items()
                if t in ("BIGINT", "INTEGER", "HUGEINT", "SMALLINT", "DOUBLE", "DECIMAL(18,3)")
                and c not in DESCRIPTORS
                and ("numerator" in c or "denominator" in c or "patients" in c or "count" in c)
            ]
            for column in counts:
                (bad,) = connection.execute(
                    f'select count(*) from {relation} where "{column}" is not null and not '
                    f'("{column}" = 0 or ("{column}" >= 10 and "{column}" % 5 = 0))'
                ).fetchone()
                (n,) = connection.execute(f'select count("{column}") from {relation}').fetchone()
                checked += n
                if bad:
                    problems.append(f"{schema}.{table}.{column}: {bad} undisclosable values")
            if "is_suppressed" in types:
                derived = [
                    c
                    for c in (
                        "numerator",
                        "indicator_value",
                        "z",
                        "lower_ci_95",
                        "upper_ci_95",
                        "comparison_with_borough",
                        "comparison_with_england",
                        "is_outlier",
                        "target_status",
                    )
                    if c in types
                ]
                for column in derived:
                    (bad,) = connection.execute(
                        f'select count(*) from {relation} where is_suppressed and "{column}" '
                        f"is not null"
                    ).fetchone()
                    if bad:
                        problems.append(f"{schema}.{table}.{column}: shown for {bad} suppressed")
                (suppressed,) = connection.execute(
                    f"select count(*) filter (where is_suppressed) from {relation}"
                ).fetchone()
                checked += suppressed
            if {"method", "denominator", "indicator_value"} <= types.keys():
                # a rate over 1-7 people (attendances per high-intensity user) says what
                # those few people did: its value goes with its denominator
                (bad,) = connection.execute(
                    f"select count(*) from {relation} where method = 'crude_rate' and "
                    f"denominator is null and indicator_value is not null"
                ).fetchone()
                if bad:
                    problems.append(f"{schema}.{table}: {bad} rates over a suppressed count")
    assert problems == []
    assert checked > 100
    print(f"\ndisclosure control checked on {checked} published values")


def test_the_key_is_in_no_log_manifest_or_output(uninterrupted):
    root = uninterrupted["root"]
    needles = [KEY_HEX.encode(), KEY_HEX.upper().encode(), bytes.fromhex(KEY_HEX)]
    places = [
        uninterrupted["log"],
        root / "published",
        root / "dagster_home",
        root / "warehouse",
        PROJECT_ROOT / "logs",
        PROJECT_ROOT / "target",
    ]
    assert files_containing([p for p in places if p.exists()], needles) == []
    assert KEY_HEX not in os.environ.get("FOOTPRINT_PSEUDONYMISATION_KEY", "")


def test_no_formula_reaches_a_published_export(uninterrupted):
    """The planted formulae reach no published file here (the practice lookup takes a
    practice's name over all the months of its membership, and the planted month's does
    not win); and no cell of the CSV and Excel exports may start a formula unescaped,
    whatever a name holds (tests/publish/test_exports.py plants them in the lookup)."""
    published = uninterrupted["root"] / "published"
    markers = [b"evil.example", b"cmd|"]
    assert files_containing([published], markers) == []
    exports = [p for p in published.rglob("*") if p.suffix.lower() in (".csv", ".xlsx", ".xls")]
    assert exports, "every published mart has a CSV and an Excel export"
    for export in exports:
        if export.suffix.lower() == ".csv":
            with export.open(newline="") as handle:
                cells = [c for row in csv.reader(handle) for c in row]
        else:
            from openpyxl import load_workbook

            workbook = load_workbook(export, read_only=True)
            cells = [
                str(c)
                for ws in workbook.worksheets
                for r in ws.iter_rows(values_only=True)
                for c in r
                if c is not None
            ]
        unescaped = [c for c in cells if c[:1] in ("=", "+", "-", "@") and not _number(c)]
        assert unescaped == [], (export, unescaped[:5])
    print(f"\nCSV/Excel exports in the publication: {len(exports)}")


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# --- crash consistency (last: it takes longest) ------------------------------------


def test_killed_at_any_point_the_job_loses_nothing_and_converges(
    tmp_path, deliveries, background_run
):
    env = _workspace(tmp_path, deliveries)
    log = tmp_path / "runs.log"
    published = Path(env["FOOTPRINT_PUBLISHED"])
    warehouse = Path(env["FOOTPRINT_WAREHOUSE"])
    tried = []
    for point in BEFORE_FIRST_PUBLICATION:
        assert run_and_kill(env, log, point), f"the job ended before {point}"
        tried.append(str(point))
        _check_after_kill(env, tmp_path, point, background_run)
        assert published_version(published) is None  # nothing half-published

    assert run_to_end(env, log) == 0, log.read_text()[-4000:]
    uninterrupted = background_run.result()
    first = published_version(published)
    assert first["marts"] == uninterrupted["version"]["marts"]
    assert content_hash(warehouse, RAW, ignore=LOAD_TIMES) == uninterrupted["raw"]
    raw_after_first = content_hash(warehouse, RAW)  # load times included

    readers = _start_readers(published, tmp_path)
    try:
        for point in DURING_PUBLICATION:
            assert run_and_kill(env, log, point), f"the job ended before {point}"
            tried.append(str(point))
            _check_after_kill(env, tmp_path, point, background_run)
            if point.published_glob:  # the kill left a half-made version in staging...
                assert next(published.glob(point.published_glob), None) is not None, point
            # ...which never became current
            assert published_version(published)["build_id"] == first["build_id"], point
        # a rerun with nothing new: the same marts, and not one raw row touched
        assert run_to_end(env, log) == 0, log.read_text()[-4000:]
    finally:
        (tmp_path / "stop-readers").touch()
        for reader, _ in readers:
            reader.wait()
    last = published_version(published)
    assert last["build_id"] != first["build_id"]
    assert last["marts"] == uninterrupted["version"]["marts"]
    assert content_hash(warehouse, RAW) == raw_after_first

    reads = [json.loads(line) for _, path in readers for line in path.read_text().splitlines()]
    failed = [r for r in reads if "error" in r]
    assert failed == [], failed[:5]
    assert {r["build"] for r in reads} >= {first["build_id"], last["build_id"]}
    print(f"\nkill points tried: {len(tried)}: {'; '.join(tried)}")
    print(f"reads during builds: {len(reads)}, failed: {len(failed)}")
