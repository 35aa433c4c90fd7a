"""A workshop at once: many explorer sessions driven over Streamlit's own websocket, without a browser each.

Each client speaks the protocol the browser speaks (protobuf `BackMsg` up, `ForwardMsg` down on
`/_stcore/stream`): it opens the app from a share link, moves stage controls by sending new widget values, and
reads back what the server drew — the stage sliders, the headline cards and the share link. So the server does
exactly the work it does for a browser, while 30 sessions cost the load generator almost nothing (30 Chromium
pages would need the 2 cores the server is being measured on).

Used by `bench/browser.py` (which starts a fresh server and also measures memory). Standalone, against a
server that is already running, e.g. the one a workshop room will use:

    .venv/bin/python bench/ws_load.py --url http://127.0.0.1:8501 --sessions 30 --duration 60

Isolation is checked on every run: a session must only ever see its own scenario — the stage controls, the
share link (`s=` and `p=`) and, across all sessions, one Reoffences figure per distinct scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402  (a dependency of streamlit itself)
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates  # noqa: E402

from cjcore.scenario_io import builtin_scenarios, load_builtin  # noqa: E402
from cjcore.vocab import FUNCTION, FUNCTION_KEYS, STAGE_KEYS  # noqa: E402

REOFFENCES = "Reoffences"
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
    headline_s: float | None = None  # request sent -> Reoffences card received
    finished_s: float | None = None  # request sent -> script finished
    status: int | None = None


class Session:
    """One browser tab's worth of Streamlit session, over a websocket."""

    def __init__(self, base_url: str, query_string: str = "") -> None:
        parts = urlsplit(base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws_url = f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
        self.query_string = query_string
        self.page_hash = ""
        self.widgets: dict[str, WidgetState] = {}
        self._ws: websockets.ClientConnection | None = None

    async def open(self) -> None:
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=RUN_TIMEOUT_S)

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
        elif kind == "metric":
            result.metrics[element.metric.label] = element.metric.body
            if element.metric.label == REOFFENCES and result.headline_s is None:
                result.headline_s = time.perf_counter() - sent
        elif kind == "code":
            result.codes.append(element.code.code_text)
        elif kind == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "alert" and element.alert.format == element.alert.ERROR:
            result.errors.append(element.alert.body)


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
        self.session = Session(base_url, f"s={origin}")
        self.origin_digits = origin_digits(origin)
        self.expected = list(self.origin_digits)

    def _check(self, result: RunResult, what: str, moved: tuple[int, str] | None = None) -> None:
        """Check one run. `moved` is (position, digit before) of the control just moved: the server draws that
        slider with the scenario as it was before this run's edit (the browser shows the value the user set)."""
        me = f"session {self.index} ({self.origin}), {what}"
        report = self.report
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
        new = await self.session.rerun()
        self._check(new, f"after {function} -> {STAGE_KEYS[stage_index]}", (position, before))
        if timed:
            self.report.interactions += 1
            if new.headline_s is not None:
                self.report.headline_s.append(new.headline_s)
            if new.finished_s is not None:
                self.report.finished_s.append(new.finished_s)
        return new

    async def run(self, deadline: float, think: tuple[float, float], arrive_after: float = 0.0) -> None:
        try:
            await asyncio.sleep(arrive_after)
            started = time.perf_counter()
            await self.session.open()
            result = await self.session.rerun()
            self.report.open_s.append(time.perf_counter() - started)
            self._check(result, "on opening the link")
            # The signature: the two last functions at a stage pair no other session uses.
            for function, stage in zip(SIGNATURE, divmod(self.index % 36, 6), strict=True):
                if result.sliders and int(self.expected[FUNCTION_KEYS.index(function)]) != stage:
                    result = await self._move(function, stage, result, timed=False)
            while time.perf_counter() < deadline:
                await asyncio.sleep(self.rng.uniform(*think))
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
                   ramp_s: float = 5.0) -> WorkshopReport:
    """Run `sessions` participants for `duration_s` seconds; they arrive at random within the first `ramp_s`.

    `on_tick(report)` is called every 0.25 s with the report so far (e.g. to sample the server's memory).
    """
    report = WorkshopReport(sessions, duration_s)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="base URL of a running explorer, e.g. http://127.0.0.1:8501")
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 4.0), metavar=("MIN", "MAX"),
                        help="seconds each participant waits between changes (uniform)")
    parser.add_argument("--ramp", type=float, default=5.0, help="participants arrive within this many seconds")
    args = parser.parse_args(argv)
    if not args.url:
        print("bench/ws_load.py is the load generator used by bench/browser.py (which starts its own server).\n"
              "To load a server that is already running: --url http://127.0.0.1:8501 [--sessions 30 --duration 60]")
        return 0
    report = asyncio.run(workshop(args.url, args.sessions, args.duration, tuple(args.think), ramp_s=args.ramp))
    print("\n".join(summary_lines(report)))
    return 1 if report.errors or report.leaks or report.inconsistent() else 0


if __name__ == "__main__":
    raise SystemExit(main())
