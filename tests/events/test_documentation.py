"""A workshop's documentation: shown once it has ended, in place of registration; the
archive's filter and badge; the series page; JSON-LD; translations and the workflow."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction

from events.models import EventPage, EventSeriesPage
from portal.blocks import FigureBlock
from tests.events.factories import EventPageFactory
from tests.helpers import card_titles, json_ld, soup_of
from tests.portal.factories import DocumentFactory, ImageFactory, published, translated

pytestmark = pytest.mark.django_db

SERIES_DE = "/de/werkstaetten/werkstattreihe-labore-sozialer-innovation/"
PART_ONE_DE = f"{SERIES_DE}grundlagen/"
PART_ONE_EN = "/en/workshops/workshop-series-labs-of-social-innovation/foundations/"
SUMMARY = "<p>Wir haben drei Ideen für das Quartier gesammelt.</p>"


def documented(event, **fields):
    """`event` with a summary, one PDF and one photo, published."""
    document = DocumentFactory(title="Protokoll", file__filename="protokoll.pdf")
    image = ImageFactory()
    event.documentation_summary = SUMMARY
    event.documentation_files = [
        {"type": "file", "value": {"document": document.pk, "title": "", "kind": "minutes"}}
    ]
    event.documentation_photos = [
        {
            "type": "photo",
            "value": {
                "image": {
                    "image": image.pk,
                    "alt_text": "Stellwand mit Karten",
                    "decorative": False,
                },
                "caption": "Ergebnisse",
                "credit": "",
            },
        }
    ]
    for name, value in fields.items():
        setattr(event, name, value)
    return published(event)


def past_workshop(**fields):
    start = timezone.now() - datetime.timedelta(days=3)
    fields = {"title": "Vergangene Werkstatt", **fields}
    return EventPageFactory(start=start, end=start + datetime.timedelta(hours=2), **fields)


def test_an_ended_workshop_leads_with_its_documentation(client, demo):
    soup = soup_of(client.get(PART_ONE_DE))
    section = soup.select_one("#documentation")
    assert section is not None
    # before the facts: the page leads with it
    assert section.find_next("dl", class_="event__facts") is not None
    assert [a.get_text() for a in section.select(".download__link")] == [
        "1. Werkstatt: Folien",
        "1. Werkstatt: Protokoll",
    ]
    metas = [meta.get_text() for meta in section.select(".download__meta")]
    assert metas[0].startswith("(Folien, PDF, ") and metas[1].startswith("(Protokoll, PDF, ")
    photos = section.select(".gallery img")
    assert len(photos) == 3 and all(photo["alt"] for photo in photos)
    materials = [a.get_text() for a in section.select(".materials-used a")]
    assert "Leitfaden: Was ist ein KoSI-Lab?" in materials


def test_documentation_of_a_coming_workshop_is_not_shown(client, demo):
    event = documented(EventPageFactory(title="Kommende Werkstatt"))
    soup = soup_of(client.get(event.url))
    assert soup.select_one("#documentation") is None
    assert SUMMARY not in str(soup)


def test_an_ended_workshop_offers_no_registration(client, demo):
    event = documented(past_workshop(registration_mode="built_in", capacity=10))
    soup = soup_of(client.get(event.url))
    assert soup.select_one("#documentation") is not None
    assert soup.select_one("#registration") is None
    assert not [a for a in soup.select("a.kern-btn") if "Anmelden" in a.get_text()]
    refused = client.post(f"{event.url}register/", {"name": "Anna", "email": "anna@example.org"})
    assert refused.status_code == 403


def test_the_archive_marks_and_filters_documented_workshops(client, demo):
    documented(past_workshop(title="Dokumentierte Werkstatt"))
    published(past_workshop(title="Undokumentierte Werkstatt"))
    archive = soup_of(client.get("/de/werkstaetten/", {"when": "past"}))
    cards = {card.select_one(".card__title").get_text(): card for card in archive.select(".card")}
    badge = "Dokumentation verfügbar"
    assert badge in cards["Dokumentierte Werkstatt"].get_text()
    assert badge not in cards["Undokumentierte Werkstatt"].get_text()
    option = archive.select_one("select[name=documentation] option[value=available]")
    assert option.get_text().endswith("(2)")  # with the demo's first part
    filtered = soup_of(
        client.get("/de/werkstaetten/", {"when": "past", "documentation": "available"})
    )
    assert sorted(card_titles(filtered)) == ["1. Werkstatt: Grundlagen", "Dokumentierte Werkstatt"]
    upcoming = soup_of(client.get("/de/werkstaetten/"))
    assert upcoming.select_one("select[name=documentation]") is None


def test_the_series_page_lists_each_parts_documentation(client, demo):
    soup = soup_of(client.get(SERIES_DE))
    (entry,) = soup.select(".series-parts__documentation")
    assert entry.select_one("a")["href"] == f"{PART_ONE_DE}#documentation"
    assert len(entry.select(".download")) == 2


def test_the_workshops_json_ld_features_its_documentation_files(client, demo):
    (data,) = json_ld(soup_of(client.get(PART_ONE_EN)))
    files = data["workFeatured"]
    assert [item["name"] for item in files] == ["Workshop 1: slides", "Workshop 1: minutes"]
    assert all(item["@type"] == "DigitalDocument" for item in files)
    assert all(item["encodingFormat"] == "application/pdf" for item in files)
    assert all(item["url"].startswith("http://testserver/documents/") for item in files)
    assert "offers" in data  # still an event


def test_documentation_is_translated_with_the_page(client, demo):
    soup = soup_of(client.get(PART_ONE_EN))
    summary = soup.select_one(".documentation__summary").get_text()
    assert "About forty people" in summary
    captions = [figure.get_text(strip=True) for figure in soup.select(".gallery figcaption")]
    assert captions == [
        "Group work in the morning",
        "The challenges collected",
        "Talking in the break",
    ]
    event = documented(past_workshop(title="Werkstatt zum Übersetzen"))
    english = translated(
        event,
        {
            "Werkstatt zum Übersetzen": "Workshop to translate",
            "Wir haben drei Ideen für das Quartier gesammelt.": "We collected three ideas.",
            "Stellwand mit Karten": "Pin board with cards",
            "Ergebnisse": "Results",
        },
    )
    soup = soup_of(client.get(english.url))
    assert soup.select_one(".documentation__summary").get_text(strip=True) == (
        "We collected three ideas."
    )
    assert soup.select_one(".gallery img")["alt"] == "Pin board with cards"


def test_documentation_goes_through_the_workflow_like_the_page(client, demo):
    event = published(past_workshop(title="Werkstatt mit Entwurf"))
    event.documentation_summary = SUMMARY
    event.save_revision()  # a draft awaiting approval
    assert client.get(event.url).status_code == 200
    assert soup_of(client.get(event.url)).select_one("#documentation") is None
    event.get_latest_revision().publish()
    assert soup_of(client.get(event.url)).select_one("#documentation") is not None


def test_downloads_and_photos_need_a_summary_and_photos_a_description(demo):
    event = past_workshop()
    event.documentation_files = [
        {"type": "file", "value": {"document": DocumentFactory().pk, "title": "", "kind": "slides"}}
    ]
    assert "documentation_summary" in event.validation_errors()
    image = ImageFactory()
    block = FigureBlock()
    with pytest.raises(ValidationError):
        block.clean(
            block.to_python({"image": {"image": image.pk, "alt_text": "", "decorative": False}})
        )
    assert block.clean(
        block.to_python({"image": {"image": image.pk, "alt_text": "", "decorative": True}})
    )


def test_a_private_collections_file_is_left_out(client, demo):
    private = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    event = EventPage.objects.get(slug="grundlagen")
    minutes = event.documentation_files[1].value["document"]
    minutes.collection = private
    minutes.save()
    section = soup_of(client.get(PART_ONE_DE)).select_one("#documentation")
    assert [a.get_text() for a in section.select(".download__link")] == ["1. Werkstatt: Folien"]
    assert EventSeriesPage.objects.filter(slug="werkstattreihe-labore-sozialer-innovation")
