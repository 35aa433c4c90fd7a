"""When a change is too small to show: the one rule every screen, story and briefing uses to say "no change".

A change that rounds to zero at the precision it is shown with (a −0.0013 pp change shown to two decimals) is
read as no change, in neutral words and colour, never as a red "↑ 0.00 pp" or a rate that "falls by 0.00".
"""

from __future__ import annotations

import math

#: The words shown for a change smaller than the precision it is shown with.
NO_CHANGE = "no change"
#: The one minus sign every number a reader sees is written with (U+2212, not the ASCII hyphen-minus).
MINUS = "\u2212"


def no_change(value: float | None, decimals: int = 0) -> bool:
    """Whether a change reads as zero when shown with `decimals` decimals (False for a missing value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return round(float(value), decimals) == 0
