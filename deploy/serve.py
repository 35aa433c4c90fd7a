"""Run n Streamlit replicas of the explorer behind Debian's nginx, with sticky sessions (`make serve REPLICAS=n`).

    .venv/bin/python deploy/serve.py --replicas 2 --port 8501 --address 127.0.0.1   # what `make serve` runs
    .venv/bin/python deploy/serve.py site --ports 8601,8602 --listen 80 --server-name explorer.example.org
    .venv/bin/python deploy/serve.py nginx --ports 8601,8602 --port 8501            # nginx alone (Procfile)

One Python process runs the app's scripts one at a time under its GIL; several processes use several cores.
Streamlit keeps a person's session in the process their websocket reached, so nginx must send every request of
one browser to the same replica: the site file (deploy/nginx/cjexplorer.conf.template) does that with a cookie
naming the replica that holds the session. This script renders that site into a private nginx configuration under
a run folder (`.run/` by default: config, pid, logs, temp paths), so the system's nginx service is never
touched, starts the replicas on internal ports (127.0.0.1 only), waits for each one's /_stcore/health,
starts nginx in the foreground, and watches them: a replica that dies is started again (nginx skips it meanwhile).
Ctrl+C stops all.

Every replica gets the same environment, so they share one scenario store (CJ_DATABASE_URL, or the default
SQLite file, or CJ_SCENARIO_DIR before the store existed) and one cookie secret (Streamlit signs its session and
sign-in cookies with it; a browser moved to another replica must still be recognised).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: glibc's allocator settings for a replica (docs/decisions.md, "The model's share of one change"): keep freed
#: arrays of a few MB in the process instead of giving them back and faulting them in again on the next change
#: (~3,900 page faults, a sixth of a trade-off's CPU). The environment can still set its own.
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "16777216", "MALLOC_TRIM_THRESHOLD_": "67108864"}
SITE_TEMPLATE = Path(__file__).resolve().parent / "nginx" / "cjexplorer.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEFAULT_RUN_DIR = ROOT / ".run"
START_TIMEOUT_S = 90.0  # a cold 2-core machine imports Streamlit, pandas and altair in each replica
COOKIE_SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
# Passive health check: one refused connection leaves a replica out for this long before nginx tries it again.
FAIL_TIMEOUT_S = 10


def render_site(ports: Sequence[int], listen: str = "8501", server_name: str = "_", host: str = "127.0.0.1") -> str:
    """The nginx site file for replicas on `host:port` for each port, answering on `listen` (nginx syntax).

    Replica i is named `r<i>` in the `cjroute` cookie. Its upstream group has it as the primary and every other
    replica as a backup; `cjexplorer_new` (least busy first) takes browsers without a cookie.
    """
    servers = [f"{host}:{port}" for port in ports]
    check = f"max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s"
    pools = "\n".join(f"    r{i} cjexplorer_r{i};" for i in range(len(servers)))
    served = "\n".join(f'    "~(^|, ){re.escape(server)}$" r{i};' for i, server in enumerate(servers))
    blocks = ["upstream cjexplorer_new {", "    least_conn;", *(f"    server {s} {check};" for s in servers),
              "    keepalive 16;", "}"]
    for i, primary in enumerate(servers):
        blocks += ["", f"upstream cjexplorer_r{i} {{", f"    server {primary} {check};",
                   *(f"    server {s} backup;" for s in servers if s != primary), "    keepalive 16;", "}"]
    listens = "\n".join(f"    listen {item.strip()};" for item in listen.split(",") if item.strip())
    text = SITE_TEMPLATE.read_text(encoding="utf-8")
    for marker, value in (("@ROUTE_POOLS@", pools), ("@SERVED_ROUTES@", served), ("@UPSTREAMS@", "\n".join(blocks)),
                          ("@LISTEN@", listens), ("@SERVER_NAME@", server_name)):
        if marker not in text:
            raise ValueError(f"{SITE_TEMPLATE.name} lost its {marker} marker")
        text = text.replace(marker, value)
    return text


def render_main(site: str, run_dir: Path, worker_processes: int = 1) -> str:
    """A whole nginx.conf around `site` that keeps every file nginx writes inside `run_dir`.

    One worker is enough for a room and leaves the cores to the replicas. Temp paths are set but never used for
    the app (responses are not spooled; upload bodies fit in memory), so workers need no writable folder.
    """
    log_format = ('$remote_addr [$time_local] "$request" $status $body_bytes_sent $request_time '
                  'upstream=$upstream_addr route=$cookie_cjroute')
    temp = {name: run_dir / "nginx" / "temp" / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    lines = [
        "# Written by deploy/serve.py for a private nginx (not the system service); regenerated on every start.",
        f"worker_processes {worker_processes};",
        f"pid {run_dir / 'nginx' / 'nginx.pid'};",
        f"error_log {run_dir / 'logs' / 'nginx-error.log'} warn;",
        "events { worker_connections 4096; }",
        "http {",
        f"    include {Path('/etc/nginx/mime.types')};",
        "    default_type application/octet-stream;",
        f"    log_format cjexplorer '{log_format}';",
        f"    access_log {run_dir / 'logs' / 'nginx-access.log'} cjexplorer;",
        f"    client_body_temp_path {temp['client_body']};",
        f"    proxy_temp_path {temp['proxy']};",
        f"    fastcgi_temp_path {temp['fastcgi']};",
        f"    uwsgi_temp_path {temp['uwsgi']};",
        f"    scgi_temp_path {temp['scgi']};",
        "    server_tokens off;",
        "",
        *("    " + line if line else "" for line in site.splitlines()),
        "}",
        "",
    ]
    return "\n".join(lines)


def prepare_run_dir(run_dir: Path) -> None:
    """Create the run folder's nginx and log folders."""
    for sub in ("nginx/temp", "logs"):
        (run_dir / sub).mkdir(parents=True, exist_ok=True)


def nginx_command(conf: Path, run_dir: Path, *extra: str) -> list[str]:
    """Debian's nginx with this configuration and prefix, errors to stderr before the config's own log opens."""
    return [NGINX, "-p", str(run_dir / "nginx"), "-c", str(conf), "-e", "stderr", *extra]


def check_config(conf: Path, run_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run `nginx -t` on a rendered configuration."""
    return subprocess.run(nginx_command(conf, run_dir, "-t", "-q"), capture_output=True, text=True, timeout=30)


def write_nginx_conf(ports: Sequence[int], port: int, address: str, run_dir: Path) -> Path:
    """Render the site for these replica ports into `run_dir/nginx/nginx.conf`; return its path."""
    prepare_run_dir(run_dir)
    listen = f"{address}:{port}" if ":" not in address else f"[{address}]:{port}"
    conf = run_dir / "nginx" / "nginx.conf"
    conf.write_text(render_main(render_site(ports, listen=listen), run_dir), encoding="utf-8")
    return conf


def cookie_secret(run_dir: Path) -> str:
    """The secret every replica signs cookies with: $STREAMLIT_SERVER_COOKIE_SECRET, or one kept in the run folder."""
    if value := os.environ.get(COOKIE_SECRET_ENV):
        return value
    path = run_dir / "cookie_secret"
    if not path.exists():
        run_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when something already accepts connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True when Streamlit at `url` answers its health check with ok."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def log_tail(path: Path, lines: int = 30) -> str:
    """The end of a log file, for error messages."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)  # started in its own session: the group is exactly this process and its children
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@dataclass
class Replica:
    """One `streamlit run` process on an internal port."""

    index: int
    port: int
    log_path: Path
    process: subprocess.Popen | None = None
    restarts: int = 0

    @property
    def url(self) -> str:
        """Its own address, bypassing nginx."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        """True while its process runs."""
        return self.process is not None and self.process.poll() is None


@dataclass
class ReplicaSet:
    """n replicas plus a private nginx in front; a context manager that starts and stops them all."""

    replicas: int = 2
    port: int = 8501
    address: str = "127.0.0.1"
    run_dir: Path = DEFAULT_RUN_DIR
    internal_ports: Sequence[int] | None = None  # default: free ports chosen at start
    env: Mapping[str, str] = field(default_factory=dict)  # added to os.environ for every replica
    app: Path = ROOT / "app.py"
    members: list[Replica] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The address people open (through nginx)."""
        host = "127.0.0.1" if self.address in ("0.0.0.0", "::") else self.address
        return f"http://{host}:{self.port}"

    @property
    def access_log(self) -> Path:
        """The access log of nginx: one line per request with the replica (upstream) that served it."""
        return self.run_dir / "logs" / "nginx-access.log"

    @property
    def error_log(self) -> Path:
        """The error log of nginx."""
        return self.run_dir / "logs" / "nginx-error.log"

    def __enter__(self) -> ReplicaSet:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _replica_env(self) -> dict[str, str]:
        return {**MALLOC_ENV, **os.environ, **self.env, COOKIE_SECRET_ENV: cookie_secret(self.run_dir),
                "PYTHONUNBUFFERED": "1"}

    def _launch(self, replica: Replica) -> None:
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(self.app),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(replica.port),
            "--server.enableXsrfProtection", "true",
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        with replica.log_path.open("ab") as log:  # a file, not a PIPE: a full pipe would block the server
            replica.process = subprocess.Popen(
                cmd, cwd=ROOT, env=self._replica_env(), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def _wait_healthy(self, replica: Replica, timeout: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not replica.alive:
                raise RuntimeError(f"replica {replica.index} (port {replica.port}) exited with code "
                                   f"{replica.process.returncode if replica.process else '?'}:\n"
                                   f"{log_tail(replica.log_path)}")
            if healthy(replica.url):
                return
            time.sleep(0.1)  # poll interval of the health check
        raise RuntimeError(f"replica {replica.index} (port {replica.port}) not healthy after {timeout:.0f} s:\n"
                           f"{log_tail(replica.log_path)}")

    def start(self) -> None:
        """Start the replicas, wait until each is healthy, then start nginx and wait until it answers."""
        if self.replicas < 1:
            raise ValueError("at least one replica")
        prepare_run_dir(self.run_dir)
        ports = list(self.internal_ports or [free_port() for _ in range(self.replicas)])
        if len(ports) != self.replicas:
            raise ValueError(f"{self.replicas} replicas need {self.replicas} internal ports, got {ports}")
        for port in [*ports, self.port]:
            if port_in_use(port):
                raise RuntimeError(f"port {port} is already in use (another `make serve` or `make run`?)")
        self.members = [Replica(i, port, self.run_dir / "logs" / f"replica-{port}.log") for i, port in enumerate(ports)]
        for replica in self.members:
            self._launch(replica)
        for replica in self.members:
            self._wait_healthy(replica)
        conf = write_nginx_conf(ports, self.port, self.address, self.run_dir)
        checked = check_config(conf, self.run_dir)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t rejected {conf}:\n{checked.stderr}")
        self.nginx = subprocess.Popen(
            nginx_command(conf, self.run_dir, "-g", "daemon off;"), cwd=self.run_dir, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self.error_log.open("ab"), start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not healthy(self.url):
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start on {self.url}:\n{log_tail(self.error_log)}")
            time.sleep(0.1)

    def kill(self, index: int) -> None:
        """Kill one replica at once (SIGKILL, as a crash or an out-of-memory kill would)."""
        _stop(self.members[index].process, signal.SIGKILL)

    def restart(self, index: int) -> None:
        """Start a replica that has stopped again, on its port; wait until it is healthy."""
        replica = self.members[index]
        _stop(replica.process)
        replica.restarts += 1
        self._launch(replica)
        self._wait_healthy(replica)

    def stop(self) -> None:
        """Stop nginx first (no new requests), then every replica."""
        _stop(self.nginx)
        for replica in self.members:
            _stop(replica.process)

    def supervise(self, restart: bool = True, poll_s: float = 1.0) -> None:
        """Watch until interrupted: report a replica that dies and, with `restart`, start it again."""
        while True:
            if self.nginx is not None and self.nginx.poll() is not None:
                raise RuntimeError(f"nginx exited with code {self.nginx.returncode}:\n{log_tail(self.error_log)}")
            for replica in self.members:
                if replica.process is not None and not replica.alive:
                    code = replica.process.returncode
                    print(f"replica {replica.index} (port {replica.port}) exited with code {code}; "
                          f"nginx sends its people to the others" + ("; restarting it" if restart else ""),
                          flush=True)
                    if restart:
                        try:
                            self.restart(replica.index)
                            print(f"replica {replica.index} (port {replica.port}) healthy again", flush=True)
                        except RuntimeError as exc:
                            print(exc, file=sys.stderr, flush=True)
                    else:
                        replica.process = None
            time.sleep(poll_s)


def _ports(text: str) -> list[int]:
    return [int(p) for p in text.split(",") if p.strip()]


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Command line: serve (default), site, nginx."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="replicas + nginx, supervised (the default)")
    site = sub.add_parser("site", help="print the nginx site file for a server of your own")
    only_nginx = sub.add_parser("nginx", help="run the private nginx alone in front of replicas started elsewhere")
    for p in (parser, serve):
        p.add_argument("--replicas", type=int, default=int(os.environ.get("REPLICAS", 2)))
        p.add_argument("--first-internal-port", type=int, default=None,
                       help="replica ports start here (default: PORT+100, e.g. 8601, 8602, ...)")
        p.add_argument("--no-restart", action="store_true", help="leave a replica that died stopped")
    for p in (parser, serve, only_nginx):
        p.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8501)), help="nginx's port")
        p.add_argument("--address", default=os.environ.get("ADDRESS", "127.0.0.1"),
                       help="nginx's bind address (0.0.0.0 to serve a room)")
        p.add_argument("--run-dir", type=Path, default=DEFAULT_RUN_DIR, help="config, pid, logs (default .run/)")
    only_nginx.add_argument("--ports", type=_ports, required=True, help="replica ports, e.g. 8601,8602")
    site.add_argument("--ports", type=_ports, required=True, help="replica ports, e.g. 8601,8602")
    site.add_argument("--host", default="127.0.0.1", help="the replicas' host")
    site.add_argument("--listen", default="80", help="nginx listen value(s), comma-separated")
    site.add_argument("--server-name", default="_")
    args = parser.parse_args(argv)

    if args.command == "site":
        sys.stdout.write(render_site(args.ports, args.listen, args.server_name, args.host))
        return 0
    if not os.access(NGINX, os.X_OK):
        print("nginx is not installed: `sudo apt-get install nginx` (or `make system-packages` as root)",
              file=sys.stderr)
        return 1
    if args.command == "nginx":
        conf = write_nginx_conf(args.ports, args.port, args.address, args.run_dir)
        os.execv(NGINX, nginx_command(conf, args.run_dir, "-g", "daemon off;"))
    first = args.first_internal_port or args.port + 100
    replica_set = ReplicaSet(args.replicas, args.port, args.address, args.run_dir.resolve(),
                             internal_ports=list(range(first, first + args.replicas)))
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, _raise_interrupt)  # also when started with SIGINT ignored (a background job)
    try:
        with replica_set:
            ports = ", ".join(str(r.port) for r in replica_set.members)
            print(f"Devolution-spectrum explorer: {replica_set.url}  ({args.replicas} replicas on 127.0.0.1 ports "
                  f"{ports} behind nginx, listening on {args.address}; logs in {args.run_dir}/logs; Ctrl+C stops)",
                  flush=True)
            replica_set.supervise(restart=not args.no_restart)
    except KeyboardInterrupt:
        print("\nstopped", flush=True)
        return 0
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
