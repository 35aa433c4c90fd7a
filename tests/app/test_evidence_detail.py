"""Evidence in full on demand, and an overridden assumption named on Projections (issue 15 item 7)."""

from __future__ import annotations

from cjcore.evidence import STATUS_LABELS, load_register
from explorer import format as fmt


def _evidence(make_app):
    at = make_app().run()
    at.switch_page("pages/evidence.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_each_parameters_source_rating_and_reasoning_can_be_read_in_full(make_app):
    at = _evidence(make_app)
    register = load_register()
    picker = next(s for s in at.selectbox if s.label == "Read in full")
    for param in list(register.parameters.values())[:3] + [max(register.parameters.values(),
                                                                 key=lambda p: len(p.reasoning or ""))]:
        picker.set_value(param.key).run()
        text = " ".join(m.value for m in at.markdown)
        assert param.source in text, "the whole source, not a cell cut to one line"
        assert (param.reasoning or "–") in text
        assert STATUS_LABELS[param.status] in text and param.rating.capitalize() in text
        picker = next(s for s in at.selectbox if s.label == "Read in full")
    table = at.dataframe[0].value
    assert "Source" not in table.columns and "Reasoning" not in table.columns, "read below the table, not cut off"


def test_the_area_baseline_counts_people_in_whole_numbers(make_app):
    at = _evidence(make_app)
    baseline = next(d.value for d in at.dataframe if "Offenders in cohort" in d.value.columns)
    for column in ("Offenders in cohort", "Reoffenders", "Reoffences"):
        assert all("." not in cell for cell in baseline[column]), column
    assert all(cell.endswith("%") for cell in baseline["Reoffending rate"])


def test_projections_names_the_assumptions_the_scenario_overrides(make_app):
    at = _evidence(make_app)
    register = load_register()
    key = "ramp_years"
    param = register[key]
    next(s for s in at.selectbox if s.label == "Parameter").set_value(key).run()
    next(n for n in at.number_input if n.label == "New value").set_value(param.model_value + 1).run()
    next(b for b in at.button if b.key == "ev_apply").click().run()
    assert at.session_state["cj_scenario"].overrides == {key: param.model_value + 1}
    at.switch_page("pages/projections.py").run()
    assert not at.exception
    note = next(i.value for i in at.info if "Assumptions changed" in i.value)
    assert param.label in note and fmt.significant(param.model_value + 1) in note
    at.switch_page("pages/evidence.py").run()
    next(b for b in at.button if b.key == "ev_reset_all").click().run()
    at.switch_page("pages/projections.py").run()
    assert not any("Assumptions changed" in i.value for i in at.info)


def test_a_price_adjusted_default_reads_rounded_and_applying_it_changes_nothing(make_app):
    at = _evidence(make_app)
    register = load_register()
    long_defaults = [p for p in register.parameters.values() if float(f"{p.model_value:.6g}") != p.model_value]
    assert long_defaults, "the register has price-adjusted figures with many digits (e.g. the cost of a reoffence)"
    param = long_defaults[0]
    next(s for s in at.selectbox if s.label == "Parameter").set_value(param.key).run()
    box = next(n for n in at.number_input if n.label == "New value")
    assert box.value == float(f"{param.model_value:.6g}") != param.model_value
    assert len(f"{box.value:g}") <= 8, "no 17-digit float in the box"
    next(b for b in at.button if b.key == "ev_apply").click().run()
    assert not at.exception
    assert param.key not in at.session_state["cj_scenario"].overrides, "the default kept, not a rounded override"


def _share_param():
    """The first register figure held as a share 0–1, with a default strictly between 0 and 1 and no price year."""
    register = load_register()
    return next(p for p in register.parameters.values()
                if fmt.is_share_unit(p.unit) and 0 < p.model_value < 1 and not p.price_year)


def test_shares_and_chances_read_as_percentages_everywhere_on_the_view(make_app):
    at = _evidence(make_app)
    register = load_register()
    table = at.dataframe[0].value.set_index("Parameter")
    for param in register.parameters.values():
        row = table.loc[param.label]
        if fmt.is_share_unit(param.unit):
            assert row.iloc[0].endswith("%") and "(0–1)" not in row["Unit"], param.key
            assert float(row.iloc[0].rstrip("%").replace(",", "")) == float(fmt.significant(100 * param.model_value)
                                                                              .replace(",", "")), param.key
        else:
            assert not row.iloc[0].endswith("%"), param.key
    param = _share_param()
    next(s for s in at.selectbox if s.label == "Read in full").set_value(param.key).run()
    assert any(f"**Value used:** {fmt.register_figure(param.model_value, param.unit)} " in m.value
               for m in at.markdown)


def test_a_share_is_typed_as_a_percentage_and_kept_as_a_share(make_app):
    at = _evidence(make_app)
    param = _share_param()
    next(s for s in at.selectbox if s.label == "Parameter").set_value(param.key).run()
    box = next(n for n in at.number_input if n.label.startswith("New value"))
    assert box.label == "New value (%)"
    assert abs(box.value - 100 * param.model_value) < 1e-6
    assert box.max <= 100 * param.bounds[1] + 1e-9 and box.min >= 100 * param.bounds[0] - 1e-9
    next(b for b in at.button if b.key == "ev_apply").click().run()
    assert param.key not in at.session_state["cj_scenario"].overrides, "the default applied changes nothing"
    typed = round(100 * (param.model_value + param.bounds[1]) / 2, 1)  # between the default and the top
    next(n for n in at.number_input if n.label == "New value (%)").set_value(typed).run()
    next(b for b in at.button if b.key == "ev_apply").click().run()
    assert at.session_state["cj_scenario"].overrides == {param.key: round(typed / 100, 12)}
    assert any(f"**{fmt.register_figure(typed / 100, param.unit)}**" in m.value and m.value.count("%") >= 2
               for m in at.markdown), "the changed assumption listed as percentages"
    at.switch_page("pages/projections.py").run()
    note = next(i.value for i in at.info if "Assumptions changed" in i.value)
    assert f"{fmt.register_figure(param.model_value, param.unit)} → {fmt.register_figure(typed / 100, param.unit)}" \
        in note
