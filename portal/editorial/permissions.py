"""The admin's page permission check: publishing directly, past the workflow, is for
PORTAL_DIRECT_PUBLISH_GROUPS only (portal/editorial/publishing.py)."""

from wagtail.models import PagePermissionTester

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
