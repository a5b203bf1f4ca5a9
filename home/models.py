import json

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from portal.blocks import BaseStreamBlock
from portal.content import PLACEHOLDER
from portal.delivery.http import private
from portal.models import BasePage, HeroImageMixin, document_field, image_field, site_field


class HomePage(HeroImageMixin, BasePage):
    """The start page of one language; the German one is the site root."""

    hero_heading = models.CharField(_("hero heading"), max_length=200, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("teaser"),
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
        *HeroImageMixin.hero_image_panels,
        FieldPanel("body"),
        InlinePanel(
            "featured_labs",
            label=_("Featured labs"),
            help_text=_("Without a choice, the newest labs are shown."),
            max_num=6,
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("hero_heading"),
        index.SearchField("hero_text"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.ContentPage",
        "home.ImprintPage",
        "home.PrivacyPage",
        "home.AccessibilityStatementPage",
        "home.EasyLanguagePage",
        "home.SignLanguagePage",
        "labs.LabIndexPage",
        "labs.ActorIndexPage",
        "events.EventIndexPage",
        "library.LibraryPage",
        "network.NetworkPage",
    ]
    page_description = _("The start page of one language version of the portal.")

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from events import selectors as events
        from labs import selectors as labs

        context = super().get_context(request, *args, **kwargs)
        context["upcoming_events"] = events.upcoming(self)
        context["featured_labs"] = labs.featured_labs(self, request)
        context["partners"] = labs.partner_strip(self)
        context["directories"] = labs.directories(self)
        return context


class HomeFeaturedLab(Orderable):
    home = ParentalKey(HomePage, related_name="featured_labs", on_delete=models.CASCADE)
    lab = models.ForeignKey("labs.LabPage", verbose_name=_("lab"), on_delete=models.CASCADE)

    panels = [FieldPanel("lab")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured lab")


class ContentPage(BasePage):
    """A generic page: "About the project", imprint, privacy policy, FAQs."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("teaser"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]
    page_description = _(
        "A page of text, images and downloads, e.g. about the project or the imprint."
    )

    class Meta:
        verbose_name = _("content page")


class PlaceholderPage(BasePage):
    """A page the skeleton creates with placeholders for the city's own details."""

    class Meta:
        abstract = True

    def placeholders(self) -> list[str]:
        found = []
        for field in self._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField | StreamField):
                value = field.value_from_object(self)
                text = json.dumps(list(value.raw_data)) if isinstance(field, StreamField) else value
                found += PLACEHOLDER.findall(text or "")
        return found


class ImprintPage(PlaceholderPage):
    """Impressum: the provider details required by § 5 DDG and § 18 MStV."""

    provider = models.TextField(
        _("provider"),
        help_text=_("Name and postal address of the public body that runs the portal."),
    )
    legal_form = models.CharField(
        _("legal form"),
        max_length=200,
        help_text=_("For example “Körperschaft des öffentlichen Rechts”."),
    )
    represented_by = models.CharField(
        _("represented by"),
        max_length=200,
        help_text=_("The person authorised to represent the body, e.g. the mayor."),
    )
    email = models.CharField(_("e-mail"), max_length=254)
    phone = models.CharField(_("phone"), max_length=50)
    vat_id = models.CharField(
        _("VAT identification number"), max_length=50, blank=True, help_text=_("If any.")
    )
    supervisory_authority = models.TextField(
        _("supervisory authority"),
        blank=True,
        help_text=_("The authority that supervises the body, e.g. the district government."),
    )
    editorial_responsible = models.TextField(
        _("responsible for the content"),
        help_text=_(
            "Name and address of the person responsible for the editorial content "
            "(§ 18 para. 2 MStV)."
        ),
    )
    body = StreamField(
        BaseStreamBlock(),
        verbose_name=_("further information"),
        blank=True,
        help_text=_("For example liability for links, copyright and photo credits."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("provider"),
        FieldPanel("legal_form"),
        FieldPanel("represented_by"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("vat_id"),
        FieldPanel("supervisory_authority"),
        FieldPanel("editorial_responsible"),
        FieldPanel("body"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    page_description = _("The imprint (Impressum); one per language.")

    class Meta:
        verbose_name = _("imprint")


class ProcessingBlock(blocks.StructBlock):
    """One processing activity, with what Art. 13 GDPR asks for."""

    title = blocks.CharBlock(label=_("Processing"), max_length=200)
    purposes = blocks.TextBlock(label=_("Data and purposes"))
    legal_basis = blocks.TextBlock(label=_("Legal basis"))
    recipients = blocks.TextBlock(label=_("Recipients"), required=False)
    retention = blocks.TextBlock(label=_("Retention"))

    class Meta:
        icon = "list-ul"
        label = _("Processing activity")
        template = "components/blocks/processing.html"


class PrivacyPage(PlaceholderPage):
    """Datenschutzerklärung, structured along Art. 13 GDPR."""

    controller = models.TextField(
        _("controller"),
        help_text=_("Name, address and contact of the body responsible for the processing."),
    )
    data_protection_officer = models.TextField(
        _("data protection officer"), help_text=_("How to reach the data protection officer.")
    )
    processing = StreamField(
        [("processing", ProcessingBlock())],
        verbose_name=_("processing activities"),
        help_text=_(
            "Each processing of personal data on this portal: purposes, legal basis, "
            "recipients and retention."
        ),
    )
    supervisory_authority = models.TextField(
        _("supervisory authority"),
        help_text=_("The data protection authority visitors may complain to (Art. 77 GDPR)."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("further information"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("controller"),
        FieldPanel("data_protection_officer"),
        FieldPanel("processing"),
        FieldPanel("supervisory_authority"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("processing")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    page_description = _("The privacy policy (Datenschutzerklärung); one per language.")

    class Meta:
        verbose_name = _("privacy policy")


class Conformance(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class KnownGapBlock(blocks.StructBlock):
    barrier = blocks.TextBlock(label=_("Barrier"))
    reason = blocks.TextBlock(label=_("Reason"), required=False)
    alternative = blocks.TextBlock(label=_("Accessible alternative"), required=False)

    class Meta:
        icon = "warning"
        label = _("Known barrier")
        template = "components/blocks/known_gap.html"


class AccessibilityStatementPage(RoutablePageMixin, PlaceholderPage):
    """Erklärung zur Barrierefreiheit (BITV 2.0 § 7), with the form to report a barrier."""

    conformance = models.CharField(
        _("conformance status"),
        max_length=10,
        choices=Conformance.choices,
        default=Conformance.PARTIAL,
    )
    known_gaps = StreamField(
        [("gap", KnownGapBlock())],
        verbose_name=_("content that is not accessible"),
        blank=True,
    )
    method = models.CharField(
        _("how the statement was prepared"),
        max_length=300,
        help_text=_("For example “self-assessment” or “test by an external body”."),
    )
    statement_date = models.DateField(_("date of the statement"))
    last_review = models.DateField(_("date of the last review"))
    feedback_email = models.EmailField(
        _("feedback e-mail"),
        blank=True,
        help_text=_(
            "Reports from the feedback form go here; the portal's contact address otherwise."
        ),
    )
    feedback_contact = models.TextField(
        _("feedback contact"),
        help_text=_("Who answers reports about barriers, and by which ways (post, phone)."),
    )
    arbitration_body = models.TextField(
        _("arbitration body"),
        help_text=_(
            "Name and address of the arbitration or enforcement body for your state, e.g. "
            "the Ombudsstelle für barrierefreie Informationstechnik in North Rhine-Westphalia."
        ),
    )
    arbitration_url = models.URLField(_("arbitration body website"))
    body = StreamField(BaseStreamBlock(), verbose_name=_("further information"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("conformance"),
        FieldPanel("known_gaps"),
        FieldPanel("method"),
        FieldPanel("statement_date"),
        FieldPanel("last_review"),
        FieldPanel("feedback_contact"),
        FieldPanel("feedback_email"),
        FieldPanel("arbitration_body"),
        FieldPanel("arbitration_url"),
        FieldPanel("body"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    page_description = _(
        "The accessibility statement (Erklärung zur Barrierefreiheit) with the feedback form; "
        "one per language."
    )

    class Meta:
        verbose_name = _("accessibility statement")

    def get_context(self, request, *args, **kwargs):
        from .feedback import BarrierReportForm

        context = super().get_context(request, *args, **kwargs)
        context.setdefault("feedback_form", BarrierReportForm(initial=_page_hint(request)))
        return context

    @path("")
    def statement(self, request):
        return self.render(request)

    @path("feedback/")
    def feedback(self, request):
        from . import feedback

        return feedback.report_barrier(request, self)

    @path("feedback/sent/")
    def feedback_sent(self, request):
        return private(self.render(request, context_overrides={"feedback_sent": True}))


def _page_hint(request) -> dict:
    """The page a visitor came from, so the report names it without typing."""
    page_url = request.GET.get("page", "")[:500]
    return {"page_url": page_url} if page_url.startswith(("http://", "https://", "/")) else {}


class AccessibleEntryPage(PlaceholderPage):
    """An entry page in another form of language, with an optional self-hosted video."""

    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    video = document_field(
        _("video"), help_text=_("An MP4 or WebM file uploaded to the portal; no video platforms.")
    )
    captions = document_field(
        _("captions"), help_text=_("Subtitles for the video as a WebVTT file (.vtt).")
    )
    # shown before the video plays (and while it loads), instead of a black box
    video_poster = image_field(
        _("video poster"),
        help_text=_("A still image shown before the video starts, e.g. a frame of it."),
    )
    video_description = models.TextField(
        _("video description"),
        blank=True,
        help_text=_("What the video says, for people who cannot watch it."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("teaser"),
        FieldPanel("body"),
        FieldPanel("video"),
        FieldPanel("captions"),
        FieldPanel("video_poster"),
        FieldPanel("video_description"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.ContentPage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def validation_errors(self) -> dict:
        errors = super().validation_errors()
        if self.video and self.video.file_extension not in VIDEO_EXTENSIONS:
            errors["video"] = _("Choose an MP4 or WebM file.")
        if self.captions and self.captions.file_extension != "vtt":
            errors["captions"] = _("Choose a WebVTT file (.vtt).")
        return errors


VIDEO_EXTENSIONS = {"mp4", "webm"}


class EasyLanguagePage(AccessibleEntryPage):
    """The portal explained in Leichte Sprache (easy-to-read German)."""

    page_description = _("The portal explained in easy language (Leichte Sprache).")
    template = "home/accessible_entry_page.html"
    header_link_order = 0

    class Meta:
        verbose_name = _("easy language page")


class SignLanguagePage(AccessibleEntryPage):
    """The portal explained in sign language (DGS), as a self-hosted video."""

    page_description = _("The portal explained in sign language, as a video.")
    template = "home/accessible_entry_page.html"
    header_link_order = 1

    class Meta:
        verbose_name = _("sign language page")


class BarrierReport(models.Model):
    """A barrier reported through the accessibility statement's form."""

    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    # the municipality whose accessibility statement received it (several in one installation)
    site = site_field()
    locale = models.ForeignKey(
        "wagtailcore.Locale", verbose_name=_("language"), on_delete=models.PROTECT
    )
    page_url = models.CharField(_("page"), max_length=500, blank=True)
    description = models.TextField(_("description"))
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    handled = models.BooleanField(_("answered"), default=False)
    note = models.TextField(_("internal note"), blank=True)

    class Meta:
        verbose_name = _("barrier report")
        verbose_name_plural = _("barrier reports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} – {self.description[:60]}"
