"""Browser-test fixtures: a real Streamlit server and Debian's Chromium driven by Playwright.

`CJ_APP_PATH` points the server at another app file (default: the repository's app.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route, expect

from deploy.serve import ReplicaSet
from tests.e2e.helpers import EXCEPTION, HARMLESS_404_PATH, TIMEOUT_MS

# `expect(...)` waits 5 s by default: too tight for a rerun on a cold, busy 2-core CI machine.
expect.set_options(timeout=TIMEOUT_MS / 2)

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30.0
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Prefer the Debian wrapper; the bare binary works too.
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class AppServer(NamedTuple):
    url: str
    log_path: Path
    process: subprocess.Popen


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log_tail(log_path: Path, lines: int = 40) -> str:
    try:
        text = log_path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """A failed browser test quotes the log of every app server it used: a store error or a dropped websocket
    is then in the CI output, not only in a temporary folder that is gone."""
    report = yield
    if report.failed and call.when == "call":
        for name, value in getattr(item, "funcargs", {}).items():
            # By its log, not isinstance: a test module that imports this file gets a second copy of AppServer.
            if isinstance(getattr(value, "log_path", None), Path):
                report.sections.append((f"server log ({name})", _log_tail(value.log_path)))
    return report


def _wait_healthy(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with code {process.returncode}; log tail:\n{_log_tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # poll interval of the health check, not a wait on the UI
    pytest.fail(f"streamlit not healthy after {START_TIMEOUT_S:.0f} s; log tail:\n{_log_tail(log_path)}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # its own session: the group is exactly this server
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def serve(workdir: Path, extra_args: Sequence[str] = ()) -> Iterator[AppServer]:
    """Start `streamlit run` on a free port with an empty user-scenario folder in `workdir`; stop it afterwards.

    `extra_args` go to `streamlit run` after ours, e.g. `("--secrets.files", path)` to turn sign-in on.
    """
    app_path = Path(os.environ.get("CJ_APP_PATH") or REPO_ROOT / "app.py").resolve()
    if not app_path.is_file():
        pytest.fail(f"app file not found: {app_path}")
    scenario_dir = workdir / "scenarios"
    scenario_dir.mkdir()
    log_path = workdir / "streamlit.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.fileWatcherType", "none",
        *extra_args,
    ]  # fmt: skip
    env = {**os.environ, "CJ_SCENARIO_DIR": str(scenario_dir), "PYTHONUNBUFFERED": "1"}
    with log_path.open("wb") as log:  # a file, not a PIPE: a full pipe would block the server
        process = subprocess.Popen(
            cmd, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        _wait_healthy(url, process, log_path)
        yield AppServer(url, log_path, process)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def app_server_info(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app server shared by the session's browser tests."""
    with serve(tmp_path_factory.mktemp("app_server")) as server:
        yield server


@pytest.fixture(scope="session")
def app_server(app_server_info: AppServer) -> str:
    """Base URL of the running app, e.g. http://127.0.0.1:41234."""
    return app_server_info.url


@pytest.fixture(scope="session")
def base_url(app_server: str) -> str:
    """Let `page.goto("/compare?...")` resolve against the app server."""
    return app_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium (Playwright cannot download its own browser here); never skip without it."""
    executable = next((path for path in CHROMIUM_PATHS if os.access(path, os.X_OK)), None)
    if executable is None:
        pytest.fail(
            "Chromium not found (looked for " + ", ".join(CHROMIUM_PATHS) + "). "
            "Install it with `sudo apt-get install chromium` or `make install-dev`."
        )
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A laptop-sized viewport."""
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}}


def _is_harmless(message: ConsoleMessage) -> bool:
    path = urlparse(message.location.get("url") or "").path
    return "404" in message.text and bool(HARMLESS_404_PATH.match(path))


class PageGuard:
    """Keeps a page on this machine and records console errors, page errors and blocked requests."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.blocked: list[str] = []
        page.route("**/*", self._local_only)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _local_only(self, route: Route) -> None:
        if urlparse(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not _is_harmless(message):
            self.errors.append(f"console error: {message.text} (at {message.location.get('url')})")

    def check(self, log_path: Path) -> None:
        """Fail on any console error, page error or exception element shown by the app."""
        context = f"\nblocked requests: {self.blocked}\nserver log tail:\n{_log_tail(log_path)}"
        assert not self.errors, "\n".join(self.errors) + context
        if not self.page.is_closed():
            exceptions = self.page.locator(EXCEPTION)
            assert exceptions.count() == 0, f"app shows an exception: {exceptions.first.inner_text()}" + context


@pytest.fixture
def app_page(page: Page, app_server_info: AppServer) -> Iterator[Page]:
    """A page that reaches only this machine and fails the test on console errors or a shown exception."""
    guard = PageGuard(page)
    yield page
    guard.check(app_server_info.log_path)


@contextlib.contextmanager
def guarded_visitors(browser: Browser, context_args: dict, base_url: str, log_path: Path
                     ) -> Iterator[Callable[..., Page]]:
    """Open pages at `base_url`, each in a new browser context (a new visitor: no cookies, no session).

    Every page is guarded like `app_page`: on leaving, a console error, a shown exception or a request off this
    machine in any of them fails the test (`log_path` is the server log quoted in the failure).
    """
    opened: list[tuple[BrowserContext, PageGuard]] = []

    def open_page(**extra: object) -> Page:
        context = browser.new_context(**{**context_args, "base_url": base_url, **extra})
        page = context.new_page()
        opened.append((context, PageGuard(page)))
        return page

    try:
        yield open_page
        for _, guard in opened:
            guard.check(log_path)
    finally:
        for context, _ in opened:
            context.close()


@pytest.fixture
def fresh_app_page(
    browser: Browser, browser_context_args: dict, app_server_info: AppServer
) -> Iterator[Callable[..., Page]]:
    """Open pages in new browser contexts (a new visitor: no cookies, no session), guarded like `app_page`.

    Call it with optional context arguments, e.g. `fresh_app_page(viewport={"width": 1920, "height": 1080})`.
    """
    with guarded_visitors(browser, browser_context_args, app_server_info.url, app_server_info.log_path) as visit:
        yield visit


@pytest.fixture(scope="module")
def replica_set(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplicaSet]:
    """What `make serve` starts: two replicas and a private nginx in front, on free ports, with a store of their own.

    Both replicas get the same scenario folder and database, as every replica of a deployment must.
    """
    workdir = tmp_path_factory.mktemp("replicas")
    env = {
        "CJ_SCENARIO_DIR": str(workdir / "scenarios"),
        "CJ_DATABASE_URL": f"sqlite:///{workdir / 'store.sqlite'}",
    }
    try:
        with ReplicaSet(replicas=2, port=_free_port(), run_dir=workdir / "run", env=env) as running:
            yield running
    except RuntimeError as exc:  # a replica or nginx did not start: say why, with its log
        pytest.fail(str(exc))
