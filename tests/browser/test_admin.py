"""Wagtail's admin works under its own Content-Security-Policy: signing in, editing and
previewing a page, the translation editor and the user bar on the public site raise no CSP
violation or other console error in Chromium."""

import pytest
from django.contrib.auth import get_user_model

from home.models import ContentPage

pytestmark = pytest.mark.browser

USERNAME = "browser-admin"
PASSWORD = "a-long-browser-test-password"


@pytest.fixture
def admin_login(django_db_setup, django_db_blocker):
    """A superuser committed before the test's transaction starts (request this fixture
    first), so the live server sees it on PostgreSQL too; deleted right after the test, so
    no other test meets an extra superuser (who would, e.g., receive workflow mails)."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser(
            USERNAME, f"{USERNAME}@example.org", PASSWORD
        )
    yield USERNAME, PASSWORD
    with django_db_blocker.unblock():
        user.delete()


def sign_in(browser, credentials):
    username, password = credentials
    browser.goto("/admin/login/")
    browser.page.fill("#id_username", username)
    browser.page.fill("#id_password", password)
    browser.page.locator("form.login-form button[type=submit]").click()
    browser.page.wait_for_url("**/admin/")


def test_sign_in_edit_preview_and_translate_without_csp_errors(admin_login, demo, visit):
    browser = visit()
    sign_in(browser, admin_login)
    assert browser.page.locator("main").count() == 1

    page_de = ContentPage.objects.live().filter(locale__language_code="de").first()
    browser.goto(f"/admin/pages/{page_de.pk}/edit/")
    browser.page.fill("#id_title", "Über das Projekt (geändert)")
    browser.page.locator("[data-side-panel-toggle='preview']").click()
    preview = browser.page.frame_locator("#w-preview-iframe")
    preview.locator("h1").filter(has_text="Über das Projekt (geändert)").wait_for()

    page_en = page_de.get_translation(_english())
    browser.goto(f"/admin/pages/{page_en.pk}/edit/")
    editor = browser.page.locator(".js-translation-editor")
    editor.wait_for()
    # the React editor has rendered the source segments
    browser.page.get_by_text(page_de.title, exact=False).first.wait_for()

    browser.goto(page_de.url)  # the user bar on the public page, under the public policy
    browser.page.locator("wagtail-userbar").wait_for(state="attached")

    assert browser.console_errors == []
    assert browser.foreign_requests == []


def _english():
    from wagtail.models import Locale

    return Locale.objects.get(language_code="en")
