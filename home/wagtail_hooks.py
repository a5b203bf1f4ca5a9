from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import BarrierReport


class BarrierReportViewSet(ModelViewSet):
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


@hooks.register("register_admin_viewset")
def register_barrier_reports():
    return BarrierReportViewSet("barrier_reports")
