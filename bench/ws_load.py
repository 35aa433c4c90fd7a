"""A workshop at once: many explorer sessions driven over Streamlit's own websocket, without a browser each.

Each client speaks the protocol the browser speaks (protobuf `BackMsg` up, `ForwardMsg` down on
`/_stcore/stream`): it opens the app from a share link, moves stage controls by sending new widget values, and
reads back what the server drew — the stage sliders, the headline cards and the share link. So the server does
exactly the work it does for a browser, while 30 sessions cost the load generator almost nothing (30 Chromium
pages would need the 2 cores the server is being measured on).

Used by `bench/browser.py` (which starts a fresh server and also measures memory). Standalone, against a
server that is already running, e.g. the one a workshop room will use:

    .venv/bin/python bench/ws_load.py --url http://127.0.0.1:8501 --sessions 30 --duration 60

Through nginx in front of several replicas (deploy/serve.py), each session first asks nginx for its `cjroute`
cookie, as a browser's first request does (nginx names the least busy replica), and opens its websocket with it,
so sessions spread over the replicas as browsers do. One run with 1 and then 2 replicas, each fresh:

    .venv/bin/python bench/ws_load.py --replicas 1 2 --sessions 30 --duration 60 --write

Isolation is checked on every run: a session must only ever see its own scenario — the stage controls, the
share link (`s=` and `p=`) and, across all sessions, one Reoffences figure per distinct scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402  (a dependency of streamlit itself)
import websockets.exceptions  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates  # noqa: E402

from bench.results import write_section  # noqa: E402
from cjcore.scenario_io import builtin_scenarios, load_builtin  # noqa: E402
from cjcore.vocab import FUNCTION, FUNCTION_KEYS, STAGE_KEYS  # noqa: E402
from tests.cards import OPENING as CARDS_OPENING  # noqa: E402
from tests.cards import card_groups  # noqa: E402

REOFFENCES = "Reoffences"
RECOVERY_GIVE_UP_S = 60.0
#: What a replica dying under a session looks like from the client. A timeout is not one of them (TimeoutError
#: is an OSError): a server too slow to answer is an error, not a failover.
DROPPED = (websockets.exceptions.WebSocketException, OSError)
ROUTE_COOKIE = "cjroute"  # the cookie deploy/nginx/cjexplorer.conf.template routes on
RUN_TIMEOUT_S = 30.0
#: The two functions whose stages make each session's signature (36 combinations for up to 36 sessions).
SIGNATURE = ("custody_budget", "problem_solving_courts")
WALKED = tuple(f for f in FUNCTION_KEYS if f not in SIGNATURE)
LABEL_TO_FUNCTION = {FUNCTION[f].label: f for f in FUNCTION_KEYS}


@dataclass
class RunResult:
    """What one script run sent back, with timings from the moment the request was sent."""

    sliders: dict[str, tuple[str, list[str], int]] = field(default_factory=dict)  # label -> (id, options, index)
    metrics: dict[str, str] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # st.error alerts
    successes: list[str] = field(default_factory=list)  # st.success alerts
    inputs: dict[str, str] = field(default_factory=dict)  # text input label -> widget id
    buttons: dict[str, str] = field(default_factory=dict)  # button label -> widget id
    markdown: list[str] = field(default_factory=list)
    headline_s: float | None = None  # request sent -> Reoffences card received
    finished_s: float | None = None  # request sent -> script finished
    status: int | None = None


class Session:
    """One browser tab's worth of Streamlit session, over a websocket."""

    def __init__(self, base_url: str, query_string: str = "", route: str | None = "", page_name: str = "") -> None:
        parts = urlsplit(base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws_url = f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
        self.query_string = query_string
        self.page_name = page_name  # the page's URL path (e.g. "scenarios"); "" is the default page
        self.page_hash = ""
        # nginx's sticky-session cookie (the replica holding the session); None: never ask nginx for one
        self.route = route
        self.widgets: dict[str, WidgetState] = {}
        self._ws: websockets.ClientConnection | None = None

    async def open(self) -> None:
        if self.route is not None:  # through nginx: ask first, as the frontend does, and keep the cookie it sets
            self.route = await asyncio.to_thread(self._routed_health_check)
        headers = {"Cookie": f"{ROUTE_COOKIE}={self.route}"} if self.route else None
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=RUN_TIMEOUT_S, additional_headers=headers)

    def _routed_health_check(self) -> str:
        """GET /_stcore/health with the route cookie; return the cookie nginx sets (or the one we have)."""
        url = self.ws_url.replace("ws", "http", 1).removesuffix("/stream") + "/health"
        headers = {"Cookie": f"{ROUTE_COOKIE}={self.route}"} if self.route else {}
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=RUN_TIMEOUT_S) as response:
            response.read()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                if name == ROUTE_COOKIE:
                    return rest.split(";", 1)[0]
        return self.route or ""

    async def reconnect(self) -> None:
        """A new websocket (a new server session) for the same browser: same cookie, same URL, no widget values.

        What the browser does when its replica dies: nginx sends the same cookie to a live replica, where the
        app has only the page's URL to rebuild the view from.
        """
        with contextlib.suppress(Exception):
            await self.close()
        self.widgets = {}
        self.page_hash = ""
        await self.open()

    def set_text(self, widget_id: str, value: str) -> None:
        """Type into a text input (the value the frontend sends when the box loses focus)."""
        self.widgets[widget_id] = WidgetState(id=widget_id, string_value=value)

    def click(self, widget_id: str) -> None:
        """Press a button: a trigger that is true for the next run only."""
        self.widgets[widget_id] = WidgetState(id=widget_id, trigger_value=True)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    def set_select_slider(self, widget_id: str, option_label: str) -> None:
        """Set a select_slider the way the frontend does: the formatted option, as a one-item string array."""
        state = WidgetState(id=widget_id)
        state.string_array_value.data.append(option_label)
        self.widgets[widget_id] = state

    async def rerun(self) -> RunResult:
        """Ask for a script run with the current widget values; collect what it draws until it finishes."""
        assert self._ws is not None, "open() first"
        msg = BackMsg()
        msg.rerun_script.query_string = self.query_string
        msg.rerun_script.page_script_hash = self.page_hash
        if not self.page_hash:
            msg.rerun_script.page_name = self.page_name
        msg.rerun_script.widget_states.CopyFrom(WidgetStates(widgets=list(self.widgets.values())))
        result = RunResult()
        sent = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        while True:
            raw = await asyncio.wait_for(self._ws.recv(), timeout=RUN_TIMEOUT_S)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                self._collect(forward.delta.new_element, result, sent)
            elif kind == "navigation" and forward.navigation.page_script_hash:
                self.page_hash = forward.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = forward.page_info_changed.query_string
            elif kind == "script_finished":
                self.widgets = {k: v for k, v in self.widgets.items() if not v.HasField("trigger_value")}
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the app called st.rerun(): the run that counts follows
                result.status = forward.script_finished
                result.finished_s = time.perf_counter() - sent
                return result

    @staticmethod
    def _collect(element, result: RunResult, sent: float) -> None:
        kind = element.WhichOneof("type")
        if kind == "slider":
            s = element.slider
            index = int((list(s.value) if s.set_value else list(s.default) or [0])[0])
            result.sliders[s.label] = (s.id, list(s.options), index)
        elif kind == "html" and element.html.body.startswith(CARDS_OPENING):  # the headline cards (explorer.cardgrid)
            result.metrics.update({card.label: card.value for group in card_groups(element.html.body)
                                   for card in group})
            if REOFFENCES in result.metrics and result.headline_s is None:
                result.headline_s = time.perf_counter() - sent
        elif kind == "code":
            result.codes.append(element.code.code_text)
        elif kind == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "alert" and element.alert.format == element.alert.ERROR:
            result.errors.append(element.alert.body)
        elif kind == "alert" and element.alert.format == element.alert.SUCCESS:
            result.successes.append(element.alert.body)
        elif kind == "text_input":
            result.inputs[element.text_input.label] = element.text_input.id
        elif kind == "button":
            result.buttons[element.button.label] = element.button.id
        elif kind == "markdown":
            result.markdown.append(element.markdown.body)


@dataclass
class WorkshopReport:
    """Everything the load run measured."""

    sessions: int
    duration_s: float
    interactions: int = 0
    headline_s: list[float] = field(default_factory=list)
    finished_s: list[float] = field(default_factory=list)
    open_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    figures: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    runs: int = 0  # every script run checked (opening, signature moves, timed changes, reconnections)
    reconnect: bool = False  # a dropped websocket is reopened (failover) instead of counted as an error
    killed_at: float | None = None  # perf_counter() when a replica was killed (bench/failover.py)
    disconnects: int = 0
    recoveries: list[float] = field(default_factory=list)  # kill (or drop) -> the view shown again, seconds

    def inconsistent(self) -> dict[tuple[str, str], set[str]]:
        """Scenarios that showed more than one Reoffences figure across sessions."""
        return {k: v for k, v in self.figures.items() if len(v) > 1}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between ranks; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def origin_digits(key: str) -> str:
    sc = load_builtin(key)
    return "".join(str(STAGE_KEYS.index(sc.stage_of(f))) for f in FUNCTION_KEYS)


def _shown_digits(result: RunResult) -> str | None:
    try:
        return "".join(str(result.sliders[FUNCTION[f].label][2]) for f in FUNCTION_KEYS)
    except KeyError:
        return None


def _link_params(result: RunResult) -> dict[str, str] | None:
    link = next((c for c in result.codes if "?s=" in c), None)
    if link is None:
        return None
    return {k: v[-1] for k, v in parse_qs(urlsplit(link).query).items()}


class Participant:
    """One person at the workshop: opens a share link, sets a signature, then moves placements at a human pace."""

    def __init__(self, index: int, base_url: str, origin: str, report: WorkshopReport, rng: random.Random) -> None:
        self.index, self.origin, self.report, self.rng = index, origin, report, rng
        # A browser of its own: nginx gives it a cookie naming its replica on its first request.
        self.session = Session(base_url, f"s={origin}")
        self.origin_digits = origin_digits(origin)
        self.expected = list(self.origin_digits)

    def _check(self, result: RunResult, what: str, moved: tuple[int, str] | None = None) -> None:
        """Check one run. `moved` is (position, digit before) of the control just moved: the server draws that
        slider with the scenario as it was before this run's edit (the browser shows the value the user set)."""
        me = f"session {self.index} ({self.origin}), {what}"
        report = self.report
        report.runs += 1
        if result.status != ForwardMsg.FINISHED_SUCCESSFULLY:
            report.errors.append(f"{me}: script finished with status {result.status}")
        for problem in result.exceptions + result.errors:
            report.errors.append(f"{me}: {problem[:200]}")
        if result.headline_s is None:
            report.errors.append(f"{me}: no {REOFFENCES} headline drawn")
        expected = "".join(self.expected)
        shown = _shown_digits(result)
        if shown is not None and moved is not None and shown[moved[0]] == moved[1]:
            shown = shown[:moved[0]] + expected[moved[0]] + shown[moved[0] + 1:]
        if shown != expected:
            report.leaks.append(f"{me}: stage controls show {shown}, expected {expected}")
        params = _link_params(result)
        if params is None:
            report.errors.append(f"{me}: no share link drawn")
        else:
            link_digits = params.get("p", self.origin_digits)
            if params.get("s") != self.origin or link_digits != expected:
                report.leaks.append(f"{me}: share link s={params.get('s')} p={link_digits}, expected "
                                    f"s={self.origin} p={expected}")
        if REOFFENCES in result.metrics and shown == expected:
            report.figures.setdefault((self.origin, expected), set()).add(result.metrics[REOFFENCES])

    async def _move(self, function: str, stage_index: int, result: RunResult, timed: bool) -> RunResult:
        label = FUNCTION[function].label
        widget_id, options, _ = result.sliders[label]
        self.session.set_select_slider(widget_id, options[stage_index])
        position = FUNCTION_KEYS.index(function)
        before = self.expected[position]
        self.expected[position] = str(stage_index)
        try:
            new = await self.session.rerun()
        except DROPPED as exc:
            if isinstance(exc, TimeoutError) or not self.report.reconnect:
                raise
            return await self._recover()
        self._check(new, f"after {function} -> {STAGE_KEYS[stage_index]}", (position, before))
        if timed:
            self.report.interactions += 1
            if new.headline_s is not None:
                self.report.headline_s.append(new.headline_s)
            if new.finished_s is not None:
                self.report.finished_s.append(new.finished_s)
        return new

    async def _think(self, seconds: float) -> bool:
        """Pause like a person; True if the websocket dropped meanwhile (a browser notices that at once)."""
        ws = self.session._ws
        if ws is None or not self.report.reconnect:
            await asyncio.sleep(seconds)
            return False
        try:
            await asyncio.wait_for(ws.wait_closed(), timeout=seconds)
        except TimeoutError:
            return False
        return True

    async def _recover(self) -> RunResult:
        """Reopen the session the way the frontend does after its replica died; the view must come from the URL."""
        dropped = time.perf_counter()
        self.report.disconnects += 1
        since = self.report.killed_at if self.report.killed_at is not None else dropped
        # The address bar holds the last link the server sent; an edit in flight when the server died is lost.
        link = {k: v[-1] for k, v in parse_qs(self.session.query_string).items()}
        self.expected = list(link.get("p", self.origin_digits))
        delay = 0.1
        while True:
            try:
                await self.session.reconnect()
                result = await self.session.rerun()
                break
            except DROPPED as exc:
                if isinstance(exc, TimeoutError) or time.perf_counter() - dropped > RECOVERY_GIVE_UP_S:
                    raise
                await asyncio.sleep(delay)  # back off as the frontend does
                delay = min(2 * delay, 2.0)
        self.report.recoveries.append(time.perf_counter() - since)
        self._check(result, "after reconnecting")
        return result

    async def run(self, deadline: float, think: tuple[float, float], arrive_after: float = 0.0) -> None:
        try:
            await asyncio.sleep(arrive_after)
            started = time.perf_counter()
            try:
                await self.session.open()
                result = await self.session.rerun()
            except DROPPED as exc:
                if isinstance(exc, TimeoutError) or not self.report.reconnect:
                    raise
                result = await self._recover()
            else:
                self.report.open_s.append(time.perf_counter() - started)
                self._check(result, "on opening the link")
            # The signature: the two last functions at a stage pair no other session uses.
            for function, stage in zip(SIGNATURE, divmod(self.index % 36, 6), strict=True):
                if result.sliders and int(self.expected[FUNCTION_KEYS.index(function)]) != stage:
                    result = await self._move(function, stage, result, timed=False)
            while time.perf_counter() < deadline:
                if await self._think(self.rng.uniform(*think)):
                    result = await self._recover()
                if time.perf_counter() >= deadline or not result.sliders:
                    break
                function = self.rng.choice(WALKED)
                current = int(self.expected[FUNCTION_KEYS.index(function)])
                step = self.rng.choice((-1, 1)) if 0 < current < len(STAGE_KEYS) - 1 else (1 if current == 0 else -1)
                result = await self._move(function, current + step, result, timed=True)
        except Exception as exc:  # a dropped socket or a timeout is a workshop error, not a crash of the bench
            self.report.errors.append(f"session {self.index} ({self.origin}): {type(exc).__name__}: {exc}")
        finally:
            await self.session.close()


async def workshop(base_url: str, sessions: int = 30, duration_s: float = 60.0, think: tuple[float, float] = (2.0, 4.0),
                   seed: int = 1, on_tick: Callable[[WorkshopReport], None] | None = None,
                   ramp_s: float = 5.0, reconnect: bool = False) -> WorkshopReport:
    """Run `sessions` participants for `duration_s` seconds; they arrive at random within the first `ramp_s`.

    `on_tick(report)` is called every 0.25 s with the report so far (e.g. to sample the server's memory).
    With `reconnect`, a participant whose websocket drops opens a new one from its URL, as a browser does.
    """
    report = WorkshopReport(sessions, duration_s, reconnect=reconnect)
    origins = sorted(builtin_scenarios())
    rng = random.Random(seed)
    deadline = time.perf_counter() + duration_s
    people = [Participant(i, base_url, origins[i % len(origins)], report, random.Random(rng.random()))
              for i in range(sessions)]
    tasks = [asyncio.create_task(p.run(deadline, think, rng.uniform(0, ramp_s))) for p in people]
    while not all(t.done() for t in tasks):
        if on_tick is not None:
            on_tick(report)
        await asyncio.wait(tasks, timeout=0.25)
    return report


def summary_lines(report: WorkshopReport) -> list[str]:
    """A short human-readable summary."""
    ms = 1000
    lines = [
        f"sessions {report.sessions}, {report.duration_s:.0f} s, {report.interactions} placement changes "
        f"({report.interactions / max(report.duration_s, 1e-9):.1f} a second)",
        f"open link -> first run finished: median {statistics.median(report.open_s) * ms:.0f} ms, "
        f"max {max(report.open_s) * ms:.0f} ms" if report.open_s else "no session opened",
        f"change -> Reoffences received: median {percentile(report.headline_s, 50) * ms:.0f} ms, "
        f"p95 {percentile(report.headline_s, 95) * ms:.0f} ms, max {max(report.headline_s, default=0) * ms:.0f} ms",
        f"change -> run finished: median {percentile(report.finished_s, 50) * ms:.0f} ms, "
        f"p95 {percentile(report.finished_s, 95) * ms:.0f} ms, max {max(report.finished_s, default=0) * ms:.0f} ms",
        f"errors {len(report.errors)}, isolation failures {len(report.leaks)}, "
        f"distinct scenarios checked {len(report.figures)}, "
        f"with differing Reoffences figures {len(report.inconsistent())}",
    ]
    lines += [f"  error: {e}" for e in report.errors[:10]]
    lines += [f"  isolation: {e}" for e in report.leaks[:10]]
    lines += [f"  inconsistent: {k} -> {sorted(v)}" for k, v in list(report.inconsistent().items())[:10]]
    return lines


# --- Through nginx: the same workshop against 1, 2, ... replicas in one run (deploy/serve.py) -------------------



def replicas_markers(think: tuple[float, float]) -> tuple[str, str]:
    """Section markers in bench/RESULTS.md: one section per pace, so a workshop pace and a calmer one coexist."""
    tag = f"bench/ws_load.py replicas, think {think[0]:g}-{think[1]:g} s"
    return f"<!-- {tag}: start -->", f"<!-- {tag}: end -->"
TARGET_P95_S = 1.0  # issue 16: 30 sessions through nginx with 2 replicas on the 2-core machine


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (from /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def established(port: int) -> int:
    """Open TCP connections accepted on this local port (nginx's connections to a replica)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as handle:
            for line in handle.readlines()[1:]:
                parts = line.split()
                if parts[3] == "01" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                    count += 1
    return count


def machine_line() -> str:
    import platform

    import streamlit

    return (f"Machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}, "
            f"Streamlit {streamlit.__version__}, nginx {_nginx_version()}")


def _nginx_version() -> str:
    import subprocess

    from deploy.serve import NGINX

    out = subprocess.run([NGINX, "-v"], capture_output=True, text=True).stderr.strip()
    return out.split("/")[-1] if "/" in out else out


def store_env(workdir: Path) -> dict[str, str]:
    """A scenario store of the run's own (YAML folder before the store existed, SQLite database after)."""
    return {"CJ_SCENARIO_DIR": str(workdir / "scenarios"), "CJ_DATABASE_URL": f"sqlite:///{workdir / 'store.sqlite'}"}


@dataclass
class ReplicaRun:
    """One workshop through nginx in front of `replicas` processes."""

    replicas: int
    report: WorkshopReport
    cpu: list[float]  # cores used by each replica on average over the workshop
    nginx_cpu: float
    generator_cpu: float  # cores used by this load generator (protobuf, websockets)
    peak_connections: list[int]  # most nginx -> replica connections seen at once, per replica
    load_before: float
    load_after: float
    wall_s: float

    @property
    def cpu_per_run_s(self) -> float:
        """Replica CPU seconds per script run: what one change costs the servers, whatever the contention."""
        return sum(self.cpu) * self.wall_s / max(self.report.runs, 1)


def run_through_nginx(replicas: int, sessions: int, duration_s: float, think: tuple[float, float], ramp_s: float,
                      seed: int = 1) -> ReplicaRun:
    """Start `replicas` replicas behind nginx (fresh, with their own store), run the workshop through nginx."""
    from deploy.serve import ReplicaSet, free_port

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cj-bench-replicas-") as tmp, \
            ReplicaSet(replicas, port=free_port(), run_dir=Path(tmp) / "run", env=store_env(Path(tmp))) as rs:
        asyncio.run(warm_up([r.url for r in rs.members]))
        pids = [r.process.pid for r in rs.members]
        peak = [0] * replicas

        def on_tick(_: WorkshopReport) -> None:
            for i, r in enumerate(rs.members):
                peak[i] = max(peak[i], established(r.port))

        cpu0 = [cpu_seconds(pid) for pid in pids]
        nginx0 = cpu_seconds(rs.nginx.pid) + sum(cpu_seconds(c) for c in _children(rs.nginx.pid))
        self0 = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        report = asyncio.run(workshop(rs.url, sessions, duration_s, think, seed=seed, on_tick=on_tick, ramp_s=ramp_s))
        wall = time.perf_counter() - started
        self1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = [(cpu_seconds(pid) - c0) / wall for pid, c0 in zip(pids, cpu0, strict=True)]
        nginx1 = cpu_seconds(rs.nginx.pid) + sum(cpu_seconds(c) for c in _children(rs.nginx.pid))
    generator = (self1.ru_utime + self1.ru_stime - self0.ru_utime - self0.ru_stime) / wall
    return ReplicaRun(replicas, report, cpu, (nginx1 - nginx0) / wall, generator, peak, load_before,
                      os.getloadavg()[0], wall)


async def warm_up(urls: list[str]) -> None:
    """Open the app once on each replica directly, as the facilitator does before the room arrives.

    A fresh process's first run imports the charting and table libraries; that belongs to start-up, not to the
    room's first change.
    """
    for url in urls:
        session = Session(url, "s=greater-manchester")
        await session.open()
        result = await session.rerun()
        await session.close()
        if result.status != ForwardMsg.FINISHED_SUCCESSFULLY:
            raise RuntimeError(f"warm-up run on {url} finished with status {result.status}")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def replicas_section(runs: list[ReplicaRun], sessions: int, duration_s: float, think: tuple[float, float]) -> str:
    """The RESULTS.md section for a side-by-side run."""
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    ms = 1000
    start, end = replicas_markers(think)
    lines = [
        start,
        f"## Through nginx: 1 and 2 replicas side by side, a change every {think[0]:g}–{think[1]:g} s "
        "(bench/ws_load.py --replicas)",
        "",
        f"{now} · commit {commit} · {machine_line()}",
        "",
        f"{sessions} websocket sessions (bench/ws_load.py, Streamlit's own protocol) for {duration_s:.0f} s each, "
        f"a pause of {think[0]:g}–{think[1]:g} s between changes, every session with the `cjroute` cookie nginx "
        "gave it, all through nginx (deploy/serve.py: the config `make serve` runs). Each replica count gets a "
        "fresh set, each replica opened once directly before the room arrives (warm-up, not timed). "
        f"Target (issue 16): with 2 replicas, p95 ≤ {TARGET_P95_S:.1f} s, no errors, no leaks.",
        "",
        "| replicas | changes | change → run finished, median | p95 | max | open link, median | errors | "
        "isolation failures | replica CPU (cores each) | CPU per script run | nginx CPU | load generator CPU | "
        "connections per replica (peak) | load avg before → after |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for run in runs:
        r = run.report
        lines.append(
            f"| {run.replicas} | {r.interactions} | {percentile(r.finished_s, 50) * ms:.0f} ms | "
            f"{percentile(r.finished_s, 95) * ms:.0f} ms | {max(r.finished_s, default=0) * ms:.0f} ms | "
            f"{statistics.median(r.open_s) * ms if r.open_s else float('nan'):.0f} ms | {len(r.errors)} | "
            f"{len(r.leaks) + len(r.inconsistent())} | {' + '.join(f'{c:.2f}' for c in run.cpu)} | "
            f"{run.cpu_per_run_s * ms:.0f} ms | "
            f"{run.nginx_cpu:.2f} | {run.generator_cpu:.2f} | {' / '.join(map(str, run.peak_connections))} | "
            f"{run.load_before:.2f} → {run.load_after:.2f} |")
    two = next((run for run in runs if run.replicas == 2), None)
    if two is not None:
        p95 = percentile(two.report.finished_s, 95)
        ok = p95 <= TARGET_P95_S and not two.report.errors and not two.report.leaks and not two.report.inconsistent()
        lines += ["", f"Target with 2 replicas: p95 {p95 * ms:.0f} ms, errors {len(two.report.errors)}, isolation "
                      f"failures {len(two.report.leaks) + len(two.report.inconsistent())}: "
                      f"**{'met' if ok else 'missed'}**."]
    for run in runs:
        details = summary_lines(run.report)[5:]
        lines += [f"- {run.replicas} replica(s): {line.strip()}" for line in details[:3]]
        if len(details) > 3:
            lines.append(f"- {run.replicas} replica(s): … {len(details) - 3} more lines like these")
    lines.append(end)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="base URL of a running explorer, e.g. http://127.0.0.1:8501")
    parser.add_argument("--replicas", type=int, nargs="+", metavar="N",
                        help="start N replicas behind nginx for each N given (e.g. 1 2), run the workshop through "
                             "nginx against each, side by side")
    parser.add_argument("--write", action="store_true", help="with --replicas: record the table in bench/RESULTS.md")
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 4.0), metavar=("MIN", "MAX"),
                        help="seconds each participant waits between changes (uniform)")
    parser.add_argument("--ramp", type=float, default=5.0, help="participants arrive within this many seconds")
    args = parser.parse_args(argv)
    if args.replicas:
        runs = []
        for n in args.replicas:
            print(f"== {n} replica(s) behind nginx", flush=True)
            run = run_through_nginx(n, args.sessions, args.duration, tuple(args.think), args.ramp)
            print("\n".join(summary_lines(run.report)), flush=True)
            print(f"replica CPU {[round(c, 2) for c in run.cpu]} cores ({run.cpu_per_run_s:.2f} s a run over "
                  f"{run.report.runs} runs), nginx {run.nginx_cpu:.2f}, "
                  f"load generator {run.generator_cpu:.2f}, peak connections {run.peak_connections}", flush=True)
            runs.append(run)
        section = replicas_section(runs, args.sessions, args.duration, tuple(args.think))
        print(section)
        if args.write:
            write_section(section + "\n", *replicas_markers(tuple(args.think)))
        return 1 if any(r.report.errors or r.report.leaks or r.report.inconsistent() for r in runs) else 0
    if not args.url:
        print("bench/ws_load.py is the load generator used by bench/browser.py (which starts its own server).\n"
              "To load a server that is already running: --url http://127.0.0.1:8501 [--sessions 30 --duration 60]\n"
              "Through nginx with 1 and 2 replicas side by side: --replicas 1 2 [--write]")
        return 0
    report = asyncio.run(workshop(args.url, args.sessions, args.duration, tuple(args.think), ramp_s=args.ramp))
    print("\n".join(summary_lines(report)))
    return 1 if report.errors or report.leaks or report.inconsistent() else 0


if __name__ == "__main__":
    raise SystemExit(main())
