"""The scenario schema: what a scenario file may say, validated, typed and immutable.

A scenario holds *policy choices* (placements, funding, governance) apart from *assumptions* (overrides of
evidence-register parameters), so the app can show which of the two moved a result.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
)

from cjcore.vocab import FUNCTION_KEYS, GOVERNANCE_KEYS, STAGE_KEYS

SCHEMA_VERSION = 1
MAX_HORIZON_YEARS = 10
MAX_AGREEMENT_YEAR = 10
MAX_BUDGET_GBP_M = 1000.0
MAX_NOTE_CHARS = 2000

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
    name: str = Field(min_length=1, max_length=120, description="A short title for the scenario.")
    area: str = Field(description="Police force area key, e.g. greater-manchester.")
    description: str = Field("", max_length=5000, description="Where the scenario comes from and why.")
    horizon_years: int = Field(5, ge=1, le=MAX_HORIZON_YEARS, description="Years projected (1–10).")
    placements: Placements = Field(
        default_factory=dict, description="Stage of each function on the spectrum; functions left out are national."
    )
    funding: Funding = Field(default_factory=Funding)
    governance: Governance = Field(default_factory=Governance)
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

        problems = [p for key, v in value.items() if (p := check_override(key, v))]
        if problems:
            raise ValueError("; ".join(problems))
        return value

    def stage_of(self, function: str) -> str:
        """The stage of a function, national when the scenario does not place it."""
        return self.placements.get(function, "national")

    def with_changes(self, **changes: object) -> Scenario:
        """A new validated scenario with some top-level fields replaced (the original is untouched)."""
        data = self.model_dump(by_alias=True)
        data.update(changes)
        return Scenario.model_validate(data)
