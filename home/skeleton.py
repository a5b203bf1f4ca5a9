"""The legal and accessibility pages every fork needs (run by `setup_portal`), in German
with their English translation. Where only the city knows the answer, the text is a
placeholder "[Platzhalter: …]"; the dashboard lists the pages that still contain one."""

import datetime

from django.conf import settings
from django.core.management.base import CommandError

from portal.models import PortalSettings

from .models import (
    AccessibilityStatementPage,
    Conformance,
    EasyLanguagePage,
    HomePage,
    ImprintPage,
    PrivacyPage,
    SignLanguagePage,
)

PAGE_PATHS = {
    "/home/",
    "/home/impressum/",
    "/home/datenschutz/",
    "/home/barrierefreiheit/",
    "/home/leichte-sprache/",
    "/home/gebaerdensprache/",
}


def build(builder):
    t = builder.texts
    home = builder.home
    if not isinstance(home, HomePage):
        raise CommandError(
            "The default site's root page is not a HomePage; run `manage.py migrate` on an "
            "empty database first."
        )
    t(home.title, "Home")
    t(home.slug, f"{home.slug}-en")
    builder.keep_translated(home)
    pages = {
        "imprint": builder.page(home, imprint(t), unique=True),
        "privacy": builder.page(home, privacy(t), unique=True),
        "accessibility": builder.page(home, accessibility_statement(t), unique=True),
    }
    builder.page(home, easy_language(t), unique=True)
    builder.page(home, sign_language(t), unique=True)
    portal_settings = PortalSettings.for_site(builder.site)
    changed = False
    for name, page in pages.items():
        if getattr(portal_settings, f"{name}_page_id") is None:
            setattr(portal_settings, f"{name}_page", page)
            changed = True
    if changed:
        portal_settings.save()


def imprint(t):
    return ImprintPage(
        title=t("Impressum", "Imprint"),
        slug=t("impressum", "imprint"),
        provider=t(
            "[Platzhalter: Name und Anschrift der Kommune]",
            "[Placeholder: name and address of the municipality]",
        ),
        legal_form=t("Körperschaft des öffentlichen Rechts", "Public-law corporation"),
        represented_by=t(
            "[Platzhalter: vertreten durch, z. B. die Oberbürgermeisterin]",
            "[Placeholder: represented by, e.g. the Lord Mayor]",
        ),
        email=t("[Platzhalter: E-Mail-Adresse]", "[Placeholder: e-mail address]"),
        phone=t("[Platzhalter: Telefonnummer]", "[Placeholder: phone number]"),
        supervisory_authority=t(
            "[Platzhalter: Aufsichtsbehörde, z. B. die Bezirksregierung]",
            "[Placeholder: supervisory authority, e.g. the district government]",
        ),
        editorial_responsible=t(
            "[Platzhalter: Name und Anschrift der für den Inhalt verantwortlichen Person]",
            "[Placeholder: name and address of the person responsible for the content]",
        ),
        show_in_menus=False,
    )


def privacy(t):
    registration_days = settings.PORTAL_REGISTRATION_RETENTION_DAYS
    feedback_days = settings.PORTAL_FEEDBACK_RETENTION_DAYS
    return PrivacyPage(
        title=t("Datenschutz", "Privacy policy"),
        slug=t("datenschutz", "privacy"),
        teaser=t(
            "Welche personenbezogenen Daten dieses Portal verarbeitet, wozu und wie lange.",
            "Which personal data this portal processes, why and for how long.",
        ),
        controller=t(
            "[Platzhalter: Name, Anschrift und Kontakt der verantwortlichen Kommune]",
            "[Placeholder: name, address and contact of the municipality responsible]",
        ),
        data_protection_officer=t(
            "[Platzhalter: Kontakt der oder des behördlichen Datenschutzbeauftragten]",
            "[Placeholder: contact of the data protection officer]",
        ),
        processing=[
            (
                "processing",
                {
                    "title": t("Aufruf der Seiten", "Visiting the pages"),
                    "purposes": t(
                        "Beim Aufruf jeder Seite verarbeitet der Server Ihre IP-Adresse, Datum "
                        "und Uhrzeit, die aufgerufene Adresse und die Kennung Ihres Browsers, um "
                        "die Seite auszuliefern und Angriffe abzuwehren. In den Protokollen wird "
                        "die IP-Adresse gekürzt gespeichert.",
                        "When you open a page, the server processes your IP address, the date "
                        "and time, the address requested and your browser's identifier, to "
                        "deliver the page and to fend off attacks. Logs keep the IP address "
                        "shortened.",
                    ),
                    "legal_basis": t(
                        "Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit [Platzhalter: "
                        "Landesdatenschutzgesetz, z. B. § 3 DSG NRW]",
                        "Art. 6(1)(e) GDPR in conjunction with [Placeholder: state data "
                        "protection act, e.g. § 3 DSG NRW]",
                    ),
                    "recipients": t(
                        "[Platzhalter: Rechenzentrum oder Hosting-Dienstleister als "
                        "Auftragsverarbeiter]",
                        "[Placeholder: data centre or hosting provider as processor]",
                    ),
                    "retention": t(
                        "[Platzhalter: Dauer, z. B. 7 Tage]",
                        "[Placeholder: period, e.g. 7 days]",
                    ),
                },
            ),
            (
                "processing",
                {
                    "title": t("Anmeldung zu Werkstätten", "Registering for workshops"),
                    "purposes": t(
                        "Ihr Name, Ihre E-Mail-Adresse und freiwillige Angaben (Organisation, "
                        "Kommune, Hinweise), um die Werkstatt zu organisieren, Ihre Anmeldung "
                        "zu bestätigen und Ihnen Nachrichten zur Veranstaltung zu senden.",
                        "Your name, e-mail address and voluntary details (organisation, "
                        "municipality, notes), to organise the workshop, confirm your "
                        "registration and send you news about the event.",
                    ),
                    "legal_basis": t(
                        "Art. 6 Abs. 1 lit. a DSGVO: Ihre Einwilligung im Anmeldeformular, die "
                        "Sie jederzeit widerrufen können (Abmeldelink in jeder E-Mail).",
                        "Art. 6(1)(a) GDPR: your consent in the registration form, which you "
                        "can withdraw at any time (cancellation link in every e-mail).",
                    ),
                    "recipients": t(
                        "Das Team der Werkstatt. Keine Weitergabe an Dritte.",
                        "The workshop team. No disclosure to third parties.",
                    ),
                    "retention": t(
                        f"{registration_days} Tage nach der Werkstatt werden die Angaben "
                        "anonymisiert. Nicht bestätigte Anmeldungen werden gelöscht, sobald "
                        "der Bestätigungslink abgelaufen ist.",
                        f"{registration_days} days after the workshop the details are "
                        "anonymised. Unconfirmed registrations are deleted once the "
                        "confirmation link has expired.",
                    ),
                },
            ),
            (
                "processing",
                {
                    "title": t("Meldung von Barrieren", "Reporting barriers"),
                    "purposes": t(
                        "Ihre Beschreibung, die betroffene Seite und, wenn Sie sie angeben, "
                        "Ihr Name und Ihre E-Mail-Adresse, um die Barriere zu beheben und "
                        "Ihnen zu antworten.",
                        "Your description, the page concerned and, if you give them, your "
                        "name and e-mail address, to remove the barrier and to answer you.",
                    ),
                    "legal_basis": t(
                        "Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit § 7 BITV 2.0 "
                        "(Feedback-Mechanismus)",
                        "Art. 6(1)(e) GDPR in conjunction with § 7 BITV 2.0 (feedback mechanism)",
                    ),
                    "recipients": t(
                        "Die für die Barrierefreiheit des Portals zuständigen Mitarbeitenden.",
                        "The staff responsible for the accessibility of the portal.",
                    ),
                    "retention": t(
                        f"Die Meldung wird {feedback_days} Tage nach Eingang gelöscht.",
                        f"The report is deleted {feedback_days} days after it was received.",
                    ),
                },
            ),
        ],
        supervisory_authority=t(
            "[Platzhalter: Datenschutz-Aufsichtsbehörde Ihres Landes, z. B. die "
            "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen]",
            "[Placeholder: the data protection authority of your state, e.g. the State "
            "Commissioner for Data Protection and Freedom of Information of North "
            "Rhine-Westphalia]",
        ),
        show_in_menus=False,
    )


def accessibility_statement(t):
    today = datetime.date.today()
    return AccessibilityStatementPage(
        title=t("Erklärung zur Barrierefreiheit", "Accessibility statement"),
        slug=t("barrierefreiheit", "accessibility"),
        conformance=Conformance.PARTIAL,
        known_gaps=[
            (
                "gap",
                {
                    "barrier": t(
                        "[Platzhalter: Inhalte, die noch nicht barrierefrei sind, z. B. ältere "
                        "PDF-Dokumente]",
                        "[Placeholder: content that is not accessible yet, e.g. older PDF "
                        "documents]",
                    ),
                    "reason": t(
                        "[Platzhalter: warum, und bis wann sie barrierefrei werden]",
                        "[Placeholder: why, and by when they will be accessible]",
                    ),
                    "alternative": t(
                        "[Platzhalter: wie man die Inhalte barrierefrei erhält]",
                        "[Placeholder: how to get the content in an accessible form]",
                    ),
                },
            )
        ],
        method=t(
            "[Platzhalter: z. B. Selbstbewertung mit automatischen Tests]",
            "[Placeholder: e.g. self-assessment with automated tests]",
        ),
        statement_date=today,
        last_review=today,
        feedback_contact=t(
            "[Platzhalter: zuständige Stelle mit Anschrift und Telefonnummer]",
            "[Placeholder: responsible office with address and phone number]",
        ),
        arbitration_body=t(
            "[Platzhalter: Schlichtungs- oder Ombudsstelle Ihres Landes, z. B. die Ombudsstelle "
            "für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen]",
            "[Placeholder: the arbitration or ombuds body of your state, e.g. the Ombudsstelle "
            "für barrierefreie Informationstechnik of North Rhine-Westphalia]",
        ),
        arbitration_url="https://www.schlichtungsstelle-bgg.de/",
        body=[
            t.paragraph(
                "Grundlage der Gestaltung ist KERN UX, das offene Designsystem der deutschen "
                "Verwaltung. Für jede Komponente nennt KERN auf kern-ux.de, was auf "
                "Barrierefreiheit geprüft ist und was die Umsetzung selbst noch leisten muss; "
                "diese Hinweise sind eine Grundlage dieser Erklärung. Allein dadurch ist eine "
                "Website nicht BITV-konform: Bewertet wird das Portal als Ganzes, mit seinen "
                "Inhalten.",
                "The design is based on KERN UX, the German administration's open design "
                "system. For each component, KERN states on kern-ux.de what has been tested "
                "for accessibility and what an implementation still has to do; these notes "
                "are one basis of this statement. They do not make a website BITV-conformant "
                "by themselves: what is assessed is the portal as a whole, with its content.",
            )
        ],
        show_in_menus=False,
    )


def easy_language(t):
    return EasyLanguagePage(
        title=t("Leichte Sprache", "Easy Read"),
        slug=t("leichte-sprache", "easy-read"),
        teaser=t(
            "Hier erklären wir dieses Portal in Leichter Sprache.",
            "Here we explain this portal in easy words.",
        ),
        body=[
            t.paragraph(
                "Auf dieser Internet-Seite geht es um Labore. Ein Labor ist hier ein Ort in "
                "der Stadt. Dort arbeiten viele Menschen zusammen.",
                "This website is about labs. A lab is a place in the city. Many people "
                "work together there.",
            ),
            t.paragraph(
                "Die Menschen kommen aus der Verwaltung, aus der Politik, aus Firmen, aus "
                "Vereinen und aus der Forschung. Sie suchen zusammen Lösungen für ihre Stadt.",
                "The people come from the city administration, from politics, from "
                "companies, from clubs and from research. Together they look for solutions "
                "for their city.",
            ),
            t.paragraph(
                "[Platzhalter: Lassen Sie diesen Text von einer Prüfgruppe prüfen und "
                "ergänzen Sie, wie man Sie erreicht.]",
                "[Placeholder: have this text checked by a test group and add how people "
                "can reach you.]",
            ),
        ],
        show_in_menus=False,
    )


def sign_language(t):
    return SignLanguagePage(
        title=t("Gebärdensprache", "Sign language"),
        slug=t("gebaerdensprache", "sign-language"),
        teaser=t(
            "Informationen zu diesem Portal in Deutscher Gebärdensprache.",
            "Information about this portal in German Sign Language.",
        ),
        body=[
            t.paragraph(
                "[Platzhalter: Laden Sie ein Video in Deutscher Gebärdensprache als MP4- oder "
                "WebM-Datei hoch und wählen Sie es oben aus. Videos von Plattformen werden "
                "nicht eingebunden.]",
                "[Placeholder: upload a video in German Sign Language as an MP4 or WebM file "
                "and choose it above. Videos from platforms are not embedded.]",
            ),
        ],
        show_in_menus=False,
    )
