"""The trade-offs on screen, each checked against the model's own numbers (never hard-coded: scenarios change).

Chance cards, the J-curve sentence, the stage trade-off chart, arrangement costs and the postcode lottery.
"""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest

from cjcore.areas import get_area
from cjcore.engine import HEADLINES, project
from cjcore.report import overtake_year, postcode_lottery, stage_tradeoff, years_above
from cjcore.story import jcurve, postcode_sentences, tradeoff_sentences
from cjcore.vocab import FUNCTION, FUNCTION_KEYS, METRIC, STAGE, STAGE_KEYS
from explorer import format as fmt
from explorer.runs import DRAWS, SEED, TRADEOFF_DRAWS
from explorer.theme import CHANCE_CARDS, PLACED_LABEL, TRADEOFF_TITLE
from tests.app.conftest import metric_values, open_compare_tab, open_projection_tab
from tests.cards import cards
from tests.tables import static_tables

HEADLINE_LABEL = {key: label for key, label, _ in HEADLINES}
#: Greater Manchester with only probation moved, to a full transfer: a J-curve (worse first, better later).
PROBATION_FULL_TRANSFER = "0" + "5" + "0" * (len(FUNCTION_KEYS) - 2)


def view(name: str) -> str:
    return f"pages/{name}.py"


def charts(at) -> list[tuple[dict, list[pd.DataFrame]]]:
    """Every chart on the page: its Vega-Lite spec and its datasets as DataFrames."""
    out = []
    for chart in at.get("vega_lite_chart"):
        frames = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]
        out.append((json.loads(chart.proto.spec), frames))
    return out


def chart_data(at, title_start: str, column: str) -> pd.DataFrame:
    """The dataset with `column` of the chart whose title starts with `title_start`."""
    for spec, frames in charts(at):
        title = spec.get("title", "")
        title = title.get("text", "") if isinstance(title, dict) else title
        if str(title).startswith(title_start):
            return next(f for f in frames if column in f)
    raise AssertionError(f"no chart titled {title_start!r}")


def metric(at, label: str):
    return next(m for m in cards(at) if m.label == label)


# ----------------------------------------------------------------------------------------------- cards
def test_projections_cards_show_the_chances_and_arrangement_costs_from_the_model(make_app):
    at = make_app().run()
    at.switch_page(view("projections")).run()
    assert not at.exception
    run = project(at.session_state["cj_scenario"], draws=DRAWS, seed=SEED)
    shown = metric_values(at)
    for key, label in CHANCE_CARDS.items():
        assert shown[label] == fmt.percent(run.headline(key), 0), key
        assert shown[label].endswith("%") and "." not in shown[label]
    assert shown["Transition and governance costs"] == fmt.money_m(run.headline("arrangement_costs_gbp_m"))
    assert run.headline("arrangement_costs_gbp_m") > 0
    worse = "Chance this path does worse than staying as we are"
    assert "exceed the benefits" in metric(at, worse).help
    labels = [m.label for m in cards(at)]
    assert labels.index(worse) == labels.index("Chance of net benefit") + 1, "beside the chance of net benefit"


def test_without_bands_the_chances_are_not_shown_as_certainties(make_app):
    at = make_app().run()
    at.switch_page(view("projections")).run()
    next(t for t in at.toggle if t.label == "Show uncertainty bands").set_value(False).run()
    for label in CHANCE_CARDS.values():
        assert metric(at, label).value == "–"


def test_spectrum_card_shows_the_chance_of_doing_worse_and_follows_a_stage_move(make_app):
    at = make_app().run()
    label = CHANCE_CARDS["chance_npv_negative"]
    run = project(at.session_state["cj_scenario"], draws=DRAWS, seed=SEED)
    assert metric_values(at)[label] == fmt.percent(run.headline("chance_npv_negative"), 0)
    next(s for s in at.select_slider if s.label == "Women offenders").set_value("full_transfer").run()
    moved = project(at.session_state["cj_scenario"], draws=DRAWS, seed=SEED)
    assert metric_values(at)[label] == fmt.percent(moved.headline("chance_npv_negative"), 0)
    at.switch_page(view("funding_governance")).run()
    assert metric_values(at)[label] == fmt.percent(moved.headline("chance_npv_negative"), 0)


# ----------------------------------------------------------------------------------------------- J-curve
def test_projections_say_when_the_scenario_overtakes_the_baseline(make_app):
    at = make_app(s="greater-manchester", p=PROBATION_FULL_TRANSFER).run()
    at.switch_page(view("projections")).run()
    assert not at.exception
    sc = at.session_state["cj_scenario"]
    assert dict(sc.placements) == {"probation": "full_transfer"}
    run = project(sc, draws=DRAWS, seed=SEED)
    year = overtake_year(run)
    assert year is not None, "a full transfer starts behind and catches up within five years"
    sentence = jcurve(run)
    first = len([y for y in years_above(run) if y < year])
    assert sentence.startswith(f"Reoffending is higher than today's for the first {first} year")
    assert sentence.endswith(f"it falls below today's from year {year}.")
    assert [i.value for i in at.info] == [sentence]
    assert any(f"falls below today's from year {year}" in m.value for m in at.markdown), "and the story says so"


def test_no_jcurve_sentence_when_the_scenario_never_starts_behind(make_app):
    at = make_app(s="greater-manchester", p="0" * len(FUNCTION_KEYS)).run()
    at.switch_page(view("projections")).run()
    assert not jcurve(project(at.session_state["cj_scenario"]))
    assert not any("higher than today's" in i.value for i in at.info)


# ----------------------------------------------------------------------------------------------- trade-off chart
@pytest.mark.parametrize("page", ["spectrum", "projections"])
def test_tradeoff_chart_draws_every_function_at_every_stage_from_the_model(make_app, page):
    at = make_app().run()
    at.switch_page(view(page)).run()
    if page == "projections":
        open_projection_tab(at, "how_far")
    assert not at.exception
    sc = at.session_state["cj_scenario"]
    expected = stage_tradeoff(sc, draws=TRADEOFF_DRAWS, seed=SEED)
    data = chart_data(at, TRADEOFF_TITLE, "Function")
    assert len(data) == len(FUNCTION_KEYS) * len(STAGE_KEYS)
    expected = expected.assign(Function=expected.function.map(lambda f: FUNCTION[f].label),
                               Stage=expected.stage.map(lambda s: STAGE[s].label))
    merged = data.merge(expected, on=["Function", "Stage"], validate="one_to_one")
    assert merged["value"].to_numpy() == pytest.approx(merged["reoffences_avoided"].to_numpy())
    assert merged["p10"].to_numpy() == pytest.approx(merged["reoffences_avoided_p10"].to_numpy())
    assert merged["p90"].to_numpy() == pytest.approx(merged["reoffences_avoided_p90"].to_numpy())
    placed = merged[merged.Placed == PLACED_LABEL]
    assert sorted(zip(placed.Function, placed.Stage, strict=True)) == sorted(
        (FUNCTION[f].label, STAGE[sc.stage_of(f)].label) for f in FUNCTION_KEYS)
    assert (merged[merged.Stage == STAGE["national"].label].value == 0).all(), "national adds nothing"
    assert merged.more_reoffences.str.endswith("%").all()
    for sentence in tradeoff_sentences(expected, sc.horizon_years):
        assert any(sentence in m.value for m in at.markdown)


def test_tradeoff_chart_switches_to_net_present_value(make_app):
    at = make_app().run()
    control = next(s for s in at.segmented_control if s.label == "Show")
    control.set_value("npv_gbp_m").run()
    expected = stage_tradeoff(at.session_state["cj_scenario"], draws=TRADEOFF_DRAWS, seed=SEED)
    data = chart_data(at, TRADEOFF_TITLE, "Function")
    by_key = expected.set_index(["function", "stage"])
    for row in data.itertuples():
        function = next(f for f in FUNCTION_KEYS if FUNCTION[f].label == row.Function)
        stage = next(s for s in STAGE_KEYS if STAGE[s].label == row.Stage)
        assert row.value == pytest.approx(by_key.at[(function, stage), "npv_gbp_m"])


def test_a_stage_move_redraws_the_tradeoff_with_the_new_placement_marked(make_app):
    at = make_app().run()
    next(s for s in at.select_slider if s.label == "Custody budget").set_value("co_investment").run()
    data = chart_data(at, TRADEOFF_TITLE, "Function")
    custody = data[(data.Function == FUNCTION["custody_budget"].label) & (data.Placed == PLACED_LABEL)]
    assert list(custody.Stage) == [STAGE["co_investment"].label]


# ----------------------------------------------------------------------------------------------- money
def test_money_breakdown_shows_transition_and_governance_costs(make_app):
    at = make_app().run()
    at.switch_page(view("projections")).run()
    open_projection_tab(at, "money")
    run = project(at.session_state["cj_scenario"], draws=DRAWS, seed=SEED)
    data = chart_data(at, "Money, year by year", "Measure")
    for metric_key in ("transition_cost", "governance_cost"):
        rows = data[data.Measure == METRIC[metric_key].label].sort_values("year")
        frame = run.frame[(run.frame.metric == metric_key) & (run.frame.series == "scenario")].sort_values("year")
        assert rows.value.to_numpy() == pytest.approx(frame.value.to_numpy())
    # The chart is the central estimate (every parameter at its central value), like the rest of run.frame.
    summary = run.summary
    central = summary.at["arrangement_costs_gbp_m", "central" if "central" in summary else "value"]
    shown = data[data.Measure.isin([METRIC["transition_cost"].label, METRIC["governance_cost"].label])].value.sum()
    assert shown == pytest.approx(central) and shown > 0


# ----------------------------------------------------------------------------------------------- compare
def test_compare_table_shows_the_new_chances_as_percentages(make_app):
    at = make_app().run()
    at.switch_page(view("compare")).run()
    run = project(at.session_state["cj_scenario"], draws=DRAWS, seed=SEED)
    table = static_tables(at)[0]
    for key in ("chance_npv_negative", "chance_more_reoffences"):
        row = next(i for i in table.index if i.startswith(HEADLINE_LABEL[key]))
        assert table.loc[row].iloc[0] == fmt.percent(run.headline(key), 0)
    row = next(i for i in table.index if i.startswith(HEADLINE_LABEL["arrangement_costs_gbp_m"]))
    assert table.loc[row].iloc[0] == fmt.money_m(run.headline("arrangement_costs_gbp_m"))


def test_compare_measures_the_postcode_lottery(make_app):
    at = make_app().run()
    at.switch_page(view("compare")).run()
    open_compare_tab(at, "lottery")
    assert not at.exception
    sc = at.session_state["cj_scenario"]
    lottery = postcode_lottery(sc)
    name = get_area(sc.area).name
    table = next(d.value for d in at.dataframe if "Measure" in d.value.columns and "Change" in d.value.columns)
    rows = table.set_index("Measure")
    assert rows.at[f"{name}: reoffending rate", "Today's arrangements"] == fmt.percent(lottery.area_before, 2)
    assert rows.at[f"{name}: reoffending rate", f"If only {name} devolves"] == fmt.percent(lottery.area_after, 2)
    national = "England and Wales rate (all 43 areas, weighted by cohort)"
    assert rows.at[national, "Today's arrangements"] == fmt.percent(lottery.national("before"), 2)
    assert rows.at[national, f"If only {name} devolves"] == fmt.percent(lottery.national("after"), 2)
    gap = rows.at[f"{name} against England and Wales (+ above, − below)", f"If only {name} devolves"]
    assert gap == fmt.signed(100 * lottery.gap_national("after"), 2, fmt.POINTS)
    spread = "Gap between the highest and lowest area"
    assert rows.at[spread, "Today's arrangements"] == f"{100 * lottery.spread('before'):.2f}{fmt.POINTS}"
    std = "Spread across the 43 areas (standard deviation, weighted by cohort)"
    assert rows.at[std, f"If only {name} devolves"] == f"{100 * lottery.std('after'):.2f}{fmt.POINTS}"
    for sentence in postcode_sentences(lottery, sc.horizon_years):
        assert any(sentence in m.value for m in at.markdown)
    data = chart_data(at, "Reoffending rate in each of the 43 areas", "Rate")
    assert len(data) == 42, "every other area as a tick"


def test_postcode_lottery_is_zero_change_when_nothing_is_devolved(make_app):
    at = make_app(s="greater-manchester", p="0" * len(FUNCTION_KEYS)).run()
    at.switch_page(view("compare")).run()
    open_compare_tab(at, "lottery")
    table = next(d.value for d in at.dataframe if "Measure" in d.value.columns and "Change" in d.value.columns)
    assert set(table.Change) <= {fmt.NO_CHANGE, "–"}
