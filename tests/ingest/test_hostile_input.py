"""Deliveries outside the generator's fault catalogue, sent as a careless exporter or an
attacker of the parser would: every row is loaded or quarantined with its rule, nothing
is coerced silently, and the accounting rows_read = loaded + quarantined holds."""

from __future__ import annotations

import hashlib
import json

import openpyxl
import pytest
import xlsxwriter

from footprint.contracts import contract_for
from footprint.ingest import loader
from footprint.nhs_number import pseudonymise
from tests.ingest.helpers import feed_folder, query, seed_codes, valid_nhs_number
from tests.ingest.test_loader import (
    AE,
    INCIDENTS,
    KEY,
    REABLEMENT,
    SPELLS,
    ae_row,
    load,
    quarantine_rules,
    reablement_row,
    spell_row,
    write_ae,
)

EVENTS = contract_for("council__asc_events")
MAP = contract_for("ccg__practice_map")
AE_FILE = "trust/ae_attendances/ae_attendances_2025-03-04.csv"


def dashed(number: str) -> str:
    return f"{number[:3]}-{number[3:6]}-{number[6:]}"


def manifest(workspace) -> list[tuple]:
    return query(
        workspace["warehouse"],
        "select file_path, status, rows_read, rows_loaded, rows_quarantined, message "
        "from raw.load_manifest order by file_path, started_at",
    )


def assert_accounted(workspace) -> None:
    for path, _, read, loaded, quarantined, _ in manifest(workspace):
        assert read == loaded + quarantined, path


def loaded_rows(workspace, table: str = "raw.trust__ae_attendances") -> list[int]:
    return [
        r for (r,) in query(workspace["warehouse"], f"select _row_number from {table} order by 1")
    ]


def write_bytes(workspace, contract, name: str, content: bytes):
    path = feed_folder(workspace["landing"], contract) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def ae_text(rows: list[list[str]], newline: str = "\n") -> bytes:
    lines = ["|".join(AE.column_names), *("|".join(r) for r in rows)]
    return "".join(line + newline for line in lines).encode()


# 1. a malformed NHS number is one quarantined row, never a failed night
@pytest.mark.parametrize(
    "nhs_number",
    [dashed(valid_nhs_number(2)), "UNKNOWN", valid_nhs_number(2)[:9], "٩٩٩٠٠٠٠٠٠٢", "999 000 00 2"],
    ids=["dashed", "word", "nine_digits", "arabic_digits", "badly_spaced"],
)
def test_a_malformed_nhs_number_is_quarantined_and_every_other_row_loads(workspace, nhs_number):
    write_ae(
        workspace["landing"], "2025-03-04", [ae_row(1), ae_row(2, nhs_number=nhs_number), ae_row(3)]
    )
    summary = load(AE, workspace)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_quarantined) == (3, 2, 1)
    assert quarantine_rules(workspace) == {2: "nhs_number"}
    assert loaded_rows(workspace) == [1, 3]


def test_json_nan_and_numbers_in_place_of_an_nhs_number_are_quarantined(workspace):
    lsoa = seed_codes("lsoas", "lsoa_code")[0]

    def incident(n: int, nhs: str) -> str:
        return (
            f'{{"incident_id":"INC{n:010d}","call_at":"2025-03-04T08:00:00","category":"C2",'
            f'"lsoa_code":"{lsoa}","outcome":"see_and_convey","nhs_number":{nhs}}}'
        )

    lines = [
        incident(1, f'"{valid_nhs_number(1)}"'),
        incident(2, "NaN"),
        incident(3, "9.99e9"),
        incident(4, valid_nhs_number(4)),  # a JSON number with the right digits is the number
    ]
    write_bytes(
        workspace, INCIDENTS, "incidents_2025-03-04.jsonl", "\n".join(lines).encode() + b"\n"
    )
    summary = load(INCIDENTS, workspace)
    assert quarantine_rules(workspace) == {2: "nhs_number", 3: "nhs_number"}
    assert (summary.rows_loaded, summary.rows_quarantined) == (2, 2)
    assert query(
        workspace["warehouse"],
        "select nhs_number_pseudonym from raw.ambulance__incidents order by _row_number",
    ) == [(pseudonymise(valid_nhs_number(1), KEY),), (pseudonymise(valid_nhs_number(4), KEY),)]


# 2. records are parsed as a CSV reader parses them
def test_a_quote_all_export_loads_exactly_as_the_plain_one(workspace):
    rows = [ae_row(1), ae_row(2), ae_row(3)]
    quoted = ["|".join(f'"{v}"' for v in row) for row in [AE.column_names, *rows]]
    write_bytes(workspace, AE, "ae_attendances_2025-03-04.csv", ("\n".join(quoted) + "\n").encode())
    plain = ae_text(
        [
            ae_row(n, arrival_at="2025-03-05 10:15:00", departure_at="2025-03-05 14:40:00")
            for n in (1, 2, 3)
        ]
    )
    write_bytes(workspace, AE, "ae_attendances_2025-03-05.csv", plain)
    summary = load(AE, workspace)
    assert (summary.rows_loaded, summary.rows_quarantined) == (6, 0)
    by_file = query(
        workspace["warehouse"],
        "select _source_file, list(attendance_id order by _row_number), "
        "list(age order by _row_number), list(nhs_number_pseudonym order by _row_number) "
        "from raw.trust__ae_attendances group by 1 order by 1",
    )
    assert by_file[0][1:] == by_file[1][1:]


def test_line_breaks_and_delimiters_inside_quotes_keep_every_later_row_number(workspace):
    rows = [
        "|".join(ae_row(1)),
        "|".join(ae_row(2, chief_complaint='"break\nfast"')),  # a line break inside quotes
        "|".join(ae_row(3, chief_complaint='"fall|injury"')),  # the delimiter inside quotes
        "|".join(ae_row(4)),
        "|".join(ae_row(5, chief_complaint='"fall"x')),  # text after a closing quote
        "|".join(ae_row(6)),
    ]
    text = (
        "|".join(AE.column_names)
        + "\r\n"
        + "\n".join(rows[:3])
        + "\r"
        + "\r\n".join(rows[3:])
        + "\n"
    )
    write_bytes(workspace, AE, "ae_attendances_2025-03-04.csv", text.encode())
    summary = load(AE, workspace)
    assert (summary.rows_read, summary.rows_loaded) == (6, 3)
    assert quarantine_rules(workspace) == {2: "code_list", 3: "code_list", 5: "unreadable_row"}
    assert loaded_rows(workspace) == [1, 4, 6]
    (raw_line,) = query(
        workspace["warehouse"], "select raw_line from raw.quarantine where row_number = 2"
    )[0]
    assert '"break\nfast"' in raw_line  # kept as delivered, across its two lines


def test_a_stray_quote_is_text_and_an_unclosed_one_rejects_the_file(workspace):
    names = ["Dr O\"Neill's Surgery", 'The "Old" Mill']
    practices = seed_codes("practices", "practice_code")
    sdf = seed_codes("sdfs", "sdf_code")[0]
    lines = [",".join(MAP.column_names)]
    lines += [f"{practices[i]},{name},U0000{i},PCN {i},{sdf}" for i, name in enumerate(names)]
    write_bytes(workspace, MAP, "practice_map_2025-03.csv", ("\n".join(lines) + "\n").encode())
    broken = [*lines, f'{practices[2]},"Unclosed,U00002,PCN 2,{sdf}']
    write_bytes(workspace, MAP, "practice_map_2025-04.csv", ("\n".join(broken) + "\n").encode())
    summary = load(MAP, workspace)
    assert {
        n
        for (n,) in query(workspace["warehouse"], "select practice_name from raw.ccg__practice_map")
    } == set(names)
    ((status, message),) = query(
        workspace["warehouse"],
        "select status, message from raw.load_manifest where period = '2025-04'",
    )
    assert status == "rejected" and "quote opened on line 4 is never closed" in message
    assert any("2025-04" in m and "never closed" in m for m in summary.messages)


# 3. nothing that is not exactly the contract's type is coerced
@pytest.mark.parametrize(
    "age", ["42.7", "1e2", "1_0", "0x3", "2.5", "٤٢", "42 years", "99999999999999999999"]
)
def test_an_integer_that_is_not_exactly_an_integer_is_quarantined(workspace, age):
    write_ae(workspace["landing"], "2025-03-04", [ae_row(1, age=age), ae_row(2, age=" 42 ")])
    load(AE, workspace)
    assert quarantine_rules(workspace) == {1: "type"}
    assert query(workspace["warehouse"], "select age from raw.trust__ae_attendances") == [(42,)]


def event_row(n: int, **overrides: str) -> list[str]:
    row = {
        "event_id": f"EV{n:010d}",
        "nhs_number": valid_nhs_number(n),
        "council_person_id": f"C{n:07d}",
        "birth_year_month": "1941-06",
        "sex": "2",
        "lsoa_code": seed_codes("lsoas", "lsoa_code")[0],
        "event_type": "service",
        "start_date": "02/01/2025",
        "end_date": "",
        "service_type": "home_care",
        "outcome": "ongoing",
    }
    row.update(overrides)
    return [row.get(c, "") for c in EVENTS.column_names]


@pytest.mark.parametrize(
    ("start_date", "rule"),
    [
        ("08/09/17", "type"),  # a two-digit year would be read as the year 17
        ("8/9/2017", "type"),
        ("08/09/0017", "implausible_date"),
        ("2025-01-02", "type"),
        ("31/02/2025", "type"),
    ],
)
def test_a_date_not_in_the_contracts_form_or_implausible_is_quarantined(
    workspace, start_date, rule
):
    assert EVENTS.column("start_date").format == "%d/%m/%Y"
    folder = feed_folder(workspace["landing"], EVENTS)
    lines = [
        ",".join(EVENTS.column_names),
        ",".join(event_row(1)),
        ",".join(event_row(2, start_date=start_date)),
    ]
    (folder / "asc_events_2025-Q1.csv").write_text("\n".join(lines) + "\n")
    summary = load(EVENTS, workspace)
    assert quarantine_rules(workspace) == {2: rule}, query(
        workspace["warehouse"], "select message from raw.quarantine"
    )
    assert summary.rows_loaded == 1


# 4. Excel: cells are what Excel shows, and a formula without a value is not a blank
def test_excel_date_cells_load_and_a_formula_without_a_saved_value_is_quarantined(workspace):
    from datetime import datetime

    folder = feed_folder(workspace["landing"], REABLEMENT)
    path = folder / "reablement_2025-Q1.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Reablement")
    dates = workbook.add_format({"num_format": "dd/mm/yyyy"})
    names = REABLEMENT.column_names
    sheet.write_row(0, 0, names)
    for r, row in enumerate([reablement_row(1), reablement_row(2), reablement_row(3)], start=1):
        sheet.write_row(r, 0, row)
    discharge = names.index("hospital_discharge_date")
    sheet.write_datetime(1, discharge, datetime(2024, 12, 2), dates)  # a real date cell
    sheet.write_datetime(2, discharge, datetime(2024, 12, 2, 13, 30), dates)  # date and time
    sheet.write_formula(3, names.index("outcome_91_day"), '="at_"&"home"', None, "at_home")
    workbook.close()
    # a formula saved by a tool that does not calculate: no value in the file
    uncalculated = openpyxl.load_workbook(path)
    uncalculated["Reablement"].append([*reablement_row(4)[:-1], '=IF(1,"at_home","")'])
    uncalculated.save(folder / "reablement_2025-Q2.xlsx")
    summary = load(REABLEMENT, workspace)
    rules = query(
        workspace["warehouse"],
        "select file_path, row_number, rule, message from raw.quarantine order by 1, 2",
    )
    assert [(r[0][-12:], r[1], r[2]) for r in rules] == [
        ("2025-Q1.xlsx", 2, "type"),
        ("2025-Q2.xlsx", 2, "type"),
        # a tool that does not calculate drops every saved value when it saves
        ("2025-Q2.xlsx", 3, "formula_without_value"),
        ("2025-Q2.xlsx", 4, "formula_without_value"),
    ]
    assert "cell J5 holds a formula" in rules[3][3]
    assert summary.rows_loaded == 3
    assert query(
        workspace["warehouse"],
        "select distinct hospital_discharge_date::varchar, outcome_91_day "
        "from raw.council__reablement",
    ) == [("2024-12-02", "at_home")]


# 5. re-deliveries are recognised before the raw tables change
def spells_file(workspace, name: str, rows: int) -> None:
    lines = [SPELLS.column_names, *(spell_row(n) for n in range(1, rows + 1))]
    text = "".join(SPELLS.format["delimiter"].join(r) + "\n" for r in lines)
    write_bytes(workspace, SPELLS, name, text.encode())


def test_a_header_only_refresh_cannot_empty_a_month(workspace):
    spells_file(workspace, "inpatient_spells_2025-03.csv", 4)
    load(SPELLS, workspace)
    spells_file(workspace, "inpatient_spells_2025-03_v2.csv", 0)
    summary = load(SPELLS, workspace)
    assert summary.files_rejected == 1 and summary.files_superseded == 0
    statuses = {p.split("spells_")[-1]: (s, m) for p, s, *_, m in manifest(workspace)}
    assert statuses["2025-03.csv"][0] == "loaded"
    assert (
        statuses["2025-03_v2.csv"][0] == "rejected"
        and "would replace the 4 rows" in statuses["2025-03_v2.csv"][1]
    )
    assert len(loaded_rows(workspace, "raw.trust__inpatient_spells")) == 4
    spells_file(workspace, "inpatient_spells_2025-03_v3.csv", 1)
    summary = load(SPELLS, workspace)
    assert (
        summary.files_superseded == 1 and "check that the export is complete" in summary.messages[0]
    )


def test_the_same_rows_resent_with_crlf_or_a_bom_are_a_duplicate(workspace):
    rows = [ae_row(1), ae_row(2)]
    write_bytes(workspace, AE, "ae_attendances_2025-03-04.csv", ae_text(rows))
    load(AE, workspace)
    write_bytes(workspace, AE, "resent/ae_attendances_2025-03-04.csv", ae_text(rows, "\r\n"))
    write_bytes(
        workspace, AE, "again/ae_attendances_2025-03-04.csv", b"\xef\xbb\xbf" + ae_text(rows)
    )
    summary = load(AE, workspace)
    assert summary.files_duplicate == 2 and summary.rows_read == 0
    assert len(loaded_rows(workspace)) == 2


def test_a_period_in_other_digits_is_not_a_period(workspace):
    write_bytes(workspace, AE, "ae_attendances_٢٠٢٥-03-04.csv", ae_text([ae_row(1)]))
    summary = load(AE, workspace)
    assert summary.files_rejected == 1 and summary.rows_read == 0
    assert "does not match the feed's pattern" in summary.messages[0]


# 6. JSON lines: a key twice, or a contract name misspelled, is never guessed at
def test_json_duplicate_and_misspelled_keys_are_quarantined_and_extra_keys_reported(workspace):
    lsoa = seed_codes("lsoas", "lsoa_code")[0]
    base = {
        "incident_id": "INC0000000001",
        "call_at": "2025-03-04T08:00:00",
        "category": "C2",
        "lsoa_code": lsoa,
        "outcome": "see_and_convey",
        "nhs_number": valid_nhs_number(1),
    }

    def line(n: int, **changes) -> str:
        record = {**base, "incident_id": f"INC{n:010d}", **changes}
        return json.dumps({k: v for k, v in record.items() if v is not None})

    lines = [
        line(1),
        line(2)[:-1] + ',"category":"C1"}',  # the same key twice
        line(3, nhs_number=None, NHS_Number=valid_nhs_number(3)),
        line(4, notes="called back"),
    ]
    write_bytes(
        workspace, INCIDENTS, "incidents_2025-03-04.jsonl", ("\n".join(lines) + "\n").encode()
    )
    summary = load(INCIDENTS, workspace)
    assert quarantine_rules(workspace) == {2: "duplicate_json_key", 3: "misspelled_json_key"}
    assert summary.rows_loaded == 2
    assert any("unexpected key 'notes' in 1 row(s) ignored" in m for m in summary.messages)
    messages = [
        m
        for (m,) in query(
            workspace["warehouse"], "select message from raw.quarantine order by row_number"
        )
    ]
    assert "(category)" in messages[0] and "NHS_Number" in messages[1]


# 7. no clear NHS number reaches the quarantine, whatever its form
def test_an_nhs_number_in_any_common_form_is_masked_in_the_quarantine(workspace):
    number = valid_nhs_number(7)
    forms = [
        dashed(number),
        f"{number[:3]} {number[3:6]} {number[6:]}",
        f"{number[:3]}.{number[3:6]}.{number[6:]}",
        number,
    ]
    rows = [ae_row(n, nhs_number=form, sex="X") for n, form in enumerate(forms, start=1)]
    write_ae(workspace["landing"], "2025-03-04", rows)
    load(AE, workspace)
    for (raw_line,) in query(workspace["warehouse"], "select raw_line from raw.quarantine"):
        digits = "".join(ch for ch in raw_line if ch.isdigit())
        assert number not in digits.replace(number[:3] + "0", ""), raw_line
        assert "removed]" in raw_line


# 8. the bytes loaded are the bytes hashed
def test_a_file_still_being_written_is_left_for_the_next_run_whole(workspace, monkeypatch):
    path = write_ae(workspace["landing"], "2025-03-04", [ae_row(1), ae_row(2)])
    reads = []
    real_read = loader.read_delivery

    def read_while_written(contract, file):
        reads.append(file)
        if len(reads) == 2:  # the writer adds a row between the hash and the load
            with file.open("a") as handle:
                handle.write("|".join(ae_row(3)) + "\n")
        return real_read(contract, file)

    monkeypatch.setattr(loader, "read_delivery", read_while_written)
    summary = load(AE, workspace)
    assert summary.files_rejected == 1 and summary.rows_read == 0
    assert "changed while it was being read" in summary.messages[0]
    assert loaded_rows(workspace) == []
    summary = load(AE, workspace)
    assert summary.files_loaded == 1
    ((sha256, rows_read),) = query(
        workspace["warehouse"],
        "select sha256, rows_read from raw.load_manifest where status = 'loaded'",
    )
    assert sha256 == hashlib.sha256(path.read_bytes()).hexdigest() and rows_read == 3
    assert loaded_rows(workspace) == [1, 2, 3]


# 9. a symbolic link is reported and recorded, once
def test_a_symbolic_link_is_recorded_as_rejected_with_why(workspace, tmp_path):
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_bytes(ae_text([ae_row(1)]))
    (feed_folder(workspace["landing"], AE) / "ae_attendances_2025-03-04.csv").symlink_to(elsewhere)
    summary = load(AE, workspace)
    assert summary.files_rejected == 1 and "symbolic link" in summary.messages[0]
    assert [(p, s) for p, s, *_ in manifest(workspace)] == [(AE_FILE, "rejected")]
    assert load(AE, workspace).files_seen == 0  # recorded once, not every night
    assert len(manifest(workspace)) == 1


# beyond the list: what else an attacker of this parser would try
@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("|".join(ae_row(2, chief_complaint="fall\x00")), "code_list"),  # a NUL byte
        ("|".join(ae_row(2, chief_complaint="fall\x1fother")), "code_list"),  # a unit separator
        ("|" * 11, "blank_line"),  # only delimiters
        ("|".join(ae_row(2)) + "|x" * 5000, "wrong_column_count"),  # thousands of fields
        ("|".join(ae_row(2, age="-0x1")), "type"),
        ("|".join(ae_row(2, arrival_at="2025-03-04 10:15:00.5")), "type"),
        ("|".join(ae_row(2, arrival_at="2025-03-04T10:15:00")), "type"),
        ("|".join(ae_row(2, arrival_at="2025-03-04 25:15:00")), "type"),
    ],
    ids=[
        "nul",
        "unit_separator",
        "only_delimiters",
        "many_fields",
        "signed_hex",
        "fraction",
        "iso_t",
        "hour_25",
    ],
)
def test_odd_rows_are_quarantined_without_disturbing_their_neighbours(workspace, line, rule):
    text = ae_text([ae_row(1)]) + line.encode() + b"\n" + "|".join(ae_row(3)).encode() + b"\n"
    write_bytes(workspace, AE, "ae_attendances_2025-03-04.csv", text)
    summary = load(AE, workspace)
    assert quarantine_rules(workspace) == {2: rule}
    assert loaded_rows(workspace) == [1, 3] and summary.rows_read == 3
    assert_accounted(workspace)


def test_a_file_in_utf16_or_with_only_carriage_returns_is_handled_whole(workspace):
    write_bytes(
        workspace,
        AE,
        "ae_attendances_2025-03-04.csv",
        ae_text([ae_row(1)]).decode().encode("utf-16"),
    )
    old_mac = ae_text(
        [
            ae_row(n, arrival_at="2025-03-05 10:15:00", departure_at="2025-03-05 14:40:00")
            for n in (1, 2)
        ]
    )
    write_bytes(workspace, AE, "ae_attendances_2025-03-05.csv", old_mac.replace(b"\n", b"\r"))
    summary = load(AE, workspace)
    assert summary.files_rejected == 1 and "not UTF-8" in summary.messages[0]
    assert (summary.rows_read, summary.rows_loaded) == (2, 2)
    assert_accounted(workspace)
