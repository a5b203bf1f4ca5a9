"""Venues get fields of their own: the free-text venue name and address of each workshop
become a venue (one per place and site, its name translated like the workshop's), as far
as the address can be read; what cannot be read is kept on the venue for editors to check
(listed in the venues' admin and on the dashboard's go-live checklist)."""

import re
import uuid

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import events.models

POSTCODE_TOWN = re.compile(r"^(?:(?:D|DE)\s*-\s*)?(\d{4,5})\s+(\D.*)$")
STREET_POSTCODE_TOWN = re.compile(r"^(.*\d.*?)\s+(\d{5})\s+(\D.*)$")
COUNTRIES = {
    "deutschland": "DE",
    "germany": "DE",
    "österreich": "AT",
    "austria": "AT",
    "schweiz": "CH",
    "switzerland": "CH",
    "niederlande": "NL",
    "netherlands": "NL",
    "belgien": "BE",
    "belgium": "BE",
    "luxemburg": "LU",
    "luxembourg": "LU",
    "frankreich": "FR",
    "france": "FR",
    "dänemark": "DK",
    "denmark": "DK",
    "polen": "PL",
    "poland": "PL",
    "tschechien": "CZ",
    "czechia": "CZ",
}
COUNTRY_NAMES = {
    "AT": "Österreich",
    "CH": "Schweiz",
    "NL": "Niederlande",
    "BE": "Belgien",
    "LU": "Luxemburg",
    "FR": "Frankreich",
    "DK": "Dänemark",
    "PL": "Polen",
    "CZ": "Tschechien",
}


def read_address(text: str) -> dict | None:
    """A free-text address as fields: street, postal code, town, country and the lines
    above the street (a room, "c/o …"); None where no line "postal code town" ends it.

    Accepts lines or one comma-separated line, "D-" before the postal code and a last line
    naming the country."""
    lines = [line.strip(" \t,;") for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 1:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    country = "DE"
    if lines and lines[-1].casefold() in COUNTRIES:
        country = COUNTRIES[lines.pop().casefold()]
    if not lines:
        return None
    town = POSTCODE_TOWN.match(lines[-1])
    if town:
        street = lines[-2] if len(lines) > 1 else ""
        above = lines[:-2]
        postal_code, locality = town.groups()
    else:
        one_line = STREET_POSTCODE_TOWN.match(lines[-1])
        if not one_line:
            return None
        street, postal_code, locality = one_line.groups()
        above = lines[:-1]
    if len(postal_code) == 4 and country == "DE":  # German postal codes have five digits
        return None
    return {
        "street_address": street,
        "postal_code": postal_code,
        "locality": locality.strip(),
        "country": country,
        "above": above,
    }


def as_venue(name: str, address: str) -> tuple[dict, str] | None:
    """The venue's fields, and the room note for the workshop, from the old free text; None
    where there is neither."""
    name, address = name.strip(), address.strip()
    if not name and not address:
        return None
    fields = {"name": name, "street_address": "", "postal_code": "", "locality": ""}
    fields.update(country="DE", address_to_check="")
    room = ""
    read = read_address(address) if address else None
    if read is not None:
        above = read.pop("above")
        fields.update(read)
        if not name and above:
            fields["name"] = above.pop(0)
        room = ", ".join(above)
        if not fields["name"]:
            fields["name"] = ", ".join(filter(None, [read["street_address"], read["locality"]]))
    elif address:
        fields["address_to_check"] = address
        if not name:
            fields["name"] = address.splitlines()[0].strip(" ,")
    fields["name"] = fields["name"][:200]
    return fields, room[:200]


def as_text(venue, name: str, room: str) -> tuple[str, str]:
    """The old free-text venue name and address from a venue (the inverse of as_venue)."""
    town = " ".join(filter(None, [venue.postal_code, venue.locality]))
    lines = [room, venue.street_address, town, COUNTRY_NAMES.get(venue.country, "")]
    if not (venue.street_address or town):
        lines = [room, venue.address_to_check]
    return name, "\n".join(line for line in lines if line)


def site_of(page, homes_by_key, sites_by_root_key, default_site):
    home = homes_by_key.get(page.path[:8])
    site = sites_by_root_key.get(home) if home else None
    return site or default_site


def give_workshops_venues(apps, schema_editor):
    EventPage = apps.get_model("events", "EventPage")
    Venue = apps.get_model("events", "Venue")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    events = list(EventPage.objects.order_by("path", "pk"))
    if not events:
        return
    default_locale = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    sites = list(Site.objects.select_related("root_page"))
    sites_by_root_key = {site.root_page.translation_key: site for site in sites}
    default_site = next((site for site in sites if site.is_default_site), None) or (
        sites[0] if sites else None
    )
    homes_by_key = dict(
        Page.objects.filter(depth=2).values_list("path", "translation_key")
    )
    venues = {}  # (site, locale, fields) -> venue

    def venue_for(site, locale_id, fields):
        key = (site.pk, locale_id, tuple(sorted(fields.items())))
        if key not in venues:
            venue = Venue.objects.filter(site=site, locale_id=locale_id, **fields).first()
            venues[key] = venue or Venue.objects.create(
                site=site, locale_id=locale_id, translation_key=uuid.uuid4(), **fields
            )
        return venues[key]

    groups = {}
    for event in events:
        groups.setdefault(event.translation_key, []).append(event)
    source_venue = {}  # translation key -> the venue every language's page links
    to_check = []
    for key, group in groups.items():
        source = next((e for e in group if e.locale_id == getattr(default_locale, "pk", None)), None)
        source = source or group[0]
        site = site_of(source, homes_by_key, sites_by_root_key, default_site)
        read = as_venue(source.venue_name, source.venue_address)
        if read is None or site is None:
            continue
        fields, _room = read
        venue = venue_for(site, source.locale_id, fields)
        source_venue[key] = venue
        if venue.address_to_check and venue not in to_check:
            to_check.append(venue)
        for event in group:
            if event.locale_id == venue.locale_id:
                continue
            own = as_venue(event.venue_name, event.venue_address)
            name = own[0]["name"] if own else venue.name
            if not Venue.objects.filter(
                translation_key=venue.translation_key, locale_id=event.locale_id
            ).exists():
                translated = {f.name: getattr(venue, f.name) for f in Venue._meta.concrete_fields}
                translated.update(id=None, locale_id=event.locale_id, name=name)
                Venue.objects.create(**translated)

    for event in events:
        read = as_venue(event.venue_name, event.venue_address)
        event.venue = source_venue.get(event.translation_key)
        event.room = read[1] if read else ""
        EventPage.objects.filter(pk=event.pk).update(venue=event.venue, room=event.room)

    # Drafts and earlier revisions keep their place too (a draft published later, or a
    # revision reverted to, would otherwise lose it).
    content_type = ContentType.objects.get_for_model(EventPage)
    by_id = {str(event.pk): event for event in events}
    for revision in Revision.objects.filter(content_type=content_type).iterator():
        content = revision.content
        if "venue_name" not in content and "venue_address" not in content:
            continue
        event = by_id.get(revision.object_id)
        read = as_venue(content.pop("venue_name", ""), content.pop("venue_address", ""))
        venue = None
        if event is not None and read is not None:
            venue = source_venue.get(event.translation_key)
            if event.locale_id == getattr(venue, "locale_id", None):
                site = site_of(event, homes_by_key, sites_by_root_key, default_site)
                venue = venue_for(site, event.locale_id, read[0])
        content["venue"] = venue.pk if venue else None
        content["room"] = read[1] if read else ""
        Revision.objects.filter(pk=revision.pk).update(content=content)

    if to_check:
        print("\n  Venues whose address could not be read (see Snippets → Venues):")
        for venue in to_check:
            print(f"    {venue.name}: {venue.address_to_check!r}")


def give_workshops_free_text_venues(apps, schema_editor):
    EventPage = apps.get_model("events", "EventPage")
    Venue = apps.get_model("events", "Venue")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")

    names = {(v.translation_key, v.locale_id): v.name for v in Venue.objects.all()}
    venues = Venue.objects.in_bulk()

    def text_of(venue_id, locale_id, room):
        venue = venues.get(venue_id)
        if venue is None:
            return "", room
        name = names.get((venue.translation_key, locale_id), venue.name)
        return as_text(venue, name, room)

    events = {}
    for event in EventPage.objects.all():
        events[str(event.pk)] = event
        name, address = text_of(event.venue_id, event.locale_id, event.room)
        EventPage.objects.filter(pk=event.pk).update(venue_name=name, venue_address=address)
    content_type = ContentType.objects.get_for_model(EventPage)
    for revision in Revision.objects.filter(content_type=content_type).iterator():
        content = revision.content
        if "venue" not in content and "room" not in content:
            continue
        event = events.get(revision.object_id)
        locale_id = event.locale_id if event else None
        name, address = text_of(content.pop("venue", None), locale_id, content.pop("room", ""))
        content.update(venue_name=name, venue_address=address)
        Revision.objects.filter(pk=revision.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_calendar_entry"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Venue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("translation_key", models.UUIDField(default=uuid.uuid4, editable=False)),
                (
                    "name",
                    models.CharField(
                        help_text="e.g. Rathaus, Bürgersaal", max_length=200, verbose_name="name"
                    ),
                ),
                (
                    "street_address",
                    models.CharField(
                        blank=True,
                        help_text="e.g. Friedensplatz 1",
                        max_length=200,
                        verbose_name="street and number",
                    ),
                ),
                (
                    "postal_code",
                    models.CharField(blank=True, max_length=10, verbose_name="postal code"),
                ),
                (
                    "locality",
                    models.CharField(blank=True, max_length=120, verbose_name="town or city"),
                ),
                (
                    "region",
                    models.CharField(
                        blank=True,
                        help_text="e.g. Nordrhein-Westfalen",
                        max_length=120,
                        verbose_name="federal state",
                    ),
                ),
                (
                    "country",
                    models.CharField(
                        choices=[
                            ("DE", "Germany"),
                            ("AT", "Austria"),
                            ("CH", "Switzerland"),
                            ("NL", "Netherlands"),
                            ("BE", "Belgium"),
                            ("LU", "Luxembourg"),
                            ("FR", "France"),
                            ("DK", "Denmark"),
                            ("PL", "Poland"),
                            ("CZ", "Czechia"),
                        ],
                        default="DE",
                        max_length=2,
                        verbose_name="country",
                    ),
                ),
                (
                    "latitude",
                    models.DecimalField(
                        blank=True,
                        decimal_places=6,
                        help_text=(
                            "Optional, e.g. 51.513587 (for calendars and maps; typed in, not "
                            "looked up)."
                        ),
                        max_digits=8,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(-90),
                            django.core.validators.MaxValueValidator(90),
                        ],
                        verbose_name="latitude",
                    ),
                ),
                (
                    "longitude",
                    models.DecimalField(
                        blank=True,
                        decimal_places=6,
                        help_text="Optional, e.g. 7.465298",
                        max_digits=9,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(-180),
                            django.core.validators.MaxValueValidator(180),
                        ],
                        verbose_name="longitude",
                    ),
                ),
                (
                    "address_to_check",
                    models.TextField(
                        blank=True,
                        help_text=(
                            "The address as it was entered before venues had fields of their "
                            "own, where it could not be read into them. Fill in the fields "
                            "above, then empty this one."
                        ),
                        verbose_name="address to check",
                    ),
                ),
                (
                    "locale",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="locale",
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailcore.site",
                        verbose_name="site",
                    ),
                ),
            ],
            options={
                "verbose_name": "venue",
                "verbose_name_plural": "venues",
                "ordering": ["name", "pk"],
                "abstract": False,
                "unique_together": {("translation_key", "locale")},
            },
        ),
        migrations.AddField(
            model_name="eventpage",
            name="room",
            field=models.CharField(
                blank=True,
                help_text="Where in the venue, e.g. Raum 2.14, 2. Etage.",
                max_length=200,
                verbose_name="room or floor",
            ),
        ),
        migrations.AddField(
            model_name="eventpage",
            name="venue",
            field=models.ForeignKey(
                blank=True,
                limit_choices_to=events.models.default_locale,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="events",
                to="events.venue",
                verbose_name="venue",
            ),
        ),
        migrations.RunPython(give_workshops_venues, give_workshops_free_text_venues),
        migrations.RemoveField(model_name="eventpage", name="venue_address"),
        migrations.RemoveField(model_name="eventpage", name="venue_name"),
    ]
