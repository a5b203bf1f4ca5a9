"""What the benchmark (bench/run.py) and the load test (bench/load.py) share: the benchmark
database, the environment and gunicorn process of the server under test, and wrk's output."""

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE_NAME = "kosi_bench"


def media_root(kind: str, work_dir: Path, name: str = DATABASE_NAME) -> Path:
    """The uploads (images of the workshops) belong to the database: beside a PostgreSQL
    database, which later runs reuse, in var/bench/<name>/ (git-ignored); in the work
    directory for a SQLite one."""
    return work_dir / "media" if kind == "sqlite" else ROOT / "var" / "bench" / name / "media"


def bench_environment(database_url: str, work_dir: Path, port: int, media: Path) -> dict:
    """Production settings for a server on 127.0.0.1 with the uploads in `media`. E-mails
    go to the server's log (the console backend, whatever DJANGO_EMAIL_HOST says outside)
    and no errors to Sentry."""
    # never the real bucket or CDN of the shell that starts the benchmark
    outside = ("AWS_", "PORTAL_FRONTEND_CACHE_URL", "PORTAL_CLOUDFLARE_", "SENTRY_")
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(outside)},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(work_dir / "static"),
        "DJANGO_MEDIA_ROOT": str(media),
        "PORTAL_SERVE_MEDIA": "true",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_EMAIL_HOST": "",
        "SENTRY_DSN": "",
    }


def postgres_database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return row.fetchone() is not None


def create_database(
    kind: str, work_dir: Path, reuse: bool = False, name: str = DATABASE_NAME
) -> str:
    """The database URL; a new, empty PostgreSQL database `name` (without uploads) unless
    `reuse`."""
    if kind == "sqlite":
        return f"sqlite:///{work_dir / 'bench.sqlite3'}"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"not a plain database name: {name!r}")
    if not reuse:
        import psycopg

        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name}")
            connection.execute(f"CREATE DATABASE {name}")
        shutil.rmtree(media_root(kind, work_dir, name), ignore_errors=True)
    return f"{POSTGRES_ADMIN_URL}/{name}"


def run(command: list[str], env: dict):
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare_database(env: dict, scale: float | None, sites: int = 1):
    """Migrate, fill a new database with bench/populate.py at `scale` (None: it is filled
    already) in an installation of `sites` municipalities, and collect the static files
    into the work directory."""
    run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env)
    if scale is not None:
        populate = [sys.executable, "bench/populate.py", "--scale", str(scale)]
        run([*populate, "--sites", str(sites)], env)
    run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env)


def django_json(script: str, env: dict):
    """Run `script` in `manage.py shell` and decode the JSON its last printed line holds."""
    process = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if process.returncode:
        raise SystemExit(f"manage.py shell failed:\n{process.stderr[-3000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def ensure_port_free(port: int):
    """Stop before measuring someone else's server on the same port."""
    with socket.socket() as probe:
        # like gunicorn: connections of an earlier run waiting to close do not count
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise SystemExit(f"port {port} is in use: choose another with --port") from None


def wait_until_serving(url: str, server: subprocess.Popen | None = None, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise SystemExit(f"gunicorn stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        except OSError:  # refused, or an HTTPError while it starts
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url}")


@contextlib.contextmanager
def gunicorn(env: dict, port: int, workers: int, log_file: Path, ready_path: str = "/de/"):
    """Serve the portal with gunicorn on 127.0.0.1:`port` while the block runs. The server's
    output (request log, e-mails of the console backend) goes to `log_file`; its last lines
    are shown when the server does not start."""
    ensure_port_free(port)
    with log_file.open("ab") as log:
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        try:
            wait_until_serving(f"http://127.0.0.1:{port}{ready_path}", server)
        except SystemExit:
            print(log_tail(log_file), file=sys.stderr)
            raise
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def log_tail(log_file: Path, lines: int = 30) -> str:
    text = log_file.read_text(errors="replace") if log_file.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def worker_peak_rss_mb(master_pid: int) -> float:
    peaks = []
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return max(peaks, default=0.0)


def wrk(
    url: str,
    duration: int,
    connections: int,
    script: Path,
    threads: int = 2,
    script_arguments: tuple[str, ...] = (),
) -> str:
    """Run wrk with its latency distribution and `script`; returns its output."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    command = [
        shutil.which("wrk"),
        "--threads",
        str(threads),
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "--script",
        str(script),
        url,
    ]
    if script_arguments:
        command += ["--", *script_arguments]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


def to_ms(value: str) -> float:
    """wrk's latency ("850.00us", "12.5ms", "1.20s", "1.05m"); NaN when it has none."""
    match = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if match is None:
        return float("nan")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def parse_wrk(output: str) -> dict:
    """Requests/s, p50/p95/p99 in ms, answers outside 2xx/3xx and socket errors from wrk's
    output with --latency and a script printing "p95_us=" (percentiles.lua, load.lua)."""

    def percentile(label: str) -> float:
        # the distribution's line, not the "+/- Stdev" column (e.g. "87.50%") above it
        return to_ms(re.search(rf"^\s+{label}%\s+(\S+)", output, re.MULTILINE).group(1))

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in ", output).group(1)),
        "p50": percentile("50"),
        "p95": float(re.search(r"p95_us=(\d+)", output).group(1)) / 1000,
        "p99": percentile("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": dict(
            zip(
                ["connect", "read", "write", "timeout"],
                [int(count) for count in socket_errors.groups()] if socket_errors else [0] * 4,
                strict=True,
            )
        ),
    }


def forget_cache(redis_url: str, prefix: str):
    """Delete this run's entries (pages, rate limits, the cache version) from Redis."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)
