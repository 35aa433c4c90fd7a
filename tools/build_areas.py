"""Build the area baselines for the 43 police force areas (PFAs) of England and Wales.

Why this script exists: the Ministry of Justice publishes proven-reoffending figures for each English
*region* in the files we hold, not for each police force area, and it publishes nothing for Wales in them.
A PCC or mayor still needs a starting point for their own area. This script derives one, in the open, from
the raw published files copied unchanged into ``cjcore/data/sources/`` (see SOURCES.md there), and writes
the method used for every area into the output, so that no derived figure can be mistaken for a published
one. It is deliberate and re-runnable: run it again after replacing a source file and review the diff.

Method (Apr 2018 to Mar 2019 cohort; the 2019/20 cohort's one-year follow-up ran into the pandemic's court
closures, so its reoffending is understated):

* English PFAs: the region's offenders, reoffenders and reoffences for each age group, times the PFA's share
  of the mid-2018 population of the PFAs of that region (third-party ONS-based aggregation). Rates and
  reoffences per reoffender therefore equal the region's.
* Welsh PFAs (no Welsh reoffending or population figures in the data set): England's rates and reoffences
  per reoffender for each age group; cohort size = England's offenders per police officer FTE (March 2019)
  times the force's officer FTE.
* City of London: population-based like the others, which understates offending by its large non-resident
  daytime population.

Outputs: ``cjcore/data/areas.csv`` (one row per PFA) and ``cjcore/data/area_cohorts.csv`` (long format, one
row per area and age group). Pure pandas; run from anywhere::

    .venv/bin/python tools/build_areas.py
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "cjcore" / "data" / "sources"
OUT_AREAS = ROOT / "cjcore" / "data" / "areas.csv"
OUT_COHORTS = ROOT / "cjcore" / "data" / "area_cohorts.csv"

REOFFENDING_FILE = "moj_proven_reoffending_by_english_region_age_2008_2020.csv"
REGION_TOTALS_FILE = "derived_reoffending_by_english_region_totals_2008_2020.csv"
POPULATION_FILE = "pfa_population_england_2009_2019_approx_bdd.csv"
OFFICER_FILE = "police_officer_fte_by_force_2018_2019.csv"
WOMEN_CUSTODY_FILE = "prt_women_custodial_sentences_rate_per100k_by_pfa_2014_2022.csv"
CODES_FILE = "areas.csv"

COHORT = "Apr 2018 to Mar 2019"
COHORT_LABEL = "Apr 2018–Mar 2019"
POPULATION_YEAR = "2018"  # mid-2018, the middle of the cohort year
OFFICER_COLUMN = "March 2019"  # the end of the cohort year
WOMEN_CUSTODY_YEAR = "2022"

# Age bands of the MoJ data tool, grouped into the model's age groups.
GROUPS: dict[str, tuple[str, ...]] = {
    "young_people": ("10 to 14", "15 to 17"),
    "young_adults": ("18 to 20", "21 to 24"),
    "adults_25plus": ("25 to 29", "30 to 34", "35 to 39", "40 to 44", "45 to 49", "50+"),
}
COUNTS = ("offenders", "reoffenders", "reoffences")

# Region names in the officer file -> region names in the MoJ reoffending file.
REGION_NAMES = {
    "North East": "North East",
    "North West": "North West",
    "Yorkshire and the Humber": "Yorkshire and The Humber",
    "East Midlands": "East Midlands",
    "West Midlands": "West Midlands",
    "Eastern": "East of England",
    "London": "London",
    "South East": "South East",
    "South West": "South West",
    "Wales": "Wales",
}
NOT_FORCES = {"Total 43 forces", "Central Service Secondments", "British Transport Police"}

# The Metropolitan Police area is called "London" in the app: that is what a mayor or official calls it.
KEY_OVERRIDES = {"Metropolitan Police": "london"}
NAME_OVERRIDES = {"Metropolitan Police": "London (Metropolitan Police area)"}

# Governance as at 2024. From memory (evidence.md lists it under MEMORY): verify against the Home Office list.
MAYOR_PCC = {
    "london": "Mayor of London holds PCC functions (through MOPAC)",
    "greater-manchester": "Greater Manchester mayor holds PCC functions (since 2017)",
    "west-yorkshire": "West Yorkshire mayor holds PCC functions (since 2021)",
    "south-yorkshire": "South Yorkshire mayor holds PCC functions (since May 2024)",
    "north-yorkshire": "York and North Yorkshire mayor holds PCC functions (since May 2024)",
}
# Other areas: a PCC. West Midlands gets its own note because a mayor there is often assumed to hold PCC powers.
PCC_NOTES = {
    "west-midlands": "Police and Crime Commissioner; the West Midlands Combined Authority mayor does not hold PCC "
                     "functions (a transfer was proposed but not enacted)",
}
PCC_DEFAULT = "Police and Crime Commissioner (some areas: Police, Fire and Crime Commissioner)"
NO_PCC = {"city-of-london": "City of London Police Authority Board (City of London Corporation); no PCC"}
MEMORY_NOTE = "as at 2024; from memory, verify against Home Office list"

REPORTS = {
    "north-yorkshire": "2018",
    "devon-and-cornwall": "2018",
    "northumbria": "2018",
    "avon-and-somerset": "2018, 2023",
    "greater-manchester": "2023",
    "london": "2023",
    "west-midlands": "2023",
}


def norm(name: str) -> str:
    """A force name reduced to a form shared by all the source files ('Avon & Somerset' = 'Avon and Somerset')."""
    n = name.strip().lower().replace("&", "and")
    n = re.sub(r"\s+", " ", n)
    return {"metropolitan": "metropolitan police"}.get(n, n)


def slug(name: str) -> str:
    """The area key: lower case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def fmt_int(x: float) -> str:
    """A whole number with thousands separators, for the plain-English method sentences."""
    return f"{round(x):,}"


def read_codes() -> pd.DataFrame:
    """PFA codes, names and countries (the only columns we take from the assembled areas file)."""
    df = pd.read_csv(SOURCES / CODES_FILE, dtype={"pfa_code": str})[["pfa_code", "pfa_name", "country"]]
    df["norm"] = df["pfa_name"].map(norm)
    return df


def read_officers() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Officer FTE by force with each force's region, and the region rows, from the Home Office file.

    The file lists each region's row followed by its forces. 'West Midlands' is both a region and a force:
    a region name is a region row unless we are already inside that region.
    """
    raw = pd.read_csv(SOURCES / OFFICER_FILE)
    forces, regions, current = [], [], None
    for name, fte in zip(raw["Force/Region"], raw[OFFICER_COLUMN], strict=True):
        name = name.strip()
        if name in NOT_FORCES:
            current = None
            continue
        if name in REGION_NAMES and REGION_NAMES[name] != current:
            current = REGION_NAMES[name]
            regions.append({"region": current, "fte": float(fte)})
            continue
        assert current is not None, f"force {name!r} outside a region in {OFFICER_FILE}"
        forces.append({"norm": norm(name), "region": current, "fte": float(fte)})
    force_df, region_df = pd.DataFrame(forces), pd.DataFrame(regions)
    # Each region row must be the sum of its forces (checks that the parse found the right rows).
    sums = force_df.groupby("region")["fte"].sum()
    for row in region_df.itertuples():
        assert abs(sums[row.region] - row.fte) < 0.01, f"officer FTE of {row.region} does not add up"
    total = float(raw.loc[raw["Force/Region"].str.strip() == "Total 43 forces", OFFICER_COLUMN].iloc[0])
    assert abs(force_df["fte"].sum() - total) < 0.01, "officer FTE of the 43 forces does not add up"
    assert len(force_df) == 43, f"expected 43 forces in {OFFICER_FILE}, found {len(force_df)}"
    return force_df, region_df


def read_population() -> pd.DataFrame:
    """Mid-2018 population by English PFA (third-party aggregation of ONS mid-year estimates)."""
    raw = pd.read_csv(SOURCES / POPULATION_FILE, dtype={"year": str}).set_index("year")
    pop = raw.loc[POPULATION_YEAR]
    return pd.DataFrame({"norm": [norm(c) for c in pop.index], "population": pop.to_numpy(dtype=float)})


def read_women_custody() -> pd.DataFrame:
    """Women sentenced to immediate custody per 100,000 women (Prison Reform Trust; City merged with the Met)."""
    raw = pd.read_csv(SOURCES / WOMEN_CUSTODY_FILE)
    return pd.DataFrame({"norm": raw["Police Force Area"].map(norm), "women_custody": raw[WOMEN_CUSTODY_YEAR]})


def read_regional_cohorts() -> pd.DataFrame:
    """Offenders, reoffenders and reoffences by English region and model age group for the chosen cohort."""
    raw = pd.read_csv(SOURCES / REOFFENDING_FILE)
    raw = raw[raw["cohort"] == COHORT]
    assert set(raw["category"]) == {"Age total"} and set(raw["subcat2"]) == {"-"}, "unexpected breakdown"
    band_to_group = {band: g for g, bands in GROUPS.items() for band in bands}
    assert set(raw["subcat1"]) == set(band_to_group), f"unexpected age bands: {sorted(set(raw['subcat1']))}"
    raw = raw.assign(group=raw["subcat1"].map(band_to_group))
    out = raw.groupby(["region", "group"], as_index=False)[list(COUNTS)].sum()
    assert len(out) == 9 * len(GROUPS), "expected 9 English regions x 3 groups"
    # Cross-check against the derived regional totals file (sums of the same age bands, computed earlier).
    totals = pd.read_csv(SOURCES / REGION_TOTALS_FILE)
    totals = totals[totals["cohort"] == COHORT]
    mine = raw.groupby(["region", "adult_juv"])[list(COUNTS)].sum()
    theirs = totals.set_index(["region", "adult_juv"])[list(COUNTS)]
    pd.testing.assert_frame_equal(mine.sort_index(), theirs.sort_index(), check_dtype=False)
    return out


def rates(df: pd.DataFrame) -> pd.DataFrame:
    """Add the proven reoffending rate and reoffences per reoffender."""
    return df.assign(
        reoffending_rate=df["reoffenders"] / df["offenders"],
        reoffences_per_reoffender=df["reoffences"] / df["reoffenders"],
    )


def build() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Assemble both output tables and check them; returns (areas, area_cohorts)."""
    codes = read_codes()
    officers, _ = read_officers()
    population = read_population()
    women = read_women_custody()
    regional = read_regional_cohorts()

    areas = codes.merge(officers, on="norm", how="left", validate="1:1")
    assert areas["fte"].notna().all(), f"no officer FTE for {list(areas.loc[areas['fte'].isna(), 'pfa_name'])}"
    areas = areas.merge(population, on="norm", how="left", validate="1:1")
    areas = areas.merge(women, on="norm", how="left", validate="1:1")
    english = areas["country"] == "England"
    assert areas.loc[english, "population"].notna().all(), "an English PFA has no population"
    assert areas.loc[~english, "population"].isna().all(), "unexpected Welsh population figures"
    assert len(population) == english.sum() == 39, "population file must cover the 39 English PFAs"
    assert set(areas.loc[english, "region"]) == set(regional["region"]), "officer and MoJ regions differ"

    areas["key"] = [KEY_OVERRIDES.get(n, slug(n)) for n in areas["pfa_name"]]
    areas["name"] = [NAME_OVERRIDES.get(n, n) for n in areas["pfa_name"]]
    areas["region_pop"] = areas.groupby("region")["population"].transform("sum")
    areas["share"] = areas["population"] / areas["region_pop"]

    england = rates(regional.groupby("group", as_index=False)[list(COUNTS)].sum())
    england_fte = areas.loc[english, "fte"].sum()
    england = england.assign(per_fte=england["offenders"] / england_fte)
    all_per_fte = england["offenders"].sum() / england_fte

    rows, methods = [], []
    for a in areas.itertuples():
        if a.country == "England":
            reg = regional[regional["region"] == a.region]
            for r in reg.itertuples():
                rows.append({"area": a.key, "group": r.group,
                             **{c: getattr(r, c) * a.share for c in COUNTS}})
            method = (
                f"{a.region} region rates by age band, {COHORT_LABEL} cohort; cohort scaled by the area's share "
                f"of the region's mid-2018 population ({fmt_int(a.population)} of {fmt_int(a.region_pop)} = "
                f"{a.share:.1%})"
            )
            if a.key == "city-of-london":
                method += (
                    "; the City's resident population is tiny, so this understates offending by its large "
                    "non-resident daytime population"
                )
        else:
            for r in england.itertuples():
                offenders = r.per_fte * a.fte
                rows.append({"area": a.key, "group": r.group, "offenders": offenders,
                             "reoffenders": offenders * r.reoffending_rate,
                             "reoffences": offenders * r.reoffending_rate * r.reoffences_per_reoffender})
            method = (
                f"No Welsh reoffending or population figures in our data, so England-total rates and reoffences "
                f"per reoffender by age band, {COHORT_LABEL} cohort; cohort scaled by police officers: England's "
                f"{all_per_fte:.2f} offenders per officer FTE in March 2019 ({fmt_int(england['offenders'].sum())}"
                f" offenders / {fmt_int(england_fte)} FTE) × this force's {fmt_int(a.fte)} officer FTE"
            )
        methods.append(method + ". Derived, not published.")
    areas["cohort_method"] = methods

    cohorts = rates(pd.DataFrame(rows))
    cohorts["basis"] = "derived"

    areas["governance"] = [
        "mayor_pcc" if k in MAYOR_PCC else "none" if k in NO_PCC else "pcc" for k in areas["key"]
    ]
    areas["governance_note"] = [
        f"{MAYOR_PCC.get(k) or NO_PCC.get(k) or PCC_NOTES.get(k) or PCC_DEFAULT}; {MEMORY_NOTE}"
        for k in areas["key"]
    ]
    areas["report"] = [REPORTS.get(k, "") for k in areas["key"]]
    out_areas = areas.rename(columns={
        "population": "population_mid2018",
        "fte": "police_officer_fte_mar2019",
        "women_custody": "women_custody_rate_per100k_2022",
    })[["key", "name", "pfa_code", "country", "region", "governance", "governance_note", "population_mid2018",
        "police_officer_fte_mar2019", "women_custody_rate_per100k_2022", "report", "cohort_method"]]
    out_areas = out_areas.sort_values("pfa_code").reset_index(drop=True)
    out_areas["population_mid2018"] = out_areas["population_mid2018"].round().astype("Int64")
    order = {k: i for i, k in enumerate(out_areas["key"])} | {g: i for i, g in enumerate(GROUPS)}
    out_cohorts = cohorts.sort_values(["area", "group"], key=lambda s: s.map(order)).reset_index(drop=True)
    out_cohorts = out_cohorts[["area", "group", *COUNTS, "reoffending_rate", "reoffences_per_reoffender", "basis"]]

    check(out_areas, out_cohorts, england)
    return out_areas, out_cohorts


def check(areas: pd.DataFrame, cohorts: pd.DataFrame, england: pd.DataFrame) -> None:
    """Sanity checks: fail loudly rather than write a baseline that does not add up."""
    assert len(areas) == 43, f"expected 43 areas, got {len(areas)}"
    assert areas["key"].is_unique and areas["pfa_code"].is_unique, "duplicate area key or PFA code"
    assert set(REPORTS) <= set(areas["key"]), f"report areas missing: {set(REPORTS) - set(areas['key'])}"
    assert set(MAYOR_PCC) | set(NO_PCC) | set(PCC_NOTES) <= set(areas["key"]), "governance refers to an unknown area"
    assert len(cohorts) == 43 * len(GROUPS) and not cohorts.duplicated(["area", "group"]).any()
    english_keys = set(areas.loc[areas["country"] == "England", "key"])
    sums = cohorts[cohorts["area"].isin(english_keys)].groupby("group")[list(COUNTS)].sum()
    for r in england.itertuples():
        for c in COUNTS:
            assert abs(sums.loc[r.group, c] / getattr(r, c) - 1) < 0.005, f"English {c} of {r.group} off"
    assert cohorts["reoffending_rate"].between(0, 1, inclusive="neither").all(), "a rate is outside (0, 1)"
    assert (cohorts["offenders"] > 0).all() and (cohorts["reoffences_per_reoffender"] > 1).all()


def england_totals() -> pd.DataFrame:
    """England totals by group (the sum of the nine English regions in the MoJ file), for the printout."""
    return rates(read_regional_cohorts().groupby("group", as_index=False)[list(COUNTS)].sum())


def main() -> None:
    """Build, check and write both files, and print the England totals used."""
    areas, cohorts = build()
    areas.to_csv(OUT_AREAS, index=False, float_format="%.1f")
    out = cohorts.copy()
    for c in COUNTS:
        out[c] = out[c].round(1)
    out["reoffending_rate"] = out["reoffending_rate"].round(4)
    out["reoffences_per_reoffender"] = out["reoffences_per_reoffender"].round(4)
    out.to_csv(OUT_COHORTS, index=False)
    print("England (sum of the 9 regions), " + COHORT_LABEL + " cohort:")
    print(england_totals().to_string(index=False))
    print(f"wrote {OUT_AREAS.relative_to(ROOT)} ({len(areas)} areas) and "
          f"{OUT_COHORTS.relative_to(ROOT)} ({len(cohorts)} rows)")


if __name__ == "__main__":
    main()
