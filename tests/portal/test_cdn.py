"""Purging a CDN in front of the portal (portal/cdn.py): off unless configured; a publish purges
the page and every page that shows it, in its language; a move or a new slug purges the old
addresses too; only pages the page cache may share get a lifetime for the CDN."""

import json
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from wagtail.contrib.frontend_cache.backends import BaseBackend

from events.models import EventIndexPage, EventPage, RegistrationMode
from home.models import HomePage
from labs.models import ActorPage, LabPage
from portal.delivery import cdn
from tests.events.factories import (
    EventPageFactory,
    EventSpeakerFactory,
    series_with_parts,
)
from tests.helpers import PRODUCTION_ESSENTIALS
from tests.labs.factories import ActorPageFactory, LabPageFactory, add_partners
from tests.portal.factories import published, translated
from tests.portal.test_configuration import run_production_check
from tests.security.test_headers import production

PURGED = []


class RecordingBackend(BaseBackend):
    """Stands for Varnish or Cloudflare: records the addresses it is asked to forget."""

    def purge(self, url):
        PURGED.append(url)


@pytest.fixture
def purged(settings):
    settings.WAGTAILFRONTENDCACHE = {"test": {"BACKEND": f"{__name__}.RecordingBackend"}}
    PURGED.clear()
    cdn.connect_cdn_purge()
    yield PURGED
    cdn.disconnect_cdn_purge()
    PURGED.clear()


def workshop_in_series(language):
    """A workshop of a series with a lab, a speaker linked to an actor page and an organiser
    (the workshop with the most pages that show it), in `language`."""
    lab = LabPageFactory()
    speaker = ActorPageFactory(kind="person", sector="research")
    organiser = ActorPageFactory(sector="administration")
    series, (event, _next_part) = series_with_parts(2)
    event.organiser = organiser
    event.related_labs = [lab]
    event.save()
    EventSpeakerFactory(event=event, actor=speaker)
    if language == "de":
        return published(event)
    for page in (lab, speaker, organiser, series):
        translated(page)
    return translated(event)


def localized(model, pages, locale):
    keys = [page.translation_key for page in pages]
    return list(model.objects.live().filter(locale=locale, translation_key__in=keys))


@pytest.mark.parametrize("language", ["de", "en"])
def test_publishing_a_workshop_purges_every_page_that_shows_it(
    client, demo, purged, django_capture_on_commit_callbacks, language
):
    event = workshop_in_series(language)
    series = event.get_parent().specific
    index = EventIndexPage.objects.get(locale=event.locale)
    home = HomePage.objects.get(locale=event.locale)
    labs = localized(LabPage, event.related_labs.all(), event.locale)
    speakers = [speaker.actor for speaker in event.speakers.all() if speaker.actor]
    actors = localized(ActorPage, [*speakers, event.organiser], event.locale)
    assert labs and actors
    expected = {
        event.full_url,
        f"{event.full_url}calendar/",
        series.full_url,
        f"{series.full_url}calendar/",
        index.full_url,
        f"{index.full_url}feed/",
        f"{index.full_url}calendar/",
        home.full_url,
        *(lab.full_url for lab in labs),
        *(actor.full_url for actor in actors),
        f"{demo['site'].root_url}/sitemap.xml",
    }

    with django_capture_on_commit_callbacks(execute=True):
        event.title = f"{event.title} (neu)"
        event.save_revision().publish()
        assert purged == []  # nothing before the commit

    assert sorted(purged) == sorted(expected)  # each address once
    for url in expected:
        path = urlsplit(url).path
        assert path == "/sitemap.xml" or path.startswith(f"/{language}/"), url
        assert client.get(path).status_code == 200, url


def test_unpublishing_a_lab_purges_its_directory_home_partners_and_workshops(
    demo, purged, django_capture_on_commit_callbacks
):
    lab = add_partners(LabPageFactory(), ActorPageFactory(), ActorPageFactory())
    EventPageFactory(related_labs=[lab])
    with django_capture_on_commit_callbacks(execute=True):
        lab.unpublish()
    partners = localized(ActorPage, [row.actor for row in lab.partners.all()], lab.locale)
    workshops = EventPage.objects.live().filter(locale=lab.locale).for_lab(lab)
    assert len(partners) == 2 and len(workshops) == 1
    for page in [lab, lab.get_parent(), demo["de"], *partners, *workshops]:
        assert page.full_url in purged, page
    assert all(urlsplit(url).path.startswith(("/de/", "/sitemap")) for url in purged)


def test_a_moved_workshop_purges_its_old_and_new_addresses(
    demo, purged, django_capture_on_commit_callbacks
):
    event = workshop_in_series("de")
    series = event.get_parent().specific
    index = EventIndexPage.objects.get(locale=event.locale)
    old_url = event.full_url
    with django_capture_on_commit_callbacks(execute=True):
        event.move(index, pos="last-child")
    event.refresh_from_db()
    assert event.full_url != old_url
    for url in (old_url, f"{old_url}calendar/", event.full_url, series.full_url, index.full_url):
        assert url in purged, url


def test_a_page_made_private_leaves_the_cdn_with_its_subpages(
    demo, purged, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    series, parts = series_with_parts(3)
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=series, restriction_type="password", password="geheim"
        )
    for page in [series, *parts, series.get_parent()]:
        assert page.full_url in purged, page
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()  # public again: the CDN may still hold the login form
    assert series.full_url in purged


def test_a_new_slug_purges_the_old_address(demo, purged, django_capture_on_commit_callbacks):
    actor = ActorPageFactory()
    old_url = actor.full_url
    with django_capture_on_commit_callbacks(execute=True):
        actor.slug = "neuer-name"
        actor.save_revision().publish()
    actor.refresh_from_db()
    assert actor.full_url != old_url
    assert old_url in purged
    assert actor.full_url in purged


def test_nothing_is_purged_or_installed_without_a_cdn(demo, django_capture_on_commit_callbacks):
    assert django_settings.WAGTAILFRONTENDCACHE == {}
    assert django_settings.PORTAL_CDN_SECONDS == 0
    assert "wagtail.contrib.frontend_cache" not in django_settings.INSTALLED_APPS
    assert not cdn.disconnect_cdn_purge()  # no receiver was ever connected
    lab = LabPageFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        lab.save_revision().publish()
        cdn.purge({lab.full_url})  # even if called, nothing is sent
    assert not [c for c in callbacks if getattr(c, "__func__", None) is cdn.PurgeBatch.purge]


def test_only_shareable_pages_get_a_lifetime_for_the_cdn(client, admin_client, demo, settings):
    from django.core.cache import cache

    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    settings.PORTAL_CDN_SECONDS = 300
    form_page = EventPageFactory(registration_mode=RegistrationMode.BUILT_IN)
    cache.clear()
    try:
        anonymous = client.get("/de/labore/")
        assert set(anonymous["Cache-Control"].split(", ")) == {
            "public",
            "max-age=0",
            "must-revalidate",
            "s-maxage=300",
        }
        assert "s-maxage" in client.get("/de/labore/")["Cache-Control"]  # from the page cache
        assert "s-maxage" not in admin_client.get("/de/labore/").get("Cache-Control", "")
        assert "s-maxage" not in client.get(form_page.url).get("Cache-Control", "")
    finally:
        cache.clear()


def test_the_cdn_settings_come_from_the_environment():
    output = production(
        "import json; from django.conf import settings as s; from portal.delivery import cdn;"
        "print(json.dumps([s.WAGTAILFRONTENDCACHE, s.PORTAL_CDN_TAG_PURGE, s.PORTAL_CDN_SECONDS,"
        " cdn.disconnect_cdn_purge()]))",
        PORTAL_FRONTEND_CACHE_URL="http://127.0.0.1:6081",
        PORTAL_CLOUDFLARE_ZONE_ID="zone-id",
        PORTAL_CLOUDFLARE_TOKEN="token",
        PORTAL_FASTLY_SERVICE_ID="service",
        PORTAL_FASTLY_TOKEN="fastly-token",
    )
    by_address, by_tag, seconds, connected = json.loads(output.strip().splitlines()[-1])
    assert by_address == {
        "http": {
            "BACKEND": "portal.delivery.cdn.HTTPPurgeBackend",
            "LOCATION": "http://127.0.0.1:6081",
        },
    }
    assert by_tag == {
        "cloudflare": {
            "ZONE_ID": "zone-id",
            "TOKEN": "token",
            "API_URL": "https://api.cloudflare.com/client/v4",
            "PER_MINUTE": 5,
        },
        "fastly": {
            "SERVICE_ID": "service",
            "TOKEN": "fastly-token",
            "API_URL": "https://api.fastly.com",
        },
    }
    assert (seconds, connected) == (300, True)

    output = production(
        "import json; from django.conf import settings as s;"
        "print(json.dumps([s.WAGTAILFRONTENDCACHE, s.PORTAL_CDN_TAG_PURGE]))",
        PORTAL_FRONTEND_CACHE_URL="http://127.0.0.1:6081",
        PORTAL_FRONTEND_CACHE_XKEY="true",
    )
    by_address, by_tag = json.loads(output.strip().splitlines()[-1])
    assert by_address == {}  # Varnish with xkey purges by tag
    assert by_tag == {"xkey": {"LOCATION": "http://127.0.0.1:6081"}}


def test_a_cloudflare_token_without_a_zone_stops_the_start():
    result = run_production_check(
        **PRODUCTION_ESSENTIALS,
        PORTAL_CLOUDFLARE_TOKEN="token",
    )
    assert result.returncode == 1
    assert "PORTAL_CLOUDFLARE_ZONE_ID must be set" in result.stderr


def test_an_unreachable_purge_server_does_not_hold_up_a_publish(caplog):
    """Nothing listens on port 1: the purge fails at once and is logged, not raised."""
    backend = cdn.HTTPPurgeBackend({"LOCATION": "http://127.0.0.1:1"})
    backend.purge("https://portal.example.org/de/labore/")
    assert "Could not purge https://portal.example.org/de/labore/" in caplog.text


def test_a_purge_server_that_fails_is_not_asked_again_in_the_same_batch(caplog):
    backend = cdn.HTTPPurgeBackend({"LOCATION": "http://127.0.0.1:1"})
    urls = [f"https://portal.example.org/de/seite-{number}/" for number in range(40)]
    backend.purge_batch(urls)
    assert caplog.text.count("Could not purge") == 1
    assert "Skipped purging 39 more addresses" in caplog.text


def test_the_purge_request_names_the_page_to_the_cache_server():
    """Varnish or nginx on 127.0.0.1 gets PURGE with the page's path and host."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received = []

    class CacheServer(BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append((self.command, self.path, self.headers["Host"]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), CacheServer)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        backend = cdn.HTTPPurgeBackend({"LOCATION": f"http://127.0.0.1:{server.server_port}"})
        backend.purge("https://portal.example.org/de/labore/?page=2")
        thread.join(timeout=10)
    finally:
        server.server_close()
    assert received == [("PURGE", "/de/labore/?page=2", "portal.example.org")]
