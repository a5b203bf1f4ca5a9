from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import get_page_models

from portal.editorial.site_scope import SiteOwnedViewSet
from portal.models import SiteLogEntry
from portal.sites import in_site

from .models import BarrierReport, PlaceholderPage


class BarrierReportViewSet(SiteOwnedViewSet, ModelViewSet):
    """Reports from the accessibility statement's form. Staff mark them answered and keep an
    internal note; the reporter's words are not editable. Access needs the model's view or
    change permission (Administration has them, see portal/roles.py)."""

    model = BarrierReport
    icon = "warning"
    menu_label = _("Barrier reports")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["created_at", "description", "page_url", "handled"]
    list_filter = ["handled", "locale"]
    search_fields = ["description", "page_url"]
    form_fields = ["handled", "note"]
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_fields = [
        "created_at",
        "locale",
        "page_url",
        "description",
        "name",
        "email",
        "handled",
        "note",
    ]

    # Reports come only from the public form: no "add" view or button.
    def get_common_view_kwargs(self, **kwargs):
        return {**super().get_common_view_kwargs(**kwargs), "add_url_name": None}

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]


@hooks.register("register_log_actions")
def log_barrier_reports_per_site(actions):
    actions.register_model(BarrierReport, SiteLogEntry)


@hooks.register("register_admin_viewset")
def register_barrier_reports():
    return BarrierReportViewSet("barrier_reports")


@hooks.register("portal_role_permissions")
def barrier_report_permissions():
    """Approvers read and answer barrier reports (portal/editorial/roles.py)."""
    return {"Freigabe": ["home.view_barrierreport", "home.change_barrierreport"]}


@hooks.register("portal_setup_checklist")
def unfilled_placeholders(site) -> list[dict]:
    """For the go-live checklist: the site's legal and accessibility pages (any language)
    whose text still has a "[Platzhalter: …]" from the skeleton, with a link to edit them."""

    items = []
    for model in get_page_models():
        if not issubclass(model, PlaceholderPage):
            continue
        for page in in_site(model.objects.select_related("locale"), site):
            count = len(page.placeholders())
            if count:
                items.append(
                    {
                        "text": gettext(
                            "“%(title)s” (%(language)s) still contains %(count)s "
                            "placeholder(s) to fill in."
                        )
                        % {
                            "title": page.title,
                            "language": page.locale.get_display_name(),
                            "count": count,
                        },
                        "url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
                    }
                )
    return items
