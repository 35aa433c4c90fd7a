"""The story's notes read the run's arrays directly; they say what the run's own tables say."""

from __future__ import annotations

import pytest

from cjcore.engine import project
from cjcore.scenario_io import builtin_scenarios, load_builtin
from cjcore.story import stage_notes
from cjcore.vocab import STAGE_KEYS


def _variants(key: str):
    sc = load_builtin(key)
    funding = sc.funding.model_dump()
    yield sc
    yield sc.with_changes(funding={**funding, "pooled_budget_gbp_m": 0.0})
    yield sc.with_changes(funding={**funding, "pooled_budget_gbp_m": 0.5})
    yield sc.with_changes(horizon_years=2, placements={**sc.placements, "women": "full_transfer",
                                                        "probation": "devolved_budget"})


@pytest.mark.parametrize("key", sorted(builtin_scenarios()))
def test_stage_notes_name_the_placed_functions_the_drivers_table_shows_spending_nothing(key):
    for scenario in _variants(key):
        run = project(scenario, draws=0, seed=1)
        drivers = run.drivers.set_index("function")
        idle = {f for f in drivers.index
                if scenario.stage_of(f) != STAGE_KEYS[0] and not drivers.at[f, "spend_gbp_m"] > 1e-9}
        assert set(stage_notes(run)) == idle, scenario.name
