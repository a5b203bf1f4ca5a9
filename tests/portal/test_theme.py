"""A fork's theme folder wins over the built-in templates and static files."""

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
