"""Privacy of the warehouse and of what ingestion writes: no NHS number in clear, no
date of birth, no postcode, anywhere; the key never written down; the published file
made only of the marts tagged for publication. (The real published marts, their
disclosure control and the nightly job's logs are checked in test_nightly_job.py.)"""

from __future__ import annotations

import os
import subprocess

import duckdb
import pyarrow.parquet as pq
import pytest

from footprint.keys import key_file_path
from footprint.nhs_number import pseudonymise
from footprint.paths import PROJECT_ROOT
from footprint.publish.publisher import publish
from tests.reliability.builds import make_build
from tests.reliability.conftest import footprint_env, make_landing, run_footprint
from tests.reliability.scan import (
    Finding,
    clear_nhs_numbers,
    files_containing,
    postcodes,
    scan_database,
    scan_text,
    scan_tree,
)


def _delivered_nhs_numbers(landing) -> set[str]:
    table = pq.read_table(landing / "_generator" / "population.parquet")
    column = next(c for c in table.column_names if "nhs" in c)
    return {str(v) for v in table.column(column).to_pylist() if v}


def test_the_scanners_find_what_they_look_for():
    """The scans below can fail: each finds its target written the usual ways."""
    text = "x 9434765919 y 943 476 5919 z 943-476-5919 | WN1 1AA,M14 5QR"
    assert clear_nhs_numbers(text) == ["9434765919"] * 3
    assert postcodes(text) == ["WN1 1AA", "M14 5QR"]
    # not an NHS number: fails Modulus 11, too long, inside an identifier or pseudonym
    assert clear_nhs_numbers("9434765918 94347659190 INC9434765919 ab9434765919cd") == []
    assert postcodes("E01006212 P92025 U42101 SDF4 E08000010") == []


def test_the_database_scan_finds_a_planted_number_and_birth_date(tmp_path):
    database = tmp_path / "planted.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema s")
        connection.execute("create table s.t as select 9434765919::bigint as n, 'ok' as v")
        connection.execute("create table s.u as select date '1950-01-02' as date_of_birth")
        connection.execute("create table s.w as select ['a', 'WN1 1AA'] as notes")
    found = {(f.where.split(":")[1], f.what) for f in scan_database(database)}
    assert found == {
        ("s.t.n", "NHS number"),
        ("s.u.date_of_birth", "date of birth"),
        ("s.w.notes", "postcode"),
    }


def test_no_table_in_the_warehouse_holds_an_identifier_in_clear(faulty_build):
    findings = scan_database(faulty_build["warehouse"])
    assert findings == [], "\n".join(map(str, findings[:20]))


def test_no_delivered_nhs_number_reaches_the_warehouse_in_any_form(faulty_build):
    """Stronger than the pattern scan: every NHS number the generator delivered, looked
    for as a value or inside a value of every text column."""
    delivered = _delivered_nhs_numbers(faulty_build["landing"])
    assert len(delivered) > 1000
    with duckdb.connect(str(faulty_build["warehouse"]), read_only=True) as connection:
        connection.execute("create temp table delivered (n varchar)")
        connection.executemany("insert into delivered values (?)", [[n] for n in delivered])
        columns = connection.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' and table_catalog = current_database()"
        ).fetchall()
        hits = []
        for schema, table, column in columns:
            # every run of ten digits in the column, matched exactly against the set
            (count,) = connection.execute(
                f"select count(*) from (select unnest(regexp_extract_all("
                f'"{column}", \'[0-9]{{10}}\')) as n from "{schema}"."{table}") as t '
                f"semi join delivered as d on t.n = d.n"
            ).fetchone()
            if count:
                hits.append(f"{schema}.{table}.{column}: {count}")
    assert hits == []


def test_the_key_is_never_written_by_ingestion(tmp_path):
    key_hex = "d9e1" * 16
    make_landing(tmp_path / "landing")
    env = footprint_env(tmp_path, key_hex=key_hex)
    result = run_footprint(["ingest"], env)
    assert result.returncode == 0, result.stderr
    assert key_hex not in result.stdout + result.stderr
    needles = [key_hex.encode(), key_hex.upper().encode(), bytes.fromhex(key_hex)]
    assert files_containing([tmp_path / "warehouse"], needles) == []
    with duckdb.connect(str(tmp_path / "warehouse" / "footprint.duckdb"), read_only=True) as c:
        columns = c.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            (count,) = c.execute(
                f'select count(*) from "{schema}"."{table}" where contains(lower("{column}"), ?)',
                [key_hex],
            ).fetchone()
            assert count == 0, f"{schema}.{table}.{column}"


def test_no_pseudonymisation_key_is_in_the_repository():
    """This machine's key (environment or key file) is in no file of the repository,
    tracked or not; the only key written in the repository is the tests' own."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    paths = [PROJECT_ROOT / f.decode() for f in files if f]
    keys = []
    if key_file_path().exists():
        keys.append(key_file_path().read_text().strip())
    if os.environ.get("FOOTPRINT_PSEUDONYMISATION_KEY"):
        keys.append(os.environ["FOOTPRINT_PSEUDONYMISATION_KEY"].strip())
    keys = [k for k in keys if k and k != "5e" * 32]
    needles = [k.encode() for k in keys] + [k.upper().encode() for k in keys]
    assert files_containing([p for p in paths if p.is_file()], needles) == []
    # what could hold a key or identifiers is never committed by accident
    for path in ("pseudonymisation.key", "landing/x", "warehouse/x", "dagster_home/x", "logs/x"):
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=PROJECT_ROOT)
        assert ignored.returncode == 0, f"{path} is not ignored by git"


def test_only_the_marts_tagged_for_publication_are_published(tmp_path):
    """The build holds person-level rows (core.dim_persons); the published file, its
    Parquet and its manifest hold none of them."""
    warehouse, manifest = make_build(tmp_path / "build", value=3)
    published = tmp_path / "published"
    publish(warehouse, published, manifest, checks=[])
    with duckdb.connect(str(published / "footprint.duckdb"), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables order by 1"
        ).fetchall()
    assert tables == [("publication.build_info",), ("sdf.indicator_values",)]
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        pseudonyms = [
            p
            for (p,) in connection.execute(
                "select person_pseudonym from core.dim_persons"
            ).fetchall()
        ]
    assert files_containing([published], [p.encode() for p in pseudonyms]) == []
    assert list(scan_tree(published)) == []


@pytest.mark.parametrize(
    ("text", "what"),
    [("nhs 9434765919", "NHS number"), ("lives at WN5 9XX", "postcode")],
)
def test_a_finding_names_where_and_masks_the_value(text, what):
    (finding,) = scan_text(text, "published/manifest.json")
    assert finding == Finding("published/manifest.json", what, finding.sample)
    assert finding.sample.endswith("*") and finding.sample[:3] in text
    assert pseudonymise("9434765919", b"k" * 32) not in str(finding)


def test_a_page_is_scanned_as_its_text_and_data_not_its_library_code():
    from tests.reliability.scan import page_text

    page = (
        "<p>9434765919</p><script>r>2147483647?r=2147483647:0</script>"
        '<script type="application/json">{"n": "943 476 5919"}</script>'
        '<img src="data:image/png;base64,AAAA2147483647WN11AA">'
    )
    assert clear_nhs_numbers(page_text(page)) == ["9434765919", "9434765919"]
    assert "2147483647" not in page_text(page)
