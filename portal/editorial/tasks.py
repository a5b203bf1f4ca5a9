"""The workflow steps: four-eyes approval by a group, and review by a signed link for
someone without an account (sending and deciding: review_links.py)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask, Task, TaskState


def involved_in_change(obj, user) -> bool:
    """Whether the user wrote, submitted or already approved the change under review.

    The change is everything since the live version: every revision after it (whoever
    submitted), and for translations the translated texts, which wagtail-localize stores
    outside page revisions.
    """
    workflow_state = obj.current_workflow_state
    if workflow_state is None:
        return False
    if workflow_state.requested_by_id == user.pk:
        return True
    live_revision = getattr(obj, "live_revision", None)
    since = live_revision.created_at if live_revision else None
    revisions = obj.revisions.all()
    if since:
        revisions = revisions.filter(created_at__gt=since)
    if revisions.filter(user=user).exists():
        return True
    if _translated_by(obj, user, since):
        return True
    return workflow_state.task_states.filter(
        status=TaskState.STATUS_APPROVED, finished_by=user
    ).exists()


def _translated_by(obj, user, since) -> bool:
    from wagtail_localize.models import SegmentOverride, StringTranslation

    for model in (StringTranslation, SegmentOverride):
        texts = model.objects.filter(
            context__object_id=obj.translation_key,
            locale_id=obj.locale_id,
            last_translated_by=user,
        )
        if since:
            texts = texts.filter(updated_at__gt=since)
        if texts.exists():
            return True
    return False


class FourEyesApprovalTask(AbstractGroupApprovalTask):
    """A group approval step in which nobody approves their own text.

    Refused for whoever submitted the page or wrote a revision while it is in the workflow,
    and for whoever already approved an earlier step, so two different people check every
    change. A rejection needs a comment, which Wagtail e-mails to the author.
    """

    class Meta:
        verbose_name = _("four-eyes approval")
        verbose_name_plural = _("four-eyes approvals")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve; never the author of the change, nor "
            "someone who approved an earlier step. Rejections need a comment."
        )

    def get_actions(self, obj, user):
        if not super().get_actions(obj, user) or self.involved(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def involved(self, obj, user) -> bool:
        return involved_in_change(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        # "Awaiting your review" on the dashboard leaves out the user's own changes
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)

    def get_form_for_action(self, action):
        if action == "reject":
            return RejectionCommentForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        # The checks again: the editor's own form posts actions without the modal's form.
        obj = task_state.workflow_state.content_object
        if action_name not in {name for name, _label, _modal in self.get_actions(obj, user)}:
            raise PermissionDenied
        if action_name == "reject" and not (kwargs.get("comment") or "").strip():
            raise PermissionDenied(_("A rejection needs a comment."))
        return super().on_action(task_state, user, action_name, **kwargs)


class RequiredCommentForm(TaskStateCommentForm):
    """Wagtail's workflow comment form with the comment required."""

    help_text = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True
        self.fields["comment"].help_text = self.help_text


class RejectionCommentForm(RequiredCommentForm):
    help_text = _("Tell the author what to change; they receive it by e-mail.")


class LinkReviewTaskState(TaskState):
    """A review by link: which link is valid (the nonce changes when a link is re-sent)."""

    link_nonce = models.UUIDField(default=uuid.uuid4)
    link_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review by link")
        verbose_name_plural = _("reviews by link")


class LinkReviewTask(Task):
    """A workflow step decided by someone without an account, through a signed link sent
    by e-mail (e.g. a department head or a partner organisation).

    The page is locked while the link is out, so the reviewer decides on exactly the
    revision they saw. Freigabe and Administration can re-send the link or decide in the
    reviewer's place, with a comment; everything is written to the audit log.
    """

    reviewer_name = models.CharField(
        _("reviewer"), max_length=120, blank=True, help_text=_("e.g. Amtsleitung Soziales")
    )
    reviewer_email = models.EmailField(
        _("reviewer's e-mail address"), help_text=_("The review link is sent here.")
    )

    admin_form_fields = [*Task.admin_form_fields, "reviewer_name", "reviewer_email"]
    task_state_class = LinkReviewTaskState
    # Who may re-send the link or decide instead of the reviewer
    override_groups = ("Freigabe", "Administration")

    class Meta:
        verbose_name = _("review by link")
        verbose_name_plural = _("reviews by link")

    @classmethod
    def get_description(cls):
        return _("A person without an account approves or rejects through a link sent by e-mail.")

    def start(self, workflow_state, user=None):
        from .review_links import send_review_link

        task_state = super().start(workflow_state, user=user)
        send_review_link(task_state, user=user)
        return task_state

    def locked_for_user(self, obj, user):
        return True  # a newer revision would not be the one the reviewer saw

    def may_override(self, obj, user) -> bool:
        if not (user.is_superuser or user.groups.filter(name__in=self.override_groups).exists()):
            return False
        return not involved_in_change(obj, user)

    def get_actions(self, obj, user):
        if not self.may_override(obj, user):
            return []
        return [
            ("resend", _("Send the review link again"), False),
            ("override_approve", _("Approve in the reviewer's place"), True),
            ("override_reject", _("Reject in the reviewer's place"), True),
        ]

    def get_form_for_action(self, action):
        if action.startswith("override_"):
            return OverrideCommentForm
        return None

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if user.is_superuser or user.groups.filter(name__in=self.override_groups).exists():
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    def on_action(self, task_state, user, action_name, **kwargs):
        from .review_links import override, send_review_link

        obj = task_state.workflow_state.content_object
        if action_name not in {name for name, _label, _modal in self.get_actions(obj, user)}:
            raise PermissionDenied
        if action_name == "resend":
            return send_review_link(task_state.specific, user=user, resend=True)
        comment = (kwargs.get("comment") or "").strip()
        if not comment:
            raise PermissionDenied(_("Deciding in the reviewer's place needs a comment."))
        return override(task_state.specific, user, action_name.removeprefix("override_"), comment)


class OverrideCommentForm(RequiredCommentForm):
    help_text = _("Why you decide in the reviewer's place; it is kept in the page's history.")
