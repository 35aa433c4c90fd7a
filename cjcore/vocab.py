"""The model's vocabulary: every stage, function, cohort, metric and governance model, defined once.

Everything else (schema, engine, charts, pages, docs) imports names, labels and descriptions from here,
so a label changed here changes everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from cjcore.prices import PRICE_BASE_LABEL

#: Units of money metrics: every money figure says its price base.
MONEY_YEAR = f"£m a year, {PRICE_BASE_LABEL}"


@dataclass(frozen=True)
class Term:
    """A key used in files and code, with the words a person sees."""

    key: str
    label: str
    description: str = ""


# --- The devolution spectrum (ordered, from today's arrangements to a full transfer) -------------------
STAGES: tuple[Term, ...] = (
    Term("national", "National (today)",
         "Today's arrangements: the service is designed, funded and run nationally; the area has no extra say."),
    Term("co_design", "Co-design",
         "The area and national partners design the service together within existing budgets and contracts."),
    Term("co_investment", "Co-investment",
         "The area puts in money alongside national budgets, so it shapes what is bought and for whom."),
    Term("co_commissioning", "Co-commissioning",
         "The area jointly commissions the service with national partners (e.g. HMPPS, the Youth Justice Board)."),
    Term("devolved_budget", "Devolved budget",
         "The area holds the budget and commissions the service within a national framework, and keeps part "
         "of the savings it makes to national budgets. (This tool's name for delegated commissioning between "
         "co-commissioning and full transfer, not a Crest Advisory term.)"),
    Term("full_transfer", "Full transfer",
         "Powers, budget and accountability move to the local leader (PCC or mayor), who keeps most of the "
         "savings and answers for the results."),
)
STAGE_KEYS: tuple[str, ...] = tuple(s.key for s in STAGES)

# --- Functions an area can place on the spectrum ----------------------------------------------------------
FUNCTIONS: tuple[Term, ...] = (
    Term("youth_justice", "Youth justice", "Youth offending services, diversion and custody for 10–17 year olds."),
    Term("probation", "Adult offender management / probation",
         "Supervision of adults on community sentences and licence, and integrated offender management."),
    Term("women", "Women offenders", "Whole-system support for women in contact with the justice system."),
    Term("victims_witnesses", "Victims and witnesses",
         "Support for victims and witnesses before and after trial, and restorative justice."),
    Term("substance_misuse", "Substance misuse", "Drug and alcohol treatment and diversion for people who offend."),
    Term("domestic_abuse", "Domestic abuse perpetrators", "Programmes that challenge and manage perpetrators."),
    Term("serious_violence", "Serious violence", "Violence reduction work with young people and young adults."),
    Term("custody_budget", "Custody budget",
         "The budget for prison places used by the area's offenders: alternatives to short custody."),
    Term("problem_solving_courts", "Problem-solving courts",
         "Courts that supervise treatment and review progress (drug, alcohol, family and women's courts)."),
)
FUNCTION_KEYS: tuple[str, ...] = tuple(f.key for f in FUNCTIONS)

# --- Cohorts of the annual proven-reoffending cohort --------------------------------------------------------
COHORTS: tuple[Term, ...] = (
    Term("young_people", "Young people (10–17)", "Children cautioned, convicted or released, aged 10 to 17."),
    Term("young_adults", "Young adults (18–24)", "Adults aged 18 to 24, men and women."),
    Term("adult_men", "Adult men (25+)", "Men aged 25 and over."),
    Term("adult_women", "Adult women (25+)", "Women aged 25 and over."),
)
COHORT_KEYS: tuple[str, ...] = tuple(c.key for c in COHORTS)
ALL_COHORTS = "all"

# --- Governance models ---------------------------------------------------------------------------------------
GOVERNANCE_MODELS: tuple[Term, ...] = (
    Term("mayor_pcc", "Mayor with PCC functions",
         "A directly elected mayor holds police and crime commissioner functions (e.g. London, Greater Manchester)."),
    Term("pcc", "Police and Crime Commissioner", "A directly elected PCC (or police, fire and crime commissioner)."),
    Term("combined_authority", "Combined authority without PCC functions",
         "A mayoral combined authority works alongside a separate PCC."),
    Term("none", "No elected police body",
         "No PCC or mayor holds police functions (the City of London's Police Authority Board)."),
)
GOVERNANCE_KEYS: tuple[str, ...] = tuple(g.key for g in GOVERNANCE_MODELS)

# --- The five conditions of the 2018 Crest report ----------------------------------------------------------------
FIVE_CONDITIONS: tuple[Term, ...] = (
    Term("objectives", "Strategic objectives", "Do we know what we want to achieve, and have we written it down?"),
    Term("local_picture", "Local criminal justice picture",
         "Do we know the volumes and flows through our local system, and what needs to change?"),
    Term("cohort_knowledge", "Who is in the system",
         "Do we know who is in the system, especially the repeat offenders who drive demand?"),
    Term("accountability", "Accountability and governance",
         "Is there democratic accountability and robust governance for the devolved service?"),
    Term("buy_in", "Local buy-in", "Do local partners and the public support the change?"),
)
CONDITION_KEYS: tuple[str, ...] = tuple(c.key for c in FIVE_CONDITIONS)

# --- Metrics in Run.frame ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Metric:
    """A metric in the tidy frame: its key, label, unit and whether fewer is better."""

    key: str
    label: str
    unit: str
    lower_is_better: bool = True
    money: bool = False


#: The unit of a metric (or an area's own figure) held as a share 0–1, shown as a percentage.
SHARE_UNIT = "share"

METRICS: tuple[Metric, ...] = (
    Metric("cohort_size", "Offenders in the annual cohort", "people"),
    Metric("reoffending_rate", "Proven reoffending rate", SHARE_UNIT),
    Metric("reoffenders", "Reoffenders", "people"),
    Metric("reoffences", "Proven reoffences", "offences"),
    Metric("arrests", "Arrests", "arrests a year"),
    Metric("court_cases", "Court cases", "cases a year"),
    Metric("custody_receptions", "Custody receptions", "receptions a year"),
    Metric("prison_places", "Prison places", "places (average population)"),
    Metric("probation_caseload", "Probation caseload", "cases (average caseload)"),
    Metric("participants", "Programme participants", "people a year", lower_is_better=False),
    Metric("cost_of_reoffending", "Economic and social cost of reoffending", MONEY_YEAR, money=True),
    Metric("system_cost", "Justice system cost of reoffending", MONEY_YEAR, money=True),
    Metric("intervention_spend", "Spend on interventions", MONEY_YEAR, money=True),
    Metric("funds_available", "Funds available", MONEY_YEAR, lower_is_better=False, money=True),
    Metric("cashable_savings", "Cashable savings", MONEY_YEAR, lower_is_better=False, money=True),
    Metric("retained_savings", "Savings retained by the area", MONEY_YEAR, lower_is_better=False, money=True),
    Metric("reinvested_savings", "Retained savings reinvested", MONEY_YEAR, lower_is_better=False, money=True),
    Metric("transition_cost", "One-off transition costs", MONEY_YEAR, lower_is_better=True, money=True),
    Metric("governance_cost", "Governance costs of the arrangements", MONEY_YEAR, lower_is_better=True, money=True),
    Metric("optimism_bias", "Optimism bias (Green Book adjustment to costs)", MONEY_YEAR, lower_is_better=True,
           money=True),
    Metric("unused_commitment", "Pooled money committed but not spent", MONEY_YEAR, lower_is_better=True,
           money=True),
    Metric("committed_cost", "Unspent pooled money counted as spent", MONEY_YEAR, lower_is_better=True,
           money=True),
)
METRIC_KEYS: tuple[str, ...] = tuple(m.key for m in METRICS)
DEMAND_METRICS: tuple[str, ...] = ("arrests", "court_cases", "custody_receptions", "prison_places",
                                   "probation_caseload")

SERIES_BASELINE = "baseline"
SERIES_SCENARIO = "scenario"
#: The baseline with the register's default assumptions, ignoring the scenario's overrides: set beside the
#: baseline it shows whether a difference comes from the policy choices or from changed assumptions.
SERIES_DEFAULT_BASELINE = "baseline_default"

# --- Who pays and who gains ----------------------------------------------------------------------------------
AGENCIES: tuple[Term, ...] = (
    Term("police", "PCC or mayor, and police",
         "The local leader's budget and the police: arrests avoided, and the area's share of any deal."),
    Term("courts", "HMCTS and CPS", "Courts and prosecution: criminal court cases avoided."),
    Term("prisons", "HMPPS: prisons", "Prison places freed."),
    Term("probation", "HMPPS: probation", "Probation caseload changed (diversion from custody adds to it)."),
    Term("local_authorities", "Local authorities (youth justice)",
         "Youth justice services; no unit cost of their caseload is in our data set, so no saving is counted."),
    Term("nhs", "NHS (treatment)", "Treatment services; no unit cost of health demand is in our data set."),
    Term("central_government", "Home Office and MoJ grants",
         "National grants for services the PCC or mayor commissions (victims' services, violence reduction, "
         "perpetrator programmes)."),
    Term("society", "Victims and society",
         "The economic and social cost of reoffending beyond the justice agencies' own costs."),
)
AGENCY_KEYS: tuple[str, ...] = tuple(a.key for a in AGENCIES)
#: Whose budget the national share of a function's pooled money comes from (our assignment, see docs/model.md).
FUNCTION_PAYER: dict[str, str] = {
    "youth_justice": "local_authorities", "probation": "probation", "women": "probation",
    "victims_witnesses": "central_government", "substance_misuse": "nhs", "domestic_abuse": "central_government",
    "serious_violence": "central_government", "custody_budget": "prisons", "problem_solving_courts": "courts",
}
MONEY_CATEGORIES: tuple[Term, ...] = (
    Term("invests", "Puts in", "Its share of the spend on interventions and of the transition and governance costs."),
    Term("fiscal_cashable", "Cashable savings", "Savings that release cash from its budget."),
    Term("fiscal_non_cashable", "Non-cashable savings", "Time or capacity freed that cannot be banked as cash."),
    Term("economic_social", "Economic and social benefit", "Costs avoided for victims and society."),
    Term("transfer", "Savings transferred", "Cashable savings handed from national budgets to the area by the deal."),
)
MONEY_CATEGORY_KEYS: tuple[str, ...] = tuple(c.key for c in MONEY_CATEGORIES)


def _index(terms: tuple) -> dict:
    return {t.key: t for t in terms}


STAGE = _index(STAGES)
FUNCTION = _index(FUNCTIONS)
COHORT = _index(COHORTS)
GOVERNANCE = _index(GOVERNANCE_MODELS)
CONDITION = _index(FIVE_CONDITIONS)
METRIC = _index(METRICS)
AGENCY = _index(AGENCIES)
MONEY_CATEGORY = _index(MONEY_CATEGORIES)


def label(key: str) -> str:
    """The plain-English label for any key in the vocabulary (the key itself if unknown)."""
    for table in (STAGE, FUNCTION, COHORT, GOVERNANCE, CONDITION, METRIC, AGENCY, MONEY_CATEGORY):
        if key in table:
            return table[key].label
    return "All cohorts" if key == ALL_COHORTS else key
