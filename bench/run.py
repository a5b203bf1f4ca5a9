"""Benchmark: serve the portal with gunicorn (production settings) and load it with wrk.

    python bench/run.py [--scale 1.0] [--database postgres|sqlite] [--duration 10]
                        [--reuse] [--database-name kosi_bench] [--page-cache [REDIS_URL]]

Builds a separate database (PostgreSQL `kosi_bench`, or a temporary SQLite file), fills it
with bench/populate.py, starts gunicorn with 2 workers on 127.0.0.1 and measures each URL at
concurrency 8. One static file served by WhiteNoise in the same run is the reference: the
ratio column compares every page with it, so results from different machines compare, and
the target column gives issue #11's goal for that kind of page (met: "ok"). The page cache is
off unless --page-cache is given, so by default the application itself is measured. The last
line gives the CSS and font bytes of the home page (issue #24: its linked stylesheets and
preloaded fonts).
Prints one row per URL and writes the table to bench/results/ (git-ignored). Needs Debian's
`wrk` (apt-get install wrk). Nothing here is asserted: figures, not tests. The database,
server and wrk parts are shared with the load test (bench/common.py, bench/load.py); the
uploads of the PostgreSQL database stay in var/bench/kosi_bench/ for --reuse.
"""

import argparse
import json
import secrets
import shutil
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from common import (
    BENCH,
    DATABASE_NAME,
    RESULTS,
    bench_environment,
    create_database,
    django_json,
    forget_cache,
    gunicorn,
    media_root,
    parse_wrk,
    prepare_database,
    worker_peak_rss_mb,
    wrk,
)


def urls_to_measure(env: dict) -> dict[str, str]:
    """Paths of the pages to measure, looked up in the benchmark database."""
    script = """
import json
from django.contrib.staticfiles.storage import staticfiles_storage
from events.models import EventIndexPage, EventPage, EventSeriesPage
from labs.models import ActorIndexPage, ActorPage, LabIndexPage, LabPage
from wagtail.models import Site
# the measured municipality: the default site (with --sites, others have only a skeleton)
on_site = {"locale__language_code": "de"}
site = Site.objects.get(is_default_site=True)
on_site["path__startswith"] = site.root_page.path
event_index = EventIndexPage.objects.get(**on_site)
from django.utils import timezone
from events.models import RegistrationMode
german_events = EventPage.objects.live().filter(locale__language_code="de")
event = german_events.exclude(registration_mode=RegistrationMode.BUILT_IN)
event = event.filter(start__gte=timezone.now()).order_by("start").first()
form_event = german_events.filter(registration_mode=RegistrationMode.BUILT_IN).first()
series = EventSeriesPage.objects.get(**on_site)
lab = LabPage.objects.live().filter(locale__language_code="de").order_by("pk").first()
actor = ActorPage.objects.live().filter(locale__language_code="de", partner_roles__isnull=False)
actor = actor.order_by("pk").first()
lab_index = LabIndexPage.objects.get(**on_site)
actor_index = ActorIndexPage.objects.get(**on_site)
print(json.dumps({
    "static file (reference)": staticfiles_storage.url("css/portal.css"),
    "home": "/de/",
    "lab index": lab_index.relative_url(site),
    "lab index, filtered": lab_index.relative_url(site) + "?phase=2&city=Dortmund",
    "lab page": lab.relative_url(site),
    "actor index": actor_index.relative_url(site),
    "actor index, filtered": actor_index.relative_url(site) + "?sector=research",
    "actor page": actor.relative_url(site),
    "event index": event_index.relative_url(site),
    "event index, filtered": event_index.relative_url(site) + "?format=in_person",
    "event page": event.relative_url(site),
    "event page with form": form_event.relative_url(site),
    "series page": series.relative_url(site),
    "full .ics feed": event_index.relative_url(site) + "calendar/",
    "search (common word)": "/de/suche/?q=Quartier",
    "search (partial word)": "/de/suche/?q=Nachbarsch",
    "sitemap": "/sitemap.xml",
}))
"""
    return django_json(script, env)


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
    return {name: tuple(values) for name, values in django_json(script, env).items()}


def home_css_and_fonts(env: dict) -> dict[str, int]:
    """What the home page makes a browser load besides itself for its look: every linked
    stylesheet and every preloaded font (the two main cuts; an italic is fetched only when
    a page has one), in bytes as stored and as sent compressed (gzip, as WhiteNoise does for
    CSS; WOFF2 is compressed already)."""
    script = """
import gzip, json, re
from pathlib import Path
from django.conf import settings
from django.test import Client
client = Client(SERVER_NAME="127.0.0.1")
html = client.get("/de/").content.decode()
links = re.findall(r"<link ([^>]*)>", html)
wanted = []
for attributes in links:
    href = re.search(r'href="([^"]+)"', attributes)
    if href and ('rel="stylesheet"' in attributes or 'as="font"' in attributes):
        wanted.append(href.group(1).replace("&amp;", "&"))
result = {"files": 0, "css": 0, "css_gzip": 0, "fonts": 0}
for url in wanted:
    if url.startswith(settings.STATIC_URL):
        name = url[len(settings.STATIC_URL):].split("?")[0]
        body = (Path(settings.STATIC_ROOT) / name).read_bytes()
    else:
        body = b"".join(client.get(url))
    result["files"] += 1
    if url.split("?")[0].endswith(".woff2"):
        result["fonts"] += len(body)
    else:
        result["css"] += len(body)
        result["css_gzip"] += len(gzip.compress(body))
print(json.dumps(result))
"""
    return django_json(script, env)


# Issue #11's goals as a share of the static file's requests/s (uncached): detail pages
# 1/20, index and home pages 1/30, search 1/40; with the page cache every cacheable page 1/2.
TARGETS = {
    "home": 30,
    "lab index": 30,
    "lab index, filtered": 30,
    "lab page": 20,
    "actor index": 30,
    "actor index, filtered": 30,
    "actor page": 20,
    "event index": 30,
    "event index, filtered": 30,
    "event page": 20,
    "event page with form": 20,
    "series page": 20,
    "search (common word)": 40,
    "search (partial word)": 40,
}


# Never in the page cache: the registration form holds a CSRF token for each visitor.
NOT_CACHEABLE = {"static file (reference)", "event page with form"}


def target_cell(name: str, ratio: float | None, page_cache: bool) -> str:
    goal = TARGETS.get(name)
    if page_cache:
        goal = None if name in NOT_CACHEABLE else 2
    if goal is None or ratio is None:
        return ""
    return f"1/{goal} {'ok' if ratio <= goal else 'MISSED'}"


def warm_up(url: str, requests: int):
    """A few requests first, so that every worker has compiled the templates and created the
    renditions of this page (the steady state is measured, not a server's first minute)."""
    for _ in range(requests):
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - localhost
            response.read()


def measure(url: str, duration: int, concurrency: int) -> dict:
    result = parse_wrk(wrk(url, duration, concurrency, BENCH / "percentiles.lua"))
    result["errors"] += sum(result["socket_errors"].values())
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="data set size (1.0: a large city, see bench/populate.py)",
    )
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument(
        "--sites",
        type=int,
        default=1,
        help="municipalities in the installation (the first is measured; issue #18)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the PostgreSQL database of the last run again (building takes long: "
        "about 15 minutes for --scale 1 on two quiet cores)",
    )
    parser.add_argument(
        "--database-name",
        default=DATABASE_NAME,
        help=f"PostgreSQL database (default {DATABASE_NAME})",
    )
    parser.add_argument(
        "--page-cache",
        nargs="?",
        const="redis://127.0.0.1:6379/0",
        metavar="REDIS_URL",
        help="serve with Redis and the page cache (default redis://127.0.0.1:6379/0); "
        "off by default, so the application itself is measured",
    )
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    work_dir = Path(tempfile.mkdtemp(prefix="kosi-bench-"))
    reuse = arguments.reuse and arguments.database == "postgres"
    name = arguments.database_name
    database_url = create_database(arguments.database, work_dir, reuse=reuse, name=name)
    env = bench_environment(
        database_url, work_dir, arguments.port, media_root(arguments.database, work_dir, name)
    )
    cache_prefix = f"kosi-bench-{secrets.token_hex(4)}"
    env.update(
        {
            "REDIS_URL": arguments.page_cache or "",
            "PORTAL_CACHE_PREFIX": cache_prefix,
            "PORTAL_PAGE_CACHE_SECONDS": "600" if arguments.page_cache else "0",
        }
    )
    if not reuse:
        print(f"Preparing {arguments.database} database at scale {arguments.scale} …", flush=True)
    prepare_database(env, None if reuse else arguments.scale, arguments.sites)
    paths = urls_to_measure(env)
    counts = queries_and_bytes(env, paths)
    look = home_css_and_fonts(env)

    base = f"http://127.0.0.1:{arguments.port}"
    server_log = work_dir / "server.log"
    with gunicorn(env, arguments.port, arguments.workers, server_log, paths["home"]) as server:
        rows = []
        for name, path in paths.items():
            warm_up(base + path, requests=4 * arguments.workers)
            result = measure(base + path, arguments.duration, arguments.concurrency)
            rows.append((name, path, result))
            print(f"  measured {name}: {result['rps']:.0f} req/s", flush=True)
        peak_rss = worker_peak_rss_mb(server.pid)
    if arguments.page_cache:
        forget_cache(arguments.page_cache, cache_prefix)

    reference = rows[0][2]["rps"]
    header = (
        f"{'URL':<24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'queries':>8} "
        f"{'bytes':>8} {'ratio':>8} {'errors':>6}  target"
    )
    lines = [
        f"KoSI-Lab portal benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{arguments.database}, scale {arguments.scale}, {arguments.sites} site(s), "
        f"{arguments.workers} workers, "
        f"concurrency {arguments.concurrency}, {arguments.duration}s per URL, "
        f"page cache {'on (Redis)' if arguments.page_cache else 'off'}",
        header,
        "-" * len(header),
    ]
    for name, _path, result in rows:
        queries, size = counts[name]
        share = reference / result["rps"] if result["rps"] else None
        ratio = f"1/{share:.1f}" if share else "-"
        lines.append(
            f"{name:<24} {result['rps']:>8.0f} {result['p50']:>8.1f} {result['p95']:>8.1f} "
            f"{result['p99']:>8.1f} "
            f"{queries:>8} {size:>8} {ratio:>8} {result['errors']:>6}  "
            f"{target_cell(name, share, bool(arguments.page_cache))}"
        )
    lines.append(f"peak RSS of a worker: {peak_rss:.0f} MB")
    lines.append(
        f"CSS and fonts of the home page: {look['files']} files, "
        f"{look['css'] + look['fonts']:,} bytes ({look['css']:,} CSS, {look['fonts']:,} fonts); "
        f"sent compressed {look['css_gzip'] + look['fonts']:,} bytes"
    )
    table = "\n".join(lines)
    print()
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"bench-{datetime.now(UTC):%Y%m%d-%H%M%S}.txt").write_text(table + "\n")
    shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
