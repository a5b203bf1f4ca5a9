"""Liveness and readiness probes (portal/delivery/probes.py), as a load balancer, systemd or
Kubernetes sees them: status codes, JSON bodies, log lines."""

import datetime
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError, connection
from django.utils import timezone

from portal.delivery import probes
from portal.models import SchedulerState
from tests.helpers import PRODUCTION_ESSENTIALS

REPO = Path(__file__).resolve().parents[2]


def broken_cursor(*args, **kwargs):
    raise OperationalError("database is down")


def test_liveness_answers_without_the_database(client, db, django_assert_num_queries):
    with (
        django_assert_num_queries(0),
        mock.patch.object(connection, "cursor", broken_cursor),
    ):
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/health/ready", "/health/ready/", "/health/", "/health"])
def test_readiness_names_each_check(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "failed": [],
        "degraded": [],
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "redis": "not checked",  # no REDIS_URL in the tests
            "scheduler": "not checked",  # PORTAL_SCHEDULER_HEARTBEAT_MINUTES=0
        },
    }
    assert "no-cache" in response["Cache-Control"]


def test_without_the_database_readiness_fails_with_a_warning_not_an_error(client, db, caplog):
    with mock.patch.object(connection, "cursor", broken_cursor):
        response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready" and body["failed"] == ["database"]
    assert body["checks"]["database"] == "unreachable"
    assert "database is down" not in response.content.decode()  # details stay in the log
    assert [(r.name, r.levelname) for r in caplog.records if r.levelno >= logging.WARNING] == [
        ("portal.health", "WARNING"),
        ("portal.health", "WARNING"),
    ]
    assert "Not ready: database" in caplog.text


def test_unapplied_migrations_make_it_not_ready(client, db, monkeypatch):
    on_disk = probes.migrations_on_disk() | {("portal", "9999_from_the_next_release")}
    monkeypatch.setattr(probes, "migrations_on_disk", lambda: on_disk)
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    assert response.json()["checks"]["migrations"] == "1 app(s) with unapplied migrations"


def test_the_scheduler_heartbeat_is_checked_when_one_is_expected(client, db, settings):
    settings.PORTAL_SCHEDULER_HEARTBEAT_MINUTES = 5
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["scheduler"] == "no heartbeat yet"

    now = timezone.now()
    with time_machine.travel(now, tick=False):
        SchedulerState.objects.beat()
        assert client.get("/health/ready").status_code == 200
    with time_machine.travel(now + datetime.timedelta(minutes=4)):
        assert client.get("/health/ready").status_code == 200
    with time_machine.travel(now + datetime.timedelta(minutes=12)):
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failed"] == ["scheduler"]
    assert response.json()["checks"]["scheduler"] == "last heartbeat 12 minutes ago"


def redis_cache(location):
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "probe-test",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
        }
    }


def test_an_unreachable_redis_leaves_it_ready_but_degraded(client, db, settings, caplog):
    """Every instance shares the one Redis, and each serves without it (the page cache
    uncached, the limits in the database): a 503 would take all of them out of the load
    balancer at once. The body and a warning say what is missing."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CACHES = redis_cache(settings.REDIS_URL)
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["failed"], body["degraded"]) == ("ready", [], ["redis"])
    assert body["checks"]["redis"] == "unreachable"
    assert [(r.name, r.levelname) for r in caplog.records if r.levelno >= logging.WARNING] == [
        ("portal.health", "WARNING")
    ]
    assert "Redis does not answer, serving without it" in caplog.text
    # the pages themselves are served meanwhile
    assert client.get("/robots.txt").status_code == 200


def test_without_the_database_and_redis_it_is_not_ready_and_says_both(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = redis_cache(settings.REDIS_URL)
    with mock.patch.object(connection, "cursor", broken_cursor):
        response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert (body["failed"], body["degraded"]) == (["database"], ["redis"])


@pytest.mark.redis
def test_a_reachable_redis_is_ready(client, db, settings):
    from tests.services import DEFAULT_REDIS_URL

    settings.REDIS_URL = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    settings.CACHES = redis_cache(settings.REDIS_URL)
    response = client.get("/health/ready")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["redis"] == "ok"


def test_probes_stay_out_of_the_request_log(client, db, settings, caplog):
    caplog.set_level(logging.INFO, logger="portal.requests")
    client.get("/health/live")
    client.get("/health/ready")
    assert not [r for r in caplog.records if r.name == "portal.requests"]
    client.get("/robots.txt")
    assert [r.getMessage() for r in caplog.records if r.name == "portal.requests"] == [
        "GET /robots.txt 200"
    ]


def run_production(code):
    """`code` in a fresh interpreter with the production settings (HTTPS redirect on, one
    allowed host, JSON logs on stdout); returns stdout and stderr together."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "WAGTAILADMIN_", "PORTAL_", "REDIS_"))
    }
    clean.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **PRODUCTION_ESSENTIALS)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_in_production_probes_answer_by_ip_over_http_and_nothing_else_does():
    output = run_production(
        "import json; from django.test import Client; c = Client();"
        "probe = lambda path: c.get(path, HTTP_HOST='10.0.0.7');"
        "print('RESULT', json.dumps(["
        " probe('/health/live').status_code,"
        " probe('/health/ready').json(),"
        " probe('/health/').status_code,"
        "]))"
    )
    results = [line for line in output.splitlines() if line.startswith("RESULT ")]
    live, ready, alias = json.loads(results[0].removeprefix("RESULT "))
    assert live == 200
    # the in-memory database of this check has no tables: answered, not redirected
    assert ready["failed"] == ["migrations"]
    assert alias == 503
    log_lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert {(line["logger"], line["level"]) for line in log_lines} == {("portal.health", "WARNING")}
    assert "DisallowedHost" not in output and "Invalid HTTP_HOST" not in output


def test_in_production_other_paths_still_redirect_and_refuse_unknown_hosts():
    output = run_production(
        "import json; from django.test import Client; c = Client();"
        "print('RESULT', json.dumps(["
        " [c.get(p, HTTP_HOST='portal.example.org').status_code,"
        "  c.get(p, HTTP_HOST='portal.example.org').get('Location')]"
        " for p in ['/de/', '/robots.txt', '/health/live/extra', '/healthz']"
        "] + ["
        " c.get('/de/', HTTP_HOST='10.0.0.7').status_code,"
        " c.get('/de/', HTTP_HOST='10.0.0.7', secure=True).status_code,"
        "]))"
    )
    results = [line for line in output.splitlines() if line.startswith("RESULT ")]
    *redirects, plain_by_ip, secure_by_ip = json.loads(results[0].removeprefix("RESULT "))
    assert redirects == [
        [301, "https://portal.example.org/de/"],
        [301, "https://portal.example.org/robots.txt"],
        [301, "https://portal.example.org/health/live/extra"],
        [301, "https://portal.example.org/healthz"],
    ]
    assert plain_by_ip == 400
    assert secure_by_ip == 400
    assert "Invalid HTTP_HOST header: '10.0.0.7'" in output
