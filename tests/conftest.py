import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Locale, Page, Site

from tests.services import (
    browser_available,
    postgres_reachable,
    redis_reachable,
    services_required,
)


def _service_missing(reason):
    if services_required():
        pytest.fail(f"{reason} (PORTAL_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        if postgres_reachable():
            pytest.skip("PostgreSQL-only: this pass uses SQLite; `make test` runs it next")
        _service_missing("PostgreSQL-only and no PostgreSQL server is reachable")
    if item.get_closest_marker("redis") and not redis_reachable():
        _service_missing("needs Redis and none is reachable")
    if item.get_closest_marker("browser") and not browser_available():
        _service_missing("needs /usr/bin/chromium and Playwright for Python")


@pytest.fixture
def portal(db):
    """The site skeleton: German home (site root) and its English translation."""
    call_command("setup_portal", verbosity=0, stdout=_null())
    site = Site.objects.get(is_default_site=True)
    home_de = site.root_page.specific
    home_en = home_de.get_translation(Locale.objects.get(language_code="en")).specific
    return {"site": site, "de": home_de, "en": home_en}


@pytest.fixture
def demo(portal):
    call_command("load_demo_content", stdout=_null())
    return portal


def _null():
    import io

    return io.StringIO()


def live_page_count():
    return Page.objects.filter(depth__gte=2).count()
