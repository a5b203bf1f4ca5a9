"""Content review dates, the reminder job and the editors' dashboard panels."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.models import EventPage
from home.models import ContentPage
from tests.helpers import soup_of
from tests.portal.workflow_helpers import client_for, edit, german_actor, reload, user_with_role


def a_content_page(demo):
    return ContentPage.objects.filter(locale=demo["de"].locale).first()


def test_publishing_sets_a_review_date_a_year_ahead_except_for_events(demo):
    page = a_content_page(demo)
    page.review_by = None
    page.save_revision().publish()
    assert reload(page).review_by == timezone.localdate() + datetime.timedelta(days=365)
    event = EventPage.objects.filter(locale=demo["de"].locale).first()
    event.save_revision().publish()
    assert reload(event).review_by is None


def test_republishing_an_overdue_page_counts_as_its_review_and_a_set_date_is_kept(demo):
    page = a_content_page(demo)
    page.review_by = timezone.localdate() - datetime.timedelta(days=3)
    page.save_revision().publish()
    assert reload(page).review_by == timezone.localdate() + datetime.timedelta(days=365)
    chosen = timezone.localdate() + datetime.timedelta(days=30)
    page = reload(page)
    page.review_by = chosen
    page.save_revision().publish()
    assert reload(page).review_by == chosen


def overdue(page, days=1, owner=None):
    type(page).objects.filter(pk=page.pk).update(
        review_by=timezone.localdate() - datetime.timedelta(days=days), owner=owner
    )
    return reload(page)


def dashboard(client):
    return soup_of(client.get(reverse("wagtailadmin_home")))


def test_dashboard_lists_overdue_pages_with_their_owner(demo):
    owner = user_with_role("seiteninhaberin", "Redaktion")
    page = overdue(a_content_page(demo), owner=owner)
    panel = dashboard(client_for(owner)).select_one(
        "#portal-overdue-reviews-section, #portal-overdue-reviews"
    )
    assert panel is not None
    text = panel.get_text(" ", strip=True)
    assert page.title in text and "seiteninhaberin" in text


def test_overdue_panel_only_for_pages_the_user_may_edit(demo):
    overdue(a_content_page(demo))
    viewer = user_with_role("nur-lesend")
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert "portal-overdue-reviews" not in client_for(viewer).get(reverse("wagtailadmin_home")).text


def test_owners_are_reminded_once_per_overdue_date(demo):
    owner = user_with_role("erinnert", "Redaktion")
    page = overdue(a_content_page(demo), owner=owner)
    overdue(german_actor(), owner=owner, days=10)
    call_command("send_review_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert page.title in message.body and german_actor().title in message.body
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in message.body

    output = io.StringIO()
    call_command("send_review_reminders", stdout=output)
    assert len(mail.outbox) == 1 and "No newly overdue" in output.getvalue()

    page = reload(page)
    page.review_by = timezone.localdate() + datetime.timedelta(days=5)
    page.save_revision().publish()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7)):
        call_command("send_review_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    assert page.title in mail.outbox[1].body


def test_review_panels_show_whose_turn_it_is(demo):
    author = user_with_role("panel-autorin", "Redaktion")
    colleague = user_with_role("panel-kollege", "Redaktion")
    page = german_actor()
    edit(client_for(author), page, "submit", title="Zur Prüfung")
    waiting_for_author = dashboard(client_for(author)).get_text(" ", strip=True)
    author_html = client_for(author).get(reverse("wagtailadmin_home")).text
    colleague_html = client_for(colleague).get(reverse("wagtailadmin_home")).text
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, "approve", reload(page).current_workflow_task_state.pk],
    )
    assert approve_url in colleague_html  # awaiting their review, with the approve button
    assert approve_url not in author_html  # the author's own change is not theirs to approve
    assert "Zur Prüfung" in waiting_for_author  # but listed as their page in review


@pytest.mark.parametrize(("role", "counts_shown"), [("Freigabe", True), ("Redaktion", False)])
def test_next_workshops_panel_with_registration_counts_for_those_allowed(demo, role, counts_shown):
    user = user_with_role(f"panel-{role}", role)
    panel = dashboard(client_for(user)).select_one(
        "#portal-next-workshops-section, #portal-next-workshops"
    )
    assert panel is not None
    text = panel.get_text(" ", strip=True)
    assert "Konzeptentwicklung" in text
    assert ("9 / 12" in text) is counts_shown
