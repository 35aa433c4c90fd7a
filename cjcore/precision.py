"""When a change is too small to show, and how a count or £ millions is written: one rule for every reader.

A change that rounds to zero at the precision it is shown with (a −0.0013 pp change shown to two decimals) is
read as no change, in neutral words and colour, never as a red "↑ 0.00 pp" or a rate that "falls by 0.00".
Counts and £ millions are written here, not in `explorer.format` (which re-exports them), so that the story in
cjcore writes them exactly as the screens do without importing the Streamlit layer.
"""

from __future__ import annotations

import math

#: The words shown for a change smaller than the precision it is shown with.
NO_CHANGE = "no change"
#: The one minus sign every number a reader sees is written with (U+2212, not the ASCII hyphen-minus).
MINUS = "\u2212"


def no_change(value: float | None, decimals: int = 0) -> bool:
    """Whether a change reads as zero when shown with `decimals` decimals (False for a missing value)."""
    return not missing(value) and round(float(value), decimals) == 0


def missing(value) -> bool:
    """Whether there is no value to show (None or NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def with_minus(text: str) -> str:
    """A formatted number with Python's ASCII '-' written as the minus sign."""
    return MINUS + text[1:] if text.startswith("-") else text


def number(value: float, decimals: int = 0) -> str:
    """A count with thousands separators ('1,213'), or an en dash when there is no value; never '-0'."""
    if missing(value):
        return "–"
    if round(value, decimals) == 0:
        value = 0.0
    return with_minus(f"{value:,.{decimals}f}")


def money_m(value: float, decimals: int = 1) -> str:
    """£ millions, with the sign in front of the pound sign ('−£14.0m')."""
    if missing(value):
        return "–"
    sign = MINUS if round(value, decimals) < 0 else ""
    return f"{sign}£{abs(value):,.{decimals}f}m"
