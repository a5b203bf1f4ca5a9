"""Downloads as the portal shows and describes them: "Protokoll (PDF, 2.3 MB)".

Workshop documentation and the knowledge library both list files chosen in a StreamField.
`downloads()` turns the raw stream data of many pages into `Download`s with one query for
the documents (with their collections) and one for the collections' view restrictions, so a
listing costs the same however many files it shows. Documents in a collection with a view
restriction are for signed-in people only (Wagtail's document view asks them to log in):
they are left out of public pages, JSON-LD and the open data API.
"""

import dataclasses
import mimetypes

from django.template.defaultfilters import filesizeformat
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction


@dataclasses.dataclass
class Download:
    document: object
    title: str
    kind: str = ""  # a value of the owner's choices, e.g. "slides"
    kind_label: str = ""

    @property
    def url(self) -> str:
        return self.document.url

    @property
    def file_format(self) -> str:
        return file_format(self.document)

    @property
    def size(self) -> int | None:
        return file_size(self.document)

    @property
    def media_type(self) -> str:
        return media_type(self.document)

    @property
    def meta(self) -> str:
        return file_meta(self.document)


def file_format(document) -> str:
    """The format as readers know it: the file's extension, e.g. "PDF" or "XLSX"."""
    return document.file_extension.upper()


def file_size(document) -> int | None:
    """Wagtail stores the size on upload; older rows read it from the file once."""
    if document.file_size is None:
        return document.get_file_size()
    return document.file_size


def media_type(document) -> str:
    guessed, _encoding = mimetypes.guess_type(document.file.name)
    return guessed or "application/octet-stream"


def file_meta(document) -> str:
    """ "PDF, 2.3 MB" (the size in the visitor's number format)."""
    size = file_size(document)
    return f"{file_format(document)}, {filesizeformat(size)}" if size else file_format(document)


def restricted_paths() -> list[str]:
    """Tree paths of the collections with a view restriction (their children inherit it)."""
    return list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))


def is_public(document, restricted: list[str]) -> bool:
    return not any(document.collection.path.startswith(path) for path in restricted)


def downloads(streams: dict, kinds: dict | None = None) -> dict[object, list["Download"]]:
    """{key: [Download, …]} for {key: StreamValue} whose blocks each have a `document` and
    optionally a `title` and a `kind` (labelled from `kinds`): public documents only, in the
    stream's order. Reads the raw data, so the stream does not load its documents itself."""
    kinds = kinds or {}
    entries = {
        key: [block["value"] for block in stream.raw_data if block["value"].get("document")]
        for key, stream in streams.items()
    }
    ids = {value["document"] for values in entries.values() for value in values}
    if not ids:
        return {key: [] for key in streams}
    documents = get_document_model().objects.filter(pk__in=ids).select_related("collection")
    by_id = {document.pk: document for document in documents}
    restricted = restricted_paths()
    found = {}
    for key, values in entries.items():
        found[key] = [
            Download(
                document=by_id[value["document"]],
                title=value.get("title") or by_id[value["document"]].title,
                kind=value.get("kind", ""),
                kind_label=str(kinds.get(value.get("kind"), "")),
            )
            for value in values
            if value["document"] in by_id and is_public(by_id[value["document"]], restricted)
        ]
    return found


def structured_data(download, absolute) -> dict:
    """schema.org DigitalDocument of a download; `absolute` makes its URL absolute."""
    data = {
        "@type": "DigitalDocument",
        "name": download.title,
        "url": absolute(download.url),
        "encodingFormat": download.media_type,
    }
    if download.size:
        data["contentSize"] = f"{download.size} B"
    return data
