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
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

import altair as alt
import pandas as pd

from explorer.charts import spectrum_chart, spectrum_rows, tradeoff_chart, tradeoff_rows

#: Specs by shape, each with the name of its data set in it.
_TEMPLATES: dict[Hashable, tuple[dict, str]] = {}


def data_name(rows: list[dict]) -> str:
    """The name altair gives inline rows in a spec: a hash of them (as `altair.vegalite.v6.api._dataset_name`)."""
    text = json.dumps(rows, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _renamed(node: Any, old: str, new: str) -> Any:
    """A copy of a spec with every reference to data set `old` pointing at `new`."""
    if isinstance(node, dict):
        if len(node) == 1 and node.get("name") == old:
            return {"name": new}
        return {k: _renamed(v, old, new) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, old, new) for v in node]
    return node


def templated_spec(shape: Hashable, rows: list[dict], build: Callable[[], alt.TopLevelMixin]) -> dict:
    """The spec of `build()` (whose data are `rows`, JSON-ready), from the template of its shape when there is one.

    `build` is called only for the first spec of a shape. If its spec does not carry `rows` as one named data set
    (a chart this does not fit), it is built every time instead.
    """
    name = data_name(rows)
    if shape not in _TEMPLATES:
        spec = build().to_dict(validate=False)
        if spec.get("datasets", {}).get(name) != rows:
            return spec
        _TEMPLATES[shape] = (spec, name)
    template, old = _TEMPLATES[shape]
    spec = _renamed({k: v for k, v in template.items() if k != "datasets"}, old, name)
    spec["datasets"] = {(name if k == old else k): (rows if k == old else _renamed(v, old, name))
                        for k, v in template["datasets"].items()}
    return spec


def tradeoff_spec(tradeoff: pd.DataFrame, measure: str, presenter: bool) -> dict:
    """`explorer.charts.tradeoff_chart(tradeoff, measure, presenter).to_dict(validate=False)`, made fast."""
    shape = ("tradeoff", measure, presenter, bool(tradeoff[f"{measure}_p10"].notna().any()))
    return templated_spec(shape, tradeoff_rows(tradeoff, measure), lambda: tradeoff_chart(tradeoff, measure, presenter))


def spectrum_spec(placements: Mapping[str, str], priorities: Iterable[str] = (), presenter: bool = False) -> dict:
    """`explorer.charts.spectrum_chart(placements, priorities, presenter).to_dict(validate=False)`, made fast."""
    marked = set(priorities)
    return templated_spec(("spectrum", presenter), spectrum_rows(placements, marked),
                          lambda: spectrum_chart(placements, marked, presenter))
