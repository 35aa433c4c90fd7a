"""Colours, sizes and presenter-mode styling: defined once, used by every chart and page.

The palette is Okabe–Ito, which stays distinguishable for the common forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from cjcore.prices import PRICE_BASE_LABEL
from cjcore.vocab import (
    COHORT_KEYS,
    FUNCTION_KEYS,
    SERIES_BASELINE,
    SERIES_DEFAULT_BASELINE,
    SERIES_SCENARIO,
    STAGE_KEYS,
)

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000", "#999999")

SERIES_COLOURS: Mapping[str, str] = MappingProxyType(
    {SERIES_BASELINE: "#6E6E6E", SERIES_SCENARIO: "#0072B2", SERIES_DEFAULT_BASELINE: "#E69F00"})
SERIES_DASH: Mapping[str, list[int]] = MappingProxyType(
    {SERIES_BASELINE: [6, 4], SERIES_SCENARIO: [1, 0], SERIES_DEFAULT_BASELINE: [2, 3]})
FUNCTION_COLOURS: Mapping[str, str] = MappingProxyType(dict(zip(FUNCTION_KEYS, OKABE_ITO, strict=True)))
COHORT_COLOURS: Mapping[str, str] = MappingProxyType(
    dict(zip(COHORT_KEYS, ("#E69F00", "#009E73", "#0072B2", "#CC79A7"), strict=True))
)
# Sequential blues from today's arrangements to a full transfer.
STAGE_COLOURS: Mapping[str, str] = MappingProxyType(
    dict(zip(STAGE_KEYS, ("#d9d9d9", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"), strict=True))
)
MONEY_COLOURS: Mapping[str, str] = MappingProxyType({
    "intervention_spend": "#D55E00", "transition_cost": "#CC79A7", "governance_cost": "#E69F00",
    "optimism_bias": "#56B4E9", "committed_cost": "#000000",
    "cashable_savings": "#009E73", "retained_savings": "#0072B2", "funds_available": "#999999",
})
#: How a cost line is named wherever costs are broken down (cards, money chart, briefing tables).
OPTIMISM_BIAS_LABEL = "Optimism bias (Green Book adjustment)"
#: Money lines whose screen label differs from the vocabulary's metric label.
MONEY_LABELS: Mapping[str, str] = MappingProxyType({"optimism_bias": OPTIMISM_BIAS_LABEL})

# --- Words the screens use for the trade-offs of moving along the spectrum (one place for each label) ----------
#: The headline cards for the chances: the engine's headline key -> the card's label.
CHANCE_CARDS: Mapping[str, str] = MappingProxyType({
    "chance_npv_positive": "Chance of net benefit",
    "chance_npv_negative": "Chance this path does worse than staying as we are",
    "chance_more_reoffences": "Chance of more reoffences than staying as we are",
    "chance_area_breaks_even": "Chance the area breaks even",
})
#: What each card's chance means, for its tooltip.
CHANCE_HELP: Mapping[str, str] = MappingProxyType({
    "chance_npv_positive": "Share of the uncertainty draws in which the discounted benefits exceed all the costs "
                           "(spend on interventions, transition and governance).",
    "chance_npv_negative": "Share of the uncertainty draws in which the costs (spend, one-off transition and yearly "
                           "governance) exceed the benefits, discounted: this path then does worse than keeping "
                           "today's national arrangements.",
    "chance_more_reoffences": "Share of the uncertainty draws in which there are more proven reoffences over the "
                              "horizon than under today's arrangements: the disruption while new arrangements are "
                              "set up, or a transfer reversed, outweighs what they achieve.",
    "chance_area_breaks_even": "Share of the uncertainty draws in which the PCC or mayor gets back at least what it "
                               "puts in (its own savings and those the deal transfers to it, discounted).",
})
#: The stage trade-off chart's measures: key of `cjcore.report.stage_tradeoff` -> (label, axis title, number format).
TRADEOFF_MEASURES: Mapping[str, tuple[str, str, str]] = MappingProxyType({
    "reoffences_avoided": ("Reoffences avoided", "Reoffences avoided over the horizon", ",.0f"),
    "npv_gbp_m": ("Net present value", f"Net present value, £m, {PRICE_BASE_LABEL}", ",.1f"),
})
TRADEOFF_TITLE = "What each function adds at each stage"
PLACED_LABEL = "Where it is placed now"
OTHER_STAGE_LABEL = "Other stages"

#: How much larger st.dataframe's grid is drawn in Presenter mode (its 14 px text becomes 21 px).
DATAFRAME_ZOOM = 1.5
CHART_HEIGHT = 260
CHART_HEIGHT_PRESENTER = 420
FONT_SIZE = 13
FONT_SIZE_PRESENTER = 20

#: The Projections view's tabs (only the open one is built) and the widget key that holds the open one's label.
PROJECTION_TABS: Mapping[str, str] = MappingProxyType({
    "reoffending": "Reoffending", "demand": "Demand", "drivers": "What drives it", "how_far": "How far to go",
    "who_pays": "Who pays and who gains", "money": "Money", "numbers": "The numbers"})
PROJECTION_TAB_KEY = "proj_tab"
#: The Reoffending tab's two charts, one drawn at a time (its picker's options, by key), and the picker's widget key.
REOFFENDING_CHARTS: Mapping[str, str] = MappingProxyType({
    "level": "Scenario against baseline", "change": "Change against baseline"})
REOFFENDING_CHART_KEY = "proj_reoffending_chart"
#: The Compare view's tabs, likewise.
COMPARE_TABS: Mapping[str, str] = MappingProxyType({
    "scenarios": "Scenarios side by side", "areas": "Across areas", "sweep": "Spectrum sweep",
    "lottery": "Postcode lottery"})
COMPARE_TAB_KEY = "cmp_tab"

#: Key of a container that stays in view while the page scrolls (e.g. the figures beside the controls they answer).
STICKY_KEY = "cj_sticky"
#: Characters a sidebar select box shows before it cuts its text (at Presenter mode's size; a box is an input, which
#: cannot wrap): a longer scenario name is spelt out in full under it.
SELECT_SHOWS_CHARS = 24
#: Key of the Scenarios view's history table, whose cells break long titles anywhere rather than scroll sideways.
HISTORY_KEY = "cj_history"
#: Class of the small static tables (`explorer.statictable`): full width, lines between rows, cells that wrap. Labels
#: and headers (and the history's titles) break a long word too, so Presenter mode's type never pushes seven columns
#: past a 1366-pixel screen; a figure is never broken.
TABLE_CLASS = "cj-table"
#: Class of the headline cards (`explorer.cardgrid`); its parts are named `CARD_CLASS`-label, -value, -delta, -help,
#: -tip, -grid and -colsN.
CARD_CLASS = "cj-card"
#: Columns a row of headline cards may have (`explorer.cardgrid.cards_html`): fewer where a card would be narrower
#: than CARD_MIN_REM, which holds a figure such as "115,085" and a change such as "↓ −0.22 pp" whole, at either size.
CARD_COLUMNS = (1, 2, 3, 4, 5)
CARD_MIN_REM = 9

#: The headline cards: a grid per group (N columns, or as many as fit CARD_MIN_REM) with rows of equal height, a
#: bordered card whose label wraps, the figure large and never broken, the change as a coloured chip (green good, red
#: bad, grey none), and the explanation shown while the "?" is hovered or focused, over the page under the "?", placed
#: in the group's box (from its left, or its right for the right half of a row) so that it never leaves the page.
_C = "." + CARD_CLASS
_CARD_CSS = "".join(
    f"{_C}-cols{n} {{ grid-template-columns: "
    f"repeat(auto-fill, minmax(max({CARD_MIN_REM}rem, calc((100% - {n - 1}rem) / {n})), 1fr)); }}\n"
    for n in CARD_COLUMNS) + f"""
{_C}-groups {{ display: flex; flex-direction: column; gap: 1rem; }}
{_C}-grid {{ display: grid; gap: 1rem; position: relative; }}
{_C} {{ border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: calc(1em - 1px);
  color: rgb(49, 51, 63); }}
{_C}-label {{ display: flex; align-items: flex-start; justify-content: space-between; gap: 0.4rem;
  font-size: 0.875rem; line-height: 1.3; margin-bottom: 0.25rem; }}
{_C}-value {{ font-size: 1.75rem; line-height: 1.4; white-space: nowrap; }}
{_C}-delta {{ display: inline-block; margin-top: 0.3rem; padding: 0.1rem 0.45rem; border-radius: 0.5rem;
  font-size: 0.875rem; white-space: nowrap; }}
{_C}-green {{ color: #177233; background: #e3f4e8; }}
{_C}-red {{ color: #a4262c; background: #fce8e9; }}
{_C}-gray {{ color: #31333f; background: #eceef2; }}
{_C}-help {{ flex: none; display: inline-flex; align-items: center; justify-content: center; width: 1.1rem;
  height: 1.1rem; border: 1.5px solid #6b6f7b; border-radius: 50%; color: #6b6f7b; font-size: 0.7rem;
  font-weight: 700; cursor: help; }}
{_C}-tip {{ display: none; position: absolute; z-index: 5; align-self: flex-start; margin-top: 1.6rem; left: 0;
  width: min(100%, 30rem); padding: 0.6rem 0.8rem; border-radius: 0.4rem; background: #262730; color: #fff;
  font-size: 0.85rem; font-weight: 400; line-height: 1.45; box-shadow: 0 4px 16px rgba(0, 0, 0, 0.25); }}
{_C}-tip-right {{ left: auto; right: 0; }}
{_C}-help:hover > {_C}-tip, {_C}-help:focus > {_C}-tip {{ display: block; }}
{_C}-help:focus {{ outline: 2px solid #1c64c8; outline-offset: 2px; }}
"""

#: Rules for every mode. Page names in the sidebar wrap (so do the headline cards' labels: a card's label is its
#: meaning, "Chance this path does worse than staying as we are" must be read in full). A sticky container's column
#: stretches to the row's height so it can stay.
#: A sidebar select box's open list is wider than the box (it opens over the page), so long scenario names are read
#: whole; the box itself is an input, which cannot wrap (the sidebar spells a long chosen name out under it).
_COMMON_CSS = """
[data-testid="stSidebarNavLink"] .stMarkdownEllipsis, [data-testid="stSidebarNavLink"] p {
  white-space: normal; overflow: visible; text-overflow: clip; }
[data-testid="stColumn"]:has(.st-key-""" + STICKY_KEY + """) > [data-testid="stVerticalBlock"] { height: 100%; }
.st-key-""" + STICKY_KEY + """ { position: sticky; top: 0.75rem; z-index: 3; background: #fff; }
[data-testid="stElementContainer"]:has(> .stHtml script) { display: none; }
body:has([data-testid="stSidebar"] input[aria-expanded="true"]) [data-testid="stSelectboxVirtualDropdown"] {
  width: max(var(--trigger-width), min(44rem, 70vw)) !important; }
table.""" + TABLE_CLASS + """ { width: 100%; border-collapse: collapse; font-size: 0.9rem; line-height: 1.4; }
table.""" + TABLE_CLASS + """ th, table.""" + TABLE_CLASS + """ td {
  border: 1px solid #d5dbe3; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
table.""" + TABLE_CLASS + """ th { overflow-wrap: break-word; }
.st-key-""" + HISTORY_KEY + """ table.""" + TABLE_CLASS + """ td { overflow-wrap: anywhere; }
table.""" + TABLE_CLASS + """ thead th { background: #f0f3f7; font-weight: 600; }
table.""" + TABLE_CLASS + """ tbody th { font-weight: 600; }
""" + _CARD_CSS

BASE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
""" + _COMMON_CSS + """
</style>
"""

#: Presenter mode: everything a room reads is scaled, not only the text: sidebar (wider, so page and scenario names
#: fit), inputs, dropdowns and their options, text boxes, buttons, static tables, code (the share link) and headline
#: cards; the header and toolbar are hidden. st.dataframe draws on a canvas whose font CSS cannot set: its element is
#: zoomed by DATAFRAME_ZOOM and its box narrowed by the same factor, because the grid sizes its canvas from the box's
#: on-screen width (zoomed alone, it spilled past the page); clicks still land on the cell under the pointer. The rules
#: shared with the laptop view come first, so that these override them.
PRESENTER_CSS = """
<style>
""" + _COMMON_CSS + """
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stSidebar"] { width: 430px !important; min-width: 430px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
[data-testid="stWidgetLabel"] p { font-size: 1.25rem; }
[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBar"] { font-size: 1.1rem; }
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none; }
.""" + CARD_CLASS + """-value { font-size: clamp(1.8rem, 3.3vw, 3rem); }
.""" + CARD_CLASS + """-label { font-size: 1.25rem; }
.""" + CARD_CLASS + """-delta { font-size: 1.3rem; }
.""" + CARD_CLASS + """-help { width: 1.3rem; height: 1.3rem; font-size: 0.85rem; }
.""" + CARD_CLASS + """-tip { font-size: 1.1rem; }
[data-testid="stSidebarNavLink"] p { font-size: 1.25rem; }
input, textarea, [data-baseweb="select"], [role="option"], [role="listbox"] li { font-size: 1.15rem !important; }
[data-testid="stNumberInput"] input, [data-testid="stTextInput"] input { min-height: 2.6rem; }
[data-testid="stTextArea"] textarea { line-height: 1.45; }
[data-testid="stButton"] button p, [data-testid="stDownloadButton"] button p,
[data-testid="stBaseButton-segmented_control"] p, [data-testid="stExpander"] summary p,
button[role="tab"] p { font-size: 1.2rem; }
[data-testid="stRadio"] label p, [data-testid="stCheckbox"] label p, [data-testid="stToggle"] label p {
  font-size: 1.25rem; }
[data-testid="stMain"] table.""" + TABLE_CLASS + """ { font-size: 1.15rem; }
[data-testid="stMain"] table.""" + TABLE_CLASS + """ th, [data-testid="stMain"] table.""" + TABLE_CLASS + """ td {
  padding: 0.3rem 0.35rem; }
[data-testid="stElementContainer"]:has(> [data-testid="stFullScreenFrame"] [data-testid="stDataFrame"]) {
  zoom: """ + str(DATAFRAME_ZOOM) + """; width: calc(100% / """ + str(DATAFRAME_ZOOM) + """) !important;
  max-width: calc(100% / """ + str(DATAFRAME_ZOOM) + """) !important; }
[data-testid="stCode"] code { font-size: 0.95rem; }
[data-testid="stText"] { font-size: 1.15rem; }
[data-testid="stMainBlockContainer"] { padding: 0.5rem 2.5rem 4rem; max-width: 100%; }
h1 { font-size: 2.6rem; padding-top: 0.5rem; } h2 { font-size: 2.1rem; } h3 { font-size: 1.7rem; }
.st-key-""" + STICKY_KEY + """ .""" + CARD_CLASS + """-value { font-size: clamp(1.5rem, 2.4vw, 2.4rem); }
</style>
"""
