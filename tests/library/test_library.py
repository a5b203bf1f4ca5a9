"""The knowledge library as visitors and editors meet it: the directory with its filters and
counts, material pages with files, licence and relations, the way through the phases,
search, sitemap, JSON-LD and the downloads themselves."""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from events.models import EventPage
from home.models import HomePage
from labs.models import LabPage
from library.models import LibraryPage, MaterialPage
from library.selectors import attach_files
from tests.helpers import card_titles, json_ld, soup_of
from tests.labs.factories import TopicFactory
from tests.library.factories import (
    LibraryPageFactory,
    MaterialPageFactory,
    file_blocks,
    library,
)
from tests.portal.factories import DocumentFactory, published

pytestmark = pytest.mark.django_db

GUIDE_DE = "/de/wissen/leitfaden-was-ist-ein-kosi-lab/"
GUIDE_EN = "/en/knowledge/guide-what-is-a-kosi-lab/"
TEMPLATE_EN = "/en/knowledge/template-lab-concept/"
SERIES_EN = "/en/workshops/workshop-series-labs-of-social-innovation/"


def option_counts(soup, name) -> dict:
    """{option value: the count in its label} of a filter's select."""
    counts = {}
    for option in soup.select(f"select[name={name}] option"):
        match = re.search(r"\((\d+)\)$", option.get_text())
        if match:
            counts[option["value"]] = int(match.group(1))
    return counts


def test_the_library_sits_under_the_home_page_and_holds_materials(demo):
    assert LibraryPage.can_create_at(demo["de"]) is False  # one per language (the skeleton's)
    assert LibraryPage.allowed_parent_page_models() == [HomePage]
    assert MaterialPage.allowed_parent_page_models() == [LibraryPage]
    assert LibraryPage.allowed_subpage_models() == [MaterialPage]
    assert MaterialPage.can_create_at(library())


def test_the_demo_has_materials_of_every_phase_in_both_languages(demo):
    for language in ("de", "en"):
        materials = MaterialPage.objects.live().filter(locale__language_code=language)
        assert materials.count() >= 8
        assert set(materials.values_list("phase", flat=True)) == {1, 2, 3, 4}
    materials = attach_files(MaterialPage.objects.filter(locale__language_code="de"))
    formats = {download.file_format for material in materials for download in material.downloads}
    assert formats == {"PDF", "CSV"}


@pytest.fixture
def own_library(demo):
    """A library of its own with five materials across phases, types, topics and audiences."""
    shelf = LibraryPageFactory(title="Regal")
    published(shelf)
    demography = TopicFactory(name="Demografie", slug="demografie-test")
    specs = [
        ("Leitfaden Idee", 1, "guide", ["administration", "politics"], [demography]),
        ("Vorlage Idee", 1, "template", ["administration"], []),
        ("Checkliste Konzept", 2, "checklist", ["civil_society"], [demography]),
        ("Fallbeispiel Aufbau", 3, "case_study", ["research", "administration"], []),
        ("Methodenkarte Verstetigung", 4, "method_card", ["business"], []),
    ]
    for title, phase, kind, audience, topics in specs:
        material = MaterialPageFactory(
            parent=shelf, title=title, phase=phase, material_type=kind, audience=audience
        )
        material.topics.set(topics)
        published(material)
    return shelf


def test_filters_narrow_the_directory_and_count_per_option(client, own_library):
    url = own_library.url
    soup = soup_of(client.get(url))
    assert len(card_titles(soup)) == 5
    assert option_counts(soup, "phase") == {"1": 2, "2": 1, "3": 1, "4": 1}
    assert option_counts(soup, "type")["guide"] == 1
    assert option_counts(soup, "audience") == {
        "civil_society": 1,
        "administration": 3,
        "politics": 1,
        "business": 1,
        "research": 1,
    }
    assert option_counts(soup, "topic") == {"demografie-test": 2}

    soup = soup_of(client.get(url, {"audience": "administration"}))
    assert sorted(card_titles(soup)) == ["Fallbeispiel Aufbau", "Leitfaden Idee", "Vorlage Idee"]
    # counts of the other filters follow the chosen audience
    assert option_counts(soup, "phase") == {"1": 2, "2": 0, "3": 1, "4": 0}

    soup = soup_of(client.get(url, {"phase": "1", "type": "template"}))
    assert card_titles(soup) == ["Vorlage Idee"]
    soup = soup_of(client.get(url, {"topic": "demografie-test", "phase": "2"}))
    assert card_titles(soup) == ["Checkliste Konzept"]
    assert soup.select_one(".result-count").get_text() == "1 Material"


def test_the_directory_pages_through_many_materials(client, demo, settings):
    settings.PORTAL_PAGE_SIZE = 4
    shelf = published(LibraryPageFactory(title="Großes Regal"))
    for number in range(9):
        published(MaterialPageFactory(parent=shelf, title=f"Material {number:02d}"))
    first = soup_of(client.get(shelf.url))
    assert len(card_titles(first)) == 4
    last = soup_of(client.get(shelf.url, {"page": "3"}))
    assert card_titles(last) == ["Material 08"]
    assert card_titles(soup_of(client.get(shelf.url, {"page": "999"}))) == ["Material 08"]
    assert len(card_titles(soup_of(client.get(shelf.url, {"page": "abc"})))) == 4


@pytest.mark.parametrize(
    "query",
    [
        "phase=9",
        "type=%00",
        "audience=" + "administration" * 400,
        "topic=%E2%80%AE",
        "phase=1&phase=%00&type=guide%00",
        "audience=%22administration%22",
    ],
)
def test_bad_filter_values_are_ignored_with_a_notice(client, demo, query):
    response = client.get(f"/de/wissen/?{query}")
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.select_one(".filters__note") is not None
    assert card_titles(soup)  # the whole library, not an error


def test_a_material_page_shows_its_files_licence_and_relations(client, demo):
    soup = soup_of(client.get(TEMPLATE_EN))
    downloads = soup.select(".download")
    assert [link.get_text() for link in soup.select(".download__link")] == [
        "Template: A lab concept on one page",
        "Template: A lab concept on one page – table",
    ]
    metas = [meta.get_text() for meta in soup.select(".download__meta")]
    assert re.fullmatch(r"\(PDF, [\d.,]+\s(bytes|KB)\)", metas[0]), metas
    assert metas[1].startswith("(CSV, ")
    assert all(link["href"].startswith("/documents/") for link in soup.select(".download a"))
    assert len(downloads) == 2
    licence = soup.select_one(".licence")
    assert licence.select_one("a[rel=license]")["href"] == (
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert "KoSI-Lab, cities of Dortmund and Wuppertal" in licence.get_text()
    assert "CC BY 4.0" in licence.get_text()
    workshop_links = [a["href"] for a in soup.select("#workshops-heading + ul a")]
    assert workshop_links == [
        "/en/workshops/workshop-series-labs-of-social-innovation/concept-development/"
    ]


def test_a_case_study_names_the_lab_it_came_from_in_the_visitors_language(client, demo):
    soup = soup_of(client.get("/en/knowledge/case-study-nordstadt/"))
    assert [a["href"] for a in soup.select("#labs-heading + ul a")] == [
        "/en/labs/growing-older-in-the-nordstadt/"
    ]


def test_material_pages_describe_themselves_as_learning_resources(client, demo):
    (data,) = json_ld(soup_of(client.get(TEMPLATE_EN)))
    assert data["@type"] == "LearningResource"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["learningResourceType"] == "Template"
    assert data["educationalLevel"] and data["inLanguage"] == "en"
    assert data["isPartOf"]["url"] == "http://testserver/en/knowledge/"
    assert [part["encodingFormat"] for part in data["hasPart"]] == ["application/pdf", "text/csv"]
    assert all(part["url"].startswith("http://testserver/documents/") for part in data["hasPart"])
    assert {audience["audienceType"] for audience in data["audience"]} == {
        "Civil society",
        "Administration",
    }


def test_the_way_through_the_phases_walks_every_phase_in_order(client, demo):
    soup = soup_of(client.get("/en/knowledge/phases/"))
    headings = [h2.get_text() for h2 in soup.select(".phase-guide__step h2")]
    assert headings == [
        "Phase 1: Idea and foundations",
        "Phase 2: Concept development",
        "Phase 3: Set-up",
        "Phase 4: Consolidation",
    ]
    first = soup.select_one("#phase-1")
    assert [dt.get_text() for dt in first.select("dt")] == [
        "Requirements",
        "Tasks",
        "Structures",
        "Whom to involve",
    ]
    workshop = first.select_one("h3 + p a")
    assert (
        workshop["href"] == "/en/workshops/workshop-series-labs-of-social-innovation/foundations/"
    )
    materials = [a.get_text() for a in first.select("ul.plain-list a")]
    assert "Guide: What is a KoSI-Lab?" in materials and len(materials) == 3
    german = soup_of(client.get("/de/wissen/phases/"))
    assert german.select_one("#phase-2 h2").get_text() == "Phase 2: Konzeptentwicklung"
    assert soup_of(client.get("/de/wissen/")).select_one('a[href="/de/wissen/phases/"]')


def test_materials_are_found_as_their_own_type(client, demo):
    soup = soup_of(client.get("/de/suche/", {"q": "Leitfaden"}))
    types = {result.get_text(strip=True) for result in soup.select(".search-result__type")}
    assert "Material" in types
    only = soup_of(client.get("/en/search/", {"q": "Guide", "type": "material"}))
    titles = [a.get_text(strip=True) for a in only.select(".search-result a")]
    assert "Guide: What is a KoSI-Lab?" in titles


def test_materials_are_in_the_sitemap(client, demo):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{GUIDE_DE}" in sitemap
    assert f"http://testserver{GUIDE_EN}" in sitemap


def material_pdf():
    material = MaterialPage.objects.get(url_path="/home/wissen/leitfaden-was-ist-ein-kosi-lab/")
    return material, material.files[0].value["document"]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_downloads_carry_their_name_type_and_answer_byte_ranges(client, demo):
    _material, document = material_pdf()
    whole = client.get(document.url)
    assert whole.status_code == 200
    assert whole["Content-Type"] == "application/pdf"
    assert 'filename="leitfaden-kosi-lab.pdf"' in whole["Content-Disposition"]
    data = body(whole)
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    part = client.get(document.url, HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 0-99/{len(data)}"
    assert body(part) == data[:100]


@override_settings(PORTAL_PAGE_CACHE_SECONDS=300)
def test_a_private_collections_file_is_neither_listed_nor_served_to_visitors(client, demo):
    material, document = material_pdf()
    internal = Collection.get_first_root_node().add_child(name="Intern")
    document.collection = internal
    document.save()
    assert document.url in client.get(GUIDE_DE).content.decode()  # now in the page cache
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    response = client.get(document.url)
    assert response.status_code == 302 and "login" in response["Location"]
    soup = soup_of(client.get(GUIDE_DE))
    assert document.url not in [a["href"] for a in soup.select("a")]
    api = client.get(f"/api/v1/materials/{material.pk}/").json()
    assert api["files"] == []


def test_editors_create_a_material_with_its_audience(admin_client, demo):
    document = get_document_model().objects.create(
        title="Neue Checkliste", file=ContentFile(b"a;b\n", name="neu.csv")
    )
    workshop = EventPage.objects.get(slug="grundlagen")
    lab = LabPage.objects.get(slug="gemeinsam-im-quartier")
    data = nested_form_data(
        {
            "title": "Checkliste: Neu",
            "slug": "checkliste-neu",
            "material_type": "checklist",
            "phase": "2",
            "body": streamfield([("paragraph", rich_text("<p>Text</p>"))]),
            "files": streamfield([("file", {"document": document.pk, "title": ""})]),
            "licence": "CC-BY-4.0",
            "attribution": "Stadt Teststadt",
            "workshops": [workshop.pk],
            "labs": [lab.pk],
            "action-publish": "publish",
        }
    )
    # several values of one field (nested_form_data writes lists as formsets)
    data.update(audience=["politics", "business"], workshops=[workshop.pk], labs=[lab.pk])
    response = admin_client.post(f"/admin/pages/add/library/materialpage/{library().pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    material = MaterialPage.objects.get(slug="checkliste-neu")
    assert material.audience == ["politics", "business"]
    assert list(material.workshops.all()) == [workshop]
    add = f"/admin/pages/add/library/materialpage/{library().pk}/"
    unknown_audience = dict(data, slug="checkliste-kaputt", audience=["everyone"])
    without_files = {
        **data,
        **nested_form_data({"files": streamfield([])}),
        "slug": "checkliste-ohne-datei",
    }
    for refused in (unknown_audience, without_files):
        assert admin_client.post(add, refused).status_code == 200
        assert not MaterialPage.objects.filter(slug=refused["slug"]).exists()


def test_publishing_a_workshop_or_a_lab_refreshes_the_materials_naming_it(demo):
    from portal.delivery.cdn import related_pages as dependent_pages

    workshop = EventPage.objects.get(slug="konzeptentwicklung")
    material = MaterialPage.objects.get(slug="vorlage-laborkonzept")
    assert material in dependent_pages(workshop)
    assert workshop in [page.specific for page in material.get_dependent_pages()]
    lab = LabPage.objects.get(slug="aelter-werden-in-der-nordstadt")
    assert MaterialPage.objects.get(slug="fallbeispiel-nordstadt") in dependent_pages(lab)


def test_files_are_described_once_for_any_number_of_materials(demo, django_assert_num_queries):
    materials = list(MaterialPage.objects.filter(locale__language_code="de"))
    with django_assert_num_queries(2):  # the documents with collections, the restrictions
        described = attach_files(materials)
        assert sum(len(material.downloads) for material in described) == 10
        assert {download.file_format for material in described for download in material.downloads}


def test_document_helpers_describe_a_file(demo):
    from portal.documents import downloads

    document = DocumentFactory(file__filename="folien.pdf", file__data=b"x" * 2355)
    material = MaterialPageFactory(files=file_blocks(document, title="Folien"))
    (download,) = downloads({1: material.files})[1]
    assert download.title == "Folien"
    assert download.meta == "PDF, 2,3\xa0KB"  # the German number format of the request
    assert download.media_type == "application/pdf"


def test_the_phase_guide_links_its_own_address_in_both_languages(client, demo):
    soup = soup_of(client.get("/de/wissen/phases/"))
    assert soup.select_one("link[rel=canonical]")["href"] == "http://testserver/de/wissen/phases/"
    alternates = {link["hreflang"]: link["href"] for link in soup.select("link[hreflang]")}
    assert alternates["en"] == "http://testserver/en/knowledge/phases/"
    switcher = [a["href"] for a in soup.select(".language-switcher a")]
    assert "/en/knowledge/phases/" in switcher
    library = soup_of(client.get("/de/wissen/"))
    assert library.select_one("link[rel=canonical]")["href"] == "http://testserver/de/wissen/"
