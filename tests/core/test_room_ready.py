"""What a room reads off the screen: one convention for the cards, 'no change', keyed charts, notes on idle controls."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cjcore.engine import project
from cjcore.precision import NO_CHANGE, no_change
from cjcore.report import headline_levels
from cjcore.scenario_io import load_scenario
from cjcore.story import budget_note, stage_notes, story
from explorer import format as fmt
from explorer.charts import SERIES_LABELS, change_chart, sweep_chart, trend_chart
from explorer.runview import build_run_view, frame_table

ROOT = Path(__file__).resolve().parents[2]
DRAWS, SEED = 60, 3


@pytest.fixture(scope="module")
def manchester():
    return load_scenario(ROOT / "scenarios" / "greater-manchester.yaml")


@pytest.fixture(scope="module")
def run(manchester):
    return project(manchester, draws=DRAWS, seed=SEED)


def test_outcome_levels_are_expected_values_like_the_summary_with_the_central_run_beside(run):
    levels, summary = headline_levels(run), run.summary
    pairs = (("reoffences", "reoffences_avoided", -1), ("reoffending_rate", "reoffending_rate_change_pp", 100),
             ("prison_places", "prison_places_avoided", -1), ("probation_caseload", "probation_caseload_change", 1),
             ("court_cases", "court_cases_avoided", -1), ("arrests", "arrests_avoided", -1))
    for metric, key, factor in pairs:
        assert factor * levels.at[metric, "change"] == pytest.approx(summary.at[key, "value"], rel=1e-9), metric
        assert factor * levels.at[metric, "change_central"] == pytest.approx(summary.at[key, "central"], rel=1e-9)
        assert levels.at[metric, "scenario_p10"] <= levels.at[metric, "scenario_p90"]
    # Greater Manchester's expected and central runs differ: the cards must say which they show
    assert levels.at["reoffences", "change"] != pytest.approx(levels.at["reoffences", "change_central"], rel=1e-3)


def test_without_draws_the_levels_are_the_central_run(manchester):
    levels = headline_levels(project(manchester, draws=0))
    assert (levels["change"] == levels["change_central"]).all()
    assert levels["scenario_p10"].isna().all()


def test_no_change_is_decided_at_the_shown_precision():
    assert no_change(-0.0013, 2) and no_change(0.4, 0) and not no_change(0.006, 2) and not no_change(math.nan, 2)
    assert fmt.signed(-0.0013, 2, " pp") == NO_CHANGE == fmt.points(-0.000013)
    assert fmt.headline("percentage points", -0.004) == NO_CHANGE
    assert fmt.headline("£m over the horizon, 2024/25 prices", 0.04, difference=True) == NO_CHANGE


def test_a_scenario_that_places_nothing_tells_a_story_of_no_change(manchester):
    still = project(manchester.with_changes(placements={}), draws=0)
    text = " ".join(story(still))
    assert "no change" in text or "nothing changes" in text
    assert "falls by 0.00" not in text and "rises by 0.00" not in text


def test_every_line_of_a_trend_chart_is_named_and_its_axis_starts_at_zero(run):
    spec = trend_chart(run.frame, "reoffending_rate").to_dict()
    lines = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    colour, dash = lines["encoding"]["color"], lines["encoding"]["strokeDash"]
    assert colour.get("legend", {}) is not None and dash.get("legend", {}) is not None, "the key is not switched off"
    assert set(colour["scale"]["domain"]) >= {SERIES_LABELS["baseline"], SERIES_LABELS["scenario"]}
    y = lines["encoding"]["y"]
    assert y["scale"]["zero"] is True
    assert y["axis"]["tickMinStep"] == fmt.AXIS_PERCENT[1]


def test_compare_charts_name_every_option_in_full_and_one_option_needs_no_key(run):
    names = ["A: On screen: a long scenario name that would be cut", "B: another long name, in a second area"]
    spec = change_chart({n: run.frame for n in names}, "reoffending_rate").to_dict()
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    assert line["encoding"]["color"]["scale"]["domain"] == names
    assert line["encoding"]["color"]["legend"]["labelLimit"] == 0
    single = change_chart({"Scenario": run.frame}, "reoffending_rate").to_dict()
    line = next(layer for layer in single["layer"] if layer["mark"]["type"] == "line")
    assert line["encoding"]["color"]["legend"] is None


@pytest.mark.parametrize("axis", [fmt.AXIS_PERCENT, fmt.AXIS_POINTS, fmt.AXIS_SHARE_POINTS, fmt.AXIS_COUNT,
                                  fmt.AXIS_MONEY, fmt.AXIS_RATIO])
def test_ticks_one_step_apart_never_print_the_same_label(axis):
    number, step = axis
    python = "{:" + number + "}"
    for start in (0.0, 0.2770, 27.7, 1234.5):
        assert python.format(start) != python.format(start + step), (number, start)


def test_the_sweep_names_all_six_stages_on_one_line_each(manchester):
    from cjcore.engine import sweep

    spec = sweep_chart(sweep(manchester, "custody_budget", draws=0), "reoffences_avoided", title="Short").to_dict()
    x = spec["layer"][-1]["encoding"]["x"]
    assert len(x["scale"]["domain"]) == 6 and all(len(label) <= 14 for label in x["scale"]["domain"])
    assert x["axis"]["labelOverlap"] is False and x["axis"]["labelLimit"] == 0
    assert spec["layer"][-1]["encoding"]["y"]["axis"]["minExtent"] == 64, "side-by-side plots line up"


def test_a_budget_above_what_the_functions_can_use_is_said_with_the_models_numbers(manchester):
    big = manchester.with_changes(funding={**manchester.funding.model_dump(), "pooled_budget_gbp_m": 200.0})
    run = project(big, draws=0)
    note = budget_note(run)
    used = 200.0 * big.horizon_years - run.headline("committed_unused_gbp_m")
    assert note.startswith(f"Only £{used:,.1f}m of the £{200.0 * big.horizon_years:,.1f}m committed")
    assert "changes nothing" in note
    assert note in " ".join(story(run))


def test_a_function_moved_without_money_says_why_it_changes_no_outcome():
    national = load_scenario(ROOT / "scenarios" / "national.yaml")
    runs = {stage: project(national.with_changes(placements={"custody_budget": stage}), draws=0)
            for stage in ("co_design", "co_investment")}
    notes = {stage: stage_notes(r) for stage, r in runs.items()}
    assert all("no pooled budget" in n["custody_budget"] for n in notes.values())
    a, b = (headline_levels(r) for r in runs.values())
    assert (a["change"] == b["change"]).all(), "the outcomes really are the same at both stages"


def test_the_numbers_behind_the_charts_are_words_and_rounded(manchester):
    view = build_run_view(manchester, 0, 1)
    table = frame_table(view.frame)
    assert not any(c.islower() for c in (col[0] for col in table.columns))
    assert table.loc[table.Unit == "%", "Central run"].str.endswith("%").all()
    counts = table.loc[(table.Unit != "%") & ~table["Central run"].str.contains("£"), "Central run"]
    assert not counts.empty and not counts.str.contains(".", regex=False).any(), "counts have no decimals"
