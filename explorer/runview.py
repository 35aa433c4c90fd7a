"""The tables a screen or a briefing shows about one projection, built without Streamlit (cached in runs.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from cjcore.engine import project
from cjcore.evidence import load_register
from cjcore.report import by_cohort, headline_levels, money_by_year, overtake_year
from cjcore.schema import Scenario
from cjcore.story import budget_note, jcurve, stage_notes, story
from cjcore.vocab import ALL_COHORTS, COHORT, METRIC, SERIES_SCENARIO
from explorer import format as fmt
from explorer.charts import SERIES_LABELS

#: Cost lines of the appraisal shown in the money chart beside `cjcore.report.money_by_year`'s.
_APPRAISAL_COSTS = ("optimism_bias", "committed_cost")


@dataclass(frozen=True)
class RunCore:
    """What a page or briefing shows about one projection, as plain tables and text, but the topic tables.

    `overtake_year` and `jcurve` describe the J-curve (reoffending higher than today's while the new arrangements
    are set up): the year from which the scenario's reoffences, counted since the start, stay below today's (None
    if it never starts behind or never catches up), and the sentence that says so ('' when there is no J-curve).
    """

    summary: pd.DataFrame
    frame: pd.DataFrame
    drivers: pd.DataFrame
    levels: pd.DataFrame
    story: tuple[str, ...]
    overtake_year: int | None = None
    jcurve: str = ""
    draws: int = 0  # uncertainty draws behind the expected values and bands (0: central values only)
    budget_note: str = ""  # the pooled budget is more than the placed functions can use (`cjcore.story.budget_note`)
    stage_notes: Mapping[str, str] = field(default_factory=dict)  # placed functions that change no outcome, and why

    @property
    def has_draws(self) -> bool:
        """Whether uncertainty draws were run (so bands and chances mean something)."""
        return bool(self.summary["p10"].notna().any())


@dataclass(frozen=True)
class Topics:
    """The tables only Projections' later tabs and the briefing read: change by cohort, money, each agency.

    Made apart from `RunCore` (`explorer.runs`), so opening Projections does not wait for them (~30 ms of a run).
    """

    cohorts: pd.DataFrame
    money: pd.DataFrame
    agencies: pd.DataFrame


@dataclass(frozen=True, kw_only=True)
class RunView(RunCore, Topics):
    """Everything a page or briefing shows about one projection: `RunCore` and `Topics` together."""


def _money(run) -> pd.DataFrame:
    """Money per year (central) for the chart: spend, arrangement costs, optimism bias, any unspent money kept."""
    base = money_by_year(run)
    frame = run.frame
    extra = frame[(frame.series == SERIES_SCENARIO) & frame.metric.isin(_APPRAISAL_COSTS)
                  & (frame.cohort == ALL_COHORTS)]
    extra = extra[extra.groupby("metric").value.transform(lambda v: v.abs().sum() > 0)]  # no empty line
    return pd.concat([base, extra[list(base.columns)]], ignore_index=True)


def _core(run) -> dict:
    return {"summary": run.summary, "frame": run.frame, "drivers": run.drivers, "levels": headline_levels(run),
            "story": tuple(story(run)), "overtake_year": overtake_year(run), "jcurve": jcurve(run),
            "draws": run.draws, "budget_note": budget_note(run), "stage_notes": stage_notes(run)}


def _topics(run) -> dict:
    return {"cohorts": by_cohort(run), "money": _money(run), "agencies": run.agency_summary}


def build_run_core(scenario: Scenario, draws: int, seed: int) -> RunCore:
    """Project a scenario and collect its tables but the topic tables."""
    return RunCore(**_core(project(scenario, draws=draws, seed=seed)))


def build_topics(scenario: Scenario, draws: int, seed: int) -> Topics:
    """Project a scenario and collect its topic tables."""
    return Topics(**_topics(project(scenario, draws=draws, seed=seed)))


def build_run_view(scenario: Scenario, draws: int, seed: int) -> RunView:
    """Project a scenario and collect all its tables."""
    run = project(scenario, draws=draws, seed=seed)
    return RunView(**_core(run), **_topics(run))


def central_run_text(view: RunView) -> str:
    """The central run's main outcomes in words, to set beside expected values ('central run (...): ...')."""
    levels = view.levels
    central = ", ".join((
        f"reoffences {fmt.signed(levels.at['reoffences', 'change_central'])}",
        f"reoffending rate {fmt.points(levels.at['reoffending_rate', 'change_central'])}",
        f"prison places {fmt.signed(levels.at['prison_places', 'change_central'], 1)}",
        f"net present value {fmt.money_m(view.summary.at['npv_gbp_m', 'central'])}"))
    return f"central run (every parameter at its central value): {central}"


def overridden_assumptions(scenario: Scenario) -> str:
    """A short line naming the assumptions this scenario changes from the register ('' when it changes none)."""
    if not scenario.overrides:
        return ""
    register = load_register()
    parts = []
    for key, value in sorted(scenario.overrides.items()):
        param = register.parameters.get(key)
        label = param.label if param else key
        unit = param.unit if param else ""
        was = f"{fmt.register_figure(param.model_value, unit)} → " if param else ""
        parts.append(f"{label} ({was}{fmt.register_figure(value, unit)})")
    return ("Assumptions changed from the evidence register's defaults: " + "; ".join(parts)
            + ". The baseline uses them too; the charts also draw the baseline with default assumptions. "
            "Reset them on the Evidence view.")


def frame_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The tidy projection as a table people read: words for headers and labels, every number in its unit.

    Built from plain lists (a row at a time through pandas costs more than the run it describes).
    """
    metrics = [METRIC[m] for m in frame["metric"].tolist()]
    writers = {m.key: ((lambda v: fmt.percent(v, 2)) if fmt.is_share_unit(m.unit) else
                       (lambda v: fmt.money_m(v, 2)) if m.money else fmt.number) for m in set(metrics)}
    cohorts = {c: (COHORT[c].label if c in COHORT else "All offenders") for c in set(frame["cohort"].tolist())}
    out = pd.DataFrame({
        "Year": frame["year"].to_numpy(),
        "Group": [cohorts[c] for c in frame["cohort"].tolist()],
        "Measure": [m.label for m in metrics],
        "Series": [SERIES_LABELS.get(s, s) for s in frame["series"].tolist()],
        "Unit": ["%" if fmt.is_share_unit(m.unit) else m.unit for m in metrics],
    })
    for column, title in (("value", "Central run"), ("p10", "Low (p10)"), ("median", "Median"), ("p90", "High (p90)")):
        out[title] = [writers[m.key](v) for m, v in zip(metrics, frame[column].tolist(), strict=True)]
    return out
