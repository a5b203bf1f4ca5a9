"""Load test: many visitors at once on a realistic mix of pages, plus workshop registrations.

    python bench/load.py [--duration 60] [--clients 50] [--workers 2] [--page-cache] [--writes]

Serves the benchmark database (`kosi_bench` of bench/run.py, built at --scale with
bench/populate.py when missing) with gunicorn and production settings on 127.0.0.1. wrk
sends --clients parallel clients (one connection each) for --duration seconds, each request
to a path drawn at random, weighted, from a mix (MIX below: home, directories with and
without filters, lab, actor, event and series pages, search, the .ics calendar and the Atom
feed, sitemap, static files; bench/load.lua). At the same time one registration a second is
sent to a workshop's form (form page for the CSRF token, POST with a new e-mail address,
then the "check your e-mail" page it redirects to), and afterwards the stored
registrations are counted (and deleted again, unless --keep-registrations).

With --writes the load is a busy announcement day: each registration is also confirmed through
the link in its e-mail (read from the server log, where the console backend writes it), and a
workshop is published every 10 seconds. With --page-cache, before the load, 200 addresses of
the sitemap are cached, one workshop published and one registration confirmed, and the
share of the addresses still served from the cache is printed (invalidation by dependency).

Prints requests/s, p50/p95/p99 and errors per kind and in total, and writes the table to
bench/results/ (git-ignored). Errors are answers outside 2xx/3xx, socket errors (including
answers slower than 10 s), gunicorn errors in the server log (a worker that timed out or
crashed drops its request) and registrations that failed or were not stored; zero are
expected, and the exit status is 1 otherwise. The server's limit on
registrations per IP address is raised for this run (all come from 127.0.0.1), e-mails go
to the server log (console backend), and the page cache is off unless --page-cache names
a Redis server, so the figures are the application's own.
"""

import argparse
import concurrent.futures
import json
import random
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from common import (
    BENCH,
    DATABASE_NAME,
    MIX,
    RESULTS,
    application_errors,
    bench_environment,
    confirm_registration,
    confirmation_path,
    create_database,
    django_json,
    forget_cache,
    gunicorn,
    media_root,
    mix_and_workshop,
    parse_wrk,
    percentile,
    postgres_database_exists,
    prepare_database,
    send_registration,
    server_errors,
    warm_up,
    worker_peak_rss_mb,
    wrk,
)

REGISTRATIONS_SCRIPT = """
import json
from events.models import Registration
registrations = Registration.objects.filter(email__startswith=PREFIX)
count = registrations.count()
if DELETE:
    registrations.delete()
print(json.dumps(count))
"""


PUBLISH_SCRIPT = """
import json, random
from events.models import EventPage
pages = EventPage.objects.live().filter(locale__language_code="de").exclude(url_path__in=[SKIP])
page = pages.order_by("pk")[random.randrange(pages.count())].specific
page.teaser = (page.teaser.split(" [")[0] + " [" + TEXT + "]")[:400]
page.save_revision().publish()
print(json.dumps(page.url_path))
"""


def publish_a_workshop(env: dict, text: str, skip: str = "") -> str:
    """Publish a changed teaser of a random German workshop (not `skip`); its url_path."""
    script = PUBLISH_SCRIPT.replace("TEXT", json.dumps(text)).replace("SKIP", json.dumps(skip))
    return django_json(script, env)


class Publisher(threading.Thread):
    """A workshop published every `interval` seconds, as editors do on a busy day."""

    def __init__(self, env: dict, duration: float, interval: float = 10):
        super().__init__(daemon=True)
        self.env, self.duration, self.interval = env, duration, interval
        self.published = 0
        self.failures: list[str] = []

    def run(self):
        start = time.monotonic()
        while time.monotonic() - start + self.interval <= self.duration:
            time.sleep(self.interval)
            try:
                publish_a_workshop(self.env, f"load {self.published}")
                self.published += 1
            except SystemExit as error:  # django_json's report of a failed script
                self.failures.append(str(error)[-300:])


class Registrations(threading.Thread):
    """One registration a second for `duration` seconds, each with a new e-mail address and
    in a thread of its own (a slow server does not lower the rate), like a visitor: the
    form page (CSRF cookie and token), the POST, the page it redirects to; with `server_log`
    also the confirmation link mailed to it."""

    def __init__(self, port: int, workshop: str, duration: float, prefix: str, server_log=None):
        super().__init__(daemon=True)
        self.port, self.workshop, self.duration, self.prefix = port, workshop, duration, prefix
        self.server_log = server_log
        self.latencies_ms: list[float] = []
        self.sent = 0
        self.confirmed = 0
        self.failures: list[str] = []

    def run(self):
        start = time.monotonic()
        attempts = []
        while self.sent < self.duration:
            time.sleep(max(0.0, start + self.sent - time.monotonic()))
            attempt = threading.Thread(target=self.attempt, args=(self.sent,), daemon=True)
            attempt.start()
            attempts.append(attempt)
            self.sent += 1
        for attempt in attempts:
            attempt.join()

    def attempt(self, number: int):
        email = f"{self.prefix}{number}@example.org"
        result = send_registration(self.port, self.workshop, email, f"Last Test {number}")
        if result.post_ms is not None:
            self.latencies_ms.append(result.post_ms)
        if result.failure:
            self.failures.append(result.failure)
        elif self.server_log is not None:
            failure = self.confirm(email)
            if failure:
                self.failures.append(failure)
            else:
                self.confirmed += 1

    def confirm(self, email: str) -> str:
        for _ in range(60):
            link = confirmation_path(self.server_log, email)
            if link:
                return confirm_registration(self.port, link)
            time.sleep(0.5)
        return f"no confirmation e-mail to {email} in the server log after 30 s"


def sitemap_paths(base: str, count: int) -> list[str]:
    with urllib.request.urlopen(f"{base}/sitemap.xml", timeout=60) as response:  # noqa: S310
        locations = re.findall(r"<loc>([^<]+)</loc>", response.read().decode())
    paths = sorted({urllib.parse.urlsplit(location).path for location in locations})
    return random.Random(1).sample(paths, min(count, len(paths)))  # noqa: S311 - the same sample each run


def cache_states(base: str, paths: list[str]) -> dict[str, str]:
    def state(path):
        with urllib.request.urlopen(base + path, timeout=60) as response:  # noqa: S310
            response.read()
            return path, response.headers.get("X-Cache") or "-"

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        return dict(pool.map(state, paths))


def hits_after_changes(base, env, port, workshop, server_log, prefix) -> list[str]:
    """How many of 200 cached addresses are still served from the cache after one workshop
    is published, and after one registration is confirmed (the workshop's own pages left
    out: they show the change)."""
    paths = sitemap_paths(base, 200)
    lines = []
    cache_states(base, paths)
    cache_states(base, paths)
    published = publish_a_workshop(env, "bench", skip=workshop)
    states = cache_states(base, paths)
    hits = sum(state == "HIT" for state in states.values())
    lines.append(
        f"after publishing one workshop ({published}): {hits} of {len(paths)} cached "
        f"addresses still from the cache ({hits / len(paths):.0%})"
    )
    cache_states(base, paths)
    registrations = Registrations(port, workshop, 1, f"{prefix}hits-", server_log)
    registrations.attempt(0)
    if registrations.failures:
        lines.append(f"registration for the cache check failed: {registrations.failures[0]}")
    others = [path for path in paths if not workshop.endswith(path)]
    states = cache_states(base, others)
    hits = sum(state == "HIT" for state in states.values())
    lines.append(
        f"after confirming one registration: {hits} of {len(others)} other cached addresses "
        f"still from the cache ({hits / len(others):.0%})"
    )
    return lines


def per_kind(output: str) -> tuple[dict[str, dict], int]:
    """What load.lua's done() prints: answers, errors (outside 2xx/3xx) and percentiles per
    kind, and how many requests wrk asked for again before an answer came."""
    kinds, resent = {}, 0
    for line in output.splitlines():
        if line.startswith("kind\t"):
            _, kind, answered, errors, p50, p95, p99 = line.split("\t")
            kinds[kind] = {
                "requests": int(answered),
                "errors": int(errors),
                "p50": int(p50) / 1000,
                "p95": int(p95) / 1000,
                "p99": int(p99) / 1000,
            }
        elif line.startswith("resent\t"):
            resent = int(line.split("\t")[1])
    return kinds, resent


def row(name: str, share: str, requests: int, rps: float, result: dict, errors: int) -> str:
    return (
        f"{name:<24} {share:>6} {requests:>9} {rps:>8.1f} {result['p50']:>8.1f} "
        f"{result['p95']:>8.1f} {result['p99']:>8.1f} {errors:>7}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds (default 60)")
    parser.add_argument("--clients", type=int, default=50, help="parallel clients (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--port", type=int, default=8766, help="default 8766 (bench: 8765)")
    parser.add_argument(
        "--database-name",
        default=DATABASE_NAME,
        help=f"PostgreSQL database, used as it is when it exists (default {DATABASE_NAME}, "
        "the one bench/run.py builds)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="data set size when the database is built (1.0: a large city, see bench/populate.py)",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="build the database again even if it exists"
    )
    parser.add_argument(
        "--page-cache",
        nargs="?",
        const="redis://127.0.0.1:6379/0",
        metavar="REDIS_URL",
        help="serve with Redis and the page cache (default redis://127.0.0.1:6379/0); "
        "off by default, so the application itself is measured",
    )
    parser.add_argument(
        "--writes",
        action="store_true",
        help="confirm each registration through its e-mail's link and publish a workshop "
        "every 10 s (with --page-cache: and measure how many cached pages a change leaves)",
    )
    parser.add_argument(
        "--keep-registrations",
        action="store_true",
        help="leave the test registrations in the database (deleted after counting)",
    )
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    work_dir = Path(tempfile.mkdtemp(prefix="kosi-load-"))
    name = arguments.database_name
    reuse = not arguments.rebuild and postgres_database_exists(name)
    env = bench_environment(
        create_database("postgres", work_dir, reuse=reuse, name=name),
        work_dir,
        arguments.port,
        media_root("postgres", work_dir, name),
    )
    cache_prefix = f"kosi-load-{secrets.token_hex(4)}"
    env.update(
        {
            # every registration comes from 127.0.0.1
            "PORTAL_REGISTRATION_LIMIT_PER_IP": "1000000",
            "REDIS_URL": arguments.page_cache or "",
            "PORTAL_CACHE_PREFIX": cache_prefix,
            "PORTAL_PAGE_CACHE_SECONDS": "" if arguments.page_cache else "0",
        }
    )
    if reuse:
        print(f"Using the database {name} as it is (--rebuild builds it again) …", flush=True)
    else:
        print(f"Building the database {name} at scale {arguments.scale} …", flush=True)
    prepare_database(env, None if reuse else arguments.scale)
    mix, workshop, pages = mix_and_workshop(env)
    mix_file = work_dir / "mix.tsv"
    mix_file.write_text("".join(f"{kind}\t{weight}\t{path}\n" for kind, weight, path in mix))

    base = f"http://127.0.0.1:{arguments.port}"
    server_log = work_dir / "server.log"
    prefix = f"load-{datetime.now(UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}-"
    with gunicorn(env, arguments.port, arguments.workers, server_log) as server:
        print(f"Warming up ({len(mix)} paths) …", flush=True)
        warm_up(base, mix, server_log, arguments.workers)
        dependency_lines = []
        if arguments.writes and arguments.page_cache:
            print("Measuring what one publish and one registration leave cached …", flush=True)
            dependency_lines = hits_after_changes(
                base, env, arguments.port, workshop, server_log, prefix
            )
        writes = ", confirmed, and a publish every 10 s" if arguments.writes else ""
        print(
            f"Loading for {arguments.duration}s with {arguments.clients} clients and one "
            f"registration a second at {workshop}{writes} …",
            flush=True,
        )
        registrations = Registrations(
            arguments.port,
            workshop,
            arguments.duration,
            prefix,
            server_log if arguments.writes else None,
        )
        registrations.start()
        publisher = Publisher(env, arguments.duration) if arguments.writes else None
        if publisher:
            publisher.start()
        output = wrk(
            base,
            arguments.duration,
            arguments.clients,
            BENCH / "load.lua",
            threads=arguments.clients,
            script_arguments=(str(mix_file),),
        )
        registrations.join()
        if publisher:
            publisher.join()
        peak_rss = worker_peak_rss_mb(server.pid)
    stored = django_json(
        REGISTRATIONS_SCRIPT.replace("PREFIX", json.dumps(prefix)).replace(
            "DELETE", str(not arguments.keep_registrations)
        ),
        env,
    )

    if arguments.page_cache:  # after the deletion above, which makes all pages stale
        forget_cache(arguments.page_cache, cache_prefix)

    total = parse_wrk(output)
    kinds, resent = per_kind(output)
    socket_errors = total["socket_errors"]
    dropped = server_errors(server_log)
    # failed ones, and successful ones that were not stored
    succeeded = registrations.sent - len(registrations.failures)
    registration_errors = len(registrations.failures) + max(0, succeeded - stored)
    publish_errors = len(publisher.failures) if publisher else 0
    errors = (
        total["errors"]
        + sum(socket_errors.values())
        + len(dropped)
        + registration_errors
        + publish_errors
    )
    registration_result = {
        "p50": percentile(registrations.latencies_ms, 50),
        "p95": percentile(registrations.latencies_ms, 95),
        "p99": percentile(registrations.latencies_ms, 99),
    }

    header = (
        f"{'kind':<24} {'share':>6} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}"
    )
    cache = f"page cache on ({arguments.page_cache})" if arguments.page_cache else "page cache off"
    if arguments.writes:
        cache += ", with writes (registrations confirmed, a publish every 10 s)"
    lines = [
        f"KoSI-Lab portal load test, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, postgres {name} "
        f"({pages} live pages), {arguments.workers} workers, {arguments.clients} clients, "
        f"{arguments.duration}s, {cache}",
        header,
        "-" * len(header),
    ]
    for kind, share in MIX:
        if kind in kinds:
            result = kinds[kind]
            lines.append(
                row(
                    kind,
                    f"{share}%",
                    result["requests"],
                    result["requests"] / arguments.duration,
                    result,
                    result["errors"],
                )
            )
    lines.append(
        row(
            "registration (POST)",
            "1/s",
            registrations.sent,
            registrations.sent / arguments.duration,
            registration_result,
            registration_errors,
        )
    )
    lines.append("-" * len(header))
    lines.append(
        row(
            "total",
            "",
            total["requests"] + registrations.sent,
            total["rps"] + registrations.sent / arguments.duration,
            total,
            errors,
        )
    )
    lines.append(
        f"errors: {total['errors']} answers outside 2xx/3xx, socket errors (connect "
        f"{socket_errors['connect']}, read {socket_errors['read']}, write "
        f"{socket_errors['write']}, timeout {socket_errors['timeout']}), {len(dropped)} "
        f"gunicorn errors in the server log, {registration_errors} failed registrations"
    )
    lines.append(
        f"total p50/p95/p99: all GET requests (wrk); {resent} sent again after a reconnect "
        f"before the answer (counted above if the reason was an error)"
    )
    lines.append(
        f"registrations: {registrations.sent} sent, {stored} stored in the database"
        f"{' (kept)' if arguments.keep_registrations else ' (deleted again)'}; "
        f"each also loads the form page and the confirmation page (not in the table)"
    )
    if arguments.writes:
        lines.append(
            f"writes: {registrations.confirmed} registrations confirmed through their link, "
            f"{publisher.published} workshops published, {publish_errors} failed publishes"
        )
    lines += dependency_lines
    lines.append(f"peak RSS of a worker: {peak_rss:.0f} MB")
    table = "\n".join(lines)
    print()
    print(table)
    for failure in registrations.failures[:5]:
        print(f"registration failed: {failure}")
    for failure in (publisher.failures if publisher else [])[:3]:
        print(f"publish failed: {failure}")
    for line in dropped[:5] + application_errors(server_log):
        print(f"server: {line}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"load-{datetime.now(UTC):%Y%m%d-%H%M%S}.txt").write_text(table + "\n")
    if errors:
        sys.exit(f"{errors} errors; the server log is kept: {server_log}")
    shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
