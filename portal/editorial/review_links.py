"""Review by signed link (LinkReviewTask): sending the link, reading it back, deciding,
and the reviewer's pages (/review/<token>/ and its preview frame).

The link names one task state and the nonce of the latest link sent for it, is signed and
expires after PORTAL_REVIEW_LINK_DAYS. It stops working once the step is decided, when a
newer link is sent, and when the page has a newer revision than the one under review.
"""

import datetime
import enum
import logging
import uuid

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.log_actions import log

from portal.delivery.http import private
from portal.formats import single_line

from .tasks import LinkReviewTaskState

SALT = "portal.review-link"
logger = logging.getLogger(__name__)


class LinkProblem(enum.StrEnum):
    INVALID = "invalid"
    EXPIRED = "expired"
    DECIDED = "decided"
    SUPERSEDED = "superseded"


class ReviewLinkError(Exception):
    def __init__(self, problem: LinkProblem):
        super().__init__(problem)
        self.problem = problem


def link_token(task_state) -> str:
    return signing.dumps([task_state.pk, task_state.link_nonce.hex], salt=SALT)


def link_url(task_state) -> str:
    path = reverse("review_link", args=[link_token(task_state)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_review_link(task_state, user=None, resend=False):
    """Mail the reviewer a link to the revision under review; a re-sent link replaces the
    old one (for the same revision: a newer one was not approved by the earlier steps)."""
    page = task_state.workflow_state.content_object
    if resend:
        task_state.link_nonce = uuid.uuid4()
    task_state.link_sent_at = timezone.now()
    task_state.save(update_fields=["link_nonce", "revision", "link_sent_at"])
    task = task_state.task.specific
    expires = timezone.localtime(
        task_state.link_sent_at + datetime.timedelta(days=settings.PORTAL_REVIEW_LINK_DAYS)
    )
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "portal/email/review_link.txt",
            {"task": task, "page": page, "url": link_url(task_state), "expires": expires},
        )
        subject = _("Please review: %(title)s") % {
            "title": single_line(page.get_admin_display_title())
        }
    try:
        send_mail(subject, body, None, [task.reviewer_email])
    except Exception:  # the workflow goes on; the link can be re-sent from the admin
        logger.exception("Could not send the review link for page %s", page.pk)
    log(
        page,
        "portal.review_link.resend" if resend else "portal.review_link.send",
        user=user,
        data={"task": task.name},
    )


def task_state_for(token: str, lock=False) -> LinkReviewTaskState:
    """The task state a link decides, or ReviewLinkError saying why it cannot. With `lock`
    (inside a transaction), parallel decisions on the same link wait for each other."""
    max_age = datetime.timedelta(days=settings.PORTAL_REVIEW_LINK_DAYS)
    task_states = LinkReviewTaskState.objects.all()
    if lock:
        task_states = task_states.select_for_update(of=("self",))
    try:
        pk, nonce = signing.loads(token, salt=SALT, max_age=max_age)
        task_state = task_states.get(pk=int(pk))
    except signing.SignatureExpired:
        raise ReviewLinkError(LinkProblem.EXPIRED) from None
    except (signing.BadSignature, ValueError, TypeError, LinkReviewTaskState.DoesNotExist):
        raise ReviewLinkError(LinkProblem.INVALID) from None
    if task_state.status != task_state.STATUS_IN_PROGRESS:
        raise ReviewLinkError(LinkProblem.DECIDED)
    page = task_state.workflow_state.content_object
    if nonce != task_state.link_nonce.hex or page.latest_revision_id != task_state.revision_id:
        raise ReviewLinkError(LinkProblem.SUPERSEDED)
    return task_state


def record_view(task_state):
    page = task_state.workflow_state.content_object
    log(page, "portal.review_link.view", data={"task": task_state.task.name})


def decide(token: str, decision: str, comment: str):
    """The reviewer's decision: "approve" or "reject" (with a comment), once: the link is
    checked again under a row lock, so a double click decides only once."""
    with transaction.atomic():
        task_state = task_state_for(token, lock=True)
        _decide(task_state, decision, comment)


def _decide(task_state, decision: str, comment: str):
    page = task_state.workflow_state.content_object
    log(
        page,
        f"portal.review_link.{decision}",
        data={"task": task_state.task.name, "comment": comment},
    )
    if decision == "approve":
        task_state.approve(comment=comment)
    else:
        task_state.reject(comment=comment)


def override(task_state, user, decision: str, comment: str):
    """Freigabe or Administration decides in the reviewer's place (no stuck pages)."""
    page = task_state.workflow_state.content_object
    log(
        page,
        "portal.review_link.override",
        user=user,
        data={"task": task_state.task.name, "decision": decision, "comment": comment},
    )
    if decision == "approve":
        task_state.approve(user=user, comment=comment)
    else:
        task_state.reject(user=user, comment=comment)


# The reviewer's pages -------------------------------------------------------------------

REVIEW_PROBLEM_STATUS = {"invalid": 400, "expired": 410, "decided": 410, "superseded": 409}


def review_page(request, context, status=200):
    """The review page (or why the link no longer works): personal, so never cached."""
    return private(TemplateResponse(request, "portal/review_link.html", context, status=status))


def problem_page(request, error: ReviewLinkError):
    status = REVIEW_PROBLEM_STATUS[error.problem]
    return review_page(request, {"problem": str(error.problem)}, status)


@require_http_methods(["GET", "HEAD", "POST"])
def review_link(request, token):
    """The reviewer's page: the submitted revision and the decision. A GET (which mail
    scanners make too) only shows; the POST with the form's CSRF token decides, once."""
    try:
        task_state = task_state_for(token)
    except ReviewLinkError as error:
        return problem_page(request, error)
    page = task_state.revision.as_object()
    context = {"task": task_state.task.specific, "reviewed_page": page, "token": token}
    if request.method != "POST":
        record_view(task_state)
        return review_page(request, context)
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "").strip()[:2000]
    if decision == "reject" and not comment:
        return review_page(request, {**context, "comment_missing": True}, 400)
    if decision not in {"approve", "reject"}:
        return review_page(request, context, 400)
    try:
        decide(token, decision, comment)
    except ReviewLinkError as error:
        return problem_page(request, error)
    return review_page(request, {**context, "decided": decision})


@require_safe
def review_preview(request, token):
    """The revision under review as the page would look, for the review page's frame."""
    try:
        task_state = task_state_for(token)
    except ReviewLinkError as error:
        raise Http404 from error
    page = task_state.revision.as_object()
    response = page.make_preview_request(request, page.default_preview_mode)
    # shown in the review page's frame: the site's X-Frame-Options DENY would block it (the
    # CSP middleware lets previews be framed by this site)
    response["X-Frame-Options"] = "SAMEORIGIN"
    return private(response)
