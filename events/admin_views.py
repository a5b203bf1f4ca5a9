"""Registrations in the Wagtail admin: per-event lists, CSV export, cancel/promote by staff,
and data-subject requests (export and erase everything of one e-mail address).

Every view needs the permission "events.manage_registrations"; every change and export is
written to Wagtail's audit log, whose messages carry no personal data.
"""

import csv

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_required
from wagtail.log_actions import log

from portal.editorial.permissions import within_reach
from portal.formats import spreadsheet_cell

from . import registration as registrations
from .models import EventPage, Registration, RegistrationMode, RegistrationStatus

PERMISSION = "events.manage_registrations"
manage_registrations_required = permission_required(PERMISSION)


def _events_with_registration(user) -> list[EventPage]:
    """Every event with the built-in form on the user's sites, once: its German page, or
    another language's where it has no German one."""
    pages = within_reach(
        user, EventPage.objects.filter(registration_mode=RegistrationMode.BUILT_IN)
    ).select_related("locale")
    by_key = {}
    for page in pages.order_by("start", "pk"):
        current = by_key.get(page.translation_key)
        if current is None or page.locale.language_code == settings.LANGUAGE_CODE:
            by_key[page.translation_key] = page
    return list(by_key.values())


def _event_or_404(event_key, user) -> EventPage:
    """The event, if it is on one of the user's sites (another municipality's: not found)."""
    event = registrations.rules_page_for_key(event_key)
    if event is None or not within_reach(user, EventPage.objects.filter(pk=event.pk)).exists():
        raise Http404
    return event


def _registrations_of(address, user):
    """The address's registrations for events on the user's sites."""
    keys = within_reach(user, EventPage.objects.all()).values("translation_key")
    return registrations.registrations_of(address).filter(event_key__in=keys)


def _breadcrumbs(*items):
    return [
        {"url": reverse("wagtailadmin_home"), "label": _("Dashboard")},
        {"url": reverse("event_registrations:index"), "label": _("Registrations")},
        *[{"url": url, "label": label} for url, label in items],
    ]


@manage_registrations_required
def index(request):
    now = timezone.now()
    events = sorted(
        _events_with_registration(request.user), key=lambda event: (event.start, event.pk)
    )
    counts = Registration.objects.filter(
        event_key__in=[event.translation_key for event in events]
    ).counts_by_event()
    rows = [
        {
            "event": event,
            "counts": counts.get(event.translation_key, {}),
            "url": reverse("event_registrations:event", args=[event.translation_key]),
        }
        for event in events
    ]
    return TemplateResponse(
        request,
        "events/admin/registration_index.html",
        {
            "upcoming": [row for row in rows if row["event"].end >= now],
            "past": [row for row in rows if row["event"].end < now][::-1],
            "retention_days": settings.PORTAL_REGISTRATION_RETENTION_DAYS,
            "header_title": _("Registrations"),
            "header_icon": "group",
            "breadcrumbs_items": _breadcrumbs(),
        },
    )


@manage_registrations_required
def event_registrations(request, event_key):
    event = _event_or_404(event_key, request.user)
    registrations_qs = Registration.objects.filter(event_key=event.translation_key)
    status = request.GET.get("status", "")
    shown = registrations_qs.filter(status=status) if status in RegistrationStatus.values else None
    rows = _with_positions(
        list((shown if shown is not None else registrations_qs).order_by("created_at", "pk")),
        event.translation_key,
    )
    return TemplateResponse(
        request,
        "events/admin/event_registrations.html",
        {
            "event": event,
            "rows": rows,
            "counts": registrations_qs.counts(),
            "availability": registrations.availability(event),
            "status": status if shown is not None else "",
            "statuses": RegistrationStatus.choices,
            "header_title": event.title,
            "header_icon": "group",
            "breadcrumbs_items": _breadcrumbs(("", event.title)),
        },
    )


def _csv_response(filename, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8 (umlauts) correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Workshop"),
            _("Status"),
            _("Position on the waiting list"),
            _("Name"),
            _("E-mail address"),
            _("Organisation"),
            _("Municipality"),
            _("Note"),
            _("Language"),
            _("Registered"),
            _("E-mail confirmed"),
            _("Seat since"),
            _("Cancelled"),
            _("Consent text shown"),
            _("Consent given"),
        ]
    )
    titles = _event_titles(rows)
    for row in rows:
        writer.writerow(
            spreadsheet_cell(value)
            for value in [
                titles.get(row.event_key, ""),
                row.get_status_display(),
                getattr(row, "position", None) or "",
                row.name,
                row.email,
                row.organisation,
                row.municipality,
                row.note,
                row.language,
                _timestamp(row.created_at),
                _timestamp(row.confirmed_at),
                _timestamp(row.seat_since),
                _timestamp(row.cancelled_at),
                row.consent_text,
                _timestamp(row.consented_at),
            ]
        )
    return response


def _event_titles(rows) -> dict:
    """The German title of each row's event, by translation key, in one query."""
    return {
        page.translation_key: page.title
        for page in EventPage.objects.filter(
            translation_key__in={row.event_key for row in rows},
            locale__language_code=settings.LANGUAGE_CODE,
        )
    }


def _with_positions(rows, event_key):
    """Give each row its place on the waiting list (None for everyone not waiting)."""
    waiting = list(
        Registration.objects.filter(event_key=event_key)
        .waiting_order()
        .values_list("pk", flat=True)
    )
    for row in rows:
        row.position = waiting.index(row.pk) + 1 if row.pk in waiting else None
    return rows


def _timestamp(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@manage_registrations_required
def export(request, event_key):
    event = _event_or_404(event_key, request.user)
    rows = _with_positions(
        list(Registration.objects.filter(event_key=event.translation_key)),
        event.translation_key,
    )
    log(event, "events.registrations.export", user=request.user)
    return _csv_response(f"anmeldungen-{event.slug}.csv", rows)


@require_POST
@manage_registrations_required
def change(request, pk, action):
    registration = get_object_or_404(Registration, pk=pk)
    _event_or_404(registration.event_key, request.user)
    if action == "cancel":
        done = registrations.cancel(registration, by_staff=True) == registrations.Outcome.CANCELLED
        message = (
            _("The registration is cancelled.")
            if registration.is_anonymised
            else _("The registration is cancelled; the person has been informed by e-mail.")
        )
    elif action == "promote":
        done = registrations.promote(registration)
        message = _("The person now has a seat and has been informed by e-mail.")
    else:
        raise Http404
    if done:
        log(registration, f"events.registration.{action}", user=request.user)
        messages.success(request, message)
    else:
        messages.warning(request, _("Nothing was changed: the registration's status had changed."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("event_registrations:event", args=[registration.event_key])
    return redirect(target)


@manage_registrations_required
def person(request):
    """Data-subject requests: everything stored about one e-mail address.

    The address travels by POST, so it stays out of access logs and browser history.
    """
    address = ""
    if request.method == "POST":
        address = registrations.normalise_email(request.POST.get("email", "")[:254])
    rows = list(_registrations_of(address, request.user).order_by("created_at")) if address else []
    if address and request.POST.get("format") == "csv":
        for row in rows:
            log(row, "events.registration.subject_export", user=request.user)
        return _csv_response("anmeldungen-auskunft.csv", rows)
    titles = _event_titles(rows)
    for row in rows:
        row.event_title = titles.get(row.event_key, _("(deleted workshop)"))
    return TemplateResponse(
        request,
        "events/admin/person.html",
        {
            "address": address,
            "searched": request.method == "POST",
            "rows": rows,
            "header_title": _("Registrations of one person"),
            "header_icon": "user",
            "breadcrumbs_items": _breadcrumbs(("", _("Registrations of one person"))),
        },
    )


@require_POST
@manage_registrations_required
def erase(request):
    address = registrations.normalise_email(request.POST.get("email", "")[:254])
    chosen = _registrations_of(address, request.user)
    targets = list(chosen) if address else []
    count = registrations.erase(address, chosen) if targets else 0
    for registration in targets:
        log(registration, "events.registration.erase", user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s registration anonymised.", "%(count)s registrations anonymised.", count
            )
            % {"count": count},
        )
    else:
        messages.warning(request, _("No registrations found for this address."))
    return redirect("event_registrations:index")
