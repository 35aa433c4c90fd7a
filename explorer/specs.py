"""Vega-Lite specs of charts whose structure is fixed, made once per shape and refilled with each run's rows.

Building an altair chart and turning it into a spec costs 20–70 ms, and `st.altair_chart` checks it against the
Vega-Lite schema on every script run (as much again), while for the charts here only the rows change from one
scenario to the next: the marks, scales, tooltips and titles depend on a few settings (the measure, presenter mode,
whether there are bands). So the spec is made by altair once per such *shape* and later ones are a copy with the new
rows and the data set's new name (altair names an inline data set by a hash of its rows). tests/core/test_specs.py
checks every shape against altair's own spec for many scenarios, and the charts' tests run altair's schema check.
Draw the result with `st.vega_lite_chart(spec=...)`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import altair as alt
import pandas as pd

from explorer.charts import (
    change_chart_of,
    spectrum_chart,
    spectrum_rows,
    sweep_chart_of,
    sweep_rows,
    tradeoff_chart,
    tradeoff_rows,
    trend_chart_of,
    trend_rows,
)

#: Specs by shape, each with the names of its data sets in it (in the order of the rows they hold).
_TEMPLATES: dict[Hashable, tuple[dict, tuple[str, ...]]] = {}
#: Stand-ins for labels (names people typed) while a template is made: private-use characters, in no chart's own text.
_LABEL = "\ue000{}\ue000"


def data_name(rows: list[dict]) -> str:
    """The name altair gives inline rows in a spec: a hash of them (as `altair.vegalite.v6.api._dataset_name`)."""
    text = json.dumps(rows, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _renamed(node: Any, names: Mapping[str, str], labels: Mapping[str, str]) -> Any:
    """A copy of a spec with each data set reference in `names` renamed, and each string in `labels` replaced."""
    if isinstance(node, dict):
        if len(node) == 1 and node.get("name") in names:
            return {"name": names[node["name"]]}
        return {k: _renamed(v, names, labels) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, names, labels) for v in node]
    if isinstance(node, str):
        return labels.get(node, node)
    return node


def _template(shape: Hashable, row_sets: Sequence[list[dict]], build: Callable[[], alt.TopLevelMixin]
              ) -> tuple[dict, tuple[str, ...]] | dict:
    """The template of `shape`, made from `build()` if new; or `build()`'s spec when it cannot be a template.

    A spec can be a template when each of `row_sets` is one named data set of it, apart from the others.
    """
    if shape in _TEMPLATES:
        return _TEMPLATES[shape]
    spec = build().to_dict(validate=False)
    names = tuple(data_name(rows) for rows in row_sets)
    datasets = spec.get("datasets", {})
    if len(set(names)) < len(names) or any(datasets.get(n) != rows for n, rows in zip(names, row_sets, strict=True)):
        return spec
    _TEMPLATES[shape] = (spec, names)
    return _TEMPLATES[shape]


def _filled(template: tuple[dict, tuple[str, ...]], row_sets: Sequence[list[dict]],
            labels: Mapping[str, str]) -> dict:
    spec, old = template
    new = [data_name(rows) for rows in row_sets]
    names = dict(zip(old, new, strict=True))
    rows_of = dict(zip(old, row_sets, strict=True))
    filled = _renamed({k: v for k, v in spec.items() if k != "datasets"}, names, labels)
    filled["datasets"] = {names.get(k, k): (rows_of[k] if k in rows_of else _renamed(v, names, labels))
                          for k, v in spec["datasets"].items()}
    return filled


def templated_spec(shape: Hashable, rows: list[dict] | Sequence[list[dict]],
                   build: Callable[[], alt.TopLevelMixin]) -> dict:
    """The spec of `build()`, whose data are `rows`, from the template of its shape when there is one.

    `rows` are JSON-ready records, or a list of such lists when the chart's layers draw several data sets (each
    must be a data set of its own). `build` is called only for the first spec of a shape. If its spec does not
    carry the rows as named data sets apart from each other (a chart this does not fit), it is built every time.
    """
    row_sets = [rows] if not rows or isinstance(rows[0], dict) else list(rows)
    template = _template(shape, row_sets, build)
    return template if isinstance(template, dict) else _filled(template, row_sets, {})


def labelled_spec(shape: Hashable, labels: Sequence[str],
                  make: Callable[[Sequence[str]], tuple[Sequence[list[dict]], Callable[[], alt.TopLevelMixin]]]
                  ) -> dict:
    """`templated_spec` for a chart that names things people typed (scenario names in a legend).

    `make(labels)` gives the chart's data sets and its builder for those labels. The template of a shape is made
    with stand-ins for the labels, so a chart of other names (another scenario added) reuses it: `shape` says
    everything else that makes the spec (how many labels, never which).
    """
    stand_ins = [_LABEL.format(i) for i in range(len(labels))]
    row_sets, build = make(labels)
    if shape not in _TEMPLATES:
        template = _template(shape, *make(stand_ins))
        if isinstance(template, dict):
            return build().to_dict(validate=False)
    return _filled(_TEMPLATES[shape], row_sets, dict(zip(stand_ins, labels, strict=True)))


def tradeoff_spec(tradeoff: pd.DataFrame, measure: str, presenter: bool) -> dict:
    """`explorer.charts.tradeoff_chart(tradeoff, measure, presenter).to_dict(validate=False)`, made fast."""
    shape = ("tradeoff", measure, presenter, bool(tradeoff[f"{measure}_p10"].notna().any()))
    return templated_spec(shape, tradeoff_rows(tradeoff, measure), lambda: tradeoff_chart(tradeoff, measure, presenter))


def spectrum_spec(placements: Mapping[str, str], priorities: Iterable[str] = (), presenter: bool = False) -> dict:
    """`explorer.charts.spectrum_chart(placements, priorities, presenter).to_dict(validate=False)`, made fast."""
    marked = set(priorities)
    return templated_spec(("spectrum", presenter), spectrum_rows(placements, marked),
                          lambda: spectrum_chart(placements, marked, presenter))


def trend_spec(frame: pd.DataFrame, metric: str, presenter: bool = False) -> dict:
    """`explorer.charts.trend_chart(frame, metric, presenter).to_dict(validate=False)`, made fast."""
    lines, band = trend_rows(frame, metric)
    shape = ("trend", metric, presenter, tuple(dict.fromkeys(row["Series"] for row in lines)), bool(band))
    return templated_spec(shape, [lines, band] if band else [lines],
                          lambda: trend_chart_of(lines, band, metric, presenter))


def change_spec(changes: Mapping[str, list[dict]], metric: str, presenter: bool = False,
                title: str | None = None) -> dict:
    """`explorer.charts.change_chart_of(changes, metric, presenter, title).to_dict(validate=False)`, made fast.

    `changes` are each option's rows (`explorer.charts.change_rows`) by its name; a template serves any names.
    """
    rows = list(changes.values())

    def make(names: Sequence[str]) -> tuple[list[list[dict]], Callable[[], alt.TopLevelMixin]]:
        named = dict(zip(names, rows, strict=True))
        data = [{**row, "Option": name} for name, option in named.items() for row in option]
        return [data], lambda: change_chart_of(named, metric, presenter, title)

    return labelled_spec(("change", metric, presenter, len(changes), title), list(changes), make)


def sweep_spec(sweep: pd.DataFrame, key: str, presenter: bool = False, title: str | None = None) -> dict:
    """`explorer.charts.sweep_chart(sweep, key, presenter, title).to_dict(validate=False)`, made fast."""
    rows, label, unit = sweep_rows(sweep, key)
    shape = ("sweep", key, presenter, title, label, unit, any(row["p10"] is not None for row in rows))
    return templated_spec(shape, rows, lambda: sweep_chart_of(rows, label, unit, presenter, title))
