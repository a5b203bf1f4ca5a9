"""Acting as the portal's roles through the real admin views (shared by the workflow tests)."""

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import nested_form_data
from wagtail_localize.models import Translation

from labs.models import ActorPage
from tests.labs.factories import ActorPageFactory
from tests.portal.factories import published, translated


def user_with_role(username, role=None, email=None):
    user = get_user_model().objects.create_user(
        username=username, email=email or f"{username}@example.org", password="not-used-here"
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def actor_form(page, **fields):
    data = {
        "title": page.title,
        "slug": page.slug,
        "sector": page.sector,
        "kind": page.kind,
        "teaser": page.teaser,
        "description": page.description,
        "city": page.city,
        **fields,
    }
    return nested_form_data(data)


def edit(client, page, action=None, **fields):
    """Post the page editor; `action` is Wagtail's button name (submit, publish) or None for
    "save draft"."""
    data = actor_form(page.specific, **fields)
    if action:
        data[f"action-{action}"] = action
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def workflow_action(client, page, action, comment=""):
    page = Page.objects.get(pk=page.pk).specific
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


# The page the workflow tests edit: an actor of its own, so they need no demo content.
ACTOR = {
    "title": "Stadtteilladen Teststadt",
    "slug": "stadtteilladen-teststadt",
    "sector": "business",
    "teaser": "Ein Laden, in dem sich die Nachbarschaft trifft.",
    "description": "Verkauft regionale Waren und leiht Werkzeug aus.",
    "city": "Teststadt",
}
ACTOR_IN_ENGLISH = {
    ACTOR["title"]: "Neighbourhood shop Teststadt",
    ACTOR["teaser"]: "A shop where the neighbourhood meets.",
    ACTOR["description"]: "Sells regional goods and lends tools.",
}


def german_actor():
    """The German actor page, built and published the first time a test asks for it and
    the same page after that (every test's changes are rolled back)."""
    actor = ActorPage.objects.filter(slug=ACTOR["slug"], locale=Locale.get_default()).first()
    return actor or published(ActorPageFactory(**ACTOR))


def english_actor():
    """Its English version, a wagtail-localize translation as editors make them."""
    german = german_actor()
    english = german.get_translation_or_none(Locale.objects.get(language_code="en"))
    return english.specific if english else translated(german, ACTOR_IN_ENGLISH)


def translate_title(client, page, text):
    """What the translation editor does when a translator changes the title."""
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=page.locale
    )
    segment = translation.source.stringsegment_set.get(context__path="title")
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    return client.put(
        url, urlencode({"value": text}), content_type="application/x-www-form-urlencoded"
    ), translation


def reload(page):
    return Page.objects.get(pk=page.pk).specific


def denied(response) -> bool:
    """A 403, or Wagtail's permission-denied redirect to the dashboard (or the login)."""
    if response.status_code == 403:
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location == reverse("wagtailadmin_home")
        or location.startswith(reverse("wagtailadmin_login"))
    )
