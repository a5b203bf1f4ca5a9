"""What an incoming activity does, once its signature verified and its key's owner is its
actor: Follow → Accept (stored), Undo(Follow), Delete of the actor, Join → Reject (people
register on the workshop's page), Accept of our Follow, workshops of followed sources;
everything else is acknowledged and ignored."""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from portal.delivery.http import rate_limited

from . import activities, remote
from .delivery import enqueue
from .models import BlockedDomain, Follower, RemoteActor
from .signatures import SignatureError, SignedRequest, check_date, check_digest, same_owner_host
from .signatures import verify as verify_signature

logger = logging.getLogger("network.inbox")
INBOX_SCOPE = "network-inbox"


def refuse(status: int, reason: str):
    logger.info("Inbox refused (%s): %s", status, reason)
    return JsonResponse({"error": reason}, status=status)


def receive(request, site):
    """The inbox (the actor's and the shared one): 202 for a verified activity."""
    cap = settings.PORTAL_NETWORK_MAX_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > cap:
        return refuse(413, "body too large")
    body = request.read(cap + 1)
    if len(body) > cap:
        return refuse(413, "body too large")
    try:
        activity = json.loads(body)
    except ValueError:
        return refuse(400, "not JSON")
    if not isinstance(activity, dict):
        return refuse(400, "not an activity")
    actor = remote.ident(activity.get("actor"))
    if not actor.startswith(("https://", "http://")):
        return refuse(400, "no actor")
    signed = SignedRequest.from_django(request, body)
    try:
        signed.scheme()
        check_date(signed.headers)
        check_digest(signed)
        key_id = signed.key_id()
        same_owner_host(key_id, actor)
    except SignatureError as error:
        return refuse(401, str(error))
    host = urlsplit(actor).hostname or ""
    if BlockedDomain.blocks(host, site):
        return refuse(403, "blocked")
    if rate_limited(INBOX_SCOPE, host, settings.PORTAL_NETWORK_INBOX_PER_MINUTE, 60):
        response = refuse(429, "too many requests")
        response["Retry-After"] = "60"
        return response
    try:
        scheme = verified(signed, key_id, actor, site)
    except SignatureError as error:
        return refuse(401, str(error))
    except remote.RemoteError as error:
        return refuse(401, f"key not available: {error}")
    if scheme == "rfc9421":
        RemoteActor.objects.filter(uri=actor).update(signs_rfc9421=True)
    handle(activity, actor, site)
    return HttpResponse(status=202)


def verified(signed, key_id: str, actor: str, site) -> str:
    """Verify with the stored key; a key that fails is fetched again once (rotated)."""
    owner, pem = remote.key(key_id, site)
    if owner != actor:
        raise SignatureError("the key's owner is not the actor")
    try:
        return verify_signature(signed, key_id, pem)
    except SignatureError:
        owner, pem = remote.key(key_id, site, refresh=True)
        if owner != actor:
            raise SignatureError("the key's owner is not the actor") from None
        return verify_signature(signed, key_id, pem)


def handle(activity: dict, actor: str, site) -> None:
    kind = activity.get("type")
    obj = activity.get("object")
    own_actor = activities.actor_id(site)
    if kind == "Follow" and remote.ident(obj) == own_actor:
        follow(activity, actor, site)
    elif kind == "Undo" and isinstance(obj, dict) and obj.get("type") == "Follow":
        if remote.ident(obj.get("actor")) in ("", actor):
            Follower.objects.filter(site=site, actor_uri=actor).delete()
    elif kind == "Delete" and remote.ident(obj) == actor:
        Follower.objects.filter(actor_uri=actor).delete()
        RemoteActor.objects.filter(uri=actor).delete()
    elif kind == "Join":
        reject_join(activity, actor, site)
    else:
        from .sources import receive_activity

        receive_activity(activity, actor, site)


def follow(activity: dict, actor: str, site) -> None:
    try:
        follower_actor = remote.actor(actor, site)
    except remote.RemoteError as error:
        logger.info("Follow of %s not answered: %s", actor, error)
        return
    if not follower_actor.inbox:
        return
    Follower.objects.update_or_create(
        site=site,
        actor_uri=actor,
        defaults={
            "inbox": follower_actor.inbox,
            "shared_inbox": follower_actor.shared_inbox,
            "failing_since": None,
        },
    )
    accept = activities.activity(site, "Accept", strip(activity), to=[actor])
    enqueue(site, accept, [follower_actor.inbox])


def reject_join(activity: dict, actor: str, site) -> None:
    """Registration happens on the workshop's page (double opt-in, privacy notice)."""
    try:
        joiner = remote.actor(actor, site)
    except remote.RemoteError:
        return
    if joiner.inbox:
        reject = activities.activity(site, "Reject", strip(activity), to=[actor])
        enqueue(site, reject, [joiner.inbox])


def strip(activity: dict) -> dict:
    return {key: value for key, value in activity.items() if key != "@context"}
