"""The blocks of a workshop's documentation: its downloads (the photos are the portal's
figure blocks, with their required text alternative or decorative mark)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class DocumentationKind(models.TextChoices):
    SLIDES = "slides", _("Slides")
    MINUTES = "minutes", _("Minutes")
    GRAPHIC_RECORDING = "graphic_recording", _("Graphic recording")
    RESULTS = "results", _("Results")
    OTHER = "other", _("Other")


class DocumentationFileBlock(blocks.StructBlock):
    """One download of the documentation: the page shows its title, kind, format and size."""

    document = DocumentChooserBlock(label=_("File"))
    title = blocks.CharBlock(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the document's title."),
    )
    kind = blocks.ChoiceBlock(
        label=_("Kind"), choices=DocumentationKind.choices, default=DocumentationKind.SLIDES
    )

    class Meta:
        icon = "doc-full"
        label = _("Download")
