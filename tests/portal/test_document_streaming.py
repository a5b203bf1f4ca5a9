"""Documents as players and web servers need them (portal/delivery/files.py): byte ranges
(206, Content-Range, 416), and the hand-over to nginx or Apache after the permission check."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction


def document(size, name="gebaerdensprache.mp4", collection=None):
    data = bytes(index % 251 for index in range(size))
    extra = {"collection": collection} if collection else {}
    stored = get_document_model().objects.create(
        title=name, file=ContentFile(data, name=name), **extra
    )
    return stored, data


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


SIZES = [1, 4_096, 70_001, 1_048_576]


@pytest.mark.parametrize("size", SIZES)
def test_the_whole_file_says_it_accepts_ranges(client, demo, size):
    stored, data = document(size)
    response = client.get(stored.url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == data


@pytest.mark.parametrize("size", SIZES)
def test_byte_ranges_answer_206_with_the_part(client, demo, size):
    stored, data = document(size)
    cases = {
        "bytes=0-0": (0, 0),
        f"bytes={size // 2}-": (size // 2, size - 1),
        "bytes=-100": (max(size - 100, 0), size - 1),
        f"bytes=0-{size + 5000}": (0, size - 1),  # past the end: up to the end
        f"bytes={size // 3}-{size // 2}": (size // 3, size // 2),
    }
    for header, (first, last) in cases.items():
        response = client.get(stored.url, HTTP_RANGE=header)
        assert response.status_code == 206, header
        assert response["Content-Range"] == f"bytes {first}-{last}/{size}", header
        assert response["Content-Length"] == str(last - first + 1), header
        assert body(response) == data[first : last + 1], header


@pytest.mark.parametrize("size", [0, 10, 70_001])
@pytest.mark.parametrize(
    "header", ["bytes={size}-", "bytes={size}-{end}", "bytes=5-2", "bytes=-0", "bytes=x-y"]
)
def test_unsatisfiable_ranges_answer_416(client, demo, size, header):
    stored, _data = document(size)
    header = header.format(size=size, end=size + 10)
    response = client.get(stored.url, HTTP_RANGE=header)
    assert response.status_code == 416, header
    assert response["Content-Range"] == f"bytes */{size}"


@pytest.mark.parametrize("header", ["items=0-1", "bytes=0-1,5-6"])
def test_other_units_and_several_ranges_get_the_whole_file(client, demo, header):
    stored, data = document(1000)
    response = client.get(stored.url, HTTP_RANGE=header)
    assert response.status_code == 200
    assert body(response) == data


def test_a_range_of_a_changed_file_gets_the_whole_file(client, demo):
    stored, data = document(1000)
    etag = client.get(stored.url)["ETag"]
    same = client.get(stored.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert same.status_code == 206 and body(same) == data[:10]
    changed = client.get(stored.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"')
    assert changed.status_code == 200 and body(changed) == data


@pytest.fixture
def private_collection(demo):
    collection = Collection.get_first_root_node().add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


@pytest.mark.parametrize("server", ["nginx", "apache"])
def test_a_private_document_is_never_handed_over_without_permission(
    client, private_collection, settings, server
):
    settings.PORTAL_FILE_HANDOVER = server
    stored, _data = document(1000, name="intern.pdf", collection=private_collection)
    response = client.get(stored.url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert "X-Accel-Redirect" not in response and "X-Sendfile" not in response


@pytest.mark.parametrize(
    ("server", "header"), [("nginx", "X-Accel-Redirect"), ("apache", "X-Sendfile")]
)
def test_a_private_document_is_handed_over_once_the_check_is_passed(
    client, private_collection, settings, django_user_model, server, header
):
    settings.PORTAL_FILE_HANDOVER = server
    stored, _data = document(1000, name="intern.pdf", collection=private_collection)
    client.force_login(django_user_model.objects.create_user("kollegin", password="x" * 20))
    response = client.get(stored.url)
    assert response.status_code == 200
    assert response[header].endswith(stored.file.name)  # documents/intern….pdf
    assert response["Cache-Control"] == "private"  # no shared cache keeps it for others


def test_nginx_gets_the_file_by_x_accel_redirect(client, demo, settings):
    settings.PORTAL_FILE_HANDOVER = "nginx"
    stored, _data = document(70_001, name="Gebärdensprache Video.mp4")
    response = client.get(stored.url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 200  # nginx answers the range itself
    assert response["X-Accel-Redirect"] == (
        "/protected-media/documents/Geb%C3%A4rdensprache_Video.mp4"
    )
    assert response.content == b""
    assert "Content-Length" not in response  # nginx sends the file's own
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private"


def test_apache_gets_the_file_by_x_sendfile(client, demo, settings):
    settings.PORTAL_FILE_HANDOVER = "apache"
    stored, _data = document(1000, name="protokoll.pdf")
    response = client.get(stored.url)
    assert response.status_code == 200
    assert response["X-Sendfile"] == stored.file.path
    assert response.content == b""
    assert "Content-Length" not in response
