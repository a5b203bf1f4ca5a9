"""Rate limits that hold (portal/delivery/limits.py): one count for all workers, in the
database without Redis, in Redis with it, and in the database again while Redis is down."""

import datetime
import os

import pytest
import time_machine
from django.core.cache import cache

from portal.delivery.http import rate_limited
from portal.models import RateLimitCounter
from tests.services import DEFAULT_REDIS_URL

ADDRESS = "203.0.113.5"


def redis_cache(location):
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "rate-limit-test",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1},
        }
    }


UNREACHABLE_REDIS = redis_cache("redis://127.0.0.1:1/0")  # nothing listens on port 1


def attempts_until_refused(scope, identifier, limit=3):
    for number in range(1, limit + 2):
        if rate_limited(scope, identifier, limit):
            return number
    return None


def test_without_redis_the_count_is_in_the_database_for_every_worker(db):
    assert attempts_until_refused("registration-ip", ADDRESS) == 4
    # the count is not in this worker's memory: another worker, with its own, sees it
    cache.clear()
    assert rate_limited("registration-ip", ADDRESS, 3)
    assert not rate_limited("registration-ip", "203.0.113.6", 3)
    counters = list(RateLimitCounter.objects.values_list("key", "count"))
    assert sorted(count for _key, count in counters) == [1, 5]
    assert not any(ADDRESS in key for key, _count in counters)  # a keyed hash, no address


def test_a_new_window_starts_counting_again_and_clears_old_counters(db):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 10, tzinfo=datetime.UTC)) as clock:
        assert attempts_until_refused("registration-ip", ADDRESS) == 4
        clock.shift(datetime.timedelta(hours=1))
        assert not rate_limited("registration-ip", ADDRESS, 3)
        assert RateLimitCounter.objects.count() == 1  # the last hour's counter is gone


def test_while_redis_is_down_the_limit_holds_in_the_database(db, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = UNREACHABLE_REDIS
    assert attempts_until_refused("registration-ip", ADDRESS) == 4
    assert RateLimitCounter.objects.get().count == 4


@pytest.mark.redis
def test_with_redis_the_count_is_there_and_survives_its_outage_in_the_database(db, settings):
    settings.REDIS_URL = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    settings.CACHES = redis_cache(settings.REDIS_URL)
    cache.clear()
    try:
        assert not rate_limited("registration-ip", ADDRESS, 2)
        assert not rate_limited("registration-ip", ADDRESS, 2)
        assert not RateLimitCounter.objects.exists()  # counted in Redis only
        assert rate_limited("registration-ip", ADDRESS, 2)

        settings.CACHES = UNREACHABLE_REDIS  # Redis goes down: not everyone gets through
        assert attempts_until_refused("registration-ip", ADDRESS, limit=2) == 3
    finally:
        settings.CACHES = redis_cache(settings.REDIS_URL)
        cache.clear()
