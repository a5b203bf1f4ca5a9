"""Labs and partner actors as visitors and editors meet them, in German and English."""

import pytest
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from labs.models import ActorIndexPage, ActorPage, LabIndexPage, LabPage
from tests.helpers import card_titles, json_ld, soup_of
from tests.labs.factories import LabPageFactory

pytestmark = pytest.mark.django_db


class LabTreeRulesTests(WagtailPageTestCase):
    def test_directories_live_under_the_home_page(self):
        self.assertAllowedParentPageTypes(LabIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(ActorIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(LabIndexPage, {LabPage})
        self.assertAllowedSubpageTypes(ActorIndexPage, {ActorPage})

    def test_labs_and_actors_only_in_their_directory(self):
        self.assertAllowedParentPageTypes(LabPage, {LabIndexPage})
        self.assertAllowedParentPageTypes(ActorPage, {ActorIndexPage})
        self.assertCanNotCreateAt(HomePage, LabPage)
        self.assertAllowedSubpageTypes(LabPage, set())
        self.assertAllowedSubpageTypes(ActorPage, set())


# --- lab pages ---------------------------------------------------------------------------


def test_lab_page_in_german_shows_journey_partners_and_place(client, demo):
    soup = soup_of(client.get("/de/labore/aelter-werden-in-der-nordstadt/"))
    assert soup.find("h1").get_text() == "Älter werden in der Nordstadt"
    steps = soup.select(".journey__step")
    assert [step.select_one(".journey__label").get_text() for step in steps] == [
        "Idee und Grundlagen",
        "Konzeptentwicklung",
        "Aufbau",
        "Verstetigung",
    ]
    assert [step.get("aria-current") for step in steps] == [None, None, "step", None]
    assert "journey__step--done" in steps[0]["class"]
    assert "journey__step--upcoming" in steps[3]["class"]
    partners = soup.select(".partner-list__item a")
    assert partners[0].get_text() == "Stadt Dortmund – Fachbereich Soziales"
    assert partners[0]["href"] == "/de/akteure/stadt-dortmund-soziales/"
    assert "Träger" in soup.select_one(".partner-list__role").get_text()
    assert "Musterstraße 12" in soup.select_one("address").get_text()


def test_english_lab_page_links_partners_to_english_actor_pages(client, demo):
    soup = soup_of(client.get("/en/labs/growing-older-in-the-nordstadt/"))
    links = {a.get_text(): a["href"] for a in soup.select(".partner-list__item a")}
    assert links["Nachbarschaftsverein Nordstadt e. V."] == (
        "/en/partners/nachbarschaftsverein-nordstadt/"
    )
    assert all(href.startswith("/en/partners/") for href in links.values())
    roles = [span.get_text() for span in soup.select(".partner-list__role")]
    assert roles[0] == "Lead organisation · Administration"
    # the German topics' order (by name), in English
    assert [a.get_text() for a in soup.select(".tag-list a")] == [
        "Civic participation",
        "Demographic change",
        "Neighbourhood",
    ]
    assert "Lab coordination" in soup.select_one(".contacts").get_text()


def test_english_actor_page_lists_its_english_labs_with_role(client, demo):
    soup = soup_of(client.get("/en/partners/stadt-dortmund-soziales/"))
    entries = [li.get_text(" ", strip=True) for li in soup.select("#labs-heading + ul li")]
    assert entries == [
        "Growing older in the Nordstadt – Lead organisation",
        "Places of learning in the neighbourhood – Lead organisation",
    ]
    hrefs = [a["href"] for a in soup.select("#labs-heading + ul a")]
    assert hrefs == [
        "/en/labs/growing-older-in-the-nordstadt/",
        "/en/labs/places-of-learning-in-the-neighbourhood/",
    ]


def test_actor_page_falls_back_to_the_german_lab_when_its_translation_is_offline(client, demo):
    german_lab = LabPage.objects.get(slug="gemeinsam-im-quartier")
    english_lab = german_lab.get_translation(demo["en"].locale)
    english_lab.unpublish()
    soup = soup_of(client.get("/en/partners/jugendrat-wuppertal/"))
    hrefs = [a["href"] for a in soup.select("#labs-heading + ul a")]
    assert hrefs == ["/de/labore/gemeinsam-im-quartier/"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/de/labore/lernorte-im-quartier/",
            {
                "Zivilgesellschaft": "1",
                "Verwaltung": "1",
                "Politik": "0",
                "Wirtschaft": "0",
                "Forschung": "0",
            },
        ),
        (
            "/en/labs/together-in-the-neighbourhood/",
            {
                "Civil society": "2",
                "Administration": "1",
                "Politics": "2",
                "Business": "1",
                "Research": "2",
            },
        ),
    ],
)
def test_sector_mix_counts_every_sector_zeros_included(client, demo, path, expected):
    soup = soup_of(client.get(path))
    rows = soup.select("table.sector-mix tbody tr")
    counts = {row.th.get_text(): row.select_one(".sector-mix__count").get_text() for row in rows}
    assert counts == expected
    widths = [rect["width"] for rect in soup.select("table.sector-mix rect")]
    assert len(widths) == 5 and max(float(w) for w in widths) == 100.0


def test_lab_without_partners_phase_or_image_renders_cleanly(client, demo):
    index = LabIndexPage.objects.get(locale__language_code="de")
    index.add_child(instance=LabPageFactory.build(title="Neues Labor", slug="neu", phase=None))
    soup = soup_of(client.get("/de/labore/neu/"))
    assert "Das Labor hat seine Phase noch nicht benannt." in soup.get_text()
    assert not soup.select('.journey__step[aria-current="step"]')
    assert [c.get_text() for c in soup.select(".sector-mix__count")] == ["0"] * 5
    assert "Noch keine Partner eingetragen." in soup.get_text()


def test_lab_structured_data(client, demo):
    soup = soup_of(client.get("/en/labs/growing-older-in-the-nordstadt/"))
    (data,) = json_ld(soup)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Project"
    assert data["name"] == "Growing older in the Nordstadt"
    assert data["location"]["address"]["addressLocality"] == "Dortmund"
    assert data["foundingDate"] == "2023-03-01"
    members = {member["name"]: member for member in data["member"]}
    assert len(members) == 7
    assert members["Quartiersladen gGmbH"]["url"] == "http://testserver/en/partners/quartiersladen/"
    assert members["Quartiersladen gGmbH"]["@type"] == "Organization"


def test_actor_structured_data_and_person_kind(client, demo):
    organisation = json_ld(soup_of(client.get("/de/akteure/quartiersladen/")))[0]
    assert organisation["@type"] == "Organization"
    assert organisation["name"] == "Quartiersladen gGmbH"
    assert organisation["address"]["addressLocality"] == "Dortmund"
    person = json_ld(soup_of(client.get("/en/partners/miriam-sommer/")))[0]
    assert person["@type"] == "Person"
    assert person["description"] == "Social scientist who facilitates the labs' workshops."


def test_actor_without_logo_renders_cleanly(client, demo):
    soup = soup_of(client.get("/de/akteure/miriam-sommer/"))
    assert soup.find("h1").get_text() == "Dr. Miriam Sommer"
    assert not soup.select("img.actor__logo")


# --- directories --------------------------------------------------------------------------


def option_counts(soup, name):
    select = soup.select_one(f'select[name="{name}"]')
    return {
        option.get_text().rsplit(" (", 1)[0]: option.get_text()
        for option in select.select("option")[1:]
    }


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        # alphabetical as German readers expect: "Älter" with the A's, not after Z
        ("", ["Älter werden in der Nordstadt", "Gemeinsam im Quartier", "Lernorte im Quartier"]),
        ("?phase=3", ["Älter werden in der Nordstadt"]),
        ("?city=Wuppertal", ["Gemeinsam im Quartier"]),
        ("?topic=bildung", ["Lernorte im Quartier"]),
        ("?topic=beteiligung&city=Dortmund", ["Älter werden in der Nordstadt"]),
        ("?phase=1&city=Dortmund&topic=bildung", ["Lernorte im Quartier"]),
        ("?phase=2&city=Dortmund", []),
    ],
)
def test_lab_directory_filters(client, demo, query, titles):
    soup = soup_of(client.get("/de/labore/" + query))
    assert card_titles(soup) == titles
    if not titles:
        assert "Kein Labor passt zu dieser Auswahl." in soup.select_one(".no-results").get_text()


def test_lab_directory_counts_options_against_the_other_filters(client, demo):
    soup = soup_of(client.get("/de/labore/?phase=3"))
    assert option_counts(soup, "city") == {"Dortmund": "Dortmund (1)", "Wuppertal": "Wuppertal (0)"}
    # the phase facet itself counts against the other (inactive) filters: all labs
    assert option_counts(soup, "phase")["Konzeptentwicklung"] == "Konzeptentwicklung (1)"
    assert soup.select_one('select[name="phase"] option[selected]')["value"] == "3"
    english = soup_of(client.get("/en/labs/?city=Dortmund"))
    assert option_counts(english, "topic")["Education"] == "Education (1)"
    assert card_titles(english) == [
        "Growing older in the Nordstadt",
        "Places of learning in the neighbourhood",
    ]


def test_actor_directory_filters_by_sector_and_lab(client, demo):
    research = soup_of(client.get("/de/akteure/?sector=research"))
    assert card_titles(research) == [
        "Dr. Miriam Sommer",
        "Forschungsinstitut Stadt & Alter",
        "Zentrum für Beteiligungsforschung",
    ]
    lab = LabPage.objects.get(slug="gemeinsam-im-quartier")
    in_lab = soup_of(client.get(f"/de/akteure/?lab={lab.pk}"))
    assert len(card_titles(in_lab)) == 8
    combined = soup_of(client.get(f"/de/akteure/?lab={lab.pk}&sector=research"))
    assert card_titles(combined) == ["Dr. Miriam Sommer", "Zentrum für Beteiligungsforschung"]
    assert option_counts(combined, "sector")["Politik"] == "Politik (2)"


def test_english_actor_directory_filters_by_english_lab(client, demo):
    english_lab = LabPage.objects.get(slug="together-in-the-neighbourhood")
    soup = soup_of(client.get(f"/en/partners/?lab={english_lab.pk}&sector=politics"))
    assert card_titles(soup) == [
        "Ausschuss für Soziales, Familie und Gesundheit",
        "Jugendrat Wuppertal",
    ]
    assert all(a["href"].startswith("/en/partners/") for a in soup.select(".card__title a"))
    lab_options = option_counts(soup, "lab")
    assert lab_options["Together in the neighbourhood"] == "Together in the neighbourhood (2)"


@pytest.mark.parametrize(
    "query",
    [
        "?sector=unknown",
        "?phase=99",
        "?lab=abc",
        "?lab=",
        "?sector=&sector=research&sector=politics",
        "?phase=1&phase=abc",
        "?topic=%00",
        "?page=abc",
        "?page=-1",
        "?page=999999",
        "?city[]=x",
    ],
)
def test_directories_shrug_off_bad_input(client, demo, query):
    for path in ["/de/labore/", "/en/partners/", "/de/akteure/"]:
        response = client.get(path + query)
        assert response.status_code == 200, (path, query)


def test_unknown_filter_values_are_ignored(client, demo):
    assert len(card_titles(soup_of(client.get("/de/labore/?phase=99")))) == 3
    repeated = soup_of(client.get("/de/akteure/?sector=&sector=research&sector=politics"))
    assert len(card_titles(repeated)) == 3  # the first known value counts


def test_directory_paginates_and_keeps_filters_in_links(client, demo, settings):
    settings.PORTAL_PAGE_SIZE = 2
    first = soup_of(client.get("/de/akteure/?sector=research"))
    assert len(card_titles(first)) == 2
    next_link = first.select_one('.pagination a[rel="next"]')["href"]
    assert next_link == "?sector=research&page=2"
    last = soup_of(client.get("/de/akteure/" + next_link))
    assert card_titles(last) == ["Zentrum für Beteiligungsforschung"]
    assert card_titles(soup_of(client.get("/de/akteure/?sector=research&page=999"))) == (
        card_titles(last)
    )


# --- home page sections --------------------------------------------------------------------


def featured(soup):
    section = soup.find(id="featured-labs-heading").parent
    return [a.get_text() for a in section.select(".card__title a")]


def test_home_shows_newest_labs_and_partner_logos(client, demo):
    soup = soup_of(client.get("/en/"))
    assert featured(soup) == [
        "Places of learning in the neighbourhood",
        "Together in the neighbourhood",
        "Growing older in the Nordstadt",
    ]
    logos = soup.select(".partner-strip img")
    assert len(logos) == 12
    assert all(img["alt"] for img in logos)
    assert soup.select_one(".partner-strip a")["href"].startswith("/en/partners/")


def test_home_shows_editor_chosen_labs_in_the_visitors_language(client, demo):
    from home.models import HomeFeaturedLab

    HomeFeaturedLab.objects.create(
        home=demo["de"], lab=LabPage.objects.get(slug="gemeinsam-im-quartier")
    )
    HomeFeaturedLab.objects.create(
        home=demo["en"], lab=LabPage.objects.get(slug="gemeinsam-im-quartier")
    )
    assert featured(soup_of(client.get("/de/"))) == ["Gemeinsam im Quartier"]
    assert featured(soup_of(client.get("/en/"))) == ["Together in the neighbourhood"]


def test_sector_mix_counts_only_published_partners(client, demo):
    ActorPage.objects.get(slug="quartiersladen", locale__language_code="de").unpublish()
    soup = soup_of(client.get("/de/labore/aelter-werden-in-der-nordstadt/"))
    counts = {
        row.th.get_text(): row.select_one(".sector-mix__count").get_text()
        for row in soup.select("table.sector-mix tbody tr")
    }
    assert counts["Wirtschaft"] == "1"
    assert len(soup.select(".partner-list__item")) == 6


def test_german_alphabetical_order_on_every_database(client, demo):
    index = LabIndexPage.objects.get(locale__language_code="de")
    index.add_child(instance=LabPageFactory.build(title="Zukunftswerkstatt", slug="zukunft"))
    index.add_child(instance=LabPageFactory.build(title="Übergänge gestalten", slug="uebergaenge"))
    assert card_titles(soup_of(client.get("/de/labore/"))) == [
        "Älter werden in der Nordstadt",
        "Gemeinsam im Quartier",
        "Lernorte im Quartier",
        "Übergänge gestalten",
        "Zukunftswerkstatt",
    ]
