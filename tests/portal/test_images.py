"""Responsive images: `<picture>` with WebP (and AVIF) sources, srcset and sizes, width and
height, lazy loading below the fold, and one rendition query per group of images."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from wagtail.images import get_image_model

from events.models import EventIndexPage, EventPage, EventSpeaker
from portal import images
from tests.events.factories import EventPageFactory
from tests.helpers import soup_of
from tests.portal.factories import ImageFactory

pytestmark = pytest.mark.django_db

Rendition = get_image_model().get_rendition_model()
LAB_DE = "/de/labore/aelter-werden-in-der-nordstadt/"
EVENTS_DE = "/de/werkstaetten/"
PART_TWO_EN = "/en/workshops/workshop-series-labs-of-social-innovation/concept-development/"
PIL_FORMATS = {"image/avif": "AVIF", "image/webp": "WEBP", "image/jpeg": "JPEG", "image/png": "PNG"}


@pytest.fixture
def avif(settings):
    """AVIF on, as in production (test settings switch it off for speed)."""
    if not images.AVIF_SUPPORTED:
        pytest.skip("Pillow in this environment cannot write AVIF")
    settings.PORTAL_IMAGES_AVIF = True


def candidates(srcset):
    """[(url, width)] of a srcset with width descriptors."""
    pairs = [candidate.strip().rsplit(" ", 1) for candidate in srcset.split(",")]
    return [(url, int(width.removesuffix("w"))) for url, width in pairs]


def stored(url):
    """Format and size of the rendition file behind a URL, read from storage."""
    rendition = Rendition.objects.get(file=url.removeprefix(settings.MEDIA_URL))
    with rendition.file.open("rb") as file, Image.open(file) as image:
        return image.format, image.size


def source_types(picture):
    return [source["type"] for source in picture.select("source")]


def rendition_queries(client, path):
    """All queries and those reading renditions, of a warm request."""
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    table = Rendition._meta.db_table
    sql = [query["sql"] for query in context.captured_queries]
    return len(sql), sum(f'FROM "{table}"' in statement for statement in sql)


def give_events_images(count=None):
    """Images for the German upcoming workshops (and `count` more workshops with one)."""
    for event in EventPage.objects.filter(locale__language_code="de"):
        EventPage.objects.filter(pk=event.pk).update(
            hero_image=ImageFactory(), hero_image_alt="Bild"
        )
    index = EventIndexPage.objects.get(locale__language_code="de")
    for number in range(count or 0):
        index.add_child(
            instance=EventPageFactory.build(
                slug=f"mit-bild-{number}", hero_image=ImageFactory(), hero_image_decorative=True
            )
        )


def test_cards_are_lazy_pictures_with_webp_srcset_sizes_width_and_height(client, demo):
    pictures = soup_of(client.get("/de/labore/")).select(".lab-card picture")
    assert pictures  # the demo labs with an image
    for picture in pictures:
        assert source_types(picture) == ["image/webp"]  # AVIF off in the test settings
        source = picture.source
        assert [width for _, width in candidates(source["srcset"])] == [480, 960]
        assert source["sizes"] == images.CARD_IMAGE.sizes
        img = picture.img
        assert "card__image" in img["class"]
        assert (img["width"], img["height"]) == ("480", "270")
        assert (img["loading"], img["decoding"]) == ("lazy", "async")
        assert img["alt"] == ""
        assert img["sizes"] == images.CARD_IMAGE.sizes
        assert img["src"].endswith(".jpg")
        assert [width for _, width in candidates(img["srcset"])] == [480, 960]


def test_page_hero_is_eager_with_high_priority_and_logos_below_are_lazy(client, demo):
    soup = soup_of(client.get(LAB_DE))
    hero = soup.select_one(".lab__header picture img.lab__image")
    assert "loading" not in hero.attrs
    assert hero["fetchpriority"] == "high"
    assert (hero["width"], hero["height"]) == ("1200", "600")
    assert hero["sizes"] == images.FULL_WIDTH
    # the demo originals are 1600 wide: the 1800 rule gives 1600, never an enlargement
    assert sorted(width for _, width in candidates(hero["srcset"])) == [600, 1200, 1600]
    logos = soup.select(".partner-list__item picture img.partner-list__logo")
    assert logos
    for logo in logos:
        assert (logo["loading"], logo["decoding"]) == ("lazy", "async")
        assert logo["src"].endswith(".png")  # keeps transparency
        # a fixed-size image: its layout width, so 2x screens take the double
        assert logo["sizes"] == f"{logo['width']}px"
        assert logo.find_previous_sibling("source")["type"] == "image/webp"


def test_renditions_are_stored_in_the_formats_and_widths_the_markup_names(client, demo):
    soup = soup_of(client.get(LAB_DE))
    picture = soup.select_one(".lab__header picture")
    checked = 0
    for element in [*picture.select("source"), picture.img]:
        mime_type = element.get("type", "image/jpeg")
        for url, width in candidates(element["srcset"]):
            file_format, (stored_width, _) = stored(url)
            assert (file_format, stored_width) == (PIL_FORMATS[mime_type], width), url
            checked += 1
    assert checked == 6  # three widths in WebP and JPEG


def test_with_avif_photos_have_an_avif_source_first_and_logos_do_not(client, demo, avif):
    soup = soup_of(client.get("/en/"))
    hero = soup.select_one(".hero picture")
    assert source_types(hero) == ["image/avif", "image/webp"]
    for url, width in candidates(hero.source["srcset"]):
        assert stored(url) == ("AVIF", (width, width * 9 // 16)), url
    assert "loading" not in hero.img.attrs
    assert hero.img["fetchpriority"] == "high"
    assert (hero.img["width"], hero.img["height"]) == ("960", "540")
    for card in soup.select(".lab-card picture"):
        assert source_types(card) == ["image/avif", "image/webp"]
        assert card.img["loading"] == "lazy"
    partners = soup.select(".partner-strip picture")
    assert partners
    for logo in partners:
        assert source_types(logo) == ["image/webp"]
        assert logo.img["loading"] == "lazy"
        assert logo.img["alt"]  # the partner's name: the logo is the link's text


def test_open_graph_image_is_a_single_jpeg_url(client, demo, avif):
    soup = soup_of(client.get(LAB_DE))
    url = soup.select_one('meta[property="og:image"]')["content"]
    assert url.startswith("http://testserver/") and url.endswith(".jpg")
    assert stored(url.removeprefix("http://testserver"))[0] == "JPEG"


def test_event_page_hero_and_speaker_photos(client, demo):
    event = EventPage.objects.get(slug="concept-development")
    event.hero_image, event.hero_image_alt = ImageFactory(), "Ein Foto"
    event.save()
    for speaker in event.speakers.all():
        speaker.photo = ImageFactory()
        speaker.save()
    soup = soup_of(client.get(PART_TWO_EN))
    hero = soup.select_one("picture img.lab__image")
    assert hero["alt"] == "Ein Foto"
    assert hero["fetchpriority"] == "high" and "loading" not in hero.attrs
    photos = soup.select(".speaker picture img.speaker__photo")
    assert len(photos) == event.speakers.count() > 0
    for photo in photos:
        assert (photo["width"], photo["height"]) == ("80", "80")
        assert photo["sizes"] == "5rem"
        assert (photo["loading"], photo["decoding"]) == ("lazy", "async")


def test_a_listing_reads_renditions_once_however_many_images(client, demo):
    """The workshop directory with 3 and with 12 images: the same queries, one of them for
    the renditions (the prefetch covers every size and format the cards ask for; a missing
    one would cost a query per image)."""
    give_events_images()
    with_few = rendition_queries(client, EVENTS_DE)
    shown = len(soup_of(client.get(EVENTS_DE)).select(".event-card picture"))
    give_events_images(count=9)
    assert len(soup_of(client.get(EVENTS_DE)).select(".event-card picture")) > shown
    assert rendition_queries(client, EVENTS_DE) == with_few
    assert with_few[1] == 1


@pytest.mark.parametrize("path", ["/de/labore/", "/de/akteure/", LAB_DE])
def test_lab_and_actor_pages_read_renditions_once_per_group(client, demo, path):
    # directories: the cards' images; the lab page: its partners' logos (the hero alone is
    # read from Wagtail's rendition cache)
    assert rendition_queries(client, path)[1] == 1


def test_speaker_photos_are_read_in_one_query_however_many(client, demo):
    event = EventPage.objects.get(slug="concept-development")
    for speaker in event.speakers.all():
        EventSpeaker.objects.filter(pk=speaker.pk).update(photo=ImageFactory())
    with_few = rendition_queries(client, PART_TWO_EN)
    for number in range(20):
        EventSpeaker.objects.create(event=event, name=f"Gast {number}", photo=ImageFactory())
    assert rendition_queries(client, PART_TWO_EN) == with_few
    assert with_few[1] == 1


def test_home_page_reads_renditions_once_per_section(client, demo):
    """Featured labs and partner logos (the demo workshops have no images; the hero comes
    from Wagtail's rendition cache)."""
    assert rendition_queries(client, "/de/")[1] == 2
    give_events_images()
    assert rendition_queries(client, "/de/")[1] == 3


def test_every_use_asks_for_at_most_nine_renditions(avif):
    for name, use in images.USES.items():
        assert len(use.filter_specs) <= 9, name
        assert all("|format-" in spec for spec in use.filter_specs), name
