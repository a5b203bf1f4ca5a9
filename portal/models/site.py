"""Per-site settings (branding, contact, funder, legal pages) and the translatable site
texts (site name, municipality, funding notice) every page shows."""

import hashlib
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin

from ..colours import HEX_COLOUR, MINIMUM_CONTRAST, WHITE, contrast_ratio
from .pages import image_field, optional_link

DEFAULT_PRIMARY_COLOUR = "#005a9c"


def validate_primary_colour(value: str):
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(_("Enter a colour as #rrggbb, e.g. #005a9c."))
    ratio = contrast_ratio(value, WHITE)
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _(
                "White text on this colour has a contrast of only %(ratio)s:1; accessible "
                "sites need at least %(minimum)s:1 (WCAG AA). Choose a darker colour."
            ),
            params={
                "ratio": number_format(ratio, 1),
                "minimum": number_format(MINIMUM_CONTRAST, 1),
            },
            code="low_contrast",
        )


class SocialLinkBlock(blocks.StructBlock):
    platform = blocks.ChoiceBlock(
        label=_("Platform"),
        choices=[
            ("mastodon", "Mastodon"),
            ("bluesky", "Bluesky"),
            ("instagram", "Instagram"),
            ("linkedin", "LinkedIn"),
            ("youtube", "YouTube"),
            ("facebook", "Facebook"),
            ("other", _("Other")),
        ],
    )
    label = blocks.CharBlock(label=_("Link text"), max_length=80)
    url = blocks.URLBlock(label=_("Address"))

    class Meta:
        icon = "link-external"
        label = _("Social link")


# The form of /theme.css (portal/templates/portal/theme.css): raise it when that template
# changes, so browsers and CDNs holding the old one for a year fetch the new one.
THEME_FORMAT = "kern-1"


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    """Branding, contact and legal links; language-dependent texts live in "Site texts"."""

    logo = image_field(_("logo"))
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=DEFAULT_PRIMARY_COLOUR,
        validators=[validate_primary_colour],
        help_text=_(
            "Used for the navigation bar, links and buttons, with white text; it must reach "
            "a contrast of 4.5:1 against white. The dark theme uses a lighter shade of it."
        ),
    )
    official_site_bar = models.BooleanField(
        _("show the official-website bar"),
        default=False,
        help_text=_(
            "A slim bar above the header with the German flag and a line like “Official "
            "website – City of …” (KERN's Kopfzeile). Its text is a site text."
        ),
    )
    contact_address = models.TextField(_("postal address"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=40,
        blank=True,
        validators=[RegexValidator(r"^[0-9 +()/-]*$", _("Use digits, spaces and + ( ) / -."))],
    )
    social_links = StreamField(
        [("link", SocialLinkBlock())], verbose_name=_("social links"), blank=True
    )
    funder_logo = image_field(_("funder logo"))
    funder_url = models.URLField(_("funder website"), blank=True)
    imprint_page = optional_link("wagtailcore.Page", _("imprint page"))
    privacy_page = optional_link("wagtailcore.Page", _("privacy page"))
    accessibility_page = optional_link("wagtailcore.Page", _("accessibility statement page"))
    # The open data API's licence (portal/api.py), a URI of DCAT-AP.de's licence vocabulary
    LICENCES = [
        (
            "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
            _("Datenlizenz Deutschland – Namensnennung – Version 2.0"),
        ),
        (
            "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
            _("Datenlizenz Deutschland – Zero – Version 2.0"),
        ),
        ("http://dcat-ap.de/def/licenses/cc-by/4.0", _("Creative Commons Attribution 4.0")),
        (
            "http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
            _("Creative Commons Attribution – ShareAlike 4.0"),
        ),
        ("http://dcat-ap.de/def/licenses/cc-zero", _("Creative Commons Zero 1.0")),
    ]
    DEFAULT_LICENCE = LICENCES[0][0]
    data_licence = models.CharField(
        _("licence of the open data"),
        max_length=100,
        choices=LICENCES,
        default=DEFAULT_LICENCE,
        help_text=_("Applies to what the open data API and its catalogue publish."),
    )
    data_attribution = models.CharField(
        _("attribution"),
        max_length=200,
        blank=True,
        help_text=_("How reusers name the source, e.g. “Stadt Dortmund, KoSI-Lab-Portal”."),
    )
    regional_key = models.CharField(
        _("official regional key"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("Twelve digits, e.g. 059130000000."))],
        help_text=_(
            "The municipality's Amtlicher Regionalschlüssel (12 digits), so open-data portals "
            "place its data on the map, e.g. 059130000000 for Dortmund."
        ),
    )
    # Where the site's images and documents live once there are several sites (set by
    # setup_portal, kept when the site or the collection is renamed)
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        HelpPanel(
            content=_(
                "The site name, municipality and funding notice text are language-dependent: "
                "edit them under Snippets → Site texts."
            )
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("primary_colour"), FieldPanel("official_site_bar")],
            _("Branding"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_address"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("social_links"),
            ],
            _("Contact"),
        ),
        MultiFieldPanel([FieldPanel("funder_logo"), FieldPanel("funder_url")], _("Funding")),
        MultiFieldPanel(
            [
                FieldPanel("data_licence"),
                FieldPanel("data_attribution"),
                FieldPanel("regional_key"),
            ],
            _("Open data"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("imprint_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            _("Legal pages"),
        ),
    ]

    class Meta:
        verbose_name = _("portal settings")

    @classmethod
    def site_of_collection(cls, collection):
        """The site whose images and documents `collection` (or the one above it) holds."""
        top = collection if collection.depth <= 2 else collection.get_ancestors().get(depth=2)
        owner = cls.objects.filter(collection=top).select_related("site").first()
        return owner.site if owner is not None else None

    @property
    def theme_version(self) -> str:
        """Changes whenever the generated stylesheet changes, so it can be cached forever:
        with the colour, and with the stylesheet's form (THEME_FORMAT)."""
        return hashlib.sha256(f"{THEME_FORMAT} {self.primary_colour}".encode()).hexdigest()[:12]


def site_field(**options):
    """The municipality a row belongs to (several in one installation); deleted with its
    site."""
    return models.ForeignKey(
        "wagtailcore.Site",
        **{
            "verbose_name": _("site"),
            "null": True,
            "blank": True,
            "on_delete": models.CASCADE,
            "related_name": "+",
            **options,
        },
    )


class SiteTexts(TranslatableMixin, models.Model):
    """Texts shown on every page, one set per language (translate it like a page) and per
    site; texts without a site serve every site that has none of its own."""

    site = site_field(
        help_text=_("The municipality these texts belong to; empty: every site without texts.")
    )
    site_name = models.CharField(_("site name"), max_length=120)
    municipality = models.CharField(
        _("municipality"), max_length=120, help_text=_("e.g. Stadt Dortmund")
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    funding_notice = models.TextField(
        _("funding notice"),
        help_text=_(
            "Shown in every page's footer, e.g. who funds the project and in which programme."
        ),
    )
    funder_name = models.CharField(
        _("funder name"), max_length=200, help_text=_("Used as the funder logo's text alternative.")
    )

    official_site_bar_text = models.CharField(
        _("official-website bar text"),
        max_length=120,
        blank=True,
        help_text=_(
            "Shown in the official-website bar if it is switched on in the portal settings, "
            "e.g. “Offizielle Website – Stadt Dortmund”; empty: “Official website – "
            "<municipality>”."
        ),
    )

    panels = [
        FieldPanel("site"),
        FieldPanel("site_name"),
        FieldPanel("municipality"),
        FieldPanel("tagline"),
        FieldPanel("official_site_bar_text"),
        FieldPanel("funding_notice"),
        FieldPanel("funder_name"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("site texts")
        verbose_name_plural = _("site texts")
        constraints = [
            models.UniqueConstraint(fields=["site", "locale"], name="one_site_texts_per_language")
        ]

    def __str__(self):
        return f"{self.site_name} ({self.locale})"

    @classmethod
    def for_language(cls, language_code: str, site=None):
        """The site's texts in that language, falling back to German, then to the texts
        without a site, then to built-in defaults (in one query).

        `other_language` names the language of texts shown in another language than asked
        for, so templates can mark them for screen readers' pronunciation.
        """
        languages = [language_code, settings.LANGUAGE_CODE]
        owners = models.Q(site__isnull=True)
        if site is not None:
            owners |= models.Q(site=site)
        candidates = cls.objects.filter(owners, locale__language_code__in=languages)
        found = {
            (texts.site_id, texts.locale.language_code): texts
            for texts in candidates.select_related("locale")
        }
        site_id = site.pk if site is not None else None
        preference = [(owner, code) for owner in (site_id, None) for code in languages]
        texts = next((found[key] for key in preference if key in found), None)
        if texts is None:
            return SimpleNamespace(
                site_name=settings.WAGTAIL_SITE_NAME,
                municipality="",
                tagline="",
                funding_notice="",
                funder_name="",
                official_site_bar_text="",
                other_language="",
            )
        code = texts.locale.language_code
        texts.other_language = code if code != languages[0] else ""
        return texts
