"""The store's vocabulary: who is asking, what they get back, and what can go wrong.

Plain frozen dataclasses, so callers (the app, the CLI, tests) never hold a database row or session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cjcore.scenario_io import parse_scenario
from cjcore.schema import Scenario


@dataclass(frozen=True)
class Viewer:
    """Who is asking.

    Attributes:
        user: Stable id of the signed-in person (OIDC email or sub); None when sign-in is off.
        name: Display name, for "saved by".
    """

    user: str | None
    name: str | None = None

    @property
    def label(self) -> str | None:
        """What "saved by" shows: the display name, else the id (None when sign-in is off)."""
        return self.name or self.user


#: Sign-in off: one shared space that sees every scenario (the app's behaviour before sign-in existed).
LOCAL = Viewer(user=None)


@dataclass(frozen=True)
class ScenarioInfo:
    """One saved scenario as a library lists it (its latest version's title)."""

    id: str
    title: str
    owner: str | None
    room: str | None
    latest: int
    updated_at: datetime
    updated_by: str | None
    legacy_stem: str | None = None


@dataclass(frozen=True)
class Version:
    """One saved version of a scenario: its YAML exactly as saved, and who saved it when."""

    scenario_id: str
    number: int
    title: str
    saved_at: datetime
    saved_by: str | None
    yaml: str
    restored_from: int | None

    def scenario(self) -> Scenario:
        """The version's scenario, parsed and validated."""
        return parse_scenario(self.yaml, f"{self.title} (version {self.number})")


@dataclass(frozen=True)
class Room:
    """A workshop room: every member sees and may save the scenarios placed in it."""

    code: str
    name: str
    created_by: str | None


class NotFound(KeyError):  # noqa: N818 - the contract's name
    """No such scenario, version or room — also for one the viewer may not see (no existence leak)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


class StaleVersion(Exception):  # noqa: N818 - the contract's name
    """Someone saved after the version the caller started from; nothing was written.

    Attributes:
        latest: The newest version now stored.
    """

    def __init__(self, latest: Version) -> None:
        super().__init__(f"version {latest.number} was saved since (at {latest.saved_at:%Y-%m-%d %H:%M} UTC)")
        self.latest = latest


class ReadOnly(Exception):  # noqa: N818 - the contract's name
    """Saving is off here. ``reason`` is user-facing text and never names the server's folders.

    Attributes:
        reason: Why saving is off, for a participant to read.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotAllowed(PermissionError):
    """The viewer may see the scenario but not do this to it (e.g. a room member moving another's scenario)."""
