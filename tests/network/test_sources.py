"""Other labs' workshops: sources (iCalendar, another portal's API), sanitised, and the
Network page that lists them."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from network.models import NetworkItem, NetworkPage, Source, SourceKind
from network.sources import fetch
from tests.events.factories import event_index
from tests.helpers import soup_of
from tests.labs.factories import home


@pytest.fixture
def site(demo):
    Source.objects.all().delete()  # the demo's neighbour: each test brings its own
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def network_page(site):
    """The demo's German Network page."""
    return NetworkPage.objects.child_of(home()).get()


def ics_time(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(*events) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *events, "END:VCALENDAR"]
    return "\r\n".join(lines).encode()


def vevent(uid, summary, start, *extra):
    return "\r\n".join(
        [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{ics_time(timezone.now())}",
            f"DTSTART:{ics_time(start)}",
            f"DTEND:{ics_time(start + datetime.timedelta(hours=2))}",
            f"SUMMARY:{summary}",
            *extra,
            "END:VEVENT",
        ]
    )


def ics_source(site, remote_server, body, name="Lindental", headers=None):
    remote_server.documents["/feed.ics"] = (
        200,
        {"Content-Type": "text/calendar", **(headers or {})},
        body,
    )
    return Source.objects.create(
        site=site, name=name, kind=SourceKind.ICALENDAR, url=f"{remote_server.base}/feed.ics"
    )


SOON = timezone.now() + datetime.timedelta(days=3)


def test_html_in_descriptions_is_sanitised(site, remote_server):
    hostile = vevent(
        "evil@x",
        "Werkstatt <script>alert(1)</script>",
        SOON,
        'DESCRIPTION:<p onclick="x()">Hallo <script>alert(1)</script><img src=x onerror=alert(1)>'
        '<a href="javascript:alert(1)">a</a> <a href="https://ok.example/">b</a></p>',
    )
    source = ics_source(site, remote_server, calendar(hostile))
    assert fetch(source) == "1 workshops"
    item = NetworkItem.objects.get()
    assert "<script" not in item.title and "alert(1)" not in item.summary
    assert "onerror" not in item.summary and "onclick" not in item.summary
    assert "<img" not in item.summary and "javascript:" not in item.summary
    assert '<a href="https://ok.example/" rel="nofollow noopener noreferrer">b</a>' in item.summary


def test_recurrence_is_expanded_only_within_the_window(site, remote_server, settings):
    settings.PORTAL_NETWORK_WINDOW_DAYS = 30
    weekly = vevent("weekly@x", "Jeden Montag", SOON, "RRULE:FREQ=WEEKLY")
    fetch(ics_source(site, remote_server, calendar(weekly)))
    items = NetworkItem.objects.filter(uid="weekly@x")
    assert 4 <= items.count() <= 5
    assert len({item.recurrence_id for item in items}) == items.count()


def test_duplicate_uids_are_one_item(site, remote_server):
    twice = calendar(vevent("same@x", "Erste", SOON), vevent("same@x", "Zweite", SOON))
    fetch(ics_source(site, remote_server, twice))
    assert NetworkItem.objects.count() == 1


def test_a_broken_feed_keeps_the_last_good_copy(site, remote_server):
    source = ics_source(site, remote_server, calendar(vevent("a@x", "Bleibt", SOON)))
    fetch(source)
    remote_server.documents["/feed.ics"] = (200, {}, b"BEGIN:VCALENDAR\r\nBROKEN")
    assert fetch(source).startswith("failed")
    source.refresh_from_db()
    assert source.last_error
    assert NetworkItem.objects.listed().get().title == "Bleibt"


def test_a_feed_that_never_ends_is_cut_off_and_the_last_copy_kept(site, remote_server, settings):
    source = ics_source(site, remote_server, calendar(vevent("a@x", "Bleibt", SOON)))
    fetch(source)
    settings.PORTAL_NETWORK_FEED_MAX_BYTES = 50_000

    def endless(handler):
        handler.send_response(200)
        handler.end_headers()
        try:
            handler.wfile.write(b"BEGIN:VCALENDAR\r\n")
            while True:
                handler.wfile.write(vevent("x@x", "x", SOON).encode() * 50)
        except (BrokenPipeError, ConnectionResetError):
            pass

    remote_server.documents["/feed.ics"] = endless
    assert "over the limit" in fetch(source)
    assert NetworkItem.objects.listed().get().title == "Bleibt"


def test_items_gone_from_the_source_are_marked_removed(site, remote_server):
    source = ics_source(
        site, remote_server, calendar(vevent("a@x", "A", SOON), vevent("b@x", "B", SOON))
    )
    fetch(source)
    remote_server.documents["/feed.ics"] = (200, {}, calendar(vevent("a@x", "A", SOON)))
    fetch(source)
    assert list(NetworkItem.objects.listed().values_list("uid", flat=True)) == ["a@x"]
    assert NetworkItem.objects.get(uid="b@x").removed_at is not None


def test_an_unchanged_feed_is_not_read_again(site, remote_server):
    source = ics_source(
        site, remote_server, calendar(vevent("a@x", "A", SOON)), headers={"ETag": '"v1"'}
    )
    fetch(source)
    source.refresh_from_db()
    assert source.etag == '"v1"'

    def not_modified(handler):
        assert handler.headers["If-None-Match"] == '"v1"'
        handler.send_response(304)
        handler.end_headers()

    remote_server.documents["/feed.ics"] = not_modified
    assert fetch(source) == "not modified"


def test_another_portals_api_is_a_source(site, remote_server):
    remote_server.documents["/api/v1/workshops"] = (
        200,
        {"Content-Type": "application/json"},
        json.dumps(
            {
                "count": 1,
                "next": None,
                "previous": None,
                "licence": {},
                "results": [
                    {
                        "translation_key": "5b1f0c8e-1111-4e5e-9f00-000000000001",
                        "title": "Dorfwerkstatt",
                        "teaser": "<b>Ideen</b>",
                        "url": "https://lindental.example/de/dorfwerkstatt/",
                        "start": SOON.isoformat(),
                        "end": (SOON + datetime.timedelta(hours=2)).isoformat(),
                        "status": "cancelled",
                        "place": {"name": "Dorfhaus", "locality": "Lindental"},
                    }
                ],
            }
        ).encode(),
    )
    call_command(
        "network_source",
        "add",
        f"{remote_server.base}/api/v1/workshops",
        "--site",
        site.hostname,
        "--name",
        "Lindental",
        stdout=None,
    )
    item = NetworkItem.objects.get()
    assert item.title == "Dorfwerkstatt"
    assert item.is_cancelled
    assert item.location == "Dorfhaus, Lindental"


def test_the_network_page_lists_upcoming_workshops_by_source_and_month(
    client, site, network_page, remote_server
):
    later = SOON + datetime.timedelta(days=40)
    ics_source(
        site,
        remote_server,
        calendar(
            vevent("a@x", "Erste Werkstatt", SOON, "URL:https://lindental.example/a"),
            vevent("b@x", "Spätere Werkstatt", later, "STATUS:CANCELLED"),
        ),
    )
    call_command("network_fetch", stdout=None)
    soup = soup_of(client.get(network_page.url))
    titles = [heading.get_text(strip=True) for heading in soup.select(".network-item h2")]
    assert titles == ["Erste Werkstatt", "Spätere Werkstatt"]
    link = soup.select_one(".network-item h2 a")
    assert link["href"] == "https://lindental.example/a"
    assert "Lindental" in soup.select_one(".network-item__source").get_text()
    assert soup.select(".network-item")[1].find(string="Abgesagt")
    month = f"{timezone.localtime(later):%Y-%m}"
    filtered = soup_of(client.get(network_page.url, {"month": month}))
    assert [h.get_text(strip=True) for h in filtered.select(".network-item h2")] == [
        "Spätere Werkstatt"
    ]
    other = Source.objects.create(
        site=site, name="Leer", kind=SourceKind.ICALENDAR, url="https://leer.example/x.ics"
    )
    by_source = soup_of(client.get(network_page.url, {"source": other.pk}))
    assert by_source.select(".network-item") == []
    hostile = client.get(network_page.url, {"source": "x'", "month": "2026-13", "page": "-1"})
    assert hostile.status_code == 200


def test_other_portals_workshops_are_never_in_the_own_directory_feed_or_api(
    client, site, remote_server
):
    ics_source(site, remote_server, calendar(vevent("a@x", "Fremde Werkstatt", SOON)))
    call_command("network_fetch", stdout=None)
    directory = event_index()
    for url in [
        directory.url,
        f"{directory.url}feed/",
        f"{directory.url}calendar/",
        "/api/v1/workshops",
    ]:
        assert "Fremde Werkstatt" not in client.get(url).content.decode(), url


@pytest.mark.parametrize("cache", ["local memory", "redis"])
def test_a_fetch_refreshes_the_cached_network_page(
    client, site, network_page, remote_server, settings, cache, request
):
    if cache == "redis":
        request.applymarker(pytest.mark.redis)
        request.getfixturevalue("redis_cache")
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    source = ics_source(site, remote_server, calendar(vevent("a@x", "Erste Werkstatt", SOON)))
    call_command("network_fetch", stdout=None)
    client.get(network_page.url)
    cached = client.get(network_page.url)
    assert cached["X-Cache"] == "HIT" and "Erste Werkstatt" in cached.content.decode()
    remote_server.documents["/feed.ics"] = (
        200,
        {"Content-Type": "text/calendar"},
        calendar(vevent("b@x", "Neue Werkstatt", SOON)),
    )
    Source.objects.filter(pk=source.pk).update(etag="", last_modified="", last_attempt_at=None)
    call_command("network_fetch", stdout=None)
    fresh = client.get(network_page.url).content.decode()
    assert "Neue Werkstatt" in fresh and "Erste Werkstatt" not in fresh
