"""Several municipalities in one installation: `setup_portal --site`, and nothing of one
site shows on another's host (pages, search, feeds, calendars, sitemap, page cache) or can
be edited by the other's staff."""

import json

import pytest
from defusedxml import ElementTree
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.models import Collection, GroupSitePermission, Locale, Page, Site, WorkflowPage

from portal.demo import load_second_site
from portal.models import PortalSettings

LINDENTAL = "lindental.localhost"
# Words only the default (KoSI-Lab) demo has, and words only Lindental's has.
DEFAULT_ONLY = ["Nordstadt", "Nachbarschaftsverein", "Quartiersladen", "Dortmund und Wuppertal"]
LINDENTAL_ONLY = ["Lindental", "Dorfladen", "Dorfverein"]


@pytest.fixture
def lindental(demo):
    load_second_site()
    return Site.objects.get(hostname=LINDENTAL)


def on(client, host, path, **params):
    return client.get(path, params, HTTP_HOST=host)


def test_a_new_municipality_gets_a_complete_site_in_one_command(db, demo):
    call_command("setup_portal", site="Lindental", hostname="Lindental.localhost", stdout=None)
    site = Site.objects.get(hostname=LINDENTAL)
    homes = site.root_page.get_translations(inclusive=True)
    assert sorted(home.locale.language_code for home in homes) == ["de", "en"]
    for home in homes:
        children = {page.slug for page in home.get_children().live()}
        # legal (3), easy and sign language, directories (3), the knowledge library
        assert len(children) == 9, children
    assert site.port == 80 and site.root_url == "http://lindental.localhost"
    settings = PortalSettings.for_site(site)
    assert settings.imprint_page.get_site() == site
    assert settings.privacy_page.get_site() == site
    groups = {group.name: group for group in Group.objects.filter(name__endswith=" Lindental")}
    assert set(groups) == {"Redaktion Lindental", "Freigabe Lindental", "Administration Lindental"}
    for group in groups.values():
        granted = {permission.page_id for permission in group.page_permissions.all()}
        assert granted == {home.pk for home in homes}
    assert GroupSitePermission.objects.filter(
        group=groups["Administration Lindental"], site=site
    ).exists()
    assert Collection.objects.filter(name="Lindental").exists()
    workflows = {row.page_id: row.workflow.name for row in WorkflowPage.objects.all()}
    for home in homes:
        assert workflows[home.pk] == "Redaktionelle Prüfung → Freigabe (Lindental)"
    pages = Page.objects.count()
    call_command("setup_portal", site="Lindental", hostname=LINDENTAL, stdout=None)
    assert Page.objects.count() == pages  # idempotent


def test_the_installations_own_roles_step_back_to_the_default_site(lindental):
    default = Site.objects.get(is_default_site=True)
    default_homes = {home.pk for home in default.root_page.get_translations(inclusive=True)}
    for name in ["Redaktion", "Freigabe", "Administration"]:
        granted = {row.page_id for row in Group.objects.get(name=name).page_permissions.all()}
        assert granted == default_homes, name


@pytest.mark.parametrize(
    ("user", "own_site"),
    [("redaktion", True), ("redaktion-lindental", False), ("freigabe-lindental", False)],
)
def test_staff_edit_only_their_own_municipalitys_pages(client, lindental, user, own_site):
    call_command("load_demo_content", stdout=None)  # the demo's users of both sites
    default_page = Page.objects.get(url_path="/home/ueber-das-projekt/")
    lindental_page = Page.objects.get(url_path="/lindental/labore/dorfladen-der-zukunft/")
    client.force_login(get_user_model().objects.get(username=user))
    mine, theirs = (default_page, lindental_page) if own_site else (lindental_page, default_page)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[theirs.pk])).status_code in (
        302,
        403,
    )


@pytest.mark.parametrize(
    "path",
    [
        "/de/",
        "/en/",
        "/de/labore/",
        "/de/akteure/",
        "/de/werkstaetten/",
        "/de/werkstaetten/feed/",
        "/de/werkstaetten/calendar/",
        "/en/workshops/feed/",
        "/de/impressum/",
        "/sitemap.xml",
        "/robots.txt",
    ],
)
def test_each_host_shows_only_its_own_municipality(client, lindental, path):
    theirs = on(client, LINDENTAL, path)
    assert theirs.status_code == 200, path
    text = theirs.content.decode()
    for word in DEFAULT_ONLY:
        assert word not in text, (path, word)
    ours = on(client, "localhost", path)
    for word in LINDENTAL_ONLY:
        assert word not in ours.content.decode(), (path, word)


def test_lindentals_own_content_is_served_on_its_host(client, lindental):
    home = on(client, LINDENTAL, "/de/").content.decode()
    assert "Labor Lindental" in home and "Dorfwerkstatt" in home
    assert "Gemeinde Lindental" in home  # its site texts, not the default site's
    assert "Dorfladen der Zukunft" in on(client, LINDENTAL, "/de/labore/").content.decode()
    sitemap = ElementTree.fromstring(on(client, LINDENTAL, "/sitemap.xml").content)
    locations = [element.text for element in sitemap.iter() if element.tag.endswith("loc")]
    assert locations and all(url.startswith("http://lindental.localhost/") for url in locations)
    assert any("/en/" in url for url in locations)  # the English tree too


@pytest.mark.parametrize(("language", "word"), [("de", "Werkstatt"), ("en", "workshop")])
def test_search_and_suggestions_stay_on_their_site(client, lindental, language, word):
    with translation.override(language):
        search, suggest = reverse("search"), reverse("search_suggestions")
    for host, foreign in [(LINDENTAL, DEFAULT_ONLY), ("localhost", LINDENTAL_ONLY)]:
        results = on(client, host, search, q=word).content.decode()
        titles = json.loads(on(client, host, suggest, q=word[:4]).content)["suggestions"]
        for other in foreign:
            assert other not in results, (host, other)
            assert not any(other in title for title in titles), (host, other)
    lindental_results = on(client, LINDENTAL, search, q="Dorfladen").content.decode()
    assert "Dorfladen" in lindental_results


def test_the_page_cache_never_serves_one_sites_page_on_another(client, lindental, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    first = on(client, "localhost", "/de/")
    assert first["X-Cache"] == "MISS"
    other = on(client, LINDENTAL, "/de/")
    assert other["X-Cache"] == "MISS"
    assert "Labor Lindental" in other.content.decode()
    assert on(client, "127.0.0.1", "/de/")["X-Cache"] == "HIT"  # same site, same entry
    assert "Labor Lindental" in on(client, LINDENTAL, "/de/").content.decode()


def test_a_change_in_one_municipality_leaves_the_others_cached_pages(client, lindental, settings):
    from labs.models import LabPage, Topic
    from portal.models import PortalSettings

    settings.PORTAL_PAGE_CACHE_SECONDS = 600
    paths = ["/de/", "/de/labore/", "/en/"]

    def states(host):
        return [on(client, host, path)["X-Cache"] for path in paths]

    def warm():
        for host in ("localhost", LINDENTAL):
            states(host)
            assert states(host) == ["HIT"] * len(paths), host

    warm()
    lab = LabPage.objects.get(slug="dorfladen-der-zukunft")
    lab.title = "Dorfladen von morgen"
    lab.save_revision().publish()
    assert states("localhost") == ["HIT"] * len(paths)  # the other municipality's
    assert states(LINDENTAL) == ["MISS"] * len(paths)
    assert "Dorfladen von morgen" in on(client, LINDENTAL, "/de/labore/").content.decode()

    warm()
    kosi_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    kosi_settings.contact_phone = "0231 123456"
    kosi_settings.save()
    assert states(LINDENTAL) == ["HIT"] * len(paths)
    assert states("localhost") == ["MISS"] * len(paths)

    warm()
    topic = Topic.objects.first()  # shared by every site: all go stale
    topic.name = f"{topic.name} "
    topic.save()
    assert states(LINDENTAL) == ["MISS"] * len(paths)
    assert states("localhost") == ["MISS"] * len(paths)


def test_an_unknown_host_is_still_refused(client, lindental):
    assert on(client, "evil.example", "/de/").status_code == 400


@pytest.fixture
def lindental_staff(client, lindental):
    call_command("load_demo_content", stdout=None)  # the demo's users of both sites

    def login(username):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return login


def test_the_page_chooser_offers_only_the_editors_own_site(lindental_staff):
    client = lindental_staff("redaktion-lindental")
    found = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Nordstadt"})
    assert "Nordstadt" not in found.content.decode()
    own = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Dorfladen"})
    assert "Dorfladen" in own.content.decode()
    root_children = json.loads(
        client.get(
            reverse("wagtailadmin_choose_page_child", args=[Page.get_first_root_node().pk])
        ).content
    )["html"]

    def browse_link(site):
        return reverse("wagtailadmin_choose_page_child", args=[site.root_page_id])

    assert browse_link(Site.objects.get(hostname=LINDENTAL)) in root_children
    assert browse_link(Site.objects.get(is_default_site=True)) not in root_children


def test_registrations_stay_with_the_events_municipality(lindental_staff):
    from events.models import EventPage, Registration
    from events.registration import rules_page_for_key
    from tests.events.factories import RegistrationFactory

    kosi_event = rules_page_for_key(
        EventPage.objects.get(url_path__endswith="/konzeptentwicklung/").translation_key
    )
    lindental_event = EventPage.objects.get(slug="dorfwerkstatt-dorfladen")
    RegistrationFactory(event=kosi_event, email="zwei-orte@example.org", name="Anna Kosi")
    RegistrationFactory(event=lindental_event, email="zwei-orte@example.org", name="Anna Linde")
    client = lindental_staff("freigabe-lindental")
    index = client.get(reverse("event_registrations:index")).content.decode()
    assert "Dorfwerkstatt" in index and "Konzeptentwicklung" not in index
    key = kosi_event.translation_key
    # not found (Django's LocaleMiddleware turns the admin's 404 into a redirect to /de/…)
    for name in ["event_registrations:event", "event_registrations:export"]:
        response = client.get(reverse(name, args=[key]))
        assert response.status_code in (302, 404) and b"Anna Kosi" not in response.content
    kosi_registration = Registration.objects.get(name="Anna Kosi")
    cancel = reverse("event_registrations:change", args=[kosi_registration.pk, "cancel"])
    assert client.post(cancel).status_code in (302, 404)
    assert Registration.objects.get(pk=kosi_registration.pk).status == "confirmed"
    person = client.post(reverse("event_registrations:person"), {"email": "zwei-orte@example.org"})
    text = person.content.decode()
    assert "Anna Linde" in text and "Anna Kosi" not in text
    client.post(reverse("event_registrations:erase"), {"email": "zwei-orte@example.org"})
    assert Registration.objects.get(pk=kosi_registration.pk).name == "Anna Kosi"
    assert Registration.objects.filter(name="Anna Linde").count() == 0  # erased
    own = reverse("event_registrations:export", args=[lindental_event.translation_key])
    assert client.get(own).status_code == 200


def test_queries_per_request_do_not_grow_with_the_number_of_sites(client, demo):
    """Five sites cost a request no more queries than one (pinned budgets of every page
    type: tests/test_query_budgets.py)."""
    import io

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    paths = ["/de/", "/en/labs/", "/de/akteure/", "/de/werkstaetten/", "/de/suche/?q=Labor"]
    paths += ["/de/ueber-das-projekt/", "/sitemap.xml", "/de/werkstaetten/feed/"]

    def counts():
        measured = {}
        for path in paths:
            client.get(path)  # warm: the shared chrome and search results
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200, path
            measured[path] = len(queries)
        return measured

    one_site = counts()
    for number in range(1, 5):
        call_command(
            "setup_portal",
            site=f"Gemeinde {number}",
            hostname=f"gemeinde{number}.localhost",
            stdout=io.StringIO(),
        )
    assert Site.objects.count() == 5
    assert counts() == one_site


def test_barrier_reports_stay_with_the_municipality_they_were_sent_to(lindental_staff):
    from home.models import AccessibilityStatementPage, BarrierReport

    lindental = Site.objects.get(hostname=LINDENTAL)
    for site, words in [(lindental, "Rampe im Rathaus fehlt"), (None, "Kontrast zu gering")]:
        site = site or Site.objects.get(is_default_site=True)
        statement = AccessibilityStatementPage.objects.get(
            locale__language_code="de", path__startswith=site.root_page.path
        )
        client = lindental_staff("freigabe-lindental")
        client.logout()
        response = client.post(
            f"{statement.url}feedback/", {"description": words}, HTTP_HOST=site.hostname
        )
        assert response.status_code == 302
        assert BarrierReport.objects.get(description=words).site == site
    client = lindental_staff("freigabe-lindental")
    listing = client.get("/admin/barrier_reports/").content.decode()
    assert "Rampe im Rathaus fehlt" in listing and "Kontrast zu gering" not in listing
    theirs = BarrierReport.objects.get(description="Kontrast zu gering")
    response = client.get(f"/admin/barrier_reports/edit/{theirs.pk}/")
    assert response.status_code in (302, 404) and b"Kontrast zu gering" not in response.content
    own = BarrierReport.objects.get(description="Rampe im Rathaus fehlt")
    assert client.get(f"/admin/barrier_reports/edit/{own.pk}/").status_code == 200


def test_an_events_lab_choice_offers_only_its_own_sites_labs(lindental_staff):
    from events.models import EventPage

    client = lindental_staff("redaktion-lindental")
    event = EventPage.objects.get(slug="dorfwerkstatt-dorfladen")
    form = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    assert "Dorfladen der Zukunft" in form
    assert "Älter werden in der Nordstadt" not in form


def test_not_found_pages_and_the_theme_are_each_sites_own(client, lindental):
    missing = on(client, LINDENTAL, "/de/gibt-es-nicht/")
    assert missing.status_code == 404
    text = missing.content.decode()
    assert "KoSI-Lab Lindental" in text
    assert not any(word in text for word in DEFAULT_ONLY)
    assert "#1f6b3a" in on(client, LINDENTAL, "/theme.css").content.decode()
    assert "#1f6b3a" not in on(client, "localhost", "/theme.css").content.decode()


def test_a_translation_on_a_municipalitys_site_goes_through_its_own_workflow(lindental_staff):
    from wagtail_localize.models import TranslationSource

    from labs.models import LabPage

    lab = LabPage.objects.get(slug="dorfladen-der-zukunft")
    english_lab = lab.get_translation(Locale.objects.get(language_code="en"))
    english_lab.delete()
    client = lindental_staff("redaktion-lindental")
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[lab.pk]),
        {"locales": [Locale.objects.get(language_code="en").pk]},
    )
    assert response.status_code == 302
    translated = lab.get_translation(Locale.objects.get(language_code="en"))
    assert not translated.live  # a draft, not published past the workflow
    assert translated.get_workflow().name == "Redaktionelle Prüfung → Freigabe (Lindental)"
    assert TranslationSource.objects.get_for_instance_or_none(lab) is not None
