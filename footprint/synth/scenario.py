"""The scenario: rates, pathway probabilities and planted effects from scenario.yml.

Keeping the numbers in one YAML file lets an analyst see (and change) what signal the
synthetic borough carries without reading simulation code; truth.json repeats the
planted part so that tests and analyses can compare what they find with what was put in.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from footprint import yaml_text
from footprint.synth.reference import Reference

SCENARIO_PATH = Path(__file__).with_name("scenario.yml")


class ScenarioError(ValueError):
    """scenario.yml is inconsistent with itself, the seeds or the contracts."""


@dataclass(frozen=True)
class Distribution:
    """A discrete distribution over codes, probabilities normalised to sum to 1."""

    codes: tuple[str, ...]
    probabilities: np.ndarray

    @classmethod
    def of(cls, mapping: dict[Any, float]) -> Distribution:
        codes = tuple(str(k) for k in mapping)
        weights = np.array([float(v) for v in mapping.values()], dtype=np.float64)
        if len(codes) == 0 or (weights < 0).any() or weights.sum() <= 0:
            raise ScenarioError(f"not a distribution: {mapping}")
        return cls(codes, weights / weights.sum())

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Indices into ``codes``."""
        return rng.choice(len(self.codes), size=size, p=self.probabilities).astype(np.int16)


@dataclass(frozen=True)
class Lever:
    """One planted effect: a multiplier by SDF position and trend position."""

    name: str
    indicator: str
    multiplies: str
    polarity: str
    attribution: str  # residence or registration: whose SDF a person's events count in
    level: np.ndarray  # by SDF index
    trend_start: np.ndarray
    trend_end: np.ndarray

    def multiplier(self, sdf_index: np.ndarray, position: float) -> np.ndarray:
        """Multiplier for people in these SDFs at this point of the trend (0..1)."""
        trend = self.trend_start + (self.trend_end - self.trend_start) * position
        return (self.level * trend)[sdf_index]

    def describe(self, reference: Reference) -> dict[str, Any]:
        """The lever as truth.json records it."""
        sdfs = []
        for i, code in enumerate(reference.sdf_codes):
            start = float(self.level[i] * self.trend_start[i])
            end = float(self.level[i] * self.trend_end[i])
            if abs(end - start) < 1e-9:
                direction, effect = "flat", "none"
            else:
                direction = "rising" if end > start else "falling"
                if self.polarity == "none":
                    effect = "none"
                else:
                    better = (direction == "rising") == (self.polarity == "high_is_good")
                    effect = "improving" if better else "worsening"
            sdfs.append(
                {
                    "sdf_code": code,
                    "sdf_name": reference.sdf_names[i],
                    "sdf_order": reference.sdf_orders[i],
                    "level": round(float(self.level[i]), 6),
                    "trend_start": round(float(self.trend_start[i]), 6),
                    "trend_end": round(float(self.trend_end[i]), 6),
                    "multiplier_first_month": round(start, 6),
                    "multiplier_last_month": round(end, 6),
                    "direction": direction,
                    "effect": effect,
                }
            )
        return {
            "indicator": self.indicator,
            "multiplies": self.multiplies,
            "polarity": self.polarity,
            "attribution": self.attribution,
            "sdfs": sdfs,
        }


class Scenario:
    """Typed access to scenario.yml for one set of seeds."""

    def __init__(self, raw: dict[str, Any], reference: Reference) -> None:
        self.raw = raw
        self.reference = reference
        self.age_groups = np.array(raw["age_groups"], dtype=np.int16)
        self.census_date: date = raw["census_date"]
        self.levers = {name: self._lever(name, spec) for name, spec in raw["levers"].items()}

    def section(self, name: str) -> dict[str, Any]:
        return self.raw[name]

    def by_age(self, values: list[float]) -> np.ndarray:
        """A per-age-group list as an array, checked against age_groups."""
        array = np.asarray(values, dtype=np.float64)
        if array.shape != self.age_groups.shape:
            raise ScenarioError(
                f"{values} has {array.size} values; age_groups has {self.age_groups.size}"
            )
        return array

    def age_group(self, ages: np.ndarray) -> np.ndarray:
        """Index of the scenario age group of whole-year ages."""
        return (np.searchsorted(self.age_groups, ages, side="right") - 1).astype(np.int8)

    def _lever(self, name: str, spec: dict[str, Any]) -> Lever:
        n = len(self.reference.sdf_codes)
        level, start, end = np.ones(n), np.ones(n), np.ones(n)
        position = {order: i for i, order in enumerate(self.reference.sdf_orders)}
        for order, effect in (spec.get("sdfs") or {}).items():
            if int(order) not in position:
                warnings.warn(
                    f"scenario lever {name!r} names SDF position {order}, but the seeds have "
                    f"{n} SDFs; that effect is not applied",
                    stacklevel=2,
                )
                continue
            i = position[int(order)]
            level[i] = float(effect.get("level", 1.0))
            start[i], end[i] = (float(v) for v in effect.get("trend", [1.0, 1.0]))
        if spec.get("polarity") not in {"low_is_good", "high_is_good", "none"}:
            raise ScenarioError(
                f"lever {name!r}: polarity must be low_is_good, high_is_good or none"
            )
        attribution = spec.get("attribution", "residence")
        if attribution not in {"residence", "registration"}:
            raise ScenarioError(f"lever {name!r}: attribution must be residence or registration")
        return Lever(
            name,
            spec["indicator"],
            spec["multiplies"],
            spec["polarity"],
            attribution,
            level,
            start,
            end,
        )

    def check_codes(self, feed_values: dict[tuple[str, str], tuple[str, ...] | None]) -> None:
        """Fail early when a code the scenario uses is not in the contract's code list.

        ``feed_values`` maps (feed, column) to the contract's allowed values.
        """
        ae, amb, inpatient = self.raw["ae"], self.raw["ambulance"], self.raw["inpatient"]
        delays, reab, care = (
            self.raw["delayed_discharge"],
            self.raw["reablement"],
            self.raw["social_care"],
        )
        uses: dict[tuple[str, str], set[str]] = {
            ("incidents", "category"): set(amb["category"]),
            ("incidents", "outcome"): set(amb["outcome_codes"].values()),
            ("ae_attendances", "arrival_mode"): set(ae["arrival_codes"].values()),
            ("ae_attendances", "discharge_destination"): {ae["admitted_code"], ae["died_code"]}
            | set(ae["not_admitted"]),
            ("ae_attendances", "chief_complaint"): {
                c for groups in ae["complaints"].values() for g in groups for c in g
            }
            | set(inpatient["diagnoses"]),
            ("inpatient_spells", "admission_method"): {inpatient["emergency_via_ae_method"]}
            | set(inpatient["direct_methods"])
            | set(inpatient["elective_methods"]),
            ("inpatient_spells", "admission_source"): set(inpatient["source_from_home"])
            | set(self.raw["care_homes"]["codes"]),
            ("inpatient_spells", "discharge_destination"): set(inpatient["destination_home"])
            | set(self.raw["care_homes"]["codes"])
            | {
                inpatient["usual_residence"],
                inpatient["died_destination"],
                inpatient["hospice_destination"],
            },
            ("delayed_discharges", "delay_reason"): {
                r for reasons in delays["reasons"].values() for r in reasons
            }
            | {delays["care_home_reason"], delays["reablement_reason"]},
            ("delayed_discharges", "responsible_organisation"): set(delays["organisation"]),
            ("reablement", "outcome_91_day"): {reab["at_home_code"]} | set(reab["other_outcomes"]),
            ("asc_events", "service_type"): set(care["long_term_services"])
            | set(care["short_term_services"])
            | set(care["existing_services"])
            | {"reablement", "residential", "nursing"},
            ("asc_events", "outcome"): set(care["assessment_outcome"])
            | {k for k in care["request_pathway"] if k != "assessment"}
            | {"ongoing", "ended", "died", "moved_away", "long_term_support"},
        }
        for (feed, column), used in uses.items():
            allowed = feed_values.get((feed, column))
            if allowed is None:
                raise ScenarioError(f"no code list for {feed}.{column} in the contracts")
            unknown = sorted(used - set(allowed))
            if unknown:
                raise ScenarioError(
                    f"scenario.yml uses {feed}.{column} code(s) {unknown} that the contract "
                    f"does not allow (allowed: {list(allowed)})"
                )


def load_scenario(reference: Reference, path: Path = SCENARIO_PATH) -> Scenario:
    return Scenario(yaml_text.load(path.read_text()), reference)
