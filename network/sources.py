"""Reading other labs' workshops for the Network page: another portal's open data API, an
ActivityPub account the site follows, or any iCalendar feed.

Every fetch goes through the SSRF guard (fetch.py) with ETag/If-Modified-Since; items are
keyed by (source, UID, RECURRENCE-ID); recurring events are expanded only within
PORTAL_NETWORK_WINDOW_DAYS; all text is sanitised (a small allow-list of tags, no scripts,
no event handlers, no images); items that disappeared are marked removed; a failing source
keeps its last good copy (shown with "last updated …")."""

import datetime
import json
import logging
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from portal.delivery.cache import invalidate_listings_of

from . import activities, remote
from .delivery import enqueue
from .fetch import FetchError, request
from .models import ItemStatus, NetworkItem, Source, SourceKind

logger = logging.getLogger("network.sources")

ALLOWED_TAGS = {"p", "br", "a", "strong", "em", "b", "i", "ul", "ol", "li"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
MAX_ITEMS = 2000
API_PAGES = 10


class SourceError(Exception):
    pass


def sanitise(html: str) -> str:
    """A safe subset of HTML: paragraphs, emphasis, lists and http(s) links only."""
    return nh3.clean(
        str(html or "")[:20000],
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def plain(text, limit: int) -> str:
    return " ".join(strip_tags(str(text or "")).split())[:limit]


def http_url(value) -> str:
    value = remote.ident(value) if not isinstance(value, list) else ""
    return value[:500] if value.startswith(("https://", "http://")) else ""


# --- storing ------------------------------------------------------------------------------


def store(source: Source, items: list[dict], *, complete: bool = True) -> int:
    """Upsert the items (the first of duplicate keys wins); with `complete`, mark what the
    source no longer has as removed."""
    now = timezone.now()
    seen = {}
    for item in items[:MAX_ITEMS]:
        key = (item["uid"][:500], item.get("recurrence_id", "")[:40])
        seen.setdefault(key, item)
    with transaction.atomic():
        existing = {
            (row.uid, row.recurrence_id): row for row in NetworkItem.objects.filter(source=source)
        }
        for key, item in seen.items():
            values = {
                "title": plain(item["title"], 300) or "–",
                "summary": sanitise(item.get("summary", "")),
                "url": item.get("url", "")[:500],
                "location": plain(item.get("location", ""), 500),
                "start": item["start"],
                "end": item.get("end") or item["start"],
                "status": item.get("status", ItemStatus.SCHEDULED),
                "removed_at": None,
                "updated_at": now,
            }
            row = existing.get(key)
            if row is None:
                NetworkItem.objects.create(
                    source=source, uid=key[0], recurrence_id=key[1], **values
                )
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.save()
        if complete:
            gone = [row.pk for key, row in existing.items() if key not in seen]
            NetworkItem.objects.filter(pk__in=gone, removed_at__isnull=True).update(removed_at=now)
        invalidate_listings_of(NetworkItem, source.site_id)  # the Network page shows them
    return len(seen)


# --- fetching -----------------------------------------------------------------------------


def conditional_get(source: Source, url: str, accept: str, max_bytes: int | None = None):
    headers = {"Accept": accept}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    return request("GET", url, headers=headers, site=source.site, max_bytes=max_bytes)


def fetch(source: Source) -> str:
    """Fetch one source; returns what happened (for the command's output). A failure
    keeps the items of the last good fetch."""
    source.last_attempt_at = timezone.now()
    try:
        outcome = {
            SourceKind.PORTAL_API: fetch_portal_api,
            SourceKind.ICALENDAR: fetch_icalendar,
            SourceKind.ACTIVITYPUB: fetch_actor,
        }[source.kind](source)
    except (FetchError, SourceError, remote.RemoteError) as error:
        source.last_error = str(error)[:1000]
        source.save(update_fields=["last_attempt_at", "last_error"])
        logger.info("Source %s failed: %s", source.url, error)
        return f"failed: {error}"
    source.last_error = ""
    source.last_success_at = timezone.now()
    source.save(update_fields=Source.BOOKKEEPING)
    return outcome


def remember_validators(source: Source, response) -> None:
    source.etag = response.headers.get("etag", "")[:300]
    source.last_modified = response.headers.get("last-modified", "")[:100]


def parse_time(value) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise SourceError(f"unreadable time {str(value)[:40]}") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def fetch_portal_api(source: Source) -> str:
    """Another portal's /api/v1/workshops (upcoming ones, following `next` a few pages)."""
    url, items, pages = source.url, [], 0
    first = conditional_get(source, url, "application/json")
    if first.status == 304:
        return "not modified"
    response = first
    while True:
        if response.status != 200:
            raise SourceError(f"HTTP {response.status}")
        try:
            data = json.loads(response.body)
            results = data["results"]
            for workshop in results:
                place = workshop.get("place") or {}
                items.append(
                    {
                        "uid": str(workshop["translation_key"]),
                        "title": workshop["title"],
                        "summary": workshop.get("teaser", ""),
                        "url": http_url(workshop.get("url")),
                        "location": ", ".join(
                            str(part) for part in (place.get("name"), place.get("locality")) if part
                        ),
                        "start": parse_time(workshop["start"]),
                        "end": parse_time(workshop["end"]),
                        "status": ItemStatus.CANCELLED
                        if workshop.get("status") == "cancelled"
                        else ItemStatus.SCHEDULED,
                    }
                )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise SourceError(f"not a workshop list ({error.__class__.__name__})") from None
        pages += 1
        following = data.get("next")
        if not following or pages >= API_PAGES:
            break
        if urlsplit(following).hostname != urlsplit(source.url).hostname:
            break  # a list's next page is on its own host
        response = request(
            "GET", following, headers={"Accept": "application/json"}, site=source.site
        )
    remember_validators(source, first)
    return f"{store(source, items)} workshops"


def fetch_icalendar(source: Source) -> str:
    import icalendar
    import recurring_ical_events

    response = conditional_get(
        source, source.url, "text/calendar", max_bytes=settings.PORTAL_NETWORK_FEED_MAX_BYTES
    )
    if response.status == 304:
        return "not modified"
    if response.status != 200:
        raise SourceError(f"HTTP {response.status}")
    try:
        calendar = icalendar.Calendar.from_ical(response.body)
        now = timezone.now()
        window_end = now + datetime.timedelta(days=settings.PORTAL_NETWORK_WINDOW_DAYS)
        occurrences = recurring_ical_events.of(calendar).between(
            now - datetime.timedelta(days=1), window_end
        )
        items = [
            item for item in (calendar_item(event) for event in occurrences[:MAX_ITEMS]) if item
        ]
    except Exception as error:  # icalendar raises many kinds on broken input
        raise SourceError(f"not a readable calendar ({error.__class__.__name__})") from None
    remember_validators(source, response)
    return f"{store(source, items)} workshops"


def as_datetime(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time()))


def calendar_item(event) -> dict | None:
    uid = str(event.get("UID") or "")
    start = event.get("DTSTART")
    if not uid or start is None:
        return None
    start = as_datetime(start.dt)
    end = event.get("DTEND")
    end = as_datetime(end.dt) if end is not None else start
    recurrence = event.get("RECURRENCE-ID")
    recurrence_id = as_datetime(recurrence.dt).isoformat() if recurrence is not None else ""
    if not recurrence_id and (event.get("RRULE") or event.get("RDATE")):
        recurrence_id = start.isoformat()
    description = event.get("X-ALT-DESC") or event.get("DESCRIPTION") or ""
    return {
        "uid": uid,
        "recurrence_id": recurrence_id,
        "title": str(event.get("SUMMARY") or ""),
        "summary": str(description),
        "url": http_url(str(event.get("URL") or "")),
        "location": str(event.get("LOCATION") or ""),
        "start": start,
        "end": end,
        "status": ItemStatus.CANCELLED
        if str(event.get("STATUS", "")).upper() == "CANCELLED"
        else ItemStatus.SCHEDULED,
    }


def fetch_actor(source: Source) -> str:
    """Follow the account (once; its workshops then arrive in the inbox) and read its outbox
    for what it already has."""
    actor = remote.actor(source.actor_uri or source.url, source.site, refresh=True)
    if urlsplit(actor.uri).hostname != urlsplit(source.url).hostname:
        raise SourceError("the account lives on another host")
    if not source.actor_uri:
        source.actor_uri = actor.uri
        follow = activities.activity(source.site, "Follow", actor.uri, to=[actor.uri])
        enqueue(source.site, follow, [actor.inbox])
    if not actor.outbox:
        return "followed"
    outbox = remote.fetch_json(actor.outbox, source.site)
    collection = outbox.get("orderedItems")
    if collection is None and outbox.get("first"):
        first = outbox["first"]
        page = first if isinstance(first, dict) else remote.fetch_json(first, source.site)
        collection = page.get("orderedItems")
    items = []
    for entry in (collection or [])[:MAX_ITEMS]:
        if isinstance(entry, dict) and entry.get("type") in ("Create", "Update"):
            item = event_item(entry.get("object"), actor.uri)
            if item:
                items.append(item)
    return f"{store(source, items)} workshops"


def event_item(document, actor_uri: str) -> dict | None:
    """An FEP-8a8e Event of the followed account (its own objects only)."""
    if not isinstance(document, dict) or document.get("type") != "Event":
        return None
    object_id = remote.ident(document)
    if urlsplit(object_id).hostname != urlsplit(actor_uri).hostname:
        return None
    try:
        start = parse_time(document["startTime"])
        end = parse_time(document.get("endTime") or document["startTime"])
    except (KeyError, SourceError):
        return None
    location = document.get("location")
    if isinstance(location, list):
        location = location[0] if location else None
    place = ""
    if isinstance(location, dict):
        address = location.get("address") if isinstance(location.get("address"), dict) else {}
        place = ", ".join(
            str(part) for part in (location.get("name"), address.get("addressLocality")) if part
        )
    url = document.get("url")
    if isinstance(url, list):
        url = url[0] if url else ""
    if isinstance(url, dict):
        url = url.get("href", "")
    return {
        "uid": object_id,
        "title": str(document.get("name") or ""),
        "summary": str(document.get("summary") or document.get("content") or ""),
        "url": http_url(url if isinstance(url, str) else ""),
        "location": place,
        "start": start,
        "end": end,
        "status": ItemStatus.CANCELLED
        if document.get("eventStatus") == "EventCancelled"
        else ItemStatus.SCHEDULED,
    }


def receive_activity(activity: dict, actor: str, site) -> None:
    """An activity (verified, its actor the key's owner) of an account the site follows as
    a source; from anyone else it is ignored."""
    sources = Source.objects.filter(
        site=site, kind=SourceKind.ACTIVITYPUB, actor_uri=actor, enabled=True
    )
    kind = activity.get("type")
    obj = activity.get("object")
    for source in sources:
        if kind == "Accept":
            source.follow_accepted = True
            source.save(update_fields=["follow_accepted"])
        elif kind in ("Create", "Update"):
            item = event_item(obj, actor)
            if item:
                store(source, [item], complete=False)
                Source.objects.filter(pk=source.pk).update(last_success_at=timezone.now())
        elif kind == "Delete":
            object_id = remote.ident(obj)
            NetworkItem.objects.filter(source=source, uid=object_id).update(
                removed_at=timezone.now()
            )
            invalidate_listings_of(NetworkItem, source.site_id)


def due_sources(now=None):
    now = now or timezone.now()
    limit = now - datetime.timedelta(minutes=settings.PORTAL_NETWORK_FETCH_MINUTES)
    from django.db.models import Q

    return Source.objects.filter(enabled=True).filter(
        Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=limit)
    )
