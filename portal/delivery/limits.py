"""Counters for rate limits and the login throttle, shared by every worker and instance.

With Redis (REDIS_URL) they live there. Without it, or while Redis is down, they live in
the database (RateLimitCounter): a local-memory cache would give each gunicorn worker its
own count, and "Redis is down, let everyone through" would switch the limits off exactly
when someone may be hammering the site.

Counts are per fixed window (an hour for registrations): the key names the scope, a keyed
hash of the identifier (never the IP or e-mail address itself) and the window's number.
"""

import datetime
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.utils import timezone

from .cache import version_in_database as cache_is_per_process


class RateLimitCounter(models.Model):
    """Attempts of one identifier in one window, when no shared cache keeps them. Rows
    delete themselves once expired (the next new window's first attempt removes them).
    Internal: no admin, no permissions."""

    key = models.CharField(max_length=120, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.key}: {self.count}"


def counter_key(scope: str, identifier: str, window: int) -> tuple[str, datetime.datetime]:
    """The counter's key for the current window, and when that window ends."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{identifier}".encode()).hexdigest()
    number = int(time.time() // window)
    ends = datetime.datetime.fromtimestamp((number + 1) * window, tz=datetime.UTC)
    return f"rate-limit:{scope}:{digest[:40]}:{number}", ends


def hit(scope: str, identifier: str, window: int) -> int:
    """Count one attempt; returns the attempts in this window, this one included."""
    key, ends = counter_key(scope, identifier, window)
    if not cache_is_per_process():
        attempts = _hit_in_cache(key, window)
        if attempts is not None:
            return attempts
        # Redis is down (django-redis ignores the error and answers None): the database
    return _hit_in_database(key, ends)


def attempts(scope: str, identifier: str, window: int) -> int:
    """The attempts counted in this window, without counting one."""
    key, _ends = counter_key(scope, identifier, window)
    in_database = (
        RateLimitCounter.objects.filter(key=key).values_list("count", flat=True).first() or 0
    )
    if cache_is_per_process():
        return in_database
    # what Redis counted, and what the database counted while Redis was down
    return max(cache.get(key) or 0, in_database)


def _hit_in_cache(key: str, window: int) -> int | None:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def _hit_in_database(key: str, ends: datetime.datetime) -> int:
    """One statement, atomic on PostgreSQL and SQLite alike: two workers counting at the
    same moment both count."""
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    key_column, count, expires_at = (
        connection.ops.quote_name(name) for name in ("key", "count", "expires_at")
    )
    # table and column names quoted by the backend; the values are bound
    upsert = (
        f"INSERT INTO {table} ({key_column}, {count}, {expires_at}) VALUES (%s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({key_column}) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"RETURNING {count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(upsert, [key, connection.ops.adapt_datetimefield_value(ends)])
        (attempts,) = cursor.fetchone()
    if attempts == 1:  # a new window: clear the expired ones
        RateLimitCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return attempts


# --- the login throttle per address -------------------------------------------------------
# django-axes locks one user name from one address after PORTAL_LOGIN_FAILURE_LIMIT failures.
# One password tried against many user names (password spraying) never trips that, so the
# failures of each address are also counted across user names, with a higher limit: a town
# hall's shared address carries many colleagues' typing mistakes.
LOGIN_FAILURES = "login-failures"


def login_window() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def count_login_failure(sender, credentials, request=None, **kwargs):
    """Receiver of Django's user_login_failed (connected in portal/apps.py)."""
    from .http import client_ip

    if request is not None:
        hit(LOGIN_FAILURES, client_ip(request), login_window())


class PasswordSprayingGuard:
    """The first authentication backend: refuses every login from an address with
    PORTAL_LOGIN_FAILURE_LIMIT_PER_IP failures in the cool-off window, before any password
    is checked. django-axes' middleware answers with the lockout page (429)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from django.core.exceptions import PermissionDenied

        from .http import client_ip

        if request is None:
            return None
        failures = attempts(LOGIN_FAILURES, client_ip(request), login_window())
        if failures >= settings.PORTAL_LOGIN_FAILURE_LIMIT_PER_IP:
            request.axes_locked_out = True  # read by axes.middleware.AxesMiddleware
            request.axes_credentials = {"username": username}
            raise PermissionDenied
        return None

    def get_user(self, user_id):
        """It never logs anybody in, but code that loads a session's user through the first
        backend (Django's force_login, Wagtail's page test utilities) must find them: as
        Django's ModelBackend does."""
        from django.contrib.auth.backends import ModelBackend

        return ModelBackend().get_user(user_id)
