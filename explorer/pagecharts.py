"""The charts of Projections and Compare as Vega-Lite specs, made once per scenario and kept.

Each chart is made from its template (`explorer.specs`: altair's own spec, refilled with the rows), its rows turned
into Arrow once (`explorer.chartdata.arrow_datasets`), and kept in `st.cache_data` on the scenario's model key
(`explorer.runs.model_key`), so a page that reruns without a change (a tab opened, an option added beside it)
reuses it. The rows come from the same cached projection the page reads (`explorer.runs.run_view`, `sweep_view`),
or from the same engine run (`changes`), so the charts draw exactly the figures beside them. Draw a spec with
`st.vega_lite_chart(spec=..., width="stretch")`.

The scenario itself is passed with a leading underscore: Streamlit does not hash it, its model key stands for it.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from cjcore.engine import project
from cjcore.schema import Scenario
from cjcore.vocab import DEMAND_METRICS
from explorer import specs
from explorer.chartdata import arrow_datasets
from explorer.charts import change_rows
from explorer.runs import DRAWS, SEED, model_key, run_view, sweep_view

#: The metrics whose change against baseline Compare can draw, one at a time (the measure picked).
COMPARED = ("reoffences", "reoffending_rate", *DEMAND_METRICS)


@st.cache_data(max_entries=256, show_spinner=False)
def _trend(key: str, uncertainty: bool, metric: str, presenter: bool, _scenario: Scenario) -> dict:
    return arrow_datasets(specs.trend_spec(run_view(_scenario, uncertainty).frame, metric, presenter))


def trend_spec(scenario: Scenario, metric: str, presenter: bool, uncertainty: bool = True) -> dict:
    """`explorer.charts.trend_chart` of the scenario's projection (with or without draws), as a spec."""
    return _trend(model_key(scenario), uncertainty, metric, presenter, scenario)


@st.cache_data(max_entries=256, show_spinner=False)
def _changes(key: str, uncertainty: bool, _scenario: Scenario) -> dict[str, list[dict]]:
    # The projection alone, as `run_view` makes it (same draws and seed, so the same central run), without the
    # tables a full view adds (cohorts, money, agencies, story): an option added on Compare needs only this.
    frame = project(_scenario, draws=DRAWS if uncertainty else 0, seed=SEED).frame
    return {metric: change_rows(frame, metric) for metric in COMPARED}


def changes(scenario: Scenario, uncertainty: bool = True) -> dict[str, list[dict]]:
    """The scenario's change against its baseline per year, by metric of `COMPARED` (`charts.change_rows`)."""
    return _changes(model_key(scenario), uncertainty, scenario)


def change_spec(options: Mapping[str, Mapping[str, list[dict]]], metric: str, presenter: bool,
                title: str | None = None) -> dict:
    """`explorer.charts.change_chart` of several options (name -> `changes(option)`), as a spec."""
    return specs.change_spec({name: rows[metric] for name, rows in options.items()}, metric, presenter, title)


@st.cache_data(max_entries=256, show_spinner=False)
def _sweep(key: str, function: str, chart: str, presenter: bool, title: str | None, _scenario: Scenario) -> dict:
    return arrow_datasets(specs.sweep_spec(sweep_view(_scenario, function), chart, presenter, title))


def sweep_spec(scenario: Scenario, function: str, chart: str, presenter: bool, title: str | None = None) -> dict:
    """`explorer.charts.sweep_chart` of one headline figure (`chart`) with `function` at every stage, as a spec."""
    return _sweep(model_key(scenario), function, chart, presenter, title, scenario)
