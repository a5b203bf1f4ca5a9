from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Site
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .checklist import SetupChecklistPanel
from .models import SiteTexts


class SiteTextsViewSet(SnippetViewSet):
    model = SiteTexts
    icon = "globe"
    menu_label = _("Site texts")
    list_display = ["site_name", "municipality", "locale"]


register_snippet(SiteTextsViewSet)


@hooks.register("construct_homepage_panels")
def add_setup_checklist(request, panels):
    panels.insert(0, SetupChecklistPanel(Site.find_for_request(request)))
