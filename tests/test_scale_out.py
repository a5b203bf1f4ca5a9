"""Two app instances (gunicorn, production settings) against one PostgreSQL and one Redis:
a page published through instance A is served fresh by instance B at once, and the page
cache both share is invalidated for both."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from home.models import ContentPage
from tests.test_backup_restore import database_url

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-scale-out-test-password"
# Behind a load balancer every instance gets the site's host name, whatever its own port.
HOST = "portal.example.org"

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def instance_environment(tmp_path_factory, django_db_setup):
    work = tmp_path_factory.mktemp("scale-out")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        # a prefix of its own, so the test never meets another portal's entries
        "PORTAL_CACHE_PREFIX": f"scale-out-{uuid.uuid4().hex[:8]}",
        "PORTAL_PAGE_CACHE_SECONDS": "600",
        "PORTAL_REQUEST_LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=REPO,
        env=environment,
        check=True,
        timeout=300,
    )
    return environment


@pytest.fixture(scope="module")
def instances(instance_environment):
    """Two gunicorn processes, A and B, each with its own port."""
    started = {}
    for name in ("A", "B"):
        port = free_port()
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "portal.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "1"),
            ],
            cwd=REPO,
            env=instance_environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started[name] = (f"http://127.0.0.1:{port}", process)
    try:
        for url, process in started.values():
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"{url}/health/", timeout=10).status_code == 200:
                        break
                except requests.RequestException:  # not listening yet, or still importing
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: {process.stderr.read().decode()}")
                time.sleep(0.3)
        yield {name: url for name, (url, _process) in started.items()}
    finally:
        for _url, process in started.values():
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture
def published_change(django_db_blocker):
    """A committed superuser and a committed draft of the about page, undone afterwards."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser(
            f"scale-{uuid.uuid4().hex[:6]}", "scale@example.org"
        )
        # hashed as production does (the test settings use a fast hasher it does not know)
        hasher = PBKDF2PasswordHasher()
        user.password = hasher.encode(PASSWORD, hasher.salt())
        user.save(update_fields=["password"])
        page = ContentPage.objects.get(locale__language_code="de", slug="ueber-das-projekt")
        live_revision = page.live_revision
        new_title = f"Über das Projekt {uuid.uuid4().hex[:6]}"
        page.title = new_title
        page.save_revision(user=user)  # a draft: visitors still see the old title
        path = page.url  # the site's root paths come from the database
    try:
        yield user, page, new_title, path
    finally:
        with django_db_blocker.unblock():
            live_revision.publish()
            user.delete()


def sign_in(url, user) -> dict:
    """Log in through the instance's admin; returns the headers of the signed-in browser.

    Production cookies are Secure, so the requests run as HTTPS behind a proxy (as the
    load balancer would send them) and carry their cookies by hand."""
    headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    login = requests.get(f"{url}/admin/login/", headers=headers, timeout=10)
    csrf = login.cookies["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    response = requests.post(
        f"{url}/admin/login/",
        data={"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={
            **headers,
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"https://{HOST}/admin/login/",
        },
        allow_redirects=False,
        timeout=10,
    )
    errors = re.findall(r'<li class="error">(.*?)</li>', response.text, re.S)
    assert response.status_code == 302, errors
    headers["Cookie"] = f"csrftoken={csrf}; sessionid={response.cookies['sessionid']}"
    return headers


def visit(url, path):
    response = requests.get(f"{url}{path}", headers={"Host": HOST}, timeout=10)
    assert response.status_code == 200, (url, path, response.status_code)
    return response.text, response.headers.get("X-Cache", "").lower()


def test_a_page_published_through_one_instance_is_fresh_on_the_other(instances, published_change):
    user, page, new_title, path = published_change
    a, b = instances["A"], instances["B"]

    text, state = visit(a, path)
    assert state == "miss" and new_title not in text
    text, state = visit(b, path)
    assert state == "hit", "B serves the entry A stored: the cache is shared"
    assert visit(b, "/de/")[1] in ("miss", "hit")

    editor = sign_in(a, user)
    publish_url = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}"
    confirm = requests.get(f"{a}{publish_url}", headers=editor, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirm.text).group(1)
    published = requests.post(
        f"{a}{publish_url}",
        data={"csrfmiddlewaretoken": token},
        headers={**editor, "Referer": f"https://{HOST}{publish_url}"},
        allow_redirects=False,
        timeout=30,
    )
    assert published.status_code in (200, 302), published.status_code

    text, state = visit(b, path)
    assert new_title in text, "B serves the page published through A at once"
    assert state == "miss"
    text, state = visit(a, path)
    assert new_title in text and state == "hit"
    # every other cached page is stale on both instances too (the home page lists it)
    assert visit(b, "/de/")[1] == "miss"
