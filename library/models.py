"""The library directory, material pages and the phase steps of the guide."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.models import Locale, Orderable, PageManager, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from events.models import EventPage
from labs.models import Phase, Sector, default_locale_topics
from portal.blocks import BaseStreamBlock
from portal.models import BasePage, PortalPageQuerySet
from portal.sites import in_site
from portal.translation import live_in_language


class MaterialType(models.TextChoices):
    GUIDE = "guide", _("Guide")
    TEMPLATE = "template", _("Template")
    CHECKLIST = "checklist", _("Checklist")
    METHOD_CARD = "method_card", _("Method card")
    CASE_STUDY = "case_study", _("Case study")


class Licence(models.TextChoices):
    """Licences that let another municipality reuse and adapt a material."""

    CC_BY = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"


LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class ChoiceListField(models.JSONField):
    """Several of a fixed list of choices (e.g. the audience's sectors), stored as a JSON
    list and edited as checkboxes; the same on SQLite and PostgreSQL."""

    def __init__(self, *args, choices_list=(), **kwargs):
        self.choices_list = list(choices_list)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path_, args, kwargs = super().deconstruct()
        kwargs["choices_list"] = self.choices_list
        return name, path_, args, kwargs

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.choices_list,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        known = {choice for choice, _label in self.choices_list}
        if not isinstance(value, list) or not set(value) <= known:
            raise ValidationError(_("Choose from the list."))


class MaterialFileBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("File"))
    title = blocks.CharBlock(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("File")


class MaterialPageQuerySet(PortalPageQuerySet):
    """Filters the library directory, the guide and the open data API share."""

    def in_phase(self, phase: int):
        return self.filter(phase=phase)

    def of_type(self, material_type: str):
        return self.filter(material_type=material_type)

    def with_topic(self, slug: str):
        return self.filter(topics__slug=slug)

    def for_audience(self, sector: str):
        # the JSON list as text holds the quoted value: the same lookup on every database
        return self.filter(audience__icontains=f'"{sector}"')

    def used_in(self, event):
        """Materials used in `event` in any language (links point at the German workshop)."""
        links = self.model.workshops.through.objects.filter(
            eventpage__translation_key=event.translation_key
        )
        return self.filter(pk__in=links.values("materialpage_id"))

    def from_lab(self, lab):
        links = self.model.labs.through.objects.filter(labpage__translation_key=lab.translation_key)
        return self.filter(pk__in=links.values("materialpage_id"))


class LibraryPage(RoutablePageMixin, BasePage):
    """The knowledge library: the directory of materials, and the way through the phases."""

    intro = models.TextField(_("introduction"), blank=True)
    guide_intro = models.TextField(
        _("introduction to the way through the phases"),
        blank=True,
        help_text=_("Shown above the phases on the page “The way through the phases”."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("teaser"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("guide_intro"), InlinePanel("phase_steps", label=_("Phase"))],
            _("The way through the phases"),
        ),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.MaterialPage"]
    max_count_per_parent = 1
    page_description = _(
        "The knowledge library: materials by phase and the way through the phases; create it "
        "once per language."
    )

    class Meta:
        verbose_name = _("knowledge library")

    def get_cached_paths(self):
        return ["/", "/phases/"]

    @path("")
    def directory(self, request):
        from . import selectors

        context = self.get_context(request)
        context.update(selectors.library_directory(self, request))
        return self.render(request, context_overrides=context)

    @path("phases/")
    def phase_guide(self, request):
        from . import selectors

        context = self.get_context(request)
        context.update(selectors.phase_guide(self, request))
        return self.render(request, context_overrides=context, template="library/phase_guide.html")


class PhaseStep(TranslatableMixin, Orderable):
    """One phase on the way through the phases: what it involves and its workshop (its
    materials are the library's materials of that phase)."""

    library = ParentalKey(LibraryPage, related_name="phase_steps", on_delete=models.CASCADE)
    phase = models.PositiveSmallIntegerField(_("phase"), choices=Phase.choices)
    requirements = models.TextField(_("requirements"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    structures = models.TextField(_("structures"), blank=True)
    actors = models.TextField(
        _("actors to involve"),
        blank=True,
        help_text=_("Civil society, administration, politics, business, research: who and how."),
    )
    workshop = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The workshop of the series that covers this phase."),
    )

    panels = [
        FieldPanel("phase"),
        FieldPanel("requirements"),
        FieldPanel("tasks"),
        FieldPanel("structures"),
        FieldPanel("actors"),
        FieldPanel("workshop"),
    ]
    translatable_fields = [
        SynchronizedField("phase"),
        TranslatableField("requirements"),
        TranslatableField("tasks"),
        TranslatableField("structures"),
        TranslatableField("actors"),
        SynchronizedField("workshop"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("phase step")
        verbose_name_plural = _("phase steps")


class MaterialPageForm(WagtailAdminPageForm):
    """Offers the workshops and labs of the material's own site, in German (relations point
    at the German pages; other languages show their translations)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.parent_page
        if parent is None and self.instance.path:
            parent = self.instance.get_parent()
        if parent is None:
            return
        site = parent.get_site()
        for name in ("workshops", "labs"):
            if name in self.fields:
                field = self.fields[name]
                field.queryset = in_site(field.queryset, site).filter(locale=Locale.get_default())


class MaterialPage(BasePage):
    """A guide, template, checklist, method card or case study, with its files and licence."""

    base_form_class = MaterialPageForm

    material_type = models.CharField(_("type"), max_length=20, choices=MaterialType.choices)
    phase = models.PositiveSmallIntegerField(_("phase"), choices=Phase.choices)
    topics = ParentalManyToManyField(
        "labs.Topic",
        verbose_name=_("topics"),
        blank=True,
        related_name="materials",
        limit_choices_to=default_locale_topics,
    )
    audience = ChoiceListField(
        _("audience"),
        choices_list=Sector.choices,
        blank=True,
        help_text=_("Who it is written for."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("description"), blank=True)
    files = StreamField(
        [("file", MaterialFileBlock())],
        verbose_name=_("files"),
        help_text=_("One or more files; the page shows each one's format and size."),
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        help_text=_(
            "How to name the source when reusing it, e.g. “KoSI-Lab, Städte Dortmund und "
            "Wuppertal”."
        ),
    )
    workshops = ParentalManyToManyField(
        "events.EventPage",
        verbose_name=_("used in workshops"),
        blank=True,
        related_name="materials",
    )
    labs = ParentalManyToManyField(
        "labs.LabPage", verbose_name=_("from labs"), blank=True, related_name="materials"
    )

    objects = PageManager.from_queryset(MaterialPageQuerySet)()

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("teaser"),
        FieldRowPanel([FieldPanel("material_type"), FieldPanel("phase")]),
        FieldPanel("audience"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
        FieldPanel("files"),
        MultiFieldPanel([FieldPanel("licence"), FieldPanel("attribution")], _("Licence")),
        FieldPanel("workshops"),
        FieldPanel("labs", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.FilterField("phase"),
        index.FilterField("material_type"),
    ]
    parent_page_types = ["library.LibraryPage"]
    subpage_types = []
    page_description = _(
        "A material of the knowledge library: a guide, template, checklist, method card or "
        "case study with its files."
    )

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    @property
    def licence_url(self) -> str:
        return LICENCE_URLS[Licence(self.licence)]

    def get_dependent_pages(self):
        """The workshops whose documentation lists it (the library above it, with its
        guide, is its parent)."""
        event_ids = [event.pk for event in self.workshops.all()]
        return list(live_in_language(EventPage, event_ids, self.locale_id))

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.material_details(self, request))
        return context
