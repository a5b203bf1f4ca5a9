"""Probes for load balancers, process managers and Kubernetes.

- /health/live   the process answers (no database, no cache): restart it when this fails.
- /health/ready  it can serve: the database answers and is migrated, and the scheduler's
                 heartbeat is recent (when one is expected, PORTAL_SCHEDULER_HEARTBEAT_MINUTES).
                 503 with the failed checks otherwise: take the instance out of the rotation,
                 do not restart it. Redis (when configured) is checked and reported, but an
                 unreachable Redis leaves the answer 200 with "degraded": ["redis"]: the page
                 cache, the rate limits and the login throttle fall back to the database, so
                 the instance still serves correctly, and every instance shares the one Redis
                 - failing readiness would take all of them out of the load balancer at once
                 and turn a slower site into no site.
- /health/       the same as /health/ready (what monitors used before).

Probes come by IP address and over plain HTTP from inside the network, so they are answered
by the first middleware, before Django's host check and HTTPS redirect see the request:
every other path keeps both. The request log leaves them out (one line every few seconds
per probe would drown the visitors' requests); a failed readiness is a warning line naming
what failed.
"""

import functools
import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("portal.health")

OK = "ok"
NOT_CHECKED = "not checked"


def liveness() -> tuple[bool, dict]:
    return True, {"status": "alive"}


# checks whose failure the portal serves through (falling back to the database): reported as
# degraded, never a 503
SERVED_WITHOUT = {"redis"}


def readiness() -> tuple[bool, dict]:
    checks = {"database": check_database()}
    checks["migrations"] = check_migrations() if checks["database"] == OK else NOT_CHECKED
    checks["redis"] = check_redis()
    checks["scheduler"] = check_scheduler() if checks["migrations"] == OK else NOT_CHECKED
    unwell = [name for name, outcome in checks.items() if outcome not in (OK, NOT_CHECKED)]
    degraded = [name for name in unwell if name in SERVED_WITHOUT]
    failed = [name for name in unwell if name not in SERVED_WITHOUT]
    ready = not failed
    body = {
        "status": "ready" if ready else "not ready",
        "failed": failed,
        "degraded": degraded,
        "checks": checks,
    }
    return ready, body


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Readiness: the database does not answer: %s", error)
        return "unreachable"
    return OK


@functools.cache
def migrations_on_disk() -> frozenset:
    """The latest migration of every app, read once per process: the code (and so its
    migrations) does not change while the process runs."""
    from django.db.migrations.loader import MigrationLoader

    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def check_migrations() -> str:
    from django.db.migrations.recorder import MigrationRecorder

    try:
        applied = set(MigrationRecorder.Migration.objects.values_list("app", "name"))
    except DatabaseError:  # no migrations table: a fresh database
        return "not migrated"
    missing = migrations_on_disk() - applied
    if missing:
        logger.warning("Readiness: migrations not applied: %s", sorted(missing))
        return f"{len(missing)} app(s) with unapplied migrations"
    return OK


def check_redis() -> str:
    if not settings.REDIS_URL:
        return NOT_CHECKED
    try:
        from django_redis import get_redis_connection

        get_redis_connection("default").ping()
    except Exception as error:  # redis-py's errors, whatever the connection's state
        logger.warning("Readiness: Redis does not answer, serving without it: %s", error)
        return "unreachable"
    return OK


def check_scheduler() -> str:
    from ..models import SchedulerState

    allowed_minutes = settings.PORTAL_SCHEDULER_HEARTBEAT_MINUTES
    if not allowed_minutes:
        return NOT_CHECKED
    state = SchedulerState.objects.current()
    if state is None or state.heartbeat_at is None:
        return "no heartbeat yet"
    silent_minutes = (timezone.now() - state.heartbeat_at).total_seconds() / 60
    if silent_minutes > allowed_minutes:
        return f"last heartbeat {int(silent_minutes)} minutes ago"
    return OK


# path without its trailing slash: both forms answer
PROBES = {"/health/live": liveness, "/health/ready": readiness, "/health": readiness}


class ProbeMiddleware:
    """First in MIDDLEWARE: answers the probes before anything reads the Host header or
    redirects to HTTPS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/"))
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        healthy, body = probe()
        if not healthy:
            logger.warning("Not ready: %s", ", ".join(body["failed"]), extra=body)
        response = JsonResponse(body, status=200 if healthy else 503)
        add_never_cache_headers(response)
        response["X-Content-Type-Options"] = "nosniff"
        # Django would log every 503 as an error of django.request, every few seconds while
        # the database is down; the warning above names what failed, once per probe.
        response._has_been_logged = True
        return response
