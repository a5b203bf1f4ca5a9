"""The portal app's models, for Django and for the domain apps to import from here.

- pages.py: the abstract BasePage every page type inherits, HeroImageMixin and the shared
  image, goals and sort-title fields; PortalPageQuerySet, the page types' queryset, comes
  from portal/delivery/request_facts.py;
- site.py: PortalSettings (per site) and SiteTexts (per language);
- audit.py: SiteLogEntry, the audit log of rows that belong to one site;
- operations.py: SchedulerState, the scheduler's heartbeat and its last daily run;
- the workflow steps live with the rest of the editorial workflow (portal/editorial/tasks.py),
  the page cache's version row with the page cache (portal/delivery/cache.py), the CDN's
  purge queue with the CDN purge (portal/delivery/cdn.py) and the rate limits' counters
  with the rate limits (portal/delivery/limits.py); all are imported here
  so that Django finds them under the app label `portal`.
"""

from ..delivery.cache import PageCacheVersion
from ..delivery.cdn import PendingPurge
from ..delivery.limits import RateLimitCounter
from ..delivery.request_facts import PortalPageQuerySet
from ..editorial.tasks import (
    FourEyesApprovalTask,
    LinkReviewTask,
    LinkReviewTaskState,
    OverrideCommentForm,
    RejectionCommentForm,
    RequiredCommentForm,
    involved_in_change,
)
from .audit import SiteLogEntry
from .operations import SchedulerState
from .pages import (
    IMAGE_NEEDS_DESCRIPTION,
    BasePage,
    HeroImageMixin,
    document_field,
    goals_field,
    image_decorative_field,
    image_description_errors,
    image_description_field,
    image_field,
    sort_key,
)
from .site import (
    DEFAULT_PRIMARY_COLOUR,
    PortalSettings,
    SiteTexts,
    SocialLinkBlock,
    site_field,
    validate_primary_colour,
)

__all__ = [
    "DEFAULT_PRIMARY_COLOUR",
    "IMAGE_NEEDS_DESCRIPTION",
    "BasePage",
    "FourEyesApprovalTask",
    "HeroImageMixin",
    "LinkReviewTask",
    "LinkReviewTaskState",
    "OverrideCommentForm",
    "PageCacheVersion",
    "PendingPurge",
    "PortalPageQuerySet",
    "PortalSettings",
    "RateLimitCounter",
    "RejectionCommentForm",
    "RequiredCommentForm",
    "SchedulerState",
    "SiteLogEntry",
    "SiteTexts",
    "SocialLinkBlock",
    "document_field",
    "goals_field",
    "image_decorative_field",
    "image_description_errors",
    "image_description_field",
    "image_field",
    "involved_in_change",
    "site_field",
    "sort_key",
    "validate_primary_colour",
]
