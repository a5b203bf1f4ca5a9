import django_filters
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.editorial.site_scope import SiteOwnedViewSet
from portal.models import SiteLogEntry
from portal.sites import language_home_path

from . import admin_views
from .models import (
    EventIndexPage,
    EventPage,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    Venue,
)


class VenueFilterSet(WagtailFilterSet):
    to_check = django_filters.BooleanFilter(
        label=_("Address to check"), method="with_address_to_check"
    )

    class Meta:
        model = Venue
        fields = ["site", "locality", "to_check"]

    def with_address_to_check(self, queryset, name, value):
        if value is None:
            return queryset
        to_check = Q(address_to_check="")
        return queryset.exclude(to_check) if value else queryset.filter(to_check)


class InDefaultLanguage:
    """Workshops link the German venue (wagtail-localize shows its translation on English
    pages): the chooser offers those only."""

    def get_object_list(self):
        return super().get_object_list().filter(locale=Locale.get_default())


class VenueChooserViewSet(SnippetChooserViewSet):
    choose_view_class = type("ChooseView", (InDefaultLanguage, ChooseView), {})
    choose_results_view_class = type(
        "ChooseResultsView", (InDefaultLanguage, ChooseResultsView), {}
    )
    # a new venue can be entered while editing a workshop, without leaving the page
    form_fields = [
        "site",
        "name",
        "street_address",
        "postal_code",
        "locality",
        "region",
        "country",
        "latitude",
        "longitude",
    ]


class VenueViewSet(SiteOwnedViewSet, SnippetViewSet):
    model = Venue
    chooser_viewset_class = VenueChooserViewSet
    icon = "site"
    menu_label = _("Venues")
    list_display = ["name", "street_address", "locality", "site", "address_to_check"]
    filterset_class = VenueFilterSet
    search_fields = ["name", "street_address", "locality"]


register_snippet(VenueViewSet)


@hooks.register("portal_setup_checklist")
def venues_to_check(site) -> list[dict]:
    """For the go-live checklist: venues whose old free-text address could not be read."""
    count = (
        Venue.objects.filter(site=site, locale__language_code=settings.LANGUAGE_CODE)
        .exclude(address_to_check="")
        .count()
    )
    if not count:
        return []
    text = ngettext(
        "%(count)s venue has an address to check.",
        "%(count)s venues have an address to check.",
        count,
    )
    url = reverse("wagtailsnippets_events_venue:list") + "?to_check=true"
    return [{"text": text % {"count": count}, "url": url}]


registration_urls = (
    [
        path("", admin_views.index, name="index"),
        path("person/", admin_views.person, name="person"),
        path("person/erase/", admin_views.erase, name="erase"),
        path("<uuid:event_key>/", admin_views.event_registrations, name="event"),
        path("<uuid:event_key>/export.csv", admin_views.export, name="export"),
        path("<int:pk>/<str:action>/", admin_views.change, name="change"),
    ],
    "event_registrations",
)


@hooks.register("register_admin_urls")
def register_registration_urls():
    return [path("registrations/", include(registration_urls))]


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_registrations_menu_item():
    return RegistrationsMenuItem(
        _("Registrations"),
        reverse("event_registrations:index"),
        name="registrations",
        icon_name="group",
        order=250,
    )


@hooks.register("register_permissions")
def register_registration_permission():
    return Permission.objects.filter(
        content_type__app_label="events", codename="manage_registrations"
    )


class RegistrationsPageMenuItem(PageMenuItem):
    label = _("Registrations")
    icon_name = "group"
    priority = 66

    @property
    def url(self):
        return reverse("event_registrations:event", args=[self.page.translation_key])

    def is_shown(self, user):
        page = self.page.specific_deferred
        return (
            isinstance(page, EventPage)
            and page.registration_mode == RegistrationMode.BUILT_IN
            and user.has_perm(admin_views.PERMISSION)
        )


@hooks.register("register_page_header_buttons")
def registrations_button(page, user, view_name, next_url=None):
    yield RegistrationsPageMenuItem(page=page)


@hooks.register("register_log_actions")
def register_registration_log_actions(actions):
    actions.register_model(Registration, SiteLogEntry)  # the event's site only
    actions.register_model(Venue, SiteLogEntry)
    actions.register_action(
        "events.registration.cancel",
        _("Cancel registration"),
        _("Registration cancelled by staff"),
    )
    actions.register_action(
        "events.registration.promote",
        _("Give a seat"),
        _("Registration moved from the waiting list to a seat by staff"),
    )
    actions.register_action(
        "events.registration.erase",
        _("Erase registration"),
        _("Registration anonymised on the person's request"),
    )
    actions.register_action(
        "events.registration.subject_export",
        _("Export for the person"),
        _("Registration exported on the person's request"),
    )
    actions.register_action(
        "events.registrations.export",
        _("Export registrations"),
        _("Registrations exported as CSV"),
    )


class NextWorkshopsPanel(Component):
    """The next workshops on the dashboard; with their registrations for those allowed."""

    name = "portal_next_workshops"
    template_name = "events/admin/next_workshops_panel.html"
    order = 240

    def __init__(self, user, limit=5):
        self.user = user
        self.limit = limit

    def get_context_data(self, parent_context):
        from django.conf import settings

        context = super().get_context_data(parent_context)
        events = list(
            EventPage.objects.live()
            .public()
            .filter(locale__language_code=settings.LANGUAGE_CODE)
            .upcoming()[: self.limit]
        )
        show_registrations = self.user.has_perm(admin_views.PERMISSION)
        counts = {}
        if show_registrations:
            counts = Registration.objects.filter(
                event_key__in=[event.translation_key for event in events]
            ).counts_by_event()
        context["show_registrations"] = show_registrations
        context["events"] = [
            {
                "event": event,
                "counts": counts.get(event.translation_key)
                or (
                    dict.fromkeys(RegistrationStatus.values, 0)
                    if event.registration_mode == RegistrationMode.BUILT_IN
                    else None
                ),
            }
            for event in events
        ]
        return context


@hooks.register("construct_homepage_panels")
def add_next_workshops(request, panels):
    if request.user.has_perm("wagtailadmin.access_admin"):
        panels.append(NextWorkshopsPanel(request.user))


@hooks.register("portal_role_permissions")
def registration_permissions():
    """Approvers view and manage workshop registrations; editors keep the venues, and a
    municipality's Administration may also delete them (portal/editorial/roles.py)."""
    venues = ["events.add_venue", "events.change_venue"]
    return {
        "Redaktion": venues,
        "Freigabe": [*venues, "events.manage_registrations"],
        "Administration": [*venues, "events.delete_venue"],
    }


@hooks.register("portal_dependent_pages")
def pages_listing_workshops_of(page) -> list:
    """A lab's or an actor's workshops show its name, and the workshop directory's lab filter
    names every lab: they change when the lab or actor is published (the CDN purge asks)."""
    from labs.models import ActorPage, LabPage

    events = EventPage.objects.live().filter(locale_id=page.locale_id)
    if isinstance(page, LabPage):
        directories = EventIndexPage.objects.live().filter(
            path__startswith=language_home_path(page), depth=3
        )
        return [*events.for_lab(page), *directories]
    if isinstance(page, ActorPage):
        return list(events.involving_actor(page))
    return []


@hooks.register("portal_api_endpoints")
def workshop_collections():
    """The open data API's workshops and series (portal/api.py)."""
    from .api import Workshops, WorkshopSeries

    return [("workshops", Workshops), ("series", WorkshopSeries)]
