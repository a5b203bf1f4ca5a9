"""Workshops and workshop series in the open data API (portal/api.py)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from labs.models import ActorPage, LabPage
from portal.api import (
    CommonParameters,
    FileItem,
    ItemBase,
    PageLink,
    PublicCollection,
    WithLicence,
    documented,
    file_item,
    item_id,
    page_link,
)
from portal.delivery.http import absolute_url
from portal.images import CARD_IMAGE
from portal.sites import under_any
from portal.translation import localize

from . import registration as registrations
from .models import EventFormat, EventIndexPage, EventPage, EventSeriesPage, EventStatus
from .places import attach_places
from .selectors import STRUCTURED_DATA_IMAGES, attach_series, documentation_downloads

# dates beyond these hold no workshops, and would overflow in UTC
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(9998, 12, 31)


class WorkshopParameters(CommonParameters):
    start_from = serializers.DateField(
        required=False, help_text=_("Workshops ending on or after this day (YYYY-MM-DD).")
    )
    to = serializers.DateField(
        required=False, help_text=_("Workshops starting on or before this day (YYYY-MM-DD).")
    )
    series = item_id(_("A series' id."))
    lab = item_id(_("A lab's id."))
    format = serializers.ChoiceField(
        choices=EventFormat.values, required=False, help_text=_("In person, online or both.")
    )
    status = serializers.ChoiceField(
        choices=EventStatus.values, required=False, help_text=_("Whether it takes place.")
    )
    documented = serializers.BooleanField(
        required=False,
        help_text=_("true: ended workshops with documentation; false: all others."),
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("start_from")  # "from" is a keyword in Python
        return fields


class Place(serializers.Serializer):
    name = serializers.CharField()
    room = serializers.CharField()
    street_address = serializers.CharField()
    postal_code = serializers.CharField()
    locality = serializers.CharField()
    region = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2, e.g. DE")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class Image(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField(help_text="Empty: decorative.")


class RegistrationInfo(serializers.Serializer):
    mode = serializers.ChoiceField(choices=["none", "external", "built_in"])
    url = serializers.URLField(allow_null=True, help_text="Where to register.")
    open = serializers.BooleanField(help_text="Whether registrations are accepted now.")
    capacity = serializers.IntegerField(allow_null=True, help_text="Seats; null: unlimited.")
    seats_left = serializers.IntegerField(allow_null=True)
    deadline = serializers.DateTimeField(allow_null=True)


class Workshop(ItemBase):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    all_day = serializers.BooleanField()
    format = serializers.ChoiceField(choices=EventFormat.values, source="event_format")
    status = serializers.ChoiceField(choices=EventStatus.values)
    part_number = serializers.IntegerField(allow_null=True)
    series = serializers.SerializerMethodField()
    place = serializers.SerializerMethodField()
    online_url = serializers.SerializerMethodField()
    cost = serializers.CharField(source="cost_note", help_text="Empty: free of charge.")
    image = serializers.SerializerMethodField()
    registration = serializers.SerializerMethodField()
    labs = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()
    documented = serializers.BooleanField(
        source="shows_documentation",
        help_text="Whether the workshop has ended and its documentation is published.",
    )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_online_url(self, event):
        return event.online_url or None

    @extend_schema_field(PageLink(allow_null=True))
    def get_series(self, event):
        return page_link(event.series, self.context["request"])

    @extend_schema_field(Place(allow_null=True))
    def get_place(self, event):
        place = event.place
        if place is None:
            return None
        return {
            "name": place.name,
            "room": event.room,
            "street_address": place.street_address,
            "postal_code": place.postal_code,
            "locality": place.locality,
            "region": place.region,
            "country": place.country,
            "latitude": float(place.latitude) if place.latitude is not None else None,
            "longitude": float(place.longitude) if place.longitude is not None else None,
        }

    @extend_schema_field(Image(allow_null=True))
    def get_image(self, event):
        if not event.hero_image:
            return None
        rendition = event.hero_image.get_rendition(CARD_IMAGE.filter_specs[0])
        return {
            "url": absolute_url(self.context["request"], rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "alt": "" if event.hero_image_decorative else event.hero_image_alt,
        }

    @extend_schema_field(RegistrationInfo)
    def get_registration(self, event):
        request = self.context["request"]
        page_url = absolute_url(request, event.get_url(request) or "")
        availability = event.availability
        url = None
        if event.registration_mode == "external":
            url = event.registration_url
        elif event.registration_mode == "built_in":
            url = f"{page_url}#registration"
        return {
            "mode": event.registration_mode,
            "url": url,
            "open": bool(availability and availability.accepts_registrations)
            or (event.registration_mode == "external" and not event.is_past),
            "capacity": availability.capacity if availability else None,
            "seats_left": availability.seats_left if availability else None,
            "deadline": registrations.deadline(event) if availability else None,
        }

    @extend_schema_field(PageLink(many=True))
    def get_labs(self, event):
        request = self.context["request"]
        return [page_link(lab, request) for lab in event.lab_pages]

    def get_ics_url(self, event) -> str:
        request = self.context["request"]
        return absolute_url(request, f"{event.get_url(request)}calendar/")


class Photo(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField(help_text="Empty: decorative.")
    caption = serializers.CharField()
    credit = serializers.CharField()


class Documentation(serializers.Serializer):
    summary = serializers.CharField(help_text="The summary of results as display HTML.")
    files = FileItem(many=True)
    photos = Photo(many=True)


class Speaker(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()
    organisation = serializers.CharField()
    actor = PageLink(allow_null=True)


class AgendaEntry(serializers.Serializer):
    time = serializers.RegexField(r"^\d{2}:\d{2}$", help_text=_("Local time, HH:MM."))
    item = serializers.CharField()


class WorkshopDetails(WithLicence, Workshop):
    target_audience = serializers.CharField()
    goals = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    speakers = serializers.SerializerMethodField()
    organiser = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField(help_text="The description as display HTML.")
    images = serializers.SerializerMethodField(help_text="The picture in 16:9 and 1:1.")
    documentation = serializers.SerializerMethodField(
        help_text="Once the workshop has ended and is documented; else null."
    )

    @extend_schema_field(Documentation(allow_null=True))
    def get_documentation(self, event):
        if not event.shows_documentation:
            return None
        request = self.context["request"]
        photos = []
        for block in event.documentation_photos:
            image = block.value["image"]
            rendition = image.get_rendition("width-1200")
            photos.append(
                {
                    "url": absolute_url(request, rendition.url),
                    "width": rendition.width,
                    "height": rendition.height,
                    "alt": rendition.alt,
                    "caption": block.value["caption"] or "",
                    "credit": block.value["credit"] or "",
                }
            )
        files = documentation_downloads([event])[event.pk]
        return {
            "summary": expand_db_html(event.documentation_summary),
            "files": [file_item(download, request) for download in files],
            "photos": photos,
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_goals(self, event):
        return [str(goal.value) for goal in event.goals]

    @extend_schema_field(AgendaEntry(many=True))
    def get_agenda(self, event):
        return [
            {"time": f"{entry.time:%H:%M}", "item": entry.item}
            for entry in event.agenda_items.order_by("sort_order", "time", "pk")
        ]

    @extend_schema_field(Speaker(many=True))
    def get_speakers(self, event):
        request = self.context["request"]
        rows = list(event.speakers.select_related("actor").order_by("sort_order", "pk"))
        actors = localize(
            [row.actor for row in rows if row.actor], queryset=ActorPage.objects.live().public()
        )
        by_key = {actor.translation_key: actor for actor in actors if actor}
        return [
            {
                "name": row.name,
                "role": row.role,
                "organisation": row.organisation,
                "actor": page_link(
                    by_key.get(row.actor.translation_key) if row.actor else None, request
                ),
            }
            for row in rows
        ]

    @extend_schema_field(PageLink(allow_null=True))
    def get_organiser(self, event):
        if not event.organiser_id:
            return None
        (organiser,) = localize([event.organiser], queryset=ActorPage.objects.live().public())
        return page_link(organiser, self.context["request"])

    def get_body(self, event) -> str:
        return str(event.body)

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_images(self, event):
        if not event.hero_image:
            return []
        renditions = event.hero_image.get_renditions(*STRUCTURED_DATA_IMAGES)
        request = self.context["request"]
        return [absolute_url(request, renditions[spec].url) for spec in STRUCTURED_DATA_IMAGES]


@documented(WorkshopParameters, Workshop(many=True), WorkshopDetails, "workshops")
class Workshops(PublicCollection):
    """Published workshops, ordered by start."""

    page_model = EventPage
    serializer_class = Workshop
    detail_serializer_class = WorkshopDetails
    parameters_class = WorkshopParameters
    ordering = ("start", "pk")
    dataset_title = _("Workshops")
    dataset_description = _(
        "Workshops of the municipal lab of social innovation and of its workshop series: "
        "date, place, format, status, speakers, agenda and registration."
    )
    dataset_keywords = (_("workshop"), _("social innovation"), _("participation"))
    dataset_themes = ("SOCI", "EDUC", "GOVE")

    @classmethod
    def other_formats(cls, request):
        """Every workshop directory's calendar (one per language)."""
        from wagtail.models import Site

        from portal.sites import in_site

        directories = in_site(
            EventIndexPage.objects.live().public(), Site.find_for_request(request)
        )
        return [
            (absolute_url(request, f"{directory.get_url(request)}calendar/"), "text/calendar")
            for directory in directories.order_by("path")
        ]

    def filter_pages(self, events, parameters):
        def midnight(day):  # local time; days before 1900 or after 9998 are as good as those
            day = min(max(day, EARLIEST), LATEST)
            return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())

        if day := parameters.get("from"):
            events = events.filter(end__gte=midnight(day))
        if day := parameters.get("to"):
            events = events.filter(
                start__lt=midnight(min(day, LATEST) + datetime.timedelta(days=1))
            )
        if "series" in parameters:
            series = EventSeriesPage.objects.filter(pk=parameters["series"]).first()
            events = events.in_series(series) if series else events.none()
        if "lab" in parameters:
            lab = LabPage.objects.filter(pk=parameters["lab"]).first()
            events = events.for_lab(lab) if lab else events.none()
        if "format" in parameters:
            events = events.in_format(parameters["format"])
        if "status" in parameters:
            events = events.filter(status=parameters["status"])
        if "documented" in parameters:
            documented = events.documented().filter(end__lt=timezone.now())
            if parameters["documented"]:
                events = documented
            else:
                events = events.exclude(pk__in=documented.values("pk"))
        return events.select_related("hero_image", "organiser")

    def prepare(self, events):
        events = attach_places(super().prepare(events))
        parents = {event.path[: -EventPage.steplen] for event in events}
        attach_series(events, EventSeriesPage.objects.live().public().filter(path__in=parents))
        labs = EventPage.related_labs.through.objects.filter(
            eventpage_id__in=[event.pk for event in events]
        ).select_related("labpage")
        lab_pages = localize(
            [link.labpage for link in labs], queryset=LabPage.objects.live().public()
        )
        available = registrations.availabilities(events)
        by_event = {}
        for link, lab in zip(labs, lab_pages, strict=True):
            if lab is not None:
                by_event.setdefault(link.eventpage_id, []).append(lab)
        for event in events:
            event.lab_pages = by_event.get(event.pk, [])
            event.availability = available.get(event.pk)
        return events


class SeriesParameters(CommonParameters):
    pass


class Series(ItemBase):
    goals = serializers.SerializerMethodField()
    parts = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_goals(self, series):
        return [str(goal.value) for goal in series.goals]

    @extend_schema_field(PageLink(many=True))
    def get_parts(self, series):
        request = self.context["request"]
        return [page_link(part, request) for part in series.parts]


class SeriesDetails(WithLicence, Series):
    pass


@documented(SeriesParameters, Series(many=True), SeriesDetails, "workshops")
class WorkshopSeries(PublicCollection):
    """Published workshop series with their parts in order."""

    page_model = EventSeriesPage
    serializer_class = Series
    detail_serializer_class = SeriesDetails
    dataset_title = _("Workshop series")
    dataset_description = _("Numbered series of workshops, with their parts in order.")
    dataset_keywords = (_("workshop"), _("social innovation"))
    dataset_themes = ("SOCI", "EDUC")
    parameters_class = SeriesParameters
    ordering = ("path",)

    def prepare(self, series_pages):
        series_pages = super().prepare(series_pages)
        by_path = {series.path: series for series in series_pages}
        parts = EventPage.objects.none()
        if by_path:
            depth = series_pages[0].depth + 1
            parts = (
                EventPage.objects.live().public().filter(under_any("path", by_path), depth=depth)
            )
        for series in series_pages:
            series.parts = []
        for part in sorted(parts, key=lambda part: (part.part_number or 0, part.start)):
            by_path[part.path[: -EventPage.steplen]].parts.append(part)
        return series_pages
