"""Report tables built from a Run: levels and changes that screens and briefings show side by side.

These are the model's own numbers rearranged (sums over the horizon, final-year values), kept here so that no
page or chart adds up model output itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjcore.engine import Run
from cjcore.vocab import ALL_COHORTS, COHORT_KEYS, METRIC, SERIES_BASELINE, SERIES_SCENARIO

#: How each level is taken over the horizon: a yearly flow is summed, a stock or a rate is read in the final year.
LEVELS: tuple[tuple[str, str], ...] = (
    ("reoffences", "total"),
    ("reoffending_rate", "final"),
    ("prison_places", "final"),
    ("probation_caseload", "final"),
    ("court_cases", "total"),
    ("arrests", "total"),
    ("custody_receptions", "total"),
)


def _pick(frame: pd.DataFrame, metric: str, series: str, how: str, cohort: str = ALL_COHORTS) -> pd.Series:
    rows = frame[(frame.metric == metric) & (frame.series == series) & (frame.cohort == cohort)]
    if how == "final":
        return rows.loc[rows.year.idxmax(), ["value", "p10", "p90"]]
    return rows[["value", "p10", "p90"]].sum(min_count=1)


def headline_levels(run: Run) -> pd.DataFrame:
    """Baseline and scenario level of each headline metric over the horizon, with the change.

    Bands (p10/p90) of summed flows are the sums of yearly bands: a readable guide, not an exact interval.
    """
    frame = run.frame
    rows = []
    for metric, how in LEVELS:
        base = _pick(frame, metric, SERIES_BASELINE, how)
        scen = _pick(frame, metric, SERIES_SCENARIO, how)
        rows.append({
            "metric": metric,
            "label": METRIC[metric].label,
            "unit": METRIC[metric].unit if how == "final" else "over the horizon",
            "how": how,
            "baseline": float(base["value"]),
            "scenario": float(scen["value"]),
            "change": float(scen["value"] - base["value"]),
            "scenario_p10": float(scen["p10"]),
            "scenario_p90": float(scen["p90"]),
        })
    return pd.DataFrame(rows).set_index("metric")


def by_cohort(run: Run, metric: str = "reoffences") -> pd.DataFrame:
    """Baseline, scenario and change of one yearly metric summed over the horizon, for each cohort."""
    frame = run.frame
    rows = []
    for cohort in COHORT_KEYS:
        base = _pick(frame, metric, SERIES_BASELINE, "total", cohort)["value"]
        scen = _pick(frame, metric, SERIES_SCENARIO, "total", cohort)["value"]
        rows.append({"cohort": cohort, "baseline": float(base), "scenario": float(scen),
                     "change": float(scen - base),
                     "change_pct": float(100 * (scen - base) / base) if base else np.nan})
    return pd.DataFrame(rows)


def money_by_year(run: Run) -> pd.DataFrame:
    """Spend, cashable savings, retained savings and funds per year (central), for the money chart."""
    frame = run.frame
    keep = ["intervention_spend", "cashable_savings", "retained_savings", "funds_available"]
    rows = frame[(frame.series == SERIES_SCENARIO) & frame.metric.isin(keep) & (frame.cohort == ALL_COHORTS)]
    return rows[["year", "metric", "value", "p10", "p90"]].reset_index(drop=True)


def change_by_year(frame: pd.DataFrame, metric: str, cohort: str = ALL_COHORTS) -> pd.DataFrame:
    """Scenario minus baseline, year by year (central estimate): comparable across areas and scenarios."""
    rows = frame[(frame.metric == metric) & (frame.cohort == cohort)]
    wide = rows.pivot(index="year", columns="series", values="value")
    return pd.DataFrame({"year": wide.index, "change": (wide[SERIES_SCENARIO] - wide[SERIES_BASELINE]).values})


def cohort_offenders(frame: pd.DataFrame) -> float:
    """Offenders in the area's baseline cohort in year 1 (all cohorts): the scale for per-1,000 figures."""
    rows = frame[(frame.metric == "cohort_size") & (frame.series == SERIES_BASELINE) & (frame.cohort == ALL_COHORTS)]
    return float(rows.loc[rows.year.idxmin(), "value"])


def per_thousand_offenders(value: float, frame: pd.DataFrame) -> float:
    """A headline figure per 1,000 offenders in the area's cohort, so areas of different size can be compared."""
    offenders = cohort_offenders(frame)
    return 1000.0 * value / offenders if offenders else np.nan


def side_by_side(summaries: dict[str, pd.DataFrame], keys: tuple[str, ...]) -> pd.DataFrame:
    """Headline figures of several options in columns, then each option's difference from the first."""
    names = list(summaries)
    first = next(iter(summaries.values()))
    table = pd.DataFrame({name: [s.at[k, "value"] for k in keys] for name, s in summaries.items()},
                         index=[f"{first.at[k, 'label']} ({first.at[k, 'unit']})" for k in keys])
    for name in names[1:]:
        table[f"Difference: {name} − {names[0]}"] = table[name] - table[names[0]]
    return table
