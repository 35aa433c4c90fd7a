"""The scenario schema: what a scenario file may say, validated, typed and immutable.

A scenario holds *policy choices* (placements, funding, governance) apart from *assumptions* (overrides of
evidence-register parameters), so the app can show which of the two moved a result.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)

from cjcore.vocab import FUNCTION_KEYS, GOVERNANCE_KEYS, STAGE_KEYS

if TYPE_CHECKING:
    from cjcore.areas import GroupBaseline

SCHEMA_VERSION = 1
MAX_HORIZON_YEARS = 10
MAX_AGREEMENT_YEAR = 10
MAX_BUDGET_GBP_M = 1000.0
MAX_NOTE_CHARS = 2000
#: Longest scenario name (a title for lists and headers).
MAX_NAME_CHARS = 120
#: Largest count a supplied baseline may give (people or offences in one area's yearly cohort: a sanity bound far
#: above any police force area's figures).
MAX_SUPPLIED_COUNT = 1_000_000
MAX_SOURCE_CHARS = 500
#: Override problems spelled out in one validation message (the rest are counted).
_OVERRIDE_PROBLEMS_SHOWN = 5
#: Unit costs a supplied baseline may set locally (evidence-register keys, £ in the model's price base).
UNIT_COST_KEYS: tuple[str, ...] = (
    "prison_cost_per_place_gbp", "probation_cost_per_case_gbp", "court_cost_per_case_gbp", "police_cost_per_arrest_gbp",
)

StageKey = Literal[STAGE_KEYS]  # type: ignore[valid-type]
FunctionKey = Literal[FUNCTION_KEYS]  # type: ignore[valid-type]
GovernanceKey = Literal[GOVERNANCE_KEYS]  # type: ignore[valid-type]
NoteTopic = Literal[("overall", *FUNCTION_KEYS)]  # type: ignore[valid-type]

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Score = Annotated[int, Field(ge=0, le=5)]
Year = Annotated[int, Field(ge=0, le=MAX_AGREEMENT_YEAR)]


def _freeze(value: dict) -> MappingProxyType:
    return MappingProxyType(dict(value))


def _freeze_placements(value: dict) -> MappingProxyType:
    """Functions at `national` are the same as functions left out: drop them so equal scenarios compare equal."""
    return MappingProxyType({f: s for f, s in value.items() if s != "national"})


Placements = Annotated[
    dict[FunctionKey, StageKey], AfterValidator(_freeze_placements), PlainSerializer(dict, return_type=dict)
]
Overrides = Annotated[dict[str, float], AfterValidator(_freeze), PlainSerializer(dict, return_type=dict)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Funding(_Strict):
    """How the devolved services are paid for: a pooled budget and what happens to the savings."""

    pooled_budget_gbp_m: float = Field(
        0.0, ge=0.0, le=MAX_BUDGET_GBP_M,
        description="Pooled budget for devolved services, £ million a year (local plus national contributions).",
    )
    national_share: Share = Field(0.5, description="Share of the pooled budget that comes from national budgets (0–1).")
    settlement_years: int = Field(
        3, ge=1, le=MAX_HORIZON_YEARS, description="Length of the funding settlement, years."
    )
    agreed_in_year: Year = Field(0, description="Year of the projection in which funding is agreed (0 = at the start).")
    renewed: bool = Field(False, description="Whether the settlement is renewed when it ends.")
    reinvest_share: Share = Field(
        0.5, description="Share of the savings retained by the area that is reinvested in the programmes (0–1)."
    )
    unspent: Literal["returned", "retained"] = Field(
        "returned",
        description="What happens to pooled money committed but not spent in a year: 'returned' to its payers "
                    "(it costs nothing), or 'retained' by the pooled budget (it counts as spent in the appraisal).",
    )


class FiveConditions(_Strict):
    """The five conditions for driving justice devolution (Crest Advisory, 2018), each scored 0–5."""

    objectives: Score = 3
    local_picture: Score = 3
    cohort_knowledge: Score = 3
    accountability: Score = 3
    buy_in: Score = 3


class Governance(_Strict):
    """Who is accountable, when governance is agreed, and how ready the area is."""

    model: GovernanceKey = Field("pcc", description="Governance model of the area.")
    agreed_in_year: Year = Field(
        0, description="Year of the projection in which governance is agreed (0 = at the start)."
    )
    five_conditions: FiveConditions = Field(default_factory=FiveConditions)


def _whole_as_int(value: float | None) -> float | int | None:
    """Write a whole number without '.0', so a supplied count reads back as it was written."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _count_in_range(value: float) -> float:
    if not 0 <= value <= MAX_SUPPLIED_COUNT:
        raise ValueError(f"a count from 0 to {MAX_SUPPLIED_COUNT:,} (people or proven offences in one year's cohort)")
    return value


#: A count of people or offences: a whole or decimal number (rounded published figures are fine), at least 0.
Count = Annotated[
    float, Field(strict=True, allow_inf_nan=False), AfterValidator(_count_in_range), PlainSerializer(_whole_as_int)
]
#: A local unit cost, £ in the model's price base; None leaves the evidence register's figure in place.
UnitCost = Annotated[
    float | None, Field(strict=True, allow_inf_nan=False), PlainSerializer(_whole_as_int)
]


class GroupFigures(_Strict):
    """One age group's annual proven-reoffending cohort, as the area's own published figures give it."""

    offenders: Count = Field(description="People in the cohort (cautioned, convicted or released in the year).")
    reoffenders: Count = Field(description="Offenders who committed a proven reoffence within the follow-up.")
    reoffences: Count = Field(description="Proven reoffences those reoffenders committed.")

    @field_validator("offenders")
    @classmethod
    def _someone(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("more than 0: every age group needs offenders for its reoffending rate")
        return value

    @field_validator("reoffenders")
    @classmethod
    def _at_most_offenders(cls, value: float, info: ValidationInfo) -> float:
        offenders = info.data.get("offenders")
        if offenders is not None and value > offenders:
            raise ValueError(
                f"at most the offenders ({offenders:,g}): reoffenders are offenders who reoffended, so the "
                f"reoffending rate (reoffenders ÷ offenders, here {value / offenders:.2f}) cannot be above 1")
        return value

    @field_validator("reoffences")
    @classmethod
    def _at_least_reoffenders(cls, value: float, info: ValidationInfo) -> float:
        reoffenders = info.data.get("reoffenders")
        if reoffenders is not None and value < reoffenders:
            raise ValueError(f"at least the reoffenders ({reoffenders:,g}): each reoffender committed at least one "
                             "proven reoffence")
        if reoffenders == 0 and value > 0:
            raise ValueError("0, as there are no reoffenders: reoffences are the reoffenders' proven reoffences")
        return value

    def as_baseline(self) -> GroupBaseline:
        """The figures in the form the area data use (with the rate and reoffences per reoffender)."""
        from cjcore.areas import GroupBaseline

        return GroupBaseline(offenders=self.offenders, reoffenders=self.reoffenders, reoffences=self.reoffences)


class SuppliedBaseline(_Strict):
    """The area's own baseline, supplied by the user in place of the derived one (see docs/own-figures.md).

    Counts for each age group of the area data (``cjcore.areas.GROUP_KEYS``), from e.g. the MoJ proven
    reoffending geographic data tool, and optionally local unit costs in the model's price base. ``source`` says
    where they come from, so every screen can label them "supplied by the user".
    """

    source: str = Field(
        min_length=1, max_length=MAX_SOURCE_CHARS,
        description="Where the figures come from, e.g. 'MoJ proven reoffending geographic data tool, Apr 2021–Mar "
                    "2022 cohort'.",
    )
    young_people: GroupFigures = Field(description="Young people (10–17): offenders, reoffenders and reoffences.")
    young_adults: GroupFigures = Field(description="Young adults (18–24): offenders, reoffenders and reoffences.")
    adults_25plus: GroupFigures = Field(description="Adults 25 and over: offenders, reoffenders and reoffences.")
    prison_cost_per_place_gbp: UnitCost = Field(None, description="Local cost of a prison place-year, £.")
    probation_cost_per_case_gbp: UnitCost = Field(None, description="Local cost of a probation case-year, £.")
    court_cost_per_case_gbp: UnitCost = Field(None, description="Local cost of a criminal court case, £.")
    police_cost_per_arrest_gbp: UnitCost = Field(None, description="Local police cost of an arrest, £.")

    @field_validator("source")
    @classmethod
    def _said(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text saying where the figures come from, e.g. 'MoJ proven reoffending geographic data "
                             "tool, Apr 2021–Mar 2022 cohort'")
        return value

    @field_validator(*UNIT_COST_KEYS)
    @classmethod
    def _within_register_bounds(cls, value: float | None, info: ValidationInfo) -> float | None:
        from cjcore.evidence import load_register
        from cjcore.prices import PRICE_BASE_LABEL

        if value is None:
            return value
        param = load_register()[info.field_name]
        lo, hi = param.bounds
        if not lo <= value <= hi:
            raise ValueError(f"a number from {lo:,g} to {hi:,g} ({param.unit}, in {PRICE_BASE_LABEL})")
        return value

    @property
    def groups(self) -> Mapping[str, GroupBaseline]:
        """The supplied figures by age group key, in the form ``cjcore.areas.Area.groups`` has (read-only)."""
        from cjcore.areas import GROUP_KEYS

        return MappingProxyType({g: getattr(self, g).as_baseline() for g in GROUP_KEYS})

    @property
    def unit_costs(self) -> Mapping[str, float]:
        """The unit costs supplied, by evidence-register key (those left out are not in the mapping)."""
        return MappingProxyType({k: v for k in UNIT_COST_KEYS if (v := getattr(self, k)) is not None})


def _note_from_text(value: object) -> object:
    """A note may be written by hand as plain text: it is then an overall note."""
    return {"topic": "overall", "text": value} if isinstance(value, str) else value


class Note(_Strict):
    """A decision or point captured in a workshop, about one function or the scenario overall."""

    topic: NoteTopic = "overall"
    text: str = Field(min_length=1, max_length=MAX_NOTE_CHARS)


class Scenario(_Strict):
    """One area's placements on the devolution spectrum with its funding, governance and assumptions."""

    schema_version: Literal[1] = Field(SCHEMA_VERSION, alias="schema", description="Scenario format version.")
    name: str = Field(min_length=1, max_length=MAX_NAME_CHARS, description="A short title for the scenario.")
    area: str = Field(description="Police force area key, e.g. greater-manchester.")
    description: str = Field("", max_length=5000, description="Where the scenario comes from and why.")
    horizon_years: int = Field(5, ge=1, le=MAX_HORIZON_YEARS, description="Years projected (1–10).")
    placements: Placements = Field(
        default_factory=dict, description="Stage of each function on the spectrum; functions left out are national."
    )
    funding: Funding = Field(default_factory=Funding)
    governance: Governance = Field(default_factory=Governance)
    baseline: SuppliedBaseline | None = Field(
        None, description="The area's own baseline figures (and unit costs) in place of the derived ones."
    )
    overrides: Overrides = Field(
        default_factory=dict, description="Evidence-register parameters changed from their defaults, by key."
    )
    notes: tuple[Annotated[Note, BeforeValidator(_note_from_text)], ...] = Field(
        default=(), description="Decisions captured in a workshop."
    )

    @field_validator("area")
    @classmethod
    def _known_area(cls, value: str) -> str:
        from cjcore.areas import AREA_KEYS

        if value not in AREA_KEYS:
            raise ValueError(f"unknown area {value!r}; allowed: one of the {len(AREA_KEYS)} police force area keys")
        return value

    @field_validator("overrides")
    @classmethod
    def _known_overrides(cls, value: MappingProxyType) -> MappingProxyType:
        from cjcore.evidence import check_override

        problems: list[str] = []
        bad = 0
        for key, v in value.items():  # the first few in full; the rest counted (a file may hold thousands)
            if (problem := check_override(key, v, suggest=bad < _OVERRIDE_PROBLEMS_SHOWN)) is not None:
                bad += 1
                if bad <= _OVERRIDE_PROBLEMS_SHOWN:
                    problems.append(problem)
        if bad > _OVERRIDE_PROBLEMS_SHOWN:
            problems.append(f"{bad - _OVERRIDE_PROBLEMS_SHOWN:,} more")
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("overrides")
    @classmethod
    def _unit_costs_once(cls, value: MappingProxyType, info: ValidationInfo) -> MappingProxyType:
        supplied = info.data.get("baseline")
        both = sorted(set(value) & set(supplied.unit_costs)) if supplied is not None else []
        if both:
            raise ValueError("each unit cost in one place: " + "; ".join(
                f"{k} is also given in baseline ({supplied.unit_costs[k]:,g}); remove it here or there"
                for k in both))
        return value

    def stage_of(self, function: str) -> str:
        """The stage of a function, national when the scenario does not place it."""
        return self.placements.get(function, "national")

    def with_changes(self, **changes: object) -> Scenario:
        """A new validated scenario with some top-level fields replaced (the original is untouched)."""
        data = self.model_dump(by_alias=True)
        data.update(changes)
        return Scenario.model_validate(data)
