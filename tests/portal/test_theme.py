"""A fork's theme folder wins over the built-in templates and static files."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings

from portal.settings.base import template_dirs

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme(tmp_path):
    (tmp_path / "templates" / "components").mkdir(parents=True)
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "templates" / "components" / "footer.html").write_text(
        '<footer class="city-footer">Stadt Teststadt – eigener Fußbereich</footer>'
    )
    (tmp_path / "static" / "css" / "portal.css").write_text("body { color: black; }")
    return tmp_path


def test_theme_template_overrides_the_built_in_one(client, portal, theme):
    templates = [{**settings.TEMPLATES[0], "DIRS": template_dirs(theme)}]
    with override_settings(TEMPLATES=templates):
        response = client.get("/de/")
    html = response.content.decode()
    assert "Stadt Teststadt – eigener Fußbereich" in html
    assert "funding-notice" not in html
    # The rest of the page still comes from the built-in templates.
    assert 'class="site-header"' in html


def test_theme_static_files_override_the_built_in_ones(theme):
    with override_settings(STATICFILES_DIRS=[theme / "static"]):
        finders.get_finder.cache_clear()
        try:
            found = finders.find("css/portal.css")
        finally:
            finders.get_finder.cache_clear()
    assert found == str(theme / "static" / "css" / "portal.css")


def test_without_a_theme_the_built_in_files_are_used(tmp_path):
    empty_theme = tmp_path / "empty-theme"
    with override_settings(STATICFILES_DIRS=[]):
        finders.get_finder.cache_clear()
        try:
            found = finders.find("css/portal.css")
        finally:
            finders.get_finder.cache_clear()
    assert found.endswith("portal/static/css/portal.css")
    assert template_dirs(empty_theme)[0] == empty_theme / "templates"


def test_a_themes_stylesheet_comes_after_kern_and_the_portals_own(client, portal, theme):
    """KERN first, the portal's components on its tokens, the site colour, then the fork's
    own stylesheet: later rules win at equal specificity, so the theme's do."""
    (theme / "templates" / "components" / "theme_head.html").write_text(
        '{% load static %}<link rel="stylesheet" href="{% static \'css/city.css\' %}">'
    )
    templates = [{**settings.TEMPLATES[0], "DIRS": template_dirs(theme)}]
    with override_settings(TEMPLATES=templates):
        html = client.get("/de/").content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert [
        next(
            name for name in ("kern.min.css", "portal.css", "theme.css", "city.css") if name in href
        )
        for href in stylesheets
    ] == ["kern.min.css", "portal.css", "theme.css", "city.css"]


def test_the_two_main_fonts_are_preloaded_from_the_portals_own_host(client, portal):
    html = client.get("/de/").content.decode()
    preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="font" [^>]*crossorigin>', html)
    assert [href.rsplit("/", 1)[-1] for href in preloads] == [
        "FiraSans-Regular.woff2",
        "FiraSans-SemiBold.woff2",
    ]
    for href in preloads:
        assert href.startswith(settings.STATIC_URL)
        assert finders.find(href.removeprefix(settings.STATIC_URL))
