"""Fill a benchmark database: the demo site plus many labs, actors, workshops and pages in
German and English.

Run by bench/run.py inside the benchmark's environment (never against a real database):
    python bench/populate.py --scale 1.0

Scale 1 is what issue #11 calls a large city's portal: 200 labs, 500 actors, 2,000
workshops with speakers and images, 50 content pages, each in German and English.
Pages are created live without revisions (what visitors see is the same; building is
about four times faster than publishing each one).
"""

import argparse
import datetime
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from events.models import (  # noqa: E402
    EventFormat,
    EventIndexPage,
    EventPage,
    EventSpeaker,
    Venue,
)
from home.models import ContentPage, HomePage  # noqa: E402
from labs.models import (  # noqa: E402
    ActorIndexPage,
    ActorPage,
    LabIndexPage,
    LabPage,
    LabPartner,
    Phase,
    Sector,
    Topic,
)
from portal.content import ContentBuilder  # noqa: E402

LABS_AT_SCALE_1 = 200
ACTORS_AT_SCALE_1 = 500
EVENTS_AT_SCALE_1 = 2000
CONTENT_PAGES_AT_SCALE_1 = 50
CITIES = ["Dortmund", "Wuppertal", "Bochum", "Hagen", "Solingen", "Herne", "Witten"]
PALETTES = [
    ["#1d3557", "#457b9d", "#a8dadc", "#f1faee"],
    ["#264653", "#2a9d8f", "#e9c46a", "#f4a261"],
    ["#3d405b", "#81b29a", "#f2cc8f", "#e07a5f"],
    ["#22223b", "#4a4e69", "#9a8c98", "#c9ada7"],
]
WORKSHOP_TOPICS = [
    ("Quartiersarbeit", "neighbourhood work"),
    ("Bürgerbeteiligung", "citizen participation"),
    ("Nachbarschaftshilfe", "neighbourly help"),
    ("Demografischer Wandel", "demographic change"),
    ("Digitale Teilhabe", "digital inclusion"),
]


def paragraphs(*texts: str) -> list:
    return [("paragraph", f"<p>{text}</p>") for text in texts]


def add_live(parent, page):
    """Create a live page without a revision (first_published_at as if published)."""
    now = timezone.now()
    page.first_published_at = page.last_published_at = now
    parent.add_child(instance=page)
    return page


def translate_to_english(page, english, **fields):
    """A plain Wagtail translation (fast; the demo uses wagtail-localize for real content)."""
    translation = page.copy_for_translation(english, copy_parents=False)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.live = True
    translation.has_unpublished_changes = False
    translation.first_published_at = translation.last_published_at = timezone.now()
    translation.save()
    return translation


def image_pool(builder, count: int):
    return [
        builder.image(f"Bench picture {number}", PALETTES[number % len(PALETTES)], number)
        for number in range(count)
    ]


def logo_pool(builder, count: int):
    return [
        builder.logo(f"Bench logo {number}", f"B{number}", PALETTES[number % 4][0])
        for number in range(count)
    ]


@transaction.atomic
def populate(scale: float, seed: int = 7):
    rng = random.Random(seed)  # noqa: S311 - test data
    english = Locale.objects.get(language_code="en")
    home = HomePage.objects.get(locale__language_code="de")
    lab_index = LabIndexPage.objects.get(locale__language_code="de")
    actor_index = ActorIndexPage.objects.get(locale__language_code="de")
    event_index = EventIndexPage.objects.get(locale__language_code="de")
    topics = list(Topic.objects.filter(locale__language_code="de"))
    builder = ContentBuilder()
    pictures = image_pool(builder, 12)
    logos = logo_pool(builder, 12)

    actors = []
    for number in range(int(ACTORS_AT_SCALE_1 * scale)):
        actor = add_live(
            actor_index,
            ActorPage(
                title=f"Akteur {number:04d}",
                slug=f"bench-akteur-{number:04d}",
                sector=rng.choice(list(Sector)).value,
                city=rng.choice(CITIES),
                description="Eine Organisation aus der Stadtgesellschaft.",
                logo=rng.choice(logos),
            ),
        )
        translate_to_english(actor, english, description="An organisation from local society.")
        actors.append(actor)

    labs = []
    for number in range(int(LABS_AT_SCALE_1 * scale)):
        lab = add_live(
            lab_index,
            LabPage(
                title=f"Labor {number:04d}",
                slug=f"bench-labor-{number:04d}",
                city=rng.choice(CITIES),
                challenge="Demografischer Wandel im Quartier",
                teaser="Ein Labor zum Zusammenleben im Quartier.",
                phase=rng.choice(list(Phase)).value,
                hero_image=rng.choice(pictures),
                hero_image_decorative=True,
                partners=[
                    LabPartner(actor=actor, role="partner")
                    for actor in rng.sample(actors, min(len(actors), 8))
                ],
                topics=rng.sample(topics, min(len(topics), 2)),
            ),
        )
        translate_to_english(lab, english, title=f"Lab {number:04d}")
        labs.append(lab)

    venues = [
        Venue.objects.create(
            site=builder.site,
            locale=home.locale,
            name=f"Stadtteilzentrum {city}",
            street_address="Marktplatz 1",
            postal_code=f"{44100 + position:05d}",
            locality=city,
        )
        for position, city in enumerate(CITIES)
    ]
    today = timezone.localdate()
    events = int(EVENTS_AT_SCALE_1 * scale)
    for number in range(events):
        # a year of past workshops and a year ahead, a few per day at different hours
        day = today + datetime.timedelta(days=round((number / max(events, 1) - 0.5) * 730))
        start = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9 + number % 8, 0))
        )
        german_topic, english_topic = rng.choice(WORKSHOP_TOPICS)
        event = add_live(
            event_index,
            EventPage(
                title=f"Werkstatt {number:04d}: {german_topic}",
                slug=f"bench-werkstatt-{number:04d}",
                start=start,
                end=start + datetime.timedelta(hours=3),
                event_format=rng.choice(list(EventFormat)).value,
                hero_image=rng.choice(pictures),
                hero_image_decorative=True,
                venue=rng.choice(venues),
                target_audience="Verwaltung, Zivilgesellschaft und Politik",
                teaser=f"Eine Werkstatt zu {german_topic} im Quartier.",
                body=paragraphs(
                    "Kommunen lernen voneinander, wie Labore sozialer Innovation entstehen.",
                    "Teams aus Verwaltung, Politik, Wirtschaft und Forschung arbeiten mit.",
                ),
                related_labs=rng.sample(labs, min(len(labs), 2)),
                speakers=[
                    EventSpeaker(
                        name=f"Person {number:04d}-{position}",
                        role="Referentin",
                        actor=actor,
                        photo=rng.choice(logos),
                    )
                    for position, actor in enumerate(rng.sample(actors, min(len(actors), 3)))
                ],
            ),
        )
        translate_to_english(
            event,
            english,
            title=f"Workshop {number:04d}: {english_topic}",
            teaser=f"A workshop on {english_topic} in the neighbourhood.",
        )

    for number in range(int(CONTENT_PAGES_AT_SCALE_1 * scale)):
        page = add_live(
            home,
            ContentPage(
                title=f"Informationsseite {number:02d}",
                slug=f"bench-seite-{number:02d}",
                teaser="Hintergrund zu den Laboren sozialer Innovation.",
                body=paragraphs(
                    "Labore sozialer Innovation sind offene Orte der Kommune.",
                    "Hier arbeiten alle Sektoren auf Augenhöhe an einer Herausforderung.",
                ),
            ),
        )
        translate_to_english(page, english, title=f"Information page {number:02d}")
    print(
        f"Created {len(actors)} actors, {len(labs)} labs, {events} workshops and "
        f"{int(CONTENT_PAGES_AT_SCALE_1 * scale)} content pages (each also in English)."
    )


def add_sites(count: int):
    """More municipalities beside the measured one, as a host for many would have."""
    import io
    import time

    if count <= 0:
        return
    started = time.monotonic()
    for number in range(2, count + 2):
        call_command(
            "setup_portal",
            site=f"Gemeinde {number:03d}",
            hostname=f"gemeinde{number:03d}.bench.localhost",
            stdout=io.StringIO(),
        )
    seconds = time.monotonic() - started
    print(f"Added {count} more sites in {seconds:.0f} s ({seconds / count:.1f} s each).")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--sites",
        type=int,
        default=1,
        help="municipalities in the installation: the measured one plus N-1 more, each "
        "added with `setup_portal --site` (the time it takes is printed)",
    )
    arguments = parser.parse_args()
    call_command("load_demo_content", "--single-site")
    populate(arguments.scale)
    add_sites(arguments.sites - 1)
    from django.db import connection

    if connection.vendor == "postgresql":
        # fresh statistics, as autovacuum would give a real site after a while; without them
        # the planner takes the bulk-loaded tables for empty
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
