"""The demo workshop series "Labore sozialer Innovation" and two single events.

Dates are relative to the first load and then fixed (a rerun finds the pages and changes
nothing): part 1 lies in the past, part 2 is on the next 22 February, parts 3 and 4 follow.
"""

import datetime
import zoneinfo

from django.utils import timezone

from labs.models import ActorPage, LabPage
from portal.content import pdf

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
    Venue,
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


SERIES = {
    "title": (
        "Werkstattreihe: Labore sozialer Innovation",
        "Workshop series: Labs of social innovation",
    ),
    "slug": (
        "werkstattreihe-labore-sozialer-innovation",
        "workshop-series-labs-of-social-innovation",
    ),
    "teaser": (
        "In vier Werkstätten lernen Kommunen, ein eigenes Labor sozialer Innovation aufzubauen.",
        "In four workshops, municipalities learn to build a lab of social innovation of their own.",
    ),
    "goals": [
        (
            "Verstehen, was Kommunale Labore sozialer Innovation leisten können",
            "Understand what municipal labs of social innovation can achieve",
        ),
        (
            "Nach allen vier Teilen selbst ein Labor gründen können",
            "Be able to found a lab yourself after all four parts",
        ),
    ],
    "description": [
        (
            "Die Städte Dortmund und Wuppertal teilen ihre Erfahrungen aus dem Projekt KoSI-Lab "
            "mit Verwaltung, Politik und Stadtgesellschaft anderer Kommunen.",
            "The cities of Dortmund and Wuppertal share their experience from the KoSI-Lab "
            "project with the administration, politicians and local society of other "
            "municipalities.",
        ),
    ],
}

# Venues: the name as a (de, en) pair, the postal address and, where known, coordinates
# (typed in, as editors do; Lindental's are left empty).
VENUES = {
    "nordstadt": {
        "name": ("Quartierswerkstatt Nordstadt", "Nordstadt neighbourhood workshop"),
        "street_address": "Musterstraße 12",
        "postal_code": "44147",
        "locality": "Dortmund",
        "region": "Nordrhein-Westfalen",
        "latitude": "51.523600",
        "longitude": "7.459800",
    },
    "rathaus-dortmund": {
        "name": ("Rathaus Dortmund", "Dortmund City Hall"),
        "street_address": "Friedensplatz 1",
        "postal_code": "44135",
        "locality": "Dortmund",
        "region": "Nordrhein-Westfalen",
        "latitude": "51.512200",
        "longitude": "7.466000",
    },
    "oelberg": {
        "name": ("Stadtteiltreff Ölberg", "Ölberg community centre"),
        "street_address": "Beispielweg 3",
        "postal_code": "42105",
        "locality": "Wuppertal",
        "region": "Nordrhein-Westfalen",
        "latitude": "51.262800",
        "longitude": "7.140000",
    },
    "rathaus-lindental": {
        "name": ("Rathaus Lindental", "Lindental town hall"),
        "street_address": "Am Lindenplatz 1",
        "postal_code": "99999",
        "locality": "Lindental",
    },
}

NORDSTADT = {
    "venue": "nordstadt",
    "room": ("Werkstattraum, Erdgeschoss", "Workshop room, ground floor"),
}

# Workshops: texts as (de, en) pairs; "day" as (the day it counts from, days after it) and
# "hours" as (start, end); "speakers" as (name, role, organisation, actor slug).
PARTS = [
    {
        "title": ("1. Werkstatt: Grundlagen", "Workshop 1: Foundations"),
        "slug": ("grundlagen", "foundations"),
        "part_number": 1,
        "day": ("today", -45),
        "hours": (10, 15),
        "teaser": (
            "Was ist ein Kommunales Labor sozialer Innovation, und wozu braucht eine Stadt es?",
            "What is a municipal lab of social innovation, and why does a city need one?",
        ),
        "venue": "rathaus-dortmund",
        "room": ("Bürgersaal", "Citizens' hall"),
        "event_format": EventFormat.IN_PERSON,
        "documentation": {
            "summary": [
                (
                    "Rund vierzig Menschen aus Verwaltung, Politik, Zivilgesellschaft, "
                    "Wirtschaft und Forschung haben geklärt, was ein Kommunales Labor sozialer "
                    "Innovation ist: ein offener Ort, an dem alle auf Augenhöhe an einem "
                    "Schlüsselproblem ihrer Kommune arbeiten.",
                    "About forty people from administration, politics, civil society, business "
                    "and research worked out what a municipal lab of social innovation is: an "
                    "open place where everyone works on a key problem of their municipality "
                    "as equals.",
                ),
                (
                    "Die Gruppen sammelten Herausforderungen ihrer Städte – vorn lag der "
                    "demografische Wandel – und die Fragen, die die zweite Werkstatt "
                    "beantworten soll.",
                    "The groups collected their cities' challenges – demographic change came "
                    "first – and the questions the second workshop is to answer.",
                ),
            ],
            "files": [
                (
                    "slides",
                    ("1. Werkstatt: Folien", "Workshop 1: slides"),
                    "werkstatt-1-folien.pdf",
                ),
                (
                    "minutes",
                    ("1. Werkstatt: Protokoll", "Workshop 1: minutes"),
                    "werkstatt-1-protokoll.pdf",
                ),
            ],
            "photos": [
                (
                    ("Gruppenarbeit an Stellwänden im Bürgersaal", "Group work at pin boards"),
                    ("Gruppenarbeit am Vormittag", "Group work in the morning"),
                    ["#f3f5f7", "#0b5cab", "#f2a900", "#2e7d32"],
                ),
                (
                    (
                        "Eine Moderationswand mit Karten zu kommunalen Herausforderungen",
                        "A facilitation wall with cards on municipal challenges",
                    ),
                    ("Die gesammelten Herausforderungen", "The challenges collected"),
                    ["#ffffff", "#b00020", "#0b5cab", "#6a1b9a"],
                ),
                (
                    (
                        "Teilnehmende im Gespräch in der Mittagspause",
                        "Participants talking during the lunch break",
                    ),
                    ("Austausch in der Pause", "Talking in the break"),
                    ["#fafafa", "#2e7d32", "#f2a900", "#0b5cab"],
                ),
            ],
        },
    },
    {
        "title": ("2. Werkstatt: Konzeptentwicklung", "Workshop 2: Concept development"),
        "slug": ("konzeptentwicklung", "concept-development"),
        "part_number": 2,
        "day": ("part_two", 0),
        "hours": (10, 16),
        "teaser": (
            "Aufbauend auf der ersten Werkstatt skizzieren wir, wie ein KoSI-Lab konkret "
            "entworfen wird: Anforderungen, Aufgaben, Strukturen und Beteiligte.",
            "Building on the first workshop, we outline how a KoSI-Lab is designed in practice: "
            "requirements, tasks, structures and participants.",
        ),
        **NORDSTADT,
        "event_format": EventFormat.HYBRID,
        "online_note": (
            "Sie können auch online teilnehmen; den Zugang erhalten Sie nach der Anmeldung.",
            "You can also take part online; you receive the access details after registering.",
        ),
        "target_audience": (
            "Beschäftigte aus Verwaltung und Politik, Engagierte aus der Zivilgesellschaft, "
            "Wirtschaft und Forschung aus anderen Kommunen.",
            "Staff from administration and politics, and committed people from civil society, "
            "business and research in other municipalities.",
        ),
        "goals": [
            (
                "Erfahren, welchen Beitrag KoSI-Labs zu kommunalen Herausforderungen leisten",
                "Learn what KoSI-Labs contribute to municipal challenges",
            ),
            (
                "Verstehen, wie ein Labor konzeptionell entwickelt wird",
                "Understand how a lab is designed",
            ),
            (
                "Zivilgesellschaft, Verwaltung, Politik, Wirtschaft und Forschung einbinden",
                "Involve civil society, administration, politics, business and research",
            ),
        ],
        "registration_mode": RegistrationMode.BUILT_IN,
        "capacity": 12,
        "organiser": "stadt-dortmund-soziales",
        "speakers": [
            (
                "Aylin Demir",
                ("Koordination des Labors", "Lab coordination"),
                ("Stadt Dortmund", "City of Dortmund"),
                "stadt-dortmund-soziales",
            ),
            (
                "Dr. Miriam Sommer",
                ("Moderation", "Facilitation"),
                ("Zentrum für Beteiligungsforschung", "Zentrum für Beteiligungsforschung"),
                "miriam-sommer",
            ),
            (
                "Jonas Krüger",
                ("Quartiersmanagement", "Neighbourhood management"),
                ("Stadt Wuppertal", "City of Wuppertal"),
                "stadt-wuppertal-quartiersentwicklung",
            ),
        ],
        "agenda": [
            ((10, 0), ("Ankommen und Begrüßung", "Arrival and welcome")),
            ((10, 30), ("Was ein KoSI-Lab leisten kann", "What a KoSI-Lab can achieve")),
            ((12, 0), ("Mittagspause", "Lunch break")),
            ((13, 0), ("Arbeitsgruppen: Akteure einbinden", "Working groups: involving actors")),
            ((15, 30), ("Ausblick auf die 3. Werkstatt", "Outlook on workshop 3")),
        ],
        "labs": ["aelter-werden-in-der-nordstadt", "gemeinsam-im-quartier"],
    },
    {
        "title": ("3. Werkstatt: Aufbau", "Workshop 3: Set-up"),
        "slug": ("aufbau", "set-up"),
        "part_number": 3,
        "day": ("part_two", 91),
        "hours": (10, 15),
        "teaser": (
            "Vom Konzept zum arbeitenden Labor: Räume, Rollen und erste Vorhaben.",
            "From concept to working lab: rooms, roles and first projects.",
        ),
        "venue": "oelberg",
        "event_format": EventFormat.IN_PERSON,
        "organiser": "stadt-wuppertal-quartiersentwicklung",
        "registration_mode": RegistrationMode.EXTERNAL,
        "registration_url": "https://example.org/anmeldung-werkstatt-3",
        "labs": ["gemeinsam-im-quartier"],
    },
    {
        "title": ("4. Werkstatt: Verstetigung", "Workshop 4: Consolidation"),
        "slug": ("verstetigung", "consolidation"),
        "part_number": 4,
        "day": ("part_two", 182),
        "hours": (10, 15),
        "teaser": (
            "Wie ein Labor dauerhaft Teil der Kommune wird.",
            "How a lab becomes a lasting part of the municipality.",
        ),
        "event_format": EventFormat.ONLINE,
        "online_note": (
            "Die Werkstatt findet als Videokonferenz statt.",
            "The workshop takes place as a video conference.",
        ),
    },
]

SINGLE_EVENTS = [
    {
        "title": (
            "Digitale Sprechstunde: Fragen zum Laboraufbau",
            "Online consultation: questions about setting up a lab",
        ),
        "slug": ("digitale-sprechstunde", "online-consultation"),
        "teaser": (
            "Eine Stunde für Ihre Fragen an das Projektteam.",
            "An hour for your questions to the project team.",
        ),
        "day": ("today", 20),
        "hours": (16, 17),
        "event_format": EventFormat.ONLINE,
        "online_url": "https://example.org/sprechstunde",
        "organiser": "stadt-dortmund-soziales",
    },
    {
        "title": ("Exkursion ins Nordstadt-Labor", "Excursion to the Nordstadt lab"),
        "slug": ("exkursion-nordstadt", "excursion-nordstadt"),
        "teaser": (
            "Ein Rundgang durch das Dortmunder Labor – leider abgesagt.",
            "A tour of the Dortmund lab – unfortunately cancelled.",
        ),
        "day": ("today", 34),
        "hours": (14, 17),
        "status": EventStatus.CANCELLED,
        **NORDSTADT,
        "cost_note": ("5 Euro für den Imbiss", "5 euros for snacks"),
        "labs": ["aelter-werden-in-der-nordstadt"],
    },
]

# The demo's second municipality, Lindental (fictional).
LINDENTAL_EVENT = {
    "title": ("Dorfwerkstatt: Ideen für den Dorfladen", "Village workshop: ideas for the shop"),
    "slug": ("dorfwerkstatt-dorfladen", "village-workshop-shop"),
    "teaser": (
        "Ein Abend im Rathaus: Was soll der neue Dorfladen bieten, und wer macht mit?",
        "An evening at the town hall: what should the new village shop offer, and who joins in?",
    ),
    "day": ("today", 30),
    "hours": (18, 21),
    "venue": "rathaus-lindental",
    "room": ("Ratssaal", "Council chamber"),
    "event_format": EventFormat.IN_PERSON,
    "registration_mode": RegistrationMode.BUILT_IN,
    "capacity": 20,
    "organiser": "gemeinde-lindental",
    "labs": ["dorfladen-der-zukunft"],
}

TEXT_FIELDS = (
    "title",
    "slug",
    "teaser",
    "room",
    "online_note",
    "target_audience",
    "cost_note",
)
PLAIN_FIELDS = (
    "part_number",
    "event_format",
    "status",
    "online_url",
    "registration_mode",
    "registration_url",
    "capacity",
)


def build(builder):
    t = builder.texts
    index = builder.home.get_children().type(EventIndexPage).first().specific
    today = timezone.localdate()
    days = {"today": today, "part_two": next_february_22(today)}
    series = builder.page(
        index,
        EventSeriesPage(
            title=t.pair(*SERIES["title"]),
            slug=t.pair(*SERIES["slug"]),
            teaser=t.pair(*SERIES["teaser"]),
            goals=[("goal", t.pair(*goal)) for goal in SERIES["goals"]],
            description=[("paragraph", t.paragraphs(*SERIES["description"]))],
        ),
    )
    parts = [builder.page(series, event_page(builder, part, days)) for part in PARTS]
    add_registrations(parts[1])
    for event in SINGLE_EVENTS:
        builder.page(index, event_page(builder, event, days))


def build_lindental(builder):
    """The second municipality's upcoming workshop, with the built-in registration."""
    index = builder.home.get_children().type(EventIndexPage).first().specific
    builder.page(index, event_page(builder, LINDENTAL_EVENT, {"today": timezone.localdate()}))


def event_page(builder, event: dict, days: dict) -> EventPage:
    """An EventPage from one entry of PARTS or SINGLE_EVENTS, its texts registered for the
    translation."""
    t = builder.texts
    german = builder.german
    actors = {
        actor.slug: actor
        for actor in ActorPage.objects.filter(locale=german).descendant_of(builder.home)
    }
    labs = {
        lab.slug: lab for lab in LabPage.objects.filter(locale=german).descendant_of(builder.home)
    }
    counted_from, offset = event["day"]
    day = days[counted_from] + datetime.timedelta(days=offset)
    start_hour, end_hour = event["hours"]
    return EventPage(
        **{field: t.pair(*event[field]) for field in TEXT_FIELDS if field in event},
        venue=venue(builder, event["venue"]) if "venue" in event else None,
        **{field: event[field] for field in PLAIN_FIELDS if field in event},
        start=at(day, start_hour),
        end=at(day, end_hour),
        goals=[("goal", t.pair(*goal)) for goal in event.get("goals", [])],
        organiser=actors.get(event.get("organiser")),
        speakers=[
            EventSpeaker(
                sort_order=position,
                name=name,
                role=t.pair(*role),
                organisation=t.pair(*organisation),
                actor=actors.get(actor),
            )
            for position, (name, role, organisation, actor) in enumerate(event.get("speakers", []))
        ],
        agenda_items=[
            AgendaItem(sort_order=position, time=datetime.time(*time), item=t.pair(*item))
            for position, (time, item) in enumerate(event.get("agenda", []))
        ],
        related_labs=[labs[slug] for slug in event.get("labs", [])],
        **documentation(builder, event.get("documentation")),
    )


def documentation(builder, data: dict | None) -> dict:
    """The documentation fields of an ended workshop: summary, generated PDFs and pictures."""
    if not data:
        return {}
    t = builder.texts
    files = []
    for kind, (title_de, title_en), filename in data["files"]:
        content = pdf(
            f"{title_de} / {title_en}",
            [
                "KoSI-Lab - Kommunale Labore sozialer Innovation (Demo)",
                "",
                *(de for de, _en in data["summary"]),
                "",
                *(en for _de, en in data["summary"]),
            ],
        )
        document = builder.document(title_de, filename, content)
        files.append(
            {
                "type": "file",
                "value": {"document": document.pk, "title": t(title_de, title_en), "kind": kind},
            }
        )
    photos = []
    for number, (alt, caption, palette) in enumerate(data["photos"]):
        image = builder.image(f"Werkstatt 1, Foto {number + 1}", palette, seed=100 + number)
        photos.append(
            {
                "type": "photo",
                "value": {
                    "image": {"image": image.pk, "alt_text": t(*alt), "decorative": False},
                    "caption": t(*caption),
                    "credit": "",
                },
            }
        )
    return {
        "documentation_summary": t.paragraphs(*data["summary"]),
        "documentation_files": files,
        "documentation_photos": photos,
    }


def venue(builder, key: str) -> Venue:
    """The site's venue (in German, translated), created on first use."""
    fields = dict(VENUES[key])
    name = builder.texts.pair(*fields.pop("name"))
    return builder.snippet(Venue, {"site": builder.site, "name": name}, **fields)


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
