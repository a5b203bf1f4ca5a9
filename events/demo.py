"""The demo workshop series "Labore sozialer Innovation" and two single events.

Dates are relative to the first load and then fixed (a rerun finds the pages and changes
nothing): part 1 lies in the past, part 2 is on the next 22 February, parts 3 and 4 follow.
"""

import datetime
import zoneinfo

from django.utils import timezone

from labs.models import ActorPage, LabPage

from .models import (
    AgendaItem,
    EventFormat,
    EventIndexPage,
    EventPage,
    EventSeriesPage,
    EventSpeaker,
    EventStatus,
    Registration,
    RegistrationMode,
    RegistrationStatus,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

PAGE_PATHS = {
    "/home/werkstaetten/werkstattreihe-labore-sozialer-innovation/",
    "/home/werkstaetten/werkstattreihe-labore-sozialer-innovation/grundlagen/",
    "/home/werkstaetten/werkstattreihe-labore-sozialer-innovation/konzeptentwicklung/",
    "/home/werkstaetten/werkstattreihe-labore-sozialer-innovation/aufbau/",
    "/home/werkstaetten/werkstattreihe-labore-sozialer-innovation/verstetigung/",
    "/home/werkstaetten/digitale-sprechstunde/",
    "/home/werkstaetten/exkursion-nordstadt/",
}


def next_february_22(today: datetime.date) -> datetime.date:
    candidate = datetime.date(today.year, 2, 22)
    return candidate if candidate > today else datetime.date(today.year + 1, 2, 22)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def build(builder):
    t = builder.texts
    index = builder.home.get_children().type(EventIndexPage).first().specific
    actors = {actor.slug: actor for actor in ActorPage.objects.filter(locale=builder.german)}
    labs = {lab.slug: lab for lab in LabPage.objects.filter(locale=builder.german)}
    today = timezone.localdate()
    part_two = next_february_22(today)

    series = builder.page(
        index,
        EventSeriesPage(
            title=t.pair(
                "Werkstattreihe: Labore sozialer Innovation",
                "Workshop series: Labs of social innovation",
            ),
            slug=t.pair(
                "werkstattreihe-labore-sozialer-innovation",
                "workshop-series-labs-of-social-innovation",
            ),
            teaser=t.pair(
                "In vier Werkstätten lernen Kommunen, ein eigenes Labor sozialer Innovation "
                "aufzubauen.",
                "In four workshops, municipalities learn to build a lab of social innovation "
                "of their own.",
            ),
            goals=[
                (
                    "goal",
                    t.pair(
                        "Verstehen, was Kommunale Labore sozialer Innovation leisten können",
                        "Understand what municipal labs of social innovation can achieve",
                    ),
                ),
                (
                    "goal",
                    t.pair(
                        "Nach allen vier Teilen selbst ein Labor gründen können",
                        "Be able to found a lab yourself after all four parts",
                    ),
                ),
            ],
            description=[
                (
                    "paragraph",
                    t.paragraphs(
                        (
                            "Die Städte Dortmund und Wuppertal teilen ihre Erfahrungen aus dem "
                            "Projekt KoSI-Lab mit Verwaltung, Politik und Stadtgesellschaft "
                            "anderer Kommunen.",
                            "The cities of Dortmund and Wuppertal share their experience from "
                            "the KoSI-Lab project with the administration, politicians and "
                            "local society of other municipalities.",
                        ),
                    ),
                )
            ],
        ),
    )

    def speaker(
        position, name, role_de, role_en, organisation_de, organisation_en, actor_slug=None
    ):
        return EventSpeaker(
            sort_order=position,
            name=name,
            role=t.pair(role_de, role_en),
            organisation=t.pair(organisation_de, organisation_en),
            actor=actors.get(actor_slug),
        )

    def agenda(*entries):
        return [
            AgendaItem(sort_order=position, time=datetime.time(hour, minute), item=t.pair(de, en))
            for position, ((hour, minute), de, en) in enumerate(entries)
        ]

    common_goals_part_two = [
        (
            "goal",
            t.pair(
                "Erfahren, welchen Beitrag KoSI-Labs zu kommunalen Herausforderungen leisten",
                "Learn what KoSI-Labs contribute to municipal challenges",
            ),
        ),
        (
            "goal",
            t.pair(
                "Verstehen, wie ein Labor konzeptionell entwickelt wird",
                "Understand how a lab is designed",
            ),
        ),
        (
            "goal",
            t.pair(
                "Zivilgesellschaft, Verwaltung, Politik, Wirtschaft und Forschung einbinden",
                "Involve civil society, administration, politics, business and research",
            ),
        ),
    ]

    parts = [
        dict(
            title=t.pair("1. Werkstatt: Grundlagen", "Workshop 1: Foundations"),
            slug=t.pair("grundlagen", "foundations"),
            part_number=1,
            start=at(today - datetime.timedelta(days=45), 10),
            end=at(today - datetime.timedelta(days=45), 15),
            teaser=t.pair(
                "Was ist ein Kommunales Labor sozialer Innovation, und wozu braucht eine Stadt es?",
                "What is a municipal lab of social innovation, and why does a city need one?",
            ),
            venue_name=t.pair("Rathaus Dortmund, Bürgersaal", "Dortmund City Hall, citizens' hall"),
            venue_address=t.pair(
                "Friedensplatz 1\n44135 Dortmund", "Friedensplatz 1\n44135 Dortmund"
            ),
            event_format=EventFormat.IN_PERSON,
        ),
        dict(
            title=t.pair("2. Werkstatt: Konzeptentwicklung", "Workshop 2: Concept development"),
            slug=t.pair("konzeptentwicklung", "concept-development"),
            part_number=2,
            start=at(part_two, 10),
            end=at(part_two, 16),
            teaser=t.pair(
                "Aufbauend auf der ersten Werkstatt skizzieren wir, wie ein KoSI-Lab konkret "
                "entworfen wird: Anforderungen, Aufgaben, Strukturen und Beteiligte.",
                "Building on the first workshop, we outline how a KoSI-Lab is designed in "
                "practice: requirements, tasks, structures and participants.",
            ),
            venue_name=t.pair("Quartierswerkstatt Nordstadt", "Nordstadt neighbourhood workshop"),
            venue_address=t.pair(
                "Musterstraße 12\n44147 Dortmund", "Musterstraße 12\n44147 Dortmund"
            ),
            event_format=EventFormat.HYBRID,
            online_note=t.pair(
                "Sie können auch online teilnehmen; den Zugang erhalten Sie nach der Anmeldung.",
                "You can also take part online; you receive the access details after registering.",
            ),
            target_audience=t.pair(
                "Beschäftigte aus Verwaltung und Politik, Engagierte aus der Zivilgesellschaft, "
                "Wirtschaft und Forschung aus anderen Kommunen.",
                "Staff from administration and politics, and committed people from civil "
                "society, business and research in other municipalities.",
            ),
            goals=common_goals_part_two,
            registration_mode=RegistrationMode.BUILT_IN,
            capacity=12,
            organiser=actors["stadt-dortmund-soziales"],
            speakers=[
                speaker(
                    0,
                    "Aylin Demir",
                    "Koordination des Labors",
                    "Lab coordination",
                    "Stadt Dortmund",
                    "City of Dortmund",
                    "stadt-dortmund-soziales",
                ),
                speaker(
                    1,
                    "Dr. Miriam Sommer",
                    "Moderation",
                    "Facilitation",
                    "Zentrum für Beteiligungsforschung",
                    "Zentrum für Beteiligungsforschung",
                    "miriam-sommer",
                ),
                speaker(
                    2,
                    "Jonas Krüger",
                    "Quartiersmanagement",
                    "Neighbourhood management",
                    "Stadt Wuppertal",
                    "City of Wuppertal",
                    "stadt-wuppertal-quartiersentwicklung",
                ),
            ],
            agenda_items=agenda(
                ((10, 0), "Ankommen und Begrüßung", "Arrival and welcome"),
                ((10, 30), "Was ein KoSI-Lab leisten kann", "What a KoSI-Lab can achieve"),
                ((12, 0), "Mittagspause", "Lunch break"),
                ((13, 0), "Arbeitsgruppen: Akteure einbinden", "Working groups: involving actors"),
                ((15, 30), "Ausblick auf die 3. Werkstatt", "Outlook on workshop 3"),
            ),
            related=["aelter-werden-in-der-nordstadt", "gemeinsam-im-quartier"],
        ),
        dict(
            title=t.pair("3. Werkstatt: Aufbau", "Workshop 3: Set-up"),
            slug=t.pair("aufbau", "set-up"),
            part_number=3,
            start=at(part_two + datetime.timedelta(days=91), 10),
            end=at(part_two + datetime.timedelta(days=91), 15),
            teaser=t.pair(
                "Vom Konzept zum arbeitenden Labor: Räume, Rollen und erste Vorhaben.",
                "From concept to working lab: rooms, roles and first projects.",
            ),
            venue_name=t.pair("Stadtteiltreff Ölberg", "Ölberg community centre"),
            venue_address=t.pair(
                "Beispielweg 3\n42105 Wuppertal", "Beispielweg 3\n42105 Wuppertal"
            ),
            event_format=EventFormat.IN_PERSON,
            organiser=actors["stadt-wuppertal-quartiersentwicklung"],
            registration_mode=RegistrationMode.EXTERNAL,
            registration_url="https://example.org/anmeldung-werkstatt-3",
            related=["gemeinsam-im-quartier"],
        ),
        dict(
            title=t.pair("4. Werkstatt: Verstetigung", "Workshop 4: Consolidation"),
            slug=t.pair("verstetigung", "consolidation"),
            part_number=4,
            start=at(part_two + datetime.timedelta(days=182), 10),
            end=at(part_two + datetime.timedelta(days=182), 15),
            teaser=t.pair(
                "Wie ein Labor dauerhaft Teil der Kommune wird.",
                "How a lab becomes a lasting part of the municipality.",
            ),
            event_format=EventFormat.ONLINE,
            online_note=t.pair(
                "Die Werkstatt findet als Videokonferenz statt.",
                "The workshop takes place as a video conference.",
            ),
        ),
    ]
    built = []
    for fields in parts:
        related = fields.pop("related", [])
        built.append(
            builder.page(series, EventPage(**fields, related_labs=[labs[slug] for slug in related]))
        )
    add_registrations(built[1])

    online_day = today + datetime.timedelta(days=20)
    builder.page(
        index,
        EventPage(
            title=t.pair(
                "Digitale Sprechstunde: Fragen zum Laboraufbau",
                "Online consultation: questions about setting up a lab",
            ),
            slug=t.pair("digitale-sprechstunde", "online-consultation"),
            teaser=t.pair(
                "Eine Stunde für Ihre Fragen an das Projektteam.",
                "An hour for your questions to the project team.",
            ),
            start=at(online_day, 16),
            end=at(online_day, 17),
            event_format=EventFormat.ONLINE,
            online_url="https://example.org/sprechstunde",
            organiser=actors["stadt-dortmund-soziales"],
        ),
    )
    excursion_day = today + datetime.timedelta(days=34)
    builder.page(
        index,
        EventPage(
            title=t.pair("Exkursion ins Nordstadt-Labor", "Excursion to the Nordstadt lab"),
            slug=t.pair("exkursion-nordstadt", "excursion-nordstadt"),
            teaser=t.pair(
                "Ein Rundgang durch das Dortmunder Labor – leider abgesagt.",
                "A tour of the Dortmund lab – unfortunately cancelled.",
            ),
            start=at(excursion_day, 14),
            end=at(excursion_day, 17),
            status=EventStatus.CANCELLED,
            venue_name=t.pair("Quartierswerkstatt Nordstadt", "Nordstadt neighbourhood workshop"),
            venue_address=t.pair(
                "Musterstraße 12\n44147 Dortmund", "Musterstraße 12\n44147 Dortmund"
            ),
            cost_note=t.pair("5 Euro für den Imbiss", "5 euros for snacks"),
            related_labs=[labs["aelter-werden-in-der-nordstadt"]],
        ),
    )


DEMO_PARTICIPANTS = [
    ("Anna Becker", "Stadt Gelsenkirchen", "Gelsenkirchen"),
    ("Murat Yilmaz", "Quartiersbüro Hagen-Mitte", "Hagen"),
    ("Sabine Hoffmann", "Kreis Unna, Sozialplanung", "Unna"),
    ("Lukas Schneider", "Bürgerstiftung Bochum", "Bochum"),
    ("Fatma Kaya", "Stadt Herne, Seniorenbüro", "Herne"),
    ("Thomas Wagner", "Ratsfraktion, Ausschuss für Soziales", "Hamm"),
    ("Julia Richter", "Hochschule Bochum", "Bochum"),
    ("Peter Neumann", "Genossenschaft Wohnen im Revier", "Witten"),
    ("Elif Arslan", "Stadt Solingen", "Solingen"),
]


def add_registrations(event):
    """Made-up participants (example.org addresses), so the seats counter and the
    registrations in the admin show something; 3 of 12 seats stay free."""
    if Registration.objects.filter(event_key=event.translation_key).exists():
        return
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            event_key=event.translation_key,
            event=event,
            language="de",
            status=RegistrationStatus.CONFIRMED,
            name=name,
            email=f"{name.split()[0].lower()}@example.org",
            organisation=organisation,
            municipality=municipality,
            consent_text="(Demo)",
            consented_at=now,
            confirmed_at=now,
            seat_since=now,
        )
        for name, organisation, municipality in DEMO_PARTICIPANTS
    )
