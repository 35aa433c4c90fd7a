"""Briefing export: one scenario's results as a self-contained HTML file and as a PDF, for colleagues.

No streamlit import, so a script or a test can build a briefing too::

    from cjcore import load_scenario
    from explorer.briefing import briefing_html, briefing_pdf, build_briefing, run_view_uncached
    sc = load_scenario("scenarios/greater-manchester.yaml")
    b = build_briefing(sc, run_view_uncached(sc, draws=500, seed=1), share_link="https://…")
    Path("briefing.html").write_text(briefing_html(b), encoding="utf-8")
    Path("briefing.pdf").write_bytes(briefing_pdf(b))

`build_briefing` gathers every piece once (tables of already formatted text and the charts as PNG bytes,
rendered offline with vl-convert); the two renderers only lay those pieces out, so the HTML and the PDF always
say the same thing. Every piece of text is plain text: the HTML renderer escapes all of it, so a scenario name
or a note can never inject markup, and the PDF renderer maps characters its built-in font cannot show to a
close equivalent or '?', so no user text can make the export fail.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd
import vl_convert as vlc
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from cjcore.areas import get_area, report_priorities
from cjcore.engine import readiness
from cjcore.evidence import STATUS_LABELS, load_register, parameter_value
from cjcore.prices import PRICE_BASE_LABEL
from cjcore.schema import Scenario
from cjcore.story import tradeoff_sentences
from cjcore.vocab import FIVE_CONDITIONS, FUNCTION, FUNCTION_KEYS, GOVERNANCE, STAGE, STAGE_KEYS
from explorer import format as fmt
from explorer.charts import (
    agency_chart,
    cohort_chart,
    drivers_chart,
    money_chart,
    spectrum_chart,
    tradeoff_chart,
    trend_chart,
)
from explorer.runview import RunView, build_run_view
from explorer.theme import OPTIMISM_BIAS_LABEL

#: Width (CSS pixels) of the plot area of each exported chart; "container" widths do not render offline.
CHART_WIDTH = 560
#: The spectrum chart needs room for six stage labels.
SPECTRUM_WIDTH = 600
#: Pixel density of the exported PNGs.
CHART_SCALE = 2

SOURCES: tuple[str, ...] = (
    "Crest Advisory (2018), Driving criminal justice devolution: lessons for PCCs and Mayors.",
    "Crest Advisory (2023), Devolving justice in practice.",
    "The explorer's evidence register (cjcore/data/evidence.yaml): every parameter's value, range, source and "
    "status; the model's equations are set out in docs/model.md.",
)

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


# ----------------------------------------------------------------------------------------------- results
def run_view_uncached(scenario: Scenario, draws: int, seed: int) -> RunView:
    """Project a scenario and collect the tables a page (or a briefing) shows, with no caching."""
    return build_run_view(scenario, draws, seed)


# ----------------------------------------------------------------------------------------------- pieces
@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str
    note: bool = False  # shown smaller and grey


@dataclass(frozen=True)
class Subheading:
    """A heading within a section."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A list of plain-text items."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of formatted text; ``numeric`` marks the columns aligned right; ``widths`` are relative."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A chart rendered to PNG, with its size in CSS pixels (the PNG holds ``CHART_SCALE`` times as many)."""

    title: str
    png: bytes
    width: int
    height: int
    caption: str = ""


Block = Paragraph | Subheading | Bullets | Table | Figure


@dataclass(frozen=True)
class Section:
    """A titled part of the briefing: its blocks in reading order."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Briefing:
    """Everything a briefing says, ready to render as HTML or PDF (all text is plain, unescaped)."""

    title: str
    area: str
    generated: dt.date
    share_link: str
    horizon_years: int
    sections: tuple[Section, ...]
    sources: tuple[str, ...] = SOURCES

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every chart, in reading order."""
        return tuple(b for s in self.sections for b in s.blocks if isinstance(b, Figure))

    @property
    def charts(self) -> tuple[bytes, ...]:
        """The PNG bytes of every chart, in reading order."""
        return tuple(f.png for f in self.figures)

    @property
    def date_text(self) -> str:
        """The date generated, e.g. '3 March 2026'."""
        return _date_text(self.generated)


def _date_text(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def briefing_filename(scenario: Scenario, generated: dt.date, extension: str) -> str:
    """A safe download name, ``briefing-<scenario name>-<YYYY-MM-DD>.<extension>``."""
    ascii_name = unicodedata.normalize("NFKD", scenario.name).encode("ascii", "ignore").decode("ascii").lower()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].rstrip("-") or "scenario"
    return f"briefing-{stem}-{generated.isoformat()}.{extension}"


# ----------------------------------------------------------------------------------------------- charts
def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG in pixels, read from its header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _figure(chart: alt.TopLevelMixin, title: str, caption: str = "", width: int = CHART_WIDTH) -> Figure:
    # The briefing prints its own heading over each chart, so the chart's title is dropped; white background.
    spec = chart.properties(width=width, background="white").to_dict()
    spec.pop("title", None)
    for layer in spec.get("layer", ()):
        layer.pop("title", None)
    png = vlc.vegalite_to_png(spec, scale=CHART_SCALE)
    px_width, px_height = _png_size(png)
    return Figure(title=title, png=png, width=round(px_width / CHART_SCALE), height=round(px_height / CHART_SCALE),
                  caption=caption)


# ----------------------------------------------------------------------------------------------- sections
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
        "The share link reopens this exact view in the explorer."
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
        _figure(spectrum_chart(scenario.placements, priorities), "The spectrum", caption, width=SPECTRUM_WIDTH),
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
        return (lambda v: fmt.percent(v, 2)), (lambda d: fmt.signed(100 * d, 2, " pp")), ""
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
        return "–" if v is None or math.isnan(v) else f"£{v:.2f}"

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
                  "and the reoffending rate are for the final year. The likely range is that of the scenario."),
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
        _figure(tradeoff_chart(tradeoff), "What each function adds at each stage", caption),
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
        _figure(agency_chart(view.agencies), "Who pays and who gains",
                f"£m over the horizon, {PRICE_BASE_LABEL}; the black tick is each agency's net position."),
    ))


def _charts(view: RunView) -> Section:
    trend_caption = ("Dashed grey line: baseline (no devolution). Solid blue line: the scenario" +
                     ("; the shaded band is its likely range (p10–p90)." if _has_bands(view) else "."))
    return Section("Reoffending, demand and money", (
        _figure(trend_chart(view.frame, "reoffending_rate"), "Proven reoffending rate", trend_caption),
        _figure(trend_chart(view.frame, "prison_places"), "Prison places", trend_caption),
        _figure(trend_chart(view.frame, "probation_caseload"), "Probation caseload", trend_caption),
        _figure(drivers_chart(view.drivers), "What drives the result",
                "Reoffences avoided over the horizon through each function (central estimate)."),
        _figure(cohort_chart(view.cohorts), "Change by cohort",
                "Change in proven reoffences over the horizon for each cohort (central estimate)."),
        _figure(money_chart(view.money), "Money, year by year",
                "Spend on interventions, one-off transition and yearly governance costs, optimism bias (Green Book "
                "adjustment), any unspent pooled money kept, cashable savings, savings retained by the area and "
                f"funds available, £m a year in {PRICE_BASE_LABEL} (central estimate)."),
    ))


def _number_text(value: float) -> str:
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.1f}"


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
            rows.append((p.label, f"{_number_text(p.model_value)} → {_number_text(value)}", p.unit))
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
            text = _number_text(value) + (f" (default {_number_text(p.model_value)})" if p.key in scenario.overrides
                                          else "")
            rows.append((p.label, text, p.unit))
        blocks += [Subheading(f"Assumptions: {_GROUP_LABELS.get(group, group.replace('_', ' ').capitalize())}"),
                   Table(("Parameter", "Value", "Unit"), tuple(rows), numeric=(False, True, False),
                         widths=(3.6, 1.2, 3.0))]
    return Section("Evidence caveats", tuple(blocks))


def _own_figures(scenario: Scenario) -> list[Block]:
    """The area's own figures, supplied by the user in place of the derived baseline, beside the derived ones."""
    from cjcore.own_figures import baseline_comparison

    table = baseline_comparison(scenario.area, scenario.baseline)
    table = table[table.supplied.notna()]
    rows = tuple((f"{r.group_label}: {r.label}", _number_text(float(r.derived)), _number_text(float(r.supplied)),
                  str(r.unit)) for r in table.itertuples())
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
                   generated: dt.date | None = None, tradeoff: pd.DataFrame | None = None) -> Briefing:
    """Gather a briefing's text, tables and charts for one scenario and its projection.

    Args:
        scenario: The scenario on screen.
        view: Its projection (``explorer.runs.RunView`` or ``run_view_uncached``), so the briefing shows the
            same figures as the app.
        share_link: The link that reopens the view in the explorer.
        generated: The date to print (today when not given).
        tradeoff: What each function adds at each stage (``cjcore.report.stage_tradeoff``, as the app shows it);
            without it the briefing has no "How far to go" section.

    Returns:
        The briefing, ready for ``briefing_html`` and ``briefing_pdf``.
    """
    return Briefing(
        title=scenario.name,
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


# ----------------------------------------------------------------------------------------------- HTML
_CSS = """
:root { --ink: #1a1a1a; --muted: #5a5a5a; --rule: #d0d7de; --accent: #0b4f8a; --band: #f3f6f9; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main { max-width: 900px; margin: 0 auto; padding: 32px 24px 48px; }
header.cover { border-bottom: 4px solid var(--accent); padding-bottom: 16px; margin-bottom: 8px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 13px; color: var(--accent); margin: 0; }
h1 { font-size: 30px; line-height: 1.2; margin: 6px 0 4px; }
.area { font-size: 19px; margin: 0 0 10px; }
.meta { font-size: 14px; color: var(--muted); margin: 2px 0; overflow-wrap: anywhere; }
h2 { font-size: 22px; color: var(--accent); border-bottom: 1px solid var(--rule); padding-bottom: 4px;
  margin: 36px 0 12px; }
h3 { font-size: 17px; margin: 22px 0 8px; }
p { margin: 0 0 12px; }
p.note, figcaption { font-size: 14px; color: var(--muted); }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 4px 0 16px; font-size: 14.5px; }
table.narrow { width: 70%; }
@media (max-width: 640px) { table.narrow { width: 100%; } }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--rule); }
thead th { background: var(--band); border-bottom: 2px solid var(--accent); }
td.num, th.num { text-align: right; white-space: nowrap; }
figure { margin: 18px 0 24px; }
figure h3 { margin-top: 0; }
figure img { display: block; max-width: 100%; height: auto; }
ul { margin: 0 0 12px; padding-left: 22px; }
li { margin: 4px 0; white-space: pre-wrap; }
footer { margin-top: 40px; border-top: 1px solid var(--rule); padding-top: 12px; font-size: 13.5px;
  color: var(--muted); }
footer ul { padding-left: 18px; }
@page { size: A4; margin: 16mm; }
@media print {
  body { font-size: 12pt; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
}
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _safe_link(link: str) -> bool:
    """Only web links become clickable (never javascript: or data: links)."""
    return bool(re.match(r"^https?://", link.strip(), flags=re.IGNORECASE))


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f'<p{" class=note" if block.note else ""}>{_esc(block.text)}</p>'
    if isinstance(block, Subheading):
        return f"<h3>{_esc(block.text)}</h3>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_esc(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        numeric = block.numeric or (False,) * len(block.columns)

        def cls(i: int) -> str:
            return ' class="num"' if numeric[i] else ""

        head = "".join(f'<th scope="col"{cls(i)}>{_esc(c)}</th>' for i, c in enumerate(block.columns))
        body = "".join(
            "<tr>" + "".join(f"<td{cls(i)}>{_esc(c)}</td>" for i, c in enumerate(row)) + "</tr>" for row in block.rows)
        narrow = ' class="narrow"' if len(block.columns) == 2 else ""
        return f"<table{narrow}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        caption = f"<figcaption>{_esc(block.caption)}</figcaption>" if block.caption else ""
        return (f'<figure><h3>{_esc(block.title)}</h3><img src="data:image/png;base64,{data}" '
                f'width="{block.width}" height="{block.height}" alt="{_esc(block.title)}">{caption}</figure>')
    raise TypeError(f"unknown block {type(block).__name__}")


def briefing_html(b: Briefing) -> str:
    """One self-contained HTML file: inline CSS, charts as embedded PNGs, no scripts, one link (the share link)."""
    link = _esc(b.share_link)
    link_html = f'<a href="{link}">{link}</a>' if _safe_link(b.share_link) else link
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Briefing: {_esc(b.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body><main>",
        '<header class="cover">',
        '<p class="kicker">Devolution-spectrum explorer · briefing</p>',
        f"<h1>{_esc(b.title)}</h1>",
        f'<p class="area">{_esc(b.area)}</p>',
        f'<p class="meta">Generated {_esc(b.date_text)} · {b.horizon_years}-year projection</p>',
        f'<p class="meta">Reopen this view in the explorer: {link_html}</p>' if b.share_link.strip() else "",
        "</header>",
    ]
    for section in b.sections:
        parts.append(f"<section><h2>{_esc(section.title)}</h2>")
        parts.extend(_html_block(block) for block in section.blocks)
        parts.append("</section>")
    parts.append("<footer><p><strong>Sources</strong></p><ul>")
    parts.extend(f"<li>{_esc(s)}</li>" for s in b.sources)
    parts.append(f"</ul><p>Generated {_esc(b.date_text)} by the devolution-spectrum explorer.</p></footer>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


# ----------------------------------------------------------------------------------------------- PDF
#: Characters outside Windows-1252 (the built-in PDF fonts' encoding) with a close stand-in.
_PDF_STAND_INS = {
    "\u2212": "\u2013",  # minus sign -> en dash
    "\u2010": "-", "\u2011": "-", "\u2012": "\u2013", "\u2015": "\u2014",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
    "\u200b": "", "\u200d": "", "\ufeff": "",
    "\u2032": "'", "\u2033": '"', "\u2039": "<", "\u203a": ">",
    "\u2190": "<-", "\u2192": "->", "\u2194": "<->", "\u21d2": "=>",
    "\u2264": "<=", "\u2265": ">=", "\u2260": "!=", "\u2248": "~", "\u2217": "*", "\u2219": "\u00b7",
    "\u25cf": "\u2022", "\u25aa": "\u2022", "\u25a0": "\u2022", "\u25c6": "\u2022",
    "\t": "    ",
}
PDF_ENCODING = "windows-1252"


def pdf_text(text: str) -> str:
    """Text the PDF's built-in font can show: Windows-1252 characters kept, others replaced.

    Characters outside the encoding become a close stand-in (− → –, → → ->), lose their accents (Ŵ → W), or
    become '?'; control characters other than line breaks are dropped. Never raises.
    """
    out = []
    for ch in str(text):
        if ch == "\n":
            out.append(ch)
            continue
        if ch in _PDF_STAND_INS:
            out.append(_PDF_STAND_INS[ch])
            continue
        if unicodedata.category(ch) in ("Cc", "Cs"):
            out.append("?" if unicodedata.category(ch) == "Cs" else "")
            continue
        try:
            ch.encode(PDF_ENCODING)
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode(PDF_ENCODING)
            out.append(base if base and base != ch else "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


_ACCENT = (11, 79, 138)
_INK = (26, 26, 26)
_MUTED = (90, 90, 90)
_RULE = (208, 215, 222)
_BAND = (243, 246, 249)
_FONT = "helvetica"
_MARGIN = 18.0


class _BriefingPDF(FPDF):
    """A4 pages with a running header and page numbers; every text passes through ``pdf_text``."""

    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.briefing = briefing
        self.core_fonts_encoding = PDF_ENCODING
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.alias_nb_pages()
        self.set_title(briefing.title)
        self.set_subject(f"Devolution-spectrum briefing: {briefing.area}")
        self.set_author("Devolution-spectrum explorer")
        self.set_creation_date(dt.datetime.combine(briefing.generated, dt.time(), tzinfo=dt.UTC))

    def normalize_text(self, text: str) -> str:  # noqa: D102 - fpdf2 hook: make any text encodable
        return super().normalize_text(pdf_text(text))

    def header(self) -> None:  # noqa: D102 - fpdf2 hook
        if self.page_no() == 1:
            return
        self.set_font(_FONT, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, f"{self.briefing.title} · {self.briefing.area}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*_RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(5)
        self.set_text_color(*_INK)

    def footer(self) -> None:  # noqa: D102 - fpdf2 hook
        self.set_y(-12)
        self.set_font(_FONT, "", 8)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, f"Devolution-spectrum explorer · briefing generated {self.briefing.date_text}")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*_INK)

    # --------------------------------------------------------------------------------------- helpers
    @property
    def content_width(self) -> float:
        """Width between the margins, mm."""
        return self.w - self.l_margin - self.r_margin

    def room(self) -> float:
        """Height left on the page above the automatic page break, mm."""
        return self.page_break_trigger - self.get_y()

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` mm fit on this one."""
        if self.room() < height:
            self.add_page()

    def text_block(self, text: str, size: float = 10, style: str = "", colour: tuple = _INK,
                   line: float = 5.0, after: float = 2.5) -> None:
        """A wrapped paragraph across the content width."""
        self.set_font(_FONT, style, size)
        self.set_text_color(*colour)
        self.multi_cell(self.content_width, line, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*_INK)
        self.ln(after)

    def section_title(self, text: str) -> None:
        """A section heading with a rule, kept with what follows it."""
        self.need(45)
        self.ln(3)
        self.set_font(_FONT, "B", 14)
        self.set_text_color(*_ACCENT)
        self.multi_cell(self.content_width, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*_RULE)
        self.line(self.l_margin, self.get_y() + 0.5, self.w - self.r_margin, self.get_y() + 0.5)
        self.ln(3.5)
        self.set_text_color(*_INK)

    def subheading(self, text: str) -> None:
        """A heading within a section, kept with what follows it."""
        self.need(30)
        self.ln(1.5)
        self.text_block(text, size=11, style="B", line=5.5, after=1.0)

    def bullets(self, items: tuple[str, ...]) -> None:
        """A bulleted list."""
        self.set_font(_FONT, "", 10)
        for item in items:
            self.need(10)
            self.set_x(self.l_margin + 2)
            self.cell(5, 5, "\u2022")
            self.multi_cell(self.content_width - 7, 5, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(1)
        self.ln(1.5)

    def table_block(self, block: Table) -> None:
        """A table with a shaded heading row, repeated on each page it spans."""
        numeric = block.numeric or (False,) * len(block.columns)
        widths = block.widths or (1.0,) * len(block.columns)
        # Keep a short table on one page (a rough height: wrapped rows are taller); long ones may split.
        self.need((len(block.rows) + 1) * 8.0 if len(block.rows) <= 12 else 25)
        self.set_font(_FONT, "", 9)
        self.set_draw_color(*_RULE)
        headings = FontFace(emphasis="BOLD", color=_INK, fill_color=_BAND)
        narrow = len(block.columns) == 2  # a list of settings reads better at part width
        with self.table(col_widths=widths, width=self.content_width * (0.7 if narrow else 1.0), align="LEFT",
                        line_height=4.6, padding=(1.4, 1.8),
                        borders_layout="HORIZONTAL_LINES", headings_style=headings, repeat_headings=1,
                        text_align=tuple("RIGHT" if n else "LEFT" for n in numeric)) as table:
            for row in (block.columns, *block.rows):
                cells = table.row()
                for text in row:
                    cells.cell(text)
        self.ln(3)

    def figure_size(self, block: Figure) -> tuple[float, float]:
        """Width and height of a chart on the page, mm (text as on screen; within the width; at most half a page)."""
        width = min(self.content_width, block.width * 0.24)
        height = width * block.height / block.width
        max_height = (self.h - self.t_margin - 16) * 0.5
        if height > max_height:
            width, height = width * max_height / height, max_height
        return width, height

    def estimate(self, block: Block) -> float:
        """Roughly how much height a block needs on the page it starts on, mm (for keeping things together)."""
        if isinstance(block, Table):
            return (len(block.rows) + 1) * 8.0 if len(block.rows) <= 12 else 25.0
        if isinstance(block, Figure):
            return self.figure_size(block)[1] + 16
        return 12.0 if isinstance(block, Subheading | Bullets) else 15.0

    def figure(self, block: Figure) -> None:
        """A chart with its heading and caption."""
        width, height = self.figure_size(block)
        self.need(height + 16)
        self.subheading(block.title)
        self.image(io.BytesIO(block.png), x=self.l_margin + (self.content_width - width) / 2, w=width, h=height)
        self.ln(1.5)
        if block.caption:
            self.text_block(block.caption, size=8.5, colour=_MUTED, line=4.2, after=3)


def briefing_pdf(b: Briefing) -> bytes:
    """The briefing as a multi-page A4 PDF with the same content as the HTML (built-in Helvetica font)."""
    pdf = _BriefingPDF(b)
    pdf.add_page()
    pdf.set_font(_FONT, "", 9)
    pdf.set_text_color(*_ACCENT)
    pdf.cell(0, 5, "DEVOLUTION-SPECTRUM EXPLORER · BRIEFING", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.text_block(b.title, size=22, style="B", line=9.5, after=1)
    pdf.text_block(b.area, size=13, line=6.5, after=1)
    pdf.text_block(f"Generated {b.date_text} · {b.horizon_years}-year projection", size=9.5, colour=_MUTED,
                   line=5, after=0.5)
    if b.share_link.strip():
        pdf.text_block("Reopen this view in the explorer:", size=9.5, colour=_MUTED, line=5, after=0)
        pdf.set_text_color(*_ACCENT)
        pdf.set_font(_FONT, "U", 9.5)
        pdf.write(5, b.share_link, link=b.share_link if _safe_link(b.share_link) else "")
        pdf.set_text_color(*_INK)
    pdf.ln(7)
    pdf.set_draw_color(*_ACCENT)
    pdf.set_line_width(1.0)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(4)
    for section in b.sections:
        # Keep a heading with what follows it (and a section title with its first subheading's block too).
        first_is_heading = bool(section.blocks) and isinstance(section.blocks[0], Subheading)
        lead = section.blocks[:2] if first_is_heading else section.blocks[:1]
        pdf.need(14 + sum(pdf.estimate(x) for x in lead))
        pdf.section_title(section.title)
        for i, block in enumerate(section.blocks):
            following = section.blocks[i + 1] if i + 1 < len(section.blocks) else None
            if isinstance(block, Subheading) and following is not None:
                pdf.need(12 + pdf.estimate(following))
            if isinstance(block, Paragraph):
                pdf.text_block(block.text, size=8.5 if block.note else 10, colour=_MUTED if block.note else _INK)
            elif isinstance(block, Subheading):
                pdf.subheading(block.text)
            elif isinstance(block, Bullets):
                pdf.bullets(block.items)
            elif isinstance(block, Table):
                pdf.table_block(block)
            elif isinstance(block, Figure):
                pdf.figure(block)
    pdf.section_title("Sources")
    for source in b.sources:
        pdf.text_block(source, size=9, colour=_MUTED, line=4.5, after=1.5)
    return bytes(pdf.output())
