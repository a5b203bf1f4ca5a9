"""The portal's dashboard panels: what a fresh fork still has to fill in before going live,
and the pages overdue for review.

Domain apps add to the go-live checklist with the hook "portal_setup_checklist": a function
of the site returning items {"text": …, "url": …} (e.g. home's unfinished legal pages)."""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Locale, Site

from portal.models import PortalSettings, SiteTexts


def missing_setup(site: Site) -> list[dict]:
    """Each missing item with a link to where it is fixed."""
    items = []
    own_or_shared = SiteTexts.objects.filter(Q(site=site) | Q(site__isnull=True))
    texts_by_language = {
        texts.locale.language_code: texts for texts in own_or_shared.select_related("locale")
    }
    texts_url = reverse("wagtailsnippets_portal_sitetexts:list")
    for code, name in settings.LANGUAGES:
        texts = texts_by_language.get(code)
        if texts is None:
            items.append(
                {
                    "text": _("Site texts (site name, funding notice) are missing in %(language)s.")
                    % {"language": name},
                    "url": texts_url,
                }
            )
    portal_settings = PortalSettings.for_site(site)
    settings_url = reverse("wagtailsettings:edit", args=["portal", "portalsettings", site.pk])
    for field, label in [
        ("imprint_page_id", _("No imprint page is chosen in the portal settings.")),
        ("privacy_page_id", _("No privacy page is chosen in the portal settings.")),
        (
            "accessibility_page_id",
            _("No accessibility statement is chosen in the portal settings."),
        ),
    ]:
        if getattr(portal_settings, field) is None:
            items.append({"text": label, "url": settings_url})
    for contribute in hooks.get_hooks("portal_setup_checklist"):
        items += contribute(site)
    if not portal_settings.contact_email:
        items.append({"text": _("No contact e-mail address is set."), "url": settings_url})
    if Locale.objects.count() < len(settings.LANGUAGES):
        items.append(
            {"text": _("Run `manage.py setup_portal` to create all languages."), "url": ""}
        )
    return items


class SetupChecklistPanel(Component):
    name = "portal_setup_checklist"
    template_name = "portal/admin/setup_checklist.html"
    order = 50

    def __init__(self, site):
        self.site = site

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["items"] = missing_setup(self.site) if self.site else []
        return context


class OverdueReviewsPanel(Component):
    name = "portal_overdue_reviews"
    template_name = "portal/admin/overdue_reviews_panel.html"
    order = 230

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        from wagtail.permission_policies.pages import PagePermissionPolicy

        from .review_dates import overdue_pages

        context = super().get_context_data(parent_context)
        editable = PagePermissionPolicy().instances_user_has_any_permission_for(
            self.user, ["change"]
        )
        editable_ids = set(editable.values_list("pk", flat=True))
        context["pages"] = [page for page in overdue_pages() if page.pk in editable_ids]
        return context
