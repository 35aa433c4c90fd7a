"""Price base: every money figure in one year's prices, uplifted with HM Treasury's GDP deflator.

The register's costs come from different years (2011/12, 2017/18, 2022/23, and assumptions made in today's
prices). Summing them unadjusted would mix pounds of different value; the Green Book asks for one stated price
base. The series (cjcore/data/sources/hmt_gdp_deflator.csv, described beside it) is HM Treasury's "GDP
deflators at market prices, and money GDP", March 2026 release, 2024-25 = 100.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

DEFLATOR_FILE = Path(__file__).parent / "data" / "sources" / "hmt_gdp_deflator.csv"
#: The financial year every money figure is expressed in.
PRICE_BASE = "2024-25"
#: How the price base is written beside a money figure.
PRICE_BASE_LABEL = "2024/25 prices"


@cache
def deflators() -> Mapping[str, float]:
    """Financial year ('2011-12') -> GDP deflator index, read once."""
    with DEFLATOR_FILE.open(encoding="utf-8", newline="") as handle:
        rows = {row["financial_year"]: float(row["deflator_index"]) for row in csv.DictReader(handle)}
    if PRICE_BASE not in rows:
        raise ValueError(f"{DEFLATOR_FILE.name} has no index for the price base {PRICE_BASE}")
    return MappingProxyType(rows)


def uplift(price_year: str | None) -> float:
    """Factor taking £ in `price_year` prices to the price base (1 for None: already in the price base)."""
    if price_year is None or price_year == PRICE_BASE:
        return 1.0
    table = deflators()
    if price_year not in table:
        raise ValueError(f"no GDP deflator for {price_year!r}; the series covers {min(table)} to {max(table)}")
    return table[PRICE_BASE] / table[price_year]


def year_label(price_year: str) -> str:
    """'2011-12' -> '2011/12 prices'."""
    return f"{price_year.replace('-', '/')} prices"
