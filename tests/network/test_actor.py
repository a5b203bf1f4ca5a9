"""Each site's workshops as a followable ActivityPub actor: WebFinger, the actor, its
outbox and followers, workshops as FEP-8a8e Events, content negotiation."""

import pytest
from wagtail.models import Site

from events.models import EventFormat
from network.models import KeyPair
from tests.events.factories import EventPageFactory, VenueFactory, event_index
from tests.helpers import soup_of

AP = "application/activity+json"


@pytest.fixture
def site(demo):
    return Site.objects.get(is_default_site=True)


def test_webfinger_finds_the_workshop_account(client, site):
    response = client.get(
        "/.well-known/webfinger", {"resource": f"acct:werkstaetten@{site.hostname}"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jrd+json"
    data = response.json()
    assert data["subject"] == f"acct:werkstaetten@{site.hostname}"
    self_link = next(link for link in data["links"] if link["rel"] == "self")
    assert self_link == {"rel": "self", "type": AP, "href": f"{site.root_url}/ap/actor"}


@pytest.mark.parametrize(
    "resource", ["acct:someone@localhost", "acct:werkstaetten@elsewhere.example", "", "x@@y"]
)
def test_webfinger_knows_no_one_else(client, site, resource):
    assert client.get("/.well-known/webfinger", {"resource": resource}).status_code == 404


def test_the_actor_has_a_key_stored_per_site_and_never_shows_the_private_one(client, site):
    response = client.get("/ap/actor", HTTP_ACCEPT=AP)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(AP)
    actor = response.json()
    assert actor["type"] == "Application"
    assert actor["preferredUsername"] == "werkstaetten"
    assert actor["id"] == f"{site.root_url}/ap/actor"
    assert actor["inbox"] == f"{actor['id']}/inbox"
    assert actor["outbox"] == f"{actor['id']}/outbox"
    assert actor["followers"] == f"{actor['id']}/followers"
    assert actor["endpoints"]["sharedInbox"] == f"{site.root_url}/ap/inbox"
    assert actor["publicKey"]["owner"] == actor["id"]
    pair = KeyPair.objects.get(site=site)
    assert actor["publicKey"]["publicKeyPem"] == pair.public_key_pem
    assert "PRIVATE" in pair.private_key_pem
    assert b"PRIVATE" not in response.content
    assert actor["name"] and actor["summary"]
    assert actor["url"].endswith("/de/werkstaetten/") or actor["url"].startswith(site.root_url)
    # the same key next time
    assert client.get("/ap/actor").json()["publicKey"] == actor["publicKey"]


def test_the_instance_actor_has_a_key_of_its_own(client, site):
    instance = client.get("/ap/instance").json()
    site_actor = client.get("/ap/actor").json()
    assert instance["type"] == "Application"
    assert instance["publicKey"]["owner"] == instance["id"]
    assert instance["publicKey"]["publicKeyPem"] != site_actor["publicKey"]["publicKeyPem"]


def test_the_directory_links_the_actor(client, site):
    directory = event_index()
    soup = soup_of(client.get(directory.url))
    link = soup.find("link", rel="alternate", type=AP)
    assert link is not None
    assert link["href"] == f"{site.root_url}/ap/actor"


def event_in_outbox(client, event):
    outbox = client.get("/ap/actor/outbox").json()
    assert outbox["type"] == "OrderedCollection"
    for item in outbox["orderedItems"]:
        if item["object"]["id"].endswith(str(event.translation_key)):
            return item
    return None


def test_the_outbox_holds_create_event_per_published_workshop(client, site):
    venue = VenueFactory(
        name="Bürgersaal",
        street_address="Markt 1",
        postal_code="12345",
        locality="Teststadt",
        latitude="51.5",
        longitude="7.4",
    )
    event = EventPageFactory(
        title="Reparatur-Café", teaser="Wir reparieren.", venue=venue, room="Raum 2"
    )
    create = event_in_outbox(client, event)
    assert create["type"] == "Create"
    obj = create["object"]
    assert obj["type"] == "Event"
    assert obj["name"] == "Reparatur-Café"
    assert obj["startTime"].endswith(("+01:00", "+02:00"))
    assert obj["timezone"] == "Europe/Berlin"
    assert obj["eventStatus"] == "EventScheduled"
    assert obj["organizers"] == [f"{site.root_url}/ap/actor"]
    assert obj["joinMode"] == "external"
    assert obj["externalParticipationUrl"] == obj["url"]
    assert obj["url"] == event.get_full_url()
    assert obj["contentMap"]["de"].startswith("<p>Wir reparieren.</p>")
    assert obj["location"] == {
        "type": "Place",
        "name": "Bürgersaal, Raum 2",
        "address": {
            "type": "PostalAddress",
            "streetAddress": "Markt 1",
            "postalCode": "12345",
            "addressLocality": "Teststadt",
            "addressCountry": "DE",
        },
        "latitude": 51.5,
        "longitude": 7.4,
    }


def test_an_online_workshop_has_a_virtual_location_and_registration_link(client, site):
    event = EventPageFactory(
        event_format=EventFormat.ONLINE,
        online_url="https://video.example/raum",
        registration_mode="external",
        registration_url="https://anmeldung.example/1",
    )
    obj = event_in_outbox(client, event)["object"]
    assert obj["location"] == {"type": "VirtualLocation", "url": "https://video.example/raum"}
    assert obj["externalParticipationUrl"] == "https://anmeldung.example/1"


def test_a_draft_is_not_in_the_outbox(client, site):
    event = EventPageFactory(live=False)
    assert event_in_outbox(client, event) is None
    assert client.get(f"/ap/events/{event.translation_key}").status_code == 404


def test_a_workshop_is_dereferenceable_at_its_id_and_its_address(client, site):
    event = EventPageFactory(status="cancelled")
    by_id = client.get(f"/ap/events/{event.translation_key}", HTTP_ACCEPT=AP)
    assert by_id.status_code == 200
    assert by_id.json()["eventStatus"] == "EventCancelled"
    negotiated = client.get(event.url, HTTP_ACCEPT=AP)
    assert negotiated.status_code == 200
    assert negotiated["Content-Type"].startswith(AP)
    assert negotiated.json()["id"] == by_id.json()["id"]
    page = client.get(event.url, HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html")
    link = soup_of(page).find("link", rel="alternate", type=AP)
    assert link["href"] == by_id.json()["id"]


def test_negotiation_bypasses_the_page_cache(client, site, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    event = EventPageFactory()
    assert client.get(event.url)["Content-Type"].startswith("text/html")
    negotiated = client.get(event.url, HTTP_ACCEPT=AP)
    assert negotiated["Content-Type"].startswith(AP)
    assert client.get(event.url)["Content-Type"].startswith("text/html")


def test_followers_are_counted_not_listed(client, site):
    from network.models import Follower

    Follower.objects.create(
        site=site, actor_uri="https://m.example/users/a", inbox="https://m.example/users/a/inbox"
    )
    data = client.get("/ap/actor/followers").json()
    assert data["totalItems"] == 1
    assert "orderedItems" not in data
