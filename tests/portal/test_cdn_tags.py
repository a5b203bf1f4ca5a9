"""Purging by tag (portal/delivery/cdn.py, portal/delivery/dependencies.py): pages name what
they show in Surrogate-Key and Cache-Tag within the CDNs' size limits; a change purges those
tags from Cloudflare, Fastly or Varnish/xkey in batches, within the rate limit, backing off
on 429 and errors, coalescing when too many wait. The CDN is a stand-in server on 127.0.0.1."""

import datetime
import http.server
import io
import json
import threading

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.delivery import cdn
from portal.delivery.dependencies import (
    CDN_HEADER_BYTES,
    card_tag,
    cdn_header,
    overflow_tag,
    site_tag,
)
from tests.events.factories import EventPageFactory
from tests.portal.factories import published


class StandInCDN(http.server.ThreadingHTTPServer):
    """Records every purge request; answers with the queued statuses (then 200)."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), StandInHandler)
        self.requests = []
        self.answers = []  # (status, headers) to give next, in order

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class StandInHandler(http.server.BaseHTTPRequestHandler):
    def handle_purge(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
        )
        status, headers = self.server.answers.pop(0) if self.server.answers else (200, {})
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"success": true}')

    do_POST = do_PURGE = handle_purge

    def log_message(self, *args):
        pass


@pytest.fixture
def stand_in():
    server = StandInCDN()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def cloudflare(settings, stand_in):
    settings.PORTAL_CDN_TAG_PURGE = {
        "cloudflare": {
            "ZONE_ID": "zone",
            "TOKEN": "secret-token",
            "API_URL": f"{stand_in.url}/client/v4",
            "PER_MINUTE": 5,
        }
    }
    settings.PORTAL_CDN_SECONDS = 300
    settings.PORTAL_CDN_TAG_PREFIX = "kosi-"
    return stand_in


def purged_tags(server) -> list[list[str]]:
    return [json.loads(request["body"])["tags"] for request in server.requests]


def test_pages_name_what_they_show_for_the_cdn(client, demo, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    settings.PORTAL_CDN_SECONDS = 300
    workshop = published(EventPageFactory(title="Werkstatt mit Etiketten"))
    response = client.get(workshop.url)
    keys = response["Surrogate-Key"].split(" ")
    tags = response["Cache-Tag"].split(",")
    assert keys == tags
    site = demo["site"].pk
    assert keys[0] == f"kosi-{site_tag(site)}"  # every page of the site, first
    assert f"kosi-p{workshop.pk}" in keys and f"kosi-{card_tag(workshop.pk)}" in keys
    again = client.get(workshop.url)
    assert again["X-Cache"] == "HIT" and again["Surrogate-Key"] == response["Surrogate-Key"]
    directory = client.get(workshop.get_parent().url)["Surrogate-Key"].split(" ")
    assert f"kosi-{card_tag(workshop.pk)}" in directory  # it shows the workshop's card


def test_no_tag_headers_without_a_cdn(client, demo, settings):
    settings.PORTAL_CDN_SECONDS = 0
    response = client.get("/de/")
    assert "Surrogate-Key" not in response and "Cache-Tag" not in response


def test_the_headers_keep_within_the_cdns_limits_with_500_tags():
    # 500 tags of 39 bytes: about 20 KB, more than either CDN takes
    tags = {f"seats-{number:032x}" for number in range(498)} | {"p7", "c7"}
    for separator in (" ", ","):
        header = cdn_header(tags, 3, separator)
        names = header.split(separator)
        assert len(header.encode()) <= CDN_HEADER_BYTES  # Fastly 16,384; Cloudflare 16 KB
        assert all(len(name.encode()) <= 1024 for name in names)
        assert names[:3] == ["kosi-o3", "kosi-s3", "kosi-p7"]  # for what was left out: o3
        assert len(names) < len(tags)
    few = cdn_header({"p7", "c7"}, 3, " ").split(" ")
    assert few == ["kosi-s3", "kosi-p7", "kosi-c7"]  # no overflow tag when all fit


def test_publishing_a_workshop_purges_its_tags_from_cloudflare(
    demo, cloudflare, django_capture_on_commit_callbacks
):
    workshop = published(EventPageFactory())
    cloudflare.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workshop.title = "Werkstatt, neu betitelt"
        workshop.save_revision().publish()
    (request,) = cloudflare.requests
    assert request["method"] == "POST"
    assert request["path"] == "/client/v4/zones/zone/purge_cache"
    assert request["headers"]["Authorization"] == "Bearer secret-token"
    (tags,) = purged_tags(cloudflare)
    site = demo["site"].pk
    assert {f"kosi-p{workshop.pk}", f"kosi-c{workshop.pk}", f"kosi-{overflow_tag(site)}"} <= set(
        tags
    )
    assert f"kosi-p{workshop.get_parent().pk}" in tags  # the directory listing it
    assert f"kosi-p{demo['de'].pk}" in tags  # the home page
    assert not cdn.PendingPurge.objects.exists()


def test_a_site_setting_purges_the_whole_site(demo, cloudflare, django_capture_on_commit_callbacks):
    from portal.models import PortalSettings

    with django_capture_on_commit_callbacks(execute=True):
        settings_row = PortalSettings.objects.get(site=demo["site"])
        settings_row.contact_email = "neu@example.org"
        settings_row.save()
    assert [f"kosi-s{demo['site'].pk}"] in [sorted(tags)[-1:] for tags in purged_tags(cloudflare)]


def queue(count, site=None):
    cdn.PendingPurge.objects.bulk_create(
        cdn.PendingPurge(purger="cloudflare", tag=f"kosi-c{number}", site=site)
        for number in range(count)
    )


def test_tags_go_in_batches_within_the_rate(db, cloudflare):
    queue(250)
    assert cdn.send_pending_purges() == 250
    assert [len(tags) for tags in purged_tags(cloudflare)] == [100, 100, 50]  # 100 per request


def test_a_spent_minute_leaves_the_rest_for_the_scheduler(db, cloudflare, settings):
    settings.PORTAL_CDN_TAG_PURGE["cloudflare"]["PER_MINUTE"] = 2
    queue(150)
    assert cdn.send_pending_purges() == 150  # two requests: this minute's budget
    cdn.PendingPurge.objects.create(purger="cloudflare", tag="kosi-p1")
    assert cdn.send_pending_purges() == 0
    output = io.StringIO()
    call_command("purge_cdn", stdout=output)  # the scheduler, still in the same minute
    assert "Purged 0 tag(s); 1 waiting." in output.getvalue()
    assert len(cloudflare.requests) == 2


def test_too_many_waiting_tags_are_coalesced_into_their_sites(demo, cloudflare, settings):
    settings.PORTAL_CDN_TAG_PURGE["cloudflare"]["PER_MINUTE"] = 1
    queue(150, site=demo["site"])
    assert cdn.send_pending_purges() == 1
    assert purged_tags(cloudflare) == [[f"kosi-s{demo['site'].pk}"]]
    assert not cdn.PendingPurge.objects.exists()


def test_a_429_waits_as_long_as_retry_after_says(db, cloudflare):
    queue(3)
    cloudflare.answers = [(429, {"Retry-After": "40"})]
    now = timezone.now()
    assert cdn.send_pending_purges(now) == 0
    assert set(cdn.PendingPurge.objects.values_list("attempts", flat=True)) == {1}
    assert cdn.send_pending_purges(now + datetime.timedelta(seconds=30)) == 0
    assert len(cloudflare.requests) == 1  # not asked again before then
    assert cdn.send_pending_purges(now + datetime.timedelta(seconds=41)) == 3


def test_errors_back_off_longer_each_time(db, cloudflare, caplog):
    queue(3)
    cloudflare.answers = [(500, {}), (502, {})]
    now = timezone.now()
    assert cdn.send_pending_purges(now) == 0
    waits = cdn.PendingPurge.objects.values_list("not_before", flat=True)
    assert {round((wait - now).total_seconds()) for wait in waits} == {30}
    later = now + datetime.timedelta(seconds=31)
    assert cdn.send_pending_purges(later) == 0
    waits = cdn.PendingPurge.objects.values_list("not_before", flat=True)
    assert {round((wait - later).total_seconds()) for wait in waits} == {60}
    assert "Purge by tag deferred" in caplog.text


def test_an_unreachable_cdn_keeps_the_tags(db, settings):
    settings.PORTAL_CDN_TAG_PURGE = {
        "cloudflare": {
            "ZONE_ID": "z",
            "TOKEN": "t",
            "API_URL": "http://127.0.0.1:1",
            "PER_MINUTE": 5,
        }
    }
    queue(2)
    assert cdn.send_pending_purges() == 0
    assert cdn.PendingPurge.objects.count() == 2


def test_fastly_and_varnish_xkey_requests(db, settings, stand_in):
    settings.PORTAL_CDN_TAG_PURGE = {
        "fastly": {"SERVICE_ID": "svc", "TOKEN": "ft", "API_URL": stand_in.url},
        "xkey": {"LOCATION": f"{stand_in.url}/"},
    }
    for purger in ("fastly", "xkey"):
        cdn.PendingPurge.objects.create(purger=purger, tag="kosi-p1")
        cdn.PendingPurge.objects.create(purger=purger, tag="kosi-c1")
    assert cdn.send_pending_purges() == 4
    fastly, xkey = stand_in.requests
    assert (fastly["method"], fastly["path"]) == ("POST", "/service/svc/purge")
    assert fastly["headers"]["Fastly-Key"] == "ft"
    assert sorted(fastly["headers"]["Surrogate-Key"].split()) == ["kosi-c1", "kosi-p1"]
    assert xkey["method"] == "PURGE"
    headers = {name.lower(): value for name, value in xkey["headers"].items()}
    assert sorted(headers["xkey-purge"].split()) == ["kosi-c1", "kosi-p1"]


def test_nothing_is_queued_without_a_cdn_that_purges_by_tag(
    demo, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_CDN_TAG_PURGE = {}
    with django_capture_on_commit_callbacks(execute=True):
        published(EventPageFactory())
    assert not cdn.PendingPurge.objects.exists()
