"""Several municipalities in one installation: what one site's staff reach of another's
objects in the admin, role by role and action by action (test_permission_matrix.py is the
same for one site; test_sites.py has the public side and single cases of these).

For each role of site A (Redaktion, Freigabe and Administration of Lindental and of the
default site) and each action on site B's objects (B: the other site), the action is refused
(403, 404, a redirect away) or B's object is absent from what A sees (listings, choosers,
reports, the dashboard); and the same action on A's own objects works for the roles that may
do it on their own site. Superusers reach both sites.

Each action is judged by what the user sees: a view "shows" an object when it answers 200 and
the object's distinctive text (each site's objects carry its own token) is in the response.
Posts are judged by their effect (the task state moved on, the string was saved).

Both sites, their staff and objects are built once for the module, in a transaction rolled
back at its end; each test runs in a savepoint inside it.
"""

import dataclasses
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import StringTranslation

from events.models import EventPage
from home.models import BarrierReport
from labs.models import ActorIndexPage, ActorPage
from portal.demo import load_second_site
from portal.editorial.roles import collection_for
from portal.management.commands.load_demo_content import SECOND_SITE_USERS, Command
from portal.models import PortalSettings, SiteTexts
from tests.events.factories import RegistrationFactory
from tests.labs.factories import ActorPageFactory
from tests.portal.factories import DocumentFactory, ImageFactory, published, translated
from tests.portal.workflow_helpers import (
    client_for,
    edit,
    reload,
    translate_title,
    user_with_role,
    workflow_action,
)

ROLES = ["Redaktion", "Freigabe", "Administration"]
EVERYONE = set(ROLES)
APPROVERS = {"Freigabe", "Administration"}
# Each site's objects carry its token in their titles (words no demo text has).
TOKENS = {"kosi": "Quittenhof", "lindental": "Mispelhof"}
OTHER = {"kosi": "lindental", "lindental": "kosi"}
# The demo's users (load_demo_content); Lindental's Administration has none, made here.
USERNAMES = {
    "kosi": {"Redaktion": "redaktion", "Freigabe": "freigabe", "Administration": "administration"},
    "lindental": {
        "Redaktion": "redaktion-lindental",
        "Freigabe": "freigabe-lindental",
        "Administration": "iso-administration-lindental",
    },
}
WRITERS = {"kosi": "redaktion2", "lindental": "redaktion2-lindental"}


@dataclasses.dataclass(repr=False)
class Side:
    """One site and what its staff work on."""

    key: str
    site: Site
    token: str
    staff: dict
    home: Page
    actor_index: Page
    page: ActorPage  # published, with an English translation
    english: ActorPage
    moderated: ActorPage  # submitted by the site's second editor, at step 1
    locked: ActorPage
    image: object
    document: object
    event: EventPage
    registration: object
    barrier_report: BarrierReport
    settings: PortalSettings

    def __repr__(self):
        return self.key


def build_side(key, site):
    token = TOKENS[key]
    de = Locale.objects.get(language_code="de")
    home = Page.objects.get(pk=site.root_page_id)
    actor_index = ActorIndexPage.objects.child_of(home).order_by("path").first()
    users = get_user_model().objects
    staff = {role: users.get(username=name) for role, name in USERNAMES[key].items()}

    def actor(title):
        return published(
            ActorPageFactory(parent=actor_index, title=title, slug=title.lower().replace(" ", "-"))
        )

    page = actor(f"{token} Akteur")
    english = translated(page, {page.title: f"{token} actor"})
    moderated = actor(f"{token} Prüfung")
    edit(client_for(users.get(username=WRITERS[key])), moderated, "submit")
    assert reload(moderated).current_workflow_task_state is not None
    locked = actor(f"{token} Gesperrt")
    locked.locked, locked.locked_by, locked.locked_at = (
        True,
        staff["Administration"],
        timezone.now(),
    )
    locked.save()
    # the site texts edited (Wagtail logs the edit with the texts' name)
    texts = SiteTexts.objects.get(site=site, locale=de)
    texts.site_name = f"{token} Texte"
    texts.save()
    log(instance=texts, action="wagtail.edit", user=staff["Administration"])
    event = EventPage.objects.filter(
        registration_mode="built_in", locale=de, path__startswith=home.path
    ).first()
    collection = collection_for(None if site.is_default_site else site)
    return Side(
        key=key,
        site=site,
        token=token,
        staff=staff,
        home=home,
        actor_index=actor_index,
        page=page,
        english=english,
        moderated=reload(moderated),
        locked=locked,
        image=ImageFactory(title=f"{token} Bild", collection=collection),
        document=DocumentFactory(title=f"{token} Dokument", collection=collection),
        event=event,
        registration=RegistrationFactory(event=event, name=f"{token} Teilnehmerin"),
        barrier_report=BarrierReport.objects.create(
            site=site, locale=de, description=f"{token} Barriere"
        ),
        settings=PortalSettings.for_site(site),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Lindental beside the default site, both with staff in every role and objects of each
    kind, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_second_site()
        Command().create_demo_users(SECOND_SITE_USERS)
        user_with_role(USERNAMES["lindental"]["Administration"], "Administration Lindental")
        lindental = Site.objects.get(hostname="lindental.localhost")
        sides = {
            "kosi": build_side("kosi", Site.objects.get(is_default_site=True)),
            "lindental": build_side("lindental", lindental),
        }
        yield sides
        transaction.set_rollback(True)


# --- the actions -------------------------------------------------------------------------


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def shows(response, text) -> bool:
    return response.status_code == 200 and text in text_of(response)


@dataclasses.dataclass
class Action:
    """`done(client, side)`: whether the user reached `side`'s object this way; `own`: the
    roles that may do it on their own site."""

    name: str
    done: Callable
    own: set


def get(name, marker, obj=None, args=None, search=False):
    """GET the admin view `name` and look for `marker` ("Akteur": the side's token and that
    word, i.e. the title of one of its objects; or a function of the side). The view's
    arguments: the pk of the side's object `obj` (an attribute of Side), or `args(side)`;
    `search`: with the side's token as the query."""

    def done(client, side):
        arguments = args(side) if args else [getattr(side, obj).pk] if obj else []
        query = {"q": side.token} if search else None
        text = marker(side) if callable(marker) else f"{side.token} {marker}"
        return shows(client.get(reverse(name, args=arguments), query), text)

    return done


def revision_view(client, side):
    revision = reload(side.page).get_latest_revision()
    url = reverse("wagtailadmin_pages:revisions_view", args=[side.page.pk, revision.pk])
    return shows(client.get(url), f"{side.token} Akteur")


def approve(client, side):
    page = reload(side.moderated)
    before = page.current_workflow_task_state
    response = workflow_action(client, page, "approve")
    # refused: 403, not found or a redirect away, and the task state has not moved on
    moved_on = reload(page).current_workflow_task_state != before
    return moved_on or response.status_code not in {302, 403, 404}


def translate_this_page(client, side):
    """Post "Translate this page" (into English) for the page in moderation."""
    english = Locale.objects.get(language_code="en")
    url = reverse("portal_submit_page_translation", args=[side.moderated.pk])
    client.post(url, {"locales": [english.pk]})
    return side.moderated.get_translations().filter(locale=english).exists()


def translate_a_string(client, side):
    text = f"{side.token} actor, retranslated"
    response, _translation = translate_title(client, side.english, text)
    saved = StringTranslation.objects.filter(data=text).exists()
    return response.status_code in {200, 201} and saved


def page_types_usage(client, side):
    """The report names the last edited page of each type: make it `side`'s actor page."""
    reload(side.page).save_revision()
    response = client.get(reverse("wagtailadmin_reports:page_types_usage"))
    edit_url = reverse("wagtailadmin_pages:edit", args=[side.page.pk])
    return shows(response, f"{side.token} Akteur") or shows(response, edit_url)


def aging_actor_pages(client, side):
    actor_type = ContentType.objects.get_for_model(ActorPage)
    response = client.get(
        reverse("wagtailadmin_reports:aging_pages"), {"content_type": actor_type.pk}
    )
    return shows(response, f"{side.token} Akteur")


def explore_link(side):
    return reverse("wagtailadmin_explore", args=[side.actor_index.pk])


def settings_of(side):
    return ["portal", "portalsettings", side.site.pk]


def event_of(side):
    return [side.event.translation_key]


P, R = "wagtailadmin_pages", "wagtailadmin_reports"
ACTIONS = [
    # pages
    Action("explore the home page", get("wagtailadmin_explore", explore_link, "home"), EVERYONE),
    Action("explore a directory", get("wagtailadmin_explore", "Akteur", "actor_index"), EVERYONE),
    Action("edit", get(f"{P}:edit", "Akteur", "page"), EVERYONE),
    Action("preview the draft", get(f"{P}:view_draft", "Akteur", "page"), EVERYONE),
    Action("history", get(f"{P}:history", "Akteur", "page"), EVERYONE),
    Action("view a revision", revision_view, EVERYONE),
    Action("copy", get(f"{P}:copy", "Akteur", "page"), EVERYONE),
    Action("move", get(f"{P}:move", "Akteur", "page"), APPROVERS),
    Action("delete", get(f"{P}:delete", "Akteur", "page"), APPROVERS),
    Action("unpublish", get(f"{P}:unpublish", "Akteur", "page"), APPROVERS),
    Action("admin page search", get(f"{P}:search", "Akteur", search=True), EVERYONE),
    Action(
        "chooser: browse", get("wagtailadmin_choose_page_child", "Akteur", "actor_index"), EVERYONE
    ),
    Action(
        "chooser: search", get("wagtailadmin_choose_page_search", "Akteur", search=True), EVERYONE
    ),
    # drafts and workflow
    Action("dashboard: awaiting review", get("wagtailadmin_home", "Prüfung"), {"Redaktion"}),
    Action("approve", approve, {"Redaktion"}),
    # translations
    Action(
        "translate this page",
        get("portal_submit_page_translation", "Prüfung", "moderated"),
        EVERYONE,
    ),
    Action("translate this page: submit", translate_this_page, EVERYONE),
    Action("edit the translation", get(f"{P}:edit", "actor", "english"), EVERYONE),
    Action("translate a string", translate_a_string, EVERYONE),
    # images and documents
    Action("images", get("wagtailimages:index", "Bild"), EVERYONE),
    Action("edit an image", get("wagtailimages:edit", "Bild", "image"), EVERYONE),
    Action("image chooser", get("wagtailimages_chooser:choose", "Bild"), EVERYONE),
    Action(
        "image chooser: search",
        get("wagtailimages_chooser:choose_results", "Bild", search=True),
        EVERYONE,
    ),
    Action("documents", get("wagtaildocs:index", "Dokument"), EVERYONE),
    Action("edit a document", get("wagtaildocs:edit", "Dokument", "document"), EVERYONE),
    Action("document chooser", get("wagtaildocs_chooser:choose", "Dokument"), EVERYONE),
    Action(
        "document chooser: search",
        get("wagtaildocs_chooser:choose_results", "Dokument", search=True),
        EVERYONE,
    ),
    # reports (aging pages lists the pages one may publish)
    Action("report: locked pages", get(f"{R}:locked_pages", "Gesperrt"), APPROVERS),
    Action("report: aging pages", aging_actor_pages, APPROVERS),
    Action("report: workflows", get(f"{R}:workflow", "Prüfung"), EVERYONE),
    Action("report: workflow tasks", get(f"{R}:workflow_tasks", "Prüfung"), EVERYONE),
    Action("site history: a page edit", get(f"{R}:site_history", "Prüfung"), EVERYONE),
    Action(
        "site history: a site texts edit", get(f"{R}:site_history", "Texte"), {"Administration"}
    ),
    Action("report: page types usage", page_types_usage, set()),  # every site's: no own case
    # registrations and barrier reports (more cases: test_sites.py)
    Action("registrations", get("event_registrations:index", lambda s: s.event.title), APPROVERS),
    Action(
        "registrations of an event",
        get("event_registrations:event", "Teilnehmerin", args=event_of),
        APPROVERS,
    ),
    Action(
        "registrations as CSV",
        get("event_registrations:export", "Teilnehmerin", args=event_of),
        APPROVERS,
    ),
    Action("barrier reports", get("barrier_reports:index", "Barriere"), APPROVERS),
    Action(
        "edit a barrier report",
        get("barrier_reports:edit", "Barriere", "barrier_report"),
        APPROVERS,
    ),
    # site settings
    Action(
        "site settings",
        get("wagtailsettings:edit", lambda s: s.settings.contact_email, args=settings_of),
        {"Administration"},
    ),
]
STAFF = [(site, role) for site in ["lindental", "kosi"] for role in ROLES]


@pytest.mark.parametrize("action", ACTIONS, ids=[action.name for action in ACTIONS])
@pytest.mark.parametrize(("site", "role"), STAFF, ids=[f"{s}-{r}" for s, r in STAFF])
def test_staff_reach_only_their_own_site(world, db, client, site, role, action):
    own, other = world[site], world[OTHER[site]]
    client.force_login(own.staff[role])
    assert not action.done(client, other), f"{role} of {site} reaches {other.key}: {action.name}"
    if role in action.own:
        assert action.done(client, own), f"{role} of {site}, own site: {action.name}"


def test_superusers_reach_every_site(world, db, client):
    client.force_login(
        get_user_model().objects.create_superuser("iso-superuser", "iso-superuser@example.org")
    )
    missed = [
        (action.name, side.key)
        for side in world.values()
        for action in ACTIONS
        if not action.done(client, side)
    ]
    assert missed == []
