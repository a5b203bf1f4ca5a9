"""Demo content: a believable KoSI-Lab portal in German with complete English translations.

German is written first; every German text segment is registered with its English text via
`Texts.pair`, and `portal.translation.translate` turns the German pages into real
wagtail-localize translations from those pairs. Each app contributes a `demo` module with
`build(builder)` and `PAGE_PATHS` (the German URL paths it creates); portal's own, this
module, runs first.
"""

import io
import random

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from home.models import ContentPage
from portal.models import PortalSettings, SiteTexts
from portal.translation import translate
from portal.utils import app_modules


class Texts:
    """German → English pairs for every text segment the demo writes."""

    def __init__(self):
        self.english = {}

    def pair(self, german: str, english: str) -> str:
        self.english[german] = english
        return german

    def paragraphs(self, *pairs: tuple[str, str]) -> str:
        return "".join(f"<p>{self.pair(de, en)}</p>" for de, en in pairs)

    def bullets(self, *pairs: tuple[str, str]) -> str:
        return "<ul>" + "".join(f"<li>{self.pair(de, en)}</li>" for de, en in pairs) + "</ul>"


class DemoBuilder:
    """Creates pages once: a page that exists (by parent and slug) is left as it is."""

    def __init__(self, stdout=None):
        self.texts = Texts()
        self.german = Locale.get_default()
        self.other_locales = list(Locale.objects.exclude(pk=self.german.pk))
        self.site = Site.objects.get(is_default_site=True)
        self.home = self.site.root_page.specific
        self.created = []
        self.stdout = stdout

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    def page(self, parent: Page, page: Page) -> Page:
        existing = parent.get_children().filter(slug=page.slug).first()
        if existing is not None:
            return existing.specific
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created.append(page)
        self.log(f"Created page {page.url_path}")
        return page

    def translate_created(self):
        """Translate every page created in this run, parents first."""
        for page in sorted(self.created, key=lambda p: p.depth):
            for locale in self.other_locales:
                translate(page, locale, self.texts.english)

    def image(self, title: str, palette: list[str], seed: int):
        """A generated abstract picture, so the demo needs no downloaded or licensed photos."""
        image_model = get_image_model()
        existing = image_model.objects.filter(title=title).first()
        if existing is not None:
            return existing
        from PIL import Image, ImageDraw

        rng = random.Random(seed)  # noqa: S311 - decoration, not security
        canvas = Image.new("RGB", (1600, 900), palette[0])
        draw = ImageDraw.Draw(canvas)
        for _ in range(28):
            x, y = rng.randrange(-200, 1600), rng.randrange(-200, 900)
            size = rng.randrange(120, 520)
            colour = rng.choice(palette[1:])
            if rng.random() < 0.5:
                draw.ellipse((x, y, x + size, y + size), fill=colour)
            else:
                draw.rectangle((x, y, x + size, y + size * 0.6), fill=colour)
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG")
        slug = "".join(c if c.isalnum() else "-" for c in title.lower())
        return image_model.objects.create(
            title=title, file=ImageFile(buffer, name=f"demo-{slug}.png")
        )

    def logo(self, title: str, initials: str, colour: str):
        """A generated logo (initials on a coloured badge): demo organisations are fictional."""
        image_model = get_image_model()
        existing = image_model.objects.filter(title=title).first()
        if existing is not None:
            return existing
        from PIL import Image, ImageDraw, ImageFont

        canvas = Image.new("RGB", (400, 200), "#ffffff")
        draw = ImageDraw.Draw(canvas)
        draw.rounded_rectangle((10, 10, 390, 190), radius=28, fill=colour)
        font = ImageFont.load_default(size=96)
        draw.text((200, 100), initials, fill="#ffffff", font=font, anchor="mm")
        buffer = io.BytesIO()
        canvas.save(buffer, format="PNG")
        return image_model.objects.create(
            title=title, file=ImageFile(buffer, name=f"demo-logo-{initials.lower()}.png")
        )

    def snippet(self, model, lookup: dict, **fields):
        """A translatable snippet in German, translated at once (snippets have no parents)."""
        existing = model.objects.filter(locale=self.german, **lookup).first()
        if existing is not None:
            return existing
        instance = model.objects.create(locale=self.german, **lookup, **fields)
        for locale in self.other_locales:
            translate(instance, locale, self.texts.english)
        return instance


def build(builder: DemoBuilder):
    t = builder.texts
    home = builder.home
    hero_image = builder.image(
        "Werkstatt im KoSI-Lab (Illustration)",
        ["#e8eef5", "#005a9c", "#7fb2d9", "#f2b134", "#2f7d5b"],
        seed=2,
    )

    about = builder.page(
        home,
        ContentPage(
            title=t.pair("Über das Projekt", "About the project"),
            slug=t.pair("ueber-das-projekt", "about-the-project"),
            show_in_menus=True,
            teaser=t.pair(
                "Was Kommunale Labore sozialer Innovation sind und was Dortmund und Wuppertal "
                "mit ihnen vorhaben.",
                "What municipal labs of social innovation are, and what Dortmund and Wuppertal "
                "plan to do with them.",
            ),
            body=[
                ("heading", {"text": t.pair("Was ist ein KoSI-Lab?", "What is a KoSI-Lab?")}),
                (
                    "paragraph",
                    t.paragraphs(
                        (
                            "Ein Kommunales Labor sozialer Innovation ist eine offene Einrichtung "
                            "der Kommune. Dort arbeiten Menschen aus Verwaltung, Politik, "
                            "Wirtschaft, Zivilgesellschaft und Forschung gemeinsam an einem "
                            "zentralen Problem ihrer Stadt.",
                            "A municipal lab of social innovation is an open institution run by "
                            "the municipality. People from administration, politics, business, "
                            "civil society and research work there together on a key problem "
                            "of their city.",
                        ),
                        (
                            "Alle bringen ihr Wissen gleichberechtigt ein. So entstehen praxisnahe "
                            "soziale Lösungen, etwa für den Umgang mit dem demografischen Wandel.",
                            "Everyone contributes their knowledge as an equal. This produces "
                            "practical social solutions, for example for dealing with "
                            "demographic change.",
                        ),
                    ),
                ),
                (
                    "heading",
                    {"text": t.pair("Das Projekt KoSI-Lab", "The KoSI-Lab project")},
                ),
                (
                    "paragraph",
                    t.paragraphs(
                        (
                            "Die Städte Dortmund und Wuppertal erproben im Projekt KoSI-Lab, wie "
                            "Kommunen und engagierte Menschen aus der Stadtgesellschaft "
                            "gemeinsam Innovationen für kommunale Aufgaben nutzen können.",
                            "In the KoSI-Lab project, the cities of Dortmund and Wuppertal are "
                            "testing how municipalities and committed people from local society "
                            "can use innovation together for municipal tasks.",
                        ),
                        (
                            "In den Laboren entstehen Strategien und konkrete Vorhaben. Daraus "
                            "werden Vorbilder für dauerhafte Zusammenarbeit zwischen Verwaltung "
                            "und Zivilgesellschaft.",
                            "The labs develop strategies and concrete projects. They become "
                            "models for lasting cooperation between administration and civil "
                            "society.",
                        ),
                    ),
                ),
                (
                    "quote",
                    {
                        "quote": t.pair(
                            "Im Labor zählt nicht, wer welches Amt hat, sondern wer welche Idee "
                            "einbringt.",
                            "In the lab, what counts is not who holds which office but who "
                            "brings which idea.",
                        ),
                        "attribution": t.pair(
                            "Teilnehmerin der Werkstattreihe", "Participant in the workshop series"
                        ),
                    },
                ),
                (
                    "heading",
                    {"text": t.pair("Die Werkstattreihe", "The workshop series")},
                ),
                (
                    "paragraph",
                    t.paragraphs(
                        (
                            "In vier Werkstätten zeigt das Projekt anderen Kommunen, wie sie ein "
                            "eigenes Labor gründen. Wer an allen vier teilnimmt, kann danach "
                            "selbst ein Labor sozialer Innovation aufbauen.",
                            "In four workshops the project shows other municipalities how to "
                            "found a lab of their own. Whoever takes part in all four can then "
                            "set up a lab of social innovation on their own.",
                        ),
                    )
                    + t.bullets(
                        ("Teil 1: Grundlagen", "Part 1: Foundations"),
                        ("Teil 2: Konzeptentwicklung", "Part 2: Concept development"),
                        ("Teil 3: Aufbau", "Part 3: Set-up"),
                        ("Teil 4: Verstetigung", "Part 4: Consolidation"),
                    ),
                ),
                (
                    "accordion",
                    {
                        "heading": t.pair("Häufige Fragen", "Frequently asked questions"),
                        "items": [
                            {
                                "question": t.pair(
                                    "Wer kann an den Werkstätten teilnehmen?",
                                    "Who can take part in the workshops?",
                                ),
                                "answer": t.paragraphs(
                                    (
                                        "Alle, die in ihrer Kommune ein Labor anstoßen möchten: "
                                        "aus Verwaltung, Politik, Wirtschaft, Zivilgesellschaft "
                                        "und Forschung.",
                                        "Anyone who wants to start a lab in their municipality: "
                                        "from administration, politics, business, civil society "
                                        "and research.",
                                    )
                                ),
                            },
                            {
                                "question": t.pair(
                                    "Muss ich alle vier Werkstätten besuchen?",
                                    "Do I have to attend all four workshops?",
                                ),
                                "answer": t.paragraphs(
                                    (
                                        "Nein. Jede Werkstatt steht für sich, baut aber auf der "
                                        "vorherigen auf.",
                                        "No. Each workshop stands on its own but builds on the "
                                        "previous one.",
                                    )
                                ),
                            },
                        ],
                    },
                ),
            ],
        ),
    )

    if not home.body and not home.hero_heading:
        t.pair(home.title, "Home")
        t.pair(home.slug, f"{home.slug}-en")
        home.hero_heading = t.pair(
            "Kommunale Labore sozialer Innovation",
            "Municipal labs of social innovation",
        )
        home.hero_text = t.pair(
            "Verwaltung, Politik, Wirtschaft, Zivilgesellschaft und Forschung entwickeln "
            "gemeinsam Lösungen für ihre Stadt.",
            "Administration, politics, business, civil society and research develop solutions "
            "for their city together.",
        )
        home.teaser = t.pair(
            "Das Portal der KoSI-Labs in Dortmund und Wuppertal.",
            "The portal of the KoSI-Labs in Dortmund and Wuppertal.",
        )
        home.hero_image = hero_image
        home.hero_image_decorative = True  # an abstract illustration
        home.body = [
            (
                "paragraph",
                t.paragraphs(
                    (
                        "In Kommunalen Laboren sozialer Innovation arbeiten Menschen aus allen "
                        "Bereichen der Stadtgesellschaft auf Augenhöhe zusammen. Sie suchen neue "
                        "Antworten auf Fragen, die keine Stelle allein lösen kann.",
                        "In municipal labs of social innovation, people from every part of local "
                        "society work together as equals. They look for new answers to questions "
                        "that no single office can solve alone.",
                    ),
                ),
            ),
            (
                "call_to_action",
                {
                    "title": t.pair("Ein Labor für Ihre Kommune?", "A lab for your municipality?"),
                    "text": t.pair(
                        "Erfahren Sie, wie ein KoSI-Lab entsteht und wie unsere Werkstattreihe "
                        "Sie dabei begleitet.",
                        "Find out how a KoSI-Lab comes about and how our workshop series "
                        "supports you.",
                    ),
                    "link": {"page": about, "url": ""},
                    "button_label": t.pair("Mehr über das Projekt", "More about the project"),
                },
            ),
        ]
        home.save_revision().publish()
        builder.created.append(home)
        builder.log("Filled the home page")

    texts = SiteTexts.objects.filter(locale=builder.german).first()
    if texts is None:
        texts = SiteTexts.objects.create(
            locale=builder.german,
            site_name="KoSI-Lab",
            municipality=t.pair("Dortmund und Wuppertal", "Dortmund and Wuppertal"),
            tagline=t.pair(
                "Kommunale Labore sozialer Innovation", "Municipal labs of social innovation"
            ),
            funding_notice=t.pair(
                "Das Bundesministerium für Bildung und Forschung (BMBF) fördert das Projekt "
                "KoSI-Lab in der Fördermaßnahme „Kommunen innovativ“.",
                "The Federal Ministry of Education and Research (BMBF) funds the KoSI-Lab "
                "project in its “Kommunen innovativ” programme.",
            ),
            funder_name=t.pair(
                "Bundesministerium für Bildung und Forschung",
                "Federal Ministry of Education and Research",
            ),
        )
        t.pair("KoSI-Lab", "KoSI-Lab")
        for locale in builder.other_locales:
            translate(texts, locale, t.english)
        builder.log("Created the site texts")

    portal_settings = PortalSettings.for_site(builder.site)
    if not portal_settings.contact_email:
        portal_settings.contact_address = "KoSI-Lab\nMusterstraße 1\n12345 Musterstadt"
        portal_settings.contact_email = "kosi-lab@example.org"
        portal_settings.contact_phone = "+49 231 000000"
        portal_settings.funder_url = "https://www.bmbf.de/"
        portal_settings.save()
        builder.log("Filled the portal settings")


# Pages this module creates, by their German URL path.
PAGE_PATHS = {"/home/", "/home/ueber-das-projekt/"}


def demo_loaded() -> bool:
    """Whether this database already holds the demo (then extra pages are the user's edits)."""
    demo_paths = set()
    for module in app_modules("demo"):
        demo_paths |= module.PAGE_PATHS
    demo_paths.discard("/home/")
    return Page.objects.filter(url_path__in=demo_paths, locale=Locale.get_default()).exists()


def unknown_pages():
    """Pages that neither the skeleton nor the demo created (in any language)."""
    known_paths = set()
    for module in app_modules("demo") + app_modules("skeleton"):
        known_paths |= module.PAGE_PATHS
    known_keys = Page.objects.filter(url_path__in=known_paths, locale=Locale.get_default()).values(
        "translation_key"
    )
    return Page.objects.filter(depth__gte=2).exclude(translation_key__in=known_keys)


@transaction.atomic
def load_demo_content(stdout=None) -> list[Page]:
    builder = DemoBuilder(stdout=stdout)
    for module in app_modules("demo"):
        module.build(builder)
    builder.translate_created()
    add_review_by_link_workflow()
    return builder.created


def add_review_by_link_workflow():
    """German lab pages go from the editorial check to a department head who approves by
    link (the link appears in the console's mail output), so the demo shows both kinds of
    step."""
    from wagtail.models import Workflow, WorkflowPage, WorkflowTask

    from labs.models import LabIndexPage

    from .models import FourEyesApprovalTask, LinkReviewTask
    from .roles import STEPS

    workflow, _created = Workflow.objects.get_or_create(
        name="Redaktionelle Prüfung → Amtsleitung per Link"
    )
    editorial_check = FourEyesApprovalTask.objects.get(name=STEPS[0][0])
    link_task = LinkReviewTask.objects.filter(name="Amtsleitung per Link").first()
    if link_task is None:
        link_task = LinkReviewTask.objects.create(
            name="Amtsleitung per Link",
            reviewer_name="Amtsleitung Soziales (Demo)",
            reviewer_email="amtsleitung@example.org",
        )
    for order, task in enumerate([editorial_check, link_task]):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    lab_directory = LabIndexPage.objects.filter(locale__language_code="de").first()
    if lab_directory is not None:
        WorkflowPage.objects.update_or_create(page=lab_directory, defaults={"workflow": workflow})
