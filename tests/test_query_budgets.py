"""Query budgets: every public page type, listing and feed needs an exact, pinned number of
queries, the same with 3 and with 30 labs, actors, workshops, speakers, partners, topics,
contacts, agenda items and registrations, each in German and English.

One world is built per module (inside a transaction rolled back when the module ends): 30 labs,
actors, upcoming workshops (in the series) and past workshops (directly in the directory), each
with an image and an English translation, and 30 topics. The focus items carry 30 of every
relation: the focus lab has every actor as partner (with logos), every topic, 30 contacts and
every workshop; the focus actor is a partner of every lab and speaks at or organises every
workshop; the focus workshop (with the registration form) has 30 speakers with photos, 30
agenda items, 30 registrations and concerns every lab; the German home page features every lab.
The demo's own labs, actors and workshops are unpublished, so listings show only this world.

Each case requests its page with 30 of everything, then shrinks the world to 3 (pages beyond the
third unpublished, rows beyond the third deleted, inside the test's own transaction, so the next
case starts at 30 again) and requests it again; both counts must equal the pinned number. A count
that grows with the data is an N+1. Counts are of a warm request (the first one creates
renditions and fills per-process caches, as on a running server).

Re-pinning after a deliberate change: the failure names the case and its counts at both sizes;
edit the number in that entry (and its comment). Run with -v for the SQL; select cases with
-k, e.g. `-k "lab-page or search"`.

What the comments call
- serve: Wagtail serving a page below the home page, at any depth: all the pages the path names
  below the home page (one query, `BasePage.route`) and the page's specific row: 2 queries.
  What Wagtail asks for besides (the site, the locale, the home page, the view restrictions of
  the page and its ancestors) are request facts (portal/delivery/request_facts.py), read once
  per content version: serve(home) costs nothing, an English page as much as a German one.
- cache version: the page cache's versions, read once per request (in one query: the version
  is in the database with the tests' local-memory cache); the request facts and the page
  chrome are kept under it, so every page and view reads it.
- chrome: the cache version, the page's translations (language switcher, hreflang) and the
  ancestors for the breadcrumbs (3; header, menu and footer are cached).
- public: `.public()` of a page type's queryset or of `all_pages()` costs no query (the private
  sections are request facts), so the comments leave it out.
- localized: pages or topics in the visitor's language by translation key (one query per list).
"""

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from events.models import (
    AgendaItem,
    EventIndexPage,
    EventPage,
    EventSeriesPage,
    EventSpeaker,
    Registration,
)
from home.models import HomeFeaturedLab
from labs.models import (
    ActorIndexPage,
    ActorPage,
    LabContact,
    LabIndexPage,
    LabPage,
    LabPartner,
    Topic,
)
from library.models import LibraryPage, MaterialPage
from network.models import NetworkItem, Source, SourceKind
from portal.delivery.cache import invalidate
from tests.events.factories import RegistrationFactory, VenueFactory
from tests.portal.factories import DocumentFactory, ImageFactory

SMALL, LARGE = 3, 30


@dataclasses.dataclass
class World:
    """What the cases request, and what `shrink` hides or deletes to go from 30 to 3."""

    labs: list  # [(German, English)] * LARGE; labs[0] is the focus lab
    actors: list  # actors[0] is the focus actor
    events: list  # upcoming, in the series; events[0] is the focus event
    past_events: list
    topics: list
    series: EventSeriesPage
    materials: list = dataclasses.field(default_factory=list)  # materials[0] is the focus
    extra_pages: list = dataclasses.field(default_factory=list)
    extra_rows: list = dataclasses.field(default_factory=list)  # (model, [pk, ...])

    def shrink(self):
        Page.objects.filter(pk__in=self.extra_pages).update(live=False)
        for model, pks in self.extra_rows:
            # no signals or cascades: nothing refers to these rows
            queryset = model.objects.filter(pk__in=pks)
            queryset._raw_delete(queryset.db)
        # what unpublishing would do through signals: cached pages and results go stale
        invalidate()


def _image(number):
    return ImageFactory(title=f"Testbild {number}", file__width=64, file__height=48)


def _pair(parent_de, parent_en, page_de, english_fields):
    """Add a German page and its English translation (same translation key)."""
    now = timezone.now()
    page_de.first_published_at = page_de.last_published_at = now
    parent_de.add_child(instance=page_de)
    page_en = type(page_de)(
        **{
            field.attname: getattr(page_de, field.attname)
            for field in type(page_de)._meta.concrete_fields
            if not field.primary_key
            and field.attname not in {"page_ptr_id", "path", "depth", "numchild", "url_path"}
        }
    )
    page_en.pk = None
    page_en.id = None
    page_en.locale = parent_en.locale
    for name, value in english_fields.items():
        setattr(page_en, name, value)
    parent_en.add_child(instance=page_en)
    return page_de, page_en


def build_world() -> World:
    de = Locale.objects.get(language_code="de")
    en = Locale.objects.get(language_code="en")
    lab_index = {loc: LabIndexPage.objects.get(locale=loc) for loc in (de, en)}
    actor_index = {loc: ActorIndexPage.objects.get(locale=loc) for loc in (de, en)}
    event_index = {loc: EventIndexPage.objects.get(locale=loc) for loc in (de, en)}
    series = {loc: EventSeriesPage.objects.get(locale=loc) for loc in (de, en)}
    # only this world's pages are shown: hide the demo labs, actors and workshops
    Page.objects.type(LabPage, ActorPage, EventPage, MaterialPage).update(live=False)

    topics = []
    for number in range(LARGE):
        topic_de = Topic.objects.create(name=f"Thema {number}", slug=f"thema-{number}", locale=de)
        topic_en = Topic.objects.create(
            name=f"Topic {number}",
            slug=f"thema-{number}",
            locale=en,
            translation_key=topic_de.translation_key,
        )
        topics.append((topic_de, topic_en))

    actors = []
    for number in range(LARGE):
        actor = ActorPage(
            title=f"Testakteur {number}",
            slug=f"testakteur-{number}",
            sector=["civil_society", "administration", "politics", "business", "research"][
                number % 5
            ],
            kind="organisation",
            city="Teststadt",
            logo=_image(f"Logo {number}"),
            description="Ein Akteur.",
        )
        actors.append(
            _pair(
                actor_index[de],
                actor_index[en],
                actor,
                {"title": f"Test actor {number}", "slug": f"test-actor-{number}"},
            )
        )

    labs = []
    for number in range(LARGE):
        lab = LabPage(
            title=f"Testlabor {number}",
            slug=f"testlabor-{number}",
            city="Teststadt",
            challenge="Demografischer Wandel",
            phase=2,
            hero_image=_image(f"Labor {number}"),
            hero_image_alt=f"Bild zu Labor {number}",
        )
        labs.append(
            _pair(
                lab_index[de],
                lab_index[en],
                lab,
                {
                    "title": f"Test lab {number}",
                    "slug": f"test-lab-{number}",
                    "hero_image_alt": f"Picture of lab {number}",
                },
            )
        )

    now = timezone.now()
    events, past_events = [], []
    venue = VenueFactory(name="Rathaus")
    for number in range(LARGE):
        start = now + datetime.timedelta(days=10 + number)
        event = EventPage(
            title=f"Testwerkstatt {number}",
            slug=f"testwerkstatt-{number}",
            start=start,
            end=start + datetime.timedelta(hours=3),
            part_number=10 + number,
            venue=venue,
            hero_image=_image(f"Werkstatt {number}"),
            hero_image_alt=f"Bild zur Werkstatt {number}",
            organiser=actors[number][0],
        )
        if number == 0:
            event.registration_mode = "built_in"
            event.capacity = 100
        events.append(
            _pair(
                series[de],
                series[en],
                event,
                {"title": f"Test workshop {number}", "slug": f"test-workshop-{number}"},
            )
        )
        start = now - datetime.timedelta(days=10 + number)
        past = EventPage(
            title=f"Vergangene Werkstatt {number}",
            slug=f"vergangen-{number}",
            start=start,
            end=start + datetime.timedelta(hours=3),
            venue=venue,
            hero_image=_image(f"Vergangen {number}"),
            hero_image_alt=f"Bild zur vergangenen Werkstatt {number}",
            organiser=actors[0][0],
        )
        past_events.append(
            _pair(
                event_index[de],
                event_index[en],
                past,
                {"title": f"Past workshop {number}", "slug": f"past-workshop-{number}"},
            )
        )

    library = {loc: LibraryPage.objects.get(locale=loc) for loc in (de, en)}
    documents = [DocumentFactory(title=f"Datei {number}") for number in range(LARGE)]
    materials = []
    for number in range(LARGE):
        # the focus material has every file; the others one each
        files = documents if number == 0 else [documents[number]]
        material = MaterialPage(
            title=f"Testmaterial {number}",
            slug=f"testmaterial-{number}",
            material_type=["guide", "template", "checklist", "method_card", "case_study"][
                number % 5
            ],
            phase=number % 4 + 1,
            audience=[
                ["administration", "politics", "civil_society", "business", "research"][number % 5]
            ],
            attribution="Teststadt",
            files=[
                {"type": "file", "value": {"document": document.pk, "title": ""}}
                for document in files
            ],
        )
        materials.append(
            _pair(
                library[de],
                library[en],
                material,
                {"title": f"Test material {number}", "slug": f"test-material-{number}"},
            )
        )
    # the first past workshop is documented, with every file
    for past in past_events[0]:
        past.documentation_summary = "<p>Ergebnisse</p>"
        past.documentation_files = [
            {"type": "file", "value": {"document": document.pk, "title": "", "kind": "slides"}}
            for document in documents
        ]
        past.save()

    world = World(
        labs=labs,
        actors=actors,
        events=events,
        past_events=past_events,
        topics=topics,
        series=series[de],
        materials=materials,
    )
    for group in (labs, actors, events, past_events, materials):
        world.extra_pages += [page.pk for pair in group[SMALL:] for page in pair]

    # Relations, each row with the number of the item that makes it "extra" (>= SMALL)
    numbered = []  # (model, number, pk)

    def add(model, number, **fields):
        row = model.objects.create(**fields)
        numbered.append((model, number, row.pk))
        return row

    focus_lab = labs[0]
    focus_actor_de = actors[0][0]
    home_de = Page.objects.get(depth=2, locale=de).specific
    for number in range(LARGE):
        lab_de, lab_en = labs[number]
        actor_de = actors[number][0]
        topic_de = topics[number][0]
        for lab in (lab_de, lab_en):
            # the focus lab has every actor as partner, the focus actor is in every lab
            add(LabPartner, number, lab=focus_lab[lab.locale_id != de.pk], actor=actor_de)
            if number:
                add(LabPartner, number, lab=lab, actor=focus_actor_de, role="lead")
                # every lab has its own topic too, so the topic facet grows
                lab.topics.through.objects.create(labpage=lab, topic=topic_de)
            # links point at German pages in every language (as wagtail-localize copies them)
            focus = focus_lab[lab.locale_id != de.pk]
            focus.topics.through.objects.create(labpage=focus, topic=topic_de)
        for locale, focus in ((de, focus_lab[0]), (en, focus_lab[1])):
            add(
                LabContact,
                number,
                lab=focus,
                locale=locale,
                name=f"Kontakt {number}",
                role="Koordination",
                email=f"kontakt{number}@example.org",
                sort_order=number,
            )
        for event_de, event_en in (events[number], past_events[number]):
            for event in (event_de, event_en):
                # every workshop concerns the focus lab; the focus workshop concerns every lab
                event.related_labs.through.objects.create(eventpage=event, labpage=labs[0][0])
                if number == 0:
                    continue
                add(
                    EventSpeaker,
                    number,
                    event=event,
                    locale_id=event.locale_id,
                    name="Focus Speaker",
                    actor=focus_actor_de,
                )
        focus_event_de, focus_event_en = events[0]
        if number:
            for event in (focus_event_de, focus_event_en):
                event.related_labs.through.objects.create(eventpage=event, labpage=lab_de)
        photo = _image(f"Portrait {number}")
        speaker_de = add(
            EventSpeaker,
            number,
            event=focus_event_de,
            locale=de,
            name=f"Person {number}",
            role="Vortrag",
            organisation=f"Organisation {number}",
            actor=actor_de,
            photo=photo,
            sort_order=number,
        )
        add(
            EventSpeaker,
            number,
            event=focus_event_en,
            locale=en,
            translation_key=speaker_de.translation_key,
            name=f"Person {number}",
            role="Talk",
            organisation=f"Organisation {number}",
            actor=actor_de,
            photo=photo,
            sort_order=number,
        )
        item_de = add(
            AgendaItem,
            number,
            event=focus_event_de,
            locale=de,
            time=datetime.time(9 + number % 10, number % 60),
            item=f"Programmpunkt {number}",
            sort_order=number,
        )
        add(
            AgendaItem,
            number,
            event=focus_event_en,
            locale=en,
            translation_key=item_de.translation_key,
            time=item_de.time,
            item=f"Agenda item {number}",
            sort_order=number,
        )
        registration = RegistrationFactory(event=focus_event_de)
        numbered.append((Registration, number, registration.pk))
        # the German home page shows editor-chosen labs, the English one the newest labs
        add(HomeFeaturedLab, number, home=home_de, lab=lab_de)
        # the focus material has every topic, lab and workshop; every material was used in
        # the documented workshop and has a topic of its own; files beyond the third go
        numbered.append((type(documents[number]), number, documents[number].pk))
        for material in materials[number]:
            focus_material = materials[0][material.locale_id != de.pk]
            add(MaterialPage.topics.through, number, materialpage=focus_material, topic=topic_de)
            add(MaterialPage.labs.through, number, materialpage=focus_material, labpage=lab_de)
            add(
                MaterialPage.workshops.through,
                number,
                materialpage=focus_material,
                eventpage=events[number][0],
            )
            add(
                MaterialPage.workshops.through,
                number,
                materialpage=material,
                eventpage=past_events[0][0],
            )
            if number:
                add(MaterialPage.topics.through, number, materialpage=material, topic=topic_de)

    # the Network page lists other portals' workshops: only this world's
    NetworkItem.objects.all().delete()
    source = Source.objects.create(
        site=Site.objects.get(is_default_site=True),
        name="Testquelle",
        kind=SourceKind.ICALENDAR,
        url="https://quelle.example/werkstaetten.ics",
    )
    for number in range(LARGE):
        begins = timezone.now() + datetime.timedelta(days=number + 1)
        add(
            NetworkItem,
            number,
            source=source,
            uid=f"item-{number}@quelle.example",
            title=f"Netzwerk-Werkstatt {number}",
            start=begins,
            end=begins + datetime.timedelta(hours=2),
        )

    # topics stay (snippets), but no lab links the extra ones any more
    through = LabPage.topics.through
    for number, (topic_de, _topic_en) in enumerate(topics):
        for pk in through.objects.filter(topic=topic_de).values_list("pk", flat=True):
            numbered.append((through, number, pk))
    by_model = {}
    for model, number, pk in numbered:
        if number >= SMALL:
            by_model.setdefault(model, []).append(pk)
    world.extra_rows = list(by_model.items())
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction rolled back at its end; each test's own
    transaction is a savepoint inside it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # the reference index (the admin's usage counts) plays no part here and is slow
            with disable_reference_index_auto_update():
                built = build_world()
            # create the renditions once for the module, not in every case's first request
            client = Client(raise_request_exception=False)  # a broken page fails its own case
            for budget in BUDGETS:
                client.get(budget.path_for(built))
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@dataclasses.dataclass(frozen=True)
class Budget:
    name: str
    path: str | Callable[[World], str]
    queries: int | dict  # or {"sqlite": n, "postgresql": m}, only where they must differ
    comment: str
    status: int = 200

    def path_for(self, world) -> str:
        return self.path(world) if callable(self.path) else self.path

    def expected(self) -> int:
        if isinstance(self.queries, dict):
            return self.queries[connection.vendor]
        return self.queries


def focus_lab(world):
    return world.labs[0][0].pk


def focus_month(world):
    return f"{timezone.localtime(world.events[0][0].start):%Y-%m}"


SERIES_DE = "/de/werkstaetten/werkstattreihe-labore-sozialer-innovation/"
SERIES_EN = "/en/workshops/workshop-series-labs-of-social-innovation/"
FOCUS_EVENT_DE = f"{SERIES_DE}testwerkstatt-0/"
LAB_LISTING = (
    "serve, the topics of the listed labs and their names localized, the cities, "
    "one count per facet (phase, city, topic), the page's count, its labs with hero images, "
    "their renditions, the sector mix of all shown labs, chrome"
)
ACTOR_LISTING = (
    "serve, the labs of the language for the lab facet, one "
    "count per facet (sector, lab), the page's count, its actors with logos, their renditions, "
    "chrome"
)
EVENT_LISTING = (
    "serve, the series, the labs for the lab "
    "facet, the month options, one count per facet (series, lab, format, month), the page's "
    "count, its workshops with images, their renditions, their venues localized, chrome"
)
EVENT_FEED = (
    "serve, the series, the labs (the filters), the month options, "
    "the workshops (one query, however many), their venues localized"
)
CALENDAR_EXTRAS = (
    "the workshops' venues localized, their series, their calendar sequences, the portal "
    "settings (the contact address for ORGANIZER), the organisers (localized)"
)
FORM = "the form's privacy link: portal settings, the privacy page, the locale"
LIBRARY_LISTING = (
    "serve, the topics of the listed materials and their names localized, one count "
    "per facet (phase, type, topic, audience), the page's count, its materials, their files "
    "(documents, collection restrictions), chrome"
)

# fmt: off
BUDGETS = [
    Budget("home page", "/de/", 17,
           "serve(home); the next workshops with images, their renditions, their venues "
           "localized; the featured "
           "lab rows, those labs localized with hero images, their renditions, their "
           "sector mix; the partner strip's actors with logos, their renditions; the "
           "directories (children, one query per page type: 3); cache version, hero image, "
           "translations; the body's page link (the page, the locale)"),
    Budget("home page en", "/en/", 18,
           "as German with the newest labs instead of featured ones (the same count), "
           "the body's page link localized (+1)"),
    Budget("content page", "/de/ueber-das-projekt/", 5, "serve, chrome"),
    Budget("content page en", "/en/about-the-project/", 5, "serve, chrome"),
    Budget("lab directory", "/de/labore/", 15, LAB_LISTING),
    Budget("lab directory en", "/en/labs/", 15, LAB_LISTING + ""),
    Budget("lab directory page 2", "/de/labore/?page=2", 15, LAB_LISTING),
    Budget("lab directory by phase", "/de/labore/?phase=2", 15, LAB_LISTING),
    Budget("lab directory by city", "/de/labore/?city=Teststadt", 15, LAB_LISTING),
    Budget("lab directory by topic", "/de/labore/?topic=thema-1", 15, LAB_LISTING),
    Budget("lab directory all filters", "/en/labs/?phase=2&city=Teststadt&topic=thema-0", 15,
           LAB_LISTING + ""),
    Budget("lab page", "/de/labore/testlabor-0/", 14,
           "serve; partner rows with actors, the partners localized with logos, "
           "their renditions; sector mix; topics, localized; contacts; cache version, hero "
           "image, translations, breadcrumbs; the lab's next workshops"),
    Budget("lab page en", "/en/labs/test-lab-0/", 14, "as German"),
    Budget("actor directory", "/de/akteure/", 11, ACTOR_LISTING),
    Budget("actor directory en", "/en/partners/", 11, ACTOR_LISTING + ""),
    Budget("actor directory by sector", "/de/akteure/?sector=civil_society", 11, ACTOR_LISTING),
    Budget("actor directory by lab", lambda w: f"/de/akteure/?lab={focus_lab(w)}", 11,
           ACTOR_LISTING),
    Budget("actor page", "/de/akteure/testakteur-0/", 8,
           "serve; its partner rows with labs (takes part in); cache version, logo, "
           "translations, breadcrumbs; the actor's workshops"),
    Budget("actor page en", "/en/partners/test-actor-0/", 8, "as German"),
    Budget("workshop directory", "/de/werkstaetten/", 16, EVENT_LISTING),
    Budget("workshop directory en", "/en/workshops/", 16,
           EVENT_LISTING + ""),
    Budget("workshop directory by format", "/de/werkstaetten/?format=in_person", 16,
           EVENT_LISTING),
    Budget("workshop directory by lab", lambda w: f"/de/werkstaetten/?lab={focus_lab(w)}", 16,
           EVENT_LISTING),
    Budget("workshop directory by series",
           lambda w: f"/de/werkstaetten/?series={w.series.pk}", 16, EVENT_LISTING),
    Budget("workshop directory by month",
           lambda w: f"/de/werkstaetten/?month={focus_month(w)}", 16, EVENT_LISTING),
    Budget("workshop archive", "/de/werkstaetten/?when=past", 17,
           EVENT_LISTING + "; the documentation facet's count"),
    Budget("workshop archive en", "/en/workshops/?when=past&format=in_person", 17,
           EVENT_LISTING + "; the documentation facet's count"),
    Budget("workshop atom feed", "/de/werkstaetten/feed/", 8, EVENT_FEED),
    Budget("workshop atom feed en", "/en/workshops/feed/?format=in_person", 8,
           EVENT_FEED + ""),
    Budget("workshop calendar", "/de/werkstaetten/calendar/", 12,
           f"{EVENT_FEED}; {CALENDAR_EXTRAS}"),
    Budget("workshop calendar by lab",
           lambda w: f"/de/werkstaetten/calendar/?lab={focus_lab(w)}", 12,
           f"{EVENT_FEED}; {CALENDAR_EXTRAS}"),
    Budget("series page", SERIES_DE, 7, "serve; its parts; chrome"),
    Budget("series page en", SERIES_EN, 7, "as German"),
    Budget("series calendar", f"{SERIES_DE}calendar/", 9,
           f"serve; its parts; {CALENDAR_EXTRAS}"),
    Budget("workshop page with registration form", FOCUS_EVENT_DE, 23,
           "serve; the series' parts; speakers with actors and photos, the photos' "
           "renditions; the speakers' actors localized; the organiser, localized; the "
           "related labs, localized; the registration rules' locale, the registration "
           "counts; image; agenda; its venue localized; its calendar record (earlier starts); "
           "cache version, translations, breadcrumbs; " + FORM),
    Budget("workshop page en", f"{SERIES_EN}test-workshop-0/", 25,
           "as German, +1 the German page's registration rules, +1 the "
           "privacy page localized"),
    Budget("past workshop page", "/de/werkstaetten/vergangen-1/", 16,
           "serve, its parent's specific row; speakers, their actor localized; the "
           "organiser, localized; the related labs, localized; image; agenda; its venue "
           "localized; its calendar record; chrome (no series, no registration, no "
           "documentation)"),
    Budget("workshop calendar file", f"{FOCUS_EVENT_DE}calendar/", 9,
           f"serve; {CALENDAR_EXTRAS}"),
    Budget("registration GET", f"{FOCUS_EVENT_DE}register/", 3,
           "cache version, serve, then a redirect to the form", status=302),
    Budget("registration sent", f"{FOCUS_EVENT_DE}register/sent/", 4,
           "serve, cache version, translations"),
    Budget("library", "/de/wissen/", 15, LIBRARY_LISTING),
    Budget("library en", "/en/knowledge/", 15, LIBRARY_LISTING + ""),
    Budget("library page 2", "/de/wissen/?page=2", 15, LIBRARY_LISTING),
    Budget("library by phase", "/de/wissen/?phase=1", 15, LIBRARY_LISTING),
    Budget("library by type", "/de/wissen/?type=guide", 15, LIBRARY_LISTING),
    Budget("library by topic", "/de/wissen/?topic=thema-1", 15, LIBRARY_LISTING),
    Budget("library by audience", "/en/knowledge/?audience=administration", 15,
           LIBRARY_LISTING + ""),
    Budget("library all filters",
           "/de/wissen/?phase=1&type=guide&topic=thema-0&audience=administration", 15,
           LIBRARY_LISTING),
    Budget("way through the phases", "/de/wissen/phases/", 10,
           "serve; the phase steps with their workshops, the workshops localized; "
           "the materials, their files (documents, restrictions); chrome"),
    Budget("material page", "/de/wissen/testmaterial-0/", 13,
           "serve; its files (documents, restrictions); its workshops, localized; "
           "its labs, localized; its topics, localized; its library (JSON-LD); chrome"),
    Budget("material page en", "/en/knowledge/test-material-0/", 13,
           "as German"),
    Budget("documented workshop page", "/de/werkstaetten/vergangen-0/", 18,
           "as the past workshop page without a speaker (22); its files (documents, "
           "restrictions); the materials used"),
    Budget("search", "/de/suche/?q=Testlabor", 9,
           "cache version; the query's hit count (query, daily hits, update); the result "
           "page (ids and types, then one query per page type on it: labs only here); "
           "the site's promotions, their pages' locale; the home page's "
           "translations. The full-text search itself is shared until the next change (the "
           "warm request ran it)"),
    Budget("search en by type", "/en/search/?q=Test+lab&type=lab", 6,
           "as German without the hit count (a filtered search counts no hit)"),
    Budget("search by type", "/de/suche/?q=Test&type=workshop", 6,
           "as the search without the hit count (a filtered search counts no hit)"),
    Budget("search without results", "/de/suche/?q=Quokka", 13,
           "cache version; hit count (3); the site's promotions, locale; the "
           "directories to look in instead (locale, the pages, one query per page type: "
           "4); the home page's translations"),
    Budget("search form", "/de/suche/", 2, "cache version, the home page's translations"),
    Budget("search suggestions", "/de/suche/vorschlaege/?q=Tes", 5,
           "cache version (suggestions come from the site's pages only), locale, the "
           "prefix search in a savepoint (3)"),
    Budget("sitemap", "/sitemap.xml", 4,
           "cache version, the home pages in all languages, the count and the pages"),
    Budget("robots.txt", "/robots.txt", 1, "cache version"),
    Budget("liveness", "/health/live", 0, "none: the process answers"),
    Budget("readiness", "/health/ready", 2, "SELECT 1, the applied migrations"),
    Budget("theme stylesheet", "/theme.css", 2, "cache version, portal settings"),
    Budget("language redirect", "/", 3,
           "cache version, the home pages, Wagtail's redirects", status=302),
    Budget("not found", "/de/gibt-es-nicht/", 4,
           "cache version, the missing child, the home pages, Wagtail's redirects", status=404),
    Budget("imprint", "/de/impressum/", 5, "serve, chrome"),
    Budget("privacy en", "/en/privacy/", 5, "serve, chrome"),
    Budget("accessibility statement", "/de/barrierefreiheit/", 8,
           "serve, chrome, " + FORM),
    Budget("barrier report GET", "/de/barrierefreiheit/feedback/", 3,
           "cache version, serve, then a redirect to the form", status=302),
    Budget("barrier report sent", "/en/accessibility/feedback/sent/", 5,
           "serve, chrome"),
    Budget("easy language", "/de/leichte-sprache/", 5, "serve, chrome"),
    Budget("sign language en", "/en/sign-language/", 5, "serve, chrome"),
    Budget("network page", "/de/netzwerk/", 8,
           "serve, chrome, the site's sources, the count, the items with their source"),
    Budget("network page en by source", "/en/network/?source=1", 7,
           "serve, chrome, sources, the count, the items"),
    Budget("webfinger", "/.well-known/webfinger?resource=acct:werkstaetten@testserver", 3,
           "cache version, network settings, the directory"),
    Budget("actor", "/ap/actor", 7,
           "cache version, network settings, site texts (de, en), portal settings, key pair, "
           "directory"),
    Budget("instance actor", "/ap/instance", 2, "cache version, the instance key pair"),
    Budget("outbox", "/ap/actor/outbox", 6,
           "cache version, the count, the workshops with images and renditions, venues, "
           "translations"),
    Budget("followers", "/ap/actor/followers", 2, "cache version, the count"),
    Budget("workshop object", lambda w: f"/ap/events/{w.events[0][0].translation_key}", 5,
           "cache version, the workshop, its image, its venue, its translations"),
]
# fmt: on


def warm_count(client, path, status) -> list:
    assert client.get(path).status_code == status, path
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == status, path
    return context.captured_queries


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda budget: budget.name.replace(" ", "-"))
def test_query_budget(client, world, db, django_assert_num_queries, request, budget):
    path = budget.path_for(world)
    expected = budget.expected()
    large = warm_count(client, path, budget.status)
    world.shrink()
    assert client.get(path).status_code == budget.status  # warm at the small size too
    info = f"{budget.name!r} ({path}) with {SMALL} of everything; with {LARGE}: {len(large)}"
    with django_assert_num_queries(expected, info=info) as small:
        response = client.get(path)
    assert response.status_code == budget.status
    message = (
        f"{budget.name!r} ({path}): {len(large)} queries with {LARGE} of everything, "
        f"{len(small)} with {SMALL}; pinned {expected}"
    )
    if request.config.getoption("verbose") > 0:
        message += "\n\n" + "\n\n".join(query["sql"] for query in large)
    assert len(large) == expected, message


# What grows between the sizes: (path, what is counted, at LARGE, at SMALL). Without it, a
# budget could pass because the world failed to multiply what the page shows.
GROWTH = [
    ("/de/labore/", ".card__title", 12, SMALL),
    ("/de/labore/testlabor-0/", ".partner-list__item", LARGE, SMALL),
    ("/de/labore/testlabor-0/", ".partner-list__item img", LARGE, SMALL),
    ("/en/labs/test-lab-0/", ".tag-list li", LARGE, SMALL),
    ("/de/labore/testlabor-0/", ".contacts li", LARGE, SMALL),
    ("/de/labore/testlabor-0/", ".event-list li", 5, SMALL),
    ("/de/akteure/", ".card__title", 12, SMALL),
    ("/en/partners/test-actor-0/", "#labs-heading + ul li", LARGE, SMALL),
    ("/en/partners/test-actor-0/", ".event-list li", 10, 2 * SMALL),
    ("/de/werkstaetten/", ".card__title", 12, SMALL),
    ("/de/werkstaetten/?when=past", ".card__title", 12, SMALL),
    (SERIES_EN, ".series-parts__item", LARGE, SMALL),
    (FOCUS_EVENT_DE, ".speaker", LARGE, SMALL),
    (FOCUS_EVENT_DE, ".speaker img", LARGE, SMALL),
    (FOCUS_EVENT_DE, "table.agenda tbody tr", LARGE, SMALL),
    (f"{SERIES_EN}test-workshop-0/", "ul.plain-list a[href*='/labs/test-lab-']", LARGE, SMALL),
    ("/de/", ".partner-strip li", 12, SMALL),
    ("/de/suche/?q=Testlabor", ".search-result", 10, SMALL),
    ("/de/werkstaetten/calendar/", "BEGIN:VEVENT", 2 * LARGE, 2 * SMALL),
    ("/de/werkstaetten/feed/", "<entry>", LARGE, SMALL),
    ("/sitemap.xml", "test-lab-", LARGE, SMALL),
    ("/sitemap.xml", "test-material-", LARGE, SMALL),
    ("/de/wissen/", ".card__title", 12, SMALL),
    ("/de/wissen/testmaterial-0/", ".download", LARGE, SMALL),
    # every workshop, and the documented one
    ("/de/wissen/testmaterial-0/", "#workshops-heading + ul li", LARGE + 1, SMALL + 1),
    ("/en/knowledge/test-material-0/", "#labs-heading + ul li", LARGE, SMALL),
    ("/de/wissen/phases/", ".phase-guide__step ul.plain-list li", LARGE, SMALL),
    ("/de/werkstaetten/vergangen-0/", "#documentation .download", LARGE, SMALL),
    ("/de/werkstaetten/vergangen-0/", ".materials-used li", LARGE, SMALL),
    ("/de/netzwerk/", ".network-item", 12, SMALL),
    ("/ap/actor/outbox", '"type": "Create"', 20, SMALL),
]


def shown(client, path, what) -> int:
    response = client.get(path)
    assert response.status_code == 200, path
    if what.startswith((".", "#", "table", "ul")):
        return len(BeautifulSoup(response.content, "html.parser").select(what))
    return response.content.decode().count(what)


@pytest.mark.parametrize(("path", "what", "at_large", "at_small"), GROWTH)
def test_the_world_multiplies_what_pages_show(client, world, db, path, what, at_large, at_small):
    assert shown(client, path, what) == at_large
    world.shrink()
    assert shown(client, path, what) == at_small
