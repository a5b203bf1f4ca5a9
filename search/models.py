"""Editors' recommended results for a search term, per municipality."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH, normalise_query_string

from portal.models import site_field
from portal.sites import site_id_of_page


class PromotedResultQuerySet(models.QuerySet):
    def for_search(self, query: str, site):
        """The site's promotions for what a visitor typed, in the editors' order."""
        return self.filter(site=site, search_term=normalise_query_string(query)).order_by(
            "sort_order", "pk"
        )


class PromotedResult(models.Model):
    """A page shown first, as "Recommended", to visitors of one site who search for a term.

    Wagtail's own search promotions are one list for the whole installation; a
    municipality's editors choose their own (and see nobody else's)."""

    site = site_field(null=False, blank=False)
    search_term = models.CharField(
        _("search term"),
        max_length=MAX_QUERY_STRING_LENGTH,
        help_text=_("What visitors type; letter case and extra spaces do not matter."),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Shown in the visitor's language where it is translated."),
    )
    sort_order = models.IntegerField(null=True, blank=True, editable=False)

    objects = PromotedResultQuerySet.as_manager()

    panels = [FieldPanel("site"), FieldPanel("search_term"), FieldPanel("page")]

    class Meta:
        verbose_name = _("promoted search result")
        verbose_name_plural = _("promoted search results")
        ordering = ["search_term", "sort_order", "pk"]

    def __str__(self):
        return f"{self.search_term} → {self.page.title}"

    def save(self, *args, **kwargs):
        self.search_term = normalise_query_string(self.search_term)
        super().save(*args, **kwargs)

    def clean(self):
        if self.site_id and self.page_id and site_id_of_page(self.page) != self.site_id:
            raise ValidationError({"page": _("Choose a page of this site.")})
