"""The legal and accessibility pages the skeleton creates, and the barrier feedback form."""

import pytest
from django.core import mail

from home.models import (
    AccessibilityStatementPage,
    BarrierReport,
    Conformance,
    EasyLanguagePage,
    ImprintPage,
    PrivacyPage,
    SignLanguagePage,
)
from tests.helpers import soup_of


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def statement(language="de"):
    return AccessibilityStatementPage.objects.get(locale__language_code=language)


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_fresh_fork_has_every_legal_page_marked_as_unfinished(client, portal, language):
    for model in (ImprintPage, PrivacyPage, AccessibilityStatementPage):
        page = model.objects.get(locale__language_code=language)
        assert page.live
        assert page.placeholders(), model.__name__
        soup = soup_of(client.get(page.url))
        assert soup.select("mark.placeholder"), model.__name__
        assert soup.select_one(".notice[role=note]")
    for model in (EasyLanguagePage, SignLanguagePage):
        assert model.objects.get(locale__language_code=language).live


def test_every_page_links_to_the_legal_pages_and_the_other_forms_of_language(client, demo):
    soup = soup_of(client.get("/de/"))
    footer = [a["href"] for a in soup.select(".site-footer__legal a")]
    assert footer == ["/de/impressum/", "/de/datenschutz/", "/de/barrierefreiheit/"]
    header = [(a.get_text(), a["href"]) for a in soup.select(".accessible-entries a")]
    assert header == [
        ("Leichte Sprache", "/de/leichte-sprache/"),
        ("Gebärdensprache", "/de/gebaerdensprache/"),
    ]
    soup = soup_of(client.get("/en/"))
    header = [(a.get_text(), a["href"]) for a in soup.select(".accessible-entries a")]
    assert header == [("Easy Read", "/en/easy-read/"), ("Sign language", "/en/sign-language/")]


def test_the_imprint_shows_the_fields_of_ddg_and_mstv(client, portal):
    page = ImprintPage.objects.get(locale__language_code="de")
    page.provider = "Stadt Musterstadt\nRathausplatz 1\n12345 Musterstadt"
    page.email = "kosi@musterstadt.de"
    page.editorial_responsible = "Erika Mustermann, Rathausplatz 1"
    page.save_revision().publish()
    soup = soup_of(client.get(page.url))
    text = soup.get_text(" ")
    assert "Rathausplatz 1" in text
    assert "§ 18 Abs. 2 MStV" in text
    assert "Körperschaft des öffentlichen Rechts" in text
    assert soup.select_one('a[href="mailto:kosi@musterstadt.de"]')


def test_the_privacy_policy_follows_article_13_and_names_the_retention(client, portal, settings):
    page = PrivacyPage.objects.get(locale__language_code="de")
    soup = soup_of(client.get(page.url))
    headings = [h.get_text() for h in soup.select("h2")]
    for heading in (
        "Verantwortliche Stelle",
        "Datenschutzbeauftragte Person",
        "Was wir verarbeiten, wozu und wie lange",
        "Ihre Rechte",
        "Beschwerderecht",
    ):
        assert heading in headings
    processing = {h.get_text(): h.find_parent("section") for h in soup.select(".processing h3")}
    assert {"Anmeldung zu Werkstätten", "Meldung von Barrieren"} <= set(processing)
    registration = processing["Anmeldung zu Werkstätten"].get_text(" ")
    assert f"{settings.PORTAL_REGISTRATION_RETENTION_DAYS} Tage" in registration
    feedback = processing["Meldung von Barrieren"].get_text(" ")
    assert f"{settings.PORTAL_FEEDBACK_RETENTION_DAYS} Tage" in feedback


@pytest.mark.parametrize(
    ("conformance", "expected"),
    [
        (Conformance.FULL, "vollständig mit der BITV 2.0 vereinbar"),
        (Conformance.PARTIAL, "teilweise mit der BITV 2.0 vereinbar"),
        (Conformance.NONE, "nicht mit der BITV 2.0 vereinbar"),
    ],
)
def test_the_accessibility_statement_is_structured(client, portal, conformance, expected):
    page = statement()
    page.conformance = conformance
    page.save_revision().publish()
    soup = soup_of(client.get(page.url))
    text = soup.get_text(" ")
    assert expected in text
    assert soup.select(".known-gaps li")  # known barriers with reason and alternative
    assert "Erklärung erstellt am" in text and "Zuletzt überprüft am" in text
    assert soup.select_one(f'a[href="{page.arbitration_url}"]')
    assert soup.select_one("form[action$='feedback/#feedback']")


def test_the_sign_language_page_plays_a_self_hosted_video_with_captions(client, portal):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    video = Document.objects.create(title="DGS", file=ContentFile(b"\x00" * 64, "dgs.mp4"))
    captions = Document.objects.create(title="Untertitel", file=ContentFile(b"WEBVTT\n", "dgs.vtt"))
    page = SignLanguagePage.objects.get(locale__language_code="de")
    page.video, page.captions = video, captions
    page.full_clean()
    page.save_revision().publish()
    soup = soup_of(client.get(page.url))
    assert soup.select_one("video source")["src"] == video.url
    assert soup.select_one("video track[kind=captions]")["src"] == captions.url
    assert not soup.select("iframe")
    assert not soup.select_one("video").has_attr("poster")


def test_the_sign_language_video_shows_its_poster_and_plays_by_byte_ranges(client, portal):
    """A still image before it starts; the player (an iPhone's in particular) fetches the
    video in byte ranges."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from tests.portal.factories import ImageFactory

    video = Document.objects.create(title="DGS", file=ContentFile(b"\x01" * 5000, "dgs.mp4"))
    page = SignLanguagePage.objects.get(locale__language_code="de")
    page.video, page.video_poster = video, ImageFactory()
    page.save_revision().publish()
    soup = soup_of(client.get(page.url))
    poster = soup.select_one("video")["poster"]
    assert poster.endswith(".jpg")
    assert page.video_poster.renditions.filter(file__endswith=poster.rsplit("/", 1)[1]).exists()
    source = soup.select_one("video source")["src"]
    part = client.get(source, HTTP_RANGE="bytes=0-1")
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 0-1/5000"


def test_a_video_must_be_a_video_file(portal):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    page = SignLanguagePage.objects.get(locale__language_code="de")
    page.video = Document.objects.create(title="PDF", file=ContentFile(b"%PDF", "x.pdf"))
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "video" in error.value.message_dict


# The barrier feedback form


def report(client, **data):
    values = {"description": "Das Logo im Kopf hat keinen Alternativtext.", "page_url": "/de/"}
    values.update(data)
    return client.post(f"{statement().url}feedback/", values, REMOTE_ADDR="203.0.113.7")


def test_a_report_is_stored_mailed_and_confirmed(client, portal, settings):
    settings.PORTAL_FEEDBACK_LIMIT_PER_IP = 5
    page = statement()
    page.feedback_email = "barrierefreiheit@musterstadt.de"
    page.save_revision().publish()
    response = report(client, name="Ada", email="ada@example.org")
    assert response.status_code == 302
    assert response["Location"].endswith("feedback/sent/#feedback")
    stored = BarrierReport.objects.get()
    assert stored.description.startswith("Das Logo") and stored.email == "ada@example.org"
    assert stored.locale.language_code == "de"
    [message] = mail.outbox
    assert message.to == ["barrierefreiheit@musterstadt.de"]
    assert message.reply_to == ["ada@example.org"]
    assert "Das Logo im Kopf" in message.body
    confirmation = soup_of(client.get(response["Location"]))
    assert "Vielen Dank" in confirmation.select_one(".feedback [role=status]").get_text()


def test_without_a_feedback_address_the_contact_address_gets_the_report(client, demo):
    from portal.models import PortalSettings

    assert report(client).status_code == 302
    contact = PortalSettings.objects.get().contact_email
    assert [message.to for message in mail.outbox] == [[contact]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": ""}, "Dieses Feld muss ausgefüllt werden."),
        ({"description": "x" * 3001}, "höchstens 3000 Zeichen"),
        ({"description": "<img src=x onerror=alert(1)>"}, "ohne HTML-Code"),
        ({"name": "<b>Ada</b>"}, "ohne HTML-Code"),
        ({"email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ({"website": "https://spam.example"}, "Dieses Feld bitte leer lassen"),
        ({"name": "Ada\u202egpj.exe"}, "Richtung des Textes"),
        ({"page_url": "/de/\x1b[31m"}, "Steuerzeichen"),
    ],
)
def test_bad_reports_get_a_clear_message_and_nothing_is_stored(client, portal, data, message):
    response = report(client, **data)
    assert response.status_code == 200
    soup = soup_of(response)
    assert message in soup.select_one(".feedback .notice--error").get_text(" ")
    assert not BarrierReport.objects.exists()
    assert mail.outbox == []


def test_the_rate_limit_stops_a_flood_with_a_message(client, portal, settings):
    settings.PORTAL_FEEDBACK_LIMIT_PER_IP = 2
    assert report(client).status_code == 302
    assert report(client).status_code == 302
    response = report(client)
    assert response.status_code == 429
    assert "zu viele Meldungen" in response.content.decode()
    assert BarrierReport.objects.count() == 2


def test_a_get_on_the_form_address_goes_to_the_form(client, portal):
    response = client.get(f"{statement().url}feedback/")
    assert response.status_code == 302
    assert response["Location"].endswith("#feedback")


def test_a_mail_failure_keeps_the_report(client, portal, monkeypatch):
    from django.core.mail import EmailMessage

    def broken(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    page = statement()
    page.feedback_email = "barrierefreiheit@musterstadt.de"
    page.save_revision().publish()
    assert report(client).status_code == 302
    assert BarrierReport.objects.count() == 1


def test_reports_are_purged_after_the_retention_time(portal, settings):
    import datetime

    from django.utils import timezone

    from home.feedback import purge_old_reports

    old = BarrierReport.objects.create(locale=statement().locale, description="alt")
    new = BarrierReport.objects.create(locale=statement().locale, description="neu")
    BarrierReport.objects.filter(pk=old.pk).update(
        created_at=timezone.now()
        - datetime.timedelta(days=settings.PORTAL_FEEDBACK_RETENTION_DAYS + 1)
    )
    assert purge_old_reports() == 1
    assert list(BarrierReport.objects.values_list("pk", flat=True)) == [new.pk]


def test_staff_see_reports_in_the_admin_and_cannot_invent_them(admin_client, portal):
    BarrierReport.objects.create(locale=statement().locale, description="Kontrast zu gering")
    response = admin_client.get("/admin/barrier_reports/")
    assert response.status_code == 200
    assert "Kontrast zu gering" in response.content.decode()
    assert admin_client.get("/admin/barrier_reports/new/", follow=True).status_code == 404


def test_a_report_with_browser_line_breaks_is_mailed(client, portal):
    page = statement()
    page.feedback_email = "barrierefreiheit@musterstadt.de"
    page.save_revision().publish()
    assert report(client, description="Bild ohne Text\r\nauf der Startseite.").status_code == 302
    [message] = mail.outbox
    assert "\r" not in message.subject and "\n" not in message.subject
    assert "Bild ohne Text auf der Startseite." in message.subject
