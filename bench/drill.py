"""Resilience drill: the portal under load while its database restarts and Redis stops
(issue #23, "runs for years without a babysitter").

    python bench/drill.py [--duration 60] [--clients 20] [--keep]

The drill brings up services of its own and breaks only those: a PostgreSQL cluster made
for it with Debian's pg_createcluster (port 54329, trust for local connections, dropped
afterwards) and a Redis server without persistence (port 63790). The machine's own
PostgreSQL and Redis are never touched. It builds a small database (bench/populate.py at
--scale), starts gunicorn once — production settings, 2 workers, the page cache on in the
drill's Redis — and checks at the end that the same processes are still serving.

For --duration seconds, --clients visitors request the load test's page mix (bench/load.py)
as fast as they are answered; a new visitor registers for a workshop every second (and
tries twice more, two seconds apart, after an error, as a person would); three probes ask
for /health/ready and for a second workshop's page every 0.25 s and for the registration
form page (never cached: it always needs the database) every 0.5 s. Every request is timed
in seconds since the load began. Meanwhile, on a timeline scaled to the duration:

    at 1/5   PostgreSQL stops (fast shutdown: every session is cut), stays down for
             --database-down seconds and starts again
    at 0.45  Redis stops for --redis-down seconds and starts again, empty
    then     the second workshop gets a new title, published through Wagtail by a
             `manage.py shell` that was loaded beforehand; the load goes on for at least
             AFTER_PUBLISH seconds more

Afterwards the registrations are counted in the database by e-mail address, and the server
log (read while it was written, so each line carries its time) is searched for errors. The
drill prints one row per phase and its checks (bench/drill_report.py), writes them to
bench/results/ (git-ignored), and exits with 1 when a check fails:

- errors only while the database is down: no request, probe or registration failed or
  went unanswered outside that outage (or more than GRACE seconds after it); while Redis
  is down every page is served (uncached) and /health/ready stays 200;
- /health/ready answered 503 naming the database as failed while PostgreSQL was down, 200
  naming Redis as degraded while Redis was down, and 200 otherwise;
- the site serves again within RECOVERY_LIMIT seconds of the database accepting
  connections (first /health/ready 200, first form page 200), and the page cache within
  that time of Redis answering (first page served from it);
- no stale page: every probe of the changed workshop begun after the publish shows the new
  title;
- registrations: every visitor whose POST was answered with the "check your e-mail"
  redirect is stored exactly once, and nobody twice, whatever the answers were;
- gunicorn not restarted: the master still runs, with the workers it started with (a
  worker that crashed or timed out would have been replaced);
- the log: errors (JSON records of level ERROR, gunicorn's ERROR lines, tracebacks) only
  during an outage, and only the lost connection to the service that was down.

Needs root (pg_createcluster), Debian's postgresql and redis-server packages and the
project's virtualenv. --keep leaves the cluster, Redis and the work directory with the
server log for inspection, and prints how to remove them.
"""

import argparse
import contextlib
import dataclasses
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from common import (
    RESULTS,
    ROOT,
    bench_environment,
    create_database,
    django_json,
    ensure_port_free,
    gunicorn,
    mix_and_workshop,
    prepare_database,
    send_registration,
    warm_up,
    worker_pids,
)
from drill_report import (
    CHANGED_PROBE,
    DATABASE_ERRORS,
    FORM_PROBE,
    GRACE,
    READINESS_PROBE,
    REDIS_ERRORS,
    REGISTRATION,
    Answer,
    LogLine,
    Outage,
    Registrant,
    Results,
    report,
)

CLUSTER = "kosi_drill"
DATABASE = "kosi_drill"
CACHE_PREFIX = "kosi-drill"
PROBE_INTERVAL = 0.25
# the form page is rendered for every request (never cached): not as often as the others
FORM_PROBE_INTERVAL = 0.5
REGISTRATION_INTERVAL = 1.0  # as in the load test
REGISTRATION_ATTEMPTS = 3  # the limit per e-mail address is 3 an hour: never more
RETRY_PAUSE = 2.0
PUBLISH_AFTER_REDIS = 1.0  # the new title is published this long after Redis is back
# the load goes on at least this long after the publish, so probes see the new title
AFTER_PUBLISH = 5.0
REQUEST_TIMEOUT = 10  # seconds, as wrk's in the load test
READINESS = "/health/ready"


# --- the drill's own services -------------------------------------------------------------


def newest_postgres_version() -> str:
    servers = Path("/usr/lib/postgresql").glob("*/bin/postgres")
    versions = sorted((path.parents[1].name for path in servers), key=lambda v: float(v))
    if not versions:
        raise SystemExit("no PostgreSQL server installed: apt-get install postgresql")
    return versions[-1]


def run_quietly(command: list[str]):
    """Run a service command; its output only when it fails."""
    process = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stdout}{process.stderr}")


class PostgresCluster:
    """A PostgreSQL cluster of the drill's own (Debian's cluster tools): local connections
    are trusted, it never starts at boot, and `drop` removes data, configuration and log."""

    def __init__(self, port: int):
        self.version, self.port = newest_postgres_version(), port
        self.url = f"postgres://postgres@127.0.0.1:{port}"

    def exists(self) -> bool:
        listing = subprocess.run(
            ["pg_lsclusters", "--no-header"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return any(line.split()[:2] == [self.version, CLUSTER] for line in listing.splitlines())

    def create(self):
        if self.exists():
            print(f"Removing the drill's cluster {CLUSTER} left by an earlier run …", flush=True)
            self.drop()
        ensure_port_free(self.port, "--postgres-port")
        run_quietly(
            [
                *("pg_createcluster", self.version, CLUSTER, "--port", str(self.port)),
                *("--start-conf", "manual", "--", "--auth=trust"),
            ]
        )
        self.start()

    def start(self):
        self.control("start")

    def stop(self):
        # fast: every session is cut at once, as in a restart or a failover
        self.control("stop", "--mode", "fast")

    def control(self, action: str, *options: str):
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, CLUSTER]
        run_quietly([*command, action, *options])

    def accepting(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(f"{self.url}/postgres", connect_timeout=1) as connection:
                connection.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    def drop(self):
        run_quietly(["pg_dropcluster", self.version, CLUSTER, "--stop"])


class RedisServer:
    """A Redis of the drill's own: no snapshots, no append-only file, so a stop loses
    everything, like a new cache server."""

    def __init__(self, port: int, work_dir: Path):
        self.port, self.work_dir = port, work_dir
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self):
        run_quietly(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "yes"),
                *("--dir", str(self.work_dir), "--logfile", str(self.work_dir / "redis.log")),
                *("--pidfile", str(self.work_dir / "redis.pid")),
            ]
        )

    def stop(self):
        run_quietly(["redis-cli", "-p", str(self.port), "shutdown", "nosave"])

    def answering(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=1).ping()
        except redis.RedisError:
            return False


def wait_for(condition, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not come up within {timeout:.0f} s")
        time.sleep(0.1)


# --- the load -----------------------------------------------------------------------------


class Clock:
    """Seconds since the load began."""

    def __init__(self):
        self.zero = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.zero

    def sleep_until(self, moment: float):
        time.sleep(max(0.0, moment - self.now()))


def fetch(port: int, path: str, kind: str, clock: Clock) -> tuple[Answer, bytes]:
    """GET `path` on a new connection (gunicorn's sync workers close each one anyway)."""
    started = clock.now()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException) as error:
        failure = f"no answer: {type(error).__name__}: {error}"
        return Answer(kind, started, clock.now(), failure=failure), b""
    finally:
        connection.close()
    failure = "" if 200 <= response.status < 400 else f"HTTP {response.status}"
    cache = response.getheader("X-Cache", "")
    return Answer(kind, started, clock.now(), response.status, failure, cache), body


class Load:
    """The visitors, the registrants and the probes, each in threads of their own, until
    `stop()`."""

    def __init__(self, port, mix, workshop, changed, prefix, clients, clock):
        self.port, self.workshop, self.changed, self.clock = port, workshop, changed, clock
        self.paths = [(kind, path) for kind, _weight, path in mix]
        self.weights = [weight for _kind, weight, _path in mix]
        self.prefix, self.clients = prefix, clients
        self.answers: list[Answer] = []  # list.append is atomic: shared by all threads
        self.registrants: list[Registrant] = []
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.registrant_threads: list[threading.Thread] = []

    def start(self):
        targets = [(self.visit, (number,)) for number in range(self.clients)]
        targets += [
            (self.probe, (READINESS_PROBE, READINESS, PROBE_INTERVAL)),
            (self.probe, (FORM_PROBE, self.workshop, FORM_PROBE_INTERVAL)),
            (self.probe, (CHANGED_PROBE, self.changed["url"], PROBE_INTERVAL)),
            (self.send_registrants, ()),
        ]
        for target, arguments in targets:
            thread = threading.Thread(target=target, args=arguments, daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        # a registrant still trying again after an error finishes its attempts
        for thread in self.registrant_threads:
            thread.join()

    def visit(self, number: int):
        rng = random.Random(number)  # noqa: S311 - a page mix, not a secret
        while not self.stopping.is_set():
            kind, path = rng.choices(self.paths, self.weights)[0]
            self.answers.append(fetch(self.port, path, kind, self.clock)[0])

    def probe(self, kind: str, path: str, interval: float):
        while not self.stopping.is_set():
            answer, body = fetch(self.port, path, kind, self.clock)
            if kind == READINESS_PROBE and answer.status in (200, 503):
                named = json.loads(body)
                unwell = named.get("failed", []) + named.get("degraded", [])
                answer = dataclasses.replace(answer, detail=",".join(unwell))
            elif kind == CHANGED_PROBE and answer.ok:
                new = self.changed["new_title"].encode() in body
                answer = dataclasses.replace(answer, detail="new" if new else "old")
            self.answers.append(answer)
            self.stopping.wait(interval)

    def send_registrants(self):
        number = 0
        while not self.stopping.wait(max(0.0, number * REGISTRATION_INTERVAL - self.clock.now())):
            registrant = Registrant(f"{self.prefix}{number}@example.org")
            self.registrants.append(registrant)
            thread = threading.Thread(target=self.register, args=(registrant, number), daemon=True)
            thread.start()
            self.registrant_threads.append(thread)
            number += 1

    def register(self, registrant: Registrant, number: int):
        for attempt in range(REGISTRATION_ATTEMPTS):
            if attempt:
                time.sleep(RETRY_PAUSE)
            started = self.clock.now()
            result = send_registration(
                self.port, self.workshop, registrant.email, f"Drill {number}"
            )
            registrant.record(result.posted, result.accepted)
            self.answers.append(
                Answer(REGISTRATION, started, self.clock.now(), failure=result.failure)
            )
            if result.accepted:
                return


class LogWatcher(threading.Thread):
    """Reads the server log while it is written, so each line carries the moment it
    appeared (the JSON log's own times have whole seconds, gunicorn's another format)."""

    def __init__(self, log_file: Path, clock: Clock):
        super().__init__(daemon=True)
        self.log_file, self.clock = log_file, clock
        self.lines: list[LogLine] = []
        self.stopping = threading.Event()

    def run(self):
        with self.log_file.open(errors="replace") as log:
            log.seek(0, os.SEEK_END)  # what the start-up wrote is not the drill's
            pending = ""
            while True:
                stopping = self.stopping.is_set()
                pending += log.read()
                *complete, pending = pending.split("\n")
                at = self.clock.now()
                self.lines += [LogLine(at, text) for text in complete]
                if stopping:
                    return
                self.stopping.wait(0.1)

    def stop(self):
        self.stopping.set()
        self.join()


# --- the publish after the outages --------------------------------------------------------

PUBLISH_SCRIPT = """
import json, sys
from django.db import connection
from django.utils import timezone
from events.models import EventPage, RegistrationMode
page = (
    EventPage.objects.live().public()
    .filter(locale__language_code="de", start__gte=timezone.now())
    .exclude(registration_mode=RegistrationMode.BUILT_IN)  # a form page is never cached
    .order_by("start").first()
)
print(json.dumps({"pk": page.pk, "url": page.url, "title": page.title}), flush=True)
connection.close()  # the database restarts before the publish
new_title = json.loads(sys.stdin.readline())  # the drill's moment
page = EventPage.objects.get(pk=page.pk)
page.title = new_title
page.save_revision().publish()
print(json.dumps({"title": EventPage.objects.get(pk=page.pk).title}), flush=True)
"""

STORED_SCRIPT = """
import json
from django.db.models import Count
from events.models import Registration
stored = Registration.objects.filter(email__startswith=PREFIX).values("email")
print(json.dumps({row["email"]: row["count"] for row in stored.annotate(count=Count("pk"))}))
"""


class Publisher:
    """A `manage.py shell` that picks a workshop whose page is cached (not one with the
    registration form) at once, and publishes a new title for it when told: Django is
    loaded by then, so the moment of the publish is known to a fraction of a second."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-c", PUBLISH_SCRIPT],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.page = self.next_object()

    def next_object(self) -> dict:
        """The next JSON object the script prints (the shell may say other things first)."""
        for line in self.process.stdout:
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError(f"manage.py shell failed:\n{self.process.stderr.read()[-3000:]}")

    def publish(self, title: str) -> str:
        """Publish `title`; returns the title then stored."""
        self.process.stdin.write(json.dumps(title) + "\n")
        self.process.stdin.flush()
        return self.next_object()["title"]

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


# --- the drill ----------------------------------------------------------------------------


@dataclasses.dataclass
class Timeline:
    """When the drill breaks what, in seconds since the load began."""

    duration: float
    database_down: float  # PostgreSQL stays stopped this long
    redis_down: float

    @property
    def postgres_stop(self) -> float:
        return self.duration / 5

    @property
    def redis_stop(self) -> float:
        return self.duration * 0.45


def progress(clock: Clock, message: str):
    print(f"  {clock.now():5.1f} s  {message}", flush=True)


def break_and_restore(
    clock: Clock,
    timeline: Timeline,
    postgres: "PostgresCluster",
    redis_server: "RedisServer",
    publisher: Publisher,
    new_title: str,
) -> tuple[list[Outage], float | None, str]:
    """The outages and the publish of `new_title`; returns the outages, when the publish
    was done and what went wrong with it."""
    database = Outage("PostgreSQL", "database", True, DATABASE_ERRORS)
    clock.sleep_until(timeline.postgres_stop)
    database.start = clock.now()
    progress(clock, "stopping PostgreSQL (fast shutdown)")
    postgres.stop()
    time.sleep(timeline.database_down)
    progress(clock, "starting PostgreSQL")
    postgres.start()
    wait_for(postgres.accepting, "PostgreSQL")
    database.end = clock.now()
    progress(clock, "PostgreSQL accepts connections")

    cache = Outage("Redis", "redis", False, REDIS_ERRORS)
    clock.sleep_until(max(timeline.redis_stop, database.end + GRACE))
    cache.start = clock.now()
    progress(clock, "stopping Redis")
    redis_server.stop()
    time.sleep(timeline.redis_down)
    progress(clock, "starting Redis (empty)")
    redis_server.start()
    wait_for(redis_server.answering, "Redis")
    cache.end = clock.now()
    progress(clock, "Redis answers")

    clock.sleep_until(cache.end + PUBLISH_AFTER_REDIS)
    progress(clock, "publishing the workshop's new title")
    try:
        stored = publisher.publish(new_title)
    except (RuntimeError, ValueError, OSError) as error:
        return [database, cache], None, str(error)
    if stored != new_title:
        return [database, cache], None, f"the page's title is {stored!r}"
    published_at = clock.now()
    progress(clock, "published")
    return [database, cache], published_at, ""


def drill(arguments, env, work_dir, postgres, redis_server, started: float) -> Results:
    """Serve, load, break and restore; then count the registrations. `started`: when the
    set-up began (time.monotonic())."""
    mix, workshop, pages = mix_and_workshop(env)
    prefix = f"drill-{datetime.now(UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}-"
    timeline = Timeline(arguments.duration, arguments.database_down, arguments.redis_down)
    base = f"http://127.0.0.1:{arguments.port}"
    server_log = work_dir / "server.log"
    publisher = Publisher(env)
    changed = {**publisher.page, "new_title": f"Werkstatt nach der Übung {secrets.token_hex(3)}"}
    try:
        with gunicorn(env, arguments.port, 2, server_log) as server:
            print(f"Warming up ({len(mix)} paths) …", flush=True)
            warm_up(base, mix, server_log, workers=2)
            workers_before = sorted(worker_pids(server.pid))
            print(
                f"Set up in {time.monotonic() - started:.0f} s. "
                f"Drill: {arguments.clients} clients for {arguments.duration:.0f} s, a "
                f"registration every {REGISTRATION_INTERVAL} s at {workshop}, the title of "
                f"{changed['url']} changed after the outages …",
                flush=True,
            )
            clock = Clock()
            watcher = LogWatcher(server_log, clock)
            watcher.start()
            load = Load(arguments.port, mix, workshop, changed, prefix, arguments.clients, clock)
            load.start()
            outages, published_at, publish_failure = break_and_restore(
                clock, timeline, postgres, redis_server, publisher, changed["new_title"]
            )
            end = max(arguments.duration, (published_at or 0) + AFTER_PUBLISH)
            clock.sleep_until(end)
            progress(clock, "stopping the load")
            load.stop()
            watcher.stop()
            master_running = server.poll() is None
            workers_after = sorted(worker_pids(server.pid))
    finally:
        publisher.close()
    stored = django_json(STORED_SCRIPT.replace("PREFIX", json.dumps(prefix)), env)
    return Results(
        clients=arguments.clients,
        duration=end,
        pages=pages,
        answers=load.answers,
        registrants=load.registrants,
        stored=stored,
        outages=outages,
        published_at=published_at,
        publish_failure=publish_failure,
        log_lines=watcher.lines,
        master_pid=server.pid,
        master_running=master_running,
        workers_before=workers_before,
        workers_after=workers_after,
    )


# --- running it ---------------------------------------------------------------------------


@contextlib.contextmanager
def own_services(arguments, work_dir: Path):
    """The drill's PostgreSQL cluster and Redis, removed afterwards (unless --keep) even
    when the drill fails or is interrupted."""
    postgres = PostgresCluster(arguments.postgres_port)
    redis_server = RedisServer(arguments.redis_port, work_dir)
    # never break a server that is not the drill's
    ensure_port_free(arguments.redis_port, "--redis-port")
    ensure_port_free(arguments.port)
    print(
        f"Starting PostgreSQL {postgres.version} (cluster {CLUSTER}, port {postgres.port}) "
        f"and Redis (port {redis_server.port}) for the drill …",
        flush=True,
    )
    try:
        postgres.create()
        wait_for(postgres.accepting, "PostgreSQL")
        redis_server.start()
        wait_for(redis_server.answering, "Redis")
        yield postgres, redis_server
    finally:
        if arguments.keep:
            print(
                f"Kept: the cluster {postgres.version}/{CLUSTER} ({postgres.url}/{DATABASE}), "
                f"Redis on port {redis_server.port} and {work_dir}. Remove them with\n"
                f"  pg_dropcluster {postgres.version} {CLUSTER} --stop; "
                f"redis-cli -p {redis_server.port} shutdown nosave; rm -r {work_dir}"
            )
        else:
            if redis_server.answering():  # stopped by the drill's outage when it broke off
                redis_server.stop()
            if postgres.exists():
                postgres.drop()


def check_prerequisites():
    missing = [
        command
        for command in (
            "pg_createcluster",
            "pg_ctlcluster",
            "pg_dropcluster",
            "pg_lsclusters",
            "redis-server",
            "redis-cli",
        )
        if shutil.which(command) is None
    ]
    if missing:
        raise SystemExit(
            f"the drill needs Debian's postgresql and redis-server packages: {', '.join(missing)} "
            "missing (apt-get install postgresql redis-server)"
        )
    if os.geteuid() != 0:
        raise SystemExit("the drill creates a PostgreSQL cluster of its own: run it as root")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds (default 60)")
    parser.add_argument("--clients", type=int, default=20, help="parallel clients (default 20)")
    parser.add_argument(
        "--database-down",
        type=float,
        help="seconds PostgreSQL stays stopped (default: a tenth of the duration, at most 5)",
    )
    parser.add_argument(
        "--redis-down",
        type=float,
        help="seconds Redis stays stopped (default: a quarter of the duration, at most 10)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=0.02,
        help="data set size (bench/populate.py; default 0.02: 4 labs, 40 workshops)",
    )
    parser.add_argument("--port", type=int, default=8767, help="gunicorn's (default 8767)")
    parser.add_argument("--postgres-port", type=int, default=54329, help="default 54329")
    parser.add_argument("--redis-port", type=int, default=63790, help="default 63790")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the PostgreSQL cluster, Redis and the work directory for inspection",
    )
    arguments = parser.parse_args()
    if arguments.database_down is None:
        arguments.database_down = min(5.0, arguments.duration / 10)
    if arguments.redis_down is None:
        arguments.redis_down = min(10.0, arguments.duration / 4)
    check_prerequisites()
    # a stop from outside (CI's timeout, kill) still removes the cluster and Redis
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    started = time.monotonic()
    work_dir = Path(tempfile.mkdtemp(prefix="kosi-drill-"))
    with own_services(arguments, work_dir) as (postgres, redis_server):
        env = bench_environment(
            create_database("postgres", work_dir, name=DATABASE, server=postgres.url),
            work_dir,
            arguments.port,
            work_dir / "media",
        )
        env.update(
            {
                "REDIS_URL": redis_server.url,
                "PORTAL_CACHE_PREFIX": CACHE_PREFIX,
                "PORTAL_PAGE_CACHE_SECONDS": "600",
                # every registration comes from 127.0.0.1
                "PORTAL_REGISTRATION_LIMIT_PER_IP": "1000000",
                # errors and warnings only: a line per request would bury them
                "PORTAL_REQUEST_LOG_LEVEL": "WARNING",
                # each log line in the file as it is written (LogWatcher times them)
                "PYTHONUNBUFFERED": "1",
            }
        )
        print(f"Building the database at scale {arguments.scale} …", flush=True)
        prepare_database(env, arguments.scale)
        results = drill(arguments, env, work_dir, postgres, redis_server, started)

    lines, passed = report(results)
    table = "\n".join(lines)
    print(f"Done in {time.monotonic() - started:.0f} s in all.")
    print()
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"drill-{datetime.now(UTC):%Y%m%d-%H%M%S}.txt").write_text(table + "\n")
    if not passed:
        sys.exit(f"The drill failed; the server log is kept: {work_dir / 'server.log'}")
    if not arguments.keep:
        shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
