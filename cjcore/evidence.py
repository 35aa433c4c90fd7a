"""The evidence register: every model parameter with its value, range, source and status.

Loaded once from `cjcore/data/evidence.yaml` (read-only data). The engine reads numbers only through
`parameter_values`, so a scenario's overrides and the register are the sole sources of model inputs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cjcore.prices import uplift
from cjcore.safe_yaml import load_data_yaml
from cjcore.vocab import COHORT_KEYS, FUNCTION_KEYS

EVIDENCE_FILE = Path(__file__).parent / "data" / "evidence.yaml"

Status = Literal["published", "derived", "assumption"]
Rating = Literal["high", "moderate", "low", "none"]
STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {"published": "Published figure", "derived": "Derived from published figures", "assumption": "Assumption"}
)
#: Ratings from weakest to strongest evidence, for comparing them.
RATING_ORDER: Mapping[str, int] = MappingProxyType({"none": 0, "low": 1, "moderate": 2, "high": 3})
#: The strongest rating an assumption may carry: a judgement is at best anchored by a published figure.
ASSUMPTION_MAX_RATING = "low"
_YEAR = re.compile(r"(?<!\d)(1[89]|20)\d{2}(?!\d)")


class Parameter(BaseModel):
    """One number the model uses, with where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    group: str = "interventions"
    label: str
    value: float
    low: float | None = None
    high: float | None = None
    unit: str
    bounds: tuple[float, float]
    status: Status
    rating: Rating
    source: str
    reasoning: str = ""
    #: For money: the financial year whose prices the figures are in ("2011-12"); the model uplifts to the price base.
    price_year: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Parameter:
        lo, hi = self.bounds
        if not lo <= self.value <= hi:
            raise ValueError(f"{self.key}: value {self.value} outside bounds {self.bounds}")
        if (self.low is None) != (self.high is None):
            raise ValueError(f"{self.key}: give both low and high, or neither")
        if self.low is not None and not (lo <= self.low <= self.value <= self.high <= hi):
            raise ValueError(f"{self.key}: need bounds[0] <= low <= value <= high <= bounds[1]")
        if self.status == "assumption" and RATING_ORDER[self.rating] > RATING_ORDER[ASSUMPTION_MAX_RATING]:
            raise ValueError(f"{self.key}: an assumption is rated low or none, not {self.rating!r}")
        if self.status == "published" and not _YEAR.search(self.source):
            raise ValueError(f"{self.key}: a published figure names its publication and year in its source")
        if self.unit.startswith("£") != (self.price_year is not None):
            raise ValueError(f"{self.key}: a money figure (unit in £) names its price year, and only money does")
        if self.price_year is not None:
            uplift(self.price_year)  # refuses a year the deflator series does not cover
        return self

    @property
    def factor(self) -> float:
        """What the model multiplies the register's figures by: the uplift to the price base (1 if not money)."""
        return uplift(self.price_year)

    @property
    def model_value(self) -> float:
        """The central value the model uses (money in the price base)."""
        return self.value * self.factor

    @property
    def model_range(self) -> tuple[float, float] | None:
        """(low, high) as the model uses them, or None if not ranged."""
        return (self.low * self.factor, self.high * self.factor) if self.ranged else None  # type: ignore[operator]

    @property
    def ranged(self) -> bool:
        """Whether the uncertainty runs sample this parameter."""
        return self.low is not None and self.high is not None and self.high > self.low


class Intervention(BaseModel):
    """A programme an area can run once it controls a function; its numbers are parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    label: str
    function: Literal[FUNCTION_KEYS]  # type: ignore[valid-type]
    cohorts: tuple[Literal[COHORT_KEYS], ...] = Field(min_length=1)  # type: ignore[valid-type]
    evidence_rating: Rating
    source: str


INTERVENTION_FIELDS: tuple[str, ...] = (
    "effect", "eligible_share", "max_reach", "national_reach", "cost_per_participant_gbp")
OPTIONAL_INTERVENTION_FIELDS: Mapping[str, float] = MappingProxyType({"custody_diversion": 0.0})


@dataclass(frozen=True)
class Register:
    """The whole register: parameters by key (a read-only mapping) and the interventions they describe."""

    parameters: Mapping[str, Parameter]
    interventions: tuple[Intervention, ...]

    def __getitem__(self, key: str) -> Parameter:
        return self.parameters[key]

    def interventions_for(self, function: str) -> tuple[Intervention, ...]:
        """The interventions an area can run through one function."""
        return tuple(i for i in self.interventions if i.function == function)


def check_intervention_ratings(parameters: Mapping[str, Parameter], interventions: Iterable[Intervention]) -> None:
    """Raise ValueError if an intervention's evidence rating is higher than its effect parameter's rating."""
    for iv in interventions:
        effect = parameters.get(f"{iv.key}.effect")
        if effect is not None and RATING_ORDER[iv.evidence_rating] > RATING_ORDER[effect.rating]:
            raise ValueError(f"evidence register: intervention {iv.key} is rated {iv.evidence_rating!r}, above "
                             f"its effect's rating {effect.rating!r}")


@cache
def load_register() -> Register:
    """Read and check the register once; it is read-only for the life of the process."""
    raw = load_data_yaml(EVIDENCE_FILE.read_text(encoding="utf-8"))
    params = [Parameter.model_validate(p) for p in raw["parameters"] + raw["intervention_parameters"]]
    by_key = {p.key: p for p in params}
    if len(by_key) != len(params):
        raise ValueError("evidence register: duplicate parameter keys")
    interventions = tuple(Intervention.model_validate(i) for i in raw["interventions"])
    for iv in interventions:
        missing = [f for f in INTERVENTION_FIELDS if f"{iv.key}.{f}" not in by_key]
        if missing:
            raise ValueError(f"evidence register: intervention {iv.key} lacks {missing}")
    check_intervention_ratings(by_key, interventions)
    return Register(parameters=MappingProxyType(by_key), interventions=interventions)


def check_override(key: str, value: float, suggest: bool = True) -> str | None:
    """Why an override is not allowed, or None when it is.

    Args:
        key: The parameter key.
        value: The value given.
        suggest: Look for the closest known key to suggest (a string comparison with every key: callers checking
            thousands of keys turn it off after the first few).
    """
    register = load_register()
    if key not in register.parameters:
        import difflib

        near = difflib.get_close_matches(key, register.parameters.keys(), n=1) if suggest and len(key) <= 80 else []
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        shown = key if len(key) <= 60 else key[:59] + "…"
        return f"unknown parameter {shown!r}{hint}"
    lo, hi = register[key].bounds
    if not lo <= value <= hi:
        return f"{key}: {value} is outside the allowed range {lo:g} to {hi:g}"
    return None


def parameter_value(key: str, overrides: Mapping[str, float]) -> float:
    """A parameter's central value as the model uses it (money in the price base), as overridden by the scenario.

    Overrides are taken as given: in the price base, like every figure the app shows.
    """
    if key in overrides:
        return float(overrides[key])
    register = load_register()
    if key in register.parameters:
        return register[key].model_value
    field = key.rsplit(".", 1)[-1]
    if field in OPTIONAL_INTERVENTION_FIELDS:
        return OPTIONAL_INTERVENTION_FIELDS[field]
    raise KeyError(key)


def parameter_range(key: str, overrides: Mapping[str, float]) -> tuple[float, float, float] | None:
    """(low, central, high) for a ranged parameter, widened to include an override; None if not ranged."""
    register = load_register()
    p = register.parameters.get(key)
    if p is None or not p.ranged:
        return None
    central = parameter_value(key, overrides)
    low, high = p.model_range  # type: ignore[misc]
    return min(low, central), central, max(high, central)
