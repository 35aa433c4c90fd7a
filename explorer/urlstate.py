"""Share links: the whole view as short query parameters, and back again.

A link names its starting scenario (`s`) and carries only what differs from it, so links stay short. Every
parameter is parsed on its own: a bad one is reported and skipped while the link's other values are kept, and
if the result is still not a valid scenario the link falls back to the named scenario. No link can crash the
app. Numbers in a link are plain ASCII digits only (no `1_0`, no other scripts' digits, no `inf`). Values echoed
in a warning are shortened and flattened to one line; the app shows them as literal text (explorer/safe_text.py).

The name, description and notes travel while they fit (`nm`, `d`, `n`). Past the size limit the description
and notes are left out and a short digest of them travels instead (`dh`, `nh`): the sender is told what was
left out (``left_out``) and the recipient, whose scenario then has the saved scenario's text, is told when that
text differs from the sender's. This module has no Streamlit import so it can be tested directly.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import get_args

from pydantic import ValidationError

from cjcore.schema import Funding, Scenario
from cjcore.text import one_line
from cjcore.vocab import CONDITION_KEYS, FUNCTION_KEYS, GOVERNANCE_KEYS, STAGE_KEYS

DEFAULT_ORIGIN = "greater-manchester"
#: Origin key of a saved scenario: ``id:<scenario id>@<version>`` (a link keeps opening the version it was made from).
SAVED_PREFIX = "id:"
#: Origin key of a scenario saved before the store existed, by its old file stem; opens its imported latest version.
USER_PREFIX = "user:"
_SAVED_KEY = re.compile(r"id:([A-Za-z0-9_-]{1,64})(?:@([0-9]{1,9}))?")
MAX_PARAM_CHARS = 2000
#: Notes travel in the link only while they fit in this many characters (encoded); the YAML always has them.
MAX_NOTES_CHARS = 1500
_MAX_NOTES_BYTES = 64_000
#: Longest echo of a link value in a warning.
ECHO_CHARS = 40
#: Hex characters of the digest that stands in for notes or a description too long for the link.
DIGEST_CHARS = 12
_INT = re.compile(r"[0-9]{1,6}")
_FLOAT = re.compile(r"-?(?:[0-9]{1,20}(?:\.[0-9]{0,20})?|\.[0-9]{1,20})(?:[eE][-+]?[0-9]{1,3})?")

# Query key -> (section, field) for the scalar funding and governance fields.
_FIELDS: Mapping[str, tuple[str, str, type]] = {
    "fb": ("funding", "pooled_budget_gbp_m", float),
    "fn": ("funding", "national_share", float),
    "fs": ("funding", "settlement_years", int),
    "fa": ("funding", "agreed_in_year", int),
    "fr": ("funding", "renewed", bool),
    "fi": ("funding", "reinvest_share", float),
    "fu": ("funding", "unspent", str),
    "ga": ("governance", "agreed_in_year", int),
}
#: The values a text field of the link may take (only `fu`, what happens to unspent pooled money, so far).
UNSPENT_CHOICES: tuple[str, ...] = get_args(Funding.model_fields["unspent"].annotation)
_LABELS: Mapping[str, str] = {
    "s": "scenario", "area": "area", "h": "horizon", "p": "placements", "gm": "governance model",
    "gc": "five-conditions scores", "o": "assumption overrides", "fb": "pooled budget", "fn": "national share",
    "fs": "settlement years", "fa": "funding agreement year", "fr": "renewal", "fi": "reinvested share",
    "fu": "unspent pooled money",
    "ga": "governance agreement year", "n": "notes", "b": "area's own figures", "nm": "scenario name",
    "d": "description", "nh": "notes", "dh": "description",
}
#: The order a link's values are applied in when some of them do not fit together (see ``decode``).
_ORDER = ("area", "h", "p", "fb", "fn", "fs", "fa", "fr", "fi", "fu", "gm", "ga", "gc", "o", "b", "nm", "d", "n")
#: What the sender is told about a part of the scenario left out of the link.
LEFT_OUT = {
    "notes": "The notes are too long for the link — they travel in the YAML and the briefing.",
    "description": "The description is too long for the link — it travels in the YAML and the briefing.",
    "own figures": "The area's own figures are too long for the link — they travel in the YAML download.",
}


def saved_key(scenario_id: str, number: int) -> str:
    """The origin key of one version of a saved scenario."""
    return f"{SAVED_PREFIX}{scenario_id}@{int(number)}"


def parse_saved_key(key: str) -> tuple[str, int | None] | None:
    """(scenario id, version or None for the latest) from ``id:<id>@<n>`` / ``id:<id>``; None for other keys.

    Only plain ASCII letters, digits, ``-`` and ``_`` in the id and ASCII digits in the version are accepted.
    """
    match = _SAVED_KEY.fullmatch(key)
    if match is None:
        return None
    number = int(match[2]) if match[2] is not None else None
    return (match[1], number) if number != 0 else None


@dataclass
class Decoded:
    """What a link asked for, after checking: the scenario to show and any warnings for the user."""

    scenario: Scenario
    origin_key: str
    origin: Scenario
    presenter: bool = False
    warnings: list[str] = field(default_factory=list)


def _fmt(value: float) -> str:
    """The shortest text that reads back as exactly the same number (12.0 -> '12')."""
    short = f"{value:.15g}"
    return short if float(short) == value else repr(float(value))


def encode(scenario: Scenario, origin_key: str, origin: Scenario, presenter: bool = False) -> dict[str, str]:
    """Query parameters that rebuild `scenario` from the scenario named `origin_key`."""
    params: dict[str, str] = {"s": origin_key}
    if scenario.area != origin.area:
        params["area"] = scenario.area
    if scenario.horizon_years != origin.horizon_years:
        params["h"] = str(scenario.horizon_years)
    placements = "".join(str(STAGE_KEYS.index(scenario.stage_of(f))) for f in FUNCTION_KEYS)
    if placements != "".join(str(STAGE_KEYS.index(origin.stage_of(f))) for f in FUNCTION_KEYS):
        params["p"] = placements
    for key, (section, name, kind) in _FIELDS.items():
        value = getattr(getattr(scenario, section), name)
        if value != getattr(getattr(origin, section), name):
            params[key] = str(int(value)) if kind is bool else value if kind is str else _fmt(value)
    if scenario.governance.model != origin.governance.model:
        params["gm"] = scenario.governance.model
    scores = "".join(str(getattr(scenario.governance.five_conditions, c)) for c in CONDITION_KEYS)
    if scores != "".join(str(getattr(origin.governance.five_conditions, c)) for c in CONDITION_KEYS):
        params["gc"] = scores
    if dict(scenario.overrides) != dict(origin.overrides):
        params["o"] = ",".join(f"{k}:{_fmt(v)}" for k, v in sorted(scenario.overrides.items()))
    if scenario.name != origin.name:
        params["nm"] = scenario.name
    if scenario.description != origin.description:
        if (packed := _pack(scenario.description)) is not None:
            params["d"] = packed
        else:
            params["dh"] = digest(scenario.description)
    if scenario.notes != origin.notes:
        if (packed := pack_notes(scenario)) is not None:
            params["n"] = packed
        else:
            params["nh"] = notes_digest(scenario)
    if scenario.baseline != origin.baseline and scenario.baseline is not None \
            and (packed := _pack(scenario.baseline.model_dump(exclude_none=True))) is not None:
        params["b"] = packed  # the area's own figures travel while short; the YAML always has them
    if presenter:
        params["pm"] = "1"
    return params


def left_out(params: Mapping[str, str], scenario: Scenario, origin: Scenario) -> list[str]:
    """What the sender should know the link leaves out (notes, description, own figures too long to travel)."""
    out = []
    if "nh" in params:
        out.append(LEFT_OUT["notes"])
    if "dh" in params:
        out.append(LEFT_OUT["description"])
    if scenario.baseline is not None and scenario.baseline != origin.baseline and "b" not in params:
        out.append(LEFT_OUT["own figures"])
    return out


def digest(text: str) -> str:
    """A short digest of some text: enough to tell the recipient that their copy differs from the sender's."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def notes_digest(scenario: Scenario) -> str:
    """The digest of a scenario's notes (topics and texts, in order)."""
    return digest(json.dumps([[n.topic, n.text] for n in scenario.notes], ensure_ascii=False))


def _pack(value: object) -> str | None:
    """JSON, compressed and base64url-encoded for a link; None when too long to travel in one."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    packed = base64.urlsafe_b64encode(zlib.compress(raw.encode("utf-8"), 9)).decode("ascii").rstrip("=")
    return packed if len(packed) <= MAX_NOTES_CHARS else None


def _unpack(text: str) -> object:
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    inflater = zlib.decompressobj()
    raw = inflater.decompress(data, _MAX_NOTES_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError("too long")
    return json.loads(raw.decode("utf-8"))


def pack_notes(scenario: Scenario) -> str | None:
    """The scenario's notes, compressed for a link; None when they are too long to travel in one."""
    return _pack([[n.topic, n.text] for n in scenario.notes])


def _unpack_baseline(text: str) -> dict[str, object]:
    figures = _unpack(text)
    if not isinstance(figures, dict):
        raise ValueError("not a set of figures")
    return figures


def _unpack_notes(text: str) -> list[dict[str, str]]:
    items = _unpack(text)
    if not isinstance(items, list) or not all(isinstance(i, list) and len(i) == 2 for i in items):
        raise ValueError("not a list of notes")
    return [{"topic": str(topic), "text": str(body)} for topic, body in items]


def _parse_int(text: str) -> int:
    if not _INT.fullmatch(text):
        raise ValueError("expected a whole number written with the digits 0–9")
    return int(text)


def _parse_float(text: str) -> float:
    if not _FLOAT.fullmatch(text):
        raise ValueError("expected a number written with the digits 0–9 (and a decimal point)")
    return float(text)


def _parse_placements(text: str) -> dict[str, str]:
    stages = "0123456789"[: len(STAGE_KEYS)]
    if len(text) != len(FUNCTION_KEYS) or not all(ch in stages for ch in text):
        raise ValueError(f"expected {len(FUNCTION_KEYS)} digits from 0 to {len(STAGE_KEYS) - 1}")
    return {f: STAGE_KEYS[int(ch)] for f, ch in zip(FUNCTION_KEYS, text, strict=True) if ch != "0"}


def _parse_scores(text: str) -> dict[str, int]:
    if len(text) != len(CONDITION_KEYS) or not all(ch in "012345" for ch in text):
        raise ValueError(f"expected {len(CONDITION_KEYS)} digits from 0 to 5")
    return {c: int(ch) for c, ch in zip(CONDITION_KEYS, text, strict=True)}


def _parse_overrides(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in filter(None, text.split(",")):
        key, sep, value = item.partition(":")
        if not sep:
            raise ValueError(f"expected key:value, got {one_line(item, ECHO_CHARS)!r}")
        out[key] = _parse_float(value)
    return out


def _parse_scalar(text: str, kind: type) -> object:
    if kind is bool:
        if text not in ("0", "1"):
            raise ValueError("expected 0 or 1")
        return text == "1"
    if kind is str:
        if text not in UNSPENT_CHOICES:
            raise ValueError(f"expected one of {', '.join(UNSPENT_CHOICES)}")
        return text
    return _parse_int(text) if kind is int else _parse_float(text)


def _unpack_text(text: str) -> str:
    value = _unpack(text)
    if not isinstance(value, str):
        raise ValueError("not a text")
    return value


def _apply(data: dict, key: str, raw: str) -> None:
    """Put one link value into the scenario's data (ValueError, TypeError or zlib.error if it cannot be read)."""
    if len(raw) > MAX_PARAM_CHARS:
        raise ValueError("too long")
    if key == "area":
        data["area"] = raw
    elif key == "h":
        data["horizon_years"] = _parse_int(raw)
    elif key == "p":
        data["placements"] = _parse_placements(raw)
    elif key == "gm":
        if raw not in GOVERNANCE_KEYS:
            raise ValueError(f"expected one of {', '.join(GOVERNANCE_KEYS)}")
        data["governance"]["model"] = raw
    elif key == "gc":
        data["governance"]["five_conditions"] = _parse_scores(raw)
    elif key == "o":
        data["overrides"] = _parse_overrides(raw)
    elif key == "n":
        data["notes"] = _unpack_notes(raw)
    elif key == "b":
        data["baseline"] = _unpack_baseline(raw)
    elif key == "nm":
        data["name"] = raw
    elif key == "d":
        data["description"] = _unpack_text(raw)
    else:
        section, name, kind = _FIELDS[key]
        data[section][name] = _parse_scalar(raw, kind)


def _problem_text(exc: ValidationError) -> str:
    """A validation error's first messages, on one line and short (they may quote the value)."""
    return one_line("; ".join(e["msg"] for e in exc.errors()[:2]), 120)


def _text_differs(params: Mapping[str, str], scenario: Scenario) -> list[str]:
    """Warnings for text the sender had but the link could not carry (only its digest travelled)."""
    out = []
    if "nh" in params and params["nh"] != notes_digest(scenario):
        out.append("The sender's notes differ from these: they were too long for the link. Ask for the YAML file "
                   "or the briefing to see them.")
    if "dh" in params and params["dh"] != digest(scenario.description):
        out.append("The sender's description differs from this one: it was too long for the link. Ask for the "
                   "YAML file or the briefing to see it.")
    return out


def decode(params: Mapping[str, str], load_origin: Callable[[str], Scenario],
           default_origin: str = DEFAULT_ORIGIN) -> Decoded:
    """The scenario a link describes; bad parameters become warnings, never errors."""
    warnings: list[str] = []
    origin_key = params.get("s") or default_origin
    try:
        origin = load_origin(origin_key)
    except Exception:  # any failure to load the named scenario falls back to the default one
        warnings.append(f"The link names a scenario that is not available ({one_line(origin_key, ECHO_CHARS)!r}); "
                        f"showing the default scenario instead.")
        origin_key, origin = default_origin, load_origin(default_origin)

    base = origin.model_dump(by_alias=True)
    data = copy.deepcopy(base)
    readable: dict[str, str] = {}
    for key in _ORDER:
        raw = params.get(key)
        if raw is None:
            continue
        try:
            _apply(data, key, raw)
        except (TypeError, ValueError, zlib.error) as exc:
            warnings.append(f"The link's {_LABELS[key]} ({one_line(raw, ECHO_CHARS)!r}) could not be read "
                            f"({one_line(exc, 120)}); it was ignored.")
        else:
            readable[key] = raw

    try:
        scenario = Scenario.model_validate(data)
    except ValidationError:
        # Some values do not make a valid scenario: apply them one by one and keep each that still fits.
        data = copy.deepcopy(base)
        for key, raw in readable.items():
            trial = copy.deepcopy(data)
            _apply(trial, key, raw)
            try:
                Scenario.model_validate(trial)
            except ValidationError as exc:
                warnings.append(f"The link's {_LABELS[key]} ({one_line(raw, ECHO_CHARS)!r}) is not allowed "
                                f"({_problem_text(exc)}); it was ignored.")
            else:
                data = trial
        try:
            scenario = Scenario.model_validate(data)
        except ValidationError as exc:
            warnings.append(f"The link's changes do not make a valid scenario ({_problem_text(exc)}); "
                            f"showing the scenario as saved instead.")
            scenario = origin
    warnings += _text_differs(params, scenario)
    return Decoded(scenario, origin_key, origin, presenter=params.get("pm") == "1", warnings=warnings)
