import io
import os

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.images import get_image_model
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
    if item.get_closest_marker("browser") and os.environ.get("PORTAL_SKIP_BROWSER_TESTS"):
        pytest.skip("browser tests run in another CI leg (PORTAL_SKIP_BROWSER_TESTS)")
    if item.get_closest_marker("browser") and not browser_available():
        _service_missing("needs /usr/bin/chromium and Playwright for Python")


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """Create the test database and build the demo site once per session; every test runs
    in a transaction rolled back afterwards, so each one starts from the same bilingual demo
    portal.

    Replaces pytest-django's fixture, which creates databases only for tests marked or using
    `db`; a test that must commit (threads see only committed rows) uses this fixture directly
    and must still get the test database, never the configured one.
    """
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        call_command("load_demo_content", "--single-site", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        close_other_sessions()
        teardown_databases(databases, verbosity=0)


def close_other_sessions():
    """End every other PostgreSQL session on the test database (a live-server thread's, a
    subprocess's) so the database can be dropped; PostgreSQL refuses while one is open."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _site_pages():
    site = Site.objects.get(is_default_site=True)
    home_de = site.root_page.specific
    home_en = home_de.get_translation(Locale.objects.get(language_code="en")).specific
    return {"site": site, "de": home_de, "en": home_en}


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the database is rolled back after every test,
    but cached pages and chrome of an earlier test's data would survive in memory."""
    from django.core.cache import cache

    from portal.templatetags import portal_images

    cache.clear()
    portal_images.forget_pictures()  # per process too: image ids come again after a rollback


@pytest.fixture
def redis_cache(settings):
    """The default cache on the test Redis (database 5), under a key prefix of this test's
    own, emptied afterwards (its prefix only: never FLUSHDB)."""
    import uuid

    from django.core.cache import cache

    location = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"{location}/5",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        }
    }
    yield cache
    cache.delete_pattern("*")


@pytest.fixture
def demo(db):
    """The demo portal: labs, actors and content pages in German and English."""
    return _site_pages()


@pytest.fixture
def portal(db):
    """Only the site skeleton, as `setup_portal` leaves a fresh fork (demo content removed
    inside the test's transaction)."""
    from portal.models import PortalSettings, SiteTexts
    from portal.utils import app_modules

    skeleton_paths = {"/home/"}
    for module in app_modules("skeleton"):
        skeleton_paths |= module.PAGE_PATHS
    keep = Page.objects.filter(url_path__in=skeleton_paths, locale=Locale.get_default())
    keep_keys = list(keep.values_list("translation_key", flat=True))
    while doomed := Page.objects.filter(depth__gte=3).exclude(translation_key__in=keep_keys):
        doomed.order_by("-depth").first().delete()
    for home in Page.objects.filter(depth=2).specific():
        home.hero_heading = home.hero_text = home.teaser = ""
        home.hero_image = None
        home.body = []
        home.save()
    SiteTexts.objects.all().delete()
    PortalSettings.objects.all().delete()
    get_image_model().objects.all().delete()
    from labs.models import Topic

    Topic.objects.all().delete()
    return _site_pages()
