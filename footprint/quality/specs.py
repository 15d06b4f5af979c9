"""Suites and checkpoints as committed files: expectations/suites/*.yml and
expectations/checkpoints/*.yml (the format is described in expectations/README.md).

Loading a file checks its shape and says which file and which entry is wrong; it does
not import Great Expectations (the Dagster definitions read these files at load time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from footprint import yaml_text
from footprint.paths import PROJECT_ROOT

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SEVERITIES = ("blocking", "warning")
PARAMETER = "$PARAMETER"
COLUMN_ARGUMENTS = ("column", "column_A", "column_B", "value_column")
COLUMN_LIST_ARGUMENTS = ("column_list", "group_by")

# Parameters every delivery batch has (dates of the delivery period, from the manifest).
DELIVERY_PARAMETERS = ("period_start", "period_end")

# Kinds of runtime parameter a checkpoint can ask for, and what each one takes.
#   seed: <seed>.<column> | [...]      the distinct values of reference seed columns
#   model: {name, column}              the distinct values of a dbt model's column
#   previous_delivery_rows: [lo, hi]   <name>_min / <name>_max: lo and hi times the rows
#                                      of the feed's previous delivery (delivery only)
#   last_published_rows: [lo, hi]      <name>_min / <name>_max: lo and hi times the rows
#                                      of the mart in the last published build (mart only)
#                                      (either side may be null: that parameter is not made)
BAND_KINDS = ("previous_delivery_rows", "last_published_rows")
PARAMETER_KINDS = ("seed", "model", *BAND_KINDS)

CONTRACT_RULES = ("code_lists", "references", "ranges", "patterns", "period_dates")


class ExpectationsFileError(ValueError):
    """A suite or checkpoint file that does not follow expectations/README.md."""


def _fail(path: Path, message: str) -> ExpectationsFileError:
    return ExpectationsFileError(f"{path}: {message} (see expectations/README.md)")


def parameter_names(value: Any) -> set[str]:
    """Every {$PARAMETER: name} inside a (nested) expectation argument."""
    if isinstance(value, Mapping):
        if PARAMETER in value:
            return {str(value[PARAMETER])}
        return set().union(*(parameter_names(v) for v in value.values()))
    if isinstance(value, list | tuple):
        return set().union(*(parameter_names(v) for v in value))
    return set()


def condition_columns(condition: Any) -> list[str]:
    """Columns named in a Great Expectations row condition, given as its JSON form
    ({type: comparison, column: {name: ...}, ...}, or and/or of those)."""
    if isinstance(condition, Mapping):
        own = [str(condition["column"]["name"])] if "column" in condition else []
        return own + [
            c for part in condition.get("conditions", []) for c in condition_columns(part)
        ]
    return []


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation: a Great Expectations type and arguments, with our severity."""

    type: str
    kwargs: Mapping[str, Any]
    severity: str
    description: str
    name: str
    source: str = "suite"  # "suite" (written in the file) or "contract" (generated)

    @property
    def blocking(self) -> bool:
        return self.severity == "blocking"

    @property
    def columns(self) -> list[str]:
        """The columns the expectation looks at, in argument order, then the columns of
        its row condition."""
        names = [str(self.kwargs[k]) for k in COLUMN_ARGUMENTS if k in self.kwargs]
        for key in COLUMN_LIST_ARGUMENTS:
            names += [str(c) for c in self.kwargs.get(key, [])]
        names += condition_columns(self.kwargs.get("row_condition"))
        return list(dict.fromkeys(names))

    @property
    def parameters(self) -> set[str]:
        return parameter_names(dict(self.kwargs))

    def to_gx(self) -> dict[str, Any]:
        """The expectation as Great Expectations' own JSON (type, kwargs, meta)."""
        return {
            "type": self.type,
            "kwargs": dict(self.kwargs),
            "meta": {
                "name": self.name,
                "severity": self.severity,
                "description": self.description,
                "source": self.source,
            },
        }


@dataclass(frozen=True)
class ContractRules:
    """Which kinds of expectation a delivery suite generates from the feed's contract,
    each with its severity (None: not generated)."""

    code_lists: str | None = None
    references: str | None = None
    ranges: str | None = None
    patterns: str | None = None
    period_dates: str | None = None
    # days a period-bound date may fall before the period starts (default 0);
    # None for a column: no lower bound
    days_before_period_start: Mapping[str, int | None] = field(default_factory=dict)

    @property
    def severities(self) -> set[str]:
        return {s for s in (getattr(self, rule) for rule in CONTRACT_RULES) if s}


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    description: str
    expectations: tuple[ExpectationSpec, ...]
    from_contract: ContractRules | None
    path: Path

    @property
    def has_blocking(self) -> bool:
        severities = {e.severity for e in self.expectations}
        if self.from_contract:
            severities |= self.from_contract.severities
        return "blocking" in severities


@dataclass(frozen=True)
class ParameterSource:
    """A runtime parameter the checkpoint computes before each validation."""

    name: str
    kind: str
    argument: Any

    @property
    def provides(self) -> tuple[str, ...]:
        if self.kind in BAND_KINDS:
            low, high = self.argument
            return tuple(
                f"{self.name}_{side}"
                for side, fraction in (("min", low), ("max", high))
                if fraction is not None
            )
        return (self.name,)


@dataclass(frozen=True)
class CheckpointSpec:
    name: str
    description: str
    suite_name: str
    kind: str  # "delivery": one batch per delivery of a feed; "mart": one published mart
    target: str  # the feed (<organisation>__<feed>) or the dbt model name
    parameters: tuple[ParameterSource, ...]
    path: Path
    expectations_dir: Path

    @cached_property
    def suite(self) -> SuiteSpec:
        return load_suite(self.suite_name, self.expectations_dir)

    @property
    def provided_parameters(self) -> set[str]:
        names = {n for p in self.parameters for n in p.provides}
        if self.kind == "delivery":
            names |= set(DELIVERY_PARAMETERS)
        return names

    @property
    def blocking(self) -> bool:
        return self.suite.has_blocking


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        document = yaml_text.load(path.read_text())
    except yaml_text.YAMLError as error:
        raise _fail(path, f"is not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise _fail(path, "must be a mapping")
    return document


def _read_named_yaml(path: Path, keys: set[str]) -> dict[str, Any]:
    """A suite or checkpoint file: named as the file, with name, description and `keys`."""
    raw = _read_yaml(path)
    if raw.get("name") != path.stem:
        raise _fail(path, f"name must be {path.stem!r}, the file's name")
    unknown = set(raw) - {"name", "description", *keys}
    if unknown:
        raise _fail(path, f"unknown keys {sorted(unknown)}")
    return raw


def _severity(path: Path, where: str, value: Any) -> str:
    if value not in SEVERITIES:
        raise _fail(path, f"{where}: severity must be one of {list(SEVERITIES)}, not {value!r}")
    return str(value)


def _parse_expectation(path: Path, index: int, raw: Any) -> ExpectationSpec:
    where = f"expectation {index + 1}"
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        raise _fail(path, f"{where} needs a `type` (a Great Expectations expectation name)")
    if not raw["type"].startswith("expect_"):
        raise _fail(path, f"{where}: type {raw['type']!r} is not an expectation name")
    kwargs = raw.get("kwargs") or {}
    meta = raw.get("meta") or {}
    if not isinstance(kwargs, dict) or not isinstance(meta, dict):
        raise _fail(path, f"{where}: kwargs and meta must be mappings")
    unknown = set(raw) - {"type", "kwargs", "meta"}
    if unknown:
        raise _fail(path, f"{where} has unknown keys {sorted(unknown)}")
    if isinstance(kwargs.get("row_condition"), str) or "condition_parser" in kwargs:
        raise _fail(
            path,
            f"{where}: write row_condition in Great Expectations' structured form "
            "({type: comparison, column: {name: ...}, operator: '==', parameter: ...}); "
            "string conditions and condition_parser are deprecated",
        )
    name = str(meta.get("name") or "").strip()
    description = str(meta.get("description") or "").strip()
    if not name or not description:
        raise _fail(
            path,
            f"{where} ({raw['type']}) needs meta.name (a short label) and meta.description "
            "(one plain-English sentence)",
        )
    return ExpectationSpec(
        type=raw["type"],
        kwargs=kwargs,
        severity=_severity(path, where, meta.get("severity")),
        description=description,
        name=name,
    )


def _parse_contract_rules(path: Path, raw: Any) -> ContractRules | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _fail(path, "from_contract must be a mapping of rule: severity")
    unknown = set(raw) - set(CONTRACT_RULES)
    if unknown:
        raise _fail(path, f"from_contract has unknown rules {sorted(unknown)}")
    values: dict[str, Any] = {}
    for rule, setting in raw.items():
        if rule == "period_dates" and isinstance(setting, dict):
            values[rule] = _severity(path, f"from_contract.{rule}", setting.get("severity"))
            before = setting.get("days_before_period_start") or {}
            if not isinstance(before, dict) or not all(
                v is None or (isinstance(v, int) and v >= 0) for v in before.values()
            ):
                raise _fail(
                    path,
                    "from_contract.period_dates.days_before_period_start must map columns "
                    "to whole days (or null for no lower bound)",
                )
            values["days_before_period_start"] = before
        else:
            values[rule] = _severity(path, f"from_contract.{rule}", setting)
    return ContractRules(**values)


def load_suite(
    name: str, expectations_dir: Path = EXPECTATIONS_DIR, _including: tuple[str, ...] = ()
) -> SuiteSpec:
    """A suite file; the expectations of the suites it `include`s come first."""
    path = expectations_dir / "suites" / f"{name}.yml"
    if not path.exists():
        raise ExpectationsFileError(f"no suite {name!r}: {path} does not exist")
    if name in _including:
        raise _fail(path, f"includes itself ({' -> '.join([*_including, name])})")
    raw = _read_named_yaml(path, {"include", "from_contract", "expectations"})
    included = [
        load_suite(str(other), expectations_dir, (*_including, name))
        for other in raw.get("include") or []
    ]
    if any(s.from_contract for s in included):
        raise _fail(path, "an included suite cannot have from_contract")
    expectations = tuple(e for s in included for e in s.expectations) + tuple(
        _parse_expectation(path, i, e) for i, e in enumerate(raw.get("expectations") or [])
    )
    names = [e.name for e in expectations]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise _fail(path, f"expectation names must be unique: {repeated}")
    return SuiteSpec(
        name=raw["name"],
        description=str(raw.get("description") or "").strip(),
        expectations=expectations,
        from_contract=_parse_contract_rules(path, raw.get("from_contract")),
        path=path,
    )


def _parse_parameter(path: Path, name: str, raw: Any) -> ParameterSource:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise _fail(path, f"parameter {name!r} must be one of {list(PARAMETER_KINDS)}: <value>")
    ((kind, argument),) = raw.items()
    if kind not in PARAMETER_KINDS:
        raise _fail(path, f"parameter {name!r}: unknown kind {kind!r}")
    if kind in BAND_KINDS and not (
        isinstance(argument, list)
        and len(argument) == 2
        and all(v is None or (isinstance(v, int | float) and v >= 0) for v in argument)
        and argument != [None, None]
        and (None in argument or argument[0] <= argument[1])
    ):
        raise _fail(
            path,
            f"parameter {name!r}: {kind} takes [low, high] fractions (low <= high; "
            "null for a side that is not needed)",
        )
    references = argument if isinstance(argument, list) else [argument]
    if kind == "seed" and not all(isinstance(r, str) and r.count(".") == 1 for r in references):
        raise _fail(path, f"parameter {name!r}: seed takes <seed>.<column> (or a list of them)")
    if kind == "model" and not (isinstance(argument, dict) and set(argument) == {"name", "column"}):
        raise _fail(path, f"parameter {name!r}: model takes {{name: <model>, column: <column>}}")
    return ParameterSource(name=name, kind=kind, argument=argument)


def load_checkpoint(path: Path, expectations_dir: Path = EXPECTATIONS_DIR) -> CheckpointSpec:
    """A checkpoint file, checked against its suite (which must exist and be well formed,
    and use only parameters the checkpoint provides)."""
    raw = _read_named_yaml(path, {"suite", "batch", "parameters"})
    batch = raw.get("batch")
    if (
        not isinstance(batch, dict)
        or len(batch) != 1
        or next(iter(batch))
        not in (
            "delivery",
            "mart",
        )
    ):
        raise _fail(path, "batch must be `delivery: <organisation>__<feed>` or `mart: <model>`")
    ((kind, target),) = batch.items()
    parameters = tuple(
        _parse_parameter(path, name, value) for name, value in (raw.get("parameters") or {}).items()
    )
    wrong_kind = [
        p.name
        for p in parameters
        if (p.kind == "previous_delivery_rows" and kind != "delivery")
        or (p.kind == "last_published_rows" and kind != "mart")
    ]
    if wrong_kind:
        raise _fail(path, f"parameters {wrong_kind} do not apply to a {kind} batch")
    checkpoint = CheckpointSpec(
        name=raw["name"],
        description=str(raw.get("description") or "").strip(),
        suite_name=str(raw.get("suite") or ""),
        kind=kind,
        target=str(target),
        parameters=parameters,
        path=path,
        expectations_dir=expectations_dir,
    )
    suite = checkpoint.suite  # the suite must exist and be well formed
    if suite.from_contract and kind != "delivery":
        raise _fail(path, f"suite {suite.name!r} generates from a contract: batch must be delivery")
    missing = {p for e in suite.expectations for p in e.parameters} - checkpoint.provided_parameters
    if missing:
        raise _fail(
            path,
            f"suite {suite.name!r} uses parameters {sorted(missing)} that this checkpoint does "
            f"not provide (it provides {sorted(checkpoint.provided_parameters)})",
        )
    return checkpoint


def load_checkpoints(expectations_dir: Path = EXPECTATIONS_DIR) -> list[CheckpointSpec]:
    """Every checkpoint file, sorted by name."""
    paths = sorted((expectations_dir / "checkpoints").glob("*.yml"))
    return [load_checkpoint(p, expectations_dir) for p in paths]


def checkpoint_by_name(name: str, expectations_dir: Path = EXPECTATIONS_DIR) -> CheckpointSpec:
    path = expectations_dir / "checkpoints" / f"{name}.yml"
    if not path.exists():
        known = [p.stem for p in sorted((expectations_dir / "checkpoints").glob("*.yml"))]
        raise ExpectationsFileError(f"no checkpoint {name!r}; known checkpoints: {known}")
    return load_checkpoint(path, expectations_dir)
