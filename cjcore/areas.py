"""Baselines for the 43 police force areas (PFAs) of England and Wales, and the report areas' priorities.

Why this module: every scenario names an area, and the model starts from that area's annual
proven-reoffending cohort. The baselines are built by ``tools/build_areas.py`` from raw published files in
``cjcore/data/sources/``; they are *derived* (regional MoJ figures shared out by population, or for Wales
England's figures scaled by police officers), and each area carries the sentence that says how, so the app
can show it next to every figure. This module only reads the built files: static, read-only data, loaded
once and returned as immutable objects so no caller can change a baseline by accident.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from cjcore.safe_yaml import load_data_yaml
from cjcore.vocab import FUNCTION_KEYS

DATA_DIR = Path(__file__).resolve().parent / "data"
AREAS_FILE = DATA_DIR / "areas.csv"
COHORTS_FILE = DATA_DIR / "area_cohorts.csv"
REPORT_AREAS_FILE = DATA_DIR / "report_areas.yaml"

#: Age groups of the area baselines. The MoJ regional data have no sex split, so adults 25+ are one group;
#: splitting them into adult men and adult women (the model's cohorts) is an assumption made elsewhere.
GROUP_KEYS: tuple[str, ...] = ("young_people", "young_adults", "adults_25plus")

#: The cohort the baselines describe (its one-year follow-up ended before the pandemic's court closures).
BASELINE_COHORT = "Apr 2018 to Mar 2019"


@dataclass(frozen=True)
class GroupBaseline:
    """One age group's annual proven-reoffending cohort in an area (derived, not published).

    Attributes:
        offenders: People in the cohort (cautioned, convicted or released in the year).
        reoffenders: Those who committed a proven reoffence within the follow-up.
        reoffences: Proven reoffences they committed.
    """

    offenders: float
    reoffenders: float
    reoffences: float

    @property
    def rate(self) -> float:
        """The proven reoffending rate: the share of offenders who reoffend (0 if the cohort is empty)."""
        return self.reoffenders / self.offenders if self.offenders else 0.0

    @property
    def frequency(self) -> float:
        """Reoffences per reoffender (0 if nobody reoffends)."""
        return self.reoffences / self.reoffenders if self.reoffenders else 0.0


@dataclass(frozen=True)
class Area:
    """A police force area with its baseline and the facts an official will ask about.

    Attributes:
        key: Slug used in scenario files and URLs, e.g. ``greater-manchester``.
        name: Name shown to people, e.g. "London (Metropolitan Police area)".
        pfa_code: ONS police force area code (E23…, W15…).
        country: "England" or "Wales".
        region: English region of the MoJ data, or "Wales".
        governance: Governance key of ``cjcore.vocab.GOVERNANCE_KEYS``.
        governance_note: Who holds police and crime functions, and how sure we are.
        population: Mid-2018 resident population (third-party ONS aggregation); None for Wales.
        officer_fte: Police officer full-time equivalents, March 2019 (Home Office).
        women_custody_rate: Women sentenced to immediate custody per 100,000 women, 2022 (Prison Reform
            Trust); None where not published separately (City of London is counted with the Met).
        report: Which Crest report(s) studied the area ("2018", "2023", "2018, 2023" or "").
        cohort_method: One sentence saying how this area's cohort figures were derived.
        groups: Baseline by age group key (``GROUP_KEYS``), read-only.
    """

    key: str
    name: str
    pfa_code: str
    country: str
    region: str
    governance: str
    governance_note: str
    population: int | None
    officer_fte: float
    women_custody_rate: float | None
    report: str
    cohort_method: str
    groups: Mapping[str, GroupBaseline]

    @property
    def reports(self) -> tuple[str, ...]:
        """The report years as a tuple, e.g. ``("2018", "2023")``; empty if no report studied the area."""
        return tuple(r.strip() for r in self.report.split(",") if r.strip())

    @property
    def total(self) -> GroupBaseline:
        """All age groups together (rates and frequency weighted by cohort size)."""
        return GroupBaseline(
            offenders=sum(g.offenders for g in self.groups.values()),
            reoffenders=sum(g.reoffenders for g in self.groups.values()),
            reoffences=sum(g.reoffences for g in self.groups.values()),
        )


@dataclass(frozen=True)
class Priority:
    """A priority a report recorded for an area, and the model functions it concerns.

    Attributes:
        text: The priority in plain words (paraphrased from the project's summary of the report).
        report: The report year, "2018" or "2023".
        functions: Function keys of ``cjcore.vocab.FUNCTION_KEYS``.
    """

    text: str
    report: str
    functions: tuple[str, ...]


def _blank_to_none(value: Any) -> Any:
    """Turn the NaN pandas reads for a blank cell into None, which the dataclasses use for not available."""
    return None if isinstance(value, float) and math.isnan(value) else value


@cache
def load_areas() -> Mapping[str, Area]:
    """Read the built area files once.

    Returns:
        A read-only mapping from area key to ``Area``, ordered alphabetically by name (the order of menus).

    Raises:
        ValueError: If the two files disagree (an area without all its groups, or groups for an unknown area);
            rebuild them with ``tools/build_areas.py``.
    """
    areas = pd.read_csv(AREAS_FILE, dtype={"pfa_code": str, "report": str}, keep_default_na=False,
                        na_values={"population_mid2018": [""], "women_custody_rate_per100k_2022": [""]})
    cohorts = pd.read_csv(COHORTS_FILE)
    unknown = set(cohorts["area"]) - set(areas["key"])
    if unknown:
        raise ValueError(f"{COHORTS_FILE.name} has groups for unknown areas {sorted(unknown)}; rebuild it")
    groups: dict[str, dict[str, GroupBaseline]] = {}
    for row in cohorts.itertuples(index=False):
        groups.setdefault(row.area, {})[row.group] = GroupBaseline(
            offenders=float(row.offenders), reoffenders=float(row.reoffenders), reoffences=float(row.reoffences))
    out: dict[str, Area] = {}
    for row in areas.sort_values("name", key=lambda s: s.str.lower()).itertuples(index=False):
        area_groups = groups.get(row.key, {})
        if set(area_groups) != set(GROUP_KEYS):
            raise ValueError(f"area {row.key!r} has groups {sorted(area_groups)}, expected {list(GROUP_KEYS)}")
        population = _blank_to_none(row.population_mid2018)
        out[row.key] = Area(
            key=row.key,
            name=row.name,
            pfa_code=row.pfa_code,
            country=row.country,
            region=row.region,
            governance=row.governance,
            governance_note=row.governance_note,
            population=None if population is None else int(population),
            officer_fte=float(row.police_officer_fte_mar2019),
            women_custody_rate=_blank_to_none(row.women_custody_rate_per100k_2022),
            report=row.report,
            cohort_method=row.cohort_method,
            groups=MappingProxyType({g: area_groups[g] for g in GROUP_KEYS}),
        )
    return MappingProxyType(out)


def get_area(key: str) -> Area:
    """The area with this key.

    Args:
        key: An area key such as ``greater-manchester``.

    Returns:
        The ``Area``.

    Raises:
        KeyError: If there is no such area; the message suggests the closest keys, because a mistyped key in
            a scenario file or URL is the usual cause.
    """
    areas = load_areas()
    if key in areas:
        return areas[key]
    wanted = str(key).strip().lower()
    by_name = {a.name.lower(): a.key for a in areas.values()}
    close = difflib.get_close_matches(wanted, list(areas), n=3, cutoff=0.6)
    close += [by_name[n] for n in difflib.get_close_matches(wanted, list(by_name), n=3, cutoff=0.6)]
    close = list(dict.fromkeys(close))[:3]
    hint = f" Did you mean {', '.join(repr(k) for k in close)}?" if close else ""
    raise KeyError(f"No area {key!r}.{hint} Known areas: {', '.join(areas)}.")


@cache
def _report_areas_file() -> Mapping[str, Mapping[str, Any]]:
    """The report areas file, read once (a safe loader: `cjcore.safe_yaml`) and checked against the vocabulary."""
    data = load_data_yaml(REPORT_AREAS_FILE.read_text(encoding="utf-8")) or {}
    for area_key, entry in data.items():
        for p in entry.get("priorities") or []:
            unknown = set(p["functions"]) - set(FUNCTION_KEYS)
            if unknown:
                raise ValueError(f"{REPORT_AREAS_FILE.name}: {area_key} priority {p['text']!r} has unknown "
                                 f"functions {sorted(unknown)}; allowed: {list(FUNCTION_KEYS)}")
    return MappingProxyType(data)


def report_priorities(area_key: str) -> tuple[Priority, ...]:
    """The priorities the Crest reports recorded for an area.

    Args:
        area_key: An area key.

    Returns:
        The priorities, in the reports' order; an empty tuple for areas the reports did not study, or whose
        priorities are not recorded (North Yorkshire, Devon and Cornwall).
    """
    entry = _report_areas_file().get(area_key) or {}
    return tuple(
        Priority(text=p["text"], report=str(p["report"]), functions=tuple(p["functions"]))
        for p in entry.get("priorities") or []
    )


def report_note(area_key: str) -> str:
    """What the report areas file says about an area's part in the reports ("" for other areas)."""
    entry = _report_areas_file().get(area_key) or {}
    return str(entry.get("note") or "").strip()


#: Every area key, alphabetically by name (a stable order for menus and tables).
AREA_KEYS: tuple[str, ...] = tuple(load_areas())

#: The seven areas studied by the 2018 and 2023 Crest reports, in ``AREA_KEYS`` order.
REPORT_AREAS: tuple[str, ...] = tuple(k for k in AREA_KEYS if load_areas()[k].report)
