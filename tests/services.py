"""Which outside services the tests can reach, and what a missing one means.

Tests that need PostgreSQL, Redis or a browser carry the markers `postgres`, `redis` and
`browser`. On a bare machine they are skipped with the reason; with PORTAL_REQUIRE_SERVICES=1
(set by .ci/run) a missing service fails them instead.
"""

import os
import socket
from urllib.parse import urlsplit

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/kosi_portal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
CHROMIUM = "/usr/bin/chromium"


def services_required() -> bool:
    return os.environ.get("PORTAL_REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes"}


def postgres_url() -> str:
    return os.environ.get("PORTAL_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _port_open(url: str, default_port: int) -> bool:
    address = urlsplit(url)
    try:
        with socket.create_connection((address.hostname, address.port or default_port), 2):
            return True
    except OSError:
        return False


def postgres_reachable(url: str | None = None) -> bool:
    return _port_open(url or postgres_url(), 5432)


def redis_reachable() -> bool:
    return _port_open(os.environ.get("REDIS_URL", DEFAULT_REDIS_URL), 6379)


def browser_available() -> bool:
    return os.path.exists(CHROMIUM) and _importable("playwright")


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None
