"""The public registration views; EventPage's routes call them (see events.models)."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from portal.delivery.http import client_ip, private, rate_limited

from . import registration as registrations
from . import selectors
from .forms import RegistrationForm
from .models import RegistrationStatus
from .registration import LinkError, Outcome


def render_event(request, event, form=None, status=200, notice=""):
    context = event.get_context(request)
    context.update(selectors.event_details(event, request, form=form, notice=notice))
    response = event.render(request, context_overrides=context)
    response.status_code = status
    return response


def register(request, event):
    if request.method != "POST":
        return HttpResponseRedirect(f"{event.get_url(request)}#registration")
    available = registrations.availability(event)
    if available is None or not available.accepts_registrations:
        reason = (
            available.closed_reason
            if available
            else gettext("This workshop has no registration form.")
        )
        return private(render_event(request, event, status=403, notice=reason))
    consent = registrations.consent_text()
    form = RegistrationForm(request.POST, consent_text=consent)
    if not form.is_valid():
        return private(render_event(request, event, form=form))
    limited = rate_limited(
        "registration-ip", client_ip(request), settings.PORTAL_REGISTRATION_LIMIT_PER_IP
    ) or rate_limited(
        "registration-address",
        registrations.normalise_email(form.cleaned_data["email"]),
        settings.PORTAL_REGISTRATION_LIMIT_PER_ADDRESS,
    )
    if limited:
        form.add_error(
            None,
            gettext("Too many registrations were sent. Please try again in an hour."),
        )
        return private(render_event(request, event, form=form, status=429))
    registrations.register(event, form.cleaned_data, consent)
    return HttpResponseRedirect(f"{event.get_url(request)}register/sent/")


def registration_sent(request, event):
    return private(
        TemplateResponse(
            request,
            "events/registration_link.html",
            {"page": event, "self": event, "step": "sent", **_hours()},
        )
    )


def _hours():
    return {"hours": settings.PORTAL_REGISTRATION_CONFIRM_HOURS}


def registration_link(request, event, action, token):
    """A link from an e-mail: GET shows a button (mail scanners follow links), POST acts."""
    if action not in registrations.LINK_ACTIONS:
        raise Http404
    context = {"page": event, "self": event, "action": action, **_hours()}
    try:
        registration = registrations.registration_for_link(event, action, token)
    except LinkError as error:
        context["step"] = "expired" if error.expired else "invalid"
        status = 410 if error.expired else 400
        return private(
            TemplateResponse(request, "events/registration_link.html", context, status=status)
        )
    if request.method == "POST":
        if action == "confirm":
            outcome = registrations.confirm(registration)
        else:
            outcome = registrations.cancel(registration)
        registration.refresh_from_db()
        context.update(step="done", outcome=outcome)
    else:
        context.update(step="ask", outcome=_foreseeable_outcome(registration, action))
    context["registration"] = registration
    context["position"] = registrations.waiting_position(registration)
    if context["step"] == "done" or context["outcome"]:
        context["cancel_url"] = (
            f"{event.get_url(request)}register/cancel/"
            f"{registrations.link_token(registration, 'cancel')}/"
            if registration.status in registrations.ACTIVE_STATUSES
            else ""
        )
    return private(TemplateResponse(request, "events/registration_link.html", context))


def _foreseeable_outcome(registration, action):
    """A link whose work is already done shows that at once, without a button."""
    status = registration.status
    if status == RegistrationStatus.CANCELLED:
        return Outcome.ALREADY_CANCELLED
    if action == "confirm" and status == RegistrationStatus.CONFIRMED:
        return Outcome.ALREADY_CONFIRMED
    if action == "confirm" and status == RegistrationStatus.WAITLISTED:
        return Outcome.ALREADY_WAITLISTED
    return None
