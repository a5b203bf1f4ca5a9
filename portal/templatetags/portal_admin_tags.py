"""Template tags for the admin (the translation editor's way into the workflow)."""

from django import template
from django.urls import reverse

from portal.editorial.publishing import may_publish_directly

register = template.Library()


@register.inclusion_tag("portal/admin/translation_review.html", takes_context=True)
def translation_review(context, page, translation):
    user = context["request"].user
    page = page.specific
    workflow_state = page.current_workflow_state
    permissions = page.permissions_for_user(user)
    return {
        "review": {
            "workflow": page.get_workflow(),
            "in_progress": workflow_state is not None,
            "current_task": page.current_workflow_task,
            "publishes_directly": may_publish_directly(user),
            "can_submit": permissions.can_edit() and permissions.can_submit_for_moderation(),
            "submit_url": reverse("portal_submit_translation", args=[translation.pk]),
        },
        "request": context["request"],
    }
