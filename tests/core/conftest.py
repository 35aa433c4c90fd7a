"""Shared fixtures for the model-core tests: scenario loading, a scenario factory and the hypothesis profile.

The hypothesis profile "ci" is always loaded: no per-example deadline (the first call of a process pays for
reading the data files, which would trip a deadline) and a modest number of examples, so the whole core suite
stays well under a minute on the 2-core CI machine. Set HYPOTHESIS_PROFILE=thorough for a longer local hunt.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

from cjcore.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS_DIR = ROOT / "scenarios"
GOLDEN_DIR = ROOT / "tests" / "golden"
GM_SCENARIO = SCENARIOS_DIR / "greater-manchester.yaml"

settings.register_profile(
    "ci", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile(
    "thorough", deadline=None, max_examples=2000, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def no_friction() -> dict[str, float]:
    """Overrides that switch off every cost and risk of moving along the spectrum.

    No set-up delay, no disruption of today's service, no transition or governance costs, no reversal and no
    fading. Under them (and only them) moving a function further along the spectrum can never raise
    reoffences: this is the condition under which the old "monotone spectrum" property really holds.
    """
    from cjcore.vocab import STAGE_KEYS

    out = {"effect_decay": 0.0}
    for stage in STAGE_KEYS[1:]:
        for name in ("setup_years", "disruption", "transition_cost_per_offender_gbp", "governance_cost_gbp_m",
                     "reversal_hazard"):
            out[f"stage.{stage}.{name}"] = 0.0
    return out


def load(path: str | Path) -> Scenario:
    """Load a scenario file: with the project's loader when it exists, else yaml.safe_load + the schema."""
    try:
        from cjcore.scenario_io import load_scenario
    except ImportError:  # the loader is not written yet
        return Scenario.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    return load_scenario(path)


def scenario_dict(**changes: Any) -> dict[str, Any]:
    """A complete scenario as plain data (Greater Manchester-like), with top-level keys replaced."""
    data: dict[str, Any] = {
        "schema": 1,
        "name": "Test scenario",
        "area": "greater-manchester",
        "horizon_years": 5,
        "placements": {"youth_justice": "full_transfer", "probation": "co_commissioning",
                       "women": "co_commissioning", "custody_budget": "devolved_budget"},
        "funding": {"pooled_budget_gbp_m": 12.0, "national_share": 0.6, "settlement_years": 3,
                    "agreed_in_year": 0, "renewed": True, "reinvest_share": 0.5},
        "governance": {"model": "mayor_pcc", "agreed_in_year": 0,
                       "five_conditions": {"objectives": 4, "local_picture": 4, "cohort_knowledge": 4,
                                           "accountability": 4, "buy_in": 4}},
        "overrides": {},
        "notes": [],
    }
    data.update(changes)
    return data


@pytest.fixture(scope="session")
def gm() -> Scenario:
    """The built-in Greater Manchester scenario."""
    return load(GM_SCENARIO)


@pytest.fixture
def make_scenario() -> Callable[..., Scenario]:
    """Build a validated scenario from the test default with some top-level keys replaced."""

    def make(**changes: Any) -> Scenario:
        return Scenario.model_validate(scenario_dict(**changes))

    return make
