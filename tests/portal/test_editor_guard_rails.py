"""Guard rails for editors: images need a description or the decorative mark, and the user
bar checks the content rules that matter."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from events.models import EventIndexPage, EventPage
from tests.events.test_events import event_form
from tests.helpers import soup_of
from tests.portal.factories import ImageFactory


@pytest.fixture
def image(db):
    return ImageFactory()


def add_event(admin_client, **fields):
    index = EventIndexPage.objects.get(locale__language_code="de")
    return admin_client.post(
        reverse("wagtailadmin_pages:add", args=["events", "eventpage", index.pk]),
        event_form(**fields),
    )


def test_an_image_without_description_or_decorative_mark_is_refused(admin_client, demo, image):
    response = add_event(admin_client, hero_image=image.pk)
    assert response.status_code == 200
    assert "Beschreiben Sie, was das Bild zeigt" in response.content.decode()
    assert not EventPage.objects.filter(slug="neue-werkstatt").exists()


@pytest.mark.parametrize(
    ("fields", "alt"),
    [
        ({"hero_image_alt": "Menschen an einem Tisch"}, "Menschen an einem Tisch"),
        ({"hero_image_alt": "Wird ignoriert", "hero_image_decorative": "on"}, ""),
    ],
    ids=["described", "decorative"],
)
def test_the_image_gets_its_description_or_an_empty_alt(
    admin_client, client, demo, image, fields, alt
):
    response = add_event(
        admin_client, hero_image=image.pk, **fields, **{"action-publish": "publish"}
    )
    assert response.status_code == 302
    page = EventPage.objects.get(slug="neue-werkstatt")
    rendered = soup_of(client.get(page.url)).select_one("img.lab__image")
    assert rendered["alt"] == alt


def test_user_bar_checks_headings_links_and_text_alternatives(admin_client, demo):
    html = admin_client.get(demo["de"].url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    config = soup.find("script", id="checker-axe-configuration")
    assert config is not None
    for rule in ["heading-order", "link-name", "image-alt", "empty-heading"]:
        assert f'"{rule}"' in config.string
