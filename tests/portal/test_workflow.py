"""The editorial process of a fresh fork: roles, the four-eyes workflow, translations that
go live only through it, and scheduled publishing."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Locale, Page, Workflow
from wagtail_localize.models import TranslationSource

from portal.editorial.roles import WORKFLOW_NAME
from tests.portal.workflow_helpers import (
    client_for,
    denied,
    edit,
    english_actor,
    german_actor,
    reload,
    translate_title,
    user_with_role,
    workflow_action,
)


@pytest.fixture
def people(demo):
    return {
        "author": user_with_role("autorin", "Redaktion"),
        "colleague": user_with_role("kollege", "Redaktion"),
        "approver": user_with_role("chefin", "Freigabe"),
        "admin": user_with_role("admin-rolle", "Administration"),
    }


def test_setup_creates_the_roles_and_one_workflow_for_every_page(demo):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Redaktion",
        "Freigabe",
        "Administration",
    }
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    active = set(Workflow.objects.filter(active=True).values_list("name", flat=True))
    assert WORKFLOW_NAME in active and "Moderators approval" not in active
    for page in [german_actor(), english_actor(), demo["en"]]:
        assert page.get_workflow().name == WORKFLOW_NAME
    root = Page.get_first_root_node()
    redaktion = GroupPagePermission.objects.filter(group__name="Redaktion", page=root)
    assert set(redaktion.values_list("permission__codename", flat=True)) == {
        "add_page",
        "change_page",
    }


def test_setup_is_idempotent(demo):
    before = {
        "permissions": GroupPagePermission.objects.count(),
        "groups": Group.objects.count(),
        "workflows": Workflow.objects.count(),
    }
    call_command("setup_portal", stdout=io.StringIO())
    assert before == {
        "permissions": GroupPagePermission.objects.count(),
        "groups": Group.objects.count(),
        "workflows": Workflow.objects.count(),
    }


def test_submit_then_two_approvals_publish_the_change(people):
    page = german_actor()
    author = client_for(people["author"])
    assert edit(author, page, "submit", title="Stadtteilladen (neu)").status_code == 302
    page = reload(page)
    assert page.workflow_in_progress
    assert page.title != "Stadtteilladen (neu)"  # the live page is unchanged

    assert workflow_action(client_for(people["colleague"]), page, "approve").status_code == 302
    page = reload(page)
    assert page.current_workflow_task.name == "Freigabe"
    assert page.title != "Stadtteilladen (neu)"

    workflow_action(client_for(people["approver"]), page, "approve")
    page = reload(page)
    assert not page.workflow_in_progress
    assert page.live and page.title == "Stadtteilladen (neu)"


def test_nobody_approves_their_own_change(people):
    page = german_actor()
    author = client_for(people["author"])
    edit(author, page, "submit", title="Eigenlob")
    assert denied(workflow_action(author, page, "approve"))
    assert reload(page).current_workflow_task.name == "Redaktionelle Prüfung"

    # a reviewer who edits the page during review has written it too
    colleague = client_for(people["colleague"])
    edit(colleague, page, None, title="Eigenlob, verbessert")
    assert denied(workflow_action(colleague, page, "approve"))
    assert denied(workflow_action(author, page, "approve"))
    assert not reload(page).title.startswith("Eigenlob")


def test_the_first_approver_cannot_approve_the_second_step(people):
    both = user_with_role("doppelrolle", "Redaktion")
    both.groups.add(Group.objects.get(name="Freigabe"))
    page = german_actor()
    edit(client_for(people["author"]), page, "submit", title="Vier Augen")
    reviewer = client_for(both)
    assert workflow_action(reviewer, page, "approve").status_code == 302
    assert denied(workflow_action(reviewer, page, "approve"))
    assert reload(page).current_workflow_task.name == "Freigabe"


def test_rejection_needs_a_comment_and_mails_the_author(people):
    page = german_actor()
    edit(client_for(people["author"]), page, "submit", title="Mit Fehlern")
    colleague = client_for(people["colleague"])
    mail.outbox.clear()
    modal = colleague.post(
        reverse(
            "wagtailadmin_pages:collect_workflow_action_data",
            args=[page.pk, "reject", reload(page).current_workflow_task_state.pk],
        ),
        {"comment": ""},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert "Dieses Feld muss ausgefüllt werden" in modal.json()["html"]
    workflow_action(colleague, page, "reject", comment="   ")
    assert reload(page).current_workflow_state.status == "in_progress"

    workflow_action(colleague, page, "reject", comment="Bitte die Stadt ergänzen.")
    assert reload(page).current_workflow_state.status == "needs_changes"
    to_author = [m for m in mail.outbox if m.to == [people["author"].email]]
    assert to_author, [m.to for m in mail.outbox]
    assert "Bitte die Stadt ergänzen." in to_author[0].body


def test_a_rejection_forged_without_comment_is_refused(people):
    """The editor's own form posts workflow actions without the modal's form."""
    page = german_actor()
    edit(client_for(people["author"]), page, "submit", title="Mit Fehlern")
    reviewer = user_with_role("pruefer", "Redaktion")
    task_state = reload(page).current_workflow_task_state
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, reviewer, "reject", comment="")
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, people["author"], "approve")
    assert reload(page).current_workflow_state.status == "in_progress"


def test_only_administration_publishes_without_approval(people):
    page = german_actor()
    for role in ["author", "approver"]:
        response = edit(client_for(people[role]), page, "publish", title=f"Direkt {role}")
        assert response.status_code in {302, 403}
        assert not reload(page).title.startswith("Direkt")
    edit(client_for(people["admin"]), page, "publish", title="Direkt von der Administration")
    assert reload(page).title == "Direkt von der Administration"


def test_the_editor_offers_publish_only_to_those_allowed(people):
    page = german_actor()
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    approver_view = client_for(people["approver"]).get(url).content.decode()
    admin_view = client_for(people["admin"]).get(url).content.decode()
    assert 'name="action-publish"' not in approver_view
    assert 'name="action-submit"' in approver_view
    assert 'name="action-publish"' in admin_view


def test_direct_publishing_groups_are_a_setting(people, settings):
    settings.PORTAL_DIRECT_PUBLISH_GROUPS = ["Freigabe"]
    page = german_actor()
    edit(client_for(people["approver"]), page, "publish", title="Freigabe darf direkt")
    assert reload(page).title == "Freigabe darf direkt"


def test_approved_page_with_a_go_live_date_waits_for_it(people):
    page = german_actor()
    go_live = timezone.now() + datetime.timedelta(days=2)
    edit(
        client_for(people["author"]),
        page,
        "submit",
        title="Später live",
        go_live_at=f"{timezone.localtime(go_live):%Y-%m-%d %H:%M}",
    )
    workflow_action(client_for(people["colleague"]), page, "approve")
    workflow_action(client_for(people["approver"]), page, "approve")
    page = reload(page)
    assert page.title != "Später live"
    assert page.get_latest_revision().approved_go_live_at is not None

    with time_machine.travel(go_live - datetime.timedelta(minutes=5)):
        call_command("run_scheduler", "--once", stdout=io.StringIO())
    assert reload(page).title != "Später live"
    with time_machine.travel(go_live + datetime.timedelta(minutes=1)):
        call_command("run_scheduler", "--once", stdout=io.StringIO())
    assert reload(page).title == "Später live"


def test_scheduler_runs_the_daily_jobs_and_rejects_a_bad_time(demo):
    output = io.StringIO()
    call_command("run_scheduler", "--once", stdout=output)
    assert "Nothing to do" in output.getvalue()  # purge_registrations ran
    with pytest.raises(Exception, match="HH:MM"):
        call_command("run_scheduler", "--once", "--daily-at", "3 Uhr")


def test_demo_has_a_user_per_role_without_usable_passwords_in_tests(demo):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(
        username__in=["redaktion", "redaktion2", "freigabe", "administration"]
    )
    assert {user.groups.get().name for user in users} == {
        "Redaktion",
        "Freigabe",
        "Administration",
    }
    assert not any(user.has_usable_password() for user in users)  # DEBUG is off here


# --- translations -----------------------------------------------------------------------


def test_an_english_translation_goes_live_only_after_both_approvals(people):
    page = english_actor()
    author = client_for(people["author"])
    response, translation = translate_title(author, page, "Neighbourhood shop (reviewed)")
    assert response.status_code in {200, 201}
    editor = author.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    submit_url = reverse("portal_submit_translation", args=[translation.pk])
    assert submit_url in editor  # the translation editor offers "Submit for approval"

    assert denied(
        author.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action": "publish"})
    )
    assert reload(page).title != "Neighbourhood shop (reviewed)"

    assert author.post(submit_url).status_code == 302
    page = reload(page)
    assert page.workflow_in_progress
    assert page.title != "Neighbourhood shop (reviewed)"
    assert page.get_latest_revision().as_object().title == "Neighbourhood shop (reviewed)"

    workflow_action(client_for(people["colleague"]), page, "approve")
    assert reload(page).title != "Neighbourhood shop (reviewed)"
    workflow_action(client_for(people["approver"]), page, "approve")
    assert reload(page).title == "Neighbourhood shop (reviewed)"


def test_approvers_cannot_publish_a_translation_directly_but_administration_can(people):
    page = english_actor()
    approver = client_for(people["approver"])
    translate_title(approver, page, "Published by the approver")
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert denied(approver.post(edit_url, {"action": "publish"}))
    assert reload(page).title != "Published by the approver"
    admin = client_for(people["admin"])
    translate_title(admin, page, "Published by administration")
    admin.post(edit_url, {"action": "publish"})
    assert reload(page).title == "Published by administration"


def test_update_translations_cannot_publish_for_editors(people, django_capture_on_commit_callbacks):
    german = german_actor()
    german.title = "Stadtteilladen, neuer Name"
    german.save_revision().publish()
    page = english_actor()
    source = TranslationSource.objects.get(object_id=german.translation_key)
    url = reverse("wagtail_localize:update_translations", args=[source.pk])
    author = client_for(people["author"])
    assert 'type="checkbox" name="publish_translations"' not in author.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        author.post(url, {"publish_translations": "on"})
    assert reload(page).title == page.title
    assert reload(page).last_published_at == page.last_published_at

    # the same request by Administration publishes (the new title falls back to German)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people["admin"]).post(url, {"publish_translations": "on"})
    assert reload(page).title == "Stadtteilladen, neuer Name"


def test_converting_a_translation_to_an_alias_is_direct_publishing(people):
    page = english_actor()
    url = reverse("wagtail_localize:convert_to_alias", args=[page.pk])
    for role in ["author", "approver"]:
        assert denied(client_for(people[role]).post(url))
    assert reload(page).alias_of_id is None


# --- bypasses found in review -------------------------------------------------------------


def test_submitting_someone_elses_draft_does_not_let_its_writer_approve(people):
    page = german_actor()
    edit(client_for(people["author"]), page, None, title="Entwurf der Autorin")
    edit(client_for(people["colleague"]), page, "submit", title="Entwurf der Autorin")
    assert denied(workflow_action(client_for(people["author"]), page, "approve"))
    assert reload(page).current_workflow_task.name == "Redaktionelle Prüfung"


def test_translating_someone_elses_submission_counts_as_writing_it(people):
    page = english_actor()
    _response, translation = translate_title(
        client_for(people["author"]), page, "Translated by the author"
    )
    client_for(people["colleague"]).post(
        reverse("portal_submit_translation", args=[translation.pk])
    )
    assert reload(page).workflow_in_progress
    assert denied(workflow_action(client_for(people["author"]), page, "approve"))


def submit_page_translation(client, page, **data):
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    english = Locale.objects.get(language_code="en")
    return client.post(url, {"locales": [english.pk], **data})


def new_german_section(demo):
    from home.models import ContentPage

    section = demo["de"].add_child(instance=ContentPage(title="Neuer Bereich", slug="bereich"))
    section.save_revision().publish()
    child = section.add_child(instance=ContentPage(title="Unterseite", slug="unterseite"))
    child.save_revision().publish()
    return section, child


def test_translate_this_page_creates_only_drafts_for_editors(demo, people):
    section, child = new_german_section(demo)
    editor = client_for(people["author"])
    english = Locale.objects.get(language_code="en")

    submit_page_translation(editor, child)  # its parent has no English version
    assert not child.has_translation(english) and not section.has_translation(english)

    submit_page_translation(editor, section, include_subtree="on")
    assert not section.has_translation(english)

    submit_page_translation(editor, section)
    translated = section.get_translation(english)
    assert not translated.live and translated.alias_of_id is None


def test_translate_this_page_does_not_write_into_an_existing_alias(demo, people):
    section, _child = new_german_section(demo)
    english = Locale.objects.get(language_code="en")
    alias = section.create_alias(parent=demo["en"], update_locale=english, update_slug="section")
    submit_page_translation(client_for(people["author"]), section)
    alias = reload(alias)
    assert alias.alias_of_id == section.pk and alias.title == "Neuer Bereich"


def test_approvers_cannot_publish_at_the_root_outside_the_site(people):
    root = Page.get_first_root_node()
    approver = people["approver"]
    assert not root.permissions_for_user(approver).can_publish_subpage()
    home_en = Page.objects.get(depth=2, locale__language_code="en")
    assert home_en.specific.permissions_for_user(approver).can_unpublish()
    response = client_for(approver).post(
        reverse("wagtailadmin_pages:copy", args=[german_actor().get_parent().get_parent().pk]),
        {
            "new_title": "Ungeprüfte Kopie",
            "new_slug": "ungepruefte-kopie",
            "new_parent_page": root.pk,
            "copy_subpages": "",
            "publish_copies": "on",
        },
    )
    assert response.status_code in {200, 302, 403}
    assert not Page.objects.filter(slug="ungepruefte-kopie", live=True).exists()
