"""Reading, checking and writing scenario files (YAML), and the built-in scenarios.

Scenarios are how users keep and share their assumptions, so this module makes them hard to load wrongly:

* **Reading** uses PyYAML's safe loader only, made stricter: a file over 256 KB is refused before it is
  parsed; a key written twice in one mapping is refused (plain PyYAML silently keeps the last one, so a user's
  edit would vanish); aliases (``*name``) are refused, which also stops "billion laughs" expansion bombs at
  once; tags other than plain text, numbers, true/false, null, dates, lists and mappings are refused, so a tag
  such as ``!!python/object/apply:os.system`` is reported and nothing in a file is ever run; an empty file, a
  file that is not UTF-8 and a document that is not a mapping are refused.
* **Checking** uses the pydantic schema (``cjcore.schema.Scenario``). Every problem — YAML or schema — becomes
  one line ``FILE: field.path: what was given — what is allowed``, and all of a file's schema problems are
  reported at once, in a ``ScenarioError``.
* **Writing** (``dump_scenario``) gives readable YAML in the schema's field order that loads back to an equal
  scenario.
* **Saving** is the scenario store's job (``cjcore.store``: every save a new version in a database); YAML stays
  the format for import, export and download, and ``safe_filename`` names such files.
"""

from __future__ import annotations

import contextvars
import dataclasses
import difflib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import ComposerError
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cjcore.safe_yaml import FAST_SAFE_LOADER
from cjcore.schema import MAX_NAME_CHARS, Scenario
from cjcore.vocab import FUNCTION_KEYS

#: Largest scenario file accepted, in bytes (checked before parsing). Hand-written scenarios are a few KB.
MAX_BYTES = 256 * 1024
#: Deepest nesting of lists and mappings accepted (a scenario needs 3; this stops pathological input).
MAX_DEPTH = 20
#: Most values (scalars, lists, mappings) accepted in one file: a scenario has about a hundred. Checked on the
#: fast event stream before any node is built, so the slow part of loading stays bounded.
MAX_NODES = 10_000
#: Most problems listed for one file (the rest are counted).
MAX_PROBLEMS = 100
#: Longest shown excerpt of a value that was given.
_GIVEN_CHARS = 60
#: Most "did you mean …?" suggestions worked out for one file. Each compares a name with every allowed one
#: (difflib), so a file with thousands of unknown keys cost half a minute of CPU for lines nobody reads; past
#: this many the problems are still listed (and counted), without suggestions.
MAX_SUGGESTIONS = 20
#: Longest name a suggestion is looked for (difflib's cost grows with the product of the two lengths).
_SUGGEST_CHARS = 80
#: Most digits (or hex, binary, sexagesimal places) a whole number in a file may have before it is refused as
#: too large without being computed; every number a scenario holds has fewer than ten.
MAX_NUMBER_DIGITS = 40

#: Built-in scenarios shipped with the program (read-only at run time).
BUILTIN_DIR = Path(__file__).resolve().parent.parent / "scenarios"
#: Longest file stem made from a title.
MAX_STEM_CHARS = 60
SUFFIX = ".yaml"

_STD = "tag:yaml.org,2002:"
#: Tags a scenario file may contain (all resolved implicitly from plain values or written as ``!!str`` etc.).
_ALLOWED_TAGS = frozenset(_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)


# ----------------------------------------------------------------------------------------------- errors
@dataclass(frozen=True)
class Problem:
    """One problem found in a scenario file.

    Attributes:
        source: The file name (or another label for where the text came from).
        path: Dotted field path, e.g. ``funding.national_share``; a line/column for YAML problems; ``""`` for
            the file as a whole.
        given: What the file gave, shortened.
        allowed: What is allowed, in plain English.
        line: 1-based line number in the file, when known.
    """

    source: str
    path: str
    given: str
    allowed: str
    line: int | None = None

    def __str__(self) -> str:
        if not self.path:
            where = "(whole file)" if self.line is None else f"line {self.line}"
        elif self.line is not None and not self.path.startswith(("line ", "character ")):
            where = f"{self.path} (line {self.line})"
        else:
            where = self.path
        return f"{self.source}: {where}: {self.given} — {self.allowed}"


class ScenarioError(ValueError):
    """A scenario file that cannot be loaded, with every problem found, one per line.

    Attributes:
        problems: One line per problem, ``FILE: field.path: what was given — what is allowed``.
        issues: The same problems as structured ``Problem`` records (for an app to lay out).
    """

    def __init__(self, problems: Iterable[Problem | str] | Problem | str) -> None:
        if isinstance(problems, Problem | str):
            problems = [problems]
        items: list[Problem | str] = list(problems)
        if len(items) > MAX_PROBLEMS:
            extra = len(items) - MAX_PROBLEMS
            items = [*items[:MAX_PROBLEMS], f"… and {extra:,} more problem(s) not listed"]
        self.issues: tuple[Problem, ...] = tuple(p for p in items if isinstance(p, Problem))
        self.problems: tuple[str, ...] = tuple(str(p) for p in items)
        super().__init__("\n".join(self.problems))

    def __str__(self) -> str:
        return "\n".join(self.problems)


class HugeNumber:
    """A whole number in a file too large to compute (thousands of digits): kept as its written form only.

    Python refuses to turn an integer of more than 4,300 digits into text, and a hex, binary or sexagesimal one can
    be built far larger than that, so such a number is never built. The validator then refuses it like any other
    wrong value (it is neither an int, a float nor text) and the problem says how long it was.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        digits = len(_significant(self.text))
        return f"a whole number of {digits:,} digits ({self.text[:12]}…)"

    __repr__ = __str__


def _significant(text: str) -> str:
    """The digits of a YAML integer without sign, base prefix, underscores and sexagesimal colons."""
    body = text.strip().lstrip("+-").replace("_", "").replace(":", "")
    if body[:2].lower() in ("0x", "0b", "0o"):
        body = body[2:]
    return body.lstrip("0") or "0"


def _joined(items: Iterable[str]) -> str:
    """Items joined with commas, stopping once the text is longer than a shown excerpt (a list may be huge)."""
    text = ""
    for i, item in enumerate(items):
        text += (", " if i else "") + item
        if len(text) > _GIVEN_CHARS:
            break
    return text


def _given(value: Any) -> str:
    """A short, readable rendering of a value from a file."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * MAX_NUMBER_DIGITS:
        return f"a whole number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    if isinstance(value, str):
        text = repr(value)
    elif value is None:
        text = "nothing (null)"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, Mapping):
        text = "a mapping {" + _joined(f"{k if isinstance(k, str) else _given(k)}: {_given(v)}"
                                       for k, v in value.items()) + "}"
    elif isinstance(value, list | tuple):
        text = "a list [" + _joined(_given(v) for v in value) + "]"
    else:
        text = str(value)
    return text if len(text) <= _GIVEN_CHARS else text[: _GIVEN_CHARS - 1] + "…"


#: Suggestions still allowed while the current file's problems are written (see MAX_SUGGESTIONS).
_suggestions_left: contextvars.ContextVar[int] = contextvars.ContextVar("suggestions_left", default=MAX_SUGGESTIONS)


def _one_of(options: Sequence[str]) -> str:
    return ", ".join(options)


def _suggest(value: Any, options: Iterable[str]) -> str:
    """' Did you mean 'x'?' for the closest option, or ''."""
    if not isinstance(value, str) or len(value) > _SUGGEST_CHARS:
        return ""
    left = _suggestions_left.get()
    if left <= 0:
        return ""
    _suggestions_left.set(left - 1)
    wanted = value.strip().lower().replace(" ", "_")
    options = list(options)
    close = difflib.get_close_matches(wanted, options, n=1, cutoff=0.5)
    if not close and len(wanted) >= 3:  # an abbreviation such as 'full' for 'full_transfer'
        close = [o for o in options if o.startswith(wanted)][:1]
    return f"did you mean {close[0]!r}? " if close else ""


# ------------------------------------------------------------------------------------------------- YAML
class _YamlProblem(Exception):
    """A problem found while reading the YAML structure (collected, then reported together)."""

    def __init__(self, path: str, given: str, allowed: str, line: int | None = None) -> None:
        super().__init__(given)
        self.path, self.given, self.allowed, self.line = path, given, allowed, line


class StrictSafeLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases and over-deep nesting while the document is composed.

    Duplicate keys and tags are checked on the composed node tree (``_check_nodes``) before anything is
    constructed, so every such problem in a file is reported at once.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # noqa: D102
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _YamlProblem(
                f"line {event.start_mark.line + 1}, column {event.start_mark.column + 1}",
                f"an alias *{event.anchor}",
                "aliases (*name) are not allowed in scenario files; write the value out in full",
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _YamlProblem(f"line {mark.line + 1}, column {mark.column + 1}",
                                   f"lists or mappings nested more than {MAX_DEPTH} deep",
                                   "a scenario needs only a few levels of nesting")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: ScalarNode) -> Any:
        """An integer, or a ``HugeNumber`` when it has too many digits to compute (or to show)."""
        if len(_significant(str(node.value))) > MAX_NUMBER_DIGITS:
            return HugeNumber(str(node.value))
        return super().construct_yaml_int(node)

    def construct_object(self, node: Node, deep: bool = False) -> Any:  # noqa: D102
        try:
            return super().construct_object(node, deep)
        except (_YamlProblem, yaml.YAMLError):
            raise
        except Exception:  # a constructor failed on a value, e.g. the date 2020-13-45 or `!!bool maybe`
            mark = node.start_mark
            value = _given(node.value) if isinstance(node, ScalarNode) else "a value"
            kind = node.tag[len(_STD):] if node.tag.startswith(_STD) else ""
            raise _YamlProblem(f"line {mark.line + 1}, column {mark.column + 1}",
                               f"{value}, which cannot be read as {_tag_text(node.tag)}",
                               _UNREADABLE.get(kind, "a plain value; put text in quotes")) from None


StrictSafeLoader.add_constructor(_STD + "int", StrictSafeLoader.construct_yaml_int)


def _tag_text(tag: str) -> str:
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


_UNREADABLE = {
    "timestamp": "a real date (YYYY-MM-DD); put text that only looks like a date in quotes",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
}

#: The fast (libyaml) parser for the pre-scan when available; the pure-Python one otherwise.
_EventLoader = FAST_SAFE_LOADER


def _scan_events(text: str) -> None:
    """Refuse aliases, deep nesting and huge documents from the event stream, before anything is built.

    The scan stops at the first such problem, so even a pathological file is refused in milliseconds.
    """
    depth = nodes = 0
    for event in yaml.parse(text, Loader=_EventLoader):
        mark = event.start_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}"
        if isinstance(event, AliasEvent):
            raise _YamlProblem(where, f"an alias *{event.anchor}",
                               "aliases (*name) are not allowed in scenario files; write the value out in full")
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _YamlProblem(where, f"lists or mappings nested more than {MAX_DEPTH} deep",
                                   "a scenario needs only a few levels of nesting")
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        if isinstance(event, ScalarEvent | CollectionStartEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise _YamlProblem(where, f"more than {MAX_NODES:,} values",
                                   "a scenario has a few hundred values at most")




def _compose(text: str, loader: StrictSafeLoader) -> Node | None:
    """The document's node tree, composed by libyaml when available.

    libyaml is several times faster than PyYAML's own composer on a large file. The pre-scan has already refused
    aliases, deep nesting and oversized documents, which is all
    ``StrictSafeLoader.compose_node`` adds; constructing values stays with ``loader``.
    """
    if _EventLoader is yaml.SafeLoader:
        return loader.get_single_node()
    fast = _EventLoader(text)
    try:
        return fast.get_single_node()
    finally:
        fast.dispose()


def _check_nodes(node: Node, problems: list[_YamlProblem], lines: dict[str, int]) -> None:
    """Refuse disallowed tags, non-text keys and duplicate keys anywhere in the tree (all of them).

    Also records the line of every field path in ``lines``, so schema problems can say where they are.
    """
    stack: list[tuple[Node, tuple[str | int, ...]]] = [(node, ())]
    while stack:
        current, parts = stack.pop()
        where = _path(parts)
        line = current.start_mark.line + 1
        lines.setdefault(where, line)
        if current.tag not in _ALLOWED_TAGS:
            problems.append(_YamlProblem(
                where, f"the YAML tag {_tag_text(current.tag)}",
                "tags are not allowed: scenario files hold plain values only (text, numbers, true/false, lists "
                "and mappings), and nothing in them is ever run", line))
            continue
        if isinstance(current, SequenceNode):
            stack.extend((child, (*parts, i)) for i, child in enumerate(current.value))
        elif isinstance(current, MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in current.value:
                key_line = key_node.start_mark.line + 1
                if key_node.tag == _STD + "merge":
                    problems.append(_YamlProblem(where, "a merge key (<<)",
                                                 "merge keys are not allowed; write each field out", key_line))
                    continue
                if not isinstance(key_node, ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                    problems.append(_YamlProblem(where, "a key that is a list, mapping or tagged value",
                                                 "keys must be plain names such as 'area'", key_line))
                    continue
                if key_node.tag != _STD + "str":
                    problems.append(_YamlProblem(
                        where, f"the key {_given(key_node.value)}, which YAML reads as {_tag_text(key_node.tag)}",
                        "keys must be plain names such as 'area'; put this one in quotes if it is meant",
                        key_line))
                    continue
                key = key_node.value
                child_path = _path((*parts, key))
                if key in seen:
                    problems.append(_YamlProblem(
                        child_path, f"the key {_given(key)} a second time (first at line {seen[key]})",
                        "each key may appear only once in a mapping; delete one of them", key_line))
                    continue
                seen[key] = key_line
                lines[child_path] = key_line
                stack.append((value_node, (*parts, key)))


def _yaml_error_problem(exc: yaml.YAMLError, text: str = "") -> _YamlProblem:
    """Turn a PyYAML error into a problem with its line and column (and a hint, when one is likely)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if isinstance(exc, ComposerError) and "single document" in str(exc):
        return _YamlProblem(where, "more than one YAML document (a second '---')", "one scenario per file")
    if isinstance(exc, yaml.reader.ReaderError):
        return _YamlProblem(f"character {exc.position + 1}", f"a control character (U+{exc.character:04X})",
                            "printable text only; remove the character or save the file as plain UTF-8 text")
    hints = {
        "mapping values are not allowed": "check the indentation, and put text containing ': ' in quotes",
        "found character '\\t'": "indent with spaces, not tabs",
        "could not find expected ':'": "each field is written 'name: value'",
        "found undefined alias": "aliases (*name) are not allowed in scenario files",
    }
    hint = next((h for k, h in hints.items() if k in problem), "valid YAML; check the indentation and quotes here")
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
        hint = "indent with spaces, not tabs"
    context = getattr(exc, "context", None)
    given = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return _YamlProblem(where, given, hint)


def decode_text(data: bytes, source: str, max_bytes: int, size_hint: str, encoding_hint: str, empty_hint: str
                ) -> str:
    """The bytes of an uploaded or read file as text, or ScenarioError: too big, not UTF-8, or empty.

    Shared by scenario files and the area's own-figures CSV, so both refuse bad files in the same words.
    """
    if len(data) > max_bytes:
        raise ScenarioError(Problem(source, "", f"a file of {len(data):,} bytes",
                                    f"at most {max_bytes // 1024:,} KB; {size_hint}"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError(Problem(source, f"line {line}", f"bytes that are not UTF-8 text (byte {exc.start + 1})",
                                    encoding_hint)) from None
    if not text.strip():
        raise ScenarioError(Problem(source, "", "an empty file", empty_hint))
    return text


def read_capped(path: Path, source: str, max_bytes: int, what: str) -> bytes:
    """At most `max_bytes + 1` bytes of a file (enough to tell it is too big), or ScenarioError saying why not."""
    try:
        if path.is_dir():
            raise ScenarioError(Problem(source, "", "a folder", what))
        with path.open("rb") as f:
            return f.read(max_bytes + 1)
    except FileNotFoundError:
        raise ScenarioError(Problem(source, "", "a file that does not exist", f"the path of {what}")) from None
    except OSError as exc:
        raise ScenarioError(Problem(source, "", f"a file that cannot be read ({exc.strerror})",
                                    f"a readable {what.removeprefix('a ').removeprefix('an ')}")) from None


def _read_yaml(data: bytes, source: str) -> tuple[Any, dict[str, int]]:
    """Decode and parse the bytes of a scenario file, or raise ScenarioError.

    Returns:
        The document as plain Python values, and the line of each field path (``funding.national_share``).
    """
    text = decode_text(data, source, MAX_BYTES, "a scenario file is a few KB",
                       "UTF-8 text; save the file with UTF-8 encoding",
                       "a scenario: a mapping of fields starting 'schema: 1', 'name: ...', 'area: ...'")
    try:
        loader = StrictSafeLoader(text)
    except yaml.YAMLError as exc:
        p = _yaml_error_problem(exc)
        raise ScenarioError(Problem(source, p.path, p.given, p.allowed, p.line)) from None
    try:
        try:
            _scan_events(text)
            node = _compose(text, loader)
        except _YamlProblem as p:
            raise ScenarioError(Problem(source, p.path, p.given, p.allowed, p.line)) from None
        except yaml.YAMLError as exc:
            p = _yaml_error_problem(exc, text)
            raise ScenarioError(Problem(source, p.path, p.given, p.allowed, p.line)) from None
        if node is None:
            raise ScenarioError(Problem(source, "", "a file with only comments or blank lines",
                                        "a scenario: a mapping of fields starting 'schema: 1'"))
        problems: list[_YamlProblem] = []
        lines: dict[str, int] = {}
        _check_nodes(node, problems, lines)
        if problems:
            problems.sort(key=lambda p: p.line or 0)
            raise ScenarioError([Problem(source, p.path, p.given, p.allowed, p.line) for p in problems])
        if not isinstance(node, MappingNode):
            kind = "a list" if isinstance(node, SequenceNode) else f"the single value {_given(node.value)}"
            raise ScenarioError(Problem(source, "", f"{kind} at the top level",
                                        "a mapping of fields (schema, name, area, description, ...)",
                                        node.start_mark.line + 1))
        try:
            return loader.construct_document(node), lines
        except _YamlProblem as p:
            raise ScenarioError(Problem(source, p.path, p.given, p.allowed, p.line)) from None
        except yaml.YAMLError as exc:
            p = _yaml_error_problem(exc)
            raise ScenarioError(Problem(source, p.path, p.given, p.allowed, p.line)) from None
    finally:
        loader.dispose()


# ------------------------------------------------------------------------------------------ schema errors
def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside a type annotation (e.g. ``tuple[Annotated[Note, ...], ...]``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _field(model: type[BaseModel], name: Any) -> tuple[str, Any] | None:
    """(field name, FieldInfo) for a name or alias of a model."""
    for field_name, info in model.model_fields.items():
        if name in (field_name, info.alias):
            return field_name, info
    return None


def _walk(loc: Sequence[Any], root: type[BaseModel] = Scenario) -> tuple[type[BaseModel] | None, Any]:
    """The model that holds the last element of ``loc``, and that element's FieldInfo (if it is a field)."""
    model: type[BaseModel] | None = root
    info = None
    for i, part in enumerate(loc):
        if model is None:
            return None, None
        if isinstance(part, int):
            continue
        found = _field(model, part)
        if found is None:
            return (model, None) if i == len(loc) - 1 else (None, None)
        info = found[1]
        if i < len(loc) - 1:
            model = _model_in(info.annotation)
    return model, info


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _bounds(info: Any) -> tuple[Any, Any]:
    lo = hi = None
    for meta in getattr(info, "metadata", []) or []:
        lo = getattr(meta, "ge", lo)
        hi = getattr(meta, "le", hi)
    return lo, hi


def _number_range(info: Any, whole: bool, err: Mapping[str, Any]) -> str:
    lo, hi = _bounds(info)
    ctx = err.get("ctx") or {}
    lo = ctx.get("ge", lo) if lo is None else lo
    hi = ctx.get("le", hi) if hi is None else hi
    kind = "a whole number" if whole else "a number"
    if lo is not None and hi is not None:
        return f"{kind} from {lo:g} to {hi:g}"
    if lo is not None:
        return f"{kind} of at least {lo:g}"
    if hi is not None:
        return f"{kind} of at most {hi:g}"
    return kind


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _path(loc: Sequence[Any]) -> str:
    """A dotted field path; odd keys (with spaces, dots, colons, ...) are quoted so the path stays readable."""
    parts = [p for p in loc if p != "[key]"]
    return ".".join(str(p) if isinstance(p, int) or _PLAIN_KEY.fullmatch(str(p)) and len(str(p)) <= _GIVEN_CHARS
                    else _given(str(p)) for p in parts)


def _area_problem(source: str, value: Any) -> Problem:
    from cjcore.areas import AREA_KEYS, load_areas

    areas = load_areas()
    close: list[str] = []
    if isinstance(value, str):
        wanted = value.strip().lower()
        close = difflib.get_close_matches(wanted, AREA_KEYS, n=1, cutoff=0.5)
        if not close:
            by_name = {a.name.lower(): a.key for a in areas.values()}
            names = difflib.get_close_matches(wanted, list(by_name), n=1, cutoff=0.5)
            close = [by_name[n] for n in names]
    hint = f"did you mean {close[0]!r} ({areas[close[0]].name})? " if close else ""
    return Problem(source, "area", _given(value),
                   f"no such police force area; {hint}allowed: one of the {len(AREA_KEYS)} area keys "
                   "('python -m cjcore list' shows them all)")


def _override_problems(source: str, value: Any) -> list[Problem]:
    from cjcore.evidence import load_register

    register = load_register()
    out = []
    for key, v in dict(value).items():
        param = register.parameters.get(key)
        if param is None:
            out.append(Problem(
                source, _path(("overrides", key)), _given(v),
                f"no such parameter in the evidence register; {_suggest(key, register.parameters)}allowed: a "
                "parameter key from cjcore/data/evidence.yaml (the Evidence page lists them)"))
            continue
        lo, hi = param.bounds
        if not lo <= float(v) <= hi:
            allowed = f"a number from {lo:g} to {hi:g} (unit: {param.unit})"
            out.append(Problem(source, _path(("overrides", key)), _given(v), allowed))
    return out


def _schema_problem(source: str, err: Mapping[str, Any], root: type[BaseModel] = Scenario) -> list[Problem]:
    """Render one pydantic error as one (or, for overrides, several) problems.

    ``root`` is the model validated (a ``Scenario``, or e.g. a ``SuppliedBaseline`` read from a CSV file).
    """
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    path = _path(loc)
    model, info = _walk(loc, root)
    is_key = bool(loc) and loc[-1] == "[key]"

    if root is Scenario and loc == ("area",) and kind == "value_error":
        return [_area_problem(source, value)]
    if root is Scenario and loc == ("overrides",) and kind == "value_error" and isinstance(value, Mapping):
        found = _override_problems(source, value)
        if found:
            return found

    given = _given(value)
    if kind == "extra_forbidden":
        names = _field_names(model) if model is not None else []
        field = loc[-1] if loc else ""
        allowed = f"no such field; {_suggest(str(field), names)}allowed fields here: {_one_of(names)}"
    elif kind == "missing":
        given = "nothing"
        allowed = "this field is required"
        if info is not None and info.description:
            allowed += f": {info.description[0].lower()}{info.description[1:].rstrip('.')}"
    elif kind == "literal_error":
        options = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
        if path == "schema":
            allowed = "1 (the only scenario format version this program reads)"
        elif is_key and loc[0] == "placements":
            allowed = f"no such function; {_suggest(value, options)}allowed: {_one_of(options)}"
        elif loc[0] == "placements":
            allowed = f"a stage of the spectrum; {_suggest(value, options)}allowed: {_one_of(options)}"
        else:
            allowed = f"{_suggest(value, options)}one of: {_one_of(options) or err.get('ctx', {}).get('expected')}"
    elif kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than", "finite_number"}:
        whole = info is not None and info.annotation is int
        allowed = _number_range(info, whole, err)
    elif kind in {"float_parsing", "float_type"}:
        allowed = _number_range(info, False, err) if info is not None else "a number"
    elif kind in {"int_parsing", "int_type", "int_from_float"}:
        allowed = _number_range(info, True, err) if info is not None else "a whole number"
    elif kind in {"bool_parsing", "bool_type"}:
        allowed = "true or false"
    elif kind in {"string_type", "string_sub_type"}:
        allowed = "text" + (" (put it in quotes if it looks like a number or a date)" if value is not None else "")
    elif kind == "string_too_short":
        allowed = f"text of at least {err['ctx']['min_length']} character(s)"
    elif kind == "string_too_long":
        allowed = f"text of at most {err['ctx']['max_length']:,} characters"
    elif kind in {"dict_type", "model_type", "model_attributes_type", "mapping_type"}:
        if len(loc) == 2 and loc[0] == "notes":
            allowed = "text (in quotes if it looks like a number or a date), or a mapping with topic and text"
        elif loc and loc[0] == "placements":
            allowed = "a mapping of function: stage, e.g. 'youth_justice: co_design'"
        elif loc and loc[0] == "overrides":
            allowed = "a mapping of evidence-register parameter key: number"
        elif model is not None and info is not None and (inner := _model_in(info.annotation)) is not None:
            allowed = f"a mapping with the fields {_one_of(_field_names(inner))}"
        else:
            allowed = "a mapping of field: value"
    elif kind in {"tuple_type", "list_type", "sequence_type"}:
        allowed = "a list (lines starting '- ')"
    elif kind == "value_error":
        allowed = str(err.get("ctx", {}).get("error", err.get("msg", "")))
    else:
        allowed = err.get("msg", kind)
    if is_key:
        given = f"the key {given}"
    return [Problem(source, path, given, allowed)]


def _line_of(path: str, lines: Mapping[str, int]) -> int | None:
    """The line of a field path, or of its nearest written parent (for a missing field)."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path.rpartition(".")[0]


def _validation_problems(exc: ValidationError, source: str, lines: Mapping[str, int],
                         root: type[BaseModel] = Scenario) -> list[Problem]:
    out: list[Problem] = []
    budget = _suggestions_left.set(MAX_SUGGESTIONS)  # a fresh allowance of suggestions for each file
    try:
        for err in exc.errors(include_url=False):
            for p in _schema_problem(source, err, root):
                # A missing field has no line of its own: point at its parent mapping, unless that is the whole file.
                path = p.path.rpartition(".")[0] if err["type"] == "missing" else p.path
                line = _line_of(path, lines) if path else None
                out.append(dataclasses.replace(p, line=line))
    finally:
        _suggestions_left.reset(budget)
    return sorted(dict.fromkeys(out), key=lambda p: p.line or 0)  # in the order a reader meets them


# ----------------------------------------------------------------------------------------------- public
def title_problem(title: str) -> str | None:
    """Why a title cannot be a scenario's name (to say so before saving), or None when it can.

    A form field that silently cut or dropped a long title would save under the old name instead: the caller
    refuses the save and shows this.
    """
    name = title.strip()
    if not name:
        return "Give the scenario a name first."
    if len(name) > MAX_NAME_CHARS:
        return (f"A scenario name can be at most {MAX_NAME_CHARS} characters; this one has {len(name):,}. "
                "Shorten it and save again (nothing was saved).")
    return None


def parse_scenario(text: str | bytes, source: str = "<text>") -> Scenario:
    """Parse and validate the text of a scenario file.

    Args:
        text: The file's contents (bytes are decoded as UTF-8; a leading byte-order mark is allowed).
        source: What to call the text in error messages, usually the file name.

    Returns:
        The validated, immutable scenario.

    Raises:
        ScenarioError: With one line per problem: too large, not UTF-8, empty, bad YAML, a duplicate key, an
            alias, a disallowed tag, not a mapping, or any number of schema problems.
    """
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    raw, lines = _read_yaml(data, source)
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(_validation_problems(exc, source, lines)) from None


def load_scenario(path: str | os.PathLike[str], source: str | None = None) -> Scenario:
    """Read and validate a scenario file.

    Args:
        path: The file.
        source: What to call it in error messages; the file name by default.

    Returns:
        The validated, immutable scenario.

    Raises:
        ScenarioError: If the file cannot be read or is not a valid scenario (see ``parse_scenario``).
    """
    path = Path(path)
    source = path.name if source is None else source
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ScenarioError(Problem(source, "", "a folder", "a scenario file (.yaml)"))
        if size > MAX_BYTES:
            raise ScenarioError(Problem(source, "", f"a file of {size:,} bytes",
                                        f"at most {MAX_BYTES // 1024} KB; a scenario file is a few KB"))
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(Problem(source, "", "a file that does not exist", "the path of a scenario file")) from None
    except OSError as exc:
        raise ScenarioError(Problem(source, "", f"a file that cannot be read ({exc.strerror})",
                                    "a readable scenario file")) from None
    return parse_scenario(data, source)


class _ScenarioDumper(yaml.SafeDumper):
    """Safe dumper that writes long text as a folded block and text with line breaks as a literal block."""

    def ignore_aliases(self, data: Any) -> bool:  # noqa: D102
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: D102
        return super().increase_indent(flow, False)  # indent list items under their key


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if "\n" in value:
        style = "|"
    elif len(value) > 80 and value == value.strip() and "  " not in value:
        style = ">"
    return dumper.represent_scalar(_STD + "str", value, style=style)


_ScenarioDumper.add_representer(str, _represent_str)


def _plain_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain values in the schema's field order, placements in the vocabulary's order."""
    data = scenario.model_dump(by_alias=True, mode="python")
    placements = data.get("placements") or {}
    data["placements"] = {f: placements[f] for f in FUNCTION_KEYS if f in placements}
    data["overrides"] = dict(sorted((data.get("overrides") or {}).items()))
    data["notes"] = [n["text"] if n["topic"] == "overall" else n for n in data.get("notes") or ()]
    if data.get("baseline") is None:
        data.pop("baseline", None)  # no own figures: the file says nothing about them
    else:
        data["baseline"] = {k: v for k, v in data["baseline"].items() if v is not None}  # unit costs left out
    return data


def dump_scenario(scenario: Scenario) -> str:
    """Write a scenario as readable YAML that loads back to an equal scenario.

    Fields come in the schema's order (``schema``, ``name``, ``area``, ``description``, ...), placements in the
    vocabulary's order of functions, overrides by key; long text is folded, text with line breaks is kept as a
    literal block; overall notes are written as plain text.

    Args:
        scenario: A validated scenario.

    Returns:
        The YAML text.
    """
    data = _plain_data(scenario)
    options: dict[str, Any] = {"sort_keys": False, "default_flow_style": False, "width": 100}
    # The readable form first; if some odd text does not survive it (PyYAML mishandles a few characters, such
    # as U+0085, in block and unicode output), fall back to PyYAML's own quoting, then to escaped ASCII.
    attempts = (
        (_ScenarioDumper, True),
        (yaml.SafeDumper, True),
        (yaml.SafeDumper, False),
    )
    text = ""
    for dumper, unicode in attempts:
        text = yaml.dump(data, Dumper=dumper, allow_unicode=unicode, **options)
        try:
            if parse_scenario(text, "<dump>") == scenario:
                break
        except ScenarioError:
            continue
    return text


# -------------------------------------------------------------------------------------------- built-ins
def builtin_scenarios() -> dict[str, Path]:
    """The built-in scenario files, keyed by file stem, sorted by key."""
    return {p.stem: p for p in sorted(BUILTIN_DIR.glob(f"*{SUFFIX}")) if not p.name.startswith(".")}


def load_builtin(key: str) -> Scenario:
    """Load a built-in scenario by its key (file stem), e.g. ``greater-manchester``.

    Raises:
        KeyError: If there is no such built-in (the message suggests the closest keys).
    """
    files = builtin_scenarios()
    if key not in files:
        close = difflib.get_close_matches(str(key), list(files), n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise KeyError(f"No built-in scenario {key!r}.{hint} Built-ins: {', '.join(files)}.")
    return load_scenario(files[key])


# --------------------------------------------------------------------------------------------- file names
def safe_filename(title: str) -> str:
    """A safe file stem made from any title: lowercase ASCII letters, digits and single hyphens.

    Accents are dropped (``Région`` → ``region``); separators, dots and anything else become hyphens, so no
    title can name a hidden file or reach outside the folder; at most ``MAX_STEM_CHARS`` characters; an empty
    result becomes ``scenario``. A stem equal to a built-in's (or to a reserved Windows device name) gets
    ``-user`` appended, so a user file never shadows a built-in.

    Args:
        title: Any text, e.g. a scenario's name.

    Returns:
        The stem, without the ``.yaml`` suffix.
    """
    ascii_text = unicodedata.normalize("NFKD", str(title)).encode("ascii", "ignore").decode("ascii").lower()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    stem = stem[:MAX_STEM_CHARS].rstrip("-") or "scenario"
    if stem in builtin_scenarios() or stem in _WINDOWS_RESERVED:
        stem = f"{stem}-user"
    return stem
