"""Benchmark: serve the portal with gunicorn (production settings) and load it with wrk.

    python bench/run.py [--scale 1.0] [--database postgres|sqlite] [--duration 10]

Builds a separate database (PostgreSQL `kosi_bench`, or a temporary SQLite file), fills it
with bench/populate.py, starts gunicorn with 2 workers on 127.0.0.1 and measures each URL at
concurrency 8. One static file served by WhiteNoise in the same run is the reference: the
ratio column compares every page with it, so results from different machines compare.
Prints one row per URL and writes the table to bench/results/ (git-ignored). Needs Debian's
`wrk` (apt-get install wrk). Nothing here is asserted: figures, not tests.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def bench_environment(database_url: str, work_dir: Path, port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(work_dir / "static"),
        "DJANGO_MEDIA_ROOT": str(work_dir / "media"),
        "PORTAL_SERVE_MEDIA": "true",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def create_database(kind: str, work_dir: Path, reuse: bool = False) -> str:
    if kind == "sqlite":
        return f"sqlite:///{work_dir / 'bench.sqlite3'}"
    if reuse:
        return f"{POSTGRES_ADMIN_URL}/kosi_bench"
    import psycopg

    with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS kosi_bench")
        connection.execute("CREATE DATABASE kosi_bench")
    return f"{POSTGRES_ADMIN_URL}/kosi_bench"


def run(command: list[str], env: dict):
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603


def urls_to_measure(env: dict) -> dict[str, str]:
    """Paths of the pages to measure, looked up in the benchmark database."""
    script = """
import json
from django.contrib.staticfiles.storage import staticfiles_storage
from events.models import EventIndexPage, EventPage, EventSeriesPage
from labs.models import ActorIndexPage, ActorPage, LabIndexPage, LabPage
event_index = EventIndexPage.objects.get(locale__language_code="de")
event = EventPage.objects.live().filter(locale__language_code="de", part_number=2).first()
series = EventSeriesPage.objects.get(locale__language_code="de")
lab = LabPage.objects.live().filter(locale__language_code="de").order_by("pk").first()
actor = ActorPage.objects.live().filter(locale__language_code="de", partner_roles__isnull=False)
actor = actor.order_by("pk").first()
lab_index = LabIndexPage.objects.get(locale__language_code="de")
actor_index = ActorIndexPage.objects.get(locale__language_code="de")
print(json.dumps({
    "static file (reference)": staticfiles_storage.url("css/portal.css"),
    "home": "/de/",
    "lab index": lab_index.url,
    "lab index, filtered": lab_index.url + "?phase=2&city=Dortmund",
    "lab page": lab.url,
    "actor index": actor_index.url,
    "actor index, filtered": actor_index.url + "?sector=research",
    "actor page": actor.url,
    "event index": event_index.url,
    "event index, filtered": event_index.url + "?format=in_person",
    "event page": event.url,
    "series page": series.url,
    "full .ics feed": event_index.url + "calendar/",
    "search (common word)": "/de/suche/?q=Quartier",
    "search (partial word)": "/de/suche/?q=Nachbarsch",
    "sitemap": "/sitemap.xml",
}))
"""
    output = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def queries_and_bytes(env: dict, paths: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Database queries and response size per URL, counted in-process with the test client."""
    script = f"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(SERVER_NAME="127.0.0.1")
result = {{}}
for name, path in {json.dumps(paths)}.items():
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    body = b"".join(response) if response.streaming else response.content
    result[name] = [len(queries.captured_queries), len(body)]
print(json.dumps(result))
"""
    output = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {
        name: tuple(values) for name, values in json.loads(output.strip().splitlines()[-1]).items()
    }


def wait_until_serving(url: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url}")


def to_ms(value: str) -> float:
    """wrk's latency ("850.00us", "12.5ms", "1.20s", "1.05m"); NaN when it has none."""
    match = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    if match is None:
        return float("nan")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def measure(url: str, duration: int, concurrency: int) -> dict:
    output = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk"),
            "--threads",
            "2",
            "--connections",
            str(concurrency),
            "--duration",
            f"{duration}s",
            "--timeout",
            "10s",
            "--latency",
            "--script",
            str(ROOT / "bench" / "percentiles.lua"),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    requests = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"50%\s+(\S+)", output).group(1))
    p99 = to_ms(re.search(r"99%\s+(\S+)", output).group(1))
    p95 = float(re.search(r"p95_us=(\d+)", output).group(1)) / 1000
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": requests,
        "p50": p50,
        "p95": p95,
        "p99": p99,
        "errors": int(errors.group(1)) if errors else 0,
    }


def worker_peak_rss_mb(master_pid: int) -> float:
    peaks = []
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return max(peaks, default=0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="data set size (1.0 = 200 labs, 500 actors)"
    )
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the PostgreSQL database of the last run again (large scales take long "
        "to build: about 40 minutes for --scale 7)",
    )
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    work_dir = Path(tempfile.mkdtemp(prefix="kosi-bench-"))
    reuse = arguments.reuse and arguments.database == "postgres"
    database_url = create_database(arguments.database, work_dir, reuse=reuse)
    env = bench_environment(database_url, work_dir, arguments.port)
    if not reuse:
        print(f"Preparing {arguments.database} database at scale {arguments.scale} …", flush=True)
        run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env)
        run([sys.executable, "bench/populate.py", "--scale", str(arguments.scale)], env)
    run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    paths = urls_to_measure(env)
    counts = queries_and_bytes(env, paths)

    base = f"http://127.0.0.1:{arguments.port}"
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{arguments.port}",
            "--workers",
            str(arguments.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_serving(base + paths["home"])
        rows = []
        for name, path in paths.items():
            result = measure(base + path, arguments.duration, arguments.concurrency)
            rows.append((name, path, result))
            print(f"  measured {name}: {result['rps']:.0f} req/s", flush=True)
        peak_rss = worker_peak_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    reference = rows[0][2]["rps"]
    header = (
        f"{'URL':<24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'queries':>8} "
        f"{'bytes':>8} {'ratio':>8} {'errors':>6}"
    )
    lines = [
        f"KoSI-Lab portal benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{arguments.database}, scale {arguments.scale}, {arguments.workers} workers, "
        f"concurrency {arguments.concurrency}, {arguments.duration}s per URL",
        header,
        "-" * len(header),
    ]
    for name, _path, result in rows:
        queries, size = counts[name]
        ratio = f"1/{reference / result['rps']:.1f}" if result["rps"] else "-"
        lines.append(
            f"{name:<24} {result['rps']:>8.0f} {result['p50']:>8.1f} {result['p95']:>8.1f} "
            f"{result['p99']:>8.1f} "
            f"{queries:>8} {size:>8} {ratio:>8} {result['errors']:>6}"
        )
    lines.append(f"peak RSS of a worker: {peak_rss:.0f} MB")
    table = "\n".join(lines)
    print()
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"bench-{datetime.now(UTC):%Y%m%d-%H%M%S}.txt").write_text(table + "\n")
    shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
