"""The abstract base page every page type inherits, and the fields pages share: teaser,
social image, review date, the alphabetical sort title, images with their text alternative."""

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.urls import Resolver404
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.search import index

from ..delivery import request_facts
from ..delivery.dependencies import SECTION_DEPTH, card_tag, record
from ..editorial.permissions import PortalPagePermissionTester


def sort_key(text: str) -> str:
    """Alphabetical order as readers expect it in German and English (umlauts as vowels)."""
    return anyascii(text).casefold()


def goals_field():
    """A list of goals (labs, workshop series, workshops), each translatable on its own."""
    return StreamField(
        [("goal", blocks.CharBlock(label=_("Goal"), max_length=300))],
        verbose_name=_("goals"),
        blank=True,
    )


def optional_link(to: str, verbose_name, **options):
    """An optional link to an image, document or page; deleting that empties the field."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **options,
    )


def own_route(page, path_components) -> bool:
    """Whether the (routable) page type has a route of its own for the path, which Wagtail
    prefers to a sub-page of the same name."""
    page_type = page.specific_class
    if page_type is None or not issubclass(page_type, RoutablePageMixin):
        return False
    try:
        page_type.get_resolver().resolve("/" + "/".join(path_components) + "/")
    except Resolver404:
        return False
    return True


def image_field(verbose_name, **options):
    return optional_link("wagtailimages.Image", verbose_name, **options)


def document_field(verbose_name, **options):
    """An optional document (e.g. a video)."""
    return optional_link("wagtaildocs.Document", verbose_name, **options)


IMAGE_NEEDS_DESCRIPTION = _("Describe what the image shows, or mark it as decorative.")


def image_description_field():
    return models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )


def image_decorative_field():
    return models.BooleanField(
        _("decorative image"),
        default=False,
        help_text=_(
            "Tick if the image only decorates and shows nothing the text does not say; "
            "screen readers then skip it."
        ),
    )


def image_description_errors(page, image: str, description: str, decorative: str) -> dict:
    """An image has a text alternative or is marked decorative (WCAG 1.1.1): saying
    nothing is an error, never a silent empty alt text."""
    if (
        getattr(page, f"{image}_id")
        and not getattr(page, description).strip()
        and not getattr(page, decorative)
    ):
        return {description: IMAGE_NEEDS_DESCRIPTION}
    return {}


class HeroImageMixin(models.Model):
    """A page's main image, with its text alternative or the decorative mark."""

    hero_image = image_field(_("image"))
    hero_image_alt = image_description_field()
    hero_image_decorative = image_decorative_field()

    hero_image_panels = [
        FieldPanel("hero_image"),
        FieldPanel("hero_image_alt"),
        FieldPanel("hero_image_decorative"),
    ]

    class Meta:
        abstract = True

    def validation_errors(self) -> dict:
        return {
            **super().validation_errors(),
            **image_description_errors(
                self, "hero_image", "hero_image_alt", "hero_image_decorative"
            ),
        }

    @property
    def hero_image_alt_text(self) -> str:
        return "" if self.hero_image_decorative else self.hero_image_alt

    @property
    def preview_image(self):
        return self.social_image or self.hero_image


class BasePage(Page):
    """Fields every public page has: a teaser for cards and meta descriptions, a social image."""

    teaser = models.TextField(
        _("teaser"),
        blank=True,
        max_length=400,
        help_text=_("One or two sentences for listings, search results and link previews."),
    )
    social_image = image_field(
        _("social media image"),
        help_text=_("Shown when the page is shared; the page's main image is used otherwise."),
    )

    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_(
            "When someone should check that this page is still correct. Set to a year after "
            "publishing when empty or past; the dashboard lists overdue pages."
        ),
    )
    # The review date its owner was last reminded of, so each date is mailed about once.
    review_reminder_sent_for = models.DateField(null=True, blank=True, editable=False)

    # "Älter" sorts with "Alter", not after "Zentrum": the same order on every database
    sort_title = models.CharField(max_length=255, editable=False, default="", db_index=True)

    # Days from publishing to the default review date; None for pages that date themselves.
    review_interval_days = 365
    # Page types linked from every page's header, in this order (the live page of the type
    # under the home page of the visitor's language), e.g. easy language and sign language.
    header_link_order: int | None = None

    objects = PageManager.from_queryset(request_facts.PortalPageQuerySet)()

    promote_panels = [*Page.promote_panels, FieldPanel("social_image")]
    settings_panels = [*Page.settings_panels, FieldPanel("review_by")]
    # title (Wagtail's, boost 2) > teaser > body and other text
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser", boost=1.5),
        index.AutocompleteField("teaser"),
    ]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.sort_title = sort_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_title"}
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = self.validation_errors()
        if errors:
            raise ValidationError(errors)

    def validation_errors(self) -> dict:
        """Field name → message for what is wrong; page types and mixins add theirs to
        super()'s, so every error is shown at once."""
        return {}

    def permissions_for_user(self, user):
        return PortalPagePermissionTester(user, self)

    def route(self, request, path_components):
        """Wagtail's routing, with one query for all the pages a path names below this one
        (Wagtail asks twice per path segment: the child, then its specific page). The
        deepest page found routes the rest itself (its sub-pages, or its own routes such as
        the calendar); a routable page above it still answers first for a route of its own,
        as in Wagtail."""
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:length]) + "/"
            for length in range(1, len(path_components) + 1)
        ]
        below = Page.objects.filter(path__startswith=self.path, depth__gt=self.depth)
        found = {page.url_path: page for page in below.filter(url_path__in=prefixes)}
        for length, prefix in enumerate(prefixes, start=1):
            page = found.get(prefix)
            if page is None:
                raise Http404
            deeper = prefixes[length] if length < len(prefixes) else None
            rest = path_components[length:]
            if deeper is None or deeper not in found or own_route(page, rest):
                page = page.specific
                # as Wagtail does: its parent without a query (a plain page below this one)
                page._cached_parent_obj = found[prefixes[length - 2]] if length > 1 else self
                return page.route(request, rest)
        raise Http404

    @property
    def localized_draft(self):
        # Wagtail asks the database for the active locale (and a home page's translation)
        known = request_facts.page_in_active_language(self)
        return known if known is not None else super().localized_draft

    def get_view_restrictions(self):
        # Wagtail asks the database for this page's and its ancestors' restrictions
        if request_facts.without_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_url_parts(self, request=None):
        # every link to a page (pageurl, .url, canonical, hreflang) shows the page: the
        # response then depends on it (portal.delivery.dependencies); home pages and
        # sections change every page of their site anyway (the menu)
        if self.depth > SECTION_DEPTH:
            record(card_tag(self.pk))
        return super().get_url_parts(request)

    def get_dependent_pages(self) -> list:
        """The live pages in this page's language, besides its parent and home page, that
        list or link it and so change when it is published (the CDN purge asks; other apps
        add theirs with the hook "portal_dependent_pages")."""
        return []

    @property
    def meta_description(self) -> str:
        return self.search_description or self.teaser

    @property
    def preview_image(self):
        """The image for Open Graph tags; page types with a main image override this."""
        return self.social_image
