"""Hypothesis sends random and hostile query strings and form bodies to every public endpoint:
listings with their filters, search, feeds, calendars, token links and forms. Whatever
arrives, the answer is never a server error (the test client re-raises exceptions, so a
crash fails the test with its traceback, and Hypothesis shrinks it to the smallest input)."""

import string

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page

from events.models import EventIndexPage, EventPage, EventSeriesPage, RegistrationMode
from home.models import (
    AccessibilityStatementPage,
    ContentPage,
    EasyLanguagePage,
    HomePage,
    ImprintPage,
    PrivacyPage,
    SignLanguagePage,
)
from labs.models import ActorIndexPage, ActorPage, LabIndexPage, LabPage
from library.models import LibraryPage, MaterialPage
from network.models import NetworkPage
from tests.helpers import public_page_types

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every parameter a public view reads, plus names nobody expects.
PARAMETERS = [
    "page",
    "q",
    "type",
    "phase",
    "city",
    "topic",
    "lab",
    "sector",
    "series",
    "format",
    "month",
    "when",
    "v",
    "year",
    "token",
    "lang",
    "next",
    "format[]",
    "page\x00",
    "source",
    "resource",
]

HOSTILE_VALUES = [
    "",
    "%00",
    "\x00",
    "0",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "2026-13",
    "2026-02-30",
    "0000-00",
    "' OR 1=1 --",
    '"',
    '""',
    "\\",
    "*",
    "(",
    "AND OR NOT",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "ｗｅｒｋｓｔａｔｔ",  # full-width letters
    "Ä" * 5000,
    "a" * 100_000,
    "\u202eevil",  # right-to-left override
    "e\u0301" * 50,  # combining accents
    "😀🏳️‍🌈",
    "\ud7ff\ue000\uffff",
    "past",
    "upcoming",
]

# Text without lone surrogates (those cannot be encoded into a URL at all).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
VALUES = st.one_of(st.sampled_from(HOSTILE_VALUES), ANY_TEXT, st.integers().map(str))
QUERIES = st.lists(st.tuples(st.sampled_from(PARAMETERS) | ANY_TEXT, VALUES), max_size=6)
# Raw query strings, including broken percent escapes and invalid UTF-8.
RAW_QUERIES = st.lists(
    st.sampled_from(["%", "%ZZ", "%00", "%C0%AF", "%FF%FE", "&", "=", ";", "+", "q", "page", "1"])
    | st.text(string.printable, max_size=20),
    max_size=12,
).map("".join)


def first_url(model, language, **filters):
    page = model.objects.live().filter(locale__language_code=language, **filters).first()
    assert page is not None, f"the demo content has no {model.__name__} in {language}"
    return page.url


@pytest.fixture
def endpoints(demo):
    """Every public GET endpoint of the demo portal, in both languages."""
    urls = ["/sitemap.xml", "/robots.txt", "/theme.css", "/health/", "/", "/review/x/"]
    for language in ("de", "en"):
        lab_index = first_url(LabIndexPage, language)
        actor_index = first_url(ActorIndexPage, language)
        event_index = first_url(EventIndexPage, language)
        series = first_url(EventSeriesPage, language)
        event = first_url(EventPage, language)
        statement = first_url(AccessibilityStatementPage, language)
        library = first_url(LibraryPage, language)
        urls += [
            first_url(HomePage, language),
            first_url(ContentPage, language),
            first_url(ImprintPage, language),
            first_url(PrivacyPage, language),
            statement,
            f"{statement}feedback/sent/",
            f"{statement}?page=/de/",
            first_url(EasyLanguagePage, language),
            first_url(SignLanguagePage, language),
            lab_index,
            first_url(LabPage, language),
            actor_index,
            first_url(ActorPage, language),
            event_index,
            f"{event_index}calendar/",
            f"{event_index}feed/",
            series,
            f"{series}calendar/",
            event,
            f"{event}calendar/",
            f"{event}register/sent/",
            f"{event}register/confirm/not-a-token/",
            f"{event}register/cancel/{'f' * 40}-0-abc/",
            first_url(EventPage, language, end__lt=timezone.now()),  # its documentation
            library,
            f"{library}phases/",
            first_url(MaterialPage, language),
            first_url(NetworkPage, language),
            f"{first_url(NetworkPage, language)}?source=1&month=2026-13",
            "/de/suche/" if language == "de" else "/en/search/",
            "/de/suche/suggestions/" if language == "de" else "/en/search/suggestions/",
        ]
    # the network's ActivityPub and WebFinger addresses (no language prefix)
    urls += [
        "/.well-known/webfinger",
        "/ap/actor",
        "/ap/actor/outbox",
        "/ap/actor/followers",
        "/ap/instance",
        "/ap/events/00000000-0000-0000-0000-000000000000",
    ]
    return urls


def assert_no_server_error(response, url):
    assert response.status_code < 500, (url, response.status_code)


@FUZZ
@given(data=st.data())
def test_random_query_parameters_never_cause_a_server_error(endpoints, data):
    client = Client()
    url = data.draw(st.sampled_from(endpoints), label="url")
    params = data.draw(QUERIES, label="params")
    response = client.get(url, params)
    assert_no_server_error(response, url)


@FUZZ
@given(data=st.data())
def test_broken_raw_query_strings_never_cause_a_server_error(endpoints, data):
    client = Client()
    url = data.draw(st.sampled_from(endpoints), label="url")
    raw = data.draw(RAW_QUERIES, label="query string")
    response = client.get(url, QUERY_STRING=raw)
    assert_no_server_error(response, url)


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_every_hostile_value_in_every_parameter_at_once(client, endpoints, value):
    """Each known hostile value in all parameters of one request, on every endpoint (the
    English pages run the same code; Hypothesis covers them)."""
    params = {parameter: value for parameter in PARAMETERS}
    for url in endpoints:
        if url.startswith("/en/"):
            continue
        assert_no_server_error(client.get(url, params), url)


@pytest.fixture
def registration_url(demo):
    event = (
        EventPage.objects.live()
        .filter(locale__language_code="de", registration_mode=RegistrationMode.BUILT_IN)
        .first()
    )
    assert event is not None, "the demo content has no workshop with the registration form"
    return f"{event.url}register/"


FORM_FIELDS = ["name", "email", "organisation", "municipality", "note", "consent", "website"]


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from(FORM_FIELDS) | ANY_TEXT,
        st.one_of(VALUES, st.lists(VALUES, max_size=3)),
        max_size=10,
    ),
    address=st.ip_addresses(v=4).map(str),
)
def test_random_registration_bodies_never_cause_a_server_error(registration_url, body, address):
    response = Client().post(registration_url, body, REMOTE_ADDR=address)
    assert_no_server_error(response, registration_url)


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from(["description", "page_url", "name", "email", "website"]) | ANY_TEXT,
        st.one_of(VALUES, st.lists(VALUES, max_size=3)),
        max_size=8,
    ),
    address=st.ip_addresses(v=4).map(str),
)
def test_random_barrier_reports_never_cause_a_server_error(demo, body, address):
    url = f"{first_url(AccessibilityStatementPage, 'de')}feedback/"
    response = Client().post(url, body, REMOTE_ADDR=address)
    assert_no_server_error(response, url)


@FUZZ
@given(
    decision=st.one_of(st.sampled_from(["approve", "reject", ""]), ANY_TEXT),
    comment=VALUES,
    token=st.one_of(
        st.sampled_from(["x", "1-2-3", "-" * 10]), ANY_TEXT.filter(lambda t: "/" not in t)
    ),
)
def test_random_review_decisions_never_cause_a_server_error(demo, decision, comment, token):
    from urllib.parse import quote

    url = f"/review/{quote(token, safe='')}/" if token else "/review/x/"
    response = Client().post(url, {"decision": decision, "comment": comment})
    assert_no_server_error(response, url)


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from(["username", "password", "next", "remember"]),
        VALUES,
        max_size=4,
    )
)
def test_random_admin_login_bodies_never_cause_a_server_error(db, body):
    response = Client().post("/admin/login/", body)
    assert_no_server_error(response, "/admin/login/")


@FUZZ
@given(path=st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=80))
def test_random_paths_never_cause_a_server_error(demo, path):
    from urllib.parse import quote

    for prefix in ("/de/", "/en/", "/documents/", "/"):
        url = prefix + quote(path)
        assert_no_server_error(Client().get(url), url)


def test_the_endpoint_list_covers_every_public_page_type(endpoints):
    """If a page type is added, the fuzzing must learn about it."""
    from django.apps import apps

    page_types = {
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model is not Page and not model._meta.abstract
    }
    assert page_types == set(public_page_types())
