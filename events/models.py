"""Workshops (events), workshop series and the workshop directory."""

import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, PageManager, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from labs.models import ActorPage, LabPage
from portal.blocks import RICH_TEXT_FEATURES, BaseStreamBlock, FigureBlock
from portal.models import (
    BasePage,
    HeroImageMixin,
    PortalPageQuerySet,
    goals_field,
    image_field,
    site_field,
)
from portal.sites import in_site
from portal.translation import live_in_language

from .blocks import DocumentationFileBlock


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")
    MOVED_ONLINE = "moved_online", _("Moved online")


class RegistrationMode(models.TextChoices):
    NONE = "none", _("No registration")
    EXTERNAL = "external", _("External registration page")
    BUILT_IN = "built_in", _("Registration form on this page")


class Country(models.TextChoices):
    """Where a municipality's workshops take place: Germany and its neighbours."""

    GERMANY = "DE", _("Germany")
    AUSTRIA = "AT", _("Austria")
    SWITZERLAND = "CH", _("Switzerland")
    NETHERLANDS = "NL", _("Netherlands")
    BELGIUM = "BE", _("Belgium")
    LUXEMBOURG = "LU", _("Luxembourg")
    FRANCE = "FR", _("France")
    DENMARK = "DK", _("Denmark")
    POLAND = "PL", _("Poland")
    CZECHIA = "CZ", _("Czechia")


def default_locale():
    """Workshops link the German venue; other languages show its translation."""
    return {"locale": Locale.get_default()}


class Venue(TranslatableMixin, models.Model):
    """A place where workshops happen, entered once and chosen by each workshop there. Its
    name is translated; the postal address is the same in every language."""

    site = site_field(null=False, blank=False)
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Rathaus, Bürgersaal"))
    street_address = models.CharField(
        _("street and number"), max_length=200, blank=True, help_text=_("e.g. Friedensplatz 1")
    )
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("town or city"), max_length=120, blank=True)
    region = models.CharField(
        _("federal state"), max_length=120, blank=True, help_text=_("e.g. Nordrhein-Westfalen")
    )
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.GERMANY
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Optional, e.g. 51.513587 (for calendars and maps; typed in, not looked up)."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Optional, e.g. 7.465298"),
    )
    address_to_check = models.TextField(
        _("address to check"),
        blank=True,
        help_text=_(
            "The address as it was entered before venues had fields of their own, where it "
            "could not be read into them. Fill in the fields above, then empty this one."
        ),
    )

    panels = [
        FieldPanel("site"),
        FieldPanel("name"),
        FieldPanel("address_to_check"),
        FieldPanel("street_address"),
        FieldRowPanel([FieldPanel("postal_code"), FieldPanel("locality")]),
        FieldRowPanel([FieldPanel("region"), FieldPanel("country")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ]
    translatable_fields = [
        TranslatableField("name"),
        *(
            SynchronizedField(name, overridable=False)
            for name in (
                "site",
                "street_address",
                "postal_code",
                "locality",
                "region",
                "country",
                "latitude",
                "longitude",
                "address_to_check",
            )
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name", "pk"]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.locality) if part)

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": _("Enter both latitude and longitude, or neither.")}
            )

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def town_line(self) -> str:
        return " ".join(part for part in (self.postal_code, self.locality) if part)

    def address_lines(self) -> list[str]:
        """The postal address as written on an envelope (the country only when abroad)."""
        lines = [self.street_address, self.town_line]
        if self.country != Country.GERMANY:
            lines.append(str(Country(self.country).label))
        return [line for line in lines if line] or self.address_to_check.splitlines()


class EventPageQuerySet(PortalPageQuerySet):
    """The filters listings, feeds, the home page and lab pages share.

    Upcoming or past is decided by the end, so an event running now is still upcoming.
    """

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def in_series(self, series):
        return self.child_of(series)

    def for_lab(self, lab):
        """Events linked to `lab` in any language (links point at the German lab)."""
        links = self.model.related_labs.through.objects.filter(
            labpage__translation_key=lab.translation_key
        )
        # a subquery, not a join: no DISTINCT over whole page rows
        return self.filter(pk__in=links.values("eventpage_id"))

    def in_format(self, event_format):
        return self.filter(event_format=event_format)

    def in_month(self, year: int, month: int):
        """Events starting in that month, local time (a range works alike on every database)."""
        tz = timezone.get_current_timezone()
        first = datetime.datetime(year, month, 1, tzinfo=tz)
        following = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
        return self.filter(start__gte=first, start__lt=following)

    def documented(self):
        """Workshops whose documentation has been written (its summary is what makes one)."""
        return self.exclude(documentation_summary="")

    def involving_actor(self, actor):
        """Events an actor organises or speaks at (matched across languages)."""
        return self.filter(
            models.Q(organiser__translation_key=actor.translation_key)
            | models.Q(speakers__actor__translation_key=actor.translation_key)
        ).distinct()


class EventIndexPage(RoutablePageMixin, BasePage):
    """The workshop directory: upcoming workshops, the archive, filters and calendars."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("teaser"), FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventSeriesPage", "events.EventPage"]
    max_count_per_parent = 1
    page_description = _("The directory of all workshops; create it once per language.")

    class Meta:
        verbose_name = _("workshop directory")

    def get_cached_paths(self):
        # what a CDN keeps of it: the listing, its calendar and its feed
        return ["/", "/feed/", "/calendar/"]

    @path("")
    def directory(self, request):
        from . import selectors

        context = self.get_context(request)
        context.update(selectors.event_directory(self, request))
        return self.render(request, context_overrides=context)

    @path("calendar/")
    def calendar(self, request):
        from . import feeds

        return feeds.directory_calendar(self, request)

    @path("feed/")
    def feed(self, request):
        from . import feeds

        return feeds.UpcomingEventsFeed(self)(request)


class EventSeriesPage(RoutablePageMixin, BasePage):
    """A numbered workshop series; its parts are its child pages."""

    description = StreamField(BaseStreamBlock(), verbose_name=_("description"), blank=True)
    goals = goals_field()

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("teaser"),
        FieldPanel("goals"),
        FieldPanel("description"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("description")]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = ["events.EventPage"]
    page_description = _("A workshop series; add its parts as child pages.")
    review_interval_days = None  # its parts' dates tell when it is over

    class Meta:
        verbose_name = _("workshop series")

    def get_cached_paths(self):
        return ["/", "/calendar/"]

    def get_dependent_pages(self):
        """Each part names its series."""
        return list(EventPage.objects.live().child_of(self))

    @path("")
    def overview(self, request):
        from . import selectors

        context = self.get_context(request)
        context.update(selectors.series_details(self, request))
        return self.render(request, context_overrides=context)

    @path("calendar/")
    def calendar(self, request):
        from . import feeds

        return feeds.series_calendar(self, request)


PART_NUMBER_TAKEN = _("Another part of this series already has this number.")


class EventPageForm(WagtailAdminPageForm):
    """Offers only the labs and venues of the event's own site (with several municipalities
    in one installation) and checks the part number against the parent a new page is being
    created under."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.parent_page
        if parent is None and self.instance.path:
            parent = self.instance.get_parent()
        if parent is not None:
            site = parent.get_site()
            if "related_labs" in self.fields:
                labs = self.fields["related_labs"]
                labs.queryset = in_site(labs.queryset, site)
            if "venue" in self.fields:
                venues = self.fields["venue"]
                venues.queryset = venues.queryset.filter(site=site)

    def clean(self):
        cleaned_data = super().clean()
        self.instance.part_number = cleaned_data.get("part_number")
        parent = self.parent_page
        if parent is None and self.instance.path:
            parent = self.instance.get_parent()
        if parent is not None:
            # checked here with the parent known; the model's clean need not repeat it
            self.instance._part_number_checked = True
            if self.instance.part_number_taken(parent):
                self.add_error("part_number", PART_NUMBER_TAKEN)
        return cleaned_data


class EventPage(RoutablePageMixin, HeroImageMixin, BasePage):
    """One workshop or event."""

    base_form_class = EventPageForm

    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all day"), default=False)
    event_format = models.CharField(
        _("format"), max_length=20, choices=EventFormat.choices, default=EventFormat.IN_PERSON
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    part_number = models.PositiveSmallIntegerField(
        _("part number"),
        null=True,
        blank=True,
        help_text=_("Its number within the series, e.g. 2 for the second workshop."),
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # Wagtail names its uses before deleting it
        related_name="events",
        limit_choices_to=default_locale,
    )
    room = models.CharField(
        _("room or floor"),
        max_length=200,
        blank=True,
        help_text=_("Where in the venue, e.g. Raum 2.14, 2. Etage."),
    )
    online_note = models.TextField(
        _("online access"),
        blank=True,
        help_text=_("How to take part online; the access link is sent to registered people."),
    )
    online_url = models.URLField(_("public online link"), blank=True)
    organiser = models.ForeignKey(
        "labs.ActorPage",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
    )
    target_audience = models.TextField(_("target audience"), blank=True)
    goals = goals_field()
    body = StreamField(BaseStreamBlock(), verbose_name=_("description"), blank=True)
    related_labs = ParentalManyToManyField(
        "labs.LabPage",
        verbose_name=_("related labs"),
        blank=True,
        related_name="events",
    )
    cost_note = models.CharField(
        _("cost"), max_length=200, blank=True, help_text=_("Leave empty if free of charge.")
    )
    registration_mode = models.CharField(
        _("registration"),
        max_length=20,
        choices=RegistrationMode.choices,
        default=RegistrationMode.NONE,
    )
    registration_url = models.URLField(_("registration page"), blank=True)
    capacity = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_(
            "For the registration form on this page. Leave empty for unlimited seats; when "
            "all seats are taken, further registrations go on the waiting list."
        ),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Leave empty to accept registrations until the workshop starts."),
    )

    # Documentation, written after the workshop: the page leads with it once the workshop
    # has ended. Part of the page, so it passes the same workflow and is translated with it.
    documentation_summary = RichTextField(
        _("summary of results"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_(
            "What came out of the workshop. Shown once the workshop has ended, above "
            "everything else; the archive marks it as documented."
        ),
    )
    documentation_files = StreamField(
        [("file", DocumentationFileBlock())],
        verbose_name=_("downloads"),
        blank=True,
        help_text=_("Slides, minutes, graphic recordings: each with its kind."),
    )
    documentation_photos = StreamField(
        [("photo", FigureBlock())],
        verbose_name=_("photos"),
        blank=True,
        help_text=_("Each photo needs a description of what it shows, or the decorative mark."),
    )

    objects = PageManager.from_queryset(EventPageQuerySet)()

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("teaser"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end"), FieldPanel("all_day")]),
                FieldRowPanel([FieldPanel("status"), FieldPanel("event_format")]),
                FieldPanel("part_number"),
            ],
            _("Date and format"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("room"),
                FieldPanel("online_note"),
                FieldPanel("online_url"),
            ],
            _("Place"),
        ),
        MultiFieldPanel(HeroImageMixin.hero_image_panels, _("Image")),
        FieldPanel("organiser"),
        InlinePanel("speakers", label=_("Speakers")),
        FieldPanel("target_audience"),
        FieldPanel("goals"),
        InlinePanel("agenda_items", label=_("Agenda")),
        FieldPanel("body"),
        FieldPanel("related_labs", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("cost_note"),
                FieldPanel("registration_mode"),
                FieldPanel("registration_url"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_deadline")]),
            ],
            _("Cost and registration"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("documentation_summary"),
                FieldPanel("documentation_files"),
                FieldPanel("documentation_photos"),
            ],
            _("Documentation (after the workshop)"),
            help_text=_(
                "The materials used are linked from their pages in the knowledge library "
                '("used in workshops").'
            ),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("room"),
        index.RelatedFields(
            "venue",
            [
                index.SearchField("name"),
                index.SearchField("street_address"),
                index.SearchField("locality", boost=1.5),  # the city
            ],
        ),
        index.SearchField("target_audience"),
        index.SearchField("body"),
        index.SearchField("documentation_summary"),
        index.RelatedFields(
            "speakers", [index.SearchField("name"), index.SearchField("organisation")]
        ),
        index.FilterField("start"),
        index.FilterField("end"),
    ]
    # Registrations belong to the event in every language, so the rules for them are the
    # German page's; translators cannot change them.
    override_translatable_fields = [
        SynchronizedField(name, overridable=False)
        for name in ("registration_mode", "capacity", "registration_deadline", "venue")
    ]
    parent_page_types = ["events.EventIndexPage", "events.EventSeriesPage"]
    subpage_types = []
    page_description = _("A workshop or event with date, place, speakers and agenda.")
    review_interval_days = None  # an event is dated; it needs no review reminder

    class Meta:
        verbose_name = _("workshop")

    def validation_errors(self) -> dict:
        errors = super().validation_errors()
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end must not be before the start.")
        if self.registration_mode == RegistrationMode.EXTERNAL and not self.registration_url:
            errors["registration_url"] = _("Enter the address of the registration page.")
        if self.registration_deadline and self.end and self.registration_deadline > self.end:
            errors["registration_deadline"] = _("The deadline must not be after the end.")
        if (self.documentation_files or self.documentation_photos) and not (
            self.documentation_summary or ""
        ).strip():
            errors["documentation_summary"] = _(
                "Summarise the results: downloads and photos are shown with the summary."
            )
        checked_by_form = getattr(self, "_part_number_checked", False)
        if self.path and not checked_by_form and self.part_number_taken(self.get_parent()):
            errors["part_number"] = PART_NUMBER_TAKEN
        return errors

    def part_number_taken(self, parent) -> bool:
        """Whether a sibling in the same language already has this part number."""
        if not self.part_number or parent is None:
            return False
        siblings = EventPage.objects.child_of(parent).filter(part_number=self.part_number)
        if self.locale_id:
            siblings = siblings.filter(locale_id=self.locale_id)
        return siblings.exclude(pk=self.pk).exists() if self.pk else siblings.exists()

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def shows_documentation(self) -> bool:
        """Documentation is shown once the workshop has ended (never before: a draft
        summary of a coming workshop must not appear)."""
        return self.is_past and bool((self.documentation_summary or "").strip())

    @property
    def last_day(self) -> datetime.date:
        """The last local day of an all-day event; an end at midnight belongs to the day before."""
        end = timezone.localtime(self.end)
        start = timezone.localtime(self.start)
        if end.time() == datetime.time(0, 0) and end.date() > start.date():
            return end.date() - datetime.timedelta(days=1)
        return end.date()

    def get_cached_paths(self):
        return ["/", "/calendar/"]

    def get_dependent_pages(self):
        """The workshop directory above its series, and the pages of its labs, speakers
        and organiser (each lists its workshops)."""
        parent = self.get_parent().specific
        pages = [parent.get_parent().specific] if isinstance(parent, EventSeriesPage) else []
        actor_ids = [row.actor_id for row in self.speakers.all() if row.actor_id]
        actor_ids += [self.organiser_id] if self.organiser_id else []
        pages += live_in_language(
            LabPage, [lab.pk for lab in self.related_labs.all()], self.locale_id
        )
        pages += live_in_language(ActorPage, actor_ids, self.locale_id)
        return pages

    @path("")
    def details(self, request):
        from . import selectors

        context = self.get_context(request)
        context.update(selectors.event_details(self, request))
        return self.render(request, context_overrides=context)

    @path("calendar/")
    def calendar(self, request):
        from . import feeds

        return feeds.event_calendar(self, request)

    @path("register/")
    def register(self, request):
        from . import views

        return views.register(request, self)

    @path("register/sent/")
    def registration_sent(self, request):
        from . import views

        return views.registration_sent(request, self)

    @path("register/<str:action>/<str:token>/")
    def registration_link(self, request, action, token):
        from . import views

        return views.registration_link(request, self, action, token)


class EventSpeaker(TranslatableMixin, Orderable):
    event = ParentalKey(EventPage, related_name="speakers", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    actor = models.ForeignKey(
        "labs.ActorPage",
        verbose_name=_("actor page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speaker_roles",
    )
    photo = image_field(_("photo"))

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("organisation"),
        FieldPanel("actor"),
        FieldPanel("photo"),
    ]
    translatable_fields = [
        SynchronizedField("name"),
        TranslatableField("role"),
        TranslatableField("organisation"),
        SynchronizedField("actor"),
        SynchronizedField("photo"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")


class AgendaItem(TranslatableMixin, Orderable):
    event = ParentalKey(EventPage, related_name="agenda_items", on_delete=models.CASCADE)
    time = models.TimeField(_("time"))
    item = models.CharField(_("item"), max_length=300)

    panels = [FieldRowPanel([FieldPanel("time"), FieldPanel("item")])]
    translatable_fields = [SynchronizedField("time"), TranslatableField("item")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Not yet confirmed")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = [
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
]


class RegistrationQuerySet(models.QuerySet):
    def for_event(self, event):
        """Registrations of the event in all its languages."""
        return self.filter(event_key=event.translation_key)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def waiting_order(self):
        """The waiting list, first come first served (by the time of e-mail confirmation)."""
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("confirmed_at", "pk")

    def counts(self) -> dict[str, int]:
        """Registrations per status, every status present (zeros included)."""
        rows = self.order_by().values("status").annotate(number=models.Count("pk"))
        found = {row["status"]: row["number"] for row in rows}
        return {status: found.get(status, 0) for status in RegistrationStatus.values}

    def counts_by_event(self) -> dict:
        """The same per event (translation key), for listings of many events in one query."""
        rows = self.order_by().values("event_key", "status").annotate(number=models.Count("pk"))
        by_event = {}
        for row in rows:
            counts = by_event.setdefault(
                row["event_key"], dict.fromkeys(RegistrationStatus.values, 0)
            )
            counts[row["status"]] = row["number"]
        return by_event


class CalendarEntry(models.Model):
    """What calendar programs were last told about one workshop (one UID in every language):
    SEQUENCE rises, and LAST-MODIFIED moves, when a published change touches what a calendar
    shows (title, time, place, status), so subscribed and invited calendars apply it."""

    event_key = models.UUIDField(unique=True)  # the workshop's translation key, as in its UID
    sequence = models.PositiveIntegerField(default=0)
    # {language: digest of what a calendar shows}, to tell such changes from other edits
    shown = models.JSONField(default=dict)
    changed_at = models.DateTimeField()
    # The start last published, and the earlier ones it was moved from (search engines show
    # a rescheduled event with its previous dates)
    start = models.DateTimeField(null=True)
    previous_starts = models.JSONField(default=list)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.event_key} ({self.sequence})"


class Registration(models.Model):
    """One person's registration for a workshop (built-in registration mode).

    Keyed on the event's translation key, so the German and English pages share seats and
    the waiting list. Personal data is minimal and anonymised after the event (see the
    purge_registrations command).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_key = models.UUIDField(_("event"), db_index=True, editable=False)
    event = models.ForeignKey(
        EventPage,
        verbose_name=_("registered on"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
        help_text=_("The page (and so the language) the person registered on."),
    )
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    municipality = models.CharField(_("municipality"), max_length=120, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    consent_text = models.TextField(_("consent text shown"))
    consented_at = models.DateTimeField(_("consent given"))
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    link_sent_at = models.DateTimeField(_("confirmation link sent"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    seat_since = models.DateTimeField(_("seat since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        default_permissions = ()
        permissions = [("manage_registrations", _("Can view and manage workshop registrations"))]
        indexes = [models.Index(fields=["event_key", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "email"],
                condition=models.Q(status__in=ACTIVE_STATUSES) & ~models.Q(email=""),
                name="one_active_registration_per_address",
            )
        ]

    def __str__(self):
        # Shown in the audit log: never personal data.
        return gettext("Registration no. %(number)s") % {"number": self.pk}

    def owner_page(self):
        """The event: its site owns the registration's audit log entries."""
        return self.event

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None
