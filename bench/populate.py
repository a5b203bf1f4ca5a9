"""Fill a benchmark database: the demo site plus many labs and actors in German and English.

Run by bench/run.py inside the benchmark's environment (never against a real database):
    python bench/populate.py --scale 1.0
"""

import argparse
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
from wagtail.models import Locale  # noqa: E402

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

LABS_AT_SCALE_1 = 200
ACTORS_AT_SCALE_1 = 500
CITIES = ["Dortmund", "Wuppertal", "Bochum", "Hagen", "Solingen", "Herne", "Witten"]


def translate_to_english(page, english, **fields):
    """A plain Wagtail translation (fast; the demo uses wagtail-localize for real content)."""
    translation = page.copy_for_translation(english, copy_parents=False)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


@transaction.atomic
def populate(scale: float, seed: int = 7):
    rng = random.Random(seed)  # noqa: S311 - test data
    english = Locale.objects.get(language_code="en")
    lab_index = LabIndexPage.objects.get(locale__language_code="de")
    actor_index = ActorIndexPage.objects.get(locale__language_code="de")
    topics = list(Topic.objects.filter(locale__language_code="de"))

    actors = []
    for number in range(int(ACTORS_AT_SCALE_1 * scale)):
        actor = ActorPage(
            title=f"Akteur {number:04d}",
            slug=f"bench-akteur-{number:04d}",
            sector=rng.choice(list(Sector)).value,
            city=rng.choice(CITIES),
            description="Eine Organisation aus der Stadtgesellschaft.",
        )
        actor_index.add_child(instance=actor)
        actor.save_revision().publish()
        translate_to_english(actor, english, description="An organisation from local society.")
        actors.append(actor)

    for number in range(int(LABS_AT_SCALE_1 * scale)):
        lab = LabPage(
            title=f"Labor {number:04d}",
            slug=f"bench-labor-{number:04d}",
            city=rng.choice(CITIES),
            challenge="Demografischer Wandel im Quartier",
            teaser="Ein Labor zum Zusammenleben im Quartier.",
            phase=rng.choice(list(Phase)).value,
            partners=[
                LabPartner(actor=actor, role="partner")
                for actor in rng.sample(actors, min(len(actors), 8))
            ],
            topics=rng.sample(topics, min(len(topics), 2)),
        )
        lab_index.add_child(instance=lab)
        lab.save_revision().publish()
        translate_to_english(lab, english, title=f"Lab {number:04d}")
    print(f"Created {len(actors)} actors and {int(LABS_AT_SCALE_1 * scale)} labs (+ English).")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    arguments = parser.parse_args()
    call_command("load_demo_content")
    populate(arguments.scale)
