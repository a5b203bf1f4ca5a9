"""Labs (KoSI-Labs) and the partner actors taking part in them."""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, Orderable, PageManager, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from portal.blocks import BaseStreamBlock
from portal.models import BasePage, HeroImageMixin, PortalPageQuerySet, goals_field, image_field
from portal.sites import language_home_path
from portal.translation import live_in_language


class Sector(models.TextChoices):
    """The five sectors of a city's society that meet "at eye level" in a lab."""

    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ADMINISTRATION = "administration", _("Administration")
    POLITICS = "politics", _("Politics")
    BUSINESS = "business", _("Business")
    RESEARCH = "research", _("Research")


class Phase(models.IntegerChoices):
    """A lab's phases in order, so "how far along" is a comparison."""

    IDEA = 1, _("Idea and foundations")
    CONCEPT = 2, _("Concept development")
    SETUP = 3, _("Set-up")
    CONSOLIDATION = 4, _("Consolidation")


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead organisation")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    CONTRIBUTOR = "contributor", _("Contributor")


class ActorKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")


class Topic(TranslatableMixin, models.Model):
    """A theme labs work on; a controlled list, so the lab directory can filter by it."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        help_text=_("Used in the lab directory's web address, e.g. demografie."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


def default_locale_topics():
    """Labs link the German topics; English pages show their translations (see selectors)."""
    return {"locale": Locale.get_default()}


class LabPageQuerySet(PortalPageQuerySet):
    """Filters the lab directory and the home page share."""

    def in_phase(self, phase):
        return self.filter(phase=phase)

    def in_city(self, city):
        return self.filter(city=city)

    def with_topic(self, slug):
        return self.filter(topics__slug=slug)


class ActorPageQuerySet(PortalPageQuerySet):
    def in_sector(self, sector):
        return self.filter(sector=sector)

    def in_lab(self, lab):
        """Actors taking part in `lab` (in any language: partner rows of an English lab point
        at the German actor pages, so actors are matched by translation key)."""
        actor_keys = LabPartner.objects.filter(lab__translation_key=lab.translation_key).values(
            "actor__translation_key"
        )
        return self.filter(translation_key__in=actor_keys)

    def taking_part(self):
        """Actors named as a partner in at least one live lab."""
        actor_keys = LabPartner.objects.filter(lab__live=True).values("actor__translation_key")
        return self.filter(translation_key__in=actor_keys)


class LabIndexPage(BasePage):
    """The lab directory, filterable by phase, city and topic."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("teaser"), FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["labs.LabPage"]
    max_count_per_parent = 1
    page_description = _("The directory of all labs; create it once per language.")

    class Meta:
        verbose_name = _("lab directory")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.lab_directory(self, request))
        return context


class LabPage(HeroImageMixin, BasePage):
    """One municipal lab of social innovation."""

    city = models.CharField(_("municipality or city"), max_length=120)
    challenge = models.CharField(
        _("challenge"),
        max_length=200,
        help_text=_("The key local problem the lab works on, e.g. demographic change."),
    )
    goals = goals_field()
    body = StreamField(BaseStreamBlock(), verbose_name=_("approach"), blank=True)
    phase = models.PositiveSmallIntegerField(
        _("phase"), choices=Phase.choices, null=True, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    address = models.TextField(
        _("address"), blank=True, help_text=_("Street, postcode and town, one per line.")
    )
    topics = ParentalManyToManyField(
        "labs.Topic",
        verbose_name=_("topics"),
        blank=True,
        related_name="labs",
        limit_choices_to=default_locale_topics,
    )

    objects = PageManager.from_queryset(LabPageQuerySet)()

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("teaser"),
        *HeroImageMixin.hero_image_panels,
        FieldRowPanel([FieldPanel("city"), FieldPanel("phase"), FieldPanel("start_date")]),
        FieldPanel("challenge"),
        FieldPanel("goals"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("place_name"), FieldPanel("address")], _("Place")),
        InlinePanel("contacts", label=_("Contact persons")),
        InlinePanel("partners", label=_("Partner actors")),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("city", boost=2),
        index.SearchField("challenge", boost=2),
        index.SearchField("goals"),
        index.SearchField("body"),
        index.FilterField("phase"),
        index.FilterField("city"),
    ]
    parent_page_types = ["labs.LabIndexPage"]
    subpage_types = []
    page_description = _("A lab: its challenge, goals, phase, place, people and partners.")

    class Meta:
        verbose_name = _("lab")

    def get_dependent_pages(self):
        """Its partners' pages, and the actor directory, whose lab filter names it."""
        actor_ids = [row.actor_id for row in self.partners.all()]
        directories = ActorIndexPage.objects.live().filter(
            path__startswith=language_home_path(self), depth=3
        )
        return [*live_in_language(ActorPage, actor_ids, self.locale_id), *directories]

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.lab_details(self, request))
        return context


class LabContact(TranslatableMixin, Orderable):
    """Translatable, so a contact's role is translated with the lab page."""

    lab = ParentalKey(LabPage, related_name="contacts", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("email"), FieldPanel("phone")]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("role"),
        SynchronizedField("email"),
        SynchronizedField("phone"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("contact person")


class LabPartner(Orderable):
    """An actor's role in one lab; the actor page lists the same rows the other way round."""

    lab = ParentalKey(LabPage, related_name="partners", on_delete=models.CASCADE)
    actor = models.ForeignKey(
        "labs.ActorPage",
        verbose_name=_("actor"),
        on_delete=models.CASCADE,
        related_name="partner_roles",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )

    panels = [FieldPanel("actor"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("partner actor")
        verbose_name_plural = _("partner actors")


class ActorIndexPage(BasePage):
    """The directory of partner actors, filterable by sector and lab."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("teaser"), FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["labs.ActorPage"]
    max_count_per_parent = 1
    page_description = _("The directory of partner actors; create it once per language.")

    class Meta:
        verbose_name = _("actor directory")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.actor_directory(self, request))
        return context


class ActorPage(BasePage):
    """An organisation or person from one of the five sectors taking part in labs."""

    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ActorKind.choices, default=ActorKind.ORGANISATION
    )
    logo = image_field(_("logo or portrait"))
    description = models.TextField(_("short description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    objects = PageManager.from_queryset(ActorPageQuerySet)()

    content_panels = [
        *BasePage.content_panels,
        FieldRowPanel([FieldPanel("sector"), FieldPanel("kind")]),
        FieldPanel("teaser"),
        FieldPanel("logo"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("website"),
                FieldPanel("city"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
            ],
            _("Contact"),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("description"),
        index.SearchField("city", boost=1.5),
        index.SearchField("sector_search_text"),
        index.FilterField("sector"),
    ]
    parent_page_types = ["labs.ActorIndexPage"]
    subpage_types = []
    page_description = _("A partner actor: an organisation or a person from one of five sectors.")

    class Meta:
        verbose_name = _("actor")

    def sector_search_text(self) -> str:
        """The sector's name in every language, so "Verwaltung" and "administration" both
        find the actor whatever language it was indexed in."""
        from django.utils import translation

        names = []
        for language_code, _name in settings.LANGUAGES:
            with translation.override(language_code):
                names.append(str(self.get_sector_display()))
        return " ".join(dict.fromkeys(names))

    @property
    def preview_image(self):
        return self.social_image or self.logo

    def get_dependent_pages(self):
        """The labs it takes part in."""
        return list(
            LabPage.objects.live().filter(
                partners__actor__translation_key=self.translation_key, locale_id=self.locale_id
            )
        )

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.actor_details(self, request))
        return context
