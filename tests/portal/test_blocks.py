"""The shared StreamField blocks as visitors see them."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from home.models import ContentPage
from portal.blocks import BaseStreamBlock, LinkBlock
from tests.home.factories import ContentPageFactory
from tests.portal.factories import DocumentFactory, ImageFactory

pytestmark = pytest.mark.django_db


def render(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one(".stream")


def test_every_block_type_renders(client, demo):
    about_de = ContentPage.objects.get(slug="ueber-das-projekt")
    image = ImageFactory()
    document = DocumentFactory()
    page = ContentPageFactory.build(
        title="Alle Bausteine",
        slug="bausteine",
        body=[
            ("heading", {"text": "Ziele", "level": "h3"}),
            ("paragraph", "<p>Gemeinsam <b>auf Augenhöhe</b>.</p>"),
            (
                "image",
                {
                    "image": {"image": image, "alt_text": "Gruppe am Tisch", "decorative": False},
                    "caption": "Werkstatt",
                    "credit": "Stadt",
                },
            ),
            ("quote", {"quote": "Alle reden mit.", "attribution": "Ein Gast"}),
            (
                "call_to_action",
                {
                    "title": "Mitmachen",
                    "text": "Jetzt anmelden",
                    "link": {"page": about_de, "url": ""},
                    "button_label": "Zum Projekt",
                },
            ),
            ("document", {"document": document, "label": ""}),
            (
                "accordion",
                {"heading": "FAQ", "items": [{"question": "Wer?", "answer": "<p>Alle.</p>"}]},
            ),
        ],
    )
    about_de.get_parent().add_child(instance=page)
    stream = render(client, "/de/bausteine/")
    assert stream.find("h3").get_text() == "Ziele"
    assert stream.select_one(".rich-text b").get_text() == "auf Augenhöhe"
    img = stream.select_one("figure.figure img")
    assert img["alt"] == "Gruppe am Tisch"
    assert "Werkstatt" in stream.select_one("figure.figure figcaption").get_text()
    assert stream.select_one("blockquote").get_text(strip=True) == "Alle reden mit."
    assert stream.select_one(".call-to-action a.kern-btn")["href"] == "/de/ueber-das-projekt/"
    download = stream.select_one("a.download__link")
    assert download.get_text() == document.title
    assert download["href"] == document.url
    assert stream.select_one("details summary").get_text() == "Wer?"


def test_call_to_action_links_to_the_page_in_the_visitors_language(client, demo):
    soup = render(client, "/en/")
    assert soup.select_one(".call-to-action a.kern-btn")["href"] == "/en/about-the-project/"


def test_decorative_images_get_empty_alt_text(client, portal):
    image = ImageFactory()
    page = ContentPageFactory.build(
        slug="deko",
        body=[
            (
                "image",
                {
                    "image": {"image": image, "alt_text": "", "decorative": True},
                    "caption": "",
                    "credit": "",
                },
            )
        ],
    )
    portal["de"].add_child(instance=page)
    assert render(client, "/de/deko/").select_one("img")["alt"] == ""


def test_images_need_alt_text_unless_decorative(portal):
    image = ImageFactory()
    block = BaseStreamBlock()

    def figure(alt_text, decorative):
        image_value = {"image": image.pk, "alt_text": alt_text, "decorative": decorative}
        return block.to_python([{"type": "image", "value": {"image": image_value}}])

    with pytest.raises(ValidationError):
        block.clean(figure("", decorative=False))
    block.clean(figure("Gruppe am Tisch", decorative=False))
    block.clean(figure("", decorative=True))


@pytest.mark.parametrize(
    "value",
    [{"page": None, "url": ""}, {"page": "both", "url": "https://example.org/"}],
)
def test_a_link_needs_exactly_one_target(portal, value):
    if value["page"] == "both":
        value = {**value, "page": portal["de"]}
    block = LinkBlock()
    with pytest.raises(ValidationError):
        block.clean(
            block.to_python({"page": value["page"] and value["page"].pk, "url": value["url"]})
        )


def test_every_block_has_an_icon_and_a_template():
    for name, child in BaseStreamBlock().child_blocks.items():
        assert child.meta.icon, name
        assert child.meta.template.startswith("components/blocks/"), name
