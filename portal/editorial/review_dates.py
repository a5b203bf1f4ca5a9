"""Content review dates: the default on publishing, the overdue list and the reminders."""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import BasePage

logger = logging.getLogger(__name__)


def page_models():
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, BasePage) and not model._meta.abstract
    ]


def set_default_review_date(page, today=None) -> None:
    """On publishing: a page without a review date, or with one that has passed (publishing
    it counts as its review), gets one a review interval from now."""
    if not isinstance(page, BasePage) or not page.review_interval_days:
        return
    today = today or timezone.localdate()
    if page.review_by and page.review_by > today:
        return
    page.review_by = today + datetime.timedelta(days=page.review_interval_days)
    type(page).objects.filter(pk=page.pk).update(review_by=page.review_by)


def overdue_pages(today=None) -> list:
    """Live pages whose review date has passed, oldest first (one query per page type)."""
    today = today or timezone.localdate()
    pages = []
    for model in page_models():
        pages += model.objects.live().filter(review_by__lt=today).select_related("owner", "locale")
    return sorted(pages, key=lambda page: (page.review_by, page.pk))


def send_review_reminders(today=None) -> int:
    """Mail each owner one list of their pages that became overdue since the last run."""
    due = defaultdict(list)
    for page in overdue_pages(today):
        if page.review_reminder_sent_for != page.review_by and page.owner and page.owner.email:
            due[page.owner].append(page)
    for owner, pages in due.items():
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "portal/email/review_reminder.txt",
                {"owner": owner, "pages": pages, "base_url": settings.WAGTAILADMIN_BASE_URL},
            )
            subject = _("Pages to review: %(count)s") % {"count": len(pages)}
        try:
            send_mail(subject, body, None, [owner.email])
        except Exception:  # the next owners still get theirs; this one is retried tomorrow
            logger.exception("Could not send the review reminder to user %s", owner.pk)
            continue
        for page in pages:
            type(page).objects.filter(pk=page.pk).update(review_reminder_sent_for=page.review_by)
    return sum(len(pages) for pages in due.values())
