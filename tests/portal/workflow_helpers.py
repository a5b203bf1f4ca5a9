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


def german_actor(slug="quartiersladen"):
    return ActorPage.objects.get(slug=slug, locale__language_code="de")


def english_actor(slug="quartiersladen"):
    return german_actor(slug).get_translation(Locale.objects.get(language_code="en")).specific


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
