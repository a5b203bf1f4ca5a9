"""Shared models: the abstract base page, the site settings and the translatable site texts."""

import hashlib
import uuid
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
    Task,
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

    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image_alt = image_description_field()
    hero_image_decorative = image_decorative_field()

    hero_image_panels = [
        FieldPanel("hero_image"),
        FieldPanel("hero_image_alt"),
        FieldPanel("hero_image_decorative"),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = image_description_errors(
            self, "hero_image", "hero_image_alt", "hero_image_decorative"
        )
        if errors:
            raise ValidationError(errors)

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
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("social media image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
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


def involved_in_change(obj, user) -> bool:
    """Whether the user wrote, submitted or already approved the change under review.

    The change is everything since the live version: every revision after it (whoever
    submitted), and for translations the translated texts, which wagtail-localize stores
    outside page revisions.
    """
    workflow_state = obj.current_workflow_state
    if workflow_state is None:
        return False
    if workflow_state.requested_by_id == user.pk:
        return True
    live_revision = getattr(obj, "live_revision", None)
    since = live_revision.created_at if live_revision else None
    revisions = obj.revisions.all()
    if since:
        revisions = revisions.filter(created_at__gt=since)
    if revisions.filter(user=user).exists():
        return True
    if _translated_by(obj, user, since):
        return True
    return workflow_state.task_states.filter(
        status=TaskState.STATUS_APPROVED, finished_by=user
    ).exists()


def _translated_by(obj, user, since) -> bool:
    from wagtail_localize.models import SegmentOverride, StringTranslation

    for model in (StringTranslation, SegmentOverride):
        texts = model.objects.filter(
            context__object_id=obj.translation_key,
            locale_id=obj.locale_id,
            last_translated_by=user,
        )
        if since:
            texts = texts.filter(updated_at__gt=since)
        if texts.exists():
            return True
    return False


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
        return involved_in_change(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        # "Awaiting your review" on the dashboard leaves out the user's own changes
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)

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


class RequiredCommentForm(TaskStateCommentForm):
    """Wagtail's workflow comment form with the comment required."""

    help_text = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = True
        self.fields["comment"].help_text = self.help_text


class RejectionCommentForm(RequiredCommentForm):
    help_text = _("Tell the author what to change; they receive it by e-mail.")


class LinkReviewTaskState(TaskState):
    """A review by link: which link is valid (the nonce changes when a link is re-sent)."""

    link_nonce = models.UUIDField(default=uuid.uuid4)
    link_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("review by link")
        verbose_name_plural = _("reviews by link")


class LinkReviewTask(Task):
    """A workflow step decided by someone without an account, through a signed link sent
    by e-mail (e.g. a department head or a partner organisation).

    The page is locked while the link is out, so the reviewer decides on exactly the
    revision they saw. Freigabe and Administration can re-send the link or decide in the
    reviewer's place, with a comment; everything is written to the audit log.
    """

    reviewer_name = models.CharField(
        _("reviewer"), max_length=120, blank=True, help_text=_("e.g. Amtsleitung Soziales")
    )
    reviewer_email = models.EmailField(
        _("reviewer's e-mail address"), help_text=_("The review link is sent here.")
    )

    admin_form_fields = [*Task.admin_form_fields, "reviewer_name", "reviewer_email"]
    task_state_class = LinkReviewTaskState
    # Who may re-send the link or decide instead of the reviewer
    override_groups = ("Freigabe", "Administration")

    class Meta:
        verbose_name = _("review by link")
        verbose_name_plural = _("reviews by link")

    @classmethod
    def get_description(cls):
        return _("A person without an account approves or rejects through a link sent by e-mail.")

    def start(self, workflow_state, user=None):
        from .review_links import send_review_link

        task_state = super().start(workflow_state, user=user)
        send_review_link(task_state, user=user)
        return task_state

    def locked_for_user(self, obj, user):
        return True  # a newer revision would not be the one the reviewer saw

    def may_override(self, obj, user) -> bool:
        if not (user.is_superuser or user.groups.filter(name__in=self.override_groups).exists()):
            return False
        return not involved_in_change(obj, user)

    def get_actions(self, obj, user):
        if not self.may_override(obj, user):
            return []
        return [
            ("resend", _("Send the review link again"), False),
            ("override_approve", _("Approve in the reviewer's place"), True),
            ("override_reject", _("Reject in the reviewer's place"), True),
        ]

    def get_form_for_action(self, action):
        if action.startswith("override_"):
            return OverrideCommentForm
        return None

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if user.is_superuser or user.groups.filter(name__in=self.override_groups).exists():
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    def on_action(self, task_state, user, action_name, **kwargs):
        from .review_links import override, send_review_link

        obj = task_state.workflow_state.content_object
        if action_name not in {name for name, _label, _modal in self.get_actions(obj, user)}:
            raise PermissionDenied
        if action_name == "resend":
            return send_review_link(task_state.specific, user=user, resend=True)
        comment = (kwargs.get("comment") or "").strip()
        if not comment:
            raise PermissionDenied(_("Deciding in the reviewer's place needs a comment."))
        return override(task_state.specific, user, action_name.removeprefix("override_"), comment)


class OverrideCommentForm(RequiredCommentForm):
    help_text = _("Why you decide in the reviewer's place; it is kept in the page's history.")


class PageCacheVersion(models.Model):
    """The page cache's version number when the cache is local memory (portal/cache.py).

    Each worker process has a memory of its own, so the number every publish raises lives
    here, in one row all workers read, instead of in the cache. Internal: no admin, no
    permissions.
    """

    version = models.BigIntegerField(default=1)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return str(self.version)
