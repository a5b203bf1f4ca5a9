"""What the network keeps: the site's actor (settings and keys), its followers, blocked
domains, the delivery queue, the sources a site reads and their items, the Network page."""

import datetime
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from portal.models import BasePage, site_field


class ActorType(models.TextChoices):
    APPLICATION = "Application", _("Application (a service, like an event calendar)")
    GROUP = "Group", _("Group")


@register_setting(icon="globe")
class NetworkSettings(BaseSiteSetting):
    """How the site's workshops appear in the fediverse (@werkstaetten@host)."""

    preferred_username = models.CharField(
        _("account name"),
        max_length=60,
        default="werkstaetten",
        validators=[RegexValidator(r"^[a-z0-9_]+$", _("Lower-case letters, digits and _ only."))],
        help_text=_(
            "The name before the @ of the site's workshop account in the fediverse, e.g. "
            "werkstaetten (followed as @werkstaetten@your-host). Changing it later loses "
            "the followers."
        ),
    )
    actor_type = models.CharField(
        _("account type"), max_length=20, choices=ActorType.choices, default=ActorType.APPLICATION
    )

    panels = [FieldPanel("preferred_username"), FieldPanel("actor_type")]

    class Meta:
        verbose_name = _("network settings")


class KeyPair(models.Model):
    """The RSA key pair a site's actor (or, without a site, the instance actor) signs with.
    Generated on first use; the private key is never shown or sent anywhere."""

    site = models.OneToOneField(
        "wagtailcore.Site", null=True, on_delete=models.CASCADE, related_name="+"
    )
    public_key_pem = models.TextField(editable=False)
    private_key_pem = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["site"],
                condition=models.Q(site__isnull=True),
                name="one_instance_key_pair",
            ),
        ]

    def __str__(self):
        return f"key pair of {self.site or 'the instance'}"


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class Follower(models.Model):
    """A remote actor following a site's workshops."""

    site = site_field(null=False, blank=False)
    actor_uri = models.URLField(_("account"), max_length=500)
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(_("shared inbox"), max_length=500, blank=True)
    followed_at = models.DateTimeField(_("following since"), default=timezone.now)
    # Deliveries to it have failed since then; long enough means its server is gone
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["site", "actor_uri"], name="one_follow_per_site")
        ]

    def __str__(self):
        return self.actor_uri

    @property
    def server(self) -> str:
        return host_of(self.actor_uri)

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class BlockedDomain(models.Model):
    """An instance or domain whose requests a site refuses and which it never contacts."""

    site = site_field(
        help_text=_("The municipality that blocks it; empty: every site of the installation.")
    )
    domain = models.CharField(
        _("domain"),
        max_length=253,
        validators=[
            RegexValidator(
                r"^[a-z0-9.-]+\.[a-z0-9-]+$|^[0-9.]+$",
                _("A host name such as spam.example, without https://."),
                flags=re.IGNORECASE,
            )
        ],
        help_text=_("Blocks the domain and all its subdomains, e.g. spam.example."),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("site"), FieldPanel("domain"), FieldPanel("reason")]

    class Meta:
        verbose_name = _("blocked domain")
        verbose_name_plural = _("blocked domains")
        constraints = [
            models.UniqueConstraint(fields=["site", "domain"], name="block_domain_once_per_site")
        ]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().rstrip(".")
        super().save(*args, **kwargs)

    @classmethod
    def blocks(cls, host: str, site=None) -> bool:
        """Whether `host` (or a domain above it) is blocked for `site` or everywhere."""
        host = (host or "").lower().rstrip(".")
        labels = host.split(".")
        candidates = {".".join(labels[index:]) for index in range(len(labels))}
        owners = models.Q(site__isnull=True)
        if site is not None:
            owners |= models.Q(site=site)
        return cls.objects.filter(owners, domain__in=candidates).exists()


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Given up")


class Delivery(models.Model):
    """One activity to send to one inbox, sent by the worker (never in a request), retried
    with exponential backoff until PORTAL_NETWORK_RETRY_HOURS have passed."""

    site = site_field()  # None: the instance actor's
    inbox = models.URLField(max_length=500)
    activity = models.JSONField()
    kind = models.CharField(_("activity"), max_length=20)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} → {self.inbox}"

    @property
    def server(self) -> str:
        return host_of(self.inbox)

    def give_up_at(self) -> datetime.datetime:
        return self.created_at + datetime.timedelta(hours=settings.PORTAL_NETWORK_RETRY_HOURS)


class RemoteActor(models.Model):
    """What we know of a remote actor (its inbox and key), fetched through the SSRF guard
    and refreshed when a signature does not verify with the stored key."""

    uri = models.URLField(max_length=500, unique=True)
    inbox = models.URLField(max_length=500, blank=True)
    shared_inbox = models.URLField(max_length=500, blank=True)
    outbox = models.URLField(max_length=500, blank=True)
    key_id = models.URLField(max_length=500, blank=True, db_index=True)
    public_key_pem = models.TextField(blank=True)
    name = models.CharField(max_length=200, blank=True)
    # It signed with RFC 9421 once: it verifies those too, so we sign ours that way
    signs_rfc9421 = models.BooleanField(default=False)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return self.uri


class SourceKind(models.TextChoices):
    PORTAL_API = "portal_api", _("Another portal's open data API")
    ACTIVITYPUB = "activitypub", _("An ActivityPub account (followed)")
    ICALENDAR = "icalendar", _("An iCalendar feed")


class Source(models.Model):
    """Where a site reads other labs' workshops for its Network page."""

    # what fetching writes, as opposed to what editors change (portal.delivery.cache: only
    # their changes refresh the Network page at once; fetched items refresh it themselves)
    BOOKKEEPING = (
        "actor_uri",
        "last_attempt_at",
        "last_success_at",
        "last_error",
        "etag",
        "last_modified",
        "follow_accepted",
    )

    site = site_field(null=False, blank=False)
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. KoSI-Lab Lindental"))
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    url = models.URLField(
        _("address"),
        max_length=500,
        help_text=_(
            "The API's workshops address (…/api/v1/workshops), the account's address, or the "
            "calendar feed's address."
        ),
    )
    enabled = models.BooleanField(_("active"), default=True)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last updated"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # ActivityPub: the followed actor's id, and whether it accepted
    actor_uri = models.URLField(max_length=500, blank=True, editable=False)
    follow_accepted = models.BooleanField(_("follow accepted"), default=False)

    panels = [
        FieldPanel("site"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("url"),
        FieldPanel("enabled"),
    ]

    class Meta:
        verbose_name = _("network source")
        verbose_name_plural = _("network sources")
        constraints = [
            models.UniqueConstraint(fields=["site", "url"], name="one_source_per_address")
        ]

    def __str__(self):
        return self.name


class ItemStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class NetworkItemQuerySet(models.QuerySet):
    def listed(self):
        """What the Network page shows: not removed, of active sources."""
        return self.filter(removed_at__isnull=True, source__enabled=True)

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")


class NetworkItem(models.Model):
    """One workshop (one occurrence of a recurring one) read from a source, its text
    sanitised. Kept, marked removed, when it disappears from the source."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    uid = models.CharField(max_length=500)
    recurrence_id = models.CharField(max_length=40, blank=True, default="")
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)  # sanitised HTML
    url = models.URLField(max_length=500, blank=True)
    location = models.CharField(max_length=500, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=ItemStatus.choices, default=ItemStatus.SCHEDULED
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = NetworkItemQuerySet.as_manager()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["source", "uid", "recurrence_id"], name="one_item_per_occurrence"
            )
        ]
        indexes = [models.Index(fields=["source", "start"])]

    def __str__(self):
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == ItemStatus.CANCELLED


class NetworkPage(BasePage):
    """Upcoming workshops of other labs, from the site's network sources; never mixed into
    the site's own directory, feeds or API."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("teaser"), FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    page_description = _("Workshops of other labs in the network; create it once per language.")

    class Meta:
        verbose_name = _("network page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import network_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(network_listing(self, request))
        return context


class PublishedObject(models.Model):
    """What followers were last sent about one workshop: Create the first time, Update
    when what they see changed (time, place, status, texts), Delete when it went."""

    site = site_field(null=False, blank=False)
    translation_key = models.UUIDField()
    digest = models.CharField(max_length=64)
    deleted = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["site", "translation_key"], name="one_published_object_per_workshop"
            )
        ]

    def __str__(self):
        return str(self.translation_key)
