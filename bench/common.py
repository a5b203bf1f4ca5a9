"""What the benchmark (bench/run.py), the load test (bench/load.py) and the resilience drill
(bench/drill.py) share: the benchmark database, the environment and gunicorn process of the
server under test, wrk's output, the page mix of many visitors, a visitor's registration
and the server log's errors."""

import concurrent.futures
import contextlib
import dataclasses
import http.client
import http.cookies
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
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
    kind: str,
    work_dir: Path,
    reuse: bool = False,
    name: str = DATABASE_NAME,
    server: str = POSTGRES_ADMIN_URL,
) -> str:
    """The database URL; a new, empty PostgreSQL database `name` on `server` (without
    uploads) unless `reuse`."""
    if kind == "sqlite":
        return f"sqlite:///{work_dir / 'bench.sqlite3'}"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"not a plain database name: {name!r}")
    if not reuse:
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name}")
            connection.execute(f"CREATE DATABASE {name}")
        shutil.rmtree(media_root(kind, work_dir, name), ignore_errors=True)
    return f"{server}/{name}"


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


def ensure_port_free(port: int, option: str = "--port"):
    """Stop before measuring (or breaking) someone else's server on the same port."""
    with socket.socket() as probe:
        # like gunicorn: connections of an earlier run waiting to close do not count
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise SystemExit(f"port {port} is in use: choose another with {option}") from None


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


def worker_pids(master_pid: int) -> list[int]:
    """The processes gunicorn's master `master_pid` started: its workers."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def worker_peak_rss_mb(master_pid: int) -> float:
    peaks = []
    for pid in worker_pids(master_pid):
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


# --- the page mix of the load test and the resilience drill -----------------------------

# The GET mix: kind and share of requests (percent); within a kind the paths share evenly.
MIX = [
    ("home", 12),
    ("lab index", 5),
    ("lab index, filtered", 3),
    ("lab page", 10),
    ("actor index", 4),
    ("actor index, filtered", 2),
    ("actor page", 8),
    ("event index", 5),
    ("event index, filtered", 3),
    ("event page", 8),
    ("series page", 3),
    ("search", 5),
    ("search suggestions", 3),
    (".ics calendar", 2),
    ("Atom feed", 2),
    ("sitemap", 1),
    ("static files", 22),
    ("theme stylesheet", 2),
]
DETAIL_PAGES = 25  # lab, actor and event pages in the mix (each kind), German and English

PATHS_SCRIPT = """
import json, random
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site
from events import registration
from events.models import EventIndexPage, EventPage, EventSeriesPage, RegistrationMode
from labs.models import ActorIndexPage, ActorPage, LabIndexPage, LabPage
from portal.models import PortalSettings

rng = random.Random(7)
def some(model, count):
    pages = list(model.objects.live().public().order_by("pk"))
    return [page.url for page in rng.sample(pages, min(count, len(pages)))]
def index(model, language="de"):
    return model.objects.live().get(locale__language_code=language).url
def search(language):
    with translation.override(language):
        return reverse("search"), reverse("search_suggestions")

labs, actors, events = index(LabIndexPage), index(ActorIndexPage), index(EventIndexPage)
search_de, suggest_de = search("de")
search_en, suggest_en = search("en")
theme = PortalSettings.for_site(Site.objects.get(is_default_site=True)).theme_version
workshop = next(
    (
        event
        for event in EventPage.objects.live().public().filter(
            locale__language_code="de", registration_mode=RegistrationMode.BUILT_IN
        ).order_by("start")
        if (available := registration.availability(event)) and available.accepts_registrations
    ),
    None,
)
print(json.dumps({
    "pages": Page.objects.live().count(),
    "registration": workshop.url if workshop else None,
    "paths": {
        "home": ["/de/", "/de/", "/de/", "/en/"],
        "lab index": [labs, index(LabIndexPage, "en")],
        "lab index, filtered": [labs + "?phase=2&city=Dortmund", labs + "?city=Wuppertal",
                                labs + "?page=2"],
        "lab page": some(LabPage, DETAIL_PAGES),
        "actor index": [actors, index(ActorIndexPage, "en")],
        "actor index, filtered": [actors + "?sector=research", actors + "?city=Bochum",
                                  actors + "?page=2"],
        "actor page": some(ActorPage, DETAIL_PAGES),
        "event index": [events, index(EventIndexPage, "en")],
        "event index, filtered": [events + "?format=in_person", events + "?format=online",
                                  events + "?when=past"],
        "event page": some(EventPage, DETAIL_PAGES),
        "series page": some(EventSeriesPage, DETAIL_PAGES),
        "search": [search_de + "?q=Quartier", search_de + "?q=Nachbarsch",
                   search_de + "?q=Werkstatt", search_de + "?q=Dortmund",
                   search_en + "?q=neighbourhood"],
        "search suggestions": [suggest_de + "?q=Qua", suggest_de + "?q=Werk",
                               suggest_en + "?q=lab"],
        ".ics calendar": [events + "calendar/"],
        "Atom feed": [events + "feed/"],
        "sitemap": ["/sitemap.xml"],
        "static files": [staticfiles_storage.url(name) for name in
                         ["css/portal.css", "js/search-suggestions.js", "img/favicon.svg"]],
        "theme stylesheet": [reverse("theme_stylesheet") + "?v=" + theme],
    },
}))
"""


def mix_and_workshop(env: dict) -> tuple[list[tuple[str, float, str]], str, int]:
    """The weighted GET mix as (kind, weight, path), the workshop's path and the page count."""
    found = django_json(PATHS_SCRIPT.replace("DETAIL_PAGES", str(DETAIL_PAGES)), env)
    if not found["registration"]:
        raise SystemExit(
            "no published workshop with an open registration form in the database: "
            "build it again with --rebuild"
        )
    mix = []
    for kind, share in MIX:
        paths = found["paths"][kind]
        if not paths:
            print(f"  (no {kind} in this database: left out of the mix)")
        mix += [(kind, share / len(paths), path) for path in paths]
    return mix, found["registration"], found["pages"]


def warm_up(base: str, mix: list[tuple[str, float, str]], server_log: Path, workers: int):
    """Request every path once, as many at a time as the server has `workers`: they load
    their code, and a path that fails stops the test before it starts (the mix would be
    wrong, not the server slow)."""

    def failure(entry: tuple[str, float, str]) -> str:
        kind, _weight, path = entry
        try:
            with urllib.request.urlopen(base + path, timeout=60) as response:  # noqa: S310
                response.read()
        except OSError as error:
            return f"{kind} {path}: {error}"
        return ""

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        failures = [outcome for outcome in pool.map(failure, mix) if outcome]
    if failures:
        raise SystemExit(
            "paths of the mix that fail:\n  "
            + "\n  ".join(failures)
            + "\nerrors in the server log:\n  "
            + "\n  ".join(application_errors(server_log))
            + "\n(missing images: a database built before its uploads were kept in "
            "var/bench/ needs --rebuild)"
        )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * p / 100) - 1)] if ordered else float("nan")


def server_log(log_file: Path) -> list[str]:
    return log_file.read_text(errors="replace").splitlines() if log_file.exists() else []


def server_errors(log_file: Path) -> list[str]:
    """gunicorn's errors in the server log: a worker that timed out, crashed or was killed
    dropped the requests it held without an answer, which wrk does not count."""
    pattern = re.compile(r"\[[^]]+\] \[\d+\] \[(ERROR|CRITICAL)\]")
    return [line for line in server_log(log_file) if pattern.match(line)]


def application_errors(log_file: Path) -> list[str]:
    """The portal's logged errors (JSON lines), grouped by the traceback's last line: how
    often, one message, the reason ("3 × Internal Server Error: /de/…: SourceImageIOError…")."""
    groups: dict[str, list] = {}
    for line in server_log(log_file):
        if not line.startswith("{") or '"level": "ERROR"' not in line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        message = record.get("message", "")
        reason = ((record.get("exception") or "").strip().splitlines() or [""])[-1]
        groups.setdefault(reason or message, [0, message])[0] += 1
    return [
        f"{count} × {message}" + (f": {reason}" if reason != message else "")
        for reason, (count, message) in groups.items()
    ][:10]


# --- a visitor's registration ------------------------------------------------------------


@dataclasses.dataclass
class RegistrationResult:
    """What one registration through a workshop's form got. `failure` is "" when the form
    page, the POST and the page it redirects to all answered as they should. `posted`: the
    POST was sent, so the registration may be stored whatever the answer; `accepted`: it was
    answered with the redirect to "check your e-mail", so it must be stored."""

    failure: str = ""
    posted: bool = False
    accepted: bool = False
    post_ms: float | None = None


def send_registration(port: int, workshop: str, email: str, name: str) -> RegistrationResult:
    """Register like a visitor: the form page (CSRF cookie and token), the POST with `email`,
    the page it redirects to."""
    result = RegistrationResult()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        result.failure = _register(connection, port, workshop, email, name, result)
    except (OSError, http.client.HTTPException) as error:
        stage = "confirmation page" if result.accepted else "POST" if result.posted else "form page"
        result.failure = f"{stage}: {type(error).__name__}: {error}"
    finally:
        connection.close()
    return result


def form_page(connection, path: str) -> tuple[str, str, str]:
    """GET a page with a form: (CSRF cookie, CSRF token, what failed or "")."""
    connection.request("GET", path)
    response = connection.getresponse()
    page = response.read().decode()
    if response.status != 200:
        return "", "", f"HTTP {response.status}"
    cookies = http.cookies.SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if "csrftoken" not in cookies or token is None:
        return "", "", "no form (CSRF cookie or token missing)"
    return cookies["csrftoken"].value, token.group(1), ""


def post_form(connection, port: int, path: str, cookie: str, form: dict):
    connection.request(
        "POST",
        path,
        body=urllib.parse.urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Origin": f"http://127.0.0.1:{port}",
        },
    )
    response = connection.getresponse()
    response.read()
    return response


def _register(connection, port, workshop, email, name, result: RegistrationResult) -> str:
    cookie, token, failure = form_page(connection, workshop)
    if failure:
        return f"form page: {failure}"
    form = {
        "csrfmiddlewaretoken": token,
        "name": name,
        "email": email,
        "organisation": "Lasttest",
        "municipality": "Dortmund",
        "note": "",
        "consent": "on",
        "website": "",  # the honeypot
    }
    started = time.perf_counter()
    result.posted = True
    response = post_form(connection, port, f"{workshop}register/", cookie, form)
    result.post_ms = (time.perf_counter() - started) * 1000
    location = response.getheader("Location", "")
    if response.status != 302 or not location.endswith("register/sent/"):
        return f"POST: HTTP {response.status} {location}".strip()
    result.accepted = True
    connection.request("GET", urllib.parse.urlsplit(location).path)
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        return f"confirmation page: HTTP {response.status}"
    return ""


CONFIRMATION_LINK = re.compile(r"https?://[^/\s]+(/\S*?/register/confirm/[\w-]+/)")


def confirmation_path(log_file: Path, email: str) -> str | None:
    """The path of the confirmation link mailed to `email`, from the server's log (the
    console e-mail backend writes each message there; Django sends UTF-8 text unencoded)."""
    text = log_file.read_text(errors="replace")
    start = text.find(f"To: {email}")
    if start < 0:
        return None
    match = CONFIRMATION_LINK.search(text, start)
    return match.group(1) if match else None


def confirm_registration(port: int, link: str) -> str:
    """Follow a confirmation link like a visitor: the page with the button (CSRF cookie and
    token), then the POST. Returns "" or what failed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        cookie, token, failure = form_page(connection, link)
        if failure:
            return f"confirmation link: {failure}"
        response = post_form(connection, port, link, cookie, {"csrfmiddlewaretoken": token})
        return "" if response.status == 200 else f"confirming: HTTP {response.status}"
    except (OSError, http.client.HTTPException) as error:
        return f"confirming: {type(error).__name__}: {error}"
    finally:
        connection.close()
