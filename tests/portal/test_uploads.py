"""Upload rules: allowed types and sizes, documents served as downloads through Django."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.portal.factories import DocumentFactory, ImageFactory


def png_bytes(size=(20, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#005a9c").save(buffer, "PNG")
    return buffer.getvalue()


def upload_document(client, name, content):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def upload_image(client, name, content):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("angriff.html", b"<script>alert(1)</script>"),
        ("programm.exe", b"MZ\x90\x00"),
        ("seite.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
)
def test_dangerous_documents_are_refused(admin_client, demo, name, content):
    before = get_document_model().objects.count()
    response = upload_document(admin_client, name, content)
    assert response.status_code == 200  # the form again, with an error
    assert get_document_model().objects.count() == before


def test_svg_and_oversized_images_are_refused(admin_client, demo, settings):
    before = get_image_model().objects.count()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    assert upload_image(admin_client, "logo.svg", svg).status_code == 200
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    assert upload_image(admin_client, "gross.png", png_bytes((400, 400))).status_code == 200
    assert get_image_model().objects.count() == before


def test_a_pdf_is_accepted_and_served_as_a_download(admin_client, client, demo):
    response = upload_document(admin_client, "programm.pdf", b"%PDF-1.4\n%%EOF\n")
    assert response.status_code == 302
    document = get_document_model().objects.get(title="programm.pdf")
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert "default-src 'none'" in served["Content-Security-Policy"]


def test_downloads_carry_no_made_up_content_encoding(admin_client, client, demo):
    upload_document(admin_client, "protokoll.pdf", b"%PDF-1.4\n%%EOF\n")
    served = client.get(get_document_model().objects.get(title="protokoll.pdf").url)
    assert served.status_code == 200
    assert "Content-Encoding" not in served


def test_wagtails_sendfile_still_sends_content_encoding_none(tmp_path, rf):
    """The reason for portal.delivery.middleware.without_stray_content_encoding. When this fails,
    Wagtail has fixed its sendfile helper: remove the middleware and this test."""
    from wagtail.utils.sendfile import sendfile
    from wagtail.utils.sendfile_streaming_backend import sendfile as streaming

    path = tmp_path / "protokoll.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    response = sendfile(rf.get("/"), str(path), backend=streaming)
    assert response["Content-Encoding"] == "None"


def test_original_files_are_not_served_by_the_app(client, demo):
    image = ImageFactory()
    document = DocumentFactory()
    assert client.get(image.file.url).status_code == 404
    assert client.get(document.file.url).status_code == 404


def test_serving_media_from_the_app_leaves_documents_out(client, demo, settings):
    """PORTAL_SERVE_MEDIA (single-server installs) serves images, never private documents."""
    from importlib import reload

    from django.urls import clear_url_caches

    import portal.urls

    settings.PORTAL_SERVE_MEDIA = True
    try:
        reload(portal.urls)
        clear_url_caches()
        image = ImageFactory()
        document = DocumentFactory()
        assert client.get(image.file.url).status_code == 200
        assert client.get(document.file.url).status_code == 404
    finally:
        settings.PORTAL_SERVE_MEDIA = False
        reload(portal.urls)
        clear_url_caches()
