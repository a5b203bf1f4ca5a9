"""Reporting a barrier: the form on the accessibility statement, stored for the admin and
mailed to the feedback contact (BITV 2.0 § 7 requires this feedback channel)."""

import datetime
import logging

from django import forms
from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.delivery.http import client_ip, private, rate_limited
from portal.formats import single_line
from portal.forms import PublicForm, VisitorTextField, reject_html

from .models import BarrierReport

logger = logging.getLogger(__name__)


class BarrierReportForm(PublicForm):
    description = VisitorTextField(
        label=_("Which barrier did you find?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_html],
        help_text=_("Describe what you could not use, and how (at most 3,000 characters)."),
    )
    page_url = VisitorTextField(
        label=_("On which page?"),
        max_length=500,
        required=False,
        validators=[reject_html],
        help_text=_("The address or the title of the page."),
    )
    name = VisitorTextField(
        label=_("Your name"), max_length=120, required=False, validators=[reject_html]
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        required=False,
        help_text=_("Only if you would like an answer."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"


def report_barrier(request, statement):
    if request.method != "POST":
        return HttpResponseRedirect(f"{statement.get_url(request)}#feedback")
    form = BarrierReportForm(request.POST)
    status = 200
    if form.is_valid():
        if rate_limited(
            "barrier-report", client_ip(request), settings.PORTAL_FEEDBACK_LIMIT_PER_IP
        ):
            form.add_error(
                None,
                gettext(
                    "Too many reports were sent from your connection. Please try again in "
                    "an hour, or write to us by e-mail."
                ),
            )
            status = 429
        else:
            report = BarrierReport.objects.create(
                site=statement.get_site(),
                locale=statement.locale,
                page_url=form.cleaned_data["page_url"],
                description=form.cleaned_data["description"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
            notify(report, statement)
            return HttpResponseRedirect(f"{statement.get_url(request)}feedback/sent/#feedback")
    response = statement.render(request, context_overrides={"feedback_form": form})
    response.status_code = status
    return private(response)


def recipient(statement) -> str:
    from portal.models import PortalSettings

    site = statement.get_site()
    fallback = PortalSettings.for_site(site).contact_email if site else ""
    return statement.feedback_email or fallback


def notify(report: BarrierReport, statement) -> None:
    """Mail the report to the feedback contact; the stored report is kept if that fails."""
    address = recipient(statement)
    if not address:
        logger.warning("Barrier report %s: no feedback address is configured", report.pk)
        return
    subject = gettext("Barrier reported on the portal: %(start)s") % {
        "start": single_line(report.description)[:60]
    }
    body = render_to_string(
        "home/email/barrier_report.txt", {"report": report, "statement": statement}
    )
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[address],
        reply_to=[report.email] if report.email else None,
    )
    try:
        message.send()
    except Exception:
        logger.exception("Could not mail barrier report %s", report.pk)


def purge_old_reports(now=None) -> int:
    """Delete reports older than PORTAL_FEEDBACK_RETENTION_DAYS; returns how many."""
    limit = (now or timezone.now()) - datetime.timedelta(
        days=settings.PORTAL_FEEDBACK_RETENTION_DAYS
    )
    deleted, _by_model = BarrierReport.objects.filter(created_at__lt=limit).delete()
    return deleted
