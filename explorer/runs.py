"""Engine runs for the screens, cached on the scenario's content, never on a mutable object.

The cache key is the scenario's JSON (plus draws and seed), so two sessions with the same scenario share a
result and no session can see another's edits. `st.cache_data` hands each caller its own copy.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cjcore.engine import sweep
from cjcore.schema import Scenario
from explorer.runview import RunView, build_run_view

DRAWS = 500
SEED = 1


@st.cache_data(max_entries=256, show_spinner=False)
def _run(scenario_json: str, draws: int, seed: int) -> RunView:
    return build_run_view(Scenario.model_validate_json(scenario_json), draws, seed)


def run_view(scenario: Scenario, uncertainty: bool = True) -> RunView:
    """The projection of a scenario, with uncertainty bands when asked."""
    return _run(scenario.model_dump_json(by_alias=True), DRAWS if uncertainty else 0, SEED)


@st.cache_data(max_entries=64, show_spinner=False)
def _sweep(scenario_json: str, function: str, draws: int, seed: int) -> pd.DataFrame:
    return sweep(Scenario.model_validate_json(scenario_json), function, draws=draws, seed=seed)


def sweep_view(scenario: Scenario, function: str, uncertainty: bool = True) -> pd.DataFrame:
    """Headline figures with one function at every stage."""
    return _sweep(scenario.model_dump_json(by_alias=True), function, DRAWS if uncertainty else 0, SEED)
