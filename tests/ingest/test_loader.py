"""Ingestion of hand-made deliveries: every rule, every file-level failure, accounting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import xlsxwriter

from footprint.contracts import contract_for
from footprint.ingest import loader
from footprint.ingest.loader import load_feed
from footprint.keys import MissingKeyError, load_key
from footprint.nhs_number import is_valid, pseudonymise
from tests.conftest import TEST_KEY
from tests.ingest.helpers import (
    feed_folder,
    invalid_nhs_number,
    query,
    seed_codes,
    valid_nhs_number,
    write_delimited,
)

KEY = bytes.fromhex(TEST_KEY)
AE = contract_for("trust__ae_attendances")
SPELLS = contract_for("trust__inpatient_spells")
INCIDENTS = contract_for("ambulance__incidents")
REABLEMENT = contract_for("council__reablement")


def ae_row(n: int, **overrides: str) -> list[str]:
    row = {
        "attendance_id": f"AE{n:010d}",
        "nhs_number": valid_nhs_number(n),
        "age": "67",
        "sex": "2",
        "lsoa_code": seed_codes("lsoas", "lsoa_code")[0],
        "practice_code": seed_codes("practices", "practice_code")[0],
        "arrival_at": "2025-03-04 10:15:00",
        "departure_at": "2025-03-04 14:40:00",
        "arrival_mode": "ambulance",
        "acuity": "2",
        "chief_complaint": "breathlessness",
        "discharge_destination": "admitted",
    }
    row.update(overrides)
    return [row[c] for c in AE.column_names]


def write_ae(
    landing: Path,
    day: str,
    rows: list[list[str]],
    name: str | None = None,
    header: list[str] | None = None,
) -> Path:
    path = feed_folder(landing, AE) / (name or f"ae_attendances_{day}.csv")
    return write_delimited(path, header or AE.column_names, rows, "|")


def load(contract, workspace):
    return load_feed(contract, workspace["landing"], workspace["warehouse"], KEY)


def quarantine_rules(workspace) -> dict[int, str]:
    rows = query(workspace["warehouse"], "select row_number, rule from raw.quarantine")
    return dict(rows)


def test_each_row_rule_quarantines_exactly_the_broken_row(workspace):
    rows = [
        ae_row(1),
        ae_row(2, age="sixty"),  # 2 type
        ae_row(3, nhs_number=invalid_nhs_number(3)),  # 3 nhs_number
        ae_row(4, lsoa_code="E01999999"),  # 4 unknown_code
        ae_row(5, practice_code="Z99999"),  # 5 unknown_code
        ae_row(
            6, arrival_at="2031-03-04 10:15:00", departure_at="2031-03-04 11:15:00"
        ),  # 6 after_period
        ae_row(7, departure_at="2025-03-04 09:00:00"),  # 7 end_before_start
        ae_row(8, sex="X"),  # 8 code_list
        ae_row(9, age="130"),  # 9 range
        ae_row(10, attendance_id="AE12"),  # 10 pattern
        ae_row(11, chief_complaint=""),  # 11 required
        ae_row(12)[:-1],  # 12 wrong_column_count
        ae_row(1),  # 13 duplicate_row
        ae_row(1, acuity="3"),  # 14 duplicate_key
        ae_row(15),
    ]
    write_ae(workspace["landing"], "2025-03-04", rows)
    summary = load(AE, workspace)

    assert summary.rows_read == 15
    assert summary.rows_loaded == 2
    assert summary.rows_quarantined == 13
    assert quarantine_rules(workspace) == {
        2: "type",
        3: "nhs_number",
        4: "unknown_code",
        5: "unknown_code",
        6: "after_period",
        7: "end_before_start",
        8: "code_list",
        9: "range",
        10: "pattern",
        11: "required",
        12: "wrong_column_count",
        13: "duplicate_row",
        14: "duplicate_key",
    }
    loaded = query(
        workspace["warehouse"],
        "select attendance_id, _row_number, _source_file from raw.trust__ae_attendances order by 2",
    )
    assert loaded == [
        ("AE0000000001", 1, "trust/ae_attendances/ae_attendances_2025-03-04.csv"),
        ("AE0000000015", 15, "trust/ae_attendances/ae_attendances_2025-03-04.csv"),
    ]
    (manifest,) = query(
        workspace["warehouse"],
        "select rows_read, rows_loaded, rows_quarantined, status from raw.load_manifest",
    )
    assert manifest == (15, 2, 13, "loaded")


def test_quarantine_messages_name_the_column_and_value_but_never_the_nhs_number(workspace):
    bad_nhs = invalid_nhs_number(3)
    write_ae(
        workspace["landing"],
        "2025-03-04",
        [ae_row(1, lsoa_code="E01999999"), ae_row(2, nhs_number=bad_nhs)],
    )
    load(AE, workspace)
    rows = dict(
        query(
            workspace["warehouse"],
            "select row_number, message || ' ' || raw_line from raw.quarantine",
        )
    )
    assert "lsoa_code 'E01999999' is not in seeds/lsoas.csv" in rows[1]
    assert "not a valid NHS number" in rows[2]
    assert bad_nhs not in rows[2] and valid_nhs_number(1) not in rows[1]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        ("|".join(AE.column_names).encode() + b"\nAE0000000001|99912", "truncated"),
        (
            "|".join(AE.column_names).encode()
            + b"\n"
            + "|".join(ae_row(1)).encode().replace(b"breathlessness", b"caf\xe9")
            + b"\n",
            "not UTF-8",
        ),
        ("|".join(c for c in AE.column_names if c != "age").encode() + b"\n", "lacks required"),
    ],
    ids=["empty", "truncated", "non_utf8", "missing_column"],
)
def test_unreadable_files_are_rejected_whole_and_the_rest_still_load(workspace, content, reason):
    folder = feed_folder(workspace["landing"], AE)
    (folder / "ae_attendances_2025-03-04.csv").write_bytes(content)
    write_ae(
        workspace["landing"],
        "2025-03-05",
        [ae_row(1, arrival_at="2025-03-05 10:00:00", departure_at="2025-03-05 11:00:00")],
    )
    summary = load(AE, workspace)
    assert summary.files_rejected == 1 and summary.rows_loaded == 1
    statuses = dict(
        query(
            workspace["warehouse"],
            "select period, status || ': ' || coalesce(message, '') from raw.load_manifest",
        )
    )
    assert statuses["2025-03-04"].startswith("rejected") and reason in statuses["2025-03-04"]
    assert statuses["2025-03-05"].startswith("loaded")


def test_extra_column_and_byte_order_mark_are_reported_and_every_row_loads(workspace):
    header = [*AE.column_names[:3], "notes", *AE.column_names[3:]]
    rows = [[*r[:3], "free text", *r[3:]] for r in (ae_row(1), ae_row(2))]
    path = write_ae(workspace["landing"], "2025-03-04", rows, header=header)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    summary = load(AE, workspace)
    assert summary.rows_loaded == 2 and summary.rows_quarantined == 0
    (message,) = query(workspace["warehouse"], "select message from raw.load_manifest")[0]
    assert "unexpected column(s) ['notes'] ignored" in message
    assert "byte-order mark" in message
    assert query(
        workspace["warehouse"], "select min(age), max(acuity) from raw.trust__ae_attendances"
    ) == [(67, 2)]


def test_loading_twice_changes_nothing_and_a_resent_copy_is_a_duplicate(workspace):
    path = write_ae(workspace["landing"], "2025-03-04", [ae_row(1), ae_row(2)])
    load(AE, workspace)
    before = query(workspace["warehouse"], "select * from raw.load_manifest order by 1")
    again = load(AE, workspace)
    assert again.nothing_new
    assert query(workspace["warehouse"], "select * from raw.load_manifest order by 1") == before

    resent = path.parent / "resent" / path.name
    resent.parent.mkdir()
    resent.write_bytes(path.read_bytes())
    summary = load(AE, workspace)
    assert summary.files_duplicate == 1 and summary.rows_loaded == 0
    assert query(workspace["warehouse"], "select count(*) from raw.trust__ae_attendances") == [(2,)]
    assert query(
        workspace["warehouse"],
        "select status, rows_read from raw.load_manifest where file_path like '%resent%'",
    ) == [("duplicate", 0)]


def test_identical_content_for_another_period_is_a_delivery_of_its_own(workspace):
    contract = contract_for("ccg__practice_map")
    folder = feed_folder(workspace["landing"], contract)
    practice = seed_codes("practices", "practice_code")[0]
    row = [practice, "A Surgery", "U00001", "A PCN", seed_codes("sdfs", "sdf_code")[0]]
    for month in ("2025-03", "2025-04"):
        write_delimited(folder / f"practice_map_{month}.csv", contract.column_names, [row], ",")
    summary = load(contract, workspace)
    assert (summary.files_loaded, summary.files_duplicate, summary.rows_loaded) == (2, 0, 2)


def spell_row(n: int, **overrides: str) -> list[str]:
    row = {
        "spell_id": f"SP{n:010d}",
        "nhs_number": valid_nhs_number(n),
        "age_on_admission": "80",
        "sex": "1",
        "admission_date": "2025-03-02",
        "discharge_date": "2025-03-09",
        "admission_method": "21",
        "admission_source": "19",
        "discharge_destination": "19",
        "primary_diagnosis": "J18",
        "lsoa_code": seed_codes("lsoas", "lsoa_code")[1],
        "practice_code": seed_codes("practices", "practice_code")[1],
    }
    row.update(overrides)
    return [row[c] for c in SPELLS.column_names]


def test_a_refresh_supersedes_its_month_and_keeps_the_replaced_rows_in_history(workspace):
    folder = feed_folder(workspace["landing"], SPELLS)
    write_delimited(
        folder / "inpatient_spells_2025-03.csv",
        SPELLS.column_names,
        [spell_row(1), spell_row(2)],
        "|",
    )
    write_delimited(
        folder / "inpatient_spells_2025-04.csv",
        SPELLS.column_names,
        [spell_row(3, admission_date="2025-04-01", discharge_date="2025-04-03")],
        "|",
    )
    load(SPELLS, workspace)
    write_delimited(
        folder / "inpatient_spells_2025-03_v2.csv",
        SPELLS.column_names,
        [spell_row(1, primary_diagnosis="J44"), spell_row(4)],
        "|",
    )
    summary = load(SPELLS, workspace)
    assert summary.files_superseded == 1

    current = query(
        workspace["warehouse"],
        "select spell_id, primary_diagnosis from raw.trust__inpatient_spells order by 1",
    )
    assert current == [("SP0000000001", "J44"), ("SP0000000003", "J18"), ("SP0000000004", "J18")]
    history = query(
        workspace["warehouse"],
        "select spell_id from raw_history.trust__inpatient_spells order by 1",
    )
    assert history == [("SP0000000001",), ("SP0000000002",)]
    statuses = query(
        workspace["warehouse"], "select file_path, status from raw.load_manifest order by 1"
    )
    assert dict(statuses) == {
        "trust/inpatient_spells/inpatient_spells_2025-03.csv": "superseded",
        "trust/inpatient_spells/inpatient_spells_2025-03_v2.csv": "loaded",
        "trust/inpatient_spells/inpatient_spells_2025-04.csv": "loaded",
    }


def test_a_backlog_loads_in_batches_with_the_same_result(workspace, monkeypatch):
    """One file per batch (each its own scan and transaction): a refresh delivered in
    the same run as the month it replaces still supersedes it, and every row and file
    is accounted for once."""
    monkeypatch.setattr(loader, "BATCH_BYTES", 1)
    scanned = []
    check_rows = loader._check_rows

    def counting(connection, contract, batch, key):
        scanned.append(len(batch))
        return check_rows(connection, contract, batch, key)

    monkeypatch.setattr(loader, "_check_rows", counting)
    folder = feed_folder(workspace["landing"], SPELLS)
    files = {
        "inpatient_spells_2025-03.csv": [spell_row(1), spell_row(2)],
        "inpatient_spells_2025-03_v2.csv": [spell_row(1, primary_diagnosis="J44"), spell_row(4)],
        "inpatient_spells_2025-04.csv": [
            spell_row(3, admission_date="2025-04-01", discharge_date="2025-04-03")
        ],
    }
    for name, rows in files.items():
        write_delimited(folder / name, SPELLS.column_names, rows, "|")
    summary = load(SPELLS, workspace)
    assert scanned == [1, 1, 1]
    assert (summary.files_loaded, summary.files_superseded, summary.rows_loaded) == (3, 1, 5)
    current = query(
        workspace["warehouse"], "select spell_id from raw.trust__inpatient_spells order by 1"
    )
    assert current == [("SP0000000001",), ("SP0000000003",), ("SP0000000004",)]
    statuses = query(
        workspace["warehouse"], "select file_path, status, rows_read from raw.load_manifest"
    )
    assert sorted(statuses) == [
        ("trust/inpatient_spells/inpatient_spells_2025-03.csv", "superseded", 2),
        ("trust/inpatient_spells/inpatient_spells_2025-03_v2.csv", "loaded", 2),
        ("trust/inpatient_spells/inpatient_spells_2025-04.csv", "loaded", 1),
    ]


def test_json_lines_are_validated_per_line(workspace):
    folder = feed_folder(workspace["landing"], INCIDENTS)
    lsoa = seed_codes("lsoas", "lsoa_code")[0]
    good = (
        '{"incident_id":"INC0000000001","call_at":"2025-03-04T08:00:00","category":"C2",'
        f'"lsoa_code":"{lsoa}","outcome":"see_and_convey","nhs_number":"{valid_nhs_number(1)}"}}'
    )
    untraced = good.replace("INC0000000001", "INC0000000002").replace(
        f'"{valid_nhs_number(1)}"', "null"
    )
    (folder / "incidents_2025-03-04.jsonl").write_text(
        "\n".join([good, '{"incident_id": "INC00', untraced]) + "\n"
    )
    summary = load(INCIDENTS, workspace)
    assert (summary.rows_loaded, summary.rows_quarantined) == (2, 1)
    assert quarantine_rules(workspace) == {2: "invalid_json"}
    assert query(
        workspace["warehouse"], "select nhs_number_pseudonym from raw.ambulance__incidents"
    ) == [(pseudonymise(valid_nhs_number(1), KEY),), (None,)]


def write_workbook(path: Path, rows: list[list[str]], sheet: str = "Reablement") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    worksheet = workbook.add_worksheet(sheet)
    for r, row in enumerate([REABLEMENT.column_names, *rows]):
        for c, value in enumerate(row):
            worksheet.write_string(r, c, value)
    workbook.close()


def reablement_row(n: int, **overrides: str) -> list[str]:
    row = {
        "episode_id": f"RB{n:010d}",
        "nhs_number": valid_nhs_number(n),
        "council_person_id": f"C{n:07d}",
        "birth_year_month": "1941-06",
        "sex": "2",
        "lsoa_code": seed_codes("lsoas", "lsoa_code")[2],
        "hospital_discharge_date": "2024-12-02",
        "reablement_start_date": "2024-12-03",
        "follow_up_date": "2025-03-03",
        "outcome_91_day": "at_home",
    }
    row.update(overrides)
    return [row[c] for c in REABLEMENT.column_names]


def test_excel_workbooks_load_and_damaged_ones_are_rejected(workspace):
    folder = feed_folder(workspace["landing"], REABLEMENT)
    write_workbook(
        folder / "reablement_2025-Q1.xlsx",
        [reablement_row(1), reablement_row(2, outcome_91_day="at_the_pub")],
    )
    good = (folder / "reablement_2025-Q1.xlsx").read_bytes()
    (folder / "reablement_2025-Q2.xlsx").write_bytes(good[: len(good) // 2])
    summary = load(REABLEMENT, workspace)
    assert (summary.rows_loaded, summary.rows_quarantined, summary.files_rejected) == (1, 1, 1)
    assert quarantine_rules(workspace) == {2: "code_list"}
    assert query(
        workspace["warehouse"],
        "select nhs_number_pseudonym, council_person_id_pseudonym from raw.council__reablement",
    ) == [
        (
            pseudonymise(valid_nhs_number(1), KEY),
            pseudonymise("C0000001", KEY, "council:council_person_id"),
        )
    ]
    (raw_line,) = query(workspace["warehouse"], "select raw_line from raw.quarantine")[0]
    assert "C0000002" not in raw_line and "[council_person_id removed]" in raw_line


def test_no_clear_nhs_number_anywhere_in_the_warehouse(workspace):
    rows = [ae_row(n) for n in range(1, 30)] + [ae_row(40, nhs_number=invalid_nhs_number(40))]
    write_ae(workspace["landing"], "2025-03-04", rows)
    load(AE, workspace)
    columns = query(
        workspace["warehouse"],
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR'",
    )
    ten_digits = re.compile(r"(?<![0-9A-Za-z])[0-9]{10}(?![0-9A-Za-z])")
    for schema, table, column in columns:
        for (value,) in query(workspace["warehouse"], f'select "{column}" from {schema}.{table}'):
            for candidate in ten_digits.findall(value or ""):
                assert not is_valid(candidate), f"{schema}.{table}.{column} holds {candidate}"
                assert not candidate.startswith("999"), f"{schema}.{table}.{column}"


def test_a_missing_key_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv("FOOTPRINT_PSEUDONYMISATION_KEY", raising=False)
    monkeypatch.setenv("FOOTPRINT_KEY_FILE", str(tmp_path / "nowhere.key"))
    monkeypatch.setenv("FOOTPRINT_ENV", "production")
    with pytest.raises(MissingKeyError, match="No pseudonymisation key: set"):
        load_key()
