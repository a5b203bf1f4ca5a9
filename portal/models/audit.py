"""The audit log of rows that belong to one municipality (site texts, settings, barrier
reports, registrations, images, documents, search promotions): Wagtail's site history shows
them only to that site's staff and the installation's.

Wagtail logs non-page models to one shared table and shows an entry to everyone with any
permission on its model; this log entry model, registered per model (`register_log_actions`
hooks), records the owning site as well. A model tells its site by a `site` field, a page it
belongs to (`owner_page()`), or the collection it is filed in.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry
from wagtail.models.audit_log import BaseLogEntryManager

from ..sites import has_site_field, site_id_of
from .site import PortalSettings, site_field

WORKING_ACTIONS = ["add", "change", "delete", "view", "choose"]


def owning_site_id(instance) -> int | None:
    """site_id_of, and for images and documents the site whose collection holds them."""
    if has_site_field(type(instance)) or hasattr(instance, "owner_page"):
        return site_id_of(instance)
    if getattr(instance, "collection_id", None):
        site = PortalSettings.site_of_collection(instance.collection)
        return site.pk if site is not None else None
    return None


class SiteLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.update(object_id=str(instance.pk), site_id=owning_site_id(instance))
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        )

    def viewable_by_user(self, user):
        """Entries of models the user may work on (by Wagtail's permission policy of each:
        collections for images and documents, sites for settings), of the user's own sites.

        Not through Wagtail's implementation: it asks only for model permissions, and
        remembers them on the user object from whichever log model asked first."""
        from wagtail.permissions import policy_registry

        from ..editorial.permissions import sites_within_reach

        if user.is_superuser:
            return self.all()
        allowed = []
        for content_type_id in self.order_by().values_list("content_type_id", flat=True).distinct():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            policy = model and policy_registry.get_by_type(model)
            if policy and policy.user_has_any_permission(user, WORKING_ACTIONS):
                allowed.append(content_type_id)
        entries = self.filter(content_type_id__in=allowed)
        sites = sites_within_reach(user)
        return entries if sites is None else entries.filter(site__in=sites)


class SiteLogEntry(BaseLogEntry):
    object_id = models.CharField(max_length=255, db_index=True)
    # empty: the installation's (only its staff see the entry)
    site = site_field()

    objects = SiteLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("site log entry")
        verbose_name_plural = _("site log entries")

    def __str__(self):
        return (
            f"SiteLogEntry {self.pk}: {self.action} on {self.object_verbose_name} {self.object_id}"
        )
