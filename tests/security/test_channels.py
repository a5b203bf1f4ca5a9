"""Hostile text in every editor-controlled field, read back through every public channel.

An editor account (or a compromised one) writes markup, script, template syntax, line
breaks, a right-to-left override and very long text into every free-text field of every
page, inline row, snippet and setting, and publishes. Every channel must then carry it as
text: pages and their JSON-LD, the Atom feed, the calendars, the sitemap, search and its
suggestions, the registration e-mails (text and HTML parts) and the CSV export; and each
must still parse with a real parser. A new channel (an API, ActivityPub) gets a check here.
"""

import csv
import io
import json
import re

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree as ET
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from modelcluster.models import get_all_child_relations
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from events.models import EventIndexPage, EventPage, Registration
from portal.blocks import BaseStreamBlock
from portal.models import PortalSettings, SiteTexts
from tests.events.factories import RegistrationFactory

COMBINED = (
    '</script><script>alert(1)</script>"><img src=x onerror=alert(2)>'
    "{{ request.META }}{% now 'Y' %}\r\nBcc: victim@example.org\u202egpj.exe"
)
PAYLOADS = {"markup": COMBINED, "long": ("<b>" + "x" * 97) * 50}
# What an editor can store in rich text: the editor's converter keeps text, drops script
# and javascript: links; the channels must render what is left without running anything.
RICH_TEXT = (
    "<p>&lt;script&gt;alert(3)&lt;/script&gt; <b>fett</b> "
    '<a href="javascript:alert(4)">Link</a> {{ 7|add:1 }}</p><script>alert(5)</script>'
)
EVENT_ATTRIBUTE = re.compile(r"^on", re.IGNORECASE)
FREE_TEXT_VALIDATORS = (MaxLengthValidator, ProhibitNullCharactersValidator)
# tree and routing fields Wagtail maintains; sort_title is derived from the title
SKIPPED_FIELDS = {"path", "slug", "url_path", "sort_title", "draft_title", "translation_key"}


def free_text_fields(model):
    """The fields an editor can fill with any text: Char/Text fields without choices or
    format validators (a colour, an e-mail address or a URL is validated on the way in)."""
    for field in model._meta.concrete_fields:
        if isinstance(field, RichTextField):
            continue  # filled as an editor's rich text (see hostile_portal)
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if isinstance(field, models.EmailField | models.URLField | models.SlugField):
            continue
        if field.choices or field.name in SKIPPED_FIELDS or not field.editable:
            continue
        if any(not isinstance(v, FREE_TEXT_VALIDATORS) for v in field.validators):
            continue
        yield field


def fill(instance, payload):
    for field in free_text_fields(type(instance)):
        setattr(instance, field.name, payload[: field.max_length or None])


def editor_rich_text():
    converter = ContentstateConverter(features=["bold", "italic", "link", "ol", "ul"])
    return converter.to_database_format(converter.from_database_format(RICH_TEXT))


def hostile_file_and_photo_texts(stream, payload):
    """The raw data of a stream of downloads or photos (documentation, materials) with the
    payload in every text an editor types: titles, captions, credits, alt texts."""
    limits = {"title": 200, "caption": 300, "credit": 200}
    blocks = []
    for block in stream.raw_data:
        if not isinstance(block["value"], dict):  # goals: plain strings, kept
            blocks.append({"type": block["type"], "value": block["value"]})
            continue
        value = dict(block["value"])
        for key, limit in limits.items():
            if key in value:
                value[key] = payload[:limit]
        if isinstance(value.get("image"), dict):
            value["image"] = {**value["image"], "alt_text": payload[:250], "decorative": False}
        blocks.append({"type": block["type"], "value": value})
    return blocks


def hostile_stream(payload):
    text = editor_rich_text()
    return [
        ("heading", {"text": payload[:200], "level": "h2"}),
        ("paragraph", text),
        ("quote", {"quote": payload, "attribution": payload[:200]}),
        (
            "call_to_action",
            {
                "title": payload[:200],
                "text": payload,
                "link": {"page": None, "url": "https://example.org/"},
                "button_label": payload[:80],
            },
        ),
        (
            "accordion",
            {"heading": payload[:200], "items": [{"question": payload[:300], "answer": text}]},
        ),
    ]


@pytest.fixture(params=list(PAYLOADS))
def hostile_portal(request, demo):
    payload = PAYLOADS[request.param]
    for page in Page.objects.filter(depth__gt=1).specific():
        fill(page, payload)
        page.draft_title = page.title
        for field in page._meta.concrete_fields:
            if isinstance(field, StreamField) and isinstance(field.stream_block, BaseStreamBlock):
                setattr(page, field.name, hostile_stream(payload))
            elif isinstance(field, StreamField):
                stream = getattr(page, field.name)
                setattr(page, field.name, hostile_file_and_photo_texts(stream, payload))
            elif isinstance(field, RichTextField):
                setattr(page, field.name, editor_rich_text())
        for relation in get_all_child_relations(type(page)):
            for child in getattr(page, relation.get_accessor_name()).all():
                fill(child, payload)
                child.save()
        page.save_revision().publish()
    for texts in SiteTexts.objects.all():
        fill(texts, payload)
        texts.save()
    for portal_settings in PortalSettings.objects.all():
        fill(portal_settings, payload)
        portal_settings.save()
    from labs.models import Topic

    for topic in Topic.objects.all():
        fill(topic, payload)
        topic.save()
    return payload


def assert_inert_html(markup, where):
    """Nothing an editor wrote runs: scripts are only the portal's own files and JSON-LD
    (which parses), no event-handler attributes, no javascript: links, no injected image."""
    soup = BeautifulSoup(markup, "html.parser")
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            json.loads(script.string)
        else:
            assert script.get("src", "").startswith("/static/"), (where, str(script)[:200])
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            assert not EVENT_ATTRIBUTE.match(name), (where, str(element)[:200])
            if name in ("href", "src", "action", "formaction"):
                assert not str(value).strip().lower().startswith("javascript:"), (where, value)
        assert not (element.name == "img" and element.get("src") == "x"), where
    return soup


def live_page_urls():
    return [page.url for page in Page.objects.live().public().filter(depth__gt=1).specific()]


def test_every_page_shows_the_hostile_text_as_text(client, hostile_portal):
    urls = live_page_urls()
    assert len(urls) > 40
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        soup = assert_inert_html(response.content.decode(), url)
        if hostile_portal is COMBINED:
            # template syntax is shown, not evaluated
            assert "{% now 'Y' %}" in soup.get_text(), url


def test_the_atom_feed_carries_text_that_feed_readers_cannot_run(client, hostile_portal):
    for index in EventIndexPage.objects.live():
        response = client.get(f"{index.url}feed/")
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.entries
        namespace = {"atom": "http://www.w3.org/2005/Atom"}
        root = ET.fromstring(response.content)
        for summary in root.iterfind(".//atom:entry/atom:summary", namespace):
            # type="html": a reader parses this string as HTML; it holds no element but the
            # portal's own paragraphs and line breaks (teaser; when and where)
            assert summary.get("type") == "html"
            elements = BeautifulSoup(summary.text or "", "html.parser").find_all(True)
            assert {element.name for element in elements} <= {"p", "br"}
            assert not any(element.attrs for element in elements)
            assert_inert_html(summary.text or "", "feed summary")


def test_calendars_parse_and_keep_every_title_on_one_line(client, hostile_portal):
    event = EventPage.objects.live().filter(locale__language_code="de").first()
    sources = [f"{event.url}calendar/", f"{event.get_parent().url}calendar/"]
    sources += [f"{index.url}calendar/" for index in EventIndexPage.objects.live()]
    for url in sources:
        response = client.get(url)
        assert response.status_code == 200, url
        calendar = icalendar.Calendar.from_ical(response.content)
        events = calendar.walk("VEVENT")
        assert events, url
        for component in events:
            summary = str(component["SUMMARY"])
            assert "\n" not in summary and "\r" not in summary
            assert "\u202e" not in summary
            assert "\n" not in str(component.get("LOCATION", ""))


def test_sitemap_search_and_suggestions_stay_well_formed(client, hostile_portal):
    sitemap = client.get("/sitemap.xml")
    ET.fromstring(sitemap.content)  # raises on broken XML
    for language, path in [("de", "/de/suche/"), ("en", "/en/search/")]:
        for query in ["alert", "script", "x"]:
            response = client.get(path, {"q": query})
            assert response.status_code == 200
            assert_inert_html(response.content.decode(), f"{language} search {query}")
        with translation.override(language):
            suggestions = client.get(reverse("search_suggestions"), {"q": "al"})
        assert isinstance(json.loads(suggestions.content)["suggestions"], list)


def test_mails_and_the_csv_export_carry_the_text_safely(client, hostile_portal):
    event = (
        EventPage.objects.live()
        .filter(locale__language_code="de", registration_mode="built_in")
        .order_by("start")
        .last()
    )
    event.capacity = 50
    event.registration_deadline = None
    event.save_revision().publish()
    mail.outbox.clear()
    response = client.post(
        f"{event.url}register/",
        {
            "name": "Erika Mustermann",
            "email": "erika@example.org",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 302, response.content[:500]
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.message()["Bcc"] is None
    html, _mime = message.alternatives[0]
    assert_inert_html(html, "registration mail")
    RegistrationFactory(event=event, email="f@example.org", name="=1+1", status="confirmed")
    admin = get_user_model().objects.create_superuser("csv-admin", "c@example.org", "pw-12345678")
    client.force_login(admin)
    export = client.get(reverse("event_registrations:export", args=[event.translation_key]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + Registration.objects.for_event(event).count()
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_editors_cannot_store_nul_characters(admin_client, demo):
    """NUL, the one hostile character the channels above never see: the admin refuses it
    (and PostgreSQL could not store it in a text column)."""
    from portal.models import SiteTexts

    before = SiteTexts.objects.count()
    response = admin_client.post(
        reverse("wagtailsnippets_portal_sitetexts:add") + "?locale=en",
        {
            "site_name": "Portal\x00",
            "municipality": "Stadt",
            "funding_notice": "Gefördert\x00",
            "funder_name": "Ministerium",
        },
    )
    assert response.status_code == 200  # the form again, with errors
    assert "Nullzeichen sind nicht erlaubt" in response.content.decode()  # admin in German
    assert SiteTexts.objects.count() == before
