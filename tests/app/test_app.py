"""The app through Streamlit's AppTest: every view runs, edits flow to projections, links reproduce views."""

from __future__ import annotations

import pytest
import yaml

from cjcore.engine import sweep
from cjcore.scenario_io import dump_scenario, load_builtin
from cjcore.store import LOCAL, open_store
from explorer import format as fmt
from explorer.runs import DRAWS, SEED
from tests.app.conftest import VIEWS, metric_values, number, open_compare_tab, open_projection_tab
from tests.cards import cards
from tests.security.oracle import shown_text
from tests.tables import static_tables

REOFFENCES = "Reoffences"


def view(name: str) -> str:
    return f"pages/{name}.py"


@pytest.mark.parametrize("name", VIEWS)
def test_every_view_runs_without_exception(make_app, name):
    at = make_app().run()
    at.switch_page(view(name)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "each view has a title"
    assert len(at.sidebar.children) >= 4, "the shared sidebar is drawn on every view"


def test_moving_a_function_towards_full_transfer_lowers_reoffences(make_app):
    at = make_app().run()
    before = number(metric_values(at)[REOFFENCES])
    slider = next(s for s in at.select_slider if s.label == "Substance misuse")
    assert slider.value == "national"
    slider.set_value("full_transfer").run()
    assert not at.exception
    after = number(metric_values(at)[REOFFENCES])
    assert after < before
    at.switch_page(view("projections")).run()
    on_projections = number(metric_values(at)[REOFFENCES])
    assert on_projections == after
    delta = next(m for m in cards(at) if m.label == REOFFENCES).delta
    assert delta.startswith(fmt.MINUS), "the delta against the baseline is a fall"


def test_switching_views_keeps_the_scenario(make_app):
    at = make_app().run()
    next(s for s in at.select_slider if s.label == "Custody budget").set_value("devolved_budget").run()
    at.switch_page(view("funding_governance")).run()
    at.number_input[0].set_value(20.0).run()
    for name in ("projections", "evidence", "spectrum"):
        at.switch_page(view(name)).run()
    sc = at.session_state["cj_scenario"]
    assert sc.stage_of("custody_budget") == "devolved_budget"
    assert sc.funding.pooled_budget_gbp_m == 20.0
    assert next(s for s in at.select_slider if s.label == "Custody budget").value == "devolved_budget"


def test_share_link_reproduces_the_view(make_app):
    at = make_app().run()
    next(s for s in at.select_slider if s.label == "Women offenders").set_value("full_transfer").run()
    at.switch_page(view("funding_governance")).run()
    next(s for s in at.slider if s.label.startswith("Local buy-in")).set_value(5).run()
    at.switch_page(view("projections")).run()
    link = dict(at.query_params)
    assert link["s"] == "greater-manchester" and "p" in link and "gc" in link
    shown = metric_values(at)

    fresh = make_app(**link).run()
    fresh.switch_page(view("projections")).run()
    assert fresh.session_state["cj_scenario"] == at.session_state["cj_scenario"]
    assert metric_values(fresh) == shown
    # No warning about the link itself: only the model's own findings on the scenario, the same as before.
    assert [w.value for w in fresh.warning] == [w.value for w in at.warning]


@pytest.mark.parametrize("param, value", [("p", "99x"), ("gc", "777777"), ("fb", "lots"), ("s", "../../etc/passwd"),
                                          ("area", "atlantis"), ("o", "no.such.key:3")])
def test_a_bad_link_warns_and_falls_back(make_app, param, value):
    at = make_app(**{"s": "greater-manchester", param: value}).run()
    assert not at.exception
    assert at.warning, "a warning explains what was ignored"
    assert at.session_state["cj_scenario"].area in ("greater-manchester",)


def test_uploading_an_invalid_scenario_lists_its_errors(make_app):
    at = make_app().run()
    at.switch_page(view("scenarios")).run()
    bad = b"schema: 1\nname: Bad\narea: greater-manchester\nplacements: {youth_justice: everything}\nfunding:\n" \
          b"  national_share: 7\n"
    at.file_uploader[0].upload("bad.yaml", bad, "application/x-yaml").run()
    assert not at.exception
    errors = " ".join(shown_text(e.value) for e in at.error)  # problems are shown as literal text
    assert "bad.yaml: placements.youth_justice" in errors
    assert "bad.yaml: funding.national_share" in errors
    assert at.session_state["cj_scenario"] == load_builtin("greater-manchester"), "nothing was loaded"


def test_uploading_a_valid_scenario_makes_it_current(make_app):
    at = make_app().run()
    at.switch_page(view("scenarios")).run()
    london = load_builtin("london")
    at.file_uploader[0].upload("london.yaml", dump_scenario(london).encode(), "application/x-yaml").run()
    assert not at.exception
    assert at.session_state["cj_scenario"] == london


def test_yaml_editor_shows_errors_live_and_applies_valid_text(make_app):
    at = make_app().run()
    at.switch_page(view("scenarios")).run()
    editor = at.text_area[0]
    data = yaml.safe_load(editor.value)
    data["horizon_years"] = 42
    editor.set_value(yaml.safe_dump(data, sort_keys=False)).run()
    assert any("horizon_years" in shown_text(e.value) for e in at.error)
    data["horizon_years"] = 7
    at.text_area[0].set_value(yaml.safe_dump(data, sort_keys=False)).run()
    next(b for b in at.button if b.label == "Apply changes").click().run()
    assert at.session_state["cj_scenario"].horizon_years == 7


def test_save_as_new_makes_a_saved_scenario(make_app, user_dir):
    at = make_app().run()
    at.switch_page(view("scenarios")).run()
    next(t for t in at.text_input if t.label == "Save as").set_value("Our workshop option A").run()
    next(b for b in at.button if b.label == "Save as new scenario").click().run()
    assert not at.exception
    store = open_store()
    (info,) = store.list(LOCAL)
    assert info.title == "Our workshop option A" and info.latest == 1
    assert store.latest(LOCAL, info.id).scenario().name == "Our workshop option A"
    assert at.session_state["cj_origin_key"] == f"id:{info.id}@1"
    assert any("Saved as a new scenario" in s.value for s in at.success)
    store.close()


def test_presenter_mode_enlarges_type_and_is_kept_in_the_link(make_app):
    at = make_app().run()
    next(t for t in at.toggle if t.label == "Presenter mode").set_value(True).run()
    assert any("font-size: 22px" in m.value for m in at.markdown)
    assert at.query_params["pm"] == "1"
    fresh = make_app(**dict(at.query_params)).run()
    assert fresh.session_state["cj_presenter"] is True


def test_reset_returns_to_the_loaded_scenario(make_app):
    at = make_app().run()
    next(s for s in at.select_slider if s.label == "Serious violence").set_value("co_design").run()
    assert at.session_state["cj_scenario"] != load_builtin("greater-manchester")
    next(b for b in at.button if b.label == "Reset to loaded scenario").click().run()
    assert at.session_state["cj_scenario"] == load_builtin("greater-manchester")
    assert next(s for s in at.select_slider if s.label == "Serious violence").value == "national"


def test_notes_are_kept_in_the_scenario_and_travel_in_the_link(make_app):
    at = make_app().run()
    next(t for t in at.text_area if t.label == "Overall decisions").set_value("Agreed: youth justice first ✓").run()
    next(t for t in at.text_area if t.label == "Notes on youth justice").set_value("Ask the YJB about data").run()
    notes = at.session_state["cj_scenario"].notes
    assert [(n.topic, n.text) for n in notes] == [("overall", "Agreed: youth justice first ✓"),
                                                   ("youth_justice", "Ask the YJB about data")]
    fresh = make_app(**dict(at.query_params)).run()
    assert fresh.session_state["cj_scenario"].notes == notes
    assert next(t for t in fresh.text_area if t.label == "Overall decisions").value == "Agreed: youth justice first ✓"


def test_notes_survive_download_and_upload(make_app):
    at = make_app().run()
    next(t for t in at.text_area if t.label == "Overall decisions").set_value("Decision: pool £12m").run()
    downloaded = dump_scenario(at.session_state["cj_scenario"]).encode()
    fresh = make_app().run()
    fresh.switch_page(view("scenarios")).run()
    fresh.file_uploader[0].upload("ours.yaml", downloaded, "application/x-yaml").run()
    fresh.switch_page(view("spectrum")).run()
    assert next(t for t in fresh.text_area if t.label == "Overall decisions").value == "Decision: pool £12m"


def test_compare_sets_scenarios_side_by_side(make_app):
    at = make_app().run()
    at.switch_page(view("compare")).run()
    at.multiselect[0].set_value(["__on_screen__", "london", "staged-path"]).run()
    assert not at.exception
    table = static_tables(at)[0]
    assert [c.split(":")[0] for c in table.columns] == ["A", "B", "C"], "one column per option, all visible"
    assert all(cell.endswith("vs A)") for c in table.columns[1:] for cell in table[c]), "differences from A marked"
    assert not any(cell.endswith("vs A)") for cell in table[table.columns[0]])
    assert len(at.get("vega_lite_chart")) == 1, "one year-by-year chart, its measure picked"
    assert len(at.segmented_control(key="cmp_metric").options) == 7, "every measure can be picked"


def test_area_comparison_applies_the_same_deal_to_each_area(make_app):
    at = make_app().run()
    at.switch_page(view("compare")).run()
    open_compare_tab(at, "areas")
    area_select = next(m for m in at.multiselect if m.label == "Areas")
    area_select.set_value(["greater-manchester", "north-wales", "dorset"]).run()
    spread = next(d.value for d in at.dataframe if "Reoffences avoided per 1,000 offenders" in d.value.columns)
    assert sorted(spread.Area) == ["Dorset", "Greater Manchester", "North Wales"]
    assert spread["Reoffences avoided per 1,000 offenders"].nunique() == 3, "areas differ: the postcode lottery"


def test_sweep_shows_every_stage_for_the_chosen_function(make_app):
    at = make_app().run()
    at.switch_page(view("compare")).run()
    open_compare_tab(at, "sweep")
    next(s for s in at.selectbox if s.label == "Function to sweep").set_value("custody_budget").run()
    stages = ["National (today)", "Co-design", "Co-investment", "Co-commissioning", "Devolved budget", "Full transfer"]
    table = next(t for t in static_tables(at) if list(t.columns) == stages)
    expected = sweep(at.session_state["cj_scenario"], "custody_budget", draws=DRAWS, seed=SEED)
    for key in ("reoffences_avoided", "npv_gbp_m", "chance_npv_negative", "chance_more_reoffences"):
        rows = expected[expected.key == key]
        label, unit = rows.label.iloc[0], rows.unit.iloc[0]
        assert list(table.loc[label]) == [fmt.headline(unit, v) for v in rows.value], key
    assert table.loc["Chance this path does worse than staying as we are (costs exceed benefits)"].str.endswith(
        "%").all(), "chances as whole percentages"


def test_undo_and_redo_restore_exact_scenarios(make_app):
    at = make_app().run()
    states = [at.session_state["cj_scenario"]]
    next(s for s in at.select_slider if s.label == "Serious violence").set_value("co_design").run()
    states.append(at.session_state["cj_scenario"])
    at.switch_page(view("funding_governance")).run()
    at.number_input[0].set_value(3.5).run()
    states.append(at.session_state["cj_scenario"])
    assert states[0] != states[1] != states[2]

    def press(label: str) -> None:
        next(b for b in at.button if b.label == label).click().run()

    press("Undo")
    assert at.session_state["cj_scenario"] == states[1]
    assert at.number_input[0].value == states[1].funding.pooled_budget_gbp_m, "the control redraws"
    press("Undo")
    assert at.session_state["cj_scenario"] == states[0]
    assert next(b for b in at.button if b.label == "Undo").disabled
    press("Redo")
    press("Redo")
    assert at.session_state["cj_scenario"] == states[2]
    assert next(b for b in at.button if b.label == "Redo").disabled


def test_what_changed_lists_the_edits_since_loading(make_app):
    at = make_app().run()
    next(s for s in at.select_slider if s.label == "Custody budget").set_value("devolved_budget").run()
    expander = next(e for e in at.expander if e.label.startswith("What changed since loading"))
    assert "(1)" in expander.label
    assert "Custody budget: National (today) → Devolved budget" in shown_text(expander.markdown[0].value)


def chart_series(at, title: str) -> set[str]:
    """The series drawn in the chart with this title (from its Arrow data)."""
    import json

    import pyarrow as pa

    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        if json.dumps(spec.get("title", "")).find(title) < 0:
            continue
        names = set()
        for dataset in chart.proto.datasets:
            table = pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
            if "Series" in table:
                names |= set(table.Series)
        return names
    raise AssertionError(f"no chart titled {title!r}")


def test_projections_tell_the_story_and_who_pays(make_app):
    at = make_app().run()
    at.switch_page(view("projections")).run()
    assert not at.exception
    assert any(h.value == "The story" for h in at.subheader)
    assert any("Greater Manchester places youth justice at full transfer" in m.value for m in at.markdown)
    labels = {m.label for m in cards(at)}
    assert {"Chance of net benefit", "Area's net position"} <= labels
    open_projection_tab(at, "who_pays")
    agencies = next(t for t in static_tables(at) if "Agency" in t.columns)
    assert "Victims and society" in set(agencies.Agency)
    cells = agencies.drop(columns=["Agency"]).to_numpy().ravel()
    assert all("-" not in c and "None" not in c and "nan" not in c for c in cells), "figures written one way"
    assert any(c.startswith("−") for c in cells), "the minus sign, as every other view writes it"
    open_projection_tab(at, "demand")
    assert chart_series(at, "Prison places") == {"Baseline (no devolution)", "Scenario"}


def test_an_assumption_moves_the_baseline_and_has_its_own_reset(make_app):
    at = make_app().run()
    at.switch_page(view("evidence")).run()
    next(s for s in at.selectbox if s.label == "Parameter").set_value("custody_per_offence").run()
    next(n for n in at.number_input if n.label == "New value").set_value(0.1).run()
    next(b for b in at.button if b.label == "Apply").click().run()
    assert dict(at.session_state["cj_scenario"].overrides) == {"custody_per_offence": 0.1}
    at.switch_page(view("projections")).run()
    open_projection_tab(at, "demand")
    assert chart_series(at, "Prison places") == {"Baseline (no devolution)", "Scenario",
                                                 "Baseline with default assumptions"}
    at.switch_page(view("spectrum")).run()
    next(s for s in at.select_slider if s.label == "Women offenders").set_value("full_transfer").run()
    next(b for b in at.button if b.label == "Reset policy choices only").click().run()
    sc = at.session_state["cj_scenario"]
    assert sc.stage_of("women") == "co_commissioning" and dict(sc.overrides) == {"custody_per_offence": 0.1}
    at.switch_page(view("evidence")).run()
    next(b for b in at.button if b.key == "ev_reset_custody_per_offence").click().run()
    assert not at.session_state["cj_scenario"].overrides


def test_implausible_settings_warn_where_they_are_made(make_app):
    at = make_app(s="greater-manchester", gc="11111").run()
    assert any("needs governance readiness" in w.value for w in at.warning), "on the spectrum view"
    at.switch_page(view("projections")).run()
    assert any("needs governance readiness" in w.value for w in at.warning), "and on projections"
    fresh = make_app(s="greater-manchester", fb="0").run()
    fresh.switch_page(view("funding_governance")).run()
    assert any("no pooled budget" in w.value for w in fresh.warning)


def test_visiting_every_view_never_changes_an_unusual_scenario(make_app):
    at = make_app(s="london", fb="100.8125", fn="0.63", fi="0.333", gc="05241", h="7", p="123450123").run()
    loaded = at.session_state["cj_scenario"]
    assert loaded.funding.pooled_budget_gbp_m == 100.8125 and loaded.horizon_years == 7
    for name in VIEWS:
        at.switch_page(view(name)).run()
        assert not at.exception
        assert at.session_state["cj_scenario"] == loaded, f"opening {name} changed the scenario"
