"""Security headers on public pages, the admin and the admin login."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import PRODUCTION_ESSENTIALS

REPO = Path(__file__).resolve().parents[2]

PUBLIC_PATHS = [
    "/de/",
    "/en/",
    "/de/labore/",
    "/de/suche/?q=Labor",
    "/en/search/?q=lab",
    "/sitemap.xml",
    "/de/gibt-es-nicht/",
]


def policy(response, header="Content-Security-Policy"):
    """The CSP header as {directive: [sources]}."""
    directives = {}
    for part in response[header].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_send_a_strict_content_security_policy(client, demo, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", [*PUBLIC_PATHS, "/admin/login/", "/admin/"])
def test_every_response_sends_the_other_security_headers(client, demo, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "browsing-topics"):
        assert features[feature] == "()"


def test_the_admin_has_its_own_looser_policy_that_still_allows_no_other_host(
    client, admin_client, demo
):
    responses = {
        "/admin/login/": client.get("/admin/login/"),
        "/admin/": admin_client.get("/admin/"),
        "edit": admin_client.get(f"/admin/pages/{demo['de'].pk}/edit/"),
    }
    for path, response in responses.items():
        assert response.status_code == 200, path
        csp = policy(response)
        assert "'unsafe-inline'" in csp["script-src"]
        assert "'unsafe-inline'" in csp["style-src"]
        assert csp["default-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        # the admin frames its own previews, nobody else may frame it
        assert csp["frame-ancestors"] == ["'self'"]
        for sources in csp.values():
            assert all(source.startswith(("'", "data:", "blob:")) for source in sources)


def test_the_public_policy_is_not_loosened_for_a_path_merely_containing_admin(client, demo):
    response = client.get("/de/admin/")
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_uploads_on_another_host_are_allowed_as_images_and_media_only():
    from portal.settings.base import content_security_policy

    directives = content_security_policy(media_url="https://media.example.org/uploads/")[
        "DIRECTIVES"
    ]
    assert directives["img-src"] == ["'self'", "data:", "https://media.example.org"]
    assert directives["media-src"] == ["'self'", "https://media.example.org"]
    assert directives["script-src"] == ["'self'"]
    local = content_security_policy(media_url="/media/")["DIRECTIVES"]
    # data: only for images (KERN's icons are SVG data URIs in its stylesheet)
    assert local["img-src"] == ["'self'", "data:"]
    assert all("data:" not in sources for name, sources in local.items() if name != "img-src")


def production(code, **variables):
    """Run `code` in a fresh interpreter with the production settings; returns its stdout."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "WAGTAILADMIN_", "PORTAL_"))
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        **PRODUCTION_ESSENTIALS,
        **variables,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_production_sends_hsts_for_at_least_half_a_year_and_redirects_to_https():
    # HSTS from Django's SecurityMiddleware as production configures it (a page itself would
    # need the migrated database this check does not have); the redirect through the stack
    output = production(
        "import json; from django.http import HttpResponse; from django.test import Client,"
        " RequestFactory; from django.middleware.security import SecurityMiddleware;"
        "s = SecurityMiddleware(lambda r: HttpResponse())("
        " RequestFactory().get('/de/', secure=True, HTTP_HOST='portal.example.org'));"
        "p = Client().get('/de/', HTTP_HOST='portal.example.org');"
        "from django.conf import settings;"
        "print(json.dumps([s.get('Strict-Transport-Security'), p.status_code, p.get('Location'),"
        " 'django.middleware.security.SecurityMiddleware' in settings.MIDDLEWARE]))"
    )
    hsts, plain_status, location, in_stack = json.loads(output.strip().splitlines()[-1])
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= 183 * 24 * 60 * 60
    assert plain_status == 301 and location == "https://portal.example.org/de/"
    assert in_stack


def test_production_cookies_are_secure_httponly_and_same_site():
    output = production(
        "import json; from django.conf import settings as s;"
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY,"
        " s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE]))"
    )
    assert json.loads(output.strip().splitlines()[-1]) == [True, True, True, True, "Lax", "Lax"]


def test_the_csrf_cookie_of_a_form_page_is_httponly_and_same_site(client, demo):
    from events.models import EventPage

    event = (
        EventPage.objects.live()
        .filter(locale__language_code="de", registration_mode="built_in")
        .first()
    )
    assert event is not None
    response = client.get(event.url)
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
