"""Numbers as people read them: thousands separators, £m, percentages and signs, with units.

The one source of truth for how a number is written on screen, in tables, on chart axes and on sliders: pages and
charts call these functions and constants instead of writing their own format strings. A change smaller than the
precision it is shown with reads "no change" (`cjcore.precision.no_change` decides, for the story too).

Every negative number is written with one sign, the minus sign U+2212 ("−837", "−£1.2m", "−0.22 pp"), as chart axes
(d3's default) already write it. Streamlit's metric card reads a fall only from an ASCII "-", so the cards get their
arrow and colour from the number itself (`delta_colour`, `delta_arrow`), never from the text.
"""

from __future__ import annotations

import math

from cjcore.precision import MINUS, NO_CHANGE, money_m, no_change, number
from cjcore.precision import missing as _missing
from cjcore.precision import with_minus as _minus
from cjcore.vocab import SHARE_UNIT

__all__ = ["MINUS", "NO_CHANGE", "money_m", "no_change", "number"]


#: Slider and number-input format for a share held as 0–1: Streamlit shows 0.6 as "60%".
SLIDER_PERCENT = "percent"
#: Formats for table columns (`st.column_config.NumberColumn(format=...)`): counts are rounded to whole numbers
#: before they reach the table and shown with the reader's thousands separator; the header carries the unit (£m).
TABLE_COUNT = "localized"
TABLE_MONEY = "%.1f"
TABLE_RATIO = "%.2f"
TABLE_PERCENT = "percent"
#: Chart axes: d3 format and the smallest step between ticks, so two ticks never show the same label (a rate axis
#: with ticks 0.1 points apart labelled to one decimal would otherwise read "27.7%, 27.7%").
AXIS_PERCENT = (".0%", 0.01)
AXIS_POINTS = (",.1f", 0.1)  # percentage points, as numbers (the axis title says "percentage points")
AXIS_SHARE_POINTS = (".1%", 0.001)  # a change of a share, shown as a percentage
AXIS_COUNT = (",.0f", 1.0)
AXIS_MONEY = (",.1f", 0.1)
AXIS_RATIO = (",.2f", 0.01)


def signed(value: float, decimals: int = 0, suffix: str = "") -> str:
    """A change with an explicit sign ('+' or the minus sign '−'), or 'no change' when it rounds to zero here."""
    if _missing(value):
        return "–"
    if no_change(value, decimals):
        return NO_CHANGE
    rounded = round(value, decimals)
    return f"{'+' if rounded > 0 else MINUS}{abs(rounded):,.{decimals}f}{suffix}"


def money_change(value: float, decimals: int = 1) -> str:
    """A change in £ millions with its sign ('+£1.2m'), or 'no change'."""
    if _missing(value):
        return "–"
    if no_change(value, decimals):
        return NO_CHANGE
    return ("+" if value > 0 else "") + money_m(value, decimals)


def percent(share: float, decimals: int = 1) -> str:
    """A share 0–1 as a percentage ('27.50%'); never '-0.0%'."""
    if _missing(share):
        return "–"
    value = 100 * share
    if round(value, decimals) == 0:
        value = 0.0
    return _minus(f"{value:.{decimals}f}%")


def chance(share: float) -> str:
    """A chance (a share of the uncertainty draws) as a whole percentage: '92%'."""
    return percent(share, 0)


#: Percentage points after a figure, joined by a no-break space: "−0.20 pp" never breaks between figure and unit.
POINTS = "\u00a0pp"


def points(share_change: float, decimals: int = 2) -> str:
    """A change of a rate held as a share, in percentage points ('-0.20 pp'), or 'no change'."""
    return "–" if _missing(share_change) else signed(100 * share_change, decimals, POINTS)


def ratio(value: float) -> str:
    """A ratio such as the benefit–cost ratio, with two decimals."""
    return "–" if _missing(value) else _minus(f"{0.0 if round(value, 2) == 0 else value:.2f}")


def delta_colour(change: float, decimals: int, colour: str = "inverse") -> str:
    """The metric card's delta colour from the change itself: grey for no change at the shown precision.

    `colour` says which way is good, as Streamlit's own modes: 'inverse' (a fall is green, as for reoffences) or
    'normal' (a rise is green). The card's text carries the minus sign '−', which Streamlit does not read as a fall,
    so the colour is named outright rather than left to Streamlit.
    """
    if _missing(change) or no_change(change, decimals) or colour == "off":
        return "gray"
    good = change < 0 if colour == "inverse" else change > 0
    return "green" if good else "red"


def delta_arrow(delta: str | None) -> str:
    """The metric card's arrow for a change written by this module: 'down' for '−…', 'up' for '+…', else 'off'.

    Read from the sign `signed`, `points` or `money_change` wrote, so the arrow never disagrees with the text
    ('no change' and a missing change get none).
    """
    if not delta:
        return "off"
    return "down" if delta.startswith(MINUS) else "up" if delta.startswith("+") else "off"


def band(p10: float, p90: float, fmt=number) -> str:
    """'p10 to p90' in the given format, or '' without uncertainty draws."""
    if _missing(p10) or _missing(p90):
        return ""
    return f"{fmt(p10)} to {fmt(p90)}"


#: The evidence register writes "(0–1)" after the unit of every figure it holds as a share 0–1 ('share (0–1)',
#: 'chance a year (0–1)'): such figures are shown as percentages, and their unit without the "(0–1)".
SHARE_UNIT_SUFFIX = " (0–1)"


def is_share_unit(unit: str) -> bool:
    """Whether a unit holds its figures as shares 0–1 (shown as percentages)."""
    return unit == SHARE_UNIT or unit.endswith(SHARE_UNIT_SUFFIX)


def register_unit(unit: str) -> str:
    """A register unit as shown beside `register_figure`'s text ('share (0–1)' reads 'share': the figure says %)."""
    return unit.removesuffix(SHARE_UNIT_SUFFIX)


def register_figure(value: float, unit: str) -> str:
    """A register figure as people read it: a share 0–1 as a percentage ('60%', '3.5%'), else `significant`."""
    if is_share_unit(unit) and not _missing(value):
        return significant(round(100 * value, 10)) + "%"
    return significant(value)


def register_range(low: float, high: float, unit: str) -> str:
    """A register figure's range in `register_figure`'s form ('10% to 40%', '1,200 to 2,500'), or ''."""
    if _missing(low) or _missing(high):
        return ""
    return f"{register_figure(low, unit)} to {register_figure(high, unit)}"


def significant(value: float, digits: int = 4) -> str:
    """A number with up to `digits` significant figures, thousands separators and no exponent ('12,500', '0.035')."""
    if _missing(value):
        return "–"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{round(value, decimals):,.{decimals}f}"
    return _minus(text.rstrip("0").rstrip(".") if "." in text else text)


def headline(unit: str, value: float, difference: bool = False) -> str:
    """A headline figure as text from its unit in `cjcore.engine.HEADLINES` (a difference gets a sign).

    Money as £m, a share of uncertainty draws as a whole percentage ('92%'; a difference in points), percentage
    points and ratios with two decimals, counts with thousands separators. A difference (or a change such as
    percentage points) that rounds to zero reads 'no change'.
    """
    if _missing(value):
        return "–"
    if unit.startswith("£m"):
        return money_change(value) if difference else money_m(value)
    if unit == "share of uncertainty draws":
        return signed(100 * value, 0, POINTS) if difference else chance(value)
    if unit == "percentage points":
        return signed(value, 2, POINTS)
    if unit.startswith("£ of benefit"):
        return signed(value, 2) if difference else ratio(value)
    decimals = headline_decimals(unit)
    return signed(value, decimals) if difference else number(value, decimals)


def headline_decimals(unit: str) -> int:
    """Decimals a count headline is shown with: a place or a case to one decimal (they are yearly averages)."""
    return 1 if unit in ("places", "cases") else 0
