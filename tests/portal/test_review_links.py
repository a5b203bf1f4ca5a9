"""Review by signed link: a person without an account approves or rejects a submitted page."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Workflow, WorkflowPage, WorkflowTask

from portal.models import LinkReviewTask
from tests.helpers import soup_of
from tests.portal.workflow_helpers import (
    client_for,
    denied,
    edit,
    german_actor,
    reload,
    user_with_role,
    workflow_action,
)

LINK = re.compile(r"https?://\S+/review/[^/\s]+/")


@pytest.fixture
def reviewed(demo):
    """The actor page under a workflow whose only step is a review by link."""
    task = LinkReviewTask.objects.create(
        name="Freigabe per Link", reviewer_name="Amtsleitung", reviewer_email="amt@example.org"
    )
    workflow = Workflow.objects.create(name="Mit Link")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    page = german_actor()
    WorkflowPage.objects.create(page=page, workflow=workflow)
    return page


@pytest.fixture
def submitted(reviewed):
    author = user_with_role("link-autorin", "Redaktion")
    mail.outbox.clear()
    edit(client_for(author), reviewed, "submit", title="Geprüft per Link")
    return reload(reviewed)


def link_path(message=None):
    message = message or mail.outbox[-1]
    return urlsplit(LINK.search(message.body).group(0)).path


def logged(page, action):
    return PageLogEntry.objects.filter(page=page, action=f"portal.review_link.{action}").count()


def test_the_reviewer_gets_a_link_that_shows_exactly_the_submitted_revision(client, submitted):
    assert [message.to for message in mail.outbox] == [["amt@example.org"]]
    assert logged(submitted, "send") == 1
    page = soup_of(client.get(link_path()))
    assert "Geprüft per Link" in page.h1.get_text()
    assert page.select_one("iframe.review-link__preview")
    assert {button["value"] for button in page.select("button[name=decision]")} == {
        "approve",
        "reject",
    }
    assert not page.select(".w-sidebar, [data-side-panel]")  # nothing of the admin
    preview = client.get(page.select_one("iframe")["src"])
    assert preview.status_code == 200 and "Geprüft per Link" in preview.content.decode()
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert reload(submitted).title != "Geprüft per Link"  # a GET decides nothing
    assert reload(submitted).workflow_in_progress
    assert logged(submitted, "view") == 1


def test_approving_by_link_publishes_and_the_link_works_once(client, submitted):
    path = link_path()
    response = client.post(path, {"decision": "approve"})
    assert "zugestimmt" in soup_of(response).h1.get_text()
    page = reload(submitted)
    assert page.title == "Geprüft per Link" and not page.workflow_in_progress
    assert logged(page, "approve") == 1
    again = client.post(path, {"decision": "reject", "comment": "Doch nicht"})
    assert again.status_code == 410
    assert reload(page).title == "Geprüft per Link"


def test_rejecting_needs_a_comment(client, submitted):
    path = link_path()
    assert client.post(path, {"decision": "reject"}).status_code == 400
    assert reload(submitted).current_workflow_state.status == "in_progress"
    client.post(path, {"decision": "reject", "comment": "Bitte den Absatz kürzen."})
    state = reload(submitted).current_workflow_state
    assert state.status == "needs_changes"
    assert state.current_task_state.comment == "Bitte den Absatz kürzen."


def test_expired_links_change_nothing(client, submitted):
    path = link_path()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = client.post(path, {"decision": "approve"})
    assert response.status_code == 410
    assert "abgelaufen" in response.content.decode()
    assert reload(submitted).workflow_in_progress


@pytest.mark.parametrize("mangle", [lambda t: t[:-3] + "abc", lambda t: "x" + t, lambda t: "%00"])
def test_tampered_links_change_nothing(client, submitted, mangle):
    token = link_path().rstrip("/").split("/")[-1]
    response = client.post(reverse("review_link", args=[mangle(token)]), {"decision": "approve"})
    assert response.status_code == 400
    assert reload(submitted).workflow_in_progress


def test_the_page_is_locked_and_a_newer_revision_invalidates_the_link(client, submitted):
    path = link_path()
    editor = client_for(user_with_role("link-editor", "Redaktion"))
    edit(editor, submitted, None, title="Nachträglich geändert")
    assert reload(submitted).get_latest_revision().as_object().title != "Nachträglich geändert"

    page = reload(submitted)
    page.title = "Von Hand geändert"
    page.save_revision()  # e.g. by a script: the reviewer did not see this
    response = client.post(path, {"decision": "approve"})
    assert response.status_code == 409
    assert (
        reload(submitted).workflow_in_progress
        and reload(submitted).live_revision.as_object().title != "Von Hand geändert"
    )


def test_freigabe_can_resend_the_link_and_decide_in_the_reviewers_place(client, submitted):
    old_path = link_path()
    approver = client_for(user_with_role("link-freigabe", "Freigabe"))
    workflow_action(approver, submitted, "resend")
    assert logged(submitted, "resend") == 1
    new_path = link_path()
    assert new_path != old_path
    assert client.post(old_path, {"decision": "approve"}).status_code == 409
    assert client.get(new_path).status_code == 200

    workflow_action(approver, submitted, "override_approve", comment="")
    assert reload(submitted).workflow_in_progress
    workflow_action(approver, submitted, "override_approve", comment="Amtsleitung im Urlaub.")
    assert not reload(submitted).workflow_in_progress
    assert reload(submitted).title == "Geprüft per Link"
    assert logged(submitted, "override") == 1


def test_editors_cannot_resend_or_override(submitted):
    editor = client_for(user_with_role("link-redaktion", "Redaktion"))
    assert denied(workflow_action(editor, submitted, "override_approve", comment="Ich darf das"))
    assert reload(submitted).workflow_in_progress


def test_demo_lab_pages_go_through_a_review_by_link(demo):
    from labs.models import LabPage

    german_lab = LabPage.objects.filter(locale__language_code="de").first()
    workflow = german_lab.get_workflow()
    assert [task.specific.__class__.__name__ for task in workflow.tasks] == [
        "FourEyesApprovalTask",
        "LinkReviewTask",
    ]


def test_a_double_click_decides_once(submitted):
    from portal.editorial.review_links import LinkProblem, ReviewLinkError, decide

    token = link_path().rstrip("/").split("/")[-1]
    decide(token, "approve", "")
    with pytest.raises(ReviewLinkError) as refused:
        decide(token, "reject", "Doch nicht")
    assert refused.value.problem == LinkProblem.DECIDED
    assert reload(submitted).title == "Geprüft per Link"
    assert logged(submitted, "reject") == 0


def test_other_methods_are_refused(client, submitted):
    assert client.put(link_path()).status_code == 405
    assert logged(submitted, "view") == 0
