"""Labs and partner actors as visitors and editors meet them, in German and English."""

import datetime

import pytest
from wagtail.models import Locale
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from labs.models import ActorIndexPage, ActorPage, LabContact, LabIndexPage, LabPage, PartnerRole
from tests.helpers import card_titles, json_ld, soup_of
from tests.labs.factories import (
    ActorIndexPageFactory,
    ActorPageFactory,
    LabIndexPageFactory,
    LabPageFactory,
    TopicFactory,
    add_partners,
)
from tests.portal.factories import translated

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
    lead = ActorPageFactory(
        title="Stadt Teststadt – Fachbereich Soziales",
        slug="stadt-soziales",
        sector="administration",
    )
    lab = LabPageFactory(
        title="Älter werden im Quartier", phase=3, address="Musterstraße 12\n44147 Dortmund"
    )
    add_partners(lab, (lead, PartnerRole.LEAD), ActorPageFactory())
    soup = soup_of(client.get(lab.url))
    assert soup.find("h1").get_text() == "Älter werden im Quartier"
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
    assert len(partners) == 2
    assert partners[0].get_text() == "Stadt Teststadt – Fachbereich Soziales"
    assert partners[0]["href"] == "/de/akteure/stadt-soziales/"
    assert "Träger" in soup.select_one(".partner-list__role").get_text()
    assert "Musterstraße 12" in soup.select_one("address").get_text()


def english_topics(*names):
    """German topics with their English translation, from (German, English) names."""
    topics = []
    for german, english in names:
        topic = TopicFactory(name=german)
        translated(topic, {german: english})
        topics.append(topic)
    return topics


def test_english_lab_page_links_partners_to_english_actor_pages(client, demo):
    lead = ActorPageFactory(title="Stadt Teststadt – Soziales", sector="administration")
    club = ActorPageFactory(
        title="Nachbarschaftsverein Nordstadt e. V.", slug="nachbarschaftsverein"
    )
    # German order by name (B, D, Z) is not the English alphabetical order
    topics = english_topics(
        ("Zusammenhalt", "Cohesion"),
        ("Bürgerbeteiligung", "Civic participation"),
        ("Demografischer Wandel", "Demographic change"),
    )
    lab = LabPageFactory(
        title="Älter werden",
        slug="aelter-werden",
        topics=topics,
        contacts=[LabContact(name="Eva Muster", role="Laborkoordination")],
    )
    add_partners(lab, (lead, PartnerRole.LEAD), club)
    for actor in (lead, club):
        translated(actor)
    english_lab = translated(
        lab,
        {
            "Älter werden": "Growing older",
            "aelter-werden": "growing-older",
            "Laborkoordination": "Lab coordination",
        },
    )
    soup = soup_of(client.get(english_lab.url))
    links = {a.get_text(): a["href"] for a in soup.select(".partner-list__item a")}
    assert links["Nachbarschaftsverein Nordstadt e. V."] == "/en/partners/nachbarschaftsverein/"
    assert len(links) == 2
    assert all(href.startswith("/en/partners/") for href in links.values())
    roles = [span.get_text() for span in soup.select(".partner-list__role")]
    assert roles[0] == "Lead organisation · Administration"
    # the German topics' order (by name), in English
    assert [a.get_text() for a in soup.select(".tag-list a")] == [
        "Civic participation",
        "Demographic change",
        "Cohesion",
    ]
    assert "Lab coordination" in soup.select_one(".contacts").get_text()


def test_english_actor_page_lists_its_english_labs_with_role(client, demo):
    actor = ActorPageFactory(slug="stadt-soziales", sector="administration")
    labs = {
        ("Lernorte in Teststadt", "places-of-learning"): "Places of learning in Teststadt",
        ("Älter werden in Teststadt", "growing-older"): "Growing older in Teststadt",
    }
    for (german, slug), english in labs.items():
        lab = add_partners(LabPageFactory(title=german), (actor, PartnerRole.LEAD))
        translated(lab, {german: english, lab.slug: slug})
    english_actor = translated(actor)
    soup = soup_of(client.get(english_actor.url))
    entries = [li.get_text(" ", strip=True) for li in soup.select("#labs-heading + ul li")]
    assert entries == [
        "Growing older in Teststadt – Lead organisation",
        "Places of learning in Teststadt – Lead organisation",
    ]
    hrefs = [a["href"] for a in soup.select("#labs-heading + ul a")]
    assert hrefs == ["/en/labs/growing-older/", "/en/labs/places-of-learning/"]


def test_actor_page_falls_back_to_the_german_lab_when_its_translation_is_offline(client, demo):
    actor = ActorPageFactory(slug="jugendrat", sector="politics")
    german_lab = add_partners(LabPageFactory(slug="gemeinsam-in-teststadt"), actor)
    english_lab = translated(german_lab, {"gemeinsam-in-teststadt": "together"})
    english_actor = translated(actor)
    english_lab.unpublish()
    soup = soup_of(client.get(english_actor.url))
    hrefs = [a["href"] for a in soup.select("#labs-heading + ul a")]
    assert hrefs == ["/de/labore/gemeinsam-in-teststadt/"]


@pytest.mark.parametrize(
    ("language", "sectors", "expected"),
    [
        (
            "de",
            ["civil_society", "administration"],
            {
                "Zivilgesellschaft": "1",
                "Verwaltung": "1",
                "Politik": "0",
                "Wirtschaft": "0",
                "Forschung": "0",
            },
        ),
        (
            "en",
            [
                "civil_society",
                "civil_society",
                "administration",
                "politics",
                "politics",
                "business",
                "research",
                "research",
            ],
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
def test_sector_mix_counts_every_sector_zeros_included(client, demo, language, sectors, expected):
    lab = add_partners(LabPageFactory(), *(ActorPageFactory(sector=s) for s in sectors))
    if language == "en":
        lab = translated(lab)
    soup = soup_of(client.get(lab.url))
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
    shop = ActorPageFactory(title="Testladen gGmbH", slug="testladen", sector="business")
    lab = LabPageFactory(
        title="Älter werden in Teststadt", city="Dortmund", start_date=datetime.date(2023, 3, 1)
    )
    add_partners(lab, shop, *ActorPageFactory.create_batch(6))
    translated(shop)
    english_lab = translated(lab, {"Älter werden in Teststadt": "Growing older in the Nordstadt"})
    soup = soup_of(client.get(english_lab.url))
    (data,) = json_ld(soup)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Project"
    assert data["name"] == "Growing older in the Nordstadt"
    assert data["location"]["address"]["addressLocality"] == "Dortmund"
    assert data["foundingDate"] == "2023-03-01"
    members = {member["name"]: member for member in data["member"]}
    assert len(members) == 7
    assert members["Testladen gGmbH"]["url"] == "http://testserver/en/partners/testladen/"
    assert members["Testladen gGmbH"]["@type"] == "Organization"


def test_actor_structured_data_and_person_kind(client, demo):
    organisation_page = ActorPageFactory(title="Testladen gGmbH", city="Dortmund")
    organisation = json_ld(soup_of(client.get(organisation_page.url)))[0]
    assert organisation["@type"] == "Organization"
    assert organisation["name"] == "Testladen gGmbH"
    assert organisation["address"]["addressLocality"] == "Dortmund"
    description = "Sozialwissenschaftlerin, die die Werkstätten der Labore moderiert."
    person_page = ActorPageFactory(kind="person", sector="research", description=description)
    english = "Social scientist who facilitates the labs' workshops."
    person = json_ld(soup_of(client.get(translated(person_page, {description: english}).url)))[0]
    assert person["@type"] == "Person"
    assert person["description"] == english


def test_actor_without_logo_renders_cleanly(client, demo):
    actor = ActorPageFactory(title="Dr. Erika Beispiel", kind="person", logo=None)
    soup = soup_of(client.get(actor.url))
    assert soup.find("h1").get_text() == "Dr. Erika Beispiel"
    assert not soup.select("img.actor__logo")


# --- directories --------------------------------------------------------------------------


def option_counts(soup, name):
    select = soup.select_one(f'select[name="{name}"]')
    return {
        option.get_text().rsplit(" (", 1)[0]: option.get_text()
        for option in select.select("option")[1:]
    }


LABS = [
    # German title, English title, city, phase, topics
    (
        "Älter werden in der Nordstadt",
        "Growing older in the Nordstadt",
        "Dortmund",
        3,
        ["demografie", "beteiligung"],
    ),
    ("Gemeinsam im Quartier", "Together in the neighbourhood", "Wuppertal", 2, ["beteiligung"]),
    ("Lernorte im Quartier", "Places of learning in the neighbourhood", "Dortmund", 1, ["bildung"]),
]
TOPICS = [
    ("demografie", "Demografischer Wandel", "Demographic change"),
    ("beteiligung", "Bürgerbeteiligung", "Civic participation"),
    ("bildung", "Bildung", "Education"),
]


@pytest.fixture
def lab_directory(demo):
    """A lab directory of its own with three labs in two cities, in German and English."""
    index = LabIndexPageFactory(title="Laborverzeichnis", slug="laborverzeichnis")
    translated(index, {"Laborverzeichnis": "Lab directory", "laborverzeichnis": "lab-directory"})
    topics = {}
    for slug, german, english in TOPICS:
        topics[slug] = TopicFactory(name=german, slug=slug)
        translated(topics[slug], {german: english})
    for title, english, city, phase, topic_slugs in LABS:
        lab = LabPageFactory(
            parent=index,
            title=title,
            city=city,
            phase=phase,
            topics=[topics[slug] for slug in topic_slugs],
        )
        translated(lab, {title: english})
    return index


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
def test_lab_directory_filters(client, lab_directory, query, titles):
    soup = soup_of(client.get(lab_directory.url + query))
    assert card_titles(soup) == titles
    if not titles:
        assert "Kein Labor passt zu dieser Auswahl." in soup.select_one(".no-results").get_text()


def test_lab_directory_counts_options_against_the_other_filters(client, lab_directory):
    soup = soup_of(client.get(lab_directory.url + "?phase=3"))
    assert option_counts(soup, "city") == {"Dortmund": "Dortmund (1)", "Wuppertal": "Wuppertal (0)"}
    # the phase facet itself counts against the other (inactive) filters: all labs
    assert option_counts(soup, "phase")["Konzeptentwicklung"] == "Konzeptentwicklung (1)"
    assert soup.select_one('select[name="phase"] option[selected]')["value"] == "3"
    english_index = lab_directory.get_translation(Locale.objects.get(language_code="en"))
    english = soup_of(client.get(english_index.url + "?city=Dortmund"))
    assert option_counts(english, "topic")["Education"] == "Education (1)"
    assert card_titles(english) == [
        "Growing older in the Nordstadt",
        "Places of learning in the neighbourhood",
    ]


# (title, sector, kind, partner in the lab)
ACTORS = [
    ("Dr. Miriam Sommer", "research", "person", True),
    ("Forschungsinstitut Stadt & Alter", "research", "organisation", False),
    ("Zentrum für Beteiligungsforschung", "research", "organisation", True),
    ("Ausschuss für Soziales, Familie und Gesundheit", "politics", "organisation", True),
    ("Jugendrat Wuppertal", "politics", "organisation", True),
    ("Bezirksvertretung Innenstadt-Nord", "politics", "organisation", False),
    ("Seniorenforum Wuppertal", "civil_society", "organisation", True),
    ("Jugendforum Ölberg", "civil_society", "organisation", True),
    ("Stadt Wuppertal – Quartiersentwicklung", "administration", "organisation", True),
    ("Quartiersladen gGmbH", "business", "organisation", True),
]


@pytest.fixture
def actor_directory(demo):
    """An actor directory of its own: ten actors, eight of them partners in one lab."""
    index = ActorIndexPageFactory(title="Akteursverzeichnis", slug="akteursverzeichnis")
    lab = LabPageFactory(title="Gemeinsam in Teststadt")
    actors = []
    for title, sector, kind, partner in ACTORS:
        actor = ActorPageFactory(parent=index, title=title, sector=sector, kind=kind)
        actors.append(actor)
        if partner:
            add_partners(lab, actor)
    return {"index": index, "lab": lab, "actors": actors}


def test_actor_directory_filters_by_sector_and_lab(client, actor_directory):
    url = actor_directory["index"].url
    research = soup_of(client.get(url + "?sector=research"))
    assert card_titles(research) == [
        "Dr. Miriam Sommer",
        "Forschungsinstitut Stadt & Alter",
        "Zentrum für Beteiligungsforschung",
    ]
    lab = actor_directory["lab"]
    in_lab = soup_of(client.get(f"{url}?lab={lab.pk}"))
    assert len(card_titles(in_lab)) == 8
    combined = soup_of(client.get(f"{url}?lab={lab.pk}&sector=research"))
    assert card_titles(combined) == ["Dr. Miriam Sommer", "Zentrum für Beteiligungsforschung"]
    assert option_counts(combined, "sector")["Politik"] == "Politik (2)"


def test_english_actor_directory_filters_by_english_lab(client, actor_directory):
    english_index = translated(
        actor_directory["index"],
        {"Akteursverzeichnis": "Partner directory", "akteursverzeichnis": "partner-directory"},
    )
    for actor in actor_directory["actors"]:
        translated(actor)
    english_lab = translated(
        actor_directory["lab"], {"Gemeinsam in Teststadt": "Together in Teststadt"}
    )
    soup = soup_of(client.get(f"{english_index.url}?lab={english_lab.pk}&sector=politics"))
    assert card_titles(soup) == [
        "Ausschuss für Soziales, Familie und Gesundheit",
        "Jugendrat Wuppertal",
    ]
    assert all(
        a["href"].startswith("/en/partner-directory/") for a in soup.select(".card__title a")
    )
    lab_options = option_counts(soup, "lab")
    assert lab_options["Together in Teststadt"] == "Together in Teststadt (2)"


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


def test_unknown_filter_values_are_ignored(client, lab_directory, actor_directory):
    assert len(card_titles(soup_of(client.get(lab_directory.url + "?phase=99")))) == 3
    repeated = soup_of(
        client.get(actor_directory["index"].url + "?sector=&sector=research&sector=politics")
    )
    assert len(card_titles(repeated)) == 3  # the first known value counts


def test_directory_paginates_and_keeps_filters_in_links(client, actor_directory, settings):
    settings.PORTAL_PAGE_SIZE = 2
    url = actor_directory["index"].url
    first = soup_of(client.get(url + "?sector=research"))
    assert len(card_titles(first)) == 2
    next_link = first.select_one('.pagination a[rel="next"]')["href"]
    assert next_link == "?sector=research&page=2"
    last = soup_of(client.get(url + next_link))
    assert card_titles(last) == ["Zentrum für Beteiligungsforschung"]
    assert card_titles(soup_of(client.get(url + "?sector=research&page=999"))) == (
        card_titles(last)
    )


# --- home page sections --------------------------------------------------------------------


def featured(soup):
    section = soup.find(id="featured-labs-heading").parent
    return [a.get_text() for a in section.select(".card__title a")]


def test_home_shows_newest_labs_and_partners_by_logo_or_name(client, demo):
    soup = soup_of(client.get("/en/"))
    assert featured(soup) == [
        "Places of learning in the neighbourhood",
        "Together in the neighbourhood",
        "Growing older in the Nordstadt",
    ]
    partners = soup.select(".partner-strip li a")
    assert len(partners) == 12
    logos = soup.select(".partner-strip img")
    assert logos and all(img["alt"] for img in logos)
    # a partner without a logo is a text card with its name
    for link in partners:
        assert link.select_one("img[alt]") or link.select_one(".partner-strip__name").get_text()
        assert link["href"].startswith("/en/partners/")


def test_home_shows_editor_chosen_labs_in_the_visitors_language(client, demo):
    from home.models import HomeFeaturedLab

    lab = LabPageFactory(title="Gemeinsam in Teststadt")
    translated(lab, {"Gemeinsam in Teststadt": "Together in Teststadt"})
    HomeFeaturedLab.objects.create(home=demo["de"], lab=lab)
    HomeFeaturedLab.objects.create(home=demo["en"], lab=lab)
    assert featured(soup_of(client.get("/de/"))) == ["Gemeinsam in Teststadt"]
    assert featured(soup_of(client.get("/en/"))) == ["Together in Teststadt"]


def test_sector_mix_counts_only_published_partners(client, demo):
    shop = ActorPageFactory(sector="business")
    lab = add_partners(
        LabPageFactory(),
        shop,
        ActorPageFactory(sector="business"),
        *ActorPageFactory.create_batch(5, sector="civil_society"),
    )
    shop.unpublish()
    soup = soup_of(client.get(lab.url))
    counts = {
        row.th.get_text(): row.select_one(".sector-mix__count").get_text()
        for row in soup.select("table.sector-mix tbody tr")
    }
    assert counts["Wirtschaft"] == "1"
    assert len(soup.select(".partner-list__item")) == 6


def test_german_alphabetical_order_on_every_database(client, demo):
    index = LabIndexPageFactory()
    for title in [
        "Zukunftswerkstatt",
        "Lernorte im Quartier",
        "Übergänge gestalten",
        "Älter werden in der Nordstadt",
        "Gemeinsam im Quartier",
    ]:
        LabPageFactory(parent=index, title=title)
    assert card_titles(soup_of(client.get(index.url))) == [
        "Älter werden in der Nordstadt",
        "Gemeinsam im Quartier",
        "Lernorte im Quartier",
        "Übergänge gestalten",
        "Zukunftswerkstatt",
    ]
