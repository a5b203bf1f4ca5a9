"""The ActivityPub and WebFinger endpoints of each site (the site from the request's host,
ids from the site's configured address)."""

import re

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Site

from events.models import EventIndexPage, EventPage
from events.places import attach_places
from portal.sites import in_site

from . import activities, inbox
from .models import Follower

ACTIVITY_JSON = "application/activity+json"
ACCEPTED_TYPES = ("application/activity+json", "application/ld+json")
ACCT = re.compile(r"^(?:acct:)?@?([^@\s]+)@([^@\s]+)$")


def activity_response(document: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(document, status=status, content_type=ACTIVITY_JSON)
    response["Cache-Control"] = "public, max-age=60"
    response["Vary"] = "Accept"
    return response


def not_found() -> JsonResponse:
    """A JSON 404 (Http404 would be redirected to a language prefix)."""
    return JsonResponse({"error": "not found"}, status=404)


def wants_activity(request) -> bool:
    accept = request.headers.get("Accept", "")
    return any(kind in accept for kind in ACCEPTED_TYPES)


def site_of(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def directory_url(site: Site) -> str | None:
    directory = (
        in_site(EventIndexPage.objects.live().public(), site, settings.LANGUAGE_CODE)
        .order_by("path")
        .first()
    )
    return directory.get_full_url() if directory else None


@require_GET
def webfinger(request):
    site = site_of(request)
    resource = request.GET.get("resource", "").strip()
    match = ACCT.match(resource)
    options = activities.network_settings(site)
    actor = activities.actor_id(site)
    profile = directory_url(site)
    if resource not in (actor, profile) and (
        not match
        or match.group(1).lower() != options.preferred_username
        or match.group(2).lower() != site.hostname.lower()
    ):
        return not_found()
    response = JsonResponse(
        {
            "subject": f"acct:{options.preferred_username}@{site.hostname}",
            "aliases": [actor],
            "links": [
                {"rel": "self", "type": ACTIVITY_JSON, "href": actor},
                {
                    "rel": "http://webfinger.net/rel/profile-page",
                    "type": "text/html",
                    "href": profile or activities.base_url(site) + "/",
                },
            ],
        },
        content_type="application/jrd+json",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def actor(request):
    site = site_of(request)
    return activity_response(activities.actor_document(site, directory_url(site)))


@require_GET
def instance_actor(request):
    return activity_response(activities.instance_actor_document(site_of(request)))


@csrf_exempt
@require_http_methods(["POST"])
def inbox_view(request):
    return inbox.receive(request, site_of(request))


@require_GET
def outbox(request):
    site = site_of(request)
    total, items = activities.outbox_items(site)
    return activity_response(
        {
            "@context": activities.CONTEXT,
            "id": f"{activities.actor_id(site)}/outbox",
            "type": "OrderedCollection",
            "totalItems": total,
            "orderedItems": items,
        }
    )


@require_GET
def followers(request):
    """How many follow; who they are stays with us (as Mastodon's hidden lists)."""
    site = site_of(request)
    return activity_response(
        {
            "@context": activities.CONTEXT,
            "id": f"{activities.actor_id(site)}/followers",
            "type": "OrderedCollection",
            "totalItems": Follower.objects.filter(site=site).count(),
        }
    )


def event_document(site: Site, event) -> dict:
    attach_places([event], language_code=settings.LANGUAGE_CODE)
    translations = activities.translations_of([event]).get(event.translation_key)
    return activities.event_object(site, event, translations)


@require_GET
def event(request, translation_key):
    site = site_of(request)
    found = (
        in_site(EventPage.objects.live().public(), site, settings.LANGUAGE_CODE)
        .filter(translation_key=translation_key)
        .first()
    )
    if found is None:
        return not_found()
    return activity_response(event_document(site, found))


def negotiated_event(page, request) -> HttpResponse | None:
    """A workshop's page asked for as ActivityStreams (Mastodon's search by address)."""
    if not isinstance(page, EventPage) or not wants_activity(request):
        return None
    site = site_of(request)
    german = (
        EventPage.objects.live()
        .public()
        .filter(translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE)
        .first()
    )
    if german is None:
        return None
    response = activity_response(event_document(site, german))
    response["Cache-Control"] = "private, max-age=0"  # never the page cache's copy
    return response
