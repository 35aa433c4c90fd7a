"""The scenario folder as it was before the store: ``NAME.yaml`` files and ``.history/NAME/STAMP-HEX.yaml``.

Read once, on the store's first open, so every old file (and each kept earlier version, oldest first) becomes a
versioned scenario that remembers its file stem; old ``user:<stem>`` links keep opening it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cjcore.scenario_io import ScenarioError, dump_scenario, load_scenario
from cjcore.schema import Scenario

log = logging.getLogger(__name__)

SUFFIX = ".yaml"
#: Sub-folder that kept earlier versions of overwritten files.
HISTORY_DIR = ".history"
_STAMP = "%Y%m%dT%H%M%S%fZ"


@dataclass(frozen=True)
class LegacyVersion:
    """One version of an old scenario file: when it was written and its scenario as canonical YAML."""

    saved_at: datetime
    title: str
    yaml: str


def _stamp(path: Path) -> datetime:
    """When a kept version was written: the time stamp in its name, else the file's modification time."""
    try:
        return datetime.strptime(path.stem.split("-", 1)[0], _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _read(path: Path) -> Scenario | None:
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        log.info("not imported (invalid scenario): %s", exc.problems[0])
        return None


def legacy_files(folder: Path) -> dict[str, list[Path]]:
    """Every old scenario file in a folder, by stem: its kept versions oldest first, the current file last.

    Nothing is parsed here (a restart must not reread files imported long ago). Missing or unreadable folders
    give nothing.
    """
    found: dict[str, list[Path]] = {}
    try:
        files = sorted(p for p in folder.glob(f"*{SUFFIX}") if not p.name.startswith(".") and p.is_file())
    except OSError:
        return found
    for current in files:
        kept_dir = folder / HISTORY_DIR / current.stem
        try:
            kept = sorted(kept_dir.glob(f"*{SUFFIX}")) if kept_dir.is_dir() else []
        except OSError:
            kept = []
        found[current.stem] = [*kept, current]  # the stamps in the names sort in time order
    return found


def read_versions(paths: list[Path]) -> list[LegacyVersion]:
    """The valid scenarios among one stem's files, oldest first; invalid or unreadable files are left out."""
    out: list[LegacyVersion] = []
    for i, path in enumerate(paths):
        try:
            when = _stamp(path) if i < len(paths) - 1 else datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except OSError:
            continue
        scenario = _read(path)
        if scenario is not None:
            out.append(LegacyVersion(when, scenario.name, dump_scenario(scenario)))
    return out


def legacy_scenarios(folder: Path, skip: frozenset[str] = frozenset()) -> dict[str, list[LegacyVersion]]:
    """Every old scenario in a folder not in ``skip``, by stem, with its valid versions oldest first.

    A stem with no valid version is left out.
    """
    found = {stem: read_versions(paths) for stem, paths in legacy_files(folder).items() if stem not in skip}
    return {stem: versions for stem, versions in found.items() if versions}
