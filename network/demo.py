"""The demo's Network page, with workshops of a (made-up) neighbouring portal as they
would arrive from its feed."""

import datetime

from django.utils import timezone

from .models import ItemStatus, NetworkItem, NetworkPage, Source, SourceKind

PAGE_PATHS = {"/home/netzwerk/"}

ITEMS = [
    ("demo-1@kosi-nachbarstadt.example", "Offene Werkstatt: Quartier gestalten", 5, ""),
    ("demo-2@kosi-nachbarstadt.example", "Erzählcafé Digitalisierung", 12, ItemStatus.CANCELLED),
    ("demo-3@kosi-nachbarstadt.example", "Reallabor Mobilität – Auftakt", 26, ""),
]


def build(builder):
    t = builder.texts
    page = NetworkPage(
        title=t("Netzwerk", "Network"),
        slug=t("netzwerk", "network"),
        teaser=t(
            "Werkstätten anderer Labore im Netzwerk.",
            "Workshops of other labs in the network.",
        ),
        intro=t(
            "Was andere Labore sozialer Innovation anbieten – angemeldet wird dort.",
            "What other labs of social innovation offer – registration takes place there.",
        ),
    )
    builder.page(builder.home, page, unique=True)
    source, _created = Source.objects.get_or_create(
        site=builder.site,
        url="https://kosi-nachbarstadt.example/de/werkstaetten/calendar/",
        defaults={"name": "KoSI-Lab Nachbarstadt", "kind": SourceKind.ICALENDAR},
    )
    if source.last_success_at is None:
        source.last_success_at = timezone.now()
        source.save()
    start = timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0)
    for uid, title, days, status in ITEMS:
        begins = start + datetime.timedelta(days=days)
        NetworkItem.objects.update_or_create(
            source=source,
            uid=uid,
            recurrence_id="",
            defaults={
                "title": title,
                "summary": "<p>Eine Werkstatt des Nachbarlabors.</p>",
                "url": "https://kosi-nachbarstadt.example/de/werkstaetten/",
                "location": "Stadtbibliothek, Nachbarstadt",
                "start": begins,
                "end": begins + datetime.timedelta(hours=2),
                "status": status or ItemStatus.SCHEDULED,
            },
        )


def build_lindental(builder):
    """The second municipality has its Network page too (with the same neighbour)."""
    build(builder)
