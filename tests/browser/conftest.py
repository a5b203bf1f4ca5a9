"""Chromium driven by Playwright against pytest-django's live server with the demo content.

Launch recipe (also in CONTRIBUTING.md): Debian's chromium, never a downloaded browser.
Chromium resolves every *.localhost name to the loopback address, so the same live server
answers as the default site at localhost and as the demo's second municipality at
lindental.localhost.
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


def on_host(live_url, hostname):
    """The live server's address under another host name (same port): Wagtail finds a site
    by host name and port, then by a host name alone when only one site has it; the second
    municipality's site keeps port 80, so it is found by its host name."""
    return urlsplit(live_url)._replace(netloc=f"{hostname}:{urlsplit(live_url).port}").geturl()


@pytest.fixture
def visit(browser, live_url, db):
    """visit(viewport="desktop", hostname=None, **context options) opens a fresh browser
    context, on the site of `hostname` if given (relative paths go to that host)."""
    opened = []

    def open_visit(viewport="desktop", hostname=None, **options):
        base_url = live_url if hostname is None else on_host(live_url, hostname)
        opened.append(Visit(browser, base_url, viewport, **options))
        return opened[-1]

    yield open_visit
    for one in opened:
        one.close()


@pytest.fixture(scope="module")
def lindental(django_db_setup, django_db_blocker):
    """The demo's second municipality (`load_second_site()`, portal/demo.py) for the tests of
    one module: committed, so the live server sees it on PostgreSQL too; afterwards every
    table is put back as it was, so no later test meets a second site (with two sites
    `page.url` turns absolute and the installation's roles move from the root page to the
    home pages)."""
    from django.core.cache import cache
    from wagtail.models import Site

    from portal.demo import SECOND_SITE, load_second_site

    with django_db_blocker.unblock():
        before = table_rows()
        load_second_site()
        site = Site.objects.get(hostname=SECOND_SITE[1])
    yield site
    with django_db_blocker.unblock():
        restore_table_rows(before)
        assert table_rows() == before, "the second site left rows behind"
    cache.clear()  # Wagtail's site root paths, the shared chrome


def _tables():
    """One model per database table (a child page type stands for its own table only)."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            yield model, list(model._meta.local_concrete_fields)


def table_rows():
    """Every row of every table, by table and primary key."""
    rows = {}
    for model, fields in _tables():
        values = model._base_manager.values(*[field.attname for field in fields])
        rows[model] = {row[model._meta.pk.attname]: row for row in values}
    return rows


def restore_table_rows(before):
    """Delete the rows added since `before`, put back the deleted and the changed ones.

    Raw SQL without signals or cascades, table by table, in one transaction: Django creates
    foreign keys deferred (checked at the commit) on PostgreSQL and SQLite."""
    from django.db import connection, transaction

    now = table_rows()
    with transaction.atomic():
        for model, fields in _tables():
            then, current = before[model], now[model]
            added = list(current.keys() - then.keys())
            for start in range(0, len(added), 500):
                model._base_manager.filter(pk__in=added[start : start + 500])._raw_delete(
                    connection.alias
                )
            for pk, row in then.items():
                if pk not in current:
                    _insert(connection, model, fields, row)
                elif current[pk] != row:
                    changed = {
                        name: value for name, value in row.items() if current[pk][name] != value
                    }
                    model._base_manager.filter(pk=pk).update(**changed)


def _insert(connection, model, fields, row):
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    values = [field.get_db_prep_save(row[field.attname], connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})",  # noqa: S608 - names from the models
            values,
        )
