from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Lab topics")
    list_display = ["name", "slug", "locale"]


register_snippet(TopicViewSet)


@hooks.register("portal_role_permissions")
def topic_permissions():
    """Editors and approvers maintain the lab topics (portal/editorial/roles.py)."""
    topics = ["labs.add_topic", "labs.change_topic"]
    return {"Redaktion": topics, "Freigabe": topics}


@hooks.register("portal_api_endpoints")
def lab_collections():
    """The open data API's labs and partners (portal/api.py)."""
    from .api import Actors, Labs

    return [("labs", Labs), ("partners", Actors)]
