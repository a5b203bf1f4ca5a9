"""Who may do what, through the real admin views, in the German and the English page tree.

One assertion per role and action: the action's effect happened (allowed) or did not
(denied: a 403 or Wagtail's permission-denied redirect, and nothing changed). Each action
checks its effect, not only the status code, so a view that answers 200 but does nothing
counts as denied, and a forged request that slips through counts as allowed.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data
from wagtail_localize.models import TranslationSource

from events.models import EventPage
from labs.models import ActorIndexPage
from tests.portal.workflow_helpers import (
    client_for,
    edit,
    english_actor,
    german_actor,
    reload,
    translate_title,
    user_with_role,
    workflow_action,
)

ROLES = ["redaktion", "freigabe", "administration", "no_role", "anonymous"]
ROLE_GROUPS = {"redaktion": "Redaktion", "freigabe": "Freigabe", "administration": "Administration"}
EDITORS = {"redaktion", "freigabe", "administration"}

EXPECTED = {
    "create": EDITORS,
    "edit": EDITORS,
    "submit": EDITORS,
    "approve step 1": {"redaktion"},
    "approve step 2": {"freigabe"},
    "approve own change": set(),
    "reject": {"redaktion"},  # at step 1; step 2 rejections are Freigabe's (workflow tests)
    "publish directly": {"administration"},
    "unpublish": {"freigabe", "administration"},
    "schedule": {"administration"},
    "unschedule": {"freigabe", "administration"},
    "view revisions, history and preview": EDITORS,
    "publish a translation": {"administration"},
    "site settings": {"administration"},
    "users": {"administration"},
    "registrations of an event": {"freigabe", "administration"},
    "CSV export": {"freigabe", "administration"},
}
PAGE_ACTIONS = [
    "create",
    "edit",
    "submit",
    "approve step 1",
    "approve step 2",
    "approve own change",
    "reject",
    "publish directly",
    "unpublish",
    "view revisions, history and preview",
]
GERMAN_ONLY = ["schedule", "unschedule"]  # the translation editor has no schedule
SITE_ACTIONS = [
    "publish a translation",
    "site settings",
    "users",
    "registrations of an event",
    "CSV export",
]
CASES = (
    [(action, language) for action in PAGE_ACTIONS for language in ["de", "en"]]
    + [(action, "de") for action in GERMAN_ONLY]
    + [(action, None) for action in SITE_ACTIONS]
)


class Scene:
    """The portal as the role finds it: the page under test in the chosen language and
    colleagues who write and review."""

    def __init__(self, role, language):
        self.role = role
        self.language = language
        self.user = None
        if role != "anonymous":
            self.user = user_with_role(f"matrix-{role}", ROLE_GROUPS.get(role))
        self.client = client_for(self.user)
        self.writer = client_for(user_with_role("matrix-writer", "Redaktion"))
        self.reviewer = client_for(user_with_role("matrix-reviewer", "Redaktion"))
        self.admin = client_for(user_with_role("matrix-admin", "Administration"))

    @property
    def page(self):
        return reload(german_actor() if self.language == "de" else english_actor())

    def change(self, client, title):
        """Write a change as `client` and submit it for approval."""
        page = self.page
        if self.language == "de":
            edit(client, page, "submit", title=title)
        else:
            _response, translation = translate_title(client, page, title)
            client.post(reverse("portal_submit_translation", args=[translation.pk]))
        return reload(page).workflow_in_progress

    def at_step(self, step):
        assert self.change(self.writer, "Zur Prüfung")
        if step == 2:
            workflow_action(self.reviewer, self.page, "approve")
        return self.page


def act(scene, action):
    client, page = scene.client, scene.page
    if action == "create":
        parent = ActorIndexPage.objects.get(locale=page.locale)
        url = reverse("wagtailadmin_pages:add", args=["labs", "actorpage", parent.pk])
        client.post(
            url,
            nested_form_data(
                {"title": "Neu", "slug": "matrix-neu", "sector": "research", "kind": "person"}
            ),
        )
        return parent.get_children().filter(slug="matrix-neu").exists()
    if action == "edit":
        if scene.language == "de":
            edit(client, page, None, title="Bearbeitet")
            return reload(page).get_latest_revision().as_object().title == "Bearbeitet"
        response, _translation = translate_title(client, page, "Edited")
        return response.status_code in {200, 201}
    if action == "submit":
        return scene.change(client, "Eingereicht")
    if action in {"approve step 1", "approve step 2"}:
        page = scene.at_step(1 if action == "approve step 1" else 2)
        before = page.current_workflow_task_state.pk
        workflow_action(client, page, "approve")
        state = reload(page).current_workflow_task_state
        return state is None or state.pk != before
    if action == "approve own change":
        if scene.role not in EDITORS:
            page = scene.at_step(1)
        else:
            assert scene.change(client, "Eigene Änderung")
            if scene.role == "freigabe":
                workflow_action(scene.reviewer, scene.page, "approve")
            page = scene.page
        before = page.current_workflow_task_state.pk
        workflow_action(client, page, "approve")
        state = reload(page).current_workflow_task_state
        return state is None or state.pk != before
    if action == "reject":
        page = scene.at_step(1)
        workflow_action(client, page, "reject", comment="Bitte überarbeiten.")
        return reload(page).current_workflow_state.status == "needs_changes"
    if action == "publish directly":
        if scene.language == "de":
            edit(client, page, "publish", title="Direkt veröffentlicht")
        else:
            translate_title(scene.admin, page, "Published directly")
            client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action": "publish"})
        return reload(page).title in {"Direkt veröffentlicht", "Published directly"}
    if action == "unpublish":
        client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
        return not reload(page).live
    if action == "schedule":
        go_live = timezone.localtime() + datetime.timedelta(days=3)
        edit(client, page, "publish", title="Geplant", go_live_at=f"{go_live:%Y-%m-%d %H:%M}")
        return reload(page).scheduled_revision is not None
    if action == "unschedule":
        go_live = timezone.localtime() + datetime.timedelta(days=3)
        edit(scene.admin, page, "publish", title="Geplant", go_live_at=f"{go_live:%Y-%m-%d %H:%M}")
        revision = reload(page).scheduled_revision
        assert revision is not None
        url = reverse("wagtailadmin_pages:revisions_unschedule", args=[page.pk, revision.pk])
        client.post(url)
        return reload(page).scheduled_revision is None
    if action == "view revisions, history and preview":
        revision = page.get_latest_revision()
        urls = [
            reverse("wagtailadmin_pages:history", args=[page.pk]),  # with the revisions
            reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]),  # preview
        ]
        return all(client.get(url).status_code == 200 for url in urls)
    if action == "publish a translation":
        german, english = german_actor(), english_actor()
        german.title = "Stadtteilladen, neuer Name"
        german.save_revision().publish()
        source = TranslationSource.objects.get(object_id=german.translation_key)
        client.post(
            reverse("wagtail_localize:update_translations", args=[source.pk]),
            {"publish_translations": "on"},
        )
        return reload(english).title == "Stadtteilladen, neuer Name"
    if action == "site settings":
        site = Site.objects.get(is_default_site=True)
        url = reverse("wagtailsettings:edit", args=["portal", "portalsettings", site.pk])
        return client.get(url).status_code == 200
    if action == "users":
        return client.get(reverse("wagtailusers_users:index")).status_code == 200
    event = EventPage.objects.get(registration_mode="built_in", locale__language_code="de")
    if action == "registrations of an event":
        url = reverse("event_registrations:event", args=[event.translation_key])
        return client.get(url).status_code == 200
    if action == "CSV export":
        response = client.get(reverse("event_registrations:export", args=[event.translation_key]))
        return response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    raise AssertionError(action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "language"), CASES)
def test_permission_matrix(demo, django_capture_on_commit_callbacks, role, action, language):
    scene = Scene(role, language or "de")
    with django_capture_on_commit_callbacks(execute=True):
        happened = act(scene, action)
    assert happened == (role in EXPECTED[action])
