"""The resilience drill's judgement (bench/drill_report.py) on made-up records: which errors
an outage explains, when the site counts as serving again, stale pages, registrations lost
or stored twice, the server log, and the report an operator reads. The drill itself runs
in CI (`make drill` in .ci/run): it needs root and a PostgreSQL cluster of its own, too
heavy for the test suite."""

import json
import socket
import sys
from pathlib import Path

import pytest

# the bench scripts import each other as top-level modules, as `python bench/drill.py` does
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import drill
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
    cache_use_seconds,
    log_events,
    phases,
    readiness_named,
    reconcile,
    recovery_seconds,
    report,
    stale_answers,
    unexpected_log_errors,
    unexplained_failures,
)


def outages():
    """PostgreSQL down from 10 to 15 s, Redis from 25 to 35 s."""
    return [
        Outage("PostgreSQL", "database", True, DATABASE_ERRORS, start=10.0, end=15.0),
        Outage("Redis", "redis", False, REDIS_ERRORS, start=25.0, end=35.0),
    ]


def page(started, ended=None, status=200, cache="", detail="", kind="home"):
    failure = "" if status is not None and status < 400 else f"HTTP {status}"
    ended = started + 0.1 if ended is None else ended
    return Answer(kind, started, ended, status, failure, cache, detail)


def readiness(started, status=200, failed=""):
    return page(started, status=status, detail=failed, kind=READINESS_PROBE)


# --- errors and outages -------------------------------------------------------------------


def test_errors_while_the_database_is_down_and_just_after_are_explained():
    explained = [
        page(10.5, status=500),
        page(9.5, 10.2, status=None),  # in flight when the database stopped
        page(15.0 + GRACE - 0.1, status=500),  # its connection not yet back
        readiness(12.0, 503, "database"),
    ]
    assert unexplained_failures(explained, outages()) == []


def test_errors_before_or_well_after_an_outage_are_not():
    late = page(15.0 + GRACE + 0.5, status=500)
    early = page(5.0, status=502)
    assert unexplained_failures([early, late, page(20.0)], outages()) == [early, late]


def test_while_redis_is_down_nothing_may_fail_readiness_included():
    """Without Redis every page is still served, uncached (docs/scaling.md), and every
    instance stays in the load balancer: /health/ready says 200, Redis degraded."""
    page_error = page(30.0, status=500)
    wrong_check = readiness(30.0, 503, "database")
    out_of_rotation = readiness(30.0, 503, "redis")
    degraded = readiness(30.0, 200, "redis")
    found = unexplained_failures(
        [page_error, wrong_check, out_of_rotation, degraded, page(30.0)], outages()
    )
    assert found == [page_error, wrong_check, out_of_rotation]


def test_readiness_counts_only_answers_naming_the_service_as_they_should_during_its_outage():
    """The database: 503, failed; Redis: 200, degraded."""
    database, cache = outages()
    answers = [
        readiness(11.0, 503, "database"),
        readiness(12.0, 503, "database"),
        readiness(16.0, 503, "database"),  # after the outage
        readiness(26.0, 200, "redis"),
        readiness(26.5, 503, "redis"),  # out of the rotation: wrong
        readiness(27.0, 200),
    ]
    assert (readiness_named(answers, database), readiness_named(answers, cache)) == (2, 1)


def test_recovery_is_the_first_good_answer_after_the_database_is_back():
    database = outages()[0]
    answers = [
        readiness(8.0),  # before the outage: says nothing about the recovery
        readiness(14.0, 503, "database"),
        readiness(15.2, 503, "database"),
        Answer(READINESS_PROBE, 15.6, 16.3, 200),
        readiness(17.0),
    ]
    assert recovery_seconds(answers, READINESS_PROBE, database) == pytest.approx(1.3)
    assert recovery_seconds(answers, FORM_PROBE, database) is None


def test_the_page_cache_is_in_use_again_with_the_first_page_stored_in_it():
    """Redis comes back empty: a page must be stored before one can come from the cache,
    and under load that second request may wait; the first page stored is the measure."""
    cache = outages()[1]
    answers = [
        page(24.0, 24.1, cache="HIT"),  # before the outage
        page(30.0, 34.0),  # during it: served without the cache
        page(34.0, 36.0, cache="MISS"),  # queued, answered (and stored) once Redis was back
        page(36.5, 37.0, cache="HIT"),
    ]
    assert cache_use_seconds(answers, cache) == (pytest.approx(1.0), pytest.approx(2.0))
    assert cache_use_seconds(answers[:2], cache) == (None, None)


def test_phases_alternate_calm_and_outage():
    assert phases(outages(), 60.0) == [
        ("before", 0.0, 10.0),
        ("PostgreSQL down", 10.0, 15.0),
        ("after PostgreSQL", 15.0, 25.0),
        ("Redis down", 25.0, 35.0),
        ("after Redis", 35.0, 60.0),
    ]


# --- stale pages --------------------------------------------------------------------------


def changed(started, title, status=200, cache="HIT"):
    return page(started, status=status, cache=cache, detail=title, kind=CHANGED_PROBE)


def test_a_probe_begun_after_the_publish_must_show_the_new_title():
    stale = changed(41.0, "old")
    answers = [
        changed(39.0, "old"),  # before the publish
        changed(40.1, "old", cache="MISS"),  # begun while it was published
        changed(40.9, "new", cache="MISS"),
        stale,
        changed(41.5, "", status=500),  # a failure, not a stale page
    ]
    assert stale_answers(answers, published_at=40.5) == [stale]


# --- registrations ------------------------------------------------------------------------


def registrant(email, posted=True, accepted=True, attempts=1):
    person = Registrant(email)
    for attempt in range(attempts):
        last = attempt == attempts - 1
        person.record(posted=posted, accepted=accepted and last)
    return person


def test_every_accepted_registration_is_stored_exactly_once():
    people = [registrant("a@example.org"), registrant("b@example.org", attempts=3)]
    found = reconcile(people, {"a@example.org": 1, "b@example.org": 1})
    assert found.ok
    assert (found.accepted, found.stored_once, found.gave_up) == (2, 2, 0)


def test_lost_and_twice_stored_registrations_fail():
    people = [
        registrant("lost@example.org"),
        registrant("twice@example.org"),
        # the answer failed, a retry was sent too: still never twice
        registrant("failed@example.org", accepted=False, attempts=3),
    ]
    found = reconcile(people, {"twice@example.org": 2, "failed@example.org": 2})
    assert not found.ok
    assert found.lost == ["lost@example.org"]
    assert found.duplicated == ["twice@example.org", "failed@example.org"]


def test_a_failed_registration_may_be_stored_once_but_never_without_a_post():
    people = [
        registrant("answer-lost@example.org", accepted=False),  # stored before the error
        registrant("form-only@example.org", posted=False, accepted=False),
    ]
    found = reconcile(
        people,
        {"answer-lost@example.org": 1, "form-only@example.org": 1, "stranger@example.org": 1},
    )
    assert (found.gave_up, found.stored_after_error) == (2, 1)
    assert found.unexplained == ["form-only@example.org", "stranger@example.org"]
    assert not found.ok


# --- the server log -----------------------------------------------------------------------


def json_line(at, level, message, exception=None):
    record = {"time": "2026-12-06T10:00:00+0100", "level": level, "logger": "x"}
    record["message"] = message
    if exception:
        record["exception"] = exception
    return LogLine(at, json.dumps(record))


REFUSED = (
    'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n'
    'django.db.utils.OperationalError: connection failed: connection to server at "127.0.0.1"'
    ", port 54329 failed: Connection refused\n"
    "\tIs the server running on that host and accepting TCP/IP connections?"
)


def test_the_log_yields_each_error_with_its_exception_and_counts_warnings():
    lines = [
        json_line(11.0, "ERROR", "Internal Server Error: /de/", REFUSED),
        json_line(12.0, "WARNING", "Not ready: database"),
        LogLine(50.0, "[2026-12-06 10:00:50 +0100] [123] [CRITICAL] WORKER TIMEOUT (pid:124)"),
        LogLine(50.1, "[2026-12-06 10:00:50 +0100] [124] [ERROR] Error handling request /de/"),
        LogLine(50.1, "Traceback (most recent call last):"),  # gunicorn's, counted above
        LogLine(50.1, '  File "x.py", line 1, in <module>'),
        LogLine(50.1, "Subject: Ihre Anmeldung"),  # an e-mail of the console backend
        LogLine(55.0, "Traceback (most recent call last):"),
    ]
    errors, warnings = log_events(lines)
    assert errors == [
        (
            11.0,
            'django.db.utils.OperationalError: connection failed: connection to server at "'
            '127.0.0.1", port 54329 failed: Connection refused',
        ),
        (50.0, "gunicorn: WORKER TIMEOUT (pid:124)"),
        (50.1, "gunicorn: Error handling request /de/"),
        (55.0, "a traceback outside the JSON log"),
    ]
    assert warnings == 1


def test_only_the_lost_connection_of_the_service_that_was_down_is_expected():
    errors = [
        (11.0, "django.db.utils.OperationalError: the database system is shutting down"),
        (11.5, "TypeError: 'NoneType' object is not subscriptable"),  # a bug, outage or not
        (30.0, "django.db.utils.OperationalError: terminating connection"),  # Redis was down
        (20.0, "django.db.utils.OperationalError: the database system is starting up"),
    ]
    assert unexpected_log_errors(errors, outages()) == errors[1:]


# --- the report ---------------------------------------------------------------------------


def calm_results(**changes) -> Results:
    """A drill in which everything went as it should."""
    answers = [page(time, cache="HIT") for time in (1.0, 20.0, 36.0, 50.0)]
    answers += [
        page(12.0, status=500),
        page(12.0, status=500, kind=FORM_PROBE),
        page(15.3, kind=FORM_PROBE),
        readiness(12.0, 503, "database"),
        readiness(15.5),
        readiness(30.0, 200, "redis"),
        readiness(35.5),
        page(30.0),  # served without the cache while Redis is down
        page(11.0, status=None, kind=REGISTRATION),
        page(14.0, kind=REGISTRATION),
        changed(38.0, "old"),
        changed(45.0, "new"),
    ]
    results = Results(
        clients=20,
        duration=60.0,
        pages=181,
        answers=answers,
        registrants=[registrant("a@example.org", attempts=2)],
        stored={"a@example.org": 1},
        outages=outages(),
        published_at=40.0,
        publish_failure="",
        log_lines=[json_line(12.0, "ERROR", "Internal Server Error: /de/", REFUSED)],
        master_pid=100,
        master_running=True,
        workers_before=[101, 102],
        workers_after=[101, 102],
    )
    for name, value in changes.items():
        setattr(results, name, value)
    return results


def verdicts(lines: list[str]) -> list[str]:
    """Each check of the report as one line, "ok …" or "FAILED …" (long ones are wrapped,
    and details are indented below)."""
    checks = []
    for line in lines:
        if line.startswith(("ok ", "FAILED ")):
            checks.append(line)
        elif checks and line.startswith(" "):
            checks[-1] += " " + line.strip()
    return checks


def test_the_report_of_a_good_drill_passes_every_check():
    lines, passed = report(calm_results())
    assert passed, "\n".join(lines)
    checks = verdicts(lines)
    assert len(checks) == 8 and all(line.startswith("ok") for line in checks)
    assert "PostgreSQL stopped at 10.0 s, accepting connections at 15.0 s" in lines[1]
    found = " ".join(checks)
    assert "/health/ready 200 after 0.6 s, the form page 200 after 0.4 s" in found
    assert (
        "1 503 naming database failed while PostgreSQL was down, "
        "1 200 naming redis degraded while Redis was down"
    ) in found
    assert "/health/ready without redis degraded after 0.6 s" in found
    assert "1 visitors, 1 accepted (1 after trying again), 1 stored once, 0 lost" in found
    # the log's errors by kind, long messages cut in the middle: class and reason stay
    assert "1 × django.db.utils.OperationalError: …" in found
    assert found.endswith("port 54329 failed: Connection refused")
    phase_names = [line.split("  ")[0] for line in lines[4:9]]
    assert phase_names == [
        "before",
        "PostgreSQL down",
        "after PostgreSQL",
        "Redis down",
        "after Redis",
    ]


@pytest.mark.parametrize(
    ("changes", "failed"),
    [
        ({"stored": {}}, "registrations: 1 visitors, 1 accepted"),
        ({"workers_after": [101, 103]}, "workers 101, 102 replaced by 101, 103"),
        ({"master_running": False}, "gunicorn not restarted: master 100 GONE"),
        ({"published_at": None, "publish_failure": "boom"}, "the publish failed: boom"),
        (
            {"log_lines": [json_line(50.0, "ERROR", "Internal Server Error: /de/", REFUSED)]},
            "log: 1 unexpected errors",
        ),
    ],
)
def test_a_failed_check_fails_the_drill_and_says_why(changes, failed):
    lines, passed = report(calm_results(**changes))
    assert not passed
    assert any(line.startswith("FAILED") and failed in line for line in verdicts(lines)), lines


def test_a_stale_page_and_a_slow_recovery_fail_the_drill():
    results = calm_results()
    results.answers += [changed(46.0, "old"), page(27.0, status=500)]
    results.answers = [a for a in results.answers if a.kind != FORM_PROBE]
    lines, passed = report(results)
    assert not passed
    failed = [line for line in verdicts(lines) if line.startswith("FAILED")]
    assert len(failed) == 3, lines
    assert "1 with the old title" in failed[2]
    assert "the form page 200 after never" in failed[1]
    assert "home at 27.0 s: HTTP 500" in failed[0]


# --- never someone else's server ----------------------------------------------------------


def test_the_drill_breaks_no_server_it_did_not_start(monkeypatch, tmp_path):
    """A Redis (or anything) already on the drill's port stops it before it creates,
    starts or stops anything: it never shuts down a server of the machine."""
    touched = []

    class Untouchable:
        def __init__(self, *args, **kwargs):
            touched.append("created")

        def __getattr__(self, name):
            touched.append(name)
            return lambda *args, **kwargs: None

    monkeypatch.setattr(drill, "PostgresCluster", Untouchable)
    monkeypatch.setattr(drill, "RedisServer", Untouchable)
    with socket.socket() as someone_elses:
        someone_elses.bind(("127.0.0.1", 0))
        someone_elses.listen()
        port = someone_elses.getsockname()[1]
        arguments = type(
            "Arguments", (), {"postgres_port": 0, "redis_port": port, "port": 0, "keep": False}
        )
        with (
            pytest.raises(SystemExit, match=f"port {port} is in use"),
            drill.own_services(arguments, tmp_path),
        ):
            pass
    assert touched == ["created", "created"]  # objects made, no method called
