"""Built-in workshop registration: availability, double opt-in, waiting list, e-mails, retention.

Views, the admin and the management command go through these functions; nothing else
changes a registration's status. Seats are counted per event across its languages (the
event's translation key), and every change of seats happens while the event's row is
locked, so parallel confirmations cannot overbook.
"""

import dataclasses
import datetime
import enum
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.delivery.dependencies import record, seats_tag
from portal.formats import single_line
from portal.translation import in_language_or_oldest

from .models import (
    ACTIVE_STATUSES,
    EventPage,
    Registration,
    RegistrationMode,
    RegistrationStatus,
)
from .places import attach_places, location_text

logger = logging.getLogger(__name__)


class State(enum.StrEnum):
    OPEN = "open"
    WAITLIST = "waitlist"
    CLOSED = "closed"


@dataclasses.dataclass(frozen=True)
class Availability:
    """What the event page shows about registration; computed, never stored."""

    state: State
    capacity: int | None
    confirmed: int
    waiting: int
    deadline: datetime.datetime
    closed_reason: str = ""

    @property
    def accepts_registrations(self) -> bool:
        return self.state != State.CLOSED

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)


class Outcome(enum.StrEnum):
    """The result of following a confirmation or cancellation link."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ALREADY_CONFIRMED = "already_confirmed"
    ALREADY_WAITLISTED = "already_waitlisted"
    ALREADY_CANCELLED = "already_cancelled"
    EVENT_OVER = "event_over"


class LinkError(Exception):
    """A confirmation or cancellation link that cannot be used; `expired` tells why."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


LINK_ACTIONS = ("confirm", "cancel")


def rules_page_for_key(event_key, *, lock=False) -> EventPage | None:
    """The event's page whose registration settings apply: the default language's one (or
    the oldest where there is none). The settings are synchronised into translations, but a
    translation not yet updated could still show old values; seats are decided by one page.

    With `lock`, the row stays locked for the rest of the transaction (a no-op on SQLite,
    which takes the database's write lock at the start of the transaction instead).
    """
    pages = EventPage.objects.filter(translation_key=event_key)
    if lock:
        pages = pages.select_for_update(of=("self",))
    return in_language_or_oldest(pages, settings.LANGUAGE_CODE)


def rules_page(event: EventPage) -> EventPage:
    if event.locale.language_code == settings.LANGUAGE_CODE:
        return event
    return rules_page_for_key(event.translation_key) or event


def deadline(event: EventPage) -> datetime.datetime:
    return event.registration_deadline or event.start


def _event_over(event: EventPage, now) -> bool:
    return event.is_cancelled or event.start <= now


def closed_reason(event: EventPage, now=None) -> str:
    """Why new registrations are refused, or "" while they are accepted."""
    now = now or timezone.now()
    if event.registration_mode != RegistrationMode.BUILT_IN:
        return gettext("This workshop has no registration form.")
    if event.is_cancelled:
        return gettext("This workshop has been cancelled.")
    if event.start <= now:
        return gettext("This workshop has already started or taken place.")
    if deadline(event) <= now:
        return gettext("The registration deadline has passed.")
    return ""


def availability(event: EventPage, now=None) -> Availability | None:
    """Seats and state for the event page; None when the event has no built-in registration."""
    if event.registration_mode != RegistrationMode.BUILT_IN:
        return None
    rules = rules_page(event)
    if rules.registration_mode != RegistrationMode.BUILT_IN:
        return None
    counts = Registration.objects.filter(event_key=rules.translation_key).counts()
    return availability_from(rules, counts, now)


def availabilities(events, now=None) -> dict:
    """{event pk: availability or None} of many events, in two queries whatever their
    number (for listings and the open data API)."""
    built_in = [event for event in events if event.registration_mode == RegistrationMode.BUILT_IN]
    keys = {event.translation_key for event in built_in}
    rules = {}
    if keys:
        pages = EventPage.objects.filter(translation_key__in=keys).select_related("locale")
        for page in sorted(pages, key=lambda page: page.pk):  # the oldest where no German
            if (
                page.locale.language_code == settings.LANGUAGE_CODE
                or page.translation_key not in rules
            ):
                rules[page.translation_key] = page
    counts = Registration.objects.filter(event_key__in=keys).counts_by_event() if keys else {}
    empty = dict.fromkeys(RegistrationStatus.values, 0)
    found = {}
    for event in events:
        page = rules.get(event.translation_key)
        if (
            event not in built_in
            or page is None
            or page.registration_mode != RegistrationMode.BUILT_IN
        ):
            found[event.pk] = None
        else:
            found[event.pk] = availability_from(page, counts.get(page.translation_key, empty), now)
    return found


def availability_from(rules: EventPage, counts: dict, now=None) -> Availability:
    """The availability of the event whose registration rules are `rules`, with its
    registrations counted per status."""
    record(seats_tag(rules.translation_key))  # the page shows these seats
    confirmed = counts[RegistrationStatus.CONFIRMED]
    reason = closed_reason(rules, now)
    if reason:
        state = State.CLOSED
    elif rules.capacity is not None and confirmed >= rules.capacity:
        state = State.WAITLIST
    else:
        state = State.OPEN
    return Availability(
        state=state,
        capacity=rules.capacity,
        confirmed=confirmed,
        waiting=counts[RegistrationStatus.WAITLISTED],
        deadline=deadline(rules),
        closed_reason=reason,
    )


def consent_text() -> str:
    """The consent the form asks for, in the active language; stored with each registration."""
    return gettext(
        "I agree that my details are used to organise this workshop (list of participants, "
        "questions about my registration, access details). They are deleted %(days)s days "
        "after the workshop. I can withdraw my consent at any time with the cancellation "
        "link in the e-mails I receive."
    ) % {"days": settings.PORTAL_REGISTRATION_RETENTION_DAYS}


def normalise_email(address: str) -> str:
    return address.strip().lower()


def register(event: EventPage, data: dict, consent: str) -> tuple[Registration, bool]:
    """Store a pending registration and send the confirmation link.

    An address already registered for the event gets no second registration; its
    links are sent again instead, so the form's answer reveals nothing about who is
    registered. Returns the registration and whether it is new.
    """
    email = normalise_email(data["email"])
    existing = Registration.objects.for_event(event).active().filter(email=email).first()
    if existing is None:
        now = timezone.now()
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event_key=event.translation_key,
                    event=event,
                    language=event.locale.language_code,
                    name=data["name"],
                    email=email,
                    organisation=data.get("organisation", ""),
                    municipality=data.get("municipality", ""),
                    note=data.get("note", ""),
                    consent_text=consent,
                    consented_at=now,
                    created_at=now,
                    link_sent_at=now,
                )
        except IntegrityError:  # the same address, registered by a parallel request
            existing = Registration.objects.for_event(event).active().get(email=email)
        else:
            mail_person(registration, "confirm")
            return registration, True
    resend_links(existing)
    return existing, False


RESEND_INTERVAL = datetime.timedelta(hours=1)


def resend_links(registration: Registration) -> None:
    """Send the registration's links again, at most once an hour, so the form cannot be
    used to flood someone's mailbox."""
    now = timezone.now()
    if registration.link_sent_at > now - RESEND_INTERVAL:
        return
    registration.link_sent_at = now
    registration.save(update_fields=["link_sent_at"])
    mail_person(registration, "already_registered")


def confirm(registration: Registration) -> Outcome:
    """Turn a pending registration into a seat, or a place on the waiting list when full."""
    now = timezone.now()
    with transaction.atomic():
        rules = rules_page_for_key(registration.event_key, lock=True)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        already = {
            RegistrationStatus.CONFIRMED: Outcome.ALREADY_CONFIRMED,
            RegistrationStatus.WAITLISTED: Outcome.ALREADY_WAITLISTED,
            RegistrationStatus.CANCELLED: Outcome.ALREADY_CANCELLED,
        }
        if registration.status in already:
            return already[registration.status]
        # A link sent before the deadline may still be confirmed after it (within its
        # validity); only an event that is over, cancelled or without the form refuses.
        if (
            rules is None
            or _event_over(rules, now)
            or rules.registration_mode != RegistrationMode.BUILT_IN
        ):
            return Outcome.EVENT_OVER
        seats_taken = Registration.objects.filter(
            event_key=registration.event_key, status=RegistrationStatus.CONFIRMED
        ).count()
        has_seat = rules.capacity is None or seats_taken < rules.capacity
        registration.status = (
            RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITLISTED
        )
        registration.confirmed_at = now
        registration.seat_since = now if has_seat else None
        registration.save(update_fields=["status", "confirmed_at", "seat_since"])
    mail_person(registration, "confirmed" if has_seat else "waitlisted")
    return Outcome.CONFIRMED if has_seat else Outcome.WAITLISTED


def cancel(registration: Registration, *, by_staff=False, notify=True) -> Outcome:
    """Cancel a registration; a freed seat goes to the first person waiting."""
    now = timezone.now()
    with transaction.atomic():
        rules = rules_page_for_key(registration.event_key, lock=True)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return Outcome.ALREADY_CANCELLED
        if not by_staff and (rules is None or rules.end < now):
            return Outcome.EVENT_OVER
        held_seat = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = _fill_free_seats(rules, now) if held_seat and rules else []
    if notify and not registration.is_anonymised:
        mail_person(registration, "cancelled_by_staff" if by_staff else "cancelled")
    for person in promoted:
        mail_person(person, "promoted")
    return Outcome.CANCELLED


def promote(registration: Registration) -> bool:
    """Give a waiting person a seat by staff decision, even beyond the capacity."""
    now = timezone.now()
    with transaction.atomic():
        rules_page_for_key(registration.event_key, lock=True)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.WAITLISTED:
            return False
        registration.status = RegistrationStatus.CONFIRMED
        registration.seat_since = now
        registration.save(update_fields=["status", "seat_since"])
    mail_person(registration, "promoted")
    return True


def fill_free_seats(event: EventPage) -> list[Registration]:
    """Promote waiting people into free seats, e.g. after the capacity was raised."""
    now = timezone.now()
    with transaction.atomic():
        rules = rules_page_for_key(event.translation_key, lock=True)
        promoted = _fill_free_seats(rules, now) if rules else []
    for person in promoted:
        mail_person(person, "promoted")
    return promoted


def _fill_free_seats(rules: EventPage, now) -> list[Registration]:
    """Inside the lock: move the first people on the waiting list into free seats."""
    if _event_over(rules, now):
        return []
    registrations = Registration.objects.filter(event_key=rules.translation_key)
    waiting = registrations.waiting_order().select_for_update()
    if rules.capacity is not None:
        taken = registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        waiting = waiting[: max(rules.capacity - taken, 0)]
    promoted = list(waiting)
    for person in promoted:
        person.status = RegistrationStatus.CONFIRMED
        person.seat_since = now
        person.save(update_fields=["status", "seat_since"])
    return promoted


def waiting_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    order = list(
        Registration.objects.filter(event_key=registration.event_key)
        .waiting_order()
        .values_list("pk", flat=True)
    )
    return order.index(registration.pk) + 1


# Links -------------------------------------------------------------------------------


def _signer(action: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"events.registration.{action}")


def link_token(registration: Registration, action: str) -> str:
    """Formed "<id>-<timestamp>-<signature>": Wagtail's page URLs allow only letters, digits,
    "_" and "-" in a segment, and neither the hex id nor the base62 timestamp contain "-",
    so the split back is exact."""
    return _signer(action).sign(registration.public_id.hex).replace(":", "-", 2)


def registration_for_link(event: EventPage, action: str, token: str) -> Registration:
    """The registration a link names, or LinkError. Confirmation links expire; cancellation
    links stay valid until the workshop is over (checked by `cancel`)."""
    if action not in LINK_ACTIONS or len(token) > 200:
        raise LinkError
    max_age = (
        datetime.timedelta(hours=settings.PORTAL_REGISTRATION_CONFIRM_HOURS)
        if action == "confirm"
        else None
    )
    try:
        public_id = _signer(action).unsign(token.replace("-", ":", 2), max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError(expired=True) from None
    except signing.BadSignature:
        raise LinkError from None
    registration = Registration.objects.filter(
        public_id=public_id, event_key=event.translation_key
    ).first()
    if registration is None or registration.is_anonymised:
        raise LinkError
    return registration


def page_for(registration: Registration) -> EventPage | None:
    """The event page in the language the person registered in (or any language left)."""
    pages = EventPage.objects.filter(translation_key=registration.event_key)
    live = in_language_or_oldest(pages.live(), registration.language)
    return live or pages.order_by("pk").first()


def link_url(page: EventPage, registration: Registration, action: str) -> str:
    return f"{page.get_full_url()}register/{action}/{link_token(registration, action)}/"


# E-mails ----------------------------------------------------------------------------

MAILS = {
    "confirm": {
        "subject": _("Please confirm your registration: %(event)s"),
        "paragraphs": [
            _(
                "thank you for registering for “%(event)s”. Please confirm your e-mail "
                "address with the link below; only then is your registration complete."
            ),
            _(
                "The link is valid for %(hours)s hours. If you did not register, ignore this "
                "e-mail: unconfirmed registrations are deleted automatically."
            ),
        ],
        "action": ("confirm", _("Confirm registration")),
    },
    "confirmed": {
        "subject": _("Your seat is confirmed: %(event)s"),
        "paragraphs": [
            _("your registration for “%(event)s” is confirmed. We look forward to seeing you.")
        ],
    },
    "waitlisted": {
        "subject": _("You are on the waiting list: %(event)s"),
        "paragraphs": [
            _(
                "all seats for “%(event)s” are taken, so you are number %(position)s on the "
                "waiting list."
            ),
            _(
                "When a seat becomes free, it goes to the first person on the waiting list "
                "automatically, and we let you know by e-mail."
            ),
        ],
    },
    "promoted": {
        "subject": _("A seat has become free for you: %(event)s"),
        "paragraphs": [
            _(
                "good news: a seat for “%(event)s” has become free, and it is now yours. "
                "Your registration is confirmed."
            )
        ],
    },
    "already_registered": {
        "subject": _("Your registration: %(event)s"),
        "paragraphs": [
            _(
                "someone, probably you, tried to register this e-mail address for “%(event)s” "
                "again. The address is already registered, so no second registration was made."
            ),
            _("Your registration's status: %(status)s."),
        ],
    },
    "cancelled": {
        "subject": _("Your registration is cancelled: %(event)s"),
        "paragraphs": [_("as you asked, your registration for “%(event)s” is cancelled.")],
    },
    "cancelled_by_staff": {
        "subject": _("Your registration is cancelled: %(event)s"),
        "paragraphs": [
            _(
                "the organisers have cancelled your registration for “%(event)s”. If you have "
                "questions, please contact them."
            )
        ],
    },
}
# Mails to people who have a seat: they get the workshop as a calendar file too
SEAT_MAIL_KINDS = {"confirmed", "promoted"}
# Mails that carry a cancellation link (a pending registration simply expires)
CANCELLABLE_MAIL_KINDS = {"confirmed", "waitlisted", "promoted", "already_registered"}


def mail_person(registration: Registration, kind: str) -> None:
    """Send one of the MAILS to the registered address, in the language of registration."""
    from portal.models import PortalSettings, SiteTexts

    page = page_for(registration)
    if page is None:
        return
    with translation.override(registration.language):
        mail = MAILS[kind]
        values = {
            "event": page.title,
            "hours": settings.PORTAL_REGISTRATION_CONFIRM_HOURS,
            "position": waiting_position(registration),
            "status": registration.get_status_display(),
        }
        action = mail.get("action")
        if kind == "already_registered" and registration.status == RegistrationStatus.PENDING:
            action = MAILS["confirm"]["action"]
        show_cancel = kind in CANCELLABLE_MAIL_KINDS and registration.status in ACTIVE_STATUSES
        site = page.get_site()
        portal_settings = PortalSettings.for_site(site) if site else None
        context = {
            "registration": registration,
            # A name nobody has confirmed yet is not shown: the form must not let anyone
            # put their own words into a mail from the city.
            "greet_by_name": registration.status != RegistrationStatus.PENDING,
            "page": page,
            "place": location_text(attach_places([page])[0]),
            "page_url": page.get_full_url(),
            "paragraphs": [str(text) % values for text in mail["paragraphs"]],
            "action_url": link_url(page, registration, action[0]) if action else "",
            "action_label": action[1] if action else "",
            "cancel_url": link_url(page, registration, "cancel") if show_cancel else "",
            "contact_email": portal_settings.contact_email if portal_settings else "",
            "site_name": SiteTexts.for_language(registration.language, site).site_name,
        }
        subject = single_line(str(mail["subject"]) % values)
        text = render_to_string("events/email/registration.txt", context)
        html = render_to_string("events/email/registration.html", context)
        # in the person's language as well: the venue, the format and the organiser
        calendar = _calendar_for(page) if kind in SEAT_MAIL_KINDS else None
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[registration.email],
        reply_to=[context["contact_email"]] if context["contact_email"] else None,
    )
    message.attach_alternative(html, "text/html")
    if calendar is not None:
        message.attach(f"{page.slug}.ics", calendar, "text/calendar")
    try:
        message.send()
    except Exception:  # the registration is stored; a mail server failure must not undo it
        logger.exception("Could not send the %s mail for %s", kind, registration)


def _calendar_for(page: EventPage) -> bytes:
    from urllib.parse import urlsplit

    from .feeds import build_calendar

    url = page.get_full_url()
    host = urlsplit(url).hostname or ""
    return build_calendar([page], page.title, host, lambda _page: url, page.get_site())


# Retention and data-subject requests ------------------------------------------------

ANONYMISED_FIELDS = {"name": "", "email": "", "organisation": "", "municipality": "", "note": ""}


def anonymise(registrations) -> int:
    """Remove the personal data, keep the status for statistics."""
    return registrations.filter(anonymised_at__isnull=True).update(
        **ANONYMISED_FIELDS, anonymised_at=timezone.now()
    )


def purge(now=None, retention_days=None) -> dict[str, int]:
    """Anonymise registrations of events that ended more than `retention_days` ago (or whose
    event was deleted) and delete unconfirmed ones whose link has expired. Idempotent."""
    now = now or timezone.now()
    retention_days = (
        settings.PORTAL_REGISTRATION_RETENTION_DAYS if retention_days is None else retention_days
    )
    cutoff = now - datetime.timedelta(days=retention_days)
    link_expiry = now - datetime.timedelta(hours=settings.PORTAL_REGISTRATION_CONFIRM_HOURS)
    # By the time of registration: re-sent links do not keep an unconfirmed address stored.
    expired_links, _ = Registration.objects.filter(
        status=RegistrationStatus.PENDING, created_at__lt=link_expiry
    ).delete()
    live_keys = EventPage.objects.values("translation_key")
    ended_keys = EventPage.objects.filter(end__lt=cutoff).values("translation_key")
    finished = Registration.objects.filter(event_key__in=ended_keys) | (
        Registration.objects.exclude(event_key__in=live_keys)
    )
    return {"anonymised": anonymise(finished), "deleted": expired_links}


def registrations_of(address: str):
    return Registration.objects.filter(email=normalise_email(address), anonymised_at__isnull=True)


def erase(address: str, chosen=None) -> int:
    """A data-subject request: cancel the address's active registrations (freeing seats for
    the waiting list, without e-mails to the address) and anonymise all of them; with
    `chosen` (a queryset of them, e.g. those of one municipality's events) only those."""
    if not normalise_email(address):
        return 0
    chosen = registrations_of(address) if chosen is None else chosen
    for registration in chosen.filter(status__in=ACTIVE_STATUSES):
        cancel(registration, by_staff=True, notify=False)
    return anonymise(chosen)
