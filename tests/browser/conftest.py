"""Chromium driven by Playwright against pytest-django's live server with the demo content.

Launch recipe (also in CONTRIBUTING.md): Debian's chromium, never a downloaded browser.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.services import CHROMIUM

# Playwright's sync API runs an event loop in the test thread; Django then refuses database
# access from that thread unless told it is safe (it is: the loop never runs Django code).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "mobile": {"width": 375, "height": 740},
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One page load in a fresh browser context, recording what the page did: requests to
    other hosts, console errors, uncaught exceptions and CSP violations."""

    def __init__(self, browser, base_url, viewport="desktop", **context_options):
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc
        self.context = browser.new_context(
            viewport=VIEWPORTS[viewport], base_url=base_url, **context_options
        )
        self.page = self.context.new_page()
        self.foreign_requests = []
        self.console_errors = []
        self.page.on("request", self._request)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        # "Leave the page with unsaved changes?" and the like: leave, as a user who means it
        self.page.on("dialog", lambda dialog: dialog.accept())

    def _request(self, request):
        address = urlsplit(request.url)
        if address.scheme in ("http", "https", "ws", "wss") and address.netloc != self.host:
            self.foreign_requests.append(request.url)

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def goto(self, path, expected_status=200):
        response = self.page.goto(path, wait_until="load")
        assert response is not None and response.status == expected_status, (
            path,
            response and response.status,
        )
        return response

    def close(self):
        self.context.close()


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker):
    """Django's live server thread for the whole session, serving the demo database.

    Not pytest-django's `live_server`: that one makes each test transactional, and the flush
    after it would delete the demo content every other test relies on. Here each test keeps
    its rolled-back transaction; the server sees the committed demo content (on SQLite's
    in-memory database it shares the test's connection, as Django's LiveServerTestCase does).
    """
    from django.db import connections
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    with django_db_blocker.unblock():
        shared = {
            connection.alias: connection
            for connection in connections.all()
            if connection.vendor == "sqlite" and connection.is_in_memory_db()
        }
        for connection in shared.values():
            connection.inc_thread_sharing()
        server = LiveServerThread("localhost", _StaticFilesHandler, connections_override=shared)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield f"http://localhost:{server.port}"
        finally:
            server.terminate()
            for connection in shared.values():
                connection.dec_thread_sharing()


@pytest.fixture
def visit(browser, live_url, db):
    """visit(viewport="desktop", **context options) opens a fresh browser context."""
    opened = []

    def open_visit(viewport="desktop", **options):
        opened.append(Visit(browser, live_url, viewport, **options))
        return opened[-1]

    yield open_visit
    for one in opened:
        one.close()
