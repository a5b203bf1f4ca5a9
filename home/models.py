from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from portal.blocks import BaseStreamBlock
from portal.models import BasePage, HeroImageMixin


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
        "labs.LabIndexPage",
        "labs.ActorIndexPage",
        "events.EventIndexPage",
    ]
    page_description = _("The start page of one language version of the portal.")

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from events import selectors as events
        from labs import selectors as labs

        context = super().get_context(request, *args, **kwargs)
        context["upcoming_events"] = events.upcoming(self.locale_id)
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
