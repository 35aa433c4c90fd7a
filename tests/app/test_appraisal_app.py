"""The Green Book appraisal on screen: committed money, optimism bias, price base, expected values, evidence."""

from __future__ import annotations

import pytest

from cjcore.engine import funding_in_place, project
from cjcore.prices import PRICE_BASE_LABEL
from cjcore.story import story
from explorer import format as fmt
from explorer.runs import DRAWS, SEED
from tests.app.conftest import open_projection_tab
from tests.cards import cards
from tests.security.oracle import shown_text
from tests.tables import static_tables

FUNDING = "pages/funding_governance.py"
BIG_BUDGET = 200.0  # far more than the placed functions can use, so some committed money is unused


def _funding_page(make_app, **query):
    at = make_app(**query).run()
    at.switch_page(FUNDING).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _used_caption(at) -> str:
    """The note beside the budget control when more is committed than the placed functions can use."""
    return next(c.value for c in at.info if "committed over the horizon" in c.value)


def test_unspent_money_control_changes_the_scenario_the_link_and_the_story(make_app):
    at = _funding_page(make_app)
    at.number_input[0].set_value(BIG_BUDGET).run()
    radio = next(r for r in at.radio if r.label == "Unspent pooled money")
    assert radio.value == "returned"
    assert "returned to those who paid it" in _used_caption(at)
    radio.set_value("retained").run()
    assert not at.exception
    sc = at.session_state["cj_scenario"]
    assert sc.funding.unspent == "retained"
    assert at.query_params["fu"] in ("retained", ["retained"])
    run = project(sc, draws=DRAWS, seed=SEED)
    committed = BIG_BUDGET * float(funding_in_place(sc, sc.horizon_years).sum())
    used = committed - run.headline("committed_unused_gbp_m")
    caption = _used_caption(at)
    assert f"{fmt.money_m(used)} of the {fmt.money_m(committed)} committed over the horizon" in caption
    assert PRICE_BASE_LABEL in caption and "kept in the pooled budget" in caption
    assert run.headline("committed_unused_gbp_m") > 0
    text = " ".join(story(run))
    assert "kept in the pooled budget and counted as spent" in text and "lapses" not in text
    returned = " ".join(story(project(sc.with_changes(funding={**sc.funding.model_dump(), "unspent": "returned"}),
                                      draws=0)))
    assert "is returned to those who paid it" in returned


def test_a_share_link_with_unspent_money_kept_opens_with_the_control_set(make_app):
    at = _funding_page(make_app, fu="retained")
    assert at.session_state["cj_scenario"].funding.unspent == "retained"
    assert next(r for r in at.radio if r.label == "Unspent pooled money").value == "retained"


def _charts(at) -> dict[str, dict]:
    import json

    out = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec.get("title")
        title = title.get("text") if isinstance(title, dict) else title
        if title is None and spec.get("layer"):
            title = next((layer.get("title") for layer in spec["layer"] if layer.get("title")), None)
        out[str(title)] = spec
    return out


def test_projections_show_optimism_bias_as_its_own_cost_and_money_in_the_price_base(make_app):
    from explorer.theme import OPTIMISM_BIAS_LABEL
    from tests.app.conftest import metric_values

    at = make_app().run()
    at.switch_page("pages/projections.py").run()
    assert not at.exception, [e.value for e in at.exception]
    sc = at.session_state["cj_scenario"]
    run = project(sc, draws=DRAWS, seed=SEED)
    bias = run.headline("optimism_bias_gbp_m")
    assert bias > 0
    assert metric_values(at)[OPTIMISM_BIAS_LABEL] == fmt.money_m(bias)
    ratio = next(m for m in cards(at) if m.label == "Benefit–cost ratio")
    for words in ("programmes", "transition and governance", "optimism bias", "unspent pooled money kept"):
        assert words in ratio.help
    open_projection_tab(at, "money")
    money = _charts(at)["Money, year by year"]
    assert PRICE_BASE_LABEL in money["encoding"]["y"]["title"]
    assert OPTIMISM_BIAS_LABEL in money["encoding"]["color"]["scale"]["domain"]


def test_money_cards_show_the_expected_value_and_name_the_central_one(make_app):
    at = make_app().run()
    at.switch_page("pages/projections.py").run()
    sc = at.session_state["cj_scenario"]
    run = project(sc, draws=DRAWS, seed=SEED)
    card = next(m for m in cards(at) if m.label == "Net present value")
    assert card.value == fmt.money_m(run.headline("npv_gbp_m"))
    assert f"Expected value (mean of {DRAWS} draws)" in card.help
    assert fmt.money_m(run.central_headline("npv_gbp_m")) in card.help and "docs/model.md" in card.help
    assert run.headline("npv_gbp_m") != run.central_headline("npv_gbp_m")


def test_money_on_screen_states_the_price_base(make_app):
    at = make_app().run()
    at.switch_page("pages/projections.py").run()
    open_projection_tab(at, "who_pays")
    charts = _charts(at)
    assert PRICE_BASE_LABEL in charts["Who pays and who gains (black tick: net)"]["layer"][0]["encoding"]["x"]["title"]
    agency_table = next(t for t in static_tables(at) if "Agency" in t.columns)
    assert {"Puts in", "Gets back", "Net"} <= set(agency_table.columns)
    assert not [c for c in agency_table.columns if "£m" in c], "the unit is said once, not in every header"
    assert any(c.value.startswith(f"Money in £m, {PRICE_BASE_LABEL}") for c in at.caption), "said above the table"
    at.switch_page(FUNDING).run()
    assert PRICE_BASE_LABEL in at.number_input[0].label


def test_evidence_shows_each_money_parameter_in_its_price_year_and_in_the_price_base(make_app):
    from cjcore.evidence import load_register

    at = make_app().run()
    at.switch_page("pages/evidence.py").run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value.set_index("Parameter")
    used = f"Value used (money in {PRICE_BASE_LABEL})"
    money = [p for p in load_register().parameters.values() if p.price_year]
    assert money
    for p in money:
        row = table.loc[p.label]
        assert row["Price year"] == p.price_year.replace("-", "/")
        assert float(row[used].replace(",", "")) == pytest.approx(p.model_value, rel=5e-4)
        assert float(row["Value in the register"].replace(",", "")) == pytest.approx(p.value, rel=5e-4)
        assert row[f"Uplift to {PRICE_BASE_LABEL}"] == f"× {p.factor:.3f}"
        assert row["Evidence rating"].lower() == p.rating
    plain = next(p for p in load_register().parameters.values()  # a plain number (shares read as %: see
                 if not p.price_year and not fmt.is_share_unit(p.unit))  # tests/app/test_evidence_detail.py)
    assert table.loc[plain.label, "Price year"] == ""
    assert float(table.loc[plain.label, used]) == pytest.approx(plain.value)
    assert any("docs/model.md reproduces by hand" in c.value for c in at.caption)


OWN_FIGURES = (b"# source: MoJ proven reoffending geographic data tool, Apr 2021-Mar 2022 cohort\n"
               b"group,offenders,reoffenders,reoffences\n"
               b"young_people,850,290,1050\nyoung_adults,3100,820,2600\nadults_25plus,9400,2450,8900\n")


def test_the_areas_own_figures_can_be_uploaded_shown_beside_the_derived_ones_and_removed(make_app):
    from cjcore.baseline_csv import parse_baseline_csv, template_csv
    from cjcore.own_figures import SUPPLIED_LABEL, baseline_comparison

    at = make_app().run()
    at.switch_page("pages/evidence.py").run()
    template = next(b for b in at.get("download_button") if "template" in b.proto.label.lower())
    assert template.proto.label == "Download a template CSV"
    assert template_csv()  # the button serves the core's template
    uploader = next(u for u in at.file_uploader if "own figures" in u.label)
    uploader.upload("own.csv", OWN_FIGURES, "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    sc = at.session_state["cj_scenario"]
    assert sc.baseline == parse_baseline_csv(OWN_FIGURES, "own.csv")
    shown = next(d.value for d in at.dataframe if "Supplied by the user" in d.value.columns)
    expected = baseline_comparison(sc.area, sc.baseline)
    expected = expected[expected.supplied.notna()]
    # figures in their units: counts as numbers, the reoffending rate (a share) as a percentage
    assert list(shown["Supplied by the user"]) == [fmt.register_figure(v, u)
                                                   for v, u in zip(expected.supplied, expected.unit, strict=True)]
    assert list(shown["Derived"]) == [fmt.register_figure(v, u)
                                      for v, u in zip(expected.derived, expected.unit, strict=True)]
    rates = shown[shown.Figure == "Proven reoffending rate"]
    assert len(rates) and all(v.endswith("%") for v in rates["Supplied by the user"]) and set(rates.Unit) == {"share"}
    assert all(s.startswith(SUPPLIED_LABEL) for s in shown.Source)
    next(b for b in at.button if b.key == "ev_own_remove").click().run()
    assert at.session_state["cj_scenario"].baseline is None


def test_a_bad_own_figures_file_lists_its_errors_like_a_scenario_file(make_app):
    from cjcore.baseline_csv import parse_baseline_csv
    from cjcore.scenario_io import ScenarioError

    bad = b"group,offenders,reoffenders,reoffences\nyoung_people,10,20,5\n"
    with pytest.raises(ScenarioError) as caught:
        parse_baseline_csv(bad, "bad.csv")
    at = make_app().run()
    at.switch_page("pages/evidence.py").run()
    next(u for u in at.file_uploader if "own figures" in u.label).upload("bad.csv", bad, "text/csv").run()
    assert not at.exception
    error = next(shown_text(e.value) for e in at.error if "cannot be used yet" in e.value)
    for line in caught.value.problems:
        assert line in error
    assert at.session_state["cj_scenario"].baseline is None


def test_the_story_names_the_optimism_bias_as_a_cost(make_app):
    at = make_app().run()
    at.switch_page("pages/projections.py").run()
    run = project(at.session_state["cj_scenario"], draws=DRAWS, seed=SEED)
    assert run.headline("optimism_bias_gbp_m") > 0
    assert f"{fmt.money_m(run.headline('optimism_bias_gbp_m'))} of optimism bias" in " ".join(story(run))
    assert any("of optimism bias (the Green Book adjustment" in m.value for m in at.markdown)
