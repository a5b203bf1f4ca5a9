"""The page cache for anonymous visitors: hits, bypasses, invalidation on every publish,
no poisoning, pages still served while Redis is down, and the version every worker shares
(in Redis, or in the database when each worker has a local-memory cache of its own)."""

import logging

import pytest
from django.core.cache import cache

from events.models import EventIndexPage, RegistrationMode
from tests.events.factories import EventPageFactory, EventSpeakerFactory, series_with_parts
from tests.helpers import soup_of
from tests.labs.factories import ActorPageFactory, LabPageFactory
from tests.portal.factories import published, translated


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def get(client, path, **headers):
    response = client.get(path, **headers)
    return response, (response.get("X-Cache") or "").lower() or None


def test_the_second_anonymous_visit_comes_from_the_cache(client, demo):
    first, state = get(client, "/de/")
    assert (first.status_code, state) == (200, "miss")
    second, state = get(client, "/de/")
    assert state == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"]


def test_editors_always_see_fresh_pages(admin_client, demo):
    for _ in range(2):
        response, state = get(admin_client, "/de/")
        assert response.status_code == 200 and state is None


def test_pages_with_a_form_token_are_not_cached(client, demo):
    event = EventPageFactory(registration_mode=RegistrationMode.BUILT_IN)
    for _ in range(2):
        response, state = get(client, event.url)
        assert state is None
        assert "csrfmiddlewaretoken" in response.content.decode()


def test_visitors_with_a_session_or_messages_bypass_the_cache(client, demo):
    get(client, "/de/")
    client.cookies["sessionid"] = "abc"
    assert get(client, "/de/")[1] is None
    del client.cookies["sessionid"]
    client.cookies["messages"] = "x"
    assert get(client, "/de/")[1] is None


def test_publishing_an_event_refreshes_every_page_that_shows_it(client, demo):
    index = EventIndexPage.objects.get(locale__language_code="de")
    lab = LabPageFactory()
    speaker_actor = ActorPageFactory()
    series, (event,) = series_with_parts(1)
    event.related_labs = [lab]
    event.save()
    EventSpeakerFactory(event=event, actor=speaker_actor)
    assert event.title in client.get(index.url).content.decode()
    paths = [event.url, index.url, f"{index.url}feed/", f"{index.url}calendar/", "/de/"]
    paths += [series.url, lab.url, speaker_actor.url]
    for path in paths:
        get(client, path)
        assert get(client, path)[1] == "hit", path

    event.title = "Werkstatt mit neuem Titel"
    event.save_revision().publish()

    for path in (event.url, index.url, f"{index.url}feed/", series.url):
        response, state = get(client, path)
        assert state == "miss", path
        assert "Werkstatt mit neuem Titel" in response.content.decode(), path


def test_unpublish_move_delete_and_translation_make_the_cache_stale(client, demo):
    lab = LabPageFactory()
    get(client, lab.url)
    assert get(client, lab.url)[1] == "hit"
    lab.unpublish()
    assert client.get(lab.url).status_code == 404

    actor = ActorPageFactory()
    get(client, actor.url)
    actor.delete()
    assert client.get(actor.url).status_code == 404

    moved = published(LabPageFactory())
    old_url = moved.url
    get(client, old_url)
    moved.slug = "umgezogen"
    moved.save_revision().publish()
    assert client.get(old_url).status_code in (301, 302, 404)

    # a translation goes live when wagtail-localize publishes the translated page
    english_lab = translated(LabPageFactory())
    get(client, english_lab.url)
    assert get(client, english_lab.url)[1] == "hit"
    english_lab.title = "A new English title"
    english_lab.save_revision().publish()
    response, state = get(client, english_lab.url)
    assert state == "miss" and "A new English title" in response.content.decode()


def test_settings_and_site_texts_refresh_the_cache(client, demo):
    from portal.models import SiteTexts

    get(client, "/de/")
    texts = SiteTexts.objects.get(locale__language_code="de")
    texts.site_name = "Labor-Portal Musterstadt"
    texts.save()
    response, state = get(client, "/de/")
    assert state == "miss"
    assert "Labor-Portal Musterstadt" in response.content.decode()


def test_junk_query_parameters_cannot_poison_the_cache(client, demo):
    clean, _ = get(client, "/de/labore/")
    _poisoned, state = get(client, "/de/labore/?phase=set_up&utm=<script>")
    assert state == "miss"
    again, state = get(client, "/de/labore/")
    assert state == "hit"
    assert again.content == clean.content


def test_forwarded_and_unknown_hosts_cannot_poison_the_cache(client, demo):
    response = client.get("/de/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    forwarded, _ = get(client, "/de/", HTTP_X_FORWARDED_HOST="evil.example")
    assert b"evil.example" not in forwarded.content
    normal, state = get(client, "/de/")
    assert state == "hit"
    assert b"evil.example" not in normal.content


@pytest.mark.parametrize(
    "headers",
    [
        {"secure": True},  # gunicorn trusting X-Forwarded-Proto: https from a local proxy
        {"HTTP_X_FORWARDED_PROTO": "https"},
        {"HTTP_X_FORWARDED_HOST": "evil.example", "HTTP_X_FORWARDED_PORT": "8443"},
        {"HTTP_FORWARDED": "proto=https;host=evil.example"},
    ],
)
@pytest.mark.parametrize("path", ["/de/", "/de/werkstaetten/", "/de/werkstaetten/feed/"])
def test_forwarded_scheme_and_port_never_change_what_the_next_visitor_gets(
    client, demo, settings, headers, path
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    uncached = client.get(path).content
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    _first, state = get(client, path, **headers)
    assert state == "miss"
    normal, _state = get(client, path)
    assert normal.content == uncached
    assert b"https://" not in normal.content.replace(b"https://www.", b"")
    assert b"evil.example" not in normal.content


def test_a_redis_outage_serves_pages_uncached_with_a_warning(client, demo, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
            },
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    settings.DJANGO_REDIS_LOGGER = "portal.delivery.cache.redis"
    with caplog.at_level(logging.WARNING, logger="portal.delivery.cache.redis"):
        for path in ("/de/", "/de/labore/", "/en/"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert soup_of(response).select_one("main")
    warnings = [r for r in caplog.records if r.name == "portal.delivery.cache.redis"]
    assert warnings and all(r.levelno == logging.WARNING for r in warnings)
    assert all(r.exc_info is None for r in warnings)
    # once the version cannot be read, the portal asks the cache nothing more (each attempt
    # could wait for a timeout): the version's get and add, then only Wagtail's own look-ups
    # of the site root paths and the renditions
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="portal.delivery.cache.redis"):
        client.get("/de/labore/")
    assert len([r for r in caplog.records if r.name == "portal.delivery.cache.redis"]) == 4


def test_a_preview_of_a_draft_never_comes_from_the_cache(client, demo):
    """The review link shows the submitted draft through Wagtail's preview, which renders
    the page's public address through the middleware."""
    from django.test import RequestFactory

    lab = published(LabPageFactory())
    get(client, lab.url)
    assert get(client, lab.url)[1] == "hit"
    lab.title = "Entwurf, noch nicht veröffentlicht"
    lab.save_revision()
    draft = lab.get_latest_revision_as_object()
    preview = draft.make_preview_request(RequestFactory().get("/review/x/"))
    assert "Entwurf, noch nicht veröffentlicht" in preview.content.decode()
    assert "X-Cache" not in preview
    # and visitors still see the live page
    assert "Entwurf" not in get(client, lab.url)[0].content.decode()


def test_a_response_keeps_its_own_cache_lifetime(client, demo):
    from portal.models import PortalSettings

    version = PortalSettings.objects.get().theme_version
    for _ in range(2):
        response = client.get(f"/theme.css?v={version}")
    assert "max-age=31536000" in response["Cache-Control"]


# Without Redis each worker process has a local-memory cache of its own; the version lives in
# the database. Two LocMemCache stores stand for two gunicorn workers sharing one database.
LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture
def workers(settings):
    from django.core.cache import caches

    def use(name):
        settings.CACHES = {"default": {"BACKEND": LOCAL_MEMORY, "LOCATION": f"worker-{name}"}}

    yield use
    for name in ("a", "b"):
        use(name)
        caches["default"].clear()


def test_a_publish_through_one_worker_refreshes_the_pages_of_another(client, demo, workers):
    from portal.models import PageCacheVersion

    lab = LabPageFactory()
    index = lab.get_parent()
    for worker in ("a", "b"):
        workers(worker)
        for path in (lab.url, index.url):
            get(client, path)
            assert get(client, path)[1] == "hit", (worker, path)

    def versions():
        return dict(PageCacheVersion.objects.values_list("site_id", "version"))

    workers("a")
    before = versions()
    lab.title = "Labor mit neuem Titel"
    lab.save_revision().publish()
    assert versions() != before  # the site's version, in the database all workers read

    workers("b")  # its memory still holds the old pages, under the old version
    for path in (lab.url, index.url):
        response, state = get(client, path)
        assert state == "miss", path
        assert "Labor mit neuem Titel" in response.content.decode(), path
        assert get(client, path)[1] == "hit", path


def test_with_local_memory_the_version_is_one_query_and_commits_with_the_change(
    demo, django_assert_num_queries
):
    from django.db import transaction

    from portal.delivery import cache as page_cache

    assert page_cache.version_in_database()
    with django_assert_num_queries(1):
        before = page_cache.current_version()
    page_cache.invalidate()
    assert page_cache.current_version() == before + 1
    # a change that is rolled back leaves the version (and so the cached pages) alone
    with pytest.raises(RuntimeError), transaction.atomic():
        page_cache.invalidate()
        assert page_cache.current_version() == before + 2
        raise RuntimeError
    assert page_cache.current_version() == before + 1


def test_a_page_from_the_cache_costs_one_query_the_version(client, demo, django_assert_num_queries):
    get(client, "/de/")
    with django_assert_num_queries(1):
        assert get(client, "/de/")[1] == "hit"


@pytest.mark.redis
def test_with_redis_the_version_lives_in_redis_without_a_query(demo, redis_cache):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.delivery import cache as page_cache

    assert not page_cache.version_in_database()
    with CaptureQueriesContext(connection) as captured:
        first = page_cache.current_version()
        page_cache.bump_version()
        assert page_cache.current_version() == first + 1
    assert captured.captured_queries == []


def test_without_the_database_the_readiness_probe_answers_503_before_the_page_cache(
    client, db, settings, caplog
):
    """The probe is answered before the page cache reads its version row, so a database
    outage is reported by the probe itself (tests/portal/test_probes.py has the rest)."""
    from unittest import mock

    from django.db import OperationalError, connection

    settings.PORTAL_PAGE_CACHE_SECONDS = 600

    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is down")

    with mock.patch.object(connection, "cursor", broken_cursor):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert "Serving without the page cache" not in caplog.text


def test_only_registrations_visitors_can_see_make_the_cache_stale(client, demo):
    """Workshop pages count confirmed and waiting people: an unconfirmed sign-up keeps the
    cache (a busy form would otherwise empty it every second), its confirmation does not."""
    from tests.events.factories import RegistrationFactory

    workshop = EventPageFactory(registration_mode=RegistrationMode.BUILT_IN, capacity=12)
    get(client, "/de/werkstaetten/")
    registration = RegistrationFactory(event=workshop, status="pending")
    assert get(client, "/de/werkstaetten/")[1] == "hit"
    registration.status = "confirmed"
    registration.save()
    assert get(client, "/de/werkstaetten/")[1] == "miss"
    registration.save(update_fields=["link_sent_at"])  # a link sent again
    assert get(client, "/de/werkstaetten/")[1] == "hit"
    get(client, "/de/werkstaetten/")
    registration.delete()
    assert get(client, "/de/werkstaetten/")[1] == "miss"


def test_the_installations_version_and_each_sites_are_rows_of_their_own(db):
    """However the rows came about (the first change a site's or the installation's, or the
    one row of before, created with id 1 by hand), each change raises its own number."""
    import functools
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection
    from wagtail.models import Site

    from portal.delivery import cache as page_cache
    from portal.models import PageCacheVersion

    site = Site.objects.get(is_default_site=True)
    PageCacheVersion.objects.all().delete()
    page_cache.bump_database_version(site.pk)  # a site's change first
    page_cache.bump_database_version()  # then one of the installation's
    assert page_cache.database_versions() == {site.pk: 2, None: 2}

    migration = importlib.import_module("portal.migrations.0008_page_cache_version_per_site")
    # the step needs only the schema editor's connection
    continue_ids = functools.partial(
        migration.continue_ids_after_existing_rows, apps, SimpleNamespace(connection=connection)
    )
    PageCacheVersion.objects.all().delete()
    continue_ids()  # a fresh table: the next id is 1 (on PostgreSQL)
    PageCacheVersion.objects.create(pk=1, version=7)  # as before sites had numbers
    continue_ids()
    page_cache.bump_database_version(site.pk)
    page_cache.bump_database_version()
    assert page_cache.database_versions() == {None: 8, site.pk: 2}
