"""Replicas behind nginx: the workshop flow through the load balancer, sticky sessions, and failover.

The `replica_set` fixture (tests/e2e/conftest.py) starts what `make serve` starts: two Streamlit replicas and
Debian's nginx in front, on free ports, with a scenario store of their own. Every browser here opens the app
through nginx only. nginx names the replica holding a browser's session in its `cjroute` cookie (r0, r1) and
logs each request with that cookie and the replica that answered, which is how the tests see where requests went.
"""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cjcore.vocab import FUNCTION, STAGE
from deploy.serve import MALLOC_ENV, ReplicaSet, check_config, prepare_run_dir, render_main, render_site
from tests.e2e import test_workshop_flow as flow
from tests.e2e.conftest import guarded_visitors
from tests.e2e.helpers import (
    APP_IDLE,
    EXCEPTION,
    REOFFENCES,
    download,
    go_to,
    metric_value,
    open_app,
    press_on_slider,
    stage_slider,
    wait_charts_painted,
    wait_idle,
)

pytestmark = pytest.mark.e2e

ROUTE_COOKIE = "cjroute"
RECOVERY_S = 10.0
_LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) .* upstream=(?P<upstream>\S*) '
                       r"route=(?P<route>\S+)$")


def served_by(replica_set: ReplicaSet, route: str, path_prefix: str = "") -> list[str]:
    """The replica addresses that answered requests carrying this cookie (in log order), optionally for one path."""
    upstreams = []
    for line in replica_set.access_log.read_text().splitlines():
        match = _LOG_LINE.search(line)
        if match and match["route"] == route and match["path"].startswith(path_prefix):
            # After a failed attempt nginx lists every replica it tried ("a:1, b:2"): the last one answered.
            upstreams.append(match["upstream"].split(",")[-1].strip())
    return upstreams


def route_of(context: BrowserContext) -> str:
    """The browser's sticky-session cookie: the name of the replica holding its session."""
    values = [c["value"] for c in context.cookies() if c["name"] == ROUTE_COOKIE]
    assert len(values) == 1, f"nginx set no {ROUTE_COOKIE} cookie: {context.cookies()}"
    return values[0]


def address(replica_set: ReplicaSet, route: str) -> str:
    """The address of the replica a cookie value (r0, r1, ...) names."""
    assert re.fullmatch(r"r\d+", route), route
    return f"127.0.0.1:{replica_set.members[int(route[1:])].port}"


@pytest.fixture
def nginx_page(browser: Browser, browser_context_args: dict, replica_set: ReplicaSet) -> Iterator[Callable[..., Page]]:
    """Open pages through nginx, each in a new browser context (a new visitor), guarded like `fresh_app_page`."""
    with guarded_visitors(browser, browser_context_args, replica_set.url, replica_set.error_log) as visit:
        yield visit


def test_generated_nginx_config_passes_nginx_t(tmp_path: Path) -> None:
    site = render_site([8601, 8602, 8603], listen="127.0.0.1:8501", server_name="explorer.example.org")
    assert "@" not in re.sub(r"#.*", "", site), "a template marker was left unfilled"
    prepare_run_dir(tmp_path)
    conf = tmp_path / "nginx" / "nginx.conf"
    conf.write_text(render_main(site, tmp_path))
    checked = check_config(conf, tmp_path)
    assert checked.returncode == 0, checked.stderr
    # A broken site must be refused, so the check above means something.
    broken = site.replace("least_conn;", "least_conn 1;")
    assert broken != site
    conf.write_text(render_main(broken, tmp_path))
    assert check_config(conf, tmp_path).returncode != 0


def test_workshop_flow_through_nginx_stays_on_one_replica(
        nginx_page: Callable[..., Page], replica_set: ReplicaSet, tmp_path: Path) -> None:
    facilitator = nginx_page()
    visitors: list[Page] = []

    def new_visitor(**context_args: object) -> Page:
        visitors.append(nginx_page(**context_args))
        return visitors[-1]

    # The browser suite's whole flow (link, placements, deal, projections, briefing, compare, YAML download and a
    # new visitor uploading it), every request through nginx.
    flow.test_facilitator_workshop_flow(facilitator, new_visitor, tmp_path)

    for page in [facilitator, *visitors]:
        route = route_of(page.context)
        upstreams = served_by(replica_set, route)
        assert len(upstreams) > 10, f"too few requests logged with cookie {route}: {upstreams}"
        assert set(upstreams) == {address(replica_set, route)}, f"requests with cookie {route} reached {upstreams}"
    # The visitor's upload (a PUT to the replica holding its session) went through nginx and was accepted.
    uploads = [line for line in replica_set.access_log.read_text().splitlines() if "/_stcore/upload_file/" in line]
    assert uploads and all(_LOG_LINE.search(line)["status"] in ("200", "204") for line in uploads), uploads


def test_every_replica_runs_with_the_allocator_settings(replica_set: ReplicaSet) -> None:
    # Read from the running processes: what the kernel started them with, not what serve.py meant to pass.
    for member in replica_set.members:
        assert member.process is not None and member.process.poll() is None
        environ = Path(f"/proc/{member.process.pid}/environ").read_bytes().split(b"\0")
        for name, value in MALLOC_ENV.items():
            assert f"{name}={value}".encode() in environ, f"replica {member.index} lacks {name}"


def test_people_are_spread_over_the_replicas(nginx_page: Callable[..., Page], replica_set: ReplicaSet) -> None:
    # New visitors (no cookie yet) go to the least busy replica, which their first response names in the cookie.
    named = set()
    for _ in range(10):
        with urllib.request.urlopen(f"{replica_set.url}/") as response:
            cookies = response.headers.get_all("Set-Cookie") or []
            response.read()
        found = [m[1] for c in cookies if (m := re.match(rf"{ROUTE_COOKIE}=(\w+);", c))]
        assert len(found) == 1, f"nginx must set one {ROUTE_COOKIE} cookie on a first visit: {cookies}"
        named.add(found[0])
    assert named == {f"r{i}" for i in range(len(replica_set.members))}, f"new visitors were sent only to {named}"

    # A browser carrying each cookie works on the replica it names, and only there.
    host = urlsplit(replica_set.url).hostname
    for route in sorted(named):
        page = nginx_page()
        page.context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "domain": host, "path": "/"}])
        open_app(page, flow.SHARE_LINK)
        reoffences = metric_value(page, REOFFENCES)
        start = reoffences.inner_text()
        press_on_slider(page, FUNCTION[flow.EDITED_FUNCTION].label)
        expect(reoffences).not_to_have_text(start)
        wait_idle(page)
        assert route_of(page.context) == route
        assert set(served_by(replica_set, route)) == {address(replica_set, route)}


def test_page_comes_back_on_the_other_replica_when_its_replica_dies(
        browser: Browser, browser_context_args: dict, replica_set: ReplicaSet) -> None:
    context = browser.new_context(**{**browser_context_args, "base_url": replica_set.url})
    page = context.new_page()
    try:
        open_app(page, flow.SHARE_LINK)
        wait_charts_painted(page)
        label = FUNCTION[flow.EDITED_FUNCTION].label
        reoffences = metric_value(page, REOFFENCES)
        start = reoffences.inner_text()
        assert press_on_slider(page, label) == STAGE["co_design"].label
        expect(reoffences).not_to_have_text(start)
        wait_idle(page)
        figure = reoffences.inner_text()
        url = page.url
        assert "p=" in url, "the edited placements are in the address"

        route = route_of(context)
        victim = int(route[1:])
        survivor = replica_set.members[1 - victim]

        killed_at = time.monotonic()
        replica_set.kill(victim)
        try:
            # The frontend notices the dropped websocket, reconnects through nginx (which skips the dead replica)
            # and the new session on the survivor rebuilds the view from the page's URL.
            page.locator(APP_IDLE).wait_for(state="attached", timeout=RECOVERY_S * 1000)
            expect(reoffences).to_have_text(figure, timeout=RECOVERY_S * 1000)
            wait_idle(page, timeout=RECOVERY_S * 1000)
            recovered = time.monotonic() - killed_at
            print(f"view back {recovered:.2f} s after the kill")
            assert stage_slider(page, label).get_attribute("aria-valuetext") == STAGE["co_design"].label
            assert page.url == url, "the address is unchanged"
            assert recovered <= RECOVERY_S, f"view back after {recovered:.1f} s"
            expect(page.locator(EXCEPTION)).to_have_count(0)
            # The cookie now names the survivor, which holds the page's new session.
            assert route_of(context) == f"r{survivor.index}"
        finally:
            replica_set.restart(victim)

        # With the killed replica back, the page stays with its session on the survivor: a change, and a download
        # (its file is served by the process that holds the session) both work.
        second = press_on_slider(page, label)
        assert second == STAGE["co_investment"].label
        expect(reoffences).not_to_have_text(figure)
        wait_idle(page)
        go_to(page, "Scenarios", "Scenarios")
        name, data = download(page, "Download this scenario (YAML)")
        assert name.endswith(".yaml") and yaml.safe_load(data)["placements"][flow.EDITED_FUNCTION] == "co_investment"
        assert route_of(context) == f"r{survivor.index}"
        assert set(served_by(replica_set, route_of(context))) == {address(replica_set, route_of(context))}
    finally:
        context.close()
