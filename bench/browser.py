"""Browser benchmarks: interaction latency, cold start and a whole workshop at once, recorded in bench/RESULTS.md.

    .venv/bin/python bench/browser.py                          # everything (~3 minutes), updates bench/RESULTS.md
    .venv/bin/python bench/browser.py --duration 15 --no-write # a quick look
    .venv/bin/python bench/browser.py --only latency           # one part: latency, cold or workshop
    .venv/bin/python bench/browser.py --only views             # the slow moments of issue 15 (appended)

(a) Interaction latency. Debian's Chromium on the Spectrum view at 1366×768. A MutationObserver installed in
    the page records `performance.now()` when the Reoffences headline's text changes and when the spectrum
    chart's SVG changes; the key press is timed by the keydown event's own timestamp. One interaction is key
    press -> both changed -> the next animation frame after that (the frame that shows them). Every press makes
    a scenario the server has not seen (no cache hits), and each is chosen so that the Reoffences figure
    really changes (checked with the engine beforehand).
(b) Cold start. `streamlit run` launched -> first chart painted in an already-open browser (a new context),
    on a fresh server each time; the worst of the runs is judged.
(c) A workshop at once. `--sessions` people (default 30) on one fresh server for `--duration` seconds (default
    60), arriving within the first 5 s, each moving placements with a pause of `--think` seconds between
    changes (default 2 to 4, uniform: about 20 changes a minute each, a busy room). All but `--browsers` of them
    (default 2) are Streamlit websocket clients (bench/ws_load.py): 30 Chromium pages would spend the 2 cores
    on rendering, which in a real room happens on 30 laptops, and the server would be measured starved. The
    real browsers in the room measure what a person sees under that load. Server memory is the streamlit
    process's VmRSS / VmHWM from /proc. Isolation: every session starts from a different built-in scenario
    and sets a stage signature no other session uses; every run must show its own stages and share link, and
    one scenario must show one Reoffences figure in every session that reaches it.
(d) Slow moments (only with --only views; appended to bench/RESULTS.md so before and after stay side by side):
    opening Projections, opening Compare, adding a scenario there, opening the spectrum sweep and sweeping
    another function, each timed from the click to every visible chart painted and the app idle (Playwright
    polls on animation frames, so a figure includes up to a frame of polling), on a scenario not computed before.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from bench.results import write_section  # noqa: E402
from bench.ws_load import WorkshopReport, origin_digits, percentile, summary_lines, workshop  # noqa: E402
from cjcore.engine import project  # noqa: E402
from cjcore.report import headline_levels  # noqa: E402
from cjcore.scenario_io import builtin_scenarios, load_builtin  # noqa: E402
from cjcore.vocab import FUNCTION, FUNCTION_KEYS, STAGE, STAGE_KEYS  # noqa: E402
from explorer import format as fmt  # noqa: E402
from explorer.runs import DRAWS, SEED  # noqa: E402
from explorer.theme import TABLE_CLASS  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, CHROMIUM_PATHS  # noqa: E402
from tests.e2e.helpers import APP_IDLE, CHART, METRIC, METRIC_LABEL, METRIC_VALUE, REOFFENCES, stage_slider  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
OUT = ROOT / "bench" / "out"  # server logs (gitignored)
START, END = "<!-- browser:start -->", "<!-- browser:end -->"
LAPTOP = {"width": 1366, "height": 768}
TIMEOUT_MS = 30_000
ORIGIN = "greater-manchester"

TARGETS = {"median": 0.400, "p95": 0.800, "cold": 6.0, "workshop_p95": 2.5, "rss_mb": 1536.0}

# Records, in page time, when a key went down and when the headline and the chart first changed after it.
OBSERVER_JS = """([metricSel, labelSel, valueSel, chartSel, label]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const headline = () => {
    for (const card of document.querySelectorAll(metricSel)) {
      const l = card.querySelector(labelSel);
      if (l && l.textContent.trim() === label) {
        const v = card.querySelector(valueSel);
        return v ? v.textContent : null;
      }
    }
    return null;
  };
  const chart = () => { const c = document.querySelector(chartSel + ' svg.marks'); return c ? c.innerHTML : null; };
  const b = window.__cjBench = {armed: false};
  window.__cjArm = () => {
    Object.assign(b, {armed: true, key: 0, running: 0, headline: 0, chart: 0, painted: 0,
                      h0: headline(), c0: chart()});
  };
  document.addEventListener('keydown', e => { if (b.armed && !b.key) b.key = e.timeStamp; }, true);
  new MutationObserver(() => {
    if (!b.armed || !b.key) return;
    const now = performance.now();
    if (!b.running && app.getAttribute('data-test-script-state') === 'running') b.running = now;
    if (!b.headline) { const h = headline(); if (h !== null && h !== b.h0) b.headline = now; }
    if (!b.chart) { const c = chart(); if (c !== null && c !== b.c0) b.chart = now; }
    if (b.headline && b.chart && !b.painted) {
      b.painted = -1;
      requestAnimationFrame(() => setTimeout(() => { b.painted = performance.now(); }, 0));
    }
  }).observe(app, {subtree: true, childList: true, characterData: true, attributes: true});
}"""
DONE_JS = "() => window.__cjBench && window.__cjBench.painted > 0"
FIRST_CHART_JS = """(selector) => [...document.querySelectorAll(selector)].some(chart => {
  const svg = chart.querySelector('svg.marks');
  return svg && svg.getBoundingClientRect().width > 0
    && [...svg.querySelectorAll('g.role-mark')].some(g => g.childElementCount > 0);
})"""


# --- The server -------------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _option_args(option: str) -> list[str]:
    """`runner.postScriptGC=false` -> ["--runner.postScriptGC", "false"]."""
    key, sep, value = option.partition("=")
    if not sep:
        raise SystemExit(f"--streamlit-option expects KEY=VALUE, got {option!r}")
    return [f"--{key.removeprefix('--')}", value]


class Server:
    """`streamlit run app.py` (or another script) on a free port with an empty user-scenario folder, logging to
    bench/out/."""

    def __init__(self, name: str, options: list[str] | None = None, script: Path = ROOT / "app.py",
                 env: dict[str, str] | None = None) -> None:
        self.options = [arg for option in options or [] for arg in _option_args(option)]
        self.script, self.env = script, env or {}
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        OUT.mkdir(parents=True, exist_ok=True)
        self.log_path = OUT / f"streamlit-{name}.log"
        self._scenarios = tempfile.TemporaryDirectory(prefix="cj-bench-")
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        """Launch the server; returns the launch time (perf_counter)."""
        cmd = [sys.executable, "-m", "streamlit", "run", str(self.script), "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(self.port), "--server.fileWatcherType", "none",
               *self.options]
        env = {**os.environ, "CJ_SCENARIO_DIR": self._scenarios.name, "PYTHONUNBUFFERED": "1", **self.env}
        started = time.perf_counter()
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        return started

    def wait_healthy(self, timeout_s: float = 30.0) -> float:
        """Poll /_stcore/health; returns the time (perf_counter) it first answered ok."""
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read().decode().strip() == "ok":
                        return time.perf_counter()
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.02)  # poll interval of the health check
        raise RuntimeError(f"streamlit not healthy after {timeout_s:.0f} s; see {self.log_path}")

    def memory_mb(self) -> tuple[float, float]:
        """(VmRSS, VmHWM) of the server process, in MB."""
        values = {"VmRSS": 0.0, "VmHWM": 0.0}
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                key, _, rest = line.partition(":")
                if key in values:
                    values[key] = int(rest.split()[0]) / 1024
        except (OSError, AttributeError):
            pass
        return values["VmRSS"], values["VmHWM"]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, AttributeError, IndexError, ValueError):
            return float("nan")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: the group is exactly this server
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._scenarios.cleanup()


def launch_browser(playwright) -> Browser:
    executable = next((p for p in CHROMIUM_PATHS if os.access(p, os.X_OK)), None)
    if executable is None:
        raise SystemExit("Chromium not found at " + " or ".join(CHROMIUM_PATHS) + " (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def local_only(page: Page) -> None:
    page.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname in
               ("127.0.0.1", "localhost") else route.abort())


# --- (a) interaction latency --------------------------------------------------------------------------------------
def _reoffences_text(origin: str, digits: list[int]) -> str:
    sc = load_builtin(origin)
    placements = {f: STAGE_KEYS[d] for f, d in zip(FUNCTION_KEYS, digits, strict=True) if d}
    # The cards show the expected value over the app's own uncertainty draws (explorer.runs), not the central run.
    run = project(sc.with_changes(placements=placements), draws=DRAWS, seed=SEED)
    return fmt.number(headline_levels(run).loc["reoffences", "scenario"])


def plan_presses(origin: str, count: int, start: int = 0) -> list[tuple]:
    """Key presses, each to a scenario not seen before in this walk, each changing the Reoffences figure.

    Returns (function, key, digits after, expected Reoffences text) tuples. Moves go up the spectrum while they
    can (every state new), then down; a move that would leave the figure unchanged is skipped.
    """
    digits = [int(c) for c in origin_digits(origin)]
    shown = _reoffences_text(origin, digits)
    seen = {tuple(digits)}
    plan: list[tuple] = []
    order = list(FUNCTION_KEYS)
    cursor = start
    while len(plan) < count:
        for attempt in range(2 * len(order)):
            function = order[(cursor + attempt) % len(order)]
            i = FUNCTION_KEYS.index(function)
            step = 1 if attempt < len(order) else -1
            if not 0 <= digits[i] + step < len(STAGE_KEYS):
                continue
            trial = digits.copy()
            trial[i] += step
            if tuple(trial) in seen and attempt < len(order):
                continue
            text = _reoffences_text(origin, trial)
            if text == shown:
                continue
            digits, shown = trial, text
            seen.add(tuple(trial))
            plan.append((function, "ArrowRight" if step > 0 else "ArrowLeft", "".join(map(str, trial)), text))
            cursor = (cursor + attempt + 1) % len(order)
            break
        else:
            raise RuntimeError("no move changes the Reoffences figure")
    return plan


@dataclass
class Press:
    """One timed key press, in seconds from the keydown event."""

    function: str
    to_running: float
    to_headline: float
    to_chart: float
    to_painted: float
    shown: str
    expected: str


def press_and_time(page: Page, function: str, key: str) -> Press | None:
    """Press a key on a stage control; wait until headline and chart changed and painted, then idle."""
    page.evaluate("window.__cjArm()")
    thumb = stage_slider(page, FUNCTION[function].label)
    thumb.focus()
    thumb.press(key)
    page.wait_for_function(DONE_JS, timeout=TIMEOUT_MS, polling="raf")
    page.locator(APP_IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
    b = page.evaluate("window.__cjBench")
    if not b["key"]:
        return None

    def since(name: str) -> float:
        return (b[name] - b["key"]) / 1000 if b[name] > 0 else float("nan")

    return Press(function, since("running"), since("headline"), since("chart"), since("painted"), "", "")


def open_spectrum(page: Page, base_url: str, query: str) -> None:
    page.goto(f"{base_url}/?{query}", timeout=TIMEOUT_MS)
    page.locator(APP_IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
    page.wait_for_function(FIRST_CHART_JS, arg=CHART, timeout=TIMEOUT_MS)
    page.evaluate(OBSERVER_JS, [METRIC, METRIC_LABEL, METRIC_VALUE, CHART, REOFFENCES])


def headline_text(page: Page) -> str:
    card = page.locator(METRIC).filter(has=page.locator(METRIC_LABEL, has_text=re.compile(rf"^\s*{REOFFENCES}\s*$")))
    return card.locator(METRIC_VALUE).inner_text().strip()


def bench_latency(browser: Browser, count: int, options: list[str]) -> dict:
    server = Server("latency", options)
    server.start()
    server.wait_healthy()
    try:
        context = browser.new_context(viewport=LAPTOP)
        page = context.new_page()
        local_only(page)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        open_spectrum(page, server.url, f"s={ORIGIN}")
        presses: list[Press] = []
        mismatches: list[str] = []
        for function, key, _digits, expected in plan_presses(ORIGIN, count):
            press = press_and_time(page, function, key)
            if press is None:
                errors.append(f"no keydown seen for {function}")
                continue
            press.shown, press.expected = headline_text(page), expected
            if press.shown != expected:
                mismatches.append(f"{function}: shown {press.shown}, engine {expected}")
            presses.append(press)
            print(f"  {function:<24} {key:<10} key->headline {press.to_headline * 1000:5.0f} ms  "
                  f"chart {press.to_chart * 1000:5.0f} ms  painted {press.to_painted * 1000:5.0f} ms", flush=True)
        context.close()
        painted = [p.to_painted for p in presses]
        return {
            "n": len(presses), "median": percentile(painted, 50), "p95": percentile(painted, 95), "max": max(painted),
            "running_median": percentile([p.to_running for p in presses], 50),
            "headline_median": percentile([p.to_headline for p in presses], 50),
            "errors": errors, "mismatches": mismatches,
        }
    finally:
        server.stop()


# --- (b) cold start -----------------------------------------------------------------------------------------------
def bench_cold(browser: Browser, runs: int, options: list[str]) -> dict:
    healthy, painted = [], []
    for i in range(runs):
        server = Server(f"cold-{i + 1}", options)
        context = browser.new_context(viewport=LAPTOP)
        page = context.new_page()
        local_only(page)
        try:
            started = server.start()
            healthy.append(server.wait_healthy() - started)
            page.goto(f"{server.url}/", timeout=TIMEOUT_MS)
            page.wait_for_function(FIRST_CHART_JS, arg=CHART, timeout=TIMEOUT_MS, polling="raf")
            painted.append(time.perf_counter() - started)
            print(f"  run {i + 1}: server healthy {healthy[-1]:.2f} s, first chart painted {painted[-1]:.2f} s",
                  flush=True)
        finally:
            context.close()
            server.stop()
    return {"runs": runs, "healthy": healthy, "painted": painted, "worst": max(painted),
            "median": statistics.median(painted)}


# --- (c) a workshop at once ---------------------------------------------------------------------------------------
@dataclass
class Person:
    """A real browser in the room: its own built-in scenario, a unique signature, moves at a human pace."""

    index: int
    origin: str
    page: Page
    plan: list[tuple]
    next_at: float = 0.0
    done: int = 0
    latencies: list[float] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)


def _check_browser_isolation(person: Person, digits: str) -> None:
    page = person.page
    shown = "".join(str(STAGE_KEYS.index(next(s for s in STAGE if STAGE[s].label == (
        stage_slider(page, FUNCTION[f].label).get_attribute("aria-valuetext") or "")))) for f in FUNCTION_KEYS)
    query = {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}
    link = query.get("p", origin_digits(person.origin))
    if shown != digits or query.get("s") != person.origin or link != digits:
        person.leaks.append(f"browser {person.index} ({person.origin}): controls {shown}, link "
                            f"s={query.get('s')} p={link}, expected s={person.origin} p={digits}")


def open_browsers(browser: Browser, url: str, people: list[tuple[int, str]]) -> list[Person]:
    """Open each real browser's page on its own scenario and plan its key presses (before the clock starts)."""
    persons = []
    for index, origin in people:
        page = browser.new_context(viewport=LAPTOP).new_page()
        local_only(page)
        open_spectrum(page, url, f"s={origin}")
        persons.append(Person(index, origin, page, plan_presses(origin, 60, start=index)))
    return persons


def run_browsers(persons: list[Person], deadline: float, think: tuple[float, float], rng: random.Random) -> None:
    """Each person presses a key, waits for the page to answer, pauses, and again, until the deadline."""
    for person in persons:
        person.next_at = time.perf_counter() + rng.uniform(*think)
    while persons and time.perf_counter() < deadline:
        person = min(persons, key=lambda p: p.next_at)
        wait = person.next_at - time.perf_counter()
        if wait > 0:
            time.sleep(min(wait, max(0.0, deadline - time.perf_counter())))  # the person's pause, not a UI wait
        if time.perf_counter() >= deadline or person.done >= len(person.plan):
            break
        function, key, digits, _ = person.plan[person.done]
        press = press_and_time(person.page, function, key)
        person.done += 1
        if press is not None:
            person.latencies.append(press.to_painted)
        _check_browser_isolation(person, digits)
        person.next_at = time.perf_counter() + rng.uniform(*think)
    for person in persons:
        person.page.context.close()


def _in_thread(fn):
    """Run `fn` on its own thread and return its result (Playwright's sync API owns this thread's event loop)."""
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed back to the caller below
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def bench_workshop(browser: Browser, sessions: int, browsers: int, duration: float, think: tuple[float, float],
                   options: list[str]) -> dict:
    server = Server("workshop", options)
    server.start()
    server.wait_healthy()
    samples: list[tuple[float, float, int]] = []  # (seconds, RSS MB, websocket sessions open)
    try:
        # The facilitator opens the app first (imports and first run done), then the room joins.
        warm = _in_thread(lambda: asyncio.run(workshop(server.url, 1, 0.0)))
        assert not warm.errors, warm.errors
        warm_mb = server.memory_mb()[0]
        origins = sorted(builtin_scenarios())
        ws_count = sessions - browsers
        persons = open_browsers(browser, server.url,
                                [(ws_count + i, origins[(ws_count + i) % len(origins)]) for i in range(browsers)])
        before_room_mb = server.memory_mb()[0]
        box: dict = {}
        started, cpu_before = time.perf_counter(), server.cpu_seconds()

        def tick(report: WorkshopReport) -> None:
            samples.append((time.perf_counter() - started, server.memory_mb()[0], len(report.open_s)))

        def room() -> None:
            try:
                box["report"] = asyncio.run(workshop(server.url, ws_count, duration, think, seed=7, on_tick=tick))
            except BaseException as exc:  # handed to the main thread below
                box["error"] = exc

        thread = threading.Thread(target=room, name="websocket-room")
        thread.start()
        run_browsers(persons, started + duration, think, random.Random(11))
        thread.join()
        if "error" in box:
            raise box["error"]
        report: WorkshopReport = box["report"]
        end_mb, peak_mb = server.memory_mb()
        opened = [rss for _, rss, n in samples if n >= ws_count]
        all_open_mb = opened[0] if opened else end_mb
        browser_latency = [x for p in persons for x in p.latencies]
        return {
            "report": report, "sessions": sessions, "browsers": browsers, "ws": ws_count, "duration": duration,
            "think": think, "baseline_mb": warm_mb, "all_open_mb": all_open_mb, "end_mb": end_mb,
            "peak_mb": peak_mb, "per_session_mb": (all_open_mb - before_room_mb) / max(ws_count, 1),
            "browser_latency": browser_latency, "browser_interactions": sum(p.done for p in persons),
            "browser_leaks": [leak for p in persons for leak in p.leaks],
            "p95": max(percentile(report.finished_s, 95),
                       percentile(browser_latency, 95) if browser_latency else 0.0),
            "cpu": (server.cpu_seconds() - cpu_before) / max(time.perf_counter() - started, 1e-9),
        }
    finally:
        server.stop()


# --- Results --------------------------------------------------------------------------------------------------------
# --- (d) The slow moments of issue 15: opening Projections, adding a scenario on Compare, the spectrum sweep ------
VIEW_MOMENTS = {
    "projections": "Spectrum → Projections: link clicked → every visible chart painted, app idle",
    "compare": "Projections → Compare: link clicked → app idle",
    "add": "Compare: a scenario added → table shows it, app idle",
    "sweep": "Compare: Spectrum sweep tab clicked → its charts painted, app idle",
    "sweep_function": "Spectrum sweep: another function chosen → charts redrawn, app idle",
    "floor": "Compare → Scenarios (no chart): link clicked → app idle (bare Streamlit: bench/page_change.py)",
}
#: Moments measured for reference, without a target.
VIEW_REFERENCE = {"floor"}
VIEW_TARGET_S = 0.5


def _idle(page: Page) -> None:
    page.locator(APP_IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
    page.wait_for_function(PAINTED_JS, arg=CHART, timeout=TIMEOUT_MS, polling="raf")


# Every visible chart has its SVG drawn with marks, and no skeleton is left.
PAINTED_JS = """(selector) => !document.querySelector('[data-testid="stSkeleton"]') &&
  [...document.querySelectorAll(selector)].filter(c => c.checkVisibility()).every(chart => {
    const svg = chart.querySelector('svg.marks');
    return svg && svg.getBoundingClientRect().width > 0
      && [...svg.querySelectorAll('g.role-mark')].some(g => g.childElementCount > 0);
  })"""


# Records, in page time, when the script last started and last finished running after the moment was armed: the
# moment's time splits into click -> the last run finished (server work, with the browser drawing what streams in)
# and run finished -> every chart painted (the browser alone).
RUN_OBSERVER_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const m = window.__cjMoment = {armed: 0, running: 0, done: 0};
  window.__cjArmMoment = () => Object.assign(m, {armed: performance.now(), running: 0, done: 0});
  new MutationObserver(() => {
    if (!m.armed) return;
    const state = app.getAttribute('data-test-script-state');
    if (state === 'running') { m.running = m.running || performance.now(); m.done = 0; }
    else if (m.running && !m.done) m.done = performance.now();
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


@dataclass
class Moment:
    """One slow moment: wall time from the click, the part until the script run finished, server CPU."""

    seconds: float
    to_done: float
    server_cpu: float
    browser_cpu: float  # CPU time of every Chromium process over the moment (renderer, GPU, browser)


class MomentClock:
    """Times a moment from `start()` (just before the click) to `stop()` (after every visible chart is painted)."""

    def __init__(self, page: Page, server: Server) -> None:
        self.page, self.server = page, server
        self.started = self.cpu = self.task = 0.0
        self.cdp = page.context.browser.new_browser_cdp_session()

    def _task_seconds(self) -> float:
        """CPU seconds used so far by every Chromium process (to 0.01 s)."""
        return sum(p["cpuTime"] for p in self.cdp.send("SystemInfo.getProcessInfo")["processInfo"])

    def start(self) -> None:
        self.page.evaluate("window.__cjArmMoment()")
        self.task = self._task_seconds()
        self.cpu = self.server.cpu_seconds()
        self.started = time.perf_counter()

    def stop(self) -> Moment:
        _idle(self.page)
        seconds = time.perf_counter() - self.started
        cpu = self.server.cpu_seconds() - self.cpu
        task = self._task_seconds() - self.task
        marks = self.page.evaluate("window.__cjMoment")
        # the page's own clock: armed just before the click -> the last script run finished
        to_done = (marks["done"] - marks["armed"]) / 1000 if marks["done"] else float("nan")
        return Moment(seconds, min(to_done, seconds), cpu, task)


def _nav(page: Page, clock: MomentClock, title: str, heading: str) -> Moment:
    """Click a page link; the moment until its heading shows, every visible chart is painted and the app is idle."""
    link = page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title)
    clock.start()
    link.click()
    page.locator("h1").filter(has_text=heading).wait_for(timeout=TIMEOUT_MS)
    return clock.stop()


def bench_views(browser: Browser, runs: int, options: list[str]) -> dict:
    """Time the slow moments named in issue 15, each on a scenario the server has not computed before."""
    server = Server("views", options)
    server.start()
    server.wait_healthy()
    keys = list(builtin_scenarios())
    times: dict[str, list[Moment]] = {k: [] for k in VIEW_MOMENTS}
    try:
        context = browser.new_context(viewport=LAPTOP)
        page = context.new_page()
        local_only(page)
        clock = MomentClock(page, server)
        for i in range(runs):
            origin, other = keys[i % len(keys)], keys[(i + 3) % len(keys)]
            page.goto(f"{server.url}/?s={origin}", timeout=TIMEOUT_MS)
            page.locator(APP_IDLE).wait_for(state="attached", timeout=TIMEOUT_MS)
            page.wait_for_function(FIRST_CHART_JS, arg=CHART, timeout=TIMEOUT_MS)
            _idle(page)
            page.evaluate(RUN_OBSERVER_JS)
            # A placement the server has not seen in this run, so nothing downstream is cached.
            thumb = stage_slider(page, FUNCTION[FUNCTION_KEYS[i % len(FUNCTION_KEYS)]].label)
            link = page.url
            thumb.focus()
            thumb.press("ArrowRight" if thumb.get_attribute("aria-valuenow") != str(len(STAGE_KEYS) - 1)
                        else "ArrowLeft")
            page.wait_for_function("(link) => location.href !== link", arg=link, timeout=TIMEOUT_MS)
            _idle(page)
            times["projections"].append(_nav(page, clock, "Projections", "Projections"))
            times["compare"].append(_nav(page, clock, "Compare", "Compare"))
            columns = f"table.{TABLE_CLASS} thead th"
            before = page.locator(columns).count()
            picker = page.locator('[data-testid="stMultiSelect"]').first.get_by_role("combobox")
            picker.click()
            option = page.get_by_role("option", name=load_builtin(other).name)
            clock.start()
            option.click()
            page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n",
                                   arg=[columns, before], timeout=TIMEOUT_MS)
            times["add"].append(clock.stop())
            page.keyboard.press("Escape")
            _idle(page)
            tab = page.get_by_role("tab", name="Spectrum sweep")
            clock.start()
            tab.click()
            page.wait_for_function(FIRST_CHART_JS, arg='[role="tabpanel"]:not([hidden]) ' + CHART,
                                   timeout=TIMEOUT_MS)
            times["sweep"].append(clock.stop())
            panel = page.locator('[role="tabpanel"]:not([hidden])')
            charts_before = panel.locator(CHART).first.inner_html()
            box = panel.locator('[data-testid="stSelectbox"]').filter(has_text="Function to sweep")
            box.get_by_role("combobox").click()
            choices = page.get_by_role("option", selected=False)  # another function than the one shown
            target = choices.nth((i + 2) % choices.count())
            clock.start()
            target.click()
            page.wait_for_function("([el, html]) => el.innerHTML !== html",
                                   arg=[panel.locator(CHART).first.element_handle(), charts_before],
                                   timeout=TIMEOUT_MS)
            times["sweep_function"].append(clock.stop())
            times["floor"].append(_nav(page, clock, "Scenarios", "Scenarios"))
            print(f"    run {i + 1}: " + ", ".join(
                f"{k} {v[-1].seconds:.2f} s (run done {v[-1].to_done:.2f} s, server CPU {v[-1].server_cpu:.2f} s, "
                f"browser {v[-1].browser_cpu:.2f} s)" for k, v in times.items()), flush=True)
        context.close()
    finally:
        server.stop()
    return {"runs": runs, "times": times, "load": Path("/proc/loadavg").read_text().split()[:3]}


def views_section(info: dict, views: dict, load_before: list[str]) -> str:
    """A dated block for bench/RESULTS.md (appended: before/after pairs stay side by side)."""
    rows = ["| moment | median | worst | click → last run done | server CPU | browser CPU | target | verdict |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for key, label in VIEW_MOMENTS.items():
        moments: list[Moment] = views["times"][key]
        values = [m.seconds for m in moments]
        median, worst = statistics.median(values), max(values)
        done = statistics.median(m.to_done for m in moments)
        cpu = statistics.median(m.server_cpu for m in moments)
        task = statistics.median(m.browser_cpu for m in moments)
        judged = ("–", "reference") if key in VIEW_REFERENCE else (f"≤ {VIEW_TARGET_S} s",
                                                                     verdict(median, VIEW_TARGET_S))
        rows.append(f"| {label} | {median:.2f} s | {worst:.2f} s | {done:.2f} s | {cpu:.2f} s | {task:.2f} s | "
                    f"{judged[0]} | {judged[1]} |")
    return (f"### Slow moments (bench/browser.py --only views), {info['date']} · commit {info['commit']}"
            f"{info['dirty']}\n\n{views['runs']} runs at 1366×768, each from another built-in scenario with one "
            f"placement moved first (nothing cached). Load average (1, 5, 15 min) {' '.join(load_before)} before, "
            f"{' '.join(views['load'])} after, on {info['cpus']} CPUs shared with other work. Click → last run done "
            "is read from the page's own clock (the rest is the browser drawing); server CPU is the streamlit "
            "process's user + system time over the moment, browser CPU that of every Chromium process (Chrome's "
            "SystemInfo.getProcessInfo): CPU times, which other work on the machine hardly inflates, unlike the "
            "times; the last three columns are medians."
            "\n\n" + "\n".join(rows))


def machine() -> dict[str, str]:
    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    import streamlit

    return {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": run("git", "rev-parse", "--short", "HEAD"),
            "dirty": " (with uncommitted changes)" if run("git", "status", "--porcelain", "--", "app.py", "pages",
                                                            "explorer", "cjcore") else "",
            "cpus": run("nproc"), "chromium": " ".join(run(CHROMIUM_PATHS[0], "--version").split()[:2]),
            "streamlit": streamlit.__version__}


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "**missed**"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def section(info: dict, lat: dict | None, cold: dict | None, ws: dict | None) -> str:
    rows = ["| measure | result | target | verdict |", "| --- | --- | --- | --- |"]
    notes: list[str] = []

    def row(measure: str, value: float, shown: str, target: float, target_text: str) -> None:
        rows.append(f"| {measure} | {shown} | {target_text} | {verdict(value, target)} |")

    if lat:
        row(f"key press on a stage control → Reoffences headline and chart redrawn, median of {lat['n']}",
            lat["median"], _ms(lat["median"]), TARGETS["median"], "≤ 400 ms")
        row("same, p95", lat["p95"], _ms(lat["p95"]), TARGETS["p95"], "≤ 800 ms")
        notes.append(f"Latency detail: key → script running {_ms(lat['running_median'])} (median: the slider's "
                     f"debounce and the round trip), key → headline text {_ms(lat['headline_median'])}, slowest "
                     f"{_ms(lat['max'])}. Every press made a scenario the server had not computed before.")
        if lat["mismatches"] or lat["errors"]:
            notes.append(f"Latency run problems: {lat['errors'] + lat['mismatches']}")
    if cold:
        row(f"`streamlit run` → first chart painted, worst of {cold['runs']}", cold["worst"],
            f"{cold['worst']:.2f} s", TARGETS["cold"], "≤ 6 s")
        notes.append(f"Cold start detail: first chart painted at {', '.join(f'{p:.2f}' for p in cold['painted'])} s; "
                     f"server healthy at {', '.join(f'{h:.2f}' for h in cold['healthy'])} s.")
    if ws:
        r: WorkshopReport = ws["report"]
        errors = len(r.errors)
        leaks = len(r.leaks) + len(ws["browser_leaks"]) + len(r.inconsistent())
        bl = ws["browser_latency"]
        row(f"workshop: {ws['sessions']} sessions × {ws['duration']:.0f} s, errors", errors, str(errors), 0, "0")
        row("workshop: runs that showed another session's scenario", leaks, str(leaks), 0, "0")
        row("workshop: p95 latency (websocket change → run finished, browser key → painted: the worse)",
            ws["p95"], f"{ws['p95']:.2f} s", TARGETS["workshop_p95"], "≤ 2.5 s")
        row("workshop: server memory, peak RSS", ws["peak_mb"], f"{ws['peak_mb']:.0f} MB", TARGETS["rss_mb"],
            "≤ 1.5 GB")
        browsers = (f" Browsers key → painted: median {_ms(percentile(bl, 50))}, p95 {_ms(percentile(bl, 95))} "
                    f"(n={len(bl)})." if bl else "")
        notes.append(
            f"Workshop detail: {ws['ws']} websocket clients + {ws['browsers']} Chromium pages, each pausing "
            f"{ws['think'][0]:g}–{ws['think'][1]:g} s between changes: {r.interactions} websocket changes "
            f"({r.interactions / ws['duration']:.1f} a second) and {ws['browser_interactions']} browser key presses. "
            f"Websocket change → Reoffences received: median {_ms(percentile(r.headline_s, 50))}, p95 "
            f"{_ms(percentile(r.headline_s, 95))}; → run finished: median {_ms(percentile(r.finished_s, 50))}, p95 "
            f"{_ms(percentile(r.finished_s, 95))}, slowest {max(r.finished_s, default=0):.2f} s.{browsers} The server "
            f"used {ws['cpu']:.2f} cores on average (one Python process: script runs share one core's worth of GIL).")
        if r.open_s:
            notes.append(f"Opening the link (everyone within the first 5 s): first page drawn in median "
                         f"{statistics.median(r.open_s):.2f} s, last {max(r.open_s):.2f} s (no target).")
        notes.append(
            f"Memory: {ws['baseline_mb']:.0f} MB after the first session, {ws['all_open_mb']:.0f} MB with all "
            f"{ws['ws']} websocket sessions open ({ws['per_session_mb']:.1f} MB a session), {ws['end_mb']:.0f} MB at "
            f"the end. Isolation: {len(r.figures)} distinct scenarios, each showed one Reoffences figure in every "
            f"session that reached it" + ("." if not r.inconsistent() else f" except {len(r.inconsistent())}."))
        notes += [f"Workshop problem: {e}" for e in (r.errors + r.leaks + ws["browser_leaks"])[:5]]
    head = (f"## Browser and load (bench/browser.py)\n\n{info['date']} · commit {info['commit']}{info['dirty']} · "
            f"{info['cpus']} CPUs (nproc) · {info['chromium']} · Streamlit {info['streamlit']}\n")
    how = ("How: a MutationObserver in the page times key press → headline text and chart SVG changed → next "
           "frame; cold start is `streamlit run` launched → first chart painted in an open browser; the workshop "
           "runs Streamlit websocket clients (bench/ws_load.py: the browser's own protocol, without 30 renderers "
           "on 2 cores) plus real Chromium pages, each session on its own scenario with a unique stage signature. "
           "Run `make bench` or `.venv/bin/python bench/browser.py --help`.")
    body = "\n".join(rows) + "\n\n" + "\n".join(f"- {n}" for n in notes)
    return f"{START}\n{head}\n{body}\n\n{how}\n{END}\n"


def write_results(text: str) -> None:
    write_section(text, START, END)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("latency", "cold", "workshop", "views"), help="run one part only")
    parser.add_argument("--view-runs", type=int, default=3, help="runs of the slow moments (--only views)")
    parser.add_argument("--interactions", type=int, default=24, help="key presses for the latency figure (≥ 20)")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=30, help="people in the workshop")
    parser.add_argument("--browsers", type=int, default=2, help="how many of them are real Chromium pages")
    parser.add_argument("--duration", type=float, default=60.0, help="workshop length in seconds")
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 4.0), metavar=("MIN", "MAX"),
                        help="seconds each person pauses between changes (uniform)")
    parser.add_argument("--streamlit-option", action="append", default=[], metavar="KEY=VALUE",
                        help="extra `streamlit run` option for every server, e.g. runner.postScriptGC=false "
                             "(to try a setting before it goes into .streamlit/config.toml); repeatable")
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when a target is missed (by default 0, so `make bench` runs every benchmark)")
    args = parser.parse_args(argv)
    args.browsers = min(args.browsers, args.sessions)

    lat = cold = ws = None
    if args.only == "views":
        load_before = Path("/proc/loadavg").read_text().split()[:3]
        with sync_playwright() as playwright:
            browser = launch_browser(playwright)
            try:
                print(f"(d) slow moments, {args.view_runs} runs", flush=True)
                views = bench_views(browser, args.view_runs, args.streamlit_option)
            finally:
                browser.close()
        text = views_section(machine(), views, load_before)
        print(text)
        if not args.no_write:
            RESULTS.write_text(RESULTS.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + text + "\n",
                               encoding="utf-8")
            print(f"appended to {RESULTS.relative_to(ROOT)}")
        return 0
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            if args.only in (None, "latency"):
                print(f"(a) interaction latency, {args.interactions} key presses", flush=True)
                lat = bench_latency(browser, args.interactions, args.streamlit_option)
                print(f"    median {lat['median'] * 1000:.0f} ms, p95 {lat['p95'] * 1000:.0f} ms "
                      f"(targets 400 / 800 ms)", flush=True)
            if args.only in (None, "cold"):
                print(f"(b) cold start, {args.cold_runs} runs", flush=True)
                cold = bench_cold(browser, args.cold_runs, args.streamlit_option)
                print(f"    worst {cold['worst']:.2f} s (target 6 s)", flush=True)
            if args.only in (None, "workshop"):
                print(f"(c) workshop: {args.sessions} sessions ({args.browsers} in Chromium) for {args.duration:.0f} s",
                      flush=True)
                ws = bench_workshop(browser, args.sessions, args.browsers, args.duration, tuple(args.think),
                                    args.streamlit_option)
                print("    " + "\n    ".join(summary_lines(ws["report"])))
                if ws["browser_latency"]:
                    bl = ws["browser_latency"]
                    print(f"    browsers: key -> painted median {percentile(bl, 50) * 1000:.0f} ms, "
                          f"p95 {percentile(bl, 95) * 1000:.0f} ms over {len(bl)} presses")
                for leak in ws["browser_leaks"][:10]:
                    print(f"    isolation (browser): {leak}")
                print(f"    server CPU: {ws['cpu']:.2f} cores on average during the workshop", flush=True)
                print(f"    server RSS: {ws['baseline_mb']:.0f} MB warm, {ws['all_open_mb']:.0f} MB all open, "
                      f"peak {ws['peak_mb']:.0f} MB; p95 {ws['p95']:.2f} s (target 2.5 s)", flush=True)
        finally:
            browser.close()

    info = machine()
    text = section(info, lat, cold, ws)
    print()
    print(text)
    if not args.no_write:
        write_results(text)
        print(f"updated {RESULTS.relative_to(ROOT)}")
    missed = []
    if lat:
        missed += [k for k in ("median", "p95") if lat[k] > TARGETS[k]]
    if cold and cold["worst"] > TARGETS["cold"]:
        missed.append("cold")
    if ws:
        r = ws["report"]
        if r.errors or r.leaks or r.inconsistent() or ws["browser_leaks"]:
            missed.append("workshop errors/isolation")
        if ws["p95"] > TARGETS["workshop_p95"]:
            missed.append("workshop p95")
        if ws["peak_mb"] > TARGETS["rss_mb"]:
            missed.append("memory")
    if missed:
        print("missed: " + ", ".join(missed))
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    raise SystemExit(main())
