"""What the resilience drill (bench/drill.py) saw, and what it makes of it: the records of
every request, outage, registrant and log line, the checks on them and the report.

Nothing here starts, stops or asks anything, so tests/test_drill.py checks the drill's
judgement on made-up records.
"""

import collections
import dataclasses
import json
import re
import textwrap
from datetime import UTC, datetime

from common import percentile

# Requests that end this long after an outage still count as the outage's (in flight when
# the service came back, a log line read a moment after it was written).
GRACE = 2.0
# The site must serve again this soon after the database (or Redis) is back (issue #23).
RECOVERY_LIMIT = 10.0

# The kinds of requests besides the page mix's
READINESS_PROBE = "readiness probe"
FORM_PROBE = "form page probe"
CHANGED_PROBE = "changed page probe"
REGISTRATION = "registration"

# What the server may log while a service is down: the lost connection, nothing else.
DATABASE_ERRORS = r"OperationalError|InterfaceError"
REDIS_ERRORS = r"(?i)redis"


@dataclasses.dataclass(frozen=True)
class Answer:
    """One request and what came back; times in seconds since the load began."""

    kind: str
    started: float
    ended: float
    status: int | None = None  # None: no answer at all
    failure: str = ""  # "" when it answered as it should
    cache: str = ""  # the X-Cache header: HIT, MISS or nothing (not cacheable)
    detail: str = ""  # readiness: the failed checks; the changed page: "new" or "old" title

    @property
    def ok(self) -> bool:
        return not self.failure


@dataclasses.dataclass
class Outage:
    """A service down from `start` (told to stop) until `end` (answering again)."""

    service: str  # "PostgreSQL", "Redis"
    readiness_check: str  # what /health/ready names meanwhile: "database", "redis"
    # Whether visitors may see errors meanwhile. Without the database most pages cannot be
    # made, and /health/ready answers 503 naming it as failed; without Redis every page is
    # still served, uncached (docs/scaling.md), and /health/ready answers 200 naming it as
    # degraded (docs/operations.md: a 503 would take every instance out at once).
    visitors_see_errors: bool
    expected_log_errors: str  # a regular expression: the errors the outage explains
    start: float = 0.0
    end: float = 0.0

    def covers(self, started: float, ended: float) -> bool:
        """Whether a request from `started` to `ended` met the outage (or its grace)."""
        return started <= self.end + GRACE and ended >= self.start

    @property
    def readiness_status(self) -> int:
        """What /health/ready answers meanwhile: 503 (failed) when visitors may see errors,
        200 (degraded) when the site serves without the service."""
        return 503 if self.visitors_see_errors else 200

    def named_by(self, answer: Answer) -> bool:
        """Whether `answer` is a readiness probe with this outage's status naming its check
        (as failed or degraded)."""
        return (
            answer.kind == READINESS_PROBE
            and answer.status == self.readiness_status
            and self.readiness_check in answer.detail.split(",")
        )

    def explains(self, answer: Answer) -> bool:
        """Whether the outage explains that `answer` failed: a readiness probe naming the
        service, or any request while visitors may see errors."""
        if not self.covers(answer.started, answer.ended):
            return False
        if answer.kind == READINESS_PROBE:
            return self.named_by(answer)
        return self.visitors_see_errors


@dataclasses.dataclass
class Registrant:
    """A visitor registering with `email`; `posted`: some attempt sent the POST (so the
    registration may be stored); `accepted`: one was answered with the success redirect
    (so it must be)."""

    email: str
    posted: bool = False
    accepted: bool = False
    attempts: int = 0

    def record(self, posted: bool, accepted: bool):
        """One attempt: whether it sent the POST, whether that was accepted."""
        self.attempts += 1
        self.posted |= posted
        self.accepted |= accepted


@dataclasses.dataclass(frozen=True)
class Reconciliation:
    """The registrants against the rows stored for their addresses."""

    accepted: int
    stored_once: int
    lost: list[str]  # accepted, not stored
    duplicated: list[str]  # stored more than once
    unexplained: list[str]  # stored, but no POST was ever sent for it
    gave_up: int  # no attempt accepted
    stored_after_error: int  # gave up, but a POST had gone through before its answer failed

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.unexplained)


def reconcile(registrants: list[Registrant], stored: dict[str, int]) -> Reconciliation:
    by_email = {registrant.email: registrant for registrant in registrants}
    gave_up = [registrant for registrant in registrants if not registrant.accepted]
    return Reconciliation(
        accepted=len(registrants) - len(gave_up),
        stored_once=sum(1 for count in stored.values() if count == 1),
        lost=[r.email for r in registrants if r.accepted and not stored.get(r.email)],
        duplicated=[email for email, count in stored.items() if count > 1],
        unexplained=[
            email
            for email, count in stored.items()
            if count and (email not in by_email or not by_email[email].posted)
        ],
        gave_up=len(gave_up),
        stored_after_error=sum(1 for r in gave_up if r.posted and stored.get(r.email)),
    )


def phases(outages: list[Outage], end: float) -> list[tuple[str, float, float]]:
    """(name, start, end) of the calm and the outage phases, in order."""
    result, start, name = [], 0.0, "before"
    for outage in sorted(outages, key=lambda outage: outage.start):
        result.append((name, start, outage.start))
        result.append((f"{outage.service} down", outage.start, outage.end))
        start, name = outage.end, f"after {outage.service}"
    result.append((name, start, end))
    return result


def in_phase(answers: list[Answer], start: float, end: float, last: bool) -> list[Answer]:
    """The answers to requests begun in [start, end) (the last phase keeps the stragglers)."""
    return [a for a in answers if start <= a.started and (a.started < end or last)]


def unexplained_failures(answers: list[Answer], outages: list[Outage]) -> list[Answer]:
    """Failed requests that no outage explains."""
    return [
        answer
        for answer in answers
        if not answer.ok and not any(outage.explains(answer) for outage in outages)
    ]


def seconds_after(answers: list[Answer], outage: Outage, wanted) -> float | None:
    """Seconds from the end of `outage` to the first answer after it that `wanted` accepts
    (None: there was none). Only requests begun after the outage began count: one begun
    before it may have been answered before the service went away."""
    ends = [
        answer.ended
        for answer in answers
        if answer.started >= outage.start and answer.ended >= outage.end and wanted(answer)
    ]
    return max(0.0, min(ends) - outage.end) if ends else None


def recovery_seconds(answers: list[Answer], kind: str, outage: Outage) -> float | None:
    """Seconds from the end of `outage` to the first good answer of `kind`."""
    return seconds_after(answers, outage, lambda answer: answer.kind == kind and answer.ok)


def cache_use_seconds(answers: list[Answer], outage: Outage) -> tuple[float | None, float | None]:
    """Seconds from the end of `outage` until the page cache was used again: the first page
    stored in it or taken from it (an X-Cache header), and the first taken from it. How soon
    a page is asked for twice depends on the load, so only the first is the cache's."""
    return (
        seconds_after(answers, outage, lambda answer: answer.cache in ("HIT", "MISS")),
        seconds_after(answers, outage, lambda answer: answer.cache == "HIT"),
    )


def readiness_named(answers: list[Answer], outage: Outage) -> int:
    """How many readiness probes begun during `outage` answered as they should then (503
    or 200, see Outage.readiness_status) naming its check."""
    return sum(
        1
        for answer in answers
        if outage.start <= answer.started <= outage.end and outage.named_by(answer)
    )


def stale_answers(answers: list[Answer], published_at: float) -> list[Answer]:
    """Probes of the changed page begun after its publish that still showed the old title."""
    return [
        answer
        for answer in answers
        if answer.kind == CHANGED_PROBE
        and answer.ok
        and answer.started >= published_at
        and answer.detail != "new"
    ]


@dataclasses.dataclass(frozen=True)
class LogLine:
    at: float  # when the drill read it, in seconds since the load began
    text: str


GUNICORN_LINE = re.compile(r"\[[^]]+\] \[\d+\] \[(?P<level>[A-Z]+)\] (?P<message>.*)")


def log_events(lines: list[LogLine]) -> tuple[list[tuple[float, str]], int]:
    """The errors in the server log as (time, reason), and the number of warnings.

    Errors: the portal's JSON records of level ERROR or CRITICAL (reason: the exception),
    gunicorn's own ERROR and CRITICAL lines (a worker that crashed, timed out or could not
    handle a request; the traceback on the next line belongs to them), and any other
    traceback."""
    errors, warnings, gunicorn_error = [], 0, False
    for line in lines:
        text, after_gunicorn_error, gunicorn_error = line.text, gunicorn_error, False
        if text.startswith("{"):
            try:
                record = json.loads(text)
            except ValueError:
                continue
            level = record.get("level", "")
            if level in ("ERROR", "CRITICAL"):
                errors.append((line.at, exception_of(record)))
            warnings += level == "WARNING"
        elif match := GUNICORN_LINE.match(text):
            gunicorn_error = match["level"] in ("ERROR", "CRITICAL")
            if gunicorn_error:
                errors.append((line.at, f"gunicorn: {match['message']}"))
            warnings += match["level"] == "WARNING"
        elif text.startswith("Traceback (most recent call last)") and not after_gunicorn_error:
            errors.append((line.at, "a traceback outside the JSON log"))
    return errors, warnings


def exception_of(record: dict) -> str:
    """The exception a JSON log record carries ("django.db.utils.OperationalError: …"): the
    traceback's last line that is not indented (a message may go on over several), or the
    record's message."""
    traceback = (record.get("exception") or "").splitlines()
    unindented = [text for text in traceback if text.strip() and not text[0].isspace()]
    return unindented[-1] if unindented else record.get("message", "")


def unexpected_log_errors(
    errors: list[tuple[float, str]], outages: list[Outage]
) -> list[tuple[float, str]]:
    """Errors no outage explains: outside every outage (and its grace), or not the lost
    connection of the service that was down."""
    return [
        (at, reason)
        for at, reason in errors
        if not any(o.covers(at, at) and re.search(o.expected_log_errors, reason) for o in outages)
    ]


@dataclasses.dataclass
class Results:
    """What the drill saw; the report is made of it."""

    clients: int
    duration: float
    pages: int
    answers: list[Answer]
    registrants: list[Registrant]
    stored: dict[str, int]
    outages: list[Outage]
    published_at: float | None
    publish_failure: str
    log_lines: list[LogLine]
    master_pid: int
    master_running: bool
    workers_before: list[int]
    workers_after: list[int]


# --- the report ---------------------------------------------------------------------------

NOT_PAGE_MIX = {READINESS_PROBE, FORM_PROBE, CHANGED_PROBE, REGISTRATION}


def phase_row(name: str, start: float, end: float, answers: list[Answer], last: bool) -> str:
    answers = in_phase(answers, start, end, last)
    visits = [a for a in answers if a.kind not in NOT_PAGE_MIX]
    pages = [a for a in answers if a.kind not in {READINESS_PROBE, REGISTRATION}]
    registrations = [a for a in answers if a.kind == REGISTRATION]
    readiness = [a for a in answers if a.kind == READINESS_PROBE]
    p95 = percentile([(a.ended - a.started) * 1000 for a in visits], 95)
    cached = sum(a.cache == "HIT" for a in visits) / len(visits) if visits else 0
    return (
        f"{name:<18} {start:>6.1f} {end:>6.1f} {len(visits):>9} "
        f"{len(visits) / max(end - start, 0.1):>7.0f} {p95:>7.0f} "
        f"{sum(not a.ok for a in pages):>7} {cached:>7.0%} "
        f"{sum(a.ok for a in registrations):>6}/{sum(not a.ok for a in registrations):<5} "
        f"{sum(a.status == 200 for a in readiness):>5}/{sum(a.status == 503 for a in readiness):<4}"
    )


def seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f} s"


def errors_only_while_down(results: Results) -> tuple[bool, str]:
    unexplained = unexplained_failures(results.answers, results.outages)
    examples = "; ".join(f"{a.kind} at {a.started:.1f} s: {a.failure}" for a in unexplained[:3])
    return not unexplained, (
        f"errors only while the database was down (+{GRACE:.0f} s; none while Redis was down, "
        f"/health/ready included): {len(unexplained)} others"
        + (f" ({examples})" if examples else "")
    )


def readiness_while_down(results: Results) -> tuple[bool, str]:
    counts = [readiness_named(results.answers, outage) for outage in results.outages]
    return all(counts), "/health/ready while down: " + ", ".join(
        f"{count} {outage.readiness_status} naming {outage.readiness_check} "
        f"{'failed' if outage.visitors_see_errors else 'degraded'} while {outage.service} was down"
        for outage, count in zip(results.outages, counts, strict=True)
    )


def database_recovery(results: Results) -> tuple[bool, str]:
    database = results.outages[0]
    ready = recovery_seconds(results.answers, READINESS_PROBE, database)
    form = recovery_seconds(results.answers, FORM_PROBE, database)
    return ready is not None and form is not None and max(ready, form) <= RECOVERY_LIMIT, (
        f"serving again after PostgreSQL was back (limit {RECOVERY_LIMIT:.0f} s): "
        f"/health/ready 200 after {seconds(ready)}, the form page 200 after {seconds(form)}"
    )


def cache_recovery(results: Results) -> tuple[bool, str]:
    cache = results.outages[1]
    ready = seconds_after(
        results.answers,
        cache,
        lambda answer: (
            answer.kind == READINESS_PROBE
            and answer.ok
            and cache.readiness_check not in answer.detail.split(",")
        ),
    )
    used, hit = cache_use_seconds(results.answers, cache)
    return ready is not None and used is not None and max(ready, used) <= RECOVERY_LIMIT, (
        f"page cache in use again after Redis was back (limit {RECOVERY_LIMIT:.0f} s): "
        f"/health/ready without {cache.readiness_check} degraded after {seconds(ready)}, "
        f"the first page through the cache after "
        f"{seconds(used)} (the first from it after {seconds(hit)})"
    )


def no_stale_page(results: Results) -> tuple[bool, str]:
    if results.published_at is None:
        return False, f"no stale page: the publish failed: {results.publish_failure}"
    stale = stale_answers(results.answers, results.published_at)
    after = [
        answer
        for answer in results.answers
        if answer.kind == CHANGED_PROBE and answer.ok and answer.started >= results.published_at
    ]
    return not stale and bool(after), (
        f"no stale page: {len(after)} probes of the changed workshop after the publish, "
        f"{len(stale)} with the old title, {sum(a.cache == 'HIT' for a in after)} of them "
        f"from the cache"
    )


def registrations_stored_once(results: Results) -> tuple[bool, str]:
    found = reconcile(results.registrants, results.stored)
    retried = sum(r.accepted and r.attempts > 1 for r in results.registrants)
    problems = [
        f"{label} {', '.join(emails[:3])}"
        for label, emails in (
            ("lost:", found.lost),
            ("stored twice:", found.duplicated),
            ("stored without a POST:", found.unexplained),
        )
        if emails
    ]
    return found.ok, (
        f"registrations: {len(results.registrants)} visitors, {found.accepted} accepted "
        f"({retried} after trying again), {found.stored_once} stored once, "
        f"{len(found.lost)} lost, {len(found.duplicated)} twice; {found.gave_up} gave up "
        f"after failing every attempt ({found.stored_after_error} of them stored)"
        + (f" — {'; '.join(problems)}" if problems else "")
    )


def gunicorn_not_restarted(results: Results) -> tuple[bool, str]:
    same_workers = results.workers_after == results.workers_before
    workers = ", ".join(map(str, results.workers_before))
    if not same_workers:
        workers += f" replaced by {', '.join(map(str, results.workers_after))}"
    return results.master_running and same_workers, (
        f"gunicorn not restarted: master {results.master_pid} "
        f"{'running' if results.master_running else 'GONE'}, workers {workers}"
        + (" the same" if same_workers else "")
    )


def log_errors_explained(results: Results) -> tuple[bool, str]:
    errors, warnings = log_events(results.log_lines)
    unexpected = unexpected_log_errors(errors, results.outages)
    explained = [error for error in errors if error not in unexpected]
    return not unexpected, (
        f"log: {len(unexpected)} unexpected errors"
        + "".join(f"\n{INDENT}{at:5.1f} s  {shortened(reason)}" for at, reason in unexpected[:5])
        + f"\n{INDENT}{len(explained)} errors while a service was down, {warnings} warnings"
        + "".join(
            f"\n{INDENT}{count:>5} × {shortened(reason)}"
            for reason, count in collections.Counter(reason for _at, reason in explained).items()
        )
    )


INDENT = " " * 8  # under the text of a check


def shortened(text: str, length: int = 90) -> str:
    """`text` cut in the middle: an exception's class begins it, what went wrong ends it."""
    if len(text) <= length:
        return text
    head = text.find(": ") + 2  # the exception's class, whole
    if not 2 <= head <= length // 2:
        head = length // 3
    return f"{text[:head]}…{text[len(text) - (length - head - 1) :]}"


CHECKS = [
    errors_only_while_down,
    readiness_while_down,
    database_recovery,
    cache_recovery,
    no_stale_page,
    registrations_stored_once,
    gunicorn_not_restarted,
    log_errors_explained,
]


def report(results: Results) -> tuple[list[str], bool]:
    database, cache = results.outages
    header = (
        f"{'phase':<18} {'from s':>6} {'to s':>6} {'requests':>9} {'req/s':>7} "
        f"{'p95 ms':>7} {'errors':>7} {'cached':>7} {'registr.':>12} {'ready':>10}"
    )
    lines = [
        f"KoSI-Lab portal resilience drill, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"PostgreSQL and Redis of its own, {results.pages} live pages, 2 workers, "
        f"{results.clients} clients, {results.duration:.0f}s, page cache on (Redis)",
        f"PostgreSQL stopped at {database.start:.1f} s, accepting connections at "
        f"{database.end:.1f} s; Redis stopped at {cache.start:.1f} s, answering at "
        f"{cache.end:.1f} s (empty); new title published at "
        + (f"{results.published_at:.1f} s" if results.published_at is not None else "— failed"),
        header,
        "-" * len(header),
    ]
    stages = phases(results.outages, results.duration)
    for position, (name, start, end) in enumerate(stages):
        last = position == len(stages) - 1
        lines.append(phase_row(name, start, end, results.answers, last))
    lines.append("-" * len(header))
    lines.append(phase_row("total", 0.0, results.duration, results.answers, True))
    lines += [
        "requests, req/s, p95, cached: the visitors' page mix; cached: the share served from the",
        "  page cache (static files never are); errors: failed or unanswered page requests, the",
        "  probes of the form and the changed page included; registr.: registration attempts",
        "  ok/failed; ready: /health/ready 200/503",
    ]
    found = [check(results) for check in CHECKS]
    for passed, text in found:
        first, *details = text.split("\n")
        verdict = f"{'ok' if passed else 'FAILED':<{len(INDENT)}}"
        lines += textwrap.wrap(first, 100, initial_indent=verdict, subsequent_indent=INDENT)
        lines += details
    return lines, all(passed for passed, _text in found)
