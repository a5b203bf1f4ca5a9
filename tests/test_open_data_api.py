"""The open data API (/api/v1/) as a reuser meets it: documented in OpenAPI 3 and answering
as documented, filters and pagination, per host and language, only what is public and never
personal data, and good manners (400 not 500, 304, CORS, 429)."""

import copy
import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from wagtail.models import Page, PageViewRestriction, Site

from events.models import EventPage, EventSeriesPage, Registration
from labs.models import LabPage
from tests.events.factories import EventPageFactory, RegistrationFactory
from tests.library.factories import MaterialPageFactory
from tests.portal.factories import published

pytestmark = pytest.mark.django_db

COLLECTIONS = ["workshops", "series", "labs", "partners", "materials"]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture
def openapi(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)  # the OpenAPI 3 specification
    return document


def resolved(schema, document):
    """`schema` with its $refs into the document's components replaced."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            return resolved(document["components"]["schemas"][name], document)
        if schema.get("nullable") and len(schema.get("allOf", [])) == 1:
            # drf-spectacular's "this object or null" (OpenAPI 3.0 has no better way)
            return {**resolved(schema["allOf"][0], document), "nullable": True}
        return {key: resolved(value, document) for key, value in schema.items()}
    if isinstance(schema, list):
        return [resolved(item, document) for item in schema]
    return schema


def response_schema(document, path, status="200"):
    operation = document["paths"][path]["get"]
    content = operation["responses"][status]["content"]["application/json"]
    return resolved(copy.deepcopy(content["schema"]), document)


def get(client, url, **params):
    return client.get(url, params)


def items(client, collection, **params):
    response = get(client, f"/api/v1/{collection}/", **params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_openapi_document_describes_every_collection_with_its_parameters(openapi):
    for collection in COLLECTIONS:
        assert f"/api/v1/{collection}/" in openapi["paths"]
        assert f"/api/v1/{collection}/{{id}}/" in openapi["paths"]
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in openapi["paths"]["/api/v1/workshops/"]["get"]["parameters"]
    }
    assert {"language", "limit", "offset", "from", "to", "series", "lab", "format", "status"} <= (
        parameters.keys()
    )
    assert parameters["documented"]["type"] == "boolean"
    materials = {
        parameter["name"]: parameter["schema"]
        for parameter in openapi["paths"]["/api/v1/materials/"]["get"]["parameters"]
    }
    assert materials["phase"]["enum"] == [1, 2, 3, 4]
    assert set(materials["type"]["enum"]) == {
        "guide",
        "template",
        "checklist",
        "method_card",
        "case_study",
    }
    assert len(materials["audience"]["enum"]) == 5 and "topic" in materials
    assert parameters["format"]["enum"] == ["in_person", "online", "hybrid"]
    assert parameters["limit"]["maximum"] == 100
    assert parameters["language"]["enum"] == ["de", "en"]


def test_the_document_is_generated_without_a_warning(db):
    """drf-spectacular's warnings name real faults (two components of one name, one enum
    under two names); `check --deploy` fails on them in production."""
    from django.core.checks import run_checks

    problems = run_checks(include_deployment_checks=True, tags=None)
    spectacular = [problem for problem in problems if problem.id.startswith("drf_spectacular")]
    assert spectacular == []


def test_every_answer_is_what_the_document_says(client, demo, openapi):
    for collection in COLLECTIONS:
        for language in ["de", "en"]:
            listing = items(client, collection, language=language, limit=100)
            OAS30Validator(response_schema(openapi, f"/api/v1/{collection}/")).validate(listing)
            assert listing["results"], (collection, language)
            detail_schema = response_schema(openapi, f"/api/v1/{collection}/{{id}}/")
            for item in listing["results"]:
                detail = get(client, f"/api/v1/{collection}/{item['id']}/", language=language)
                assert detail.status_code == 200
                OAS30Validator(detail_schema).validate(detail.json())
                assert detail.json()["url"] == item["url"]


def test_workshops_filter_by_date_series_lab_format_and_status(client, demo):
    everything = items(client, "workshops", limit=100)
    starts = [item["start"] for item in everything["results"]]
    assert starts == sorted(starts)  # ordered by start
    assert (
        everything["count"] == EventPage.objects.live().filter(locale__language_code="de").count()
    )

    today = timezone.localdate()
    upcoming = items(client, "workshops", **{"from": today.isoformat()})["results"]
    assert upcoming and all(item["end"] >= today.isoformat() for item in upcoming)
    past = items(client, "workshops", to=(today - datetime.timedelta(days=1)).isoformat())
    assert [item["title"] for item in past["results"]] == ["1. Werkstatt: Grundlagen"]
    # a range the wrong way round is valid and holds nothing
    inverted = items(client, "workshops", **{"from": "2027-02-01", "to": "2027-01-01"})
    assert inverted["count"] == 0
    # the calendar's extremes are valid days too
    extremes = items(client, "workshops", **{"from": "0001-01-01", "to": "9999-12-31"})
    assert extremes["count"] == everything["count"]

    series = EventSeriesPage.objects.get(locale__language_code="de")
    in_series = items(client, "workshops", series=series.pk)["results"]
    assert [item["part_number"] for item in in_series] == [1, 2, 3, 4]
    lab = LabPage.objects.get(slug="gemeinsam-im-quartier")
    for_lab = items(client, "workshops", lab=lab.pk)["results"]
    assert for_lab and all(lab.pk in [each["id"] for each in item["labs"]] for item in for_lab)
    online = items(client, "workshops", format="online")["results"]
    assert online and {item["format"] for item in online} == {"online"}
    cancelled = items(client, "workshops", status="cancelled")["results"]
    assert [item["title"] for item in cancelled] == ["Exkursion ins Nordstadt-Labor"]

    konzept = next(item for item in everything["results"] if item["part_number"] == 2)
    assert konzept["registration"]["seats_left"] == 3
    assert konzept["place"]["locality"] == "Dortmund"
    assert konzept["place"]["latitude"] == pytest.approx(51.5236)


def test_workshops_filter_by_documentation_and_carry_it(client, demo):
    documented = items(client, "workshops", documented="true", language="en")["results"]
    assert [item["title"] for item in documented] == ["Workshop 1: Foundations"]
    assert documented[0]["documented"] is True
    others = items(client, "workshops", documented="false", limit=100)
    everything = items(client, "workshops", limit=100)
    assert others["count"] == everything["count"] - 1
    assert not any(item["documented"] for item in others["results"])
    details = get(client, f"/api/v1/workshops/{documented[0]['id']}/", language="en").json()
    documentation = details["documentation"]
    assert documentation["summary"].startswith("<p>About forty people")
    assert [file["kind"] for file in documentation["files"]] == ["slides", "minutes"]
    assert all(file["format"] == "PDF" and file["size"] > 0 for file in documentation["files"])
    assert all(
        file["url"].startswith("http://testserver/documents/") for file in documentation["files"]
    )
    assert len(documentation["photos"]) == 3 and all(
        photo["alt"] for photo in documentation["photos"]
    )
    upcoming = next(item for item in everything["results"] if item["part_number"] == 2)
    assert get(client, f"/api/v1/workshops/{upcoming['id']}/").json()["documentation"] is None


def test_materials_filter_by_phase_type_topic_and_audience(client, demo):
    everything = items(client, "materials", limit=100)
    assert everything["count"] == 9
    phases = [item["phase"] for item in everything["results"]]
    assert phases == sorted(phases)  # ordered by phase, then title
    first = items(client, "materials", phase=1)["results"]
    assert len(first) == 3 and {item["phase"] for item in first} == {1}
    guides = items(client, "materials", type="guide")["results"]
    assert {item["type"] for item in guides} == {"guide"} and len(guides) == 3
    business = items(client, "materials", audience="business")["results"]
    assert business and all("business" in item["audience"] for item in business)
    demography = items(client, "materials", topic="demografie", language="en")["results"]
    assert demography and all(
        "Demographic change" in [topic["name"] for topic in item["topics"]] for item in demography
    )
    assert items(client, "materials", phase=4, type="case_study")["count"] == 0
    concept = next(item for item in everything["results"] if item["type"] == "template")
    assert concept["material_licence"]["id"] == "CC-BY-4.0"
    assert concept["material_licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [file["format"] for file in concept["files"]] == ["PDF", "CSV"]
    assert [workshop["title"] for workshop in concept["workshops"]] == [
        "2. Werkstatt: Konzeptentwicklung"
    ]
    case = next(item for item in everything["results"] if item["type"] == "case_study")
    english = get(client, f"/api/v1/materials/{case['id']}/", language="en")
    assert english.status_code == 404  # a German id
    (case_en,) = [
        item for item in items(client, "materials", language="en", type="case_study")["results"]
    ]
    assert case_en["labs"][0]["url"].endswith("/en/labs/growing-older-in-the-nordstadt/")


@pytest.mark.parametrize(
    "query",
    [{"phase": "9"}, {"type": "leitfaden"}, {"audience": "x\x00"}, {"topic": "a" * 300}],
)
def test_bad_material_filters_are_a_400(client, demo, query):
    response = client.get("/api/v1/materials/", query)
    assert response.status_code == 400 and response.json()


def test_languages_and_pagination(client, demo):
    english = items(client, "workshops", language="en", limit=2)
    assert english["count"] == EventPage.objects.live().filter(locale__language_code="en").count()
    first = english["results"][0]
    assert first["url"] == first["languages"]["en"] and "/en/" in first["url"]
    german = items(client, "workshops", limit=100)["results"]
    (same,) = [item for item in german if item["translation_key"] == first["translation_key"]]
    assert same["languages"] == first["languages"]
    assert english["next"].endswith("/api/v1/workshops/?language=en&limit=2&offset=2")
    assert english["next"].startswith(Site.objects.get(is_default_site=True).root_url)
    second = client.get(english["next"].split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert second.status_code == 200
    assert second.json()["results"][0]["id"] not in [item["id"] for item in english["results"]]
    assert second.json()["previous"]


@pytest.mark.parametrize(
    "query",
    [
        {"format": "workshop"},
        {"from": "2026-13-01"},
        {"to": "gestern"},
        {"series": "zwei"},
        {"lab": "0"},
        {"limit": "101"},
        {"limit": "0"},
        {"offset": "-1"},
        {"language": "fr"},
        {"status": "x\x00"},
        {"format": "in_person" * 30},
        {"unknown": "1"},
    ],
)
def test_bad_input_is_a_400_with_a_message(client, demo, query):
    response = client.get("/api/v1/workshops/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()  # names what is wrong


def test_unknown_ids_and_other_languages_ids_are_not_found(client, demo):
    english = EventPage.objects.live().filter(locale__language_code="en").first()
    assert client.get(f"/api/v1/workshops/{english.pk}/").status_code == 404
    assert client.get(f"/api/v1/workshops/{english.pk}/", {"language": "en"}).status_code == 200
    missing = client.get("/api/v1/workshops/999999/")
    assert missing.status_code == 404 and missing.json()["detail"]


def test_only_live_public_pages_of_the_requested_site(client, demo):
    call_command("load_demo_content", stdout=None)  # adds Lindental
    lindental = Site.objects.get(hostname="lindental.localhost")
    draft = EventPageFactory(title="Entwurf", live=False)
    private = published(EventPageFactory(title="Geschlossene Werkstatt"))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    titles = [item["title"] for item in items(client, "workshops", limit=100)["results"]]
    assert "Entwurf" not in titles and "Geschlossene Werkstatt" not in titles
    assert "Dorfwerkstatt: Ideen für den Dorfladen" not in titles
    assert client.get(f"/api/v1/workshops/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/workshops/{private.pk}/").status_code == 404

    theirs = client.get("/api/v1/workshops/", HTTP_HOST=f"{lindental.hostname}:{lindental.port}")
    assert [item["title"] for item in theirs.json()["results"]] == [
        "Dorfwerkstatt: Ideen für den Dorfladen"
    ]
    assert all("lindental.localhost" in item["url"] for item in theirs.json()["results"])


def test_nothing_personal_is_published(client, demo):
    RegistrationFactory(
        event=EventPage.objects.get(slug="konzeptentwicklung"),
        name="Rita Registrantin",
        email="rita.registrantin@example.net",
        status="confirmed",
    )
    users = get_user_model().objects.all()
    forbidden = {registration.email for registration in Registration.objects.all()}
    forbidden |= {registration.name for registration in Registration.objects.all()}
    forbidden |= {user.get_full_name() for user in users} | {user.email for user in users}
    forbidden = {value for value in forbidden if value and len(value) > 4}
    texts = []

    def walk(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                assert key not in {"email", "contact_email", "phone", "contact_phone", "note"}
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
        elif isinstance(value, str):
            texts.append(value)

    for collection in COLLECTIONS:
        for language in ["de", "en"]:
            listing = items(client, collection, language=language, limit=100)
            walk(listing)
            for item in listing["results"]:
                walk(get(client, f"/api/v1/{collection}/{item['id']}/", language=language).json())
    assert texts
    for text in texts:
        assert not EMAIL.search(text.replace("mailto:", "")), text
        assert not any(value in text for value in forbidden), text


def test_answers_are_conditional_and_open_to_other_sites_scripts(client, demo):
    first = client.get("/api/v1/labs/")
    assert first["Access-Control-Allow-Origin"] == "*"
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/api/v1/labs/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get("/api/v1/labs/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    lab = LabPage.objects.get(slug="gemeinsam-im-quartier")
    lab.title = "Gemeinsam im Quartier (neu)"
    lab.save_revision().publish()
    changed = client.get("/api/v1/labs/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Gemeinsam im Quartier (neu)" in changed.content.decode()


@override_settings(PORTAL_API_REQUESTS_PER_MINUTE=3)
def test_a_client_asking_too_often_is_told_when_to_come_back(client, demo):
    statuses = [client.get("/api/v1/series/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/series/")
    assert int(refused["Retry-After"]) > 0 and refused.json()["detail"]


@override_settings(PORTAL_PAGE_CACHE_SECONDS=300)
def test_the_page_cache_keeps_answers_and_a_publish_refreshes_them(client, demo):
    assert client.get("/api/v1/workshops/")["X-Cache"] == "MISS"
    assert client.get("/api/v1/workshops/")["X-Cache"] == "HIT"
    event = EventPage.objects.get(slug="konzeptentwicklung")
    event.title = "2. Werkstatt: Konzeptentwicklung (verschoben)"
    event.save_revision().publish()
    fresh = client.get("/api/v1/workshops/")
    assert fresh["X-Cache"] == "MISS"
    assert "(verschoben)" in fresh.content.decode()


def test_queries_do_not_grow_with_the_page_size(client, demo, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lab = LabPage.objects.get(slug="gemeinsam-im-quartier")
    workshop = EventPage.objects.get(slug="grundlagen")
    for number in range(30):
        published(EventPageFactory(title=f"Massenwerkstatt {number}"))
        # first in their phase's title order, each with a lab and a workshop of its own
        material = MaterialPageFactory(title=f"Aa Massenmaterial {number:02d}")
        material.labs.set([lab])
        material.workshops.set([workshop])
        published(material)

    def count(collection, limit):
        client.get(f"/api/v1/{collection}/", {"limit": limit})  # warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/{collection}/", {"limit": limit})
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(limit, response.json()["count"])
        return len(queries)

    for collection in COLLECTIONS:
        assert count(collection, 3) == count(collection, 30), collection


def test_page_json_is_a_reusers_document(client, demo):
    """What a city's main website would embed: the workshop's facts in both languages."""
    (item,) = [
        item
        for item in items(client, "workshops", language="en", limit=100)["results"]
        if item["part_number"] == 2
    ]
    assert item["title"] == "Workshop 2: Concept development"
    assert item["place"]["name"] == "Nordstadt neighbourhood workshop"
    assert item["series"]["title"] == "Workshop series: Labs of social innovation"
    assert item["ics_url"].endswith("/concept-development/calendar/")
    details = get(client, f"/api/v1/workshops/{item['id']}/", language="en").json()
    assert details["licence"]["uri"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert details["speakers"] and details["agenda"] and details["goals"]
    json.dumps(details)  # plain JSON
    assert Page.objects.filter(pk=item["id"], locale__language_code="en").exists()


@pytest.mark.parametrize(
    ("home", "reference", "heading"),
    [("/de/", "/de/offene-daten/", "Werkstätten"), ("/en/", "/en/open-data/", "Workshops")],
)
def test_people_find_the_reference_in_their_language_from_every_page(
    client, demo, home, reference, heading
):
    from tests.helpers import soup_of

    footer_links = [a["href"] for a in soup_of(client.get(home)).select(".site-footer a")]
    assert reference in footer_links
    page = soup_of(client.get(reference))
    assert heading in [h2.get_text() for h2 in page.select("h2")]
    rows = {row.select_one("th code").get_text() for row in page.select(".api-parameters tbody tr")}
    assert {"language", "limit", "offset", "from", "to", "format", "phase", "sector"} <= rows
    assert {"documented", "type", "audience"} <= rows
    links = [a["href"] for a in page.select("a")]
    assert "/api/openapi.json" in links and "/api/catalog.ttl" in links
    assert any(link.startswith("/api/v1/workshops/?language=") for link in links)
