"""Reversals in the uncertainty draws: a whole deal can fail together (docs/model.md, step 3.19).

`reversal_common_share` sets the share of draws in which every function shares one uniform. It must change only
how reversals fall together, never any one function's chance of reversal, and with functions that really can be
reversed it must make the whole deal failing at once more common than independent luck would.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cjcore.engine import params_for, project, reversal_luck, transition
from cjcore.schema import Scenario
from cjcore.vocab import FUNCTION_KEYS

KEY = "reversal_common_share"
DRAWS = 2000


@settings(max_examples=20, deadline=None)
@given(st.floats(0, 1), st.integers(0, 2**32 - 1))
def test_each_function_keeps_uniform_luck_whatever_the_common_share(share: float, seed: int) -> None:
    luck = reversal_luck(params_for({KEY: share}, DRAWS, seed), len(FUNCTION_KEYS))
    assert luck.shape == (DRAWS, len(FUNCTION_KEYS))
    for q in (0.1, 0.5, 0.9):  # each column's share below q is q, up to sampling (sd about 0.011 at 2,000 draws)
        assert np.all(np.abs((luck < q).mean(axis=0) - q) < 0.06), (share, q)
    shared = (luck == luck[:, :1]).all(axis=1)  # draws in which every function took the same uniform
    assert abs(shared.mean() - share) < 0.06


def test_no_common_share_is_each_function_on_its_own() -> None:
    p = params_for({KEY: 0.0}, 50, 3)
    own = p.uniforms("reversal", (len(FUNCTION_KEYS),))
    np.testing.assert_array_equal(reversal_luck(p, len(FUNCTION_KEYS)), own)
    assert not (own == own[:, :1]).all(axis=1).any()


def _all_reversed_share(gm: Scenario, share: float, stages: dict[str, str]) -> tuple[float, np.ndarray]:
    """The share of draws in which every placed function is reversed by the last year, and each one's share."""
    scenario = gm.with_changes(placements={**gm.placements, **stages}, horizon_years=10)
    alive = transition(scenario, params_for({KEY: share}, DRAWS, 11), scenario.horizon_years).alive[1:]
    placed = [FUNCTION_KEYS.index(f) for f in stages]
    gone = alive[:, placed, -1] == 0  # (draws, placed functions)
    return float(gone.all(axis=1).mean()), gone.mean(axis=0)


def test_shared_luck_makes_a_whole_deal_failing_more_likely_without_changing_each_chance(gm: Scenario) -> None:
    stages = {"youth_justice": "full_transfer", "women": "full_transfer",
              "probation": "co_commissioning", "victims_witnesses": "co_commissioning"}
    alone, each_alone = _all_reversed_share(gm, 0.0, stages)
    shared, each_shared = _all_reversed_share(gm, 1.0, stages)
    assert each_alone.min() > 0.05, "the stages can be reversed within ten years"
    np.testing.assert_allclose(each_shared, each_alone, atol=0.05)  # each function's chance is kept
    # Fully shared luck: the deal is wholly reversed exactly when its safest function is; alone, only by chance.
    assert shared > 2 * alone
    assert abs(shared - each_shared.min()) < 1e-12


def test_functions_at_one_stage_are_reversed_in_the_same_year_when_luck_is_shared(gm: Scenario) -> None:
    scenario = gm.with_changes(placements={**gm.placements, "youth_justice": "full_transfer",
                                           "women": "full_transfer"}, horizon_years=10)
    alive = transition(scenario, params_for({KEY: 1.0}, 300, 5), 10).alive[1:]
    a, b = FUNCTION_KEYS.index("youth_justice"), FUNCTION_KEYS.index("women")
    np.testing.assert_array_equal(alive[:, a], alive[:, b])
    assert (alive[:, a, -1] == 0).any(), "some draws reverse them within the horizon"


def test_the_common_share_leaves_the_central_estimate_alone(gm: Scenario) -> None:
    runs = [project(gm.with_changes(overrides={KEY: share}), draws=200, seed=2).summary for share in (0.0, 1.0)]
    figures = [name for name in runs[0].index if not name.startswith("chance_")]  # a chance is read off the draws
    np.testing.assert_allclose(runs[0].loc[figures, "central"], runs[1].loc[figures, "central"], rtol=1e-12)
    assert not np.allclose(runs[0]["p10"].dropna(), runs[1]["p10"].dropna()), "the spread does depend on it"
