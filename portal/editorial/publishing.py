"""Who may publish without the approval workflow, and how an approved change goes live.

Wagtail lets anyone with the page permission "publish" publish directly, even where a
workflow applies. In a city administration only the Administration role may do that
(`PORTAL_DIRECT_PUBLISH_GROUPS`); everyone else's changes, translations included, go
through the four-eyes workflow: every page type inherits BasePage, whose
`permissions_for_user` returns PortalPagePermissionTester (permissions.py).

Imported by Wagtail's models (WAGTAIL_FINISH_WORKFLOW_ACTION): no model imports here.
"""

from django.conf import settings


def may_publish_directly(user) -> bool:
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=direct_publish_groups()).exists()


def direct_publish_groups() -> list[str]:
    """PORTAL_DIRECT_PUBLISH_GROUPS, and each municipality's group of that name ("Administration
    Lindental"): its page permissions keep it to its own site. With Administration, also the
    installation's operators (Betrieb)."""
    from wagtail.models import Site

    names = list(settings.PORTAL_DIRECT_PUBLISH_GROUPS)
    sites = Site.objects.filter(is_default_site=False).values_list("site_name", flat=True)
    # The installation's operators publish wherever an Administration may: they stand in
    # for every site's (roles.BETRIEB, named here as publishing.py imports no roles).
    operators = ["Betrieb"] if "Administration" in names else []
    return names + operators + [f"{name} {site}" for name in names for site in sites]


def publish_approved(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: the last approval publishes the change.

    The approval was the permission check (the task's `get_actions` allowed it), so the
    approver need not be allowed to publish directly.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
