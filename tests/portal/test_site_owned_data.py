"""What belongs to one municipality in the admin besides its pages: site texts, promoted
search results, images and documents, audit log entries, reports and translations. Its own
staff see and change them; another municipality's staff neither see nor reach them."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, Locale, Page, Site

from portal.editorial.roles import collection_for
from portal.models import SiteTexts
from search.models import PromotedResult
from tests.helpers import soup_of
from tests.portal.factories import ImageFactory

LINDENTAL = "lindental.localhost"


@pytest.fixture
def sites(demo):
    """The demo of both municipalities, with its staff."""
    call_command("load_demo_content", stdout=None)
    return Site.objects.get(is_default_site=True), Site.objects.get(hostname=LINDENTAL)


@pytest.fixture
def login(client):
    def as_user(username):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return as_user


def refused(response):
    # Django's LocaleMiddleware turns the admin's 404 into a redirect to /de/…
    return response.status_code in (302, 403, 404)


def test_a_municipalitys_administration_edits_only_its_own_site_texts(sites, login):
    kosi, lindental = sites
    client = login("administration-lindental")
    theirs = SiteTexts.objects.get(site=kosi, locale__language_code="de")
    own = SiteTexts.objects.get(site=lindental, locale__language_code="de")
    listing = client.get(reverse("wagtailsnippets_portal_sitetexts:list")).content.decode()
    assert str(own) in listing and str(theirs) not in listing
    for name in ["edit", "delete", "history", "usage"]:
        url = reverse(f"wagtailsnippets_portal_sitetexts:{name}", args=[theirs.pk])
        assert refused(client.get(url)), name
    response = client.post(
        reverse("wagtailsnippets_portal_sitetexts:edit", args=[theirs.pk]),
        {"site": kosi.pk, "site_name": "Übernommen", "municipality": "x", "funding_notice": "x"},
    )
    assert refused(response)
    assert SiteTexts.objects.get(pk=theirs.pk).site_name != "Übernommen"
    translate = reverse(
        "wagtail_localize:submit_snippet_translation", args=["portal", "sitetexts", theirs.pk]
    )
    assert refused(client.get(translate))

    edit = client.get(reverse("wagtailsnippets_portal_sitetexts:edit", args=[own.pk]))
    assert edit.status_code == 200
    choices = [option.get("value") for option in soup_of(edit).select("select[name=site] option")]
    assert choices == ["", str(lindental.pk)] or choices == [str(lindental.pk)]
    response = client.post(
        reverse("wagtailsnippets_portal_sitetexts:edit", args=[own.pk]),
        {
            "site": lindental.pk,
            "site_name": "KoSI-Lab Lindental",
            "municipality": own.municipality,
            "tagline": own.tagline,
            "funding_notice": own.funding_notice,
            "funder_name": own.funder_name,
        },
    )
    assert response.status_code == 302
    assert SiteTexts.objects.get(pk=own.pk).site_name == "KoSI-Lab Lindental"
    # nor can it move its texts to the other site
    client.post(
        reverse("wagtailsnippets_portal_sitetexts:edit", args=[own.pk]),
        {"site": kosi.pk, "site_name": "x", "municipality": "x", "funding_notice": "x"},
    )
    assert SiteTexts.objects.get(pk=own.pk).site == lindental


def promote(site, term, page):
    return PromotedResult.objects.create(site=site, search_term=term, page=page)


def test_promoted_search_results_belong_to_one_site(sites, login, client):
    kosi, lindental = sites
    kosi_page = Page.objects.get(slug="aelter-werden-in-der-nordstadt").specific
    lindental_page = Page.objects.get(slug="dorfladen-der-zukunft").specific
    theirs = promote(kosi, "Zukunft", kosi_page)
    own = promote(lindental, "zukunft", lindental_page)

    def recommended(host):
        response = client.get("/de/suche/", {"q": "ZUKUNFT"}, HTTP_HOST=host)
        return [a.get_text() for a in soup_of(response).select(".search-promoted a")]

    assert recommended(LINDENTAL) == [lindental_page.title]
    assert recommended("localhost") == [kosi_page.title]

    admin = login("administration-lindental")
    listing = admin.get(reverse("wagtailsnippets_search_promotedresult:list")).content.decode()
    assert lindental_page.title in listing and kosi_page.title not in listing
    for name in ["edit", "delete", "history"]:
        url = reverse(f"wagtailsnippets_search_promotedresult:{name}", args=[theirs.pk])
        assert refused(admin.get(url)), name
    add = admin.get(reverse("wagtailsnippets_search_promotedresult:add"))
    sites_offered = [o.get("value") for o in soup_of(add).select("select[name=site] option")]
    assert str(kosi.pk) not in sites_offered and str(lindental.pk) in sites_offered
    # "select all" in the bulk deletion takes only the municipality's own
    bulk = reverse("wagtail_bulk_action", args=["search", "promotedresult", "delete"]) + "?id=all"
    confirmation = admin.get(bulk).content.decode()
    assert kosi_page.title not in confirmation
    admin.post(bulk)
    assert list(PromotedResult.objects.all()) == [theirs]
    assert own.pk not in PromotedResult.objects.values_list("pk", flat=True)
    # Wagtail's installation-wide promotions lead here
    old_admin = admin.get("/admin/searchpicks/")
    assert old_admin["Location"] == reverse("wagtailsnippets_search_promotedresult:list")


def test_the_audit_log_shows_each_municipality_only_its_own(sites, login):
    from events.models import EventPage
    from tests.events.factories import RegistrationFactory

    kosi, lindental = sites
    superuser = get_user_model().objects.create_superuser("chef", "chef@example.org", "x")
    kosi_texts = SiteTexts.objects.get(site=kosi, locale__language_code="de")
    own_texts = SiteTexts.objects.get(site=lindental, locale__language_code="de")
    log(kosi_texts, "wagtail.edit", user=superuser)
    log(own_texts, "wagtail.edit", user=superuser)
    kosi_event = EventPage.objects.get(url_path__endswith="/konzeptentwicklung/")
    registration = RegistrationFactory(event=kosi_event)
    log(registration, "events.registration.cancel", user=superuser)
    kosi_image = ImageFactory(title="Luftbild Nordstadt", collection=collection_for(kosi))
    log(kosi_image, "wagtail.edit", user=superuser)

    def history(username, label):
        response = login(username).get(
            reverse("wagtailadmin_reports:site_history"), {"label": label}
        )
        return " ".join(cell.get_text(" ", strip=True) for cell in soup_of(response).select("td"))

    assert str(own_texts) in history("administration-lindental", "KoSI-Lab")
    assert str(kosi_texts) not in history("administration-lindental", "KoSI-Lab")
    assert str(registration) not in history("freigabe-lindental", str(registration))
    assert "Luftbild" not in history("administration-lindental", "Luftbild")
    # the installation's staff see every site's
    assert str(kosi_texts) in history("chef", "KoSI-Lab")
    assert str(own_texts) in history("chef", "KoSI-Lab")
    assert str(registration) in history("chef", str(registration))
    assert "Luftbild" in history("chef", "Luftbild")
    # and each municipality its own
    assert str(kosi_texts) in history("administration", "KoSI-Lab")
    assert "Luftbild" in history("administration", "Luftbild")


def test_images_and_documents_stay_in_their_municipalitys_collection(sites, login):
    kosi, lindental = sites
    # the default site's images left the root collection when the second site came
    root = Collection.get_first_root_node()
    assert not get_image_model().objects.filter(collection=root).exists()
    kosi_image = ImageFactory(title="Luftbild Nordstadt", collection=collection_for(kosi))
    own_image = ImageFactory(title="Dorfplatz Lindental", collection=collection_for(lindental))
    for username, visible, hidden in [
        ("redaktion-lindental", own_image, kosi_image),
        ("redaktion", kosi_image, own_image),
    ]:
        client = login(username)
        for url in [reverse("wagtailimages:index"), reverse("wagtailimages_chooser:choose")]:
            body = client.get(url).content.decode()
            assert visible.title in body, (username, url)
            assert hidden.title not in body, (username, url)
        assert refused(client.get(reverse("wagtailimages:edit", args=[hidden.pk])))
        assert client.get(reverse("wagtailimages:edit", args=[visible.pk])).status_code == 200


def test_reports_of_every_site_are_for_the_installations_staff(sites, login):
    client = login("administration-lindental")
    assert refused(client.get(reverse("wagtailadmin_reports:page_types_usage")))
    assert "page-types-usage" not in client.get(reverse("wagtailadmin_home")).content.decode()
    get_user_model().objects.create_superuser("chef", "chef@example.org", "x")
    assert login("chef").get(reverse("wagtailadmin_reports:page_types_usage")).status_code == 200


def test_translations_report_lists_only_the_municipalitys_own(sites, login):
    from wagtail_localize.models import Translation, TranslationSource

    kosi, lindental = sites
    english = Locale.objects.get(language_code="en")
    for site in sites:
        texts = SiteTexts.objects.get(site=site, locale__language_code="de")
        source, _ = TranslationSource.get_or_create_from_instance(texts)
        Translation.objects.get_or_create(source=source, target_locale=english)
    report = login("administration-lindental").get(reverse("wagtail_localize:translations_report"))
    text = report.content.decode()
    assert str(SiteTexts.objects.get(site=lindental, locale__language_code="de")) in text
    assert str(SiteTexts.objects.get(site=kosi, locale__language_code="de")) not in text
    theirs = Translation.objects.get(
        source__object_id=SiteTexts.objects.get(
            site=kosi, locale__language_code="de"
        ).translation_key
    )
    download = reverse("wagtail_localize:download_pofile", args=[theirs.pk])
    assert refused(login("administration-lindental").get(download))


def test_an_upgrade_hands_existing_promotions_and_log_entries_to_their_site(demo):
    """What the migrations do with rows written before sites owned them."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion
    from wagtail.models import ModelLogEntry

    from portal.models import SiteLogEntry

    site = Site.objects.get()
    texts = SiteTexts.objects.get(site=site, locale__language_code="de")
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(SiteTexts),
        object_id=str(texts.pk),
        label=str(texts),
        action="wagtail.edit",
        timestamp="2026-01-01T00:00Z",
    )
    page = Page.objects.get(slug="aelter-werden-in-der-nordstadt")
    SearchPromotion.objects.create(query=Query.get("Demografie"), page=page, sort_order=3)

    logs = importlib.import_module("portal.migrations.0006_site_log_entry")
    logs.move_entries_of_site_owned_rows(apps, None)
    promotions = importlib.import_module("search.migrations.0001_promoted_results")
    promotions.copy_wagtails_promotions(apps, None)

    assert not ModelLogEntry.objects.filter(label=str(texts)).exists()
    moved = SiteLogEntry.objects.get(label=str(texts))
    assert (moved.site, moved.object_id, moved.action) == (site, str(texts.pk), "wagtail.edit")
    assert not SearchPromotion.objects.exists()
    promoted = PromotedResult.objects.get()
    assert (promoted.site, promoted.search_term, promoted.page_id) == (site, "demografie", page.pk)


def test_the_go_live_checklist_is_of_the_users_own_site(sites, login):
    from home.models import ImprintPage

    def imprint_of(site):
        imprint = ImprintPage.objects.get(path__startswith=site.root_page.path)
        imprint.provider = "[Platzhalter: Name und Anschrift]"
        imprint.save()
        return reverse("wagtailadmin_pages:edit", args=[imprint.pk])

    kosi_imprint, lindental_imprint = imprint_of(sites[0]), imprint_of(sites[1])

    def checklist_links(username):
        dashboard = login(username).get(reverse("wagtailadmin_home"))  # on the default host
        return [a["href"] for a in soup_of(dashboard).select("#portal-setup-content a")]

    assert lindental_imprint in checklist_links("administration-lindental")
    assert kosi_imprint not in checklist_links("administration-lindental")
    assert kosi_imprint in checklist_links("administration")
    assert lindental_imprint not in checklist_links("administration")


def test_no_back_door_shows_another_sites_objects(sites, login):
    """Choosers, wagtail-localize's snippet API and "update translations", and the
    confirmation pages of bulk actions: nothing of the other site is found or named."""
    from wagtail_localize.models import TranslationSource

    kosi, lindental = sites
    theirs = SiteTexts.objects.get(site=kosi, locale__language_code="de")
    own = SiteTexts.objects.get(site=lindental, locale__language_code="de")
    their_page = Page.objects.get(slug="aelter-werden-in-der-nordstadt")
    their_image = ImageFactory(title="Luftbild Nordstadt", collection=collection_for(kosi))
    client = login("administration-lindental")

    chooser = client.get(reverse("wagtailsnippetchoosers_portal_sitetexts:choose"))
    assert str(own) in chooser.content.decode() and str(theirs) not in chooser.content.decode()
    chosen = reverse("wagtailsnippetchoosers_portal_sitetexts:chosen", args=[theirs.pk])
    assert refused(client.get(chosen))

    api = client.get("/admin/localize/api/snippets/portal/sitetexts/").content.decode()
    assert str(own) in api and str(theirs) not in api
    assert refused(client.get(f"/admin/localize/api/snippets/portal/sitetexts/{theirs.pk}/"))

    source, _ = TranslationSource.get_or_create_from_instance(theirs)
    update = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert refused(client.get(update))
    assert refused(client.post(update, {"publish_translations": "on"}))

    for url in [
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
        + f"?id={their_page.pk}",
        reverse("wagtail_bulk_action", args=["wagtailimages", "image", "delete"])
        + f"?id={their_image.pk}",
    ]:
        response = client.get(url)
        text = response.content.decode()
        assert their_page.title not in text and their_image.title not in text, url


def test_a_promotion_points_to_a_page_of_its_own_site(sites, login):
    lindental = sites[1]
    client = login("administration-lindental")
    their_page = Page.objects.get(slug="aelter-werden-in-der-nordstadt")
    response = client.post(
        reverse("wagtailsnippets_search_promotedresult:add"),
        {"site": lindental.pk, "search_term": "alter", "page": their_page.pk},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not PromotedResult.objects.exists()
