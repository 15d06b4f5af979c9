"""Feed contracts: one YAML file per feed under contracts/<organisation>/<feed>.yml.

A contract is the only place a feed's columns are declared; ingestion, the dbt
source definitions, the synthetic generator and the delivery expectations all read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from footprint import yaml_text
from footprint.paths import CONTRACTS_DIR

FORMAT_TOKENS = {"%Y": 4, "%m": 2, "%d": 2, "%H": 2, "%M": 2, "%S": 2}
COLUMN_TYPES = {"varchar", "integer", "date", "timestamp", "nhs_number"}
PERIODS = {"day", "month", "quarter"}
MODES = {"append", "refresh"}
FORMATS = {"csv", "jsonl", "xlsx"}
RULE_KEYS = {
    "name",
    "type",
    "required",
    "description",
    "values",
    "reference",
    "min",
    "max",
    "earliest",
    "latest",
    "pattern",
    "format",
    "not_after_period_end_days",
    "not_before",
    "pseudonymise",
}


class ContractError(ValueError):
    """A contract file that does not follow contracts/README.md."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool
    description: str
    values: tuple[str, ...] | None = None
    reference: str | None = None
    min: float | None = None
    max: float | None = None
    earliest: date | None = None
    latest: date | None = None
    pattern: str | None = None
    format: str | None = None
    not_after_period_end_days: int | None = None
    not_before: str | None = None
    pseudonymise: bool = False

    @property
    def is_identifier(self) -> bool:
        """Replaced by a pseudonym on load."""
        return self.type == "nhs_number" or self.pseudonymise

    @property
    def format_pattern(self) -> str:
        """A regular expression for exactly the text `format` writes: two digits for
        day, month and time parts, four for the year."""
        pattern = re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", self.format or "")
        for token, digits in FORMAT_TOKENS.items():
            pattern = pattern.replace(token, f"[0-9]{{{digits}}}")
        return pattern

    @property
    def loaded_name(self) -> str:
        """Column name in the raw table."""
        return f"{self.name}_pseudonym" if self.is_identifier else self.name

    @property
    def loaded_type(self) -> str:
        if self.is_identifier or self.type == "nhs_number":
            return "varchar"
        return self.type


@dataclass(frozen=True)
class Contract:
    feed: str
    organisation: str
    title: str
    grain: str
    pattern: re.Pattern[str]
    period: str
    mode: str
    expected_every_days: int
    format: dict[str, Any]
    natural_key: tuple[str, ...]
    columns: tuple[Column, ...]
    path: Path = field(compare=False)

    @property
    def name(self) -> str:
        """The feed's full name, also its raw table: <organisation>__<feed>."""
        return f"{self.organisation}__{self.feed}"

    @property
    def kind(self) -> str:
        return self.format["kind"]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _fail(path: Path, message: str) -> ContractError:
    return ContractError(f"{path}: {message} (see contracts/README.md)")


_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
_REFERENCE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


def _parse_column(path: Path, raw: dict[str, Any]) -> Column:
    # names and rules are written into validation SQL, so only plain forms are allowed
    if not _IDENTIFIER.match(str(raw.get("name", ""))):
        raise _fail(path, f"column name {raw.get('name')!r} must be lowercase snake_case")
    if raw.get("reference") and not _REFERENCE.match(raw["reference"]):
        raise _fail(path, f"column {raw['name']!r}: reference must be <seed>.<column>")
    texts = [str(v) for v in raw.get("values") or []]
    texts += [str(raw.get(k)) for k in ("pattern", "format") if raw.get(k)]
    if any("'" in t for t in texts):
        raise _fail(path, f"column {raw['name']!r}: values, pattern and format cannot contain '")
    for bound in ("min", "max", "not_after_period_end_days"):
        if raw.get(bound) is not None and not isinstance(raw[bound], int | float):
            raise _fail(path, f"column {raw['name']!r}: {bound} must be a number")
    for bound in ("earliest", "latest"):
        if raw.get(bound) is not None and (
            raw.get("type") not in ("date", "timestamp") or type(raw[bound]) is not date
        ):
            raise _fail(
                path,
                f"column {raw['name']!r}: {bound} must be a date (YYYY-MM-DD) "
                f"on a date or timestamp column",
            )
    if raw.get("type") in ("date", "timestamp"):
        leftover = re.sub("|".join(FORMAT_TOKENS), "", str(raw.get("format") or ""))
        if not raw.get("format") or "%" in leftover:
            raise _fail(
                path,
                f"column {raw['name']!r}: a {raw['type']} needs a format built "
                f"from {', '.join(FORMAT_TOKENS)}",
            )
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise _fail(path, f"column {raw.get('name')!r} has unknown keys {sorted(unknown)}")
    if raw.get("type") not in COLUMN_TYPES:
        raise _fail(
            path,
            f"column {raw.get('name')!r} has type {raw.get('type')!r}; "
            f"expected one of {sorted(COLUMN_TYPES)}",
        )
    values = raw.get("values")
    return Column(
        name=raw["name"],
        type=raw["type"],
        required=bool(raw.get("required", False)),
        description=raw.get("description", ""),
        values=tuple(str(v) for v in values) if values is not None else None,
        reference=raw.get("reference"),
        min=raw.get("min"),
        max=raw.get("max"),
        earliest=raw.get("earliest"),
        latest=raw.get("latest"),
        pattern=raw.get("pattern"),
        format=raw.get("format"),
        not_after_period_end_days=raw.get("not_after_period_end_days"),
        not_before=raw.get("not_before"),
        pseudonymise=bool(raw.get("pseudonymise", False)),
    )


def load_contract(path: Path) -> Contract:
    raw = yaml_text.load(path.read_text())
    try:
        delivery, fmt = raw["delivery"], raw["format"]
        columns = tuple(_parse_column(path, c) for c in raw["columns"])
        contract = Contract(
            feed=raw["feed"],
            organisation=raw["organisation"],
            title=raw["title"],
            grain=raw["grain"],
            pattern=re.compile(delivery["pattern"], re.ASCII),  # \d: 0-9 only
            period=delivery["period"],
            mode=delivery["mode"],
            expected_every_days=int(delivery["expected_every_days"]),
            format=fmt,
            natural_key=tuple(raw["natural_key"]),
            columns=columns,
            path=path,
        )
    except KeyError as missing:
        raise _fail(path, f"missing key {missing}") from None
    if contract.period not in PERIODS:
        raise _fail(path, f"delivery.period {contract.period!r} not in {sorted(PERIODS)}")
    if contract.mode not in MODES:
        raise _fail(path, f"delivery.mode {contract.mode!r} not in {sorted(MODES)}")
    if contract.kind not in FORMATS:
        raise _fail(path, f"format.kind {contract.kind!r} not in {sorted(FORMATS)}")
    if "period" not in contract.pattern.groupindex:
        raise _fail(path, "delivery.pattern needs a named group (?P<period>...)")
    if path.parent.name != contract.organisation or path.stem != contract.feed:
        raise _fail(path, "file must be contracts/<organisation>/<feed>.yml")
    names = contract.column_names
    for key in contract.natural_key:
        if key not in names:
            raise _fail(path, f"natural_key column {key!r} is not a column")
    for c in columns:
        if c.not_before and c.not_before not in names:
            raise _fail(path, f"column {c.name!r}: not_before names unknown column")
    return contract


@cache
def all_contracts(contracts_dir: Path = CONTRACTS_DIR) -> tuple[Contract, ...]:
    """Every feed contract, sorted by organisation then feed."""
    paths = sorted(contracts_dir.glob("*/*.yml"))
    return tuple(load_contract(p) for p in paths)


def contract_for(name: str) -> Contract:
    """A contract by its full name, e.g. 'trust__ae_attendances'."""
    for c in all_contracts():
        if c.name == name:
            return c
    known = ", ".join(c.name for c in all_contracts())
    raise KeyError(f"no contract for feed {name!r}; known feeds: {known}")
