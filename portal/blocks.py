"""StreamField blocks shared by every page type. One template per block lives in
portal/templates/components/blocks/. Changing a block changes migrations: do it deliberately."""

from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading (H2)")), ("h3", _("Subheading (H3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "components/blocks/heading.html"
        preview_value = {"text": "Kommunale Labore sozialer Innovation", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "components/blocks/paragraph.html"
        preview_value = (
            "<p>Teams aus Verwaltung, Politik, Wirtschaft, Zivilgesellschaft und Forschung "
            "arbeiten auf Augenhöhe an Lösungen für ihre Kommune.</p>"
        )


class FigureBlock(blocks.StructBlock):
    """An image with required alt text (or marked decorative) and an optional caption."""

    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("Photo credit"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/blocks/figure.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "components/blocks/quote.html"
        preview_value = {
            "quote": "Im Lab arbeiten alle auf Augenhöhe.",
            "attribution": "Teilnehmerin der Werkstattreihe",
        }


class LinkBlock(blocks.StructBlock):
    """A link to a page of the portal or to an external address — exactly one of them."""

    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("External address"), required=False)

    class Meta:
        icon = "link"
        label = _("Link")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choose a page or enter an external address (one of them).")
            raise StructBlockValidationError(non_block_errors=ErrorList([message]))
        return value


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False)
    link = LinkBlock(label=_("Link"))
    button_label = blocks.CharBlock(label=_("Button label"), max_length=80)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "components/blocks/call_to_action.html"
        preview_value = {
            "title": "Werden Sie Teil der Werkstattreihe",
            "text": "Lernen Sie, wie Ihre Kommune ein eigenes Labor aufbaut.",
            "link": {"url": "https://example.org/"},
            "button_label": "Mehr erfahren",
        }


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Download")
        template = "components/blocks/document_link.html"


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question or title"), max_length=300)
    answer = ParagraphBlock(label=_("Answer or content"))

    class Meta:
        icon = "help"
        label = _("Entry")


class AccordionBlock(blocks.StructBlock):
    """Questions and answers as native <details> elements: no JavaScript needed."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Entries"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Accordion (FAQ)")
        template = "components/blocks/accordion.html"
        preview_value = {
            "heading": "Häufige Fragen",
            "items": [
                {
                    "question": "Was ist ein KoSI-Lab?",
                    "answer": "<p>Ein offenes Labor, in dem Kommune und Stadtgesellschaft "
                    "gemeinsam Lösungen entwickeln.</p>",
                }
            ],
        }


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = FigureBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    document = DocumentLinkBlock()
    accordion = AccordionBlock()

    class Meta:
        label = _("Content")
