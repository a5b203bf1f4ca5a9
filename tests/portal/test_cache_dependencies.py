"""Invalidation by dependency (Redis): each kind of change makes exactly the cached pages
that show it stale, every other page stays a hit, and nothing stale is ever served.

The oracle for "stale": after each change every address of a fixed set is fetched through
the cache and fetched fresh (a cookie bypasses the cache); the two bodies must be equal.
"""

import difflib

import pytest
from wagtail.models import Locale, Page

from events.models import EventPage, RegistrationMode, RegistrationStatus, Venue
from labs.models import Topic
from portal.models import PortalSettings, SiteTexts
from tests.events.factories import EventPageFactory, RegistrationFactory
from tests.portal.factories import published

pytestmark = pytest.mark.redis

GERMAN_PAGES = {
    "home": "/de/",
    "workshops": "/de/werkstaetten/",
    "series": "/de/werkstaetten/werkstattreihe-labore-sozialer-innovation/",
    "konzept": "/de/werkstaetten/werkstattreihe-labore-sozialer-innovation/konzeptentwicklung/",
    "sprechstunde": "/de/werkstaetten/digitale-sprechstunde/",
    "labs": "/de/labore/",
    "lab-nordstadt": "/de/labore/aelter-werden-in-der-nordstadt/",
    "lab-quartier": "/de/labore/gemeinsam-im-quartier/",
    "lab-lernorte": "/de/labore/lernorte-im-quartier/",
    "actors": "/de/akteure/",
    "speaker": "/de/akteure/miriam-sommer/",
    "actor-jugend": "/de/akteure/jugendforum-oelberg/",
    "actor-handwerk": "/de/akteure/handwerk-im-tal/",
    "about": "/de/ueber-das-projekt/",
    "imprint": "/de/impressum/",
}
TRANSLATED = ("home", "workshops", "konzept")  # their English pages: "<name>-en"
OTHER_ADDRESSES = {
    "feed": "/de/werkstaetten/feed/",
    "calendar": "/de/werkstaetten/calendar/",
    "search": "/de/suche/?q=Werkstatt",
    "sitemap": "/sitemap.xml",
    "api-workshops": "/api/v1/workshops/?language=de",
    "api-labs": "/api/v1/labs/?language=de",
}


def page(name):
    return Page.objects.get(url_path="/home" + GERMAN_PAGES[name].removeprefix("/de")).specific


@pytest.fixture
def addresses(demo):
    english = Locale.objects.get(language_code="en")
    found = {**GERMAN_PAGES, **OTHER_ADDRESSES}
    for name in TRANSLATED:
        found[f"{name}-en"] = page(name).get_translation(english).url
    return found


@pytest.fixture
def page_cache_on_redis(redis_cache, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    settings.PORTAL_API_REQUESTS_PER_MINUTE = 10**6


@pytest.fixture
def warm(client, addresses, page_cache_on_redis, django_capture_on_commit_callbacks):
    """Every address fetched twice (the second from the cache); returns a function that
    applies a change (as committed) and reports {name: "hit" | "miss"} afterwards, after
    checking that no address serves anything stale."""

    def states_after(change):
        uncached = set()
        for name, address in addresses.items():
            client.get(address)
            state = client.get(address).get("X-Cache")
            if state is None:  # a page with a form (a token per visitor) is never cached
                uncached.add(name)
            else:
                assert state == "HIT", name
        with django_capture_on_commit_callbacks(execute=True):
            change()
        states = {}
        for name, address in addresses.items():
            cached = client.get(address)
            client.cookies["bypass"] = "1"  # not a cookie the cache allows: rendered anew
            fresh = client.get(address)
            del client.cookies["bypass"]
            assert cached.status_code == fresh.status_code, name
            if name not in uncached:  # (a form's token differs every time)
                difference = changed_lines(text(cached), text(fresh))
                assert not difference, f"{name} is stale: {difference}"
            states[name] = "uncached" if name in uncached else cached.get("X-Cache", "").lower()
        return states

    return states_after


def changed_lines(cached: str, fresh: str) -> list[str]:
    lines = [
        [line for line in each.splitlines() if not line.startswith("DTSTAMP:")]  # now
        for each in (cached, fresh)
    ]
    return [
        line
        for line in difflib.unified_diff(*lines, lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]


def text(response) -> str:
    content = b"".join(response) if response.streaming else response.content
    return content.decode()


def missed(states) -> set[str]:
    """Rendered anew after the change (a deleted page's 404 too), not cached forms."""
    return {name for name, state in states.items() if state not in ("hit", "uncached")}


def publish(page, **changes):
    page = page.specific
    for field, value in changes.items():
        setattr(page, field, value)
    page.save_revision().publish()


ALWAYS_FOR_A_PAGE_OF_THE_SITE = {"search", "sitemap"}  # any page may match or be listed


def test_publishing_a_workshop_refreshes_what_shows_it_and_nothing_else(warm):
    workshop = page("konzept")
    states = warm(lambda: publish(workshop, title="2. Werkstatt: Konzept neu gedacht"))
    assert states["konzept"] == "uncached"  # it has a registration form
    assert missed(states) == {
        "series",
        "workshops",
        "workshops-en",  # the directory is a translation of one the workshop lists in
        "feed",
        "calendar",
        "home",
        "home-en",
        "lab-nordstadt",  # the workshop's labs
        "lab-quartier",
        "speaker",  # and speakers
        "api-workshops",
        *ALWAYS_FOR_A_PAGE_OF_THE_SITE,
    }


def test_a_new_workshop_and_its_withdrawal_refresh_the_listings(warm):
    index = page("workshops")
    created = []

    def add():
        created.append(published(EventPageFactory(parent=index, title="Offene Werkstatt")))

    states = warm(add)
    assert {"workshops", "feed", "calendar", "home", "api-workshops"} <= missed(states)
    assert {"lab-lernorte", "actors", "imprint", "about", "labs"}.isdisjoint(missed(states))

    states = warm(lambda: created[0].unpublish())
    assert {"workshops", "feed", "home", "api-workshops"} <= missed(states)
    assert {"lab-lernorte", "actors", "imprint", "about", "labs"}.isdisjoint(missed(states))


def test_a_lab_that_no_longer_names_a_workshop_stops_listing_it(warm):
    workshop = page("konzept")
    nordstadt = page("lab-nordstadt")

    def drop_lab():
        workshop.related_labs = [lab for lab in workshop.related_labs.all() if lab != nordstadt]
        workshop.save_revision().publish()

    states = warm(drop_lab)
    assert "lab-nordstadt" in missed(states)
    assert "lab-lernorte" not in missed(states)


def test_publishing_a_lab_or_an_actor(warm):
    states = warm(lambda: publish(page("lab-lernorte"), teaser="Neu: Lernorte"))
    assert {"lab-lernorte", "labs", "home", "api-labs"} <= missed(states)
    assert {"konzept", "sprechstunde", "series", "imprint", "actor-handwerk"}.isdisjoint(
        missed(states)
    )

    # a speaker: also the cards of her lab and workshop (a lab card counts partners by sector)
    states = warm(lambda: publish(page("speaker"), teaser="Forscht zu Beteiligung"))
    assert {"speaker", "actors", "lab-quartier", "labs", "series"} <= missed(states)
    assert {"sprechstunde", "lab-lernorte", "imprint", "about"}.isdisjoint(missed(states))


def test_deleting_a_page_and_moving_one(warm):
    states = warm(lambda: page("actor-handwerk").delete())
    assert {"actor-handwerk", "actors"} <= missed(states)
    assert {"konzept", "sprechstunde", "imprint"}.isdisjoint(missed(states))

    # a move changes addresses that any page may link: everything of the installation
    sprechstunde = page("sprechstunde")
    series = page("series")
    states = warm(lambda: sprechstunde.move(series, pos="last-child"))
    assert missed(states) == {name for name, state in states.items() if state != "uncached"}


def test_a_translation_going_live_refreshes_its_language(warm):
    english = page("konzept").get_translation(Locale.objects.get(language_code="en"))
    states = warm(lambda: publish(english, title="Part 2: Concept, revised"))
    assert states["konzept-en"] == "uncached"
    assert {"workshops-en", "home-en"} <= missed(states)
    assert {"imprint", "sprechstunde", "lab-lernorte", "actors"}.isdisjoint(missed(states))


def test_snippets_refresh_the_pages_using_them(warm):
    venue = Venue.objects.filter(locale__language_code="de").first()

    def rename_venue():
        venue.name = "Neues Quartierszentrum"
        venue.save()

    states = warm(rename_venue)
    assert EventPage.objects.live().filter(venue__translation_key=venue.translation_key)
    assert {"workshops", "feed", "calendar", "series"} <= missed(states)
    assert {"imprint", "about", "actors", "lab-lernorte"}.isdisjoint(missed(states))

    topic = Topic.objects.filter(locale__language_code="de").first()

    def rename_topic():
        topic.name = "Teilhabe im Alter"
        topic.save()

    states = warm(rename_topic)
    assert "labs" in missed(states)  # its filter names every topic
    assert {"imprint", "sprechstunde", "actors", "feed"}.isdisjoint(missed(states))


def test_a_replaced_image_refreshes_the_pages_showing_it(warm):
    lab = page("lab-nordstadt")
    image = lab.hero_image
    assert image is not None

    def replace():
        image.title = "Nachbarschaftsfest"
        image.save()

    states = warm(replace)
    assert {"lab-nordstadt", "labs"} <= missed(states)  # the page and its card
    assert {"imprint", "sprechstunde", "actor-handwerk"}.isdisjoint(missed(states))


def test_settings_and_texts_refresh_their_site(warm, addresses):
    def change_settings():
        settings = PortalSettings.objects.first()
        settings.contact_email = "labor@example.org"
        settings.save()

    states = warm(change_settings)
    assert missed(states) >= {name for name, state in states.items() if state != "uncached"} - {
        "api-workshops",
        "api-labs",
    }

    def change_texts():
        texts = SiteTexts.objects.get(locale__language_code="de")
        texts.site_name = "Laborportal"
        texts.save()

    assert {"home", "imprint", "lab-lernorte"} <= missed(warm(change_texts))


def test_seats_refresh_only_the_pages_showing_them(warm):
    workshop = page("sprechstunde")
    publish(workshop, registration_mode=RegistrationMode.BUILT_IN, capacity=20)

    def confirm():
        RegistrationFactory(event=workshop, status=RegistrationStatus.CONFIRMED)

    states = warm(confirm)
    # the page itself holds the registration form (never cached); what shows its seats
    assert {"api-workshops"} <= missed(states)
    assert {"home", "workshops", "konzept", "labs", "imprint", "feed"}.isdisjoint(missed(states))


def test_a_change_while_redis_is_down_is_never_served_stale_after(
    client,
    demo,
    page_cache_on_redis,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
    caplog,
):
    from portal.delivery import cache as page_cache

    monkeypatch.setattr(page_cache, "MISSED_READ_SECONDS", 0)  # in production: 5 s
    lab = page("lab-lernorte")
    client.get(lab.url)
    assert client.get(lab.url)["X-Cache"] == "HIT"

    reachable = settings.CACHES
    settings.CACHES = {
        "default": {
            **reachable["default"],
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there: Redis is down
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    during = client.get(lab.url)
    assert during.status_code == 200 and "X-Cache" not in during  # served, uncached
    with django_capture_on_commit_callbacks(execute=True):
        publish(lab, title="Lernorte für alle Generationen")
    assert "Could not delete cached pages" in caplog.text

    settings.CACHES = reachable  # back, with the entries it held before the outage
    after = client.get(lab.url)
    assert after["X-Cache"] == "MISS"
    assert "Lernorte für alle Generationen" in after.content.decode()
    assert client.get(lab.url)["X-Cache"] == "HIT"
    assert "Lernorte für alle Generationen" in client.get("/de/labore/").content.decode()


def test_a_tag_shown_everywhere_keeps_only_live_entries(redis_cache, monkeypatch):
    """A tag that is seldom invalidated (a page linked from every page) must not collect
    the keys of entries that expired long ago."""
    from portal.delivery import dependencies

    store = dependencies.tag_store()
    clock = iter([1000.0, 2000.0])
    monkeypatch.setattr(dependencies.time, "time", lambda: next(clock))
    counter = store.counter()
    assert store.store("old-page", "old", 60, {"c7"}, counter)  # until 1060
    assert store.store("new-page", "new", 60, {"c7"}, counter)  # at 2000: the old one left
    members = store.connection().zrange(store.set_key("c7"), 0, -1)
    assert [member.decode() for member in members] == ["new-page"]
    assert store.invalidate({"c7"}) == 1
    assert redis_cache.get("new-page") is None
