"""The delivery queue: activities to followers' inboxes, sent by the worker (the
scheduler's `network_deliver` job), never inside an editor's request.

Publishing a workshop queues Create, a change of what followers see (time, place, status
– a cancellation too – or texts) Update, unpublishing Delete with a Tombstone; one row per
inbox (a server's shared inbox once for all its followers). A failed delivery is tried
again after 1, 2, 4 … minutes (at most PORTAL_NETWORK_RETRY_MAX_MINUTES apart) until
PORTAL_NETWORK_RETRY_HOURS have passed; a follower whose deliveries have failed for
PORTAL_NETWORK_FOLLOWER_GONE_DAYS is dropped."""

import datetime
import hashlib
import json
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

logger = logging.getLogger("network.delivery")


def enqueue(site, activity: dict, inboxes) -> int:
    from .models import Delivery

    rows = [
        Delivery(site=site, inbox=inbox, activity=activity, kind=activity.get("type", "")[:20])
        for inbox in sorted(set(inboxes))
        if inbox
    ]
    Delivery.objects.bulk_create(rows)
    return len(rows)


def follower_inboxes(site) -> set[str]:
    from .models import Follower

    return {follower.delivery_inbox for follower in Follower.objects.filter(site=site)}


# --- what publishing does -------------------------------------------------------------------


def site_of_page(page):
    from portal.sites import site_id_of_page

    site_id = site_id_of_page(page)
    return Site.objects.filter(pk=site_id).first() if site_id else None


def workshop_published(sender, instance, **kwargs):
    """page_published of a workshop (any language): queue what changed for followers."""
    site = site_of_page(instance)
    if site is not None:
        sync_workshop(site, instance.translation_key)


def workshop_unpublished(sender, instance, **kwargs):
    site = site_of_page(instance)
    if site is not None:
        sync_workshop(site, instance.translation_key)


def venue_changed(sender, instance, **kwargs):
    from events.models import EventPage

    events = EventPage.objects.live().filter(
        venue__translation_key=instance.translation_key,
        locale__language_code=settings.LANGUAGE_CODE,
    )
    for event in events:
        site = site_of_page(event)
        if site is not None:
            sync_workshop(site, event.translation_key)


def source_removed(sender, instance, **kwargs):
    """A followed account removed as a source: tell it we no longer follow (Undo)."""
    from . import activities
    from .models import RemoteActor

    if not instance.actor_uri:
        return
    followed = RemoteActor.objects.filter(uri=instance.actor_uri).exclude(inbox="").first()
    if followed is None:
        return
    site = instance.site
    follow = {"type": "Follow", "actor": activities.actor_id(site), "object": instance.actor_uri}
    undo = activities.activity(site, "Undo", follow, to=[instance.actor_uri])
    enqueue(site, undo, [followed.inbox])


def digest(document: dict) -> str:
    shown = {key: value for key, value in document.items() if key not in ("published", "updated")}
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()


def sync_workshop(site, translation_key) -> str | None:
    """Compare the workshop with what followers were last sent and queue Create, Update or
    Delete; returns the activity's type (None: nothing they see changed)."""
    from events.models import EventPage
    from events.places import attach_places

    from . import activities
    from .models import PublishedObject

    german = (
        EventPage.objects.live()
        .public()
        .filter(translation_key=translation_key, locale__language_code=settings.LANGUAGE_CODE)
        .first()
    )
    record = PublishedObject.objects.filter(site=site, translation_key=translation_key).first()
    if german is None:
        if record is None or record.deleted:
            return None
        record.deleted, record.changed_at = True, timezone.now()
        record.save()
        delete = activities.activity(site, "Delete", activities.tombstone(site, translation_key))
        enqueue(site, delete, follower_inboxes(site))
        return "Delete"
    attach_places([german], language_code=settings.LANGUAGE_CODE)
    translations = activities.translations_of([german]).get(translation_key)
    document = activities.event_object(site, german, translations)
    new_digest = digest(document)
    if record is not None and not record.deleted and record.digest == new_digest:
        return None
    kind = "Create" if record is None or record.deleted else "Update"
    PublishedObject.objects.update_or_create(
        site=site,
        translation_key=translation_key,
        defaults={"digest": new_digest, "deleted": False, "changed_at": timezone.now()},
    )
    enqueue(site, activities.activity(site, kind, document), follower_inboxes(site))
    return kind


# --- the worker -----------------------------------------------------------------------------


def backoff(attempts: int) -> datetime.timedelta:
    minutes = min(2 ** max(attempts - 1, 0), settings.PORTAL_NETWORK_RETRY_MAX_MINUTES)
    return datetime.timedelta(minutes=minutes)


def claim(limit: int, now) -> list:
    """Due deliveries, put out of the other workers' reach for a while (a worker that dies
    mid-way leaves them to be tried again then)."""
    from .models import Delivery, DeliveryStatus

    with transaction.atomic():
        due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        rows = list(
            due.select_for_update(skip_locked=True).order_by("next_attempt_at", "pk")[:limit]
        )
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            next_attempt_at=now + datetime.timedelta(minutes=10)
        )
    return rows


def deliver_due(limit: int = 200, now=None) -> dict:
    """Send what is due; returns counts by outcome."""
    now = now or timezone.now()
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    for row in claim(limit, now):
        counts[deliver(row, now)] += 1
    drop_gone_followers(now)
    return counts


def deliver(row, now) -> str:
    from . import remote
    from .fetch import FetchError
    from .models import BlockedDomain, DeliveryStatus, Follower, RemoteActor

    row.attempts += 1
    error = ""
    if BlockedDomain.blocks(row.server, row.site):
        error = "blocked domain"
    else:
        rfc9421 = RemoteActor.objects.filter(models_q_inbox(row.inbox), signs_rfc9421=True).exists()
        body = json.dumps(row.activity).encode()
        try:
            response = remote_post(row, body, remote.signer(row.site, rfc9421=rfc9421))
            if 200 <= response.status < 300:
                row.status, row.delivered_at, row.last_error = DeliveryStatus.DELIVERED, now, ""
                row.save()
                Follower.objects.filter(models_q_inbox(row.inbox), site=row.site).update(
                    failing_since=None
                )
                return "delivered"
            error = f"HTTP {response.status}"
        except FetchError as failure:
            error = str(failure)
    row.last_error = error[:1000]
    if now >= row.give_up_at() or error == "blocked domain":
        row.status = DeliveryStatus.FAILED
        outcome = "failed"
    else:
        row.next_attempt_at = now + backoff(row.attempts)
        outcome = "retry"
    row.save()
    (
        Follower.objects.filter(site=row.site, failing_since__isnull=True)
        .filter(models_q_inbox(row.inbox))
        .update(failing_since=now)
    )
    logger.info("Delivery %s to %s: %s (%s)", row.kind, row.inbox, outcome, error)
    return outcome


def models_q_inbox(inbox: str):
    from django.db.models import Q

    return Q(inbox=inbox) | Q(shared_inbox=inbox)


def remote_post(row, body: bytes, sign):
    from .fetch import request

    return request(
        "POST",
        row.inbox,
        headers={
            "Content-Type": "application/activity+json",
            "Accept": "application/activity+json",
        },
        body=body,
        site=row.site,
        sign=sign,
    )


def drop_gone_followers(now) -> int:
    from .models import Follower

    limit = now - datetime.timedelta(days=settings.PORTAL_NETWORK_FOLLOWER_GONE_DAYS)
    dropped, _ = Follower.objects.filter(failing_since__lt=limit).delete()
    return dropped
