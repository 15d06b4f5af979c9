"""dbt source definitions generated from the feed contracts.

`footprint sources` writes models/staging/<organisation>/_<organisation>__sources.yml;
a test fails when a committed file differs from what the contracts say, so the column
list is only ever written once, in the contract.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from footprint.contracts import Contract, all_contracts
from footprint.paths import PROJECT_ROOT

HEADER = "# Generated from contracts/{organisation}/*.yml by `footprint sources`. Do not edit.\n"
LINEAGE_COLUMNS = [
    {"name": "_delivery_id", "description": "The delivery (raw.load_manifest) the row came from."},
    {"name": "_source_file", "description": "The delivered file, relative to the landing folder."},
    {"name": "_row_number", "description": "Data row in that file (header not counted)."},
    {"name": "_loaded_at", "description": "When the row was loaded (UTC)."},
]


def _column(contract: Contract, name: str) -> dict:
    column = contract.column(name)
    description = column.description
    if column.is_identifier:
        description += " Keyed HMAC-SHA256 pseudonym of the delivered value."
    entry: dict = {
        "name": column.loaded_name,
        "data_type": column.loaded_type,
        "description": description,
    }
    if column.required:
        entry["data_tests"] = ["not_null"]
    return entry


def _table(contract: Contract) -> dict:
    return {
        "name": contract.name,
        "description": f"{contract.title}. {contract.grain} "
        f"Delivered by the {contract.organisation} as {contract.kind} files, "
        f"one per {contract.period} ({contract.mode}).",
        "meta": {
            "organisation": contract.organisation,
            "contract": f"contracts/{contract.organisation}/{contract.feed}.yml",
        },
        "config": {
            "loaded_at_field": "_loaded_at",
            "freshness": {
                "warn_after": {"count": contract.expected_every_days + 1, "period": "day"},
                "error_after": {"count": 2 * contract.expected_every_days + 2, "period": "day"},
            },
        },
        "columns": [_column(contract, c.name) for c in contract.columns] + LINEAGE_COLUMNS,
    }


def render_sources(organisation: str) -> str:
    contracts = [c for c in all_contracts() if c.organisation == organisation]
    document = {
        "version": 2,
        "sources": [
            {
                "name": f"raw_{organisation}",
                "description": f"Deliveries from the {organisation}, as loaded by ingestion.",
                "schema": "raw",
                "tables": [_table(c) for c in contracts],
            }
        ],
    }
    body = yaml.safe_dump(document, sort_keys=False, width=100, allow_unicode=True)
    return HEADER.format(organisation=organisation) + body


def sources_path(organisation: str) -> Path:
    return PROJECT_ROOT / "models" / "staging" / organisation / f"_{organisation}__sources.yml"


def write_sources() -> list[Path]:
    written = []
    for organisation in sorted({c.organisation for c in all_contracts()}):
        path = sources_path(organisation)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_sources(organisation))
        written.append(path)
    return written
