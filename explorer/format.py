"""Numbers as people read them: thousands separators, £m, percentages and signs, with units."""

from __future__ import annotations

import math


def number(value: float, decimals: int = 0) -> str:
    """A count with thousands separators, or an en dash when there is no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{decimals}f}"


def signed(value: float, decimals: int = 0, suffix: str = "") -> str:
    """A change with an explicit sign (+ or −), e.g. for metric deltas."""
    if value is None or math.isnan(value):
        return "–"
    rounded = round(value, decimals)
    sign = "+" if rounded > 0 else "-" if rounded < 0 else ""
    return f"{sign}{abs(rounded):,.{decimals}f}{suffix}"


def money_m(value: float, decimals: int = 1) -> str:
    """£ millions, with the sign in front of the pound sign."""
    if value is None or math.isnan(value):
        return "–"
    sign = "−" if round(value, decimals) < 0 else ""
    return f"{sign}£{abs(value):,.{decimals}f}m"


def percent(share: float, decimals: int = 1) -> str:
    """A share 0–1 as a percentage."""
    if share is None or math.isnan(share):
        return "–"
    return f"{100 * share:.{decimals}f}%"


def band(p10: float, p90: float, fmt=number) -> str:
    """'p10 to p90' in the given format, or '' without uncertainty draws."""
    if p10 is None or p90 is None or math.isnan(p10) or math.isnan(p90):
        return ""
    return f"{fmt(p10)} to {fmt(p90)}"


def headline(unit: str, value: float, difference: bool = False) -> str:
    """A headline figure as text from its unit in `cjcore.engine.HEADLINES` (a difference gets a sign).

    Money as £m, a share of uncertainty draws as a whole percentage ('92%'; a difference in points), percentage
    points and ratios with two decimals, counts with thousands separators.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit.startswith("£m"):
        return (("+" if round(value, 1) > 0 else "") + money_m(value)) if difference else money_m(value)
    if unit == "share of uncertainty draws":
        return signed(100 * value, 0, " pp") if difference else percent(value, 0)
    if unit == "percentage points":
        return signed(value, 2, " pp")
    if unit.startswith("£ of benefit"):
        return signed(value, 2) if difference else f"{value:.2f}"
    decimals = 1 if unit in ("places", "cases") else 0
    return signed(value, decimals) if difference else number(value, decimals)
