"""Page-tree rules and rendering of the home and content pages."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from home.models import ContentPage, HomePage
from tests.home.factories import ContentPageFactory


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_only_at_the_top_of_the_tree(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(ContentPage, HomePage)

    def test_content_pages_nest_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})
        self.assertAllowedSubpageTypes(ContentPage, {ContentPage})
        self.assertCanCreateAt(HomePage, ContentPage)
        self.assertCanNotCreateAt(Page, ContentPage)

    def test_every_page_type_describes_itself(self):
        for model in (HomePage, ContentPage):
            assert model.get_page_description()


class PageTypeBehaviourTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", "--single-site", stdout=io.StringIO())
        cls.about = ContentPage.objects.get(slug="ueber-das-projekt")
        cls.home = HomePage.objects.get(depth=2, locale__language_code="de")

    def test_pages_are_renderable_editable_and_previewable(self):
        for page in (self.home, self.about):
            inlines = {"featured_labs": inline_formset([])} if isinstance(page, HomePage) else {}
            post_data = nested_form_data(
                {
                    **inlines,
                    "title": page.title,
                    "slug": page.slug,
                    "teaser": page.teaser,
                    "body": streamfield(
                        [
                            ("heading", {"text": "Ziele", "level": "h2"}),
                            ("paragraph", rich_text("<p>Gemeinsam auf Augenhöhe.</p>")),
                        ]
                    ),
                }
            )
            self.assertPageIsRenderable(page)
            self.assertPageIsEditable(page, post_data=post_data)
            self.assertPageIsPreviewable(page, post_data=post_data)

    def test_content_page_can_be_created_through_the_admin(self):
        self.login()
        response = self.client.post(
            f"/admin/pages/add/home/contentpage/{self.home.pk}/",
            nested_form_data(
                {
                    "title": "Häufige Fragen",
                    "slug": "haeufige-fragen",
                    "teaser": "Antworten auf häufige Fragen",
                    "body": streamfield([("paragraph", rich_text("<p>Wir arbeiten daran.</p>"))]),
                    "action-publish": "publish",
                }
            ),
        )
        assert response.status_code == 302, response.content[:2000]
        page = ContentPage.objects.get(slug="haeufige-fragen")
        assert page.live
        assert page.get_parent().pk == self.home.pk
        assert "Wir arbeiten daran." in str(page.body)


@pytest.mark.parametrize(
    ("path", "h1"),
    [
        ("/de/", "Kommunale Labore sozialer Innovation"),
        ("/en/", "Municipal labs of social innovation"),
        ("/de/ueber-das-projekt/", "Über das Projekt"),
        ("/en/about-the-project/", "About the project"),
    ],
)
def test_each_page_type_renders_in_both_languages(client, demo, path, h1):
    response = client.get(path)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert [tag.get_text(strip=True) for tag in soup.find_all("h1")] == [h1]
    assert soup.html["lang"] == path.split("/")[1]
    assert soup.find("main", id="main")
    assert soup.select_one("a.skip-link")["href"] == "#main"


def test_draft_content_pages_are_not_public(client, portal):
    page = ContentPageFactory.build(title="Entwurf", slug="entwurf", live=False)
    portal["de"].add_child(instance=page)
    assert client.get("/de/entwurf/").status_code == 404
