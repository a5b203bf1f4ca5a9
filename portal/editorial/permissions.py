"""Who may do what in the admin: the page permission check (publishing directly, past the
workflow, is for PORTAL_DIRECT_PUBLISH_GROUPS only, portal/editorial/publishing.py), and
which pages and sites are within a user's reach once there are several municipalities
(site_scope.py applies that to every admin view)."""

from wagtail.models import GroupPagePermission, PagePermissionTester, Site

from ..sites import several_sites, under_any
from .publishing import may_publish_directly


class PortalPagePermissionTester(PagePermissionTester):
    """Publishing directly, past the workflow, is for PORTAL_DIRECT_PUBLISH_GROUPS only.

    Every page type inherits BasePage, so this covers the whole admin: the editor's
    buttons, bulk actions, copying, and wagtail-localize's publish paths, which all ask
    `can_publish()`. Publish permission still lets Freigabe unpublish and manage schedules.
    """

    def _bypasses_workflow(self, page) -> bool:
        if not hasattr(self, "_direct_publisher"):
            self._direct_publisher = may_publish_directly(self.user)
        return self._direct_publisher or page.get_workflow() is None

    def can_publish(self):
        return super().can_publish() and self._bypasses_workflow(self.page)

    def can_publish_subpage(self):
        # A new page gets the workflow of its parent.
        return super().can_publish_subpage() and self._bypasses_workflow(self.page)

    def can_unschedule(self):
        return PagePermissionTester.can_publish(self)

    def can_set_view_restrictions(self):
        return PagePermissionTester.can_publish(self)


def within_reach(user, pages):
    """`pages` (a page queryset) limited to the trees where `user` holds page permissions
    (everything for superusers, and everything while the installation has one site): with
    several municipalities in one installation, one site's staff never see another's pages
    in choosers and registration lists."""
    if user.is_superuser or not several_sites():
        return pages
    granted = GroupPagePermission.objects.filter(group__user=user)
    inside = under_any("path", granted.values_list("page__path", flat=True))
    return pages.filter(inside) if inside else pages.none()


def sites_within_reach(user) -> list[int] | None:
    """The ids of the sites whose home page the user holds page permissions on; None for
    "every site" (superusers, and everyone while the installation has one site). Asked once
    per user object (a request's user), however many views, log models and checks ask."""
    if not hasattr(user, "_portal_sites_within_reach"):
        user._portal_sites_within_reach = find_sites_within_reach(user)
    return user._portal_sites_within_reach


def find_sites_within_reach(user) -> list[int] | None:
    if user.is_superuser or not several_sites():
        return None
    granted = GroupPagePermission.objects.filter(group__user=user)
    inside = under_any("root_page__path", granted.values_list("page__path", flat=True))
    if not inside:
        return []
    return list(Site.objects.filter(inside).values_list("pk", flat=True))
