"""Shared models: the abstract base page, the site settings and the translatable site texts."""

import hashlib
from types import SimpleNamespace

from anyascii import anyascii
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.forms import TaskStateCommentForm
from wagtail.models import (
    AbstractGroupApprovalTask,
    Page,
    PagePermissionTester,
    TaskState,
    TranslatableMixin,
)
from wagtail.search import index

from .colours import HEX_COLOUR, MINIMUM_CONTRAST, WHITE, contrast_ratio
from .workflow import may_publish_directly

DEFAULT_PRIMARY_COLOUR = "#005a9c"


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


class PortalPagePermissionTester(PagePermissionTester):
    """Publishing directly, past the workflow, is for PORTAL_DIRECT_PUBLISH_GROUPS only.

    Every page type inherits BasePage, so this covers the whole admin: the editor's
    buttons, bulk actions, copying, and wagtail-localize's publish paths, which all ask
    `can_publish()`. Publish permission still lets Freigabe unpublish and manage schedules.
    """

    def _bypasses_workflow(self, page) -> bool:
        if not hasattr(self, "_direct_publisher"):
            self._direct_publisher = may_publish_directly(self.user)
        return self._direct_publisher or page.get_workflow() is None

    def can_publish(self):
        return super().can_publish() and self._bypasses_workflow(self.page)

    def can_publish_subpage(self):
        # A new page gets the workflow of its parent.
        return super().can_publish_subpage() and self._bypasses_workflow(self.page)

    def can_unschedule(self):
        return PagePermissionTester.can_publish(self)

    def can_set_view_restrictions(self):
        return PagePermissionTester.can_publish(self)


class BasePage(Page):
    """Fields every public page has: a teaser for cards and meta descriptions, a social image."""

    teaser = models.TextField(
        _("teaser"),
        blank=True,
        max_length=400,
        help_text=_("One or two sentences for listings, search results and link previews."),
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("social media image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared; the page's main image is used otherwise."),
    )

    # "Älter" sorts with "Alter", not after "Zentrum": the same order on every database
    sort_title = models.CharField(max_length=255, editable=False, default="", db_index=True)

    promote_panels = [*Page.promote_panels, FieldPanel("social_image")]
    search_fields = [*Page.search_fields, index.SearchField("teaser")]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.sort_title = sort_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_title"}
        return super().save(*args, **kwargs)

    def permissions_for_user(self, user):
        return PortalPagePermissionTester(user, self)

    @property
    def meta_description(self) -> str:
        return self.search_description or self.teaser

    @property
    def preview_image(self):
        """The image for Open Graph tags; page types with a main image override this."""
        return self.social_image


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


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    """Branding, contact and legal links; language-dependent texts live in "Site texts"."""

    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=DEFAULT_PRIMARY_COLOUR,
        validators=[validate_primary_colour],
        help_text=_(
            "Used for the header, links and buttons, always with white text; it must reach "
            "a contrast of 4.5:1 against white."
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
    funder_logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("funder logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    funder_url = models.URLField(_("funder website"), blank=True)
    imprint_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("imprint page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement page"),
        null=True,
        blank=True,
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
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("primary_colour")], _("Branding")),
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
                FieldPanel("imprint_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            _("Legal pages"),
        ),
    ]

    class Meta:
        verbose_name = _("portal settings")

    @property
    def theme_version(self) -> str:
        """Changes whenever the generated stylesheet changes, so it can be cached forever."""
        return hashlib.sha256(self.primary_colour.encode()).hexdigest()[:12]


class SiteTexts(TranslatableMixin, models.Model):
    """Texts shown on every page, one set per language (translate it like a page)."""

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

    panels = [
        FieldPanel("site_name"),
        FieldPanel("municipality"),
        FieldPanel("tagline"),
        FieldPanel("funding_notice"),
        FieldPanel("funder_name"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("site texts")
        verbose_name_plural = _("site texts")

    def __str__(self):
        return f"{self.site_name} ({self.locale})"

    @classmethod
    def for_language(cls, language_code: str):
        """The texts in that language, falling back to German, then to built-in defaults.

        `other_language` names the language of texts shown in another language than asked
        for, so templates can mark them for screen readers' pronunciation.
        """
        languages = [language_code, settings.LANGUAGE_CODE]
        candidates = cls.objects.filter(locale__language_code__in=languages)
        by_language = {
            texts.locale.language_code: texts for texts in candidates.select_related("locale")
        }
        texts = by_language.get(languages[0]) or by_language.get(languages[1])
        if texts is None:
            return SimpleNamespace(
                site_name=settings.WAGTAIL_SITE_NAME,
                municipality="",
                tagline="",
                funding_notice="",
                funder_name="",
                other_language="",
            )
        code = texts.locale.language_code
        texts.other_language = code if code != languages[0] else ""
        return texts


class FourEyesApprovalTask(AbstractGroupApprovalTask):
    """A group approval step in which nobody approves their own text.

    Refused for whoever submitted the page or wrote a revision while it is in the workflow,
    and for whoever already approved an earlier step, so two different people check every
    change. A rejection needs a comment, which Wagtail e-mails to the author.
    """

    class Meta:
        verbose_name = _("four-eyes approval")
        verbose_name_plural = _("four-eyes approvals")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve; never the author of the change, nor "
            "someone who approved an earlier step. Rejections need a comment."
        )

    def get_actions(self, obj, user):
        if not super().get_actions(obj, user) or self.involved(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def involved(self, obj, user) -> bool:
        """Whether the user wrote, submitted or already approved the change under review."""
        workflow_state = obj.current_workflow_state
        if workflow_state is None:
            return False
        if workflow_state.requested_by_id == user.pk:
            return True
        revisions = obj.revisions.filter(created_at__gte=workflow_state.created_at)
        if revisions.filter(user=user).exists():
            return True
        latest = obj.get_latest_revision()
        if latest is not None and latest.user_id == user.pk:
            return True
        return workflow_state.task_states.filter(
            status=TaskState.STATUS_APPROVED, finished_by=user
        ).exists()

    def get_form_for_action(self, action):
        if action == "reject":
            return RejectionCommentForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        # The checks again: the editor's own form posts actions without the modal's form.
        obj = task_state.workflow_state.content_object
        if action_name not in {name for name, _label, _modal in self.get_actions(obj, user)}:
            raise PermissionDenied
        if action_name == "reject" and not (kwargs.get("comment") or "").strip():
            raise PermissionDenied(_("A rejection needs a comment."))
        return super().on_action(task_state, user, action_name, **kwargs)


class RejectionCommentForm(TaskStateCommentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True
        self.fields["comment"].help_text = _(
            "Tell the author what to change; they receive it by e-mail."
        )
