"""The migration that gave venues fields of their own (events 0008): free-text venues
become venues as far as their address reads, what does not read is kept for editors, and
back again. It runs in a database of its own, in another process: migrating back and forth
inside the suite's test transaction is not possible on SQLite."""

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
migration = importlib.import_module("events.migrations.0008_venues")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Musterstraße 12\n44147 Dortmund",
            ("Musterstraße 12", "44147", "Dortmund", "DE", []),
        ),
        ("Musterstraße 12, 44147 Dortmund", ("Musterstraße 12", "44147", "Dortmund", "DE", [])),
        ("Musterstraße 12 44147 Dortmund", ("Musterstraße 12", "44147", "Dortmund", "DE", [])),
        (
            "Raum 2.14\nc/o Bürgerhaus\nAm Markt 3a\nD-42103 Wuppertal\nDeutschland\n",
            ("Am Markt 3a", "42103", "Wuppertal", "DE", ["Raum 2.14", "c/o Bürgerhaus"]),
        ),
        ("  Hauptplatz 1\r\n 1010 Wien \r\nÖsterreich", ("Hauptplatz 1", "1010", "Wien", "AT", [])),
        ("44135 Dortmund", ("", "44135", "Dortmund", "DE", [])),
        ("Rathaus, Marktplatz 1, Dortmund", None),  # no postal code
        ("Marktplatz 1\n4413 Dortmund", None),  # four digits in Germany
        ("Online", None),
        ("", None),
    ],
)
def test_addresses_are_read_into_fields_where_they_can_be(text, expected):
    read = migration.read_address(text)
    if expected is None:
        assert read is None
    else:
        street, postal_code, locality, country, above = expected
        assert read == {
            "street_address": street,
            "postal_code": postal_code,
            "locality": locality,
            "country": country,
            "above": above,
        }


def test_a_venue_round_trips_through_the_old_text():
    fields, room = migration.as_venue("Bürgerhaus", "Saal 1\nAm Markt 3a\n42103 Wuppertal")
    assert (fields["name"], fields["street_address"], room) == (
        "Bürgerhaus",
        "Am Markt 3a",
        "Saal 1",
    )

    class Row:
        pass

    venue = Row()
    venue.__dict__.update(fields)
    assert migration.as_text(venue, fields["name"], room) == (
        "Bürgerhaus",
        "Saal 1\nAm Markt 3a\n42103 Wuppertal",
    )
    unread, room = migration.as_venue("", "Marktplatz 1, Dortmund")
    assert (unread["name"], unread["address_to_check"], room) == (
        "Marktplatz 1, Dortmund",
        "Marktplatz 1, Dortmund",
        "",
    )


ODD_INPUTS = [
    # (name, address) as editors typed them, and (name, address) after forwards and back
    (
        ("", "Rathaus, Marktplatz 1, Dortmund"),  # no postal code: kept for editors
        ("Rathaus, Marktplatz 1, Dortmund", "Rathaus, Marktplatz 1, Dortmund"),
    ),
    (
        ("", "Musterstraße 12, 44147 Dortmund"),  # one line
        ("Musterstraße 12, Dortmund", "Musterstraße 12\n44147 Dortmund"),
    ),
    (
        ("Bürgerhaus", "Saal 1\nc/o Stadtteilbüro\nAm Markt 3a\nD-42103 Wuppertal\nDeutschland"),
        ("Bürgerhaus", "Saal 1, c/o Stadtteilbüro\nAm Markt 3a\n42103 Wuppertal"),
    ),
    (
        ("Treff", " Raum 1 \n\n Hauptplatz 1\r\n1010 Wien\nÖsterreich\n"),  # blank lines, abroad
        ("Treff", "Raum 1\nHauptplatz 1\n1010 Wien\nÖsterreich"),
    ),
    (("Nur ein Name", ""), ("Nur ein Name", "")),
    (("", "Marktplatz 1\n4413 Dortmund"), ("Marktplatz 1", "Marktplatz 1\n4413 Dortmund")),
]


@pytest.mark.parametrize(("typed", "back"), ODD_INPUTS)
def test_odd_inputs_forwards_and_backwards_lose_nothing(typed, back):
    """What the backwards migration writes for what the forwards one made: every word of
    the old text is still there (a "D-" before the postal code and "Deutschland" aside,
    the default country)."""
    fields, room = migration.as_venue(*typed)

    class Row:
        pass

    venue = Row()
    venue.__dict__.update(fields)
    assert migration.as_text(venue, fields["name"], room) == back
    words = set(" ".join(typed).replace(",", " ").replace("D-", "").split()) - {"Deutschland"}
    assert words <= set(" ".join(back).replace(",", " ").split())


# Runs in its own process on an empty SQLite file: the demo, back to free text, odd inputs,
# forward again. Prints one JSON line.
SCRIPT = r"""
import io, json
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

call_command("migrate", verbosity=0)
call_command("load_demo_content", "--single-site", stdout=io.StringIO())
leaf = MigrationExecutor(connection).loader.graph.leaf_nodes("events")[0]
before = ("events", "0007_calendar_entry")

executor = MigrationExecutor(connection)
executor.migrate([before])
old = executor.loader.project_state([before]).apps
EventPage = old.get_model("events", "EventPage")
Revision = old.get_model("wagtailcore", "Revision")
back = {
    f"{e.slug}/{e.locale.language_code}": [e.venue_name, e.venue_address]
    for e in EventPage.objects.select_related("locale")
}
konzept = EventPage.objects.get(slug="konzeptentwicklung")
back_revision = Revision.objects.get(pk=konzept.latest_revision_id).content

odd = {
    "grundlagen": ("", "Rathaus, Marktplatz 1, Dortmund"),
    "aufbau": (
        "Bürgerhaus", "Saal 1\nc/o Stadtteilbüro\nAm Markt 3a\nD-42103 Wuppertal\nDeutschland"
    ),
    "digitale-sprechstunde": ("Nur ein Name", ""),
    "verstetigung": ("", "Musterstraße 12, 44147 Dortmund"),
}
for slug, (name, address) in odd.items():
    EventPage.objects.filter(slug=slug, locale__language_code="de").update(
        venue_name=name, venue_address=address
    )
EventPage.objects.filter(slug="set-up").update(venue_name="Civic centre")

printed = io.StringIO()
import contextlib
with contextlib.redirect_stdout(printed):
    executor = MigrationExecutor(connection)
    executor.migrate([leaf])

from events.models import EventPage, Venue
from wagtail.models import Revision

forward = {}
for e in EventPage.objects.select_related("venue", "locale"):
    v = e.venue
    forward[f"{e.slug}/{e.locale.language_code}"] = {
        "room": e.room,
        "venue": None if v is None else {
            "name": v.name, "street": v.street_address, "postal_code": v.postal_code,
            "locality": v.locality, "country": v.country, "to_check": v.address_to_check,
            "language": v.locale.language_code,
            "names": sorted(
                Venue.objects.filter(translation_key=v.translation_key)
                .values_list("name", flat=True)
            ),
        },
    }
konzept = EventPage.objects.get(slug="konzeptentwicklung")
revision = Revision.objects.get(pk=konzept.latest_revision_id).content
print("RESULT " + json.dumps({
    "back": back,
    "back_revision": [back_revision.get("venue_name"), back_revision.get("venue_address")],
    "forward": forward,
    "printed": printed.getvalue(),
    "revision": [
        revision.get("venue") == konzept.venue_id, revision.get("room"), "venue_name" in revision
    ],
    "venues": Venue.objects.count(),
}))
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    database = tmp_path_factory.mktemp("venues") / "db.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SCRIPT],
        cwd=REPO,
        env={
            **__import__("os").environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def test_backwards_the_demo_venues_become_free_text_again(migrated):
    back = migrated["back"]
    assert back["konzeptentwicklung/de"] == [
        "Quartierswerkstatt Nordstadt",
        "Werkstattraum, Erdgeschoss\nMusterstraße 12\n44147 Dortmund",
    ]
    assert back["concept-development/en"] == [
        "Nordstadt neighbourhood workshop",
        "Workshop room, ground floor\nMusterstraße 12\n44147 Dortmund",
    ]
    assert back["verstetigung/de"] == ["", ""]  # online only
    assert migrated["back_revision"] == back["konzeptentwicklung/de"]


def test_forwards_the_demo_venues_come_back_as_they_were(migrated):
    konzept = migrated["forward"]["konzeptentwicklung/de"]
    assert konzept["room"] == "Werkstattraum, Erdgeschoss"
    assert konzept["venue"] | {"names": None} == {
        "name": "Quartierswerkstatt Nordstadt",
        "street": "Musterstraße 12",
        "postal_code": "44147",
        "locality": "Dortmund",
        "country": "DE",
        "to_check": "",
        "language": "de",
        "names": None,
    }
    assert konzept["venue"]["names"] == [
        "Nordstadt neighbourhood workshop",
        "Quartierswerkstatt Nordstadt",
    ]
    # the English page links the German venue, as wagtail-localize keeps foreign keys
    english = migrated["forward"]["concept-development/en"]
    assert english["venue"]["language"] == "de"
    assert english["room"] == "Workshop room, ground floor"
    # the draft and earlier revisions keep their place too
    assert migrated["revision"] == [True, "Werkstattraum, Erdgeschoss", False]


def test_forwards_odd_inputs_are_read_as_far_as_they_go_and_the_rest_is_listed(migrated):
    forward = migrated["forward"]
    unread = forward["grundlagen/de"]["venue"]
    assert unread["name"] == "Rathaus, Marktplatz 1, Dortmund"
    assert unread["to_check"] == "Rathaus, Marktplatz 1, Dortmund"
    assert unread["street"] == unread["postal_code"] == unread["locality"] == ""

    extra_lines = forward["aufbau/de"]
    assert extra_lines["room"] == "Saal 1, c/o Stadtteilbüro"
    assert extra_lines["venue"]["street"] == "Am Markt 3a"
    assert extra_lines["venue"]["postal_code"] == "42103"
    assert extra_lines["venue"]["names"] == ["Bürgerhaus", "Civic centre"]

    name_only = forward["digitale-sprechstunde/de"]["venue"]
    assert (name_only["name"], name_only["to_check"], name_only["street"]) == (
        "Nur ein Name",
        "",
        "",
    )
    one_line = forward["verstetigung/de"]["venue"]
    assert (one_line["name"], one_line["locality"]) == ("Musterstraße 12, Dortmund", "Dortmund")

    assert "Rathaus, Marktplatz 1, Dortmund" in migrated["printed"]
    assert "Bürgerhaus" not in migrated["printed"]
