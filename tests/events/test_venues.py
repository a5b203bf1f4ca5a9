"""Where a workshop takes place, as visitors, calendar programs, search engines and editors
see it: the venue in the reader's language, its postal address and coordinates, and the
structured data search engines' event guidelines ask for."""

import datetime

import icalendar
import ics
import pytest
import vobject
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Site

from events.models import EventPage, EventSeriesPage, Venue
from tests.events.factories import EventPageFactory, RegistrationFactory, VenueFactory
from tests.helpers import json_ld, soup_of
from tests.portal.factories import ImageFactory, published, translated

pytestmark = pytest.mark.django_db

KONZEPT_DE = "/de/werkstaetten/werkstattreihe-labore-sozialer-innovation/konzeptentwicklung/"
KONZEPT_EN = "/en/workshops/workshop-series-labs-of-social-innovation/concept-development/"
SERIES_DE = "/de/werkstaetten/werkstattreihe-labore-sozialer-innovation/"

# What search engines' event guidelines list (Google Search Central, "Event structured
# data"; schema.org Event and EventSeries): required, then recommended where the data exists.
EVENT_REQUIRED = {"@type", "name", "startDate", "location"}
EVENT_RECOMMENDED = {
    "description",
    "endDate",
    "eventAttendanceMode",
    "eventStatus",
    "image",
    "offers",
    "organizer",
    "performer",
}
PLACE_REQUIRED = {"@type", "name", "address"}
ADDRESS_RECOMMENDED = {
    "streetAddress",
    "postalCode",
    "addressLocality",
    "addressRegion",
    "addressCountry",
}
OFFER_RECOMMENDED = {"availability", "price", "priceCurrency", "url", "validFrom"}
ORGANIZER_RECOMMENDED = {"@type", "name", "url"}
PERFORMER_REQUIRED = {"@type", "name"}
SERIES_RECOMMENDED = {"@type", "name", "description", "url", "startDate", "endDate", "subEvent"}


def event_data(client, url):
    response = client.get(url)
    assert response.status_code == 200
    (data,) = [item for item in json_ld(soup_of(response)) if item["@type"] == "Event"]
    return data


def calendar_event(client, url) -> icalendar.Event:
    (entry,) = icalendar.Calendar.from_ical(client.get(f"{url}calendar/").content).walk("VEVENT")
    return entry


def english_locale():
    return Locale.objects.get(language_code="en")


def konzept():
    return EventPage.objects.get(slug="konzeptentwicklung")


def test_the_page_shows_the_venue_in_the_visitors_language_with_room_address_and_map(client, demo):
    german = soup_of(client.get(KONZEPT_DE)).select_one(".event__facts address")
    assert german.get_text("|") == (
        "Quartierswerkstatt Nordstadt|Werkstattraum, Erdgeschoss|Musterstraße 12|44147 Dortmund"
    )
    english = soup_of(client.get(KONZEPT_EN))
    assert english.select_one(".event__facts address").get_text("|") == (
        "Nordstadt neighbourhood workshop|Workshop room, ground floor|Musterstraße 12|"
        "44147 Dortmund"
    )
    (map_link,) = english.select('.event__facts a[href^="https://www.openstreetmap.org/"]')
    assert "mlat=51.523600" in map_link["href"] and "mlon=7.459800" in map_link["href"]
    # nothing is loaded from the map's host: it is only a link
    assert "openstreetmap" not in " ".join(tag.get("src", "") for tag in english.select("[src]"))
    cards = soup_of(client.get("/en/workshops/")).select(".event-card .card__meta")
    assert any("Nordstadt neighbourhood workshop" in card.get_text() for card in cards)


def test_a_venue_abroad_shows_its_country_and_one_without_coordinates_no_map(client, demo):
    venue = VenueFactory(
        name="Grenzhaus", street_address="Hauptplatz 1", postal_code="6900", locality="Bregenz"
    )
    venue.country = "AT"
    venue.save()
    event = published(EventPageFactory(title="Werkstatt am See", venue=venue, room="Saal 2"))
    page = soup_of(client.get(event.url))
    assert page.select_one(".event__facts address").get_text("|") == (
        "Grenzhaus|Saal 2|Hauptplatz 1|6900 Bregenz|Österreich"
    )
    assert not page.select('a[href^="https://www.openstreetmap.org/"]')
    entry = calendar_event(client, event.url)
    assert "GEO" not in entry
    assert str(entry["LOCATION"]) == "Grenzhaus, Saal 2, Hauptplatz 1, 6900 Bregenz, Österreich"


def test_calendars_carry_location_coordinates_organiser_and_categories_alike_in_three_parsers(
    client, demo
):
    url = f"{KONZEPT_EN}calendar/"
    content = client.get(url).content
    text = content.decode()
    (by_icalendar,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    by_vobject = vobject.readOne(text).vevent
    (by_ics,) = ics.Calendar(text).events

    location = (
        "Nordstadt neighbourhood workshop, Workshop room, ground floor, Musterstraße 12, "
        "44147 Dortmund"
    )
    assert str(by_icalendar["LOCATION"]) == by_vobject.location.value == by_ics.location
    assert by_ics.location == location
    assert tuple(by_icalendar.decoded("GEO")) == (51.5236, 7.4598)
    assert by_vobject.geo.value == "51.5236;7.4598"
    assert tuple(by_ics.geo) == (51.5236, 7.4598)

    organiser = by_icalendar["ORGANIZER"]
    assert str(organiser) == "mailto:kosi-lab@example.org"
    assert organiser.params["CN"] == "Stadt Dortmund – Fachbereich Soziales"
    assert by_vobject.organizer.value == "mailto:kosi-lab@example.org"
    assert by_vobject.organizer.params["CN"] == ["Stadt Dortmund – Fachbereich Soziales"]
    assert by_ics.organizer.email == "kosi-lab@example.org"

    categories = list(by_icalendar["CATEGORIES"].cats)
    assert categories == ["Hybrid", "Workshop series: Labs of social innovation"]
    assert set(by_ics.categories) == set(categories)


def test_without_a_public_contact_address_calendars_name_no_organiser(client, demo):
    from portal.models import PortalSettings

    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = ""
    settings.save()
    assert "ORGANIZER" not in calendar_event(client, KONZEPT_DE)


def test_a_workshop_without_organiser_is_organised_by_the_municipality(client, demo):
    event = published(EventPageFactory(title="Offene Sprechstunde", venue=VenueFactory()))
    organiser = calendar_event(client, event.url)["ORGANIZER"]
    assert organiser.params["CN"] == "Dortmund und Wuppertal"
    data = event_data(client, event.url)
    assert data["organizer"]["name"] == "Dortmund und Wuppertal"
    assert data["organizer"]["url"].endswith("/")


def test_changing_a_venue_is_a_change_calendars_apply(client, demo):
    event = konzept()
    before = int(calendar_event(client, KONZEPT_DE)["SEQUENCE"])
    venue = Venue.objects.get(pk=event.venue_id)
    venue.street_address = "Musterstraße 14"
    venue.save()
    after = calendar_event(client, KONZEPT_DE)
    assert int(after["SEQUENCE"]) == before + 1
    assert "Musterstraße 14" in str(after["LOCATION"])
    # the English name too, and the English calendar shows it at once
    english_venue = venue.get_translation(english_locale())
    english_venue.name = "Nordstadt workshop"
    english_venue.save()
    assert str(calendar_event(client, KONZEPT_EN)["LOCATION"]).startswith("Nordstadt workshop,")
    assert int(calendar_event(client, KONZEPT_EN)["SEQUENCE"]) == before + 2
    # and search finds the workshop by its venue's town
    results = soup_of(client.get("/de/suche/", {"q": "Musterstraße"}))
    assert "2. Werkstatt: Konzeptentwicklung" in results.get_text()


def test_a_moved_workshop_shows_and_tells_its_previous_date(client, demo):
    event = konzept()
    first_start = event.start
    event.start += datetime.timedelta(days=7)
    event.end += datetime.timedelta(days=7)
    event.save_revision().publish()
    data = event_data(client, KONZEPT_DE)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == [timezone.localtime(first_start).isoformat()]
    moved = soup_of(client.get(KONZEPT_DE)).select_one(".event__moved")
    assert "Verschoben" in moved.get_text()
    assert moved.select_one("del time")["datetime"] == timezone.localtime(first_start).isoformat()

    event.status = "postponed"
    event.save_revision().publish()
    data = event_data(client, KONZEPT_DE)
    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert data["previousStartDate"] == [timezone.localtime(first_start).isoformat()]


def test_structured_data_of_a_workshop_has_what_event_guidelines_ask_for(client, demo):
    event = konzept()
    event.hero_image = ImageFactory(width=2000, height=1400)
    event.hero_image_alt = "Menschen an einem Tisch"
    event.save_revision().publish()
    for url in (KONZEPT_DE, KONZEPT_EN):
        data = event_data(client, url)
        # the English page gets the picture when its translation is next updated
        expected = EVENT_REQUIRED | EVENT_RECOMMENDED - ({"image"} if url == KONZEPT_EN else set())
        assert data.keys() >= expected, url
        place, virtual = data["location"]
        assert place.keys() >= PLACE_REQUIRED and place["address"]["@type"] == "PostalAddress"
        assert place["address"].keys() >= ADDRESS_RECOMMENDED
        assert place["address"]["addressCountry"] == "DE"
        assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 51.5236, "longitude": 7.4598}
        assert virtual["@type"] == "VirtualLocation"
        assert data["offers"].keys() >= OFFER_RECOMMENDED
        assert (data["offers"]["price"], data["offers"]["priceCurrency"]) == (0, "EUR")
        assert data["offers"]["url"].endswith("#registration")
        assert data["organizer"].keys() >= ORGANIZER_RECOMMENDED
        for performer in data["performer"]:
            assert performer.keys() >= PERFORMER_REQUIRED
            assert performer["affiliation"]["@type"] == "Organization"
    # absolute picture addresses in 16:9 and 1:1
    sixteen_nine, square = event_data(client, KONZEPT_DE)["image"]
    assert sixteen_nine.startswith("http") and square.startswith("http")
    assert "1200x675" in sixteen_nine and "1200x1200" in square
    english_place = event_data(client, KONZEPT_EN)["location"][0]
    assert english_place["name"] == "Nordstadt neighbourhood workshop, Workshop room, ground floor"


def test_offers_follow_the_seats(client, demo):
    event = konzept()  # 12 seats, 9 taken in the demo: few left
    assert event_data(client, KONZEPT_DE)["offers"]["availability"].endswith("/LimitedAvailability")
    for number in range(3):
        RegistrationFactory(event=event, status="confirmed", email=f"voll{number}@example.org")
    assert event_data(client, KONZEPT_DE)["offers"]["availability"].endswith("/SoldOut")
    event.capacity = 100
    event.save_revision().publish()
    assert event_data(client, KONZEPT_DE)["offers"]["availability"].endswith("/InStock")

    external = EventPage.objects.get(slug="aufbau")
    offer = event_data(client, external.url)["offers"]
    assert offer["url"] == external.registration_url


def test_structured_data_of_a_series_has_its_parts_as_full_events(client, demo):
    response = client.get(SERIES_DE)
    (series,) = [item for item in json_ld(soup_of(response)) if item["@type"] == "EventSeries"]
    assert series.keys() >= SERIES_RECOMMENDED
    parts = EventPage.objects.live().child_of(EventSeriesPage.objects.get(slug=series_slug()))
    assert len(series["subEvent"]) == parts.count() == 4
    for part in series["subEvent"]:
        assert part.keys() >= EVENT_REQUIRED
        assert {"endDate", "eventStatus", "eventAttendanceMode", "url"} <= part.keys()
    assert series["startDate"] == min(part["startDate"] for part in series["subEvent"])
    in_person = [part for part in series["subEvent"] if part["location"][0]["@type"] == "Place"]
    assert all(part["location"][0]["address"].keys() >= ADDRESS_RECOMMENDED for part in in_person)


def series_slug():
    return "werkstattreihe-labore-sozialer-innovation"


def test_atom_entries_say_when_and_where(client, demo):
    import feedparser

    feed = feedparser.parse(client.get("/en/workshops/feed/").content)
    (entry,) = [entry for entry in feed.entries if entry.title == "Workshop 2: Concept development"]
    assert "Where: Nordstadt neighbourhood workshop, Workshop room, ground floor" in entry.summary
    assert "When: " in entry.summary


def test_confirmation_mails_say_where_in_the_persons_language(client, demo, mailoutbox):
    from events.registration import mail_person

    registration = RegistrationFactory(
        event=konzept().get_translation(english_locale()),
        language="en",
        status="confirmed",
    )
    mail_person(registration, "confirmed")
    (mail,) = mailoutbox
    assert "Where: Nordstadt neighbourhood workshop, Workshop room, ground floor, " in mail.body
    (attachment,) = mail.attachments
    entry = icalendar.Calendar.from_ical(attachment[1]).walk("VEVENT")[0]
    assert str(entry["LOCATION"]).startswith("Nordstadt neighbourhood workshop")
    # the same builder as the page's calendar: the same entry, in the person's language
    (on_the_page,) = icalendar.Calendar.from_ical(
        client.get(f"{KONZEPT_EN}calendar/").content
    ).walk("VEVENT")
    for name in ("UID", "SEQUENCE", "LOCATION", "GEO", "ORGANIZER", "STATUS", "SUMMARY"):
        assert entry[name] == on_the_page[name], name
    assert list(entry["CATEGORIES"].cats) == list(on_the_page["CATEGORIES"].cats)
    assert entry["ORGANIZER"].params["CN"] == on_the_page["ORGANIZER"].params["CN"]


# --- the editors' side -------------------------------------------------------------------


@pytest.fixture
def sites(demo):
    call_command("load_demo_content", stdout=None)
    return Site.objects.get(is_default_site=True), Site.objects.get(hostname="lindental.localhost")


def test_a_municipality_keeps_its_own_venues(client, sites):
    from django.contrib.auth import get_user_model

    _kosi, _lindental = sites
    client.force_login(get_user_model().objects.get(username="administration-lindental"))
    listing = client.get(reverse("wagtailsnippets_events_venue:list")).content.decode()
    assert "Rathaus Lindental" in listing and "Quartierswerkstatt Nordstadt" not in listing
    theirs = Venue.objects.get(name="Quartierswerkstatt Nordstadt")
    edit = client.get(reverse("wagtailsnippets_events_venue:edit", args=[theirs.pk]))
    assert edit.status_code in (302, 404)
    chooser = client.get(reverse("wagtailsnippetchoosers_events_venue:choose")).content.decode()
    assert "Rathaus Lindental" in chooser and "Nordstadt" not in chooser


def test_addresses_to_check_are_on_the_go_live_checklist(client, demo):
    from django.contrib.auth import get_user_model

    venue = VenueFactory(name="Altes Rathaus", street_address="", postal_code="", locality="")
    venue.address_to_check = "Altes Rathaus am Markt"
    venue.save()
    client.force_login(get_user_model().objects.get(username="administration"))
    dashboard = soup_of(client.get(reverse("wagtailadmin_home")))
    links = [a for a in dashboard.select("#portal-setup-content a") if "venue" in a["href"]]
    assert links and "1 Veranstaltungsort" in links[0].get_text()
    filtered = client.get(links[0]["href"]).content.decode()
    assert "Altes Rathaus" in filtered and "Quartierswerkstatt Nordstadt" not in filtered


def test_editors_choose_a_venue_and_the_translation_keeps_it(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="redaktion"))
    response = client.get(reverse("wagtailsnippets_events_venue:add"))
    assert response.status_code == 200
    event = konzept()
    english = event.get_translation(english_locale())
    assert english.venue_id == event.venue_id  # the German venue, shown in English
    other = translated(VenueFactory(name="Stadtbibliothek"), {"Stadtbibliothek": "City library"})
    assert other.locale.language_code == "en"


def test_a_workshop_offers_only_its_own_sites_venues(sites):
    _kosi, lindental = sites
    event = EventPage.objects.get(slug="dorfwerkstatt-dorfladen", locale__language_code="de")
    assert event.get_site() == lindental
    form_class = EventPage.get_edit_handler().get_form_class()
    form = form_class(instance=event, for_user=None)
    offered = set(form.fields["venue"].queryset.values_list("name", flat=True))
    assert offered == {"Rathaus Lindental"}  # neither the other site's nor translations


def test_editors_enter_a_new_venue_from_the_workshop_editor_for_their_own_site(client, sites):
    from django.contrib.auth import get_user_model

    kosi, lindental = sites
    client.force_login(get_user_model().objects.get(username="redaktion-lindental"))
    choose = client.get(reverse("wagtailsnippetchoosers_events_venue:choose"))
    page = BeautifulSoup(choose.json()["html"], "html.parser")
    offered = {option.get_text() for option in page.select("select[name=site] option")}
    assert str(lindental) in offered and str(kosi) not in offered
    # only the German venues to choose from (their translations follow)
    names = page.get_text()
    assert "Rathaus Lindental" in names and "Lindental town hall" not in names

    create = reverse("wagtailsnippetchoosers_events_venue:create")
    fields = {"name": "Dorfgemeinschaftshaus", "street_address": "Kirchweg 2"}
    fields |= {"postal_code": "99999", "locality": "Lindental", "country": "DE"}
    refused = client.post(create, {**fields, "site": kosi.pk}).json()
    assert refused["step"] == "reshow_creation_form"
    assert not Venue.objects.filter(name="Dorfgemeinschaftshaus").exists()
    chosen = client.post(create, {**fields, "site": lindental.pk}).json()
    assert chosen["step"] == "chosen"
    venue = Venue.objects.get(name="Dorfgemeinschaftshaus")
    assert (venue.site, venue.locale.language_code) == (lindental, "de")
