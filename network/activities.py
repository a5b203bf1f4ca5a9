"""The ActivityStreams documents a site publishes: its actor, its workshops as FEP-8a8e
Events, and the activities (Create, Update, Delete, Accept, Reject) carrying them.

Everything is built from a site's configured address (`Site.root_url`), never from the
host a request claims, so an id is the same in a request and in the delivery worker.
Workshops are built from the same selectors the JSON-LD and the open data API use."""

import uuid

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape
from wagtail.models import Site

from events.models import EventPage, RegistrationMode
from events.places import attach_places
from events.selectors import event_summary
from portal.images import with_renditions
from portal.models import PortalSettings, SiteTexts
from portal.sites import in_site

from .keys import key_pair
from .models import NetworkSettings

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTENT_TYPE = "application/activity+json"
CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
        "schema": "http://schema.org#",
        "PostalAddress": "schema:PostalAddress",
        "address": "schema:address",
        "streetAddress": "schema:streetAddress",
        "postalCode": "schema:postalCode",
        "addressLocality": "schema:addressLocality",
        "addressRegion": "schema:addressRegion",
        "addressCountry": "schema:addressCountry",
        "VirtualLocation": "schema:VirtualLocation",
        "eventStatus": "schema:eventStatus",
        "timezone": "schema:timezone",
        "organizers": {"@id": "schema:organizer", "@type": "@id"},
        "joinMode": "schema:joinMode",
        "externalParticipationUrl": {"@id": "schema:externalParticipationUrl", "@type": "@id"},
    },
]
# FEP-8a8e's event status, from the workshop's
EVENT_STATUSES = {
    "scheduled": "EventScheduled",
    "cancelled": "EventCancelled",
    "postponed": "EventPostponed",
    "moved_online": "EventMovedOnline",
}
TIMEZONE = "Europe/Berlin"
# The picture fediverse apps show with a workshop (16:9, as search engines')
EVENT_IMAGE = "fill-1200x675|format-jpeg"


def base_url(site: Site) -> str:
    return site.root_url.rstrip("/")


def actor_id(site: Site) -> str:
    return f"{base_url(site)}/ap/actor"


def instance_actor_id(site: Site) -> str:
    return f"{base_url(site)}/ap/instance"


def key_id(actor: str) -> str:
    return f"{actor}#main-key"


def event_id(site: Site, translation_key) -> str:
    return f"{base_url(site)}/ap/events/{translation_key}"


def network_settings(site: Site) -> NetworkSettings:
    return NetworkSettings.for_site(site)


def handle(site: Site) -> str:
    return f"{network_settings(site).preferred_username}@{site.hostname}"


def actor_document(site: Site, directory_url: str | None) -> dict:
    """The site's workshop account: name, summary and icon from its texts and settings."""
    actor = actor_id(site)
    options = network_settings(site)
    texts = SiteTexts.for_language(settings.LANGUAGE_CODE, site)
    english = SiteTexts.for_language("en", site)
    portal_settings = PortalSettings.for_site(site)
    with translation.override(settings.LANGUAGE_CODE):
        name = translation.gettext("Workshops – %(site)s") % {"site": texts.site_name}
        summary = translation.gettext(
            "The workshops of %(municipality)s. Register on the workshop's page."
        ) % {"municipality": texts.municipality or texts.site_name}
    with translation.override("en"):
        summary_en = translation.gettext(
            "The workshops of %(municipality)s. Register on the workshop's page."
        ) % {"municipality": english.municipality or english.site_name}
    document = {
        "@context": CONTEXT,
        "id": actor,
        "type": options.actor_type,
        "preferredUsername": options.preferred_username,
        "name": name,
        "summary": f"<p>{escape(summary)}</p>",
        "summaryMap": {
            settings.LANGUAGE_CODE: f"<p>{escape(summary)}</p>",
            "en": f"<p>{escape(summary_en)}</p>",
        },
        "url": directory_url or base_url(site) + "/",
        "inbox": f"{actor}/inbox",
        "outbox": f"{actor}/outbox",
        "followers": f"{actor}/followers",
        "endpoints": {"sharedInbox": f"{base_url(site)}/ap/inbox"},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "publicKey": {
            "id": key_id(actor),
            "owner": actor,
            "publicKeyPem": key_pair(site).public_key_pem,
        },
    }
    if portal_settings.logo_id:
        rendition = portal_settings.logo.get_rendition("max-400x400|format-png")
        document["icon"] = {
            "type": "Image",
            "mediaType": "image/png",
            "url": base_url(site) + rendition.url if "://" not in rendition.url else rendition.url,
        }
    return document


def instance_actor_document(site: Site) -> dict:
    """The instance actor: signs our GETs to servers in "authorized fetch" mode."""
    actor = instance_actor_id(site)
    return {
        "@context": CONTEXT,
        "id": actor,
        "type": "Application",
        "preferredUsername": site.hostname,
        "name": site.hostname,
        "inbox": f"{base_url(site)}/ap/inbox",
        "outbox": f"{actor}/outbox",
        "manuallyApprovesFollowers": True,
        "publicKey": {
            "id": key_id(actor),
            "owner": actor,
            "publicKeyPem": key_pair(None).public_key_pem,
        },
    }


def site_workshops(site: Site):
    """The site's published, public workshops (German pages: one object per workshop)."""
    events = in_site(EventPage.objects.live().public(), site, settings.LANGUAGE_CODE)
    return with_renditions(events, "hero_image", EVENT_IMAGE)


def translations_of(events) -> dict:
    """{translation_key: {language: live page}} for the workshops, in one query."""
    keys = [event.translation_key for event in events]
    found = {}
    pages = EventPage.objects.live().public().filter(translation_key__in=keys)
    for page in pages.select_related("locale"):
        found.setdefault(page.translation_key, {})[page.locale.language_code] = page
    return found


def event_object(site: Site, event, translations: dict | None = None) -> dict:
    """A workshop as an FEP-8a8e Event (event.place attached), German with English maps."""
    actor = actor_id(site)
    versions = translations or {settings.LANGUAGE_CODE: event}
    url = event.get_full_url()
    with translation.override(settings.LANGUAGE_CODE):
        summary = event_summary(event, None, url)
    content_map, name_map, summary_map = {}, {}, {}
    for language, version in versions.items():
        name_map[language] = version.title
        summary_map[language] = escape(version.teaser)
        link = escape(version.get_full_url())
        content_map[language] = f'<p>{escape(version.teaser)}</p><p><a href="{link}">{link}</a></p>'
    document = {
        "@context": CONTEXT,
        "id": event_id(site, event.translation_key),
        "type": "Event",
        "attributedTo": actor,
        "organizers": [actor],
        "name": event.title,
        "nameMap": name_map,
        "summary": summary_map.get(settings.LANGUAGE_CODE, ""),
        "summaryMap": summary_map,
        "content": content_map.get(settings.LANGUAGE_CODE, ""),
        "contentMap": content_map,
        "mediaType": "text/html",
        "startTime": timezone.localtime(event.start).isoformat(),
        "endTime": timezone.localtime(event.end).isoformat(),
        "timezone": TIMEZONE,
        "eventStatus": EVENT_STATUSES[event.status],
        "url": url,
        "published": timezone.localtime(event.first_published_at or event.start).isoformat(),
        "updated": timezone.localtime(
            event.last_published_at or event.first_published_at or event.start
        ).isoformat(),
        "to": [PUBLIC],
        "cc": [f"{actor}/followers"],
        "joinMode": "external",
        "externalParticipationUrl": participation_url(event, url),
        "location": [activity_location(place) for place in summary["location"]],
    }
    if len(document["location"]) == 1:
        document["location"] = document["location"][0]
    if event.hero_image and not event.hero_image_decorative:
        rendition = event.hero_image.get_rendition(EVENT_IMAGE)
        image_url = rendition.url if "://" in rendition.url else base_url(site) + rendition.url
        document["attachment"] = [
            {
                "type": "Document",
                "mediaType": "image/jpeg",
                "url": image_url,
                "name": event.hero_image_alt,
            }
        ]
    return document


def participation_url(event, url: str) -> str:
    """Where people register: the portal's form keeps its double opt-in and privacy."""
    if event.registration_mode == RegistrationMode.EXTERNAL and event.registration_url:
        return event.registration_url
    if event.registration_mode == RegistrationMode.BUILT_IN:
        return f"{url}#registration"
    return url


def activity_location(place: dict) -> dict:
    """schema.org's location (events/selectors.py) as ActivityStreams' Place."""
    if place["@type"] == "VirtualLocation":
        return {"type": "VirtualLocation", "url": place["url"]}
    location = {"type": "Place", "name": place["name"]}
    if place.get("address"):
        location["address"] = {"type": "PostalAddress", **place["address"]}
        location["address"].pop("@type", None)
    if place.get("geo"):
        location["latitude"] = place["geo"]["latitude"]
        location["longitude"] = place["geo"]["longitude"]
    return location


def tombstone(site: Site, translation_key) -> dict:
    return {
        "id": event_id(site, translation_key),
        "type": "Tombstone",
        "formerType": "Event",
        "deleted": timezone.now().isoformat(),
    }


def activity(site: Site, kind: str, obj, *, to=None, actor=None) -> dict:
    """An activity of the site's actor; `obj` is a document or an id."""
    actor = actor or actor_id(site)
    document = {
        "@context": CONTEXT,
        "id": f"{base_url(site)}/ap/activities/{uuid.uuid4()}",
        "type": kind,
        "actor": actor,
        "object": obj,
        "published": timezone.now().isoformat(),
    }
    if isinstance(obj, dict):
        document["object"] = {key: value for key, value in obj.items() if key != "@context"}
    document["to"] = to if to is not None else [PUBLIC]
    if to is None:
        document["cc"] = [f"{actor_id(site)}/followers"]
    return document


def outbox_items(site: Site, limit: int = 20) -> tuple[int, list[dict]]:
    """The number of published upcoming workshops and Create activities of the next ones."""
    events = site_workshops(site).upcoming()
    total = events.count()
    events = attach_places(list(events[:limit]), language_code=settings.LANGUAGE_CODE)
    translations = translations_of(events)
    items = []
    for event in events:
        document = event_object(site, event, translations.get(event.translation_key))
        create = activity(site, "Create", document)
        create["id"] = f"{document['id']}#create"
        create["published"] = document["published"]
        items.append(create)
    return total, items
