"""The planted SDF trends are recorded in truth.json and can be found in the files (slow:
a full 24-month run at scale 1)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from footprint.paths import SEEDS_DIR
from footprint.synth.generator import GeneratorOptions, generate

pytestmark = pytest.mark.slow
SPLIT = "2025-11-01"  # first delivered year against the second


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, duckdb.DuckDBPyConnection]:
    out = tmp_path_factory.mktemp("full") / "landing"
    generate(GeneratorOptions(out=out, quiet=True))
    con = duckdb.connect()
    con.read_csv(str(SEEDS_DIR / "lsoas.csv"), all_varchar=True).create_view("lsoas")
    trust = out / "trust"
    con.read_csv(
        str(trust / "inpatient_spells" / "*.csv"), delimiter="|", all_varchar=True
    ).create_view("spells")
    con.read_csv(
        str(trust / "ae_attendances" / "*.csv"), delimiter="|", all_varchar=True
    ).create_view("ae")
    con.read_json(
        str(out / "ambulance" / "incidents" / "*.jsonl"),
        format="newline_delimited",
        columns=dict.fromkeys(
            ("incident_id", "call_at", "category", "lsoa_code", "outcome", "nhs_number"),
            "VARCHAR",
        ),
    ).create_view("incidents")
    return out, con


def _by_year(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, tuple[float, float]]:
    """{sdf: (first year, second year)} from a query returning sdf, year (1/2), value."""
    values: dict[str, dict[int, float]] = {}
    for sdf, year, value in con.execute(sql).fetchall():
        values.setdefault(sdf, {})[year] = value
    return {sdf: (v[1], v[2]) for sdf, v in values.items()}


def _year(column: str) -> str:
    return f"case when cast({column} as date) < date '{SPLIT}' then 1 else 2 end"


def test_truth_records_every_lever_by_sdf(full_run):
    out, _ = full_run
    truth = json.loads((out / "_generator" / "truth.json").read_text())
    levers = truth["planted"]["levers"]
    conveyance = {s["sdf_order"]: s for s in levers["conveyance"]["sdfs"]}
    assert conveyance[3]["effect"] == "improving" and conveyance[3]["direction"] == "falling"
    assert {s["effect"] for o, s in conveyance.items() if o != 3} == {"none"}
    readmission = {s["sdf_order"]: s["effect"] for s in levers["readmission"]["sdfs"]}
    assert readmission[4] == "worsening"
    reablement = {s["sdf_order"]: s["effect"] for s in levers["reablement_at_home"]["sdfs"]}
    assert reablement[2] == "improving"


def test_conveyance_falls_in_one_sdf_only(full_run):
    _, con = full_run
    rates = _by_year(
        con,
        f"select sdf_code, {_year('call_at')}, 100 * avg((outcome = 'see_and_convey')::int) "
        "from incidents join lsoas using (lsoa_code) group by all",
    )
    changes = {sdf: second - first for sdf, (first, second) in rates.items()}
    falling = min(changes, key=changes.get)
    assert changes.pop(falling) < -5
    assert all(abs(c) < 2.5 for c in changes.values())


def test_a_and_e_use_of_the_over_75s_rises_in_one_sdf(full_run):
    _, con = full_run
    counts = _by_year(
        con,
        f"select sdf_code, {_year('arrival_at')}, count(*) from ae join lsoas using (lsoa_code) "
        "where age::int >= 75 group by all",
    )
    ratios = {sdf: second / first for sdf, (first, second) in counts.items()}
    rising = max(ratios, key=ratios.get)
    assert ratios[rising] > 1.1


def test_readmissions_worsen_in_one_sdf(full_run):
    _, con = full_run
    rates = _by_year(
        con,
        f"""
        with s as (
            select *, cast(admission_date as date) as admitted,
                cast(discharge_date as date) as discharged
            from spells
        ), index_spells as (
            select * from s
            where discharge_destination <> '79' and discharged <= date '2026-09-30'
        )
        select l.sdf_code, {_year("i.discharged")},
            100 * avg((exists (
                select 1 from s as r
                where r.nhs_number = i.nhs_number and r.spell_id <> i.spell_id
                    and r.admission_method similar to '2.|28'
                    and r.admitted between i.discharged and i.discharged + 29
            ))::int)
        from index_spells as i join lsoas as l using (lsoa_code)
        group by all
        """,
    )
    changes = {sdf: second - first for sdf, (first, second) in rates.items()}
    worst = max(changes, key=changes.get)
    assert changes.pop(worst) > 3
    assert max(changes.values()) < 2


def test_reablement_outcomes_improve_in_one_sdf(full_run):
    out, con = full_run
    frames = [
        pd.read_excel(path, dtype=str, keep_default_na=False)
        for path in sorted((out / "council" / "reablement").glob("*.xlsx"))
    ]
    con.register("reablement", pd.concat(frames))
    rates = _by_year(
        con,
        f"select sdf_code, {_year('hospital_discharge_date')}, "
        "100 * avg((outcome_91_day = 'at_home')::int) "
        "from reablement join lsoas using (lsoa_code) group by all",
    )
    changes = {sdf: second - first for sdf, (first, second) in rates.items()}
    best = max(changes, key=changes.get)
    assert changes[best] > 5


def test_delayed_discharge_days_rise_in_one_sdf(full_run):
    out, con = full_run
    con.read_csv(
        str(out / "trust" / "delayed_discharges" / "*.csv"), delimiter="|", all_varchar=True
    ).create_view("delays")
    days = _by_year(
        con,
        f"select sdf_code, {_year('d.discharge_date')}, "
        "sum(datediff('day', cast(medically_fit_date as date), cast(d.discharge_date as date))) "
        "from delays as d join spells using (spell_id) join lsoas using (lsoa_code) group by all",
    )
    ratios = {sdf: second / first for sdf, (first, second) in days.items()}
    rising = max(ratios, key=ratios.get)
    assert ratios[rising] > 1.2
