"""Projections' and Compare's charts, drawn from templates and kept per scenario (explorer/pagecharts.py), are the
charts altair makes from an uncached projection of each scenario: the same spec and the same rows."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa

from cjcore.engine import project, sweep
from cjcore.scenario_io import load_builtin
from cjcore.vocab import DEMAND_METRICS
from explorer.charts import change_chart, sweep_chart, trend_chart
from explorer.runs import DRAWS, SEED
from explorer.theme import REOFFENDING_CHART_KEY, REOFFENDING_CHARTS
from tests.app.conftest import open_compare_tab, open_projection_tab
from tests.tables import static_tables

ORIGIN = "greater-manchester"


def _rows(table) -> list[dict]:
    """Arrow rows as JSON-ready records (NaN as None), in their order."""
    frame = table.to_pandas()
    return [{k: (None if isinstance(v, float) and np.isnan(v) else v.item() if hasattr(v, "item") else v)
             for k, v in row.items()} for row in frame.to_dict("records")]


def drawn(at) -> dict[str, tuple[dict, list[list[dict]]]]:
    """Each chart on the page by its title: its spec without data, and its data sets' rows."""
    out = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec.get("title")
        title = title.get("text") if isinstance(title, dict) else title
        rows = sorted((_rows(pa.ipc.open_stream(d.data.data).read_all()) for d in chart.proto.datasets), key=len)
        out[str(title)] = (spec, rows)
    return out


def expected(chart) -> tuple[dict, list[list[dict]]]:
    """An altair chart as `drawn` reads one (data set names aside, which hash the rows)."""
    spec = chart.to_dict(validate=False)
    datasets = spec.pop("datasets")
    return spec, sorted(datasets.values(), key=len)


def same(shown: tuple[dict, list[list[dict]]], wanted: tuple[dict, list[list[dict]]]) -> bool:
    return _blank(shown[0]) == _blank(wanted[0]) and shown[1] == wanted[1]


def _blank(node):
    """A spec with its data set names blanked (they hash the rows, compared on their own)."""
    if isinstance(node, dict):
        if set(node) == {"name"} and str(node["name"]).startswith("data-"):
            return {"name": "…"}
        return {k: _blank(v) for k, v in node.items() if k != "$schema"}
    if isinstance(node, list):
        return [_blank(v) for v in node]
    return node


def shown_names(at) -> list[str]:
    """The options' names as the side-by-side table's headers show them."""
    return list(static_tables(at)[0].columns)


def test_projections_charts_are_altairs_of_the_projection(make_app):
    at = make_app(s=ORIGIN).run()
    at.switch_page("pages/projections.py").run()
    assert not at.exception
    frame = project(load_builtin(ORIGIN), draws=DRAWS, seed=SEED).frame
    # One reoffending chart at a time: the rate against its baseline first, its change one click away.
    charts = drawn(at)
    assert list(charts) == ["Proven reoffending rate"]
    assert same(charts["Proven reoffending rate"], expected(trend_chart(frame, "reoffending_rate")))
    at.segmented_control(key=REOFFENDING_CHART_KEY).set_value("change").run()
    assert not at.exception
    charts = drawn(at)
    assert list(charts) == [REOFFENDING_CHARTS["change"]]
    assert same(charts[REOFFENDING_CHARTS["change"]],
                expected(change_chart({"Scenario": frame}, "reoffending_rate", title=REOFFENDING_CHARTS["change"])))
    open_projection_tab(at, "demand")
    charts = drawn(at)
    for metric in DEMAND_METRICS:
        chart = trend_chart(frame, metric)
        assert same(charts[chart.title.text], expected(chart)), metric


def test_compare_charts_name_each_option_and_draw_its_own_projection(make_app):
    at = make_app(s=ORIGIN).run()
    at.switch_page("pages/compare.py").run()
    at.multiselect(key="cmp_scenarios").set_value(["__on_screen__", "london", "staged-path"]).run()
    assert not at.exception
    names = shown_names(at)
    assert len(names) == 3 and names[1].startswith("B: ") and "London" in names[1]
    frames = {name: project(load_builtin(key), draws=DRAWS, seed=SEED).frame
              for name, key in zip(names, (ORIGIN, "london", "staged-path"), strict=True)}
    # One chart at a time, reoffences first; each measure of the picker draws its own.
    charts = drawn(at)
    assert list(charts) == [change_chart(frames, "reoffences").title.text]
    for metric in ("reoffences", "reoffending_rate", *DEMAND_METRICS):
        at.segmented_control(key="cmp_metric").set_value(metric).run()
        assert not at.exception
        chart = change_chart(frames, metric)
        charts = drawn(at)
        assert len(charts) == 1 and same(charts[chart.title.text], expected(chart)), metric
    # another option in place of one: the template of three options serves other names; the measure stays picked
    at.multiselect(key="cmp_scenarios").set_value(["__on_screen__", "west-midlands", "staged-path"]).run()
    names = shown_names(at)
    frames = {name: project(load_builtin(key), draws=DRAWS, seed=SEED).frame
              for name, key in zip(names, (ORIGIN, "west-midlands", "staged-path"), strict=True)}
    at.segmented_control(key="cmp_metric").set_value("arrests").run()
    chart = change_chart(frames, "arrests")
    assert same(drawn(at)[chart.title.text], expected(chart))


def test_the_sweep_follows_the_function_and_the_scenario_on_screen(make_app):
    at = make_app(s=ORIGIN).run()
    at.switch_page("pages/compare.py").run()
    open_compare_tab(at, "sweep")
    at.selectbox(key="cmp_sweep_function").set_value("probation").run()
    assert not at.exception
    swept = sweep(load_builtin(ORIGIN), "probation", draws=DRAWS, seed=SEED)
    charts = drawn(at)
    for key, title in (("reoffences_avoided", "Reoffences avoided"), ("npv_gbp_m", "Net present value"),
                       ("net_fiscal_cost_gbp_m", "Net cost to the public purse")):
        assert same(charts[title], expected(sweep_chart(swept, key, title=title))), key
    # another area chosen in the sidebar: the tabs read the new scenario (they are a fragment with no arguments)
    next(b for b in at.selectbox if b.label == "Area").set_value("london").run()
    assert not at.exception
    swept = sweep(load_builtin(ORIGIN).with_changes(area="london"), "probation", draws=DRAWS, seed=SEED)
    assert same(drawn(at)["Net present value"], expected(sweep_chart(swept, "npv_gbp_m", title="Net present value")))
