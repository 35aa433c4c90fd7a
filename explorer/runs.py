"""Engine runs for the screens, cached on the scenario's content, never on a mutable object.

The cache key is the scenario's JSON (plus draws and seed) without its name, description and notes, which play no
part in the numbers: two sessions with the same scenario share a result, typing a note never reruns the model, and
no session can see another's edits. `st.cache_data` hands each caller its own copy of a table; the small results
read on every script run (checks, cards' text, notes, trade-off sentences) are immutable and kept in process memos.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import pandas as pd
import streamlit as st

from cjcore.checks import Finding, check
from cjcore.engine import project, sweep
from cjcore.report import PostcodeLottery, area_baseline_rates, headline_levels, postcode_lottery, stage_tradeoff
from cjcore.schema import Scenario
from cjcore.story import budget_note, stage_notes, tradeoff_sentences
from explorer import specs
from explorer.cards import Cards, headline_cards
from explorer.chartdata import arrow_datasets, copied
from explorer.runview import RunCore, RunView, Topics, build_run_core, build_topics

DRAWS = 500
SEED = 1
#: Draws for the stage trade-off (every function at every stage: ~46 runs at once), enough for a p10–p90 band
#: and a chance to the nearest few per cent while a stage move still redraws at once.
TRADEOFF_DRAWS = 50
_NOT_MODEL = ("name", "description", "notes")
#: Model keys of the scenarios seen last, by object: a script run asks for the same scenario's key several times.
_KEYS: OrderedDict[int, tuple[Scenario, str]] = OrderedDict()
_KEYS_LOCK = threading.Lock()
_KEYS_KEPT = 64


def model_key(scenario: Scenario) -> str:
    """The scenario's JSON without the fields the model does not read (name, description, notes).

    Scenarios are immutable (frozen models): the key is made once per object. The memo holds each object it
    names, so an id cannot be reused by another object while its entry is there.
    """
    with _KEYS_LOCK:
        found = _KEYS.get(id(scenario))
        if found is not None and found[0] is scenario:
            _KEYS.move_to_end(id(scenario))
            return found[1]
    data = scenario.model_dump(mode="json", by_alias=True, exclude=set(_NOT_MODEL))
    key = json.dumps(data, sort_keys=True, separators=(",", ":"))
    with _KEYS_LOCK:
        _KEYS[id(scenario)] = (scenario, key)
        while len(_KEYS) > _KEYS_KEPT:
            _KEYS.popitem(last=False)
    return key


def _scenario(key: str) -> Scenario:
    return Scenario.model_validate({**json.loads(key), "name": "Scenario"})


@st.cache_data(max_entries=256, show_spinner=False)
def _run(key: str, draws: int, seed: int) -> RunCore:
    return build_run_core(_scenario(key), draws, seed)


@st.cache_data(max_entries=64, show_spinner=False)
def _topics(key: str, draws: int, seed: int) -> Topics:
    return build_topics(_scenario(key), draws, seed)


@dataclass(frozen=True)
class Headlines:
    """The part of a `RunView` that the headline cards and the notes beside the controls read."""

    summary: pd.DataFrame
    levels: pd.DataFrame
    draws: int
    budget_note: str
    stage_notes: Mapping[str, str]

    @property
    def has_draws(self) -> bool:
        """Whether uncertainty draws were run, as `RunView.has_draws`."""
        return bool(self.summary["p10"].notna().any())


@st.cache_data(max_entries=256, show_spinner=False)
def _headlines(key: str, draws: int, seed: int) -> Headlines:
    run = project(_scenario(key), draws=draws, seed=seed)
    return Headlines(run.summary, headline_levels(run), run.draws, budget_note(run), stage_notes(run))


@dataclass(frozen=True)
class Notes:
    """The words beside the controls: what Spectrum and Funding & governance read besides the cards."""

    draws: int
    budget_note: str
    stage_notes: Mapping[str, str]


# Small results made from a run and kept in process memos (`functools.lru_cache`), not `st.cache_data`: they are
# read on every script run, and `st.cache_data` hashes the arguments and unpickles a copy on each read, which cost
# more than these results. Each value is immutable (tuples, frozen dataclasses, read-only mappings), so one object
# is safely read by every session; the key is the scenario's content, as for the runs themselves.


@lru_cache(maxsize=256)
def _notes(key: str, draws: int, seed: int) -> Notes:
    found = _headlines(key, draws, seed)
    return Notes(found.draws, found.budget_note, MappingProxyType(dict(found.stage_notes)))


@lru_cache(maxsize=256)
def _cards(key: str, draws: int, seed: int, compact: bool) -> Cards:
    return headline_cards(_headlines(key, draws, seed), _scenario(key).horizon_years, compact)


class LazyRunView:
    """A `RunView` whose tables are made only when a page reads them.

    Spectrum and Funding & governance read only the headline figures and the notes beside their controls: a stage
    moved there costs the projection and those figures, not the tidy frame, the cohort, money and agency tables and
    the story (more than half of a full view). The topic tables (cohorts, money, agencies: Projections' later tabs)
    come from their own cache entry (`Topics`), so opening Projections does not make them. Any other attribute is
    the `RunCore`'s, built (or taken from the cache) on first use and kept for this object's life, one script run.
    The notes alone come from a smaller cache entry (a script run that reads only them and the cards copies no
    table).
    """

    _HEADLINE_FIELDS = frozenset(Headlines.__dataclass_fields__)
    _NOTE_FIELDS = frozenset(Notes.__dataclass_fields__)
    _TOPIC_FIELDS = frozenset(Topics.__dataclass_fields__)

    def __init__(self, key: str, draws: int, seed: int) -> None:
        self._args = (key, draws, seed)
        self._notes: Notes | None = None
        self._headlines: Headlines | None = None
        self._full: RunCore | None = None
        self._topics: Topics | None = None

    def _view(self, name: str) -> Any:
        if name in self._NOTE_FIELDS and self._headlines is None and self._full is None:
            if self._notes is None:
                self._notes = _notes(*self._args)
            return self._notes
        if name in self._HEADLINE_FIELDS:
            if self._full is not None:
                return self._full
            if self._headlines is None:
                self._headlines = _headlines(*self._args)
            return self._headlines
        if name in self._TOPIC_FIELDS:
            if self._topics is None:
                self._topics = _topics(*self._args)
            return self._topics
        if self._full is None:
            self._full = _run(*self._args)
        return self._full

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._view(name), name)

    @property
    def has_draws(self) -> bool:
        """Whether uncertainty draws were run (so bands and chances mean something), as `RunView.has_draws`."""
        return bool(self.summary["p10"].notna().any())

    def cards(self, compact: bool) -> Cards:
        """The headline cards' text (`explorer.cards.headline_cards`), made once per scenario and kept."""
        return _cards(*self._args, compact)


def run_view(scenario: Scenario, uncertainty: bool = True) -> RunView:
    """The projection of a scenario, with uncertainty bands when asked; its tables are made when first read."""
    view: Any = LazyRunView(model_key(scenario), DRAWS if uncertainty else 0, SEED)
    return view


@st.cache_data(max_entries=64, show_spinner=False)
def _sweep(key: str, function: str, draws: int, seed: int) -> pd.DataFrame:
    return sweep(_scenario(key), function, draws=draws, seed=seed)


def sweep_view(scenario: Scenario, function: str, uncertainty: bool = True) -> pd.DataFrame:
    """Headline figures with one function at every stage."""
    return _sweep(model_key(scenario), function, DRAWS if uncertainty else 0, SEED)


@st.cache_data(max_entries=128, show_spinner=False)
def _tradeoff(key: str, draws: int, seed: int) -> pd.DataFrame:
    return stage_tradeoff(_scenario(key), draws=draws, seed=seed)


def tradeoff_view(scenario: Scenario, uncertainty: bool = True) -> pd.DataFrame:
    """What each function adds at every stage, everything else as in the scenario (`cjcore.report.stage_tradeoff`)."""
    return _tradeoff(model_key(scenario), TRADEOFF_DRAWS if uncertainty else 0, SEED)


@copied
def _tradeoff_spec(key: str, draws: int, seed: int, measure: str, presenter: bool) -> dict:
    return arrow_datasets(specs.tradeoff_spec(_tradeoff(key, draws, seed), measure, presenter))


def tradeoff_spec(scenario: Scenario, measure: str, presenter: bool, uncertainty: bool = True) -> dict:
    """The trade-off chart as a Vega-Lite spec, made once per scenario and view (`explorer.specs.tradeoff_spec`).

    A rerun that does not change the scenario (Projections after Spectrum, a note typed, a toggle) reuses the spec,
    its rows already in Arrow (`explorer.chartdata`), instead of paying for it again. Draw it with
    `st.vega_lite_chart(spec=...)`.
    """
    return _tradeoff_spec(model_key(scenario), TRADEOFF_DRAWS if uncertainty else 0, SEED, measure, presenter)


@lru_cache(maxsize=128)
def _tradeoff_text(key: str, draws: int, seed: int) -> tuple[str, ...]:
    return tuple(tradeoff_sentences(_tradeoff(key, draws, seed), _scenario(key).horizon_years))


def tradeoff_text(scenario: Scenario, uncertainty: bool = True) -> tuple[str, ...]:
    """`cjcore.story.tradeoff_sentences` for the scenario's trade-off, made once per scenario and kept."""
    return _tradeoff_text(model_key(scenario), TRADEOFF_DRAWS if uncertainty else 0, SEED)


@lru_cache(maxsize=256)
def _findings(key: str) -> tuple[Finding, ...]:
    return tuple(check(_scenario(key)))


def findings(scenario: Scenario) -> tuple[Finding, ...]:
    """`cjcore.checks.check`, made once per scenario and kept: the checks read only what the model reads."""
    return _findings(model_key(scenario))


@st.cache_data(max_entries=16, show_spinner=False)
def _baselines(overrides_json: str, horizon_years: int) -> pd.DataFrame:
    plain = Scenario.model_validate({"name": "Baselines", "area": "london", "horizon_years": horizon_years,
                                     "overrides": json.loads(overrides_json)})
    return area_baseline_rates(plain)


@st.cache_data(max_entries=64, show_spinner=False)
def _lottery(key: str) -> PostcodeLottery:
    sc = _scenario(key)
    # Baselines depend only on the assumptions and the horizon: shared by every scenario and area with those.
    baselines = _baselines(json.dumps(dict(sc.overrides), sort_keys=True), sc.horizon_years)
    return postcode_lottery(sc, baselines)


def postcode_view(scenario: Scenario) -> PostcodeLottery:
    """The postcode lottery of a scenario (`cjcore.report.postcode_lottery`)."""
    return _lottery(model_key(scenario))
