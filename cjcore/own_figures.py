"""The area's own figures: what the model uses when a user supplies a baseline, shown beside the derived one.

The area baselines shipped with the program are *derived* (region rates shared out by population, see
``cjcore.areas``): an honest default, but a PCC's analyst often has the area's own proven-reoffending counts (the
MoJ geographic data tool) and local unit costs. A scenario may carry them in its ``baseline`` block
(``cjcore.schema.SuppliedBaseline``; from a CSV file with ``cjcore.baseline_csv``). The engine then starts from
them (``cjcore.engine.baseline_cohorts``) and takes the unit costs as overrides in the price base. This module
gives the views what they need to say so: each supplied figure beside the derived one, labelled
``SUPPLIED_LABEL`` with the user's source. No Streamlit here; plain values and a tidy frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from cjcore.areas import GROUP_KEYS, GroupBaseline, get_area
from cjcore.evidence import load_register
from cjcore.prices import PRICE_BASE_LABEL
from cjcore.schema import UNIT_COST_KEYS, Scenario, SuppliedBaseline
from cjcore.vocab import SHARE_UNIT

#: How a figure the user brought is labelled wherever it is shown.
SUPPLIED_LABEL = "supplied by the user"
#: The age groups of the area data, as people call them.
GROUP_LABELS: Mapping[str, str] = MappingProxyType({
    "young_people": "Young people (10–17)",
    "young_adults": "Young adults (18–24)",
    "adults_25plus": "Adults 25 and over",
})
#: The ``group`` of the unit-cost rows of ``baseline_comparison``.
UNIT_COSTS_GROUP = "unit_costs"
#: Fields shown for each age group: (field, label, unit). The last two follow from the first three.
GROUP_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("offenders", "Offenders in the cohort", "people"),
    ("reoffenders", "Reoffenders", "people"),
    ("reoffences", "Proven reoffences", "offences"),
    ("reoffending_rate", "Proven reoffending rate", SHARE_UNIT),
    ("reoffences_per_reoffender", "Reoffences per reoffender", "offences per reoffender"),
)
COMPARISON_COLUMNS: tuple[str, ...] = (
    "group", "group_label", "field", "label", "unit", "derived", "supplied", "used", "relative_change",
    "derived_source", "source",
)

assert tuple(GROUP_LABELS) == GROUP_KEYS, "a label for each age group of the area data"
assert all(g in SuppliedBaseline.model_fields for g in GROUP_KEYS), "a supplied baseline gives every age group"


def _group_value(group: GroupBaseline, field: str) -> float:
    if field == "reoffending_rate":
        return group.rate
    if field == "reoffences_per_reoffender":
        return group.frequency
    return float(getattr(group, field))


def supplied_label(supplied: SuppliedBaseline) -> str:
    """The label of a supplied figure: 'supplied by the user' and where the user says it comes from."""
    return f"{SUPPLIED_LABEL}: {supplied.source.strip()}"


def model_groups(scenario: Scenario) -> Mapping[str, GroupBaseline]:
    """The age-group figures the model starts from for a scenario: the supplied ones if any, else the derived."""
    return get_area(scenario.area).groups if scenario.baseline is None else scenario.baseline.groups


def model_overrides(scenario: Scenario) -> Mapping[str, float]:
    """The scenario's overrides with its supplied unit costs added: every parameter it changes, in the price base.

    What the engine's ``Params`` uses; pass it to ``cjcore.evidence.parameter_value`` to show the value a parameter
    takes in a run. (The schema refuses a unit cost given both as an override and in the baseline.)
    """
    supplied = scenario.baseline.unit_costs if scenario.baseline is not None else {}
    return MappingProxyType({**supplied, **scenario.overrides})


def baseline_comparison(area_key: str, supplied: SuppliedBaseline | None = None) -> pd.DataFrame:
    """Each baseline figure of an area, derived and (when given) supplied by the user, side by side.

    Args:
        area_key: The area the derived figures are for (the scenario's area).
        supplied: The user's own figures (a scenario's ``baseline``), or None.

    Returns:
        A tidy frame, one row per age group and field (offenders, reoffenders, reoffences, and the rate and
        reoffences per reoffender that follow from them), then one row per unit cost (group ``unit_costs``), with
        the columns ``COMPARISON_COLUMNS``: ``derived`` (the area data's figure, or the evidence register's unit
        cost in the price base), ``supplied`` (NaN where the user gave none), ``used`` ("supplied" or
        "derived": which one the model runs on), ``relative_change`` (supplied ÷ derived − 1, NaN without a
        supplied figure), ``derived_source`` (how the derived figure was made, or the register's source) and
        ``source`` (``"supplied by the user: …"`` with the user's source, or the derived source).
    """
    area = get_area(area_key)
    register = load_register()
    label = supplied_label(supplied) if supplied is not None else ""
    rows = []
    for group in GROUP_KEYS:
        derived_group = area.groups[group]
        own = supplied.groups[group] if supplied is not None else None
        for field, field_label, unit in GROUP_FIELDS:
            rows.append({
                "group": group, "group_label": GROUP_LABELS[group], "field": field, "label": field_label,
                "unit": unit, "derived": _group_value(derived_group, field),
                "supplied": np.nan if own is None else _group_value(own, field),
                "derived_source": area.cohort_method,
            })
    costs = supplied.unit_costs if supplied is not None else {}
    for key in UNIT_COST_KEYS:
        param = register[key]
        rows.append({
            "group": UNIT_COSTS_GROUP, "group_label": f"Unit costs ({PRICE_BASE_LABEL})", "field": key,
            "label": param.label, "unit": f"{param.unit}, {PRICE_BASE_LABEL}", "derived": param.model_value,
            "supplied": costs.get(key, np.nan), "derived_source": " ".join(param.source.split()),
        })
    frame = pd.DataFrame(rows)
    has_supplied = frame["supplied"].notna()
    frame["used"] = np.where(has_supplied, "supplied", "derived")
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["relative_change"] = np.where(has_supplied & (frame["derived"] != 0),
                                            frame["supplied"] / frame["derived"] - 1.0, np.nan)
    frame["source"] = np.where(has_supplied, label, frame["derived_source"])
    return frame.loc[:, list(COMPARISON_COLUMNS)]
