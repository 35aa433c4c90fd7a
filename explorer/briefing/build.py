"""Building a briefing: every section's text, tables and charts for one scenario and its projection.

No streamlit import, so a script or a test can build a briefing too (see ``explorer.briefing``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pandas as pd

from cjcore.areas import get_area, report_priorities
from cjcore.engine import readiness
from cjcore.evidence import STATUS_LABELS, load_register, parameter_value
from cjcore.prices import PRICE_BASE_LABEL
from cjcore.schema import Scenario
from cjcore.story import tradeoff_sentences
from cjcore.vocab import FIVE_CONDITIONS, FUNCTION, FUNCTION_KEYS, GOVERNANCE, STAGE, STAGE_KEYS
from explorer import format as fmt
from explorer.briefing.figures import SPECTRUM_WIDTH, figure
from explorer.briefing.model import Block, Briefing, Bullets, Paragraph, Section, Subheading, Table
from explorer.charts import (
    agency_chart,
    cohort_chart,
    drivers_chart,
    money_chart,
    spectrum_chart,
    tradeoff_chart,
    trend_chart,
)
from explorer.runview import RunView, build_run_view, central_run_text
from explorer.theme import OPTIMISM_BIAS_LABEL

_GROUP_LABELS = {
    "costs": "Unit costs and cashable savings",
    "flows": "Flows through the justice system",
    "cohorts": "Cohorts",
    "governance": "Governance",
    "stages": "Stages of the spectrum",
    "interventions": "Interventions",
}

#: How each headline level is counted, as shown with its numbers: (label suffix, unit word after counts).
_LEVEL_UNITS = {
    "reoffences": "offences",
    "reoffending_rate": "",
    "prison_places": "places",
    "probation_caseload": "cases",
    "court_cases": "cases",
    "arrests": "arrests",
    "custody_receptions": "receptions",
}
_MONEY_HEADLINES = ("intervention_spend_gbp_m", "arrangement_costs_gbp_m", "optimism_bias_gbp_m",
                    "committed_unused_gbp_m", "cashable_savings_gbp_m", "retained_savings_gbp_m",
                    "net_fiscal_cost_gbp_m", "economic_benefit_gbp_m", "pv_benefits_gbp_m", "pv_costs_gbp_m",
                    "npv_gbp_m")
#: Labels the briefing's money table uses instead of the engine's, so the cost lines read as on screen.
_MONEY_LABELS = {"optimism_bias_gbp_m": OPTIMISM_BIAS_LABEL}
#: The chances the briefing states (shares of the uncertainty draws), in the order the Projections cards show them.
_CHANCES = ("chance_npv_positive", "chance_npv_negative", "chance_more_reoffences", "chance_area_breaks_even")


def run_view_uncached(scenario: Scenario, draws: int, seed: int) -> RunView:
    """Project a scenario and collect the tables a page (or a briefing) shows, with no caching."""
    return build_run_view(scenario, draws, seed)


def _has_bands(view: RunView) -> bool:
    return bool(view.summary["p10"].notna().any())


def _expected_text(view: RunView) -> str:
    """How the figures in the tables are made: expected values over the draws, or central values without draws."""
    if not view.has_draws:
        return "The figures are central values (every parameter at its central value): no uncertainty draws were run."
    return (f"Each figure is the expected value (mean of {view.draws} uncertainty draws); the central value, with "
            "every parameter at its central value, is what docs/model.md reproduces by hand.")


def _intro(scenario: Scenario, view: RunView) -> Section:
    years = scenario.horizon_years
    ranges = ("Where a likely range is given it runs from the 10th to the 90th percentile of the uncertainty "
              "draws over effect sizes and costs." if _has_bands(view)
              else "The figures are central estimates only: no uncertainty draws were run.")
    blocks: list[Block] = [Paragraph(
        f"This briefing projects what happens to reoffending and to demand on police, courts, prisons and probation "
        f"over {years} years if {get_area(scenario.area).name} takes the pieces of the justice system shown below "
        "along the devolution spectrum, with the funding and governance set out here. Every figure is compared with "
        "a baseline of today's national arrangements. The model, its data and its assumptions are those of the "
        f"devolution-spectrum explorer; the evidence caveats below say which numbers are assumptions. {ranges} "
        "The share link at the end reopens this exact view in the explorer."
    ), Paragraph(
        f"All money is in {PRICE_BASE_LABEL}: figures published for other years are uplifted with HM Treasury's GDP "
        "deflator, and costs include the Green Book's optimism bias adjustment."
    )]
    if scenario.description.strip():
        blocks += [Subheading("About this scenario"), Paragraph(scenario.description.strip())]
    return Section("What this shows", tuple(blocks))


def _placements(scenario: Scenario) -> Section:
    priorities = {f for p in report_priorities(scenario.area) for f in p.functions}
    rows = tuple((FUNCTION[f].label, STAGE[scenario.stage_of(f)].label, "Yes" if f in priorities else "")
                 for f in FUNCTION_KEYS)
    caption = ("Diamonds mark the area's priorities in the Crest Advisory reports." if priorities
               else "The Crest Advisory reports recorded no priorities for this area.")
    return Section("Placements on the devolution spectrum", (
        Table(("Function", "Stage", "Report priority"), rows, widths=(3.0, 2.0, 1.2)),
        figure(spectrum_chart(scenario.placements, priorities), "The spectrum", caption, width=SPECTRUM_WIDTH),
    ))


def _agreed(year: int) -> str:
    return "At the start (year 0)" if year == 0 else f"After {year} year{'s' if year != 1 else ''}"


def _funding_governance(scenario: Scenario) -> Section:
    f, g = scenario.funding, scenario.governance
    funding = (
        ("Pooled budget", f"£{f.pooled_budget_gbp_m:,.1f}m a year"),
        ("National share of the pooled budget", fmt.percent(f.national_share, 0)),
        ("Local share of the pooled budget", fmt.percent(1 - f.national_share, 0)),
        ("Settlement length", f"{f.settlement_years} year{'s' if f.settlement_years != 1 else ''}"),
        ("Settlement renewed when it ends", "Yes" if f.renewed else "No"),
        ("Funding agreed", _agreed(f.agreed_in_year)),
        ("Share of retained savings reinvested", fmt.percent(f.reinvest_share, 0)),
        ("Projection horizon", f"{scenario.horizon_years} years"),
    )
    governance = (
        ("Governance model", GOVERNANCE[g.model].label),
        ("Governance agreed", _agreed(g.agreed_in_year)),
    )
    scores = g.five_conditions.model_dump()
    conditions = tuple((c.label, f"{scores[c.key]} / 5") for c in FIVE_CONDITIONS)
    ready = readiness(scenario)
    return Section("Funding and governance", (
        Subheading("Funding"),
        Table(("Assumption", "Value"), funding, numeric=(False, True), widths=(3.0, 2.0)),
        Subheading("Governance"),
        Table(("Assumption", "Value"), governance, numeric=(False, True), widths=(3.0, 2.0)),
        Subheading("The five conditions (Crest Advisory, 2018)"),
        Table(("Condition", "Score"), conditions, numeric=(False, True), widths=(3.0, 2.0)),
        Paragraph(f"Governance readiness (the mean of the five scores, out of 5): {fmt.percent(ready, 0)}. "
                  "A stage delivers its full local control only when readiness reaches what the stage needs."),
    ))


def _count_formatters(metric: str) -> tuple[Callable[[float], str], Callable[[float], str], str]:
    """Formatters for a level and its change (as on screen), and the unit written after counts."""
    if metric == "reoffending_rate":
        return (lambda v: fmt.percent(v, 2)), fmt.points, ""
    decimals = 1 if metric in ("prison_places", "probation_caseload") else 0
    return fmt.number, (lambda d: fmt.signed(d, decimals)), _LEVEL_UNITS.get(metric, "")


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit and text != "–" else text


def _range_text(p10: float, p90: float, plain: Callable[[float], str], unit: str) -> str:
    """A likely range such as '114,293–114,989 offences', or an en dash without draws."""
    if any(v is None or math.isnan(v) for v in (p10, p90)):
        return "–"
    return _with_unit(f"{plain(p10)}–{plain(p90)}", unit)


def _headline_tables(scenario: Scenario, view: RunView) -> Section:
    years = scenario.horizon_years
    levels, summary = view.levels, view.summary
    outcome_rows = []
    for metric, row in levels.iterrows():
        level, change, unit = _count_formatters(str(metric))
        when = "final year" if row["how"] == "final" else f"total over {years} years"
        outcome_rows.append((f"{row['label']} ({when})", _with_unit(level(row["baseline"]), unit),
                             _with_unit(level(row["scenario"]), unit), _with_unit(change(row["change"]), unit),
                             _range_text(row["scenario_p10"], row["scenario_p90"], level, unit)))
    money_rows = []
    for key in _MONEY_HEADLINES:
        row = summary.loc[key]
        if key == "committed_unused_gbp_m":
            if not row["value"] > 0:
                continue
            kept = scenario.funding.unspent == "retained"
            label = (f"{row['label']} (total over {years} years; "
                     + ("kept in the pooled budget and counted as spent)" if kept else
                        "returned to those who paid it, not counted as a cost)"))
        else:
            label = _MONEY_LABELS.get(key, row["label"]) + (
                f" (total over {years} years)" if "over the horizon" in row["unit"] else
                " (discounted)" if "discounted" in row["unit"] else "")
        money_rows.append((label, fmt.money_m(row["value"]), fmt.band(row["p10"], row["p90"], fmt.money_m) or "–"))
    bcr = summary.loc["benefit_cost_ratio"]

    def pounds(v: float) -> str:
        return "–" if v is None or math.isnan(v) else f"{fmt.MINUS if round(v, 2) < 0 else ''}£{abs(v):.2f}"

    ratio_range = fmt.band(bcr["p10"], bcr["p90"], pounds)
    money_rows.append((f"{bcr['label']} (benefit of reoffending avoided per £ spent, discounted)",
                       _with_unit(pounds(bcr["value"]), "per £1 of cost"),
                       _with_unit(ratio_range, "per £1 of cost") if ratio_range else "–"))
    if view.has_draws:  # a chance from the central estimate alone would read as a certainty
        for key in _CHANCES:
            money_rows.append((str(summary.loc[key, "label"]),
                               f"{fmt.percent(summary.loc[key, 'value'], 0)} of uncertainty draws", "–"))
    blocks: list[Block] = [
        Paragraph(f"Against the baseline of today's arrangements over the {years}-year horizon. Flows (reoffences, "
                  "court cases, arrests, receptions) are totals over the horizon; prison places, probation caseload "
                  "and the reoffending rate are for the final year. The likely range is that of the scenario. "
                  + (f"Each figure is the expected value (mean of {view.draws} uncertainty draws), as in the money "
                     f"table below; {central_run_text(view)}." if view.has_draws else _expected_text(view))),
        Table(("Measure", "Baseline", "Scenario", "Change", "Likely range (p10–p90)"), tuple(outcome_rows),
              numeric=(False, True, True, True, True), widths=(3.0, 1.75, 1.75, 1.55, 2.55)),
    ]
    if view.jcurve:
        blocks.append(Paragraph(view.jcurve))
    blocks += [
        Subheading("Money"),
        Paragraph(f"£m in {PRICE_BASE_LABEL}. {_expected_text(view)} Every cost is counted in the net present "
                  "value and the benefit–cost ratio: the programmes, the transition and governance costs, optimism "
                  "bias and any unspent pooled money kept in the pooled budget."),
        Table(("Measure", f"{'Expected' if view.has_draws else 'Central'} value (£m, {PRICE_BASE_LABEL})",
               "Likely range (p10–p90)"), tuple(money_rows),
              numeric=(False, True, True), widths=(4.2, 2.6, 2.6)),
    ]
    return Section("Headline results", tuple(blocks))


def _tradeoff(scenario: Scenario, tradeoff: pd.DataFrame) -> Section:
    with_bands = bool(tradeoff["reoffences_avoided_p10"].notna().any())
    caption = ("Each dot is what the function adds over the horizon compared with leaving it national, everything "
               "else as in this scenario" + ("; the line is its likely range (p10–p90)" if with_bands else "") +
               ". The large diamond marks where it is placed. Where the dots move back towards zero, going further "
               "stops paying; where a line crosses the dashed zero line, the function may do worse than under "
               "today's arrangements.")
    blocks: list[Block] = [
        Paragraph("Further along the spectrum, the disruption to today's services while new arrangements are set "
                  "up, the one-off transition and yearly governance costs and the chance of a transfer being "
                  "reversed all grow. This shows, function by function, where going further stops paying."),
        figure(tradeoff_chart(tradeoff), "What each function adds at each stage", caption),
    ]
    sentences = tradeoff_sentences(tradeoff, scenario.horizon_years)
    if sentences:
        blocks.append(Bullets(tuple(sentences)))
    return Section("How far to go", tuple(blocks))


def _who_pays(view: RunView) -> Section:
    rows = []
    for r in view.agencies.itertuples():
        payback = "–" if r.invests <= 0 or pd.isna(r.payback_year) else f"year {int(r.payback_year)}"
        rows.append((r.label, fmt.money_m(r.invests, 2), fmt.money_m(r.gets_back, 2), fmt.money_m(r.net, 2), payback))
    return Section("Who pays and who gains", (
        Paragraph("Each agency's share of the spend, what it gets back (cashable and non-cashable savings, economic "
                  "and social benefits, and savings the deal transfers to the area) and its net position over the "
                  f"horizon (central estimate, undiscounted, £m in {PRICE_BASE_LABEL}). Local authorities and the "
                  "NHS show no savings: no unit "
                  "cost of their demand is in our data set."),
        Table(("Agency", "Puts in", "Gets back", "Net", "Pays back"), tuple(rows),
              numeric=(False, True, True, True, True), widths=(3.2, 1.3, 1.3, 1.3, 1.1)),
        figure(agency_chart(view.agencies), "Who pays and who gains",
                f"£m over the horizon, {PRICE_BASE_LABEL}; the black tick is each agency's net position."),
    ))


def _charts(view: RunView) -> Section:
    trend_caption = ("Dashed grey line: baseline (no devolution). Solid blue line: the scenario" +
                     ("; the shaded band is its likely range (p10–p90)." if _has_bands(view) else "."))
    return Section("Reoffending, demand and money", (
        figure(trend_chart(view.frame, "reoffending_rate"), "Proven reoffending rate", trend_caption),
        figure(trend_chart(view.frame, "prison_places"), "Prison places", trend_caption),
        figure(trend_chart(view.frame, "probation_caseload"), "Probation caseload", trend_caption),
        figure(drivers_chart(view.drivers), "What drives the result",
                "Reoffences avoided over the horizon through each function (central estimate)."),
        figure(cohort_chart(view.cohorts), "Change by cohort",
                "Change in proven reoffences over the horizon for each cohort (central estimate)."),
        figure(money_chart(view.money), "Money, year by year",
                "Spend on interventions, one-off transition and yearly governance costs, optimism bias (Green Book "
                "adjustment), any unspent pooled money kept, cashable savings, savings retained by the area and "
                f"funds available, £m a year in {PRICE_BASE_LABEL} (central estimate)."),
    ))


def _register_text(value: float, unit: str) -> str:
    """A register figure as the Evidence view shows it: a share 0–1 as a percentage, else `_number_text`."""
    return fmt.register_figure(value, unit) if fmt.is_share_unit(unit) else _number_text(value)


def _number_text(value: float) -> str:
    if value == int(value):
        return fmt.number(value)
    return fmt.significant(value, 4) if abs(value) < 1000 else fmt.number(value, 1)


def _relevant(key: str, scenario: Scenario, interventions: dict[str, str]) -> bool:
    """Whether the scenario's result depends on a parameter (every one outside programmes, stages, governance)."""
    head, _, _ = key.partition(".")
    if head in interventions:
        return scenario.stage_of(interventions[head]) != "national"
    if head == "stage":
        furthest = max((STAGE_KEYS.index(scenario.stage_of(f)) for f in FUNCTION_KEYS), default=0)
        stage = key.split(".")[1]
        return stage in STAGE_KEYS and 0 < STAGE_KEYS.index(stage) <= furthest
    if head == "governance_factor":
        return key.split(".", 1)[1] == scenario.governance.model
    return True


def _caveats(scenario: Scenario) -> Section:
    register = load_register()
    interventions = {iv.key: iv.function for iv in register.interventions}
    assumptions = [p for p in register.parameters.values() if p.status == "assumption"]
    used = [p for p in assumptions if _relevant(p.key, scenario, interventions)]
    label = STATUS_LABELS["assumption"].lower()
    unused = len(assumptions) - len(used)
    blocks: list[Block] = [Paragraph(
        f"The evidence register holds {len(register.parameters)} parameters; {len(assumptions)} of them are "
        f"{label}s: no published figure was found, so the value is a judgement, with its reasoning in the register. "
        f"This scenario's result depends on {len(used)} of them, listed below (the other {unused} "
        "concern interventions, stages of the spectrum or governance models this scenario does not use). Treat "
        "results that lean on them as illustrative, and replace them with local figures where you can."
    )]
    if scenario.overrides:
        rows = []
        for key, value in sorted(scenario.overrides.items()):
            p = register.parameters[key]
            rows.append((p.label, f"{_register_text(p.model_value, p.unit)} → {_register_text(value, p.unit)}",
                         fmt.register_unit(p.unit)))
        blocks += [Subheading("Parameters this scenario changes from the register's defaults"),
                   Table(("Parameter", "Default → scenario", "Unit"), tuple(rows), numeric=(False, True, False),
                         widths=(3.4, 2.0, 2.4))]
    else:
        blocks.append(Paragraph("This scenario changes none of the register's default values."))
    if scenario.baseline is not None:
        blocks += _own_figures(scenario)
    groups: dict[str, list] = {}
    for p in used:
        groups.setdefault(p.group, []).append(p)
    for group, params in groups.items():
        rows = []
        for p in params:
            value = parameter_value(p.key, scenario.overrides)
            text = _register_text(value, p.unit) + (f" (default {_register_text(p.model_value, p.unit)})"
                                                    if p.key in scenario.overrides else "")
            rows.append((p.label, text, fmt.register_unit(p.unit)))
        blocks += [Subheading(f"Assumptions: {_GROUP_LABELS.get(group, group.replace('_', ' ').capitalize())}"),
                   Table(("Parameter", "Value", "Unit"), tuple(rows), numeric=(False, True, False),
                         widths=(3.6, 1.2, 3.0))]
    return Section("Evidence caveats", tuple(blocks))


def _own_figures(scenario: Scenario) -> list[Block]:
    """The area's own figures, supplied by the user in place of the derived baseline, beside the derived ones."""
    from cjcore.own_figures import baseline_comparison

    table = baseline_comparison(scenario.area, scenario.baseline)
    table = table[table.supplied.notna()]
    rows = tuple((f"{r.group_label}: {r.label}", _register_text(float(r.derived), str(r.unit)),
                  _register_text(float(r.supplied), str(r.unit)), fmt.register_unit(str(r.unit)))
                 for r in table.itertuples())
    return [Subheading("The area's own figures (supplied by the user)"),
            Paragraph(f"In place of the derived baseline, this scenario uses figures supplied by the user: "
                      f"{scenario.baseline.source}."),  # type: ignore[union-attr]
            Table(("Figure", "Derived", "Supplied by the user", "Unit"), rows, numeric=(False, True, True, False),
                  widths=(3.0, 1.3, 1.6, 1.9))]


def _notes(scenario: Scenario) -> Section:
    if not scenario.notes:
        return Section("Decisions captured", (Paragraph("No decisions or notes were captured for this scenario."),))
    blocks: list[Block] = []
    for topic in ("overall", *FUNCTION_KEYS):
        texts = tuple(n.text for n in scenario.notes if n.topic == topic)
        if texts:
            blocks += [Subheading("Overall decisions" if topic == "overall" else FUNCTION[topic].label),
                       Bullets(texts)]
    return Section("Decisions captured", tuple(blocks))


def build_briefing(scenario: Scenario, view: RunView, share_link: str,
                   generated: dt.date | None = None, tradeoff: pd.DataFrame | None = None,
                   title: str | None = None) -> Briefing:
    """Gather a briefing's text, tables and charts for one scenario and its projection.

    Args:
        scenario: The scenario on screen.
        view: Its projection (``explorer.runs.RunView`` or ``run_view_uncached``), so the briefing shows the
            same figures as the app.
        share_link: The link that reopens the view in the explorer.
        generated: The date to print (today when not given).
        tradeoff: What each function adds at each stage (``cjcore.report.stage_tradeoff``, as the app shows it);
            without it the briefing has no "How far to go" section.
        title: The title as the app shows it (``explorer.widgets.scenario_title``); the scenario's name if not given.

    Returns:
        The briefing, ready for ``briefing_html`` and ``briefing_pdf``.
    """
    return Briefing(
        title=title or scenario.name,
        area=get_area(scenario.area).name,
        generated=generated or dt.date.today(),
        share_link=share_link,
        horizon_years=scenario.horizon_years,
        sections=(
            _intro(scenario, view),
            Section("The story", tuple(Paragraph(text) for text in view.story)),
            _placements(scenario),
            _funding_governance(scenario),
            _headline_tables(scenario, view),
            *((_tradeoff(scenario, tradeoff),) if tradeoff is not None else ()),
            _who_pays(view),
            _charts(view),
            _caveats(scenario),
            _notes(scenario),
        ),
    )

