"""Uploads on S3-compatible object storage (django-storages) when AWS_STORAGE_BUCKET_NAME is
set: the settings production builds from the environment, a clear stop without the package,
and a real round trip of an image, its rendition and a document through botocore against
a small S3 stand-in on 127.0.0.1 (no outside network)."""

import hashlib
import io
import json
import os
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image as PillowImage

from portal.settings.base import object_storage_settings
from tests.helpers import PRODUCTION_ESSENTIALS
from tests.portal.factories import DocumentFactory, ImageFactory
from tests.portal.test_configuration import REPO, run_production_check
from tests.security.test_headers import production

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "portal-test-key",
    "AWS_SECRET_ACCESS_KEY": "portal-test-secret",
}
DESCRIBE = """
import json
from django.conf import settings
from django.core.files.storage import storages
from wagtail.images.models import get_rendition_storage
from tests.helpers import PRODUCTION_ESSENTIALS

storage = storages["default"]
s3 = storage if hasattr(storage, "bucket_name") else None
renditions = get_rendition_storage()
renditions.url  # the default storage is lazy: evaluate it
print(json.dumps({
    "storage": type(storage).__name__,
    "renditions": type(renditions._wrapped).__name__,
    "bucket": s3 and s3.bucket_name,
    "endpoint": s3 and s3.endpoint_url,
    "domain": s3 and s3.custom_domain,
    "signed": s3 and s3.querystring_auth,
    "acl": s3 and s3.default_acl,
    "overwrite": s3 and s3.file_overwrite,
    "media_url": settings.MEDIA_URL,
    "img_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "url": storage.url("original_images/foto 1.jpg"),
}))
"""


def describe(**variables):
    return json.loads(production(DESCRIBE, **variables).strip().splitlines()[-1])


def test_an_s3_compatible_provider_stores_the_uploads():
    found = describe(
        AWS_STORAGE_BUCKET_NAME="portal-media",
        AWS_S3_ENDPOINT_URL="https://s3.eu-central-3.ionoscloud.com",
        AWS_S3_REGION_NAME="eu-central-3",
        **CREDENTIALS,
    )
    assert found == {
        "storage": "S3Storage",
        "renditions": "S3Storage",
        "bucket": "portal-media",
        "endpoint": "https://s3.eu-central-3.ionoscloud.com",
        "domain": "s3.eu-central-3.ionoscloud.com/portal-media",
        "signed": False,
        "acl": None,
        "overwrite": False,
        "media_url": "https://s3.eu-central-3.ionoscloud.com/portal-media/",
        "img_src": ["'self'", "data:", "https://s3.eu-central-3.ionoscloud.com"],
        "url": "https://s3.eu-central-3.ionoscloud.com/portal-media/original_images/foto%201.jpg",
    }


def test_a_custom_domain_is_the_address_of_the_uploads():
    found = describe(
        AWS_STORAGE_BUCKET_NAME="portal-media",
        AWS_S3_REGION_NAME="eu-central-1",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
        AWS_LOCATION="portal",
        **CREDENTIALS,
    )
    assert found["storage"] == "S3Storage" and found["domain"] == "media.example.org"
    assert found["media_url"] == "https://media.example.org/portal/"
    assert found["img_src"] == ["'self'", "data:", "https://media.example.org"]
    assert found["url"] == "https://media.example.org/portal/original_images/foto%201.jpg"


def test_aws_without_an_endpoint_uses_the_bucket_host():
    found = describe(
        AWS_STORAGE_BUCKET_NAME="portal-media", AWS_S3_REGION_NAME="eu-central-1", **CREDENTIALS
    )
    assert found["media_url"] == "https://portal-media.s3.eu-central-1.amazonaws.com/"
    assert found["url"].startswith(found["media_url"])
    assert found["img_src"] == [
        "'self'",
        "data:",
        "https://portal-media.s3.eu-central-1.amazonaws.com",
    ]


@pytest.mark.parametrize(
    ("variables", "origin", "media_url"),
    [
        # boto3 names us-east-1 files at s3.amazonaws.com unless told the origin
        (
            {"AWS_S3_REGION_NAME": "us-east-1"},
            "https://portal-media.s3.us-east-1.amazonaws.com",
            "https://portal-media.s3.us-east-1.amazonaws.com/",
        ),
        # a region from boto3's own variable only: still the address MEDIA_URL names
        (
            {"AWS_DEFAULT_REGION": "eu-west-1"},
            "https://portal-media.s3.amazonaws.com",
            "https://portal-media.s3.amazonaws.com/",
        ),
        (
            {"AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
            "http://127.0.0.1:9000",
            "http://127.0.0.1:9000/portal-media/",
        ),
    ],
)
def test_file_addresses_always_have_the_origin_the_csp_allows(variables, origin, media_url):
    found = describe(AWS_STORAGE_BUCKET_NAME="portal-media", **variables, **CREDENTIALS)
    assert found["media_url"] == media_url
    assert found["url"] == media_url + "original_images/foto%201.jpg"
    assert found["img_src"] == ["'self'", "data:", origin]


def test_without_a_bucket_uploads_stay_on_the_disk():
    found = describe(AWS_STORAGE_BUCKET_NAME="")
    assert (found["storage"], found["renditions"]) == ("FileSystemStorage", "FileSystemStorage")
    assert (found["media_url"], found["img_src"]) == ("/media/", ["'self'", "data:"])


def test_a_bucket_without_django_storages_stops_the_start_in_one_line():
    """sys.modules[name] = None makes the package look uninstalled to importlib."""
    code = (
        "import sys; sys.modules['storages'] = None;"
        "from portal.settings.env import load_settings_or_exit; load_settings_or_exit()"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "WAGTAILADMIN_", "PORTAL_", "AWS_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        **PRODUCTION_ESSENTIALS,
        AWS_STORAGE_BUCKET_NAME="portal-media",
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: AWS_STORAGE_BUCKET_NAME is set but django-storages is not "
        'installed: pip install -e ".[s3]"'
    ]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AWS_S3_ENDPOINT_URL", "s3.example.org"),
        ("AWS_S3_CUSTOM_DOMAIN", "https://media.example.org"),
        ("AWS_S3_ADDRESSING_STYLE", "auto"),
    ],
)
def test_malformed_object_storage_settings_name_the_variable(variable, value):
    result = run_production_check(
        **PRODUCTION_ESSENTIALS,
        AWS_STORAGE_BUCKET_NAME="portal-media",
        **{variable: value},
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"Configuration error: {variable}")


class FakeS3(BaseHTTPRequestHandler):
    """Just enough of S3's object API (path-style PUT, GET, HEAD, DELETE) for django-storages;
    signatures are not checked. `objects` maps "bucket/key" to (body, headers of the PUT)."""

    protocol_version = "HTTP/1.1"
    objects: dict = {}

    def log_message(self, *args):
        pass

    def key(self):
        return urllib.parse.unquote(self.path.split("?", 1)[0].lstrip("/"))

    def reply(self, status, body=b"", headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if "aws-chunked" in self.headers.get("Content-Encoding", ""):
            body = decode_aws_chunked(body)
        self.objects[self.key()] = (body, dict(self.headers))
        self.reply(200, headers={"ETag": f'"{hashlib.md5(body).hexdigest()}"'})  # noqa: S324

    def do_GET(self):
        if self.key() not in self.objects:
            self.reply(404, b"<Error><Code>NoSuchKey</Code></Error>")
            return
        body, stored = self.objects[self.key()]
        self.reply(
            200,
            body,
            {
                "ETag": f'"{hashlib.md5(body).hexdigest()}"',  # noqa: S324
                "Last-Modified": formatdate(usegmt=True),
                "Content-Type": stored.get("Content-Type", "application/octet-stream"),
                "Cache-Control": stored.get("Cache-Control", ""),
            },
        )

    def do_HEAD(self):
        if self.key() not in self.objects:
            self.reply(404)
            return
        self.do_GET()

    def do_DELETE(self):
        self.objects.pop(self.key(), None)
        self.reply(204)


def decode_aws_chunked(body: bytes) -> bytes:
    data, rest = b"", body
    while True:
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return data
        data, rest = data + rest[:size], rest[size + 2 :]


@pytest.fixture
def fake_s3():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeS3)
    FakeS3.objects = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", FakeS3.objects
    server.shutdown()
    server.server_close()


def test_images_renditions_and_documents_go_through_the_object_storage(
    client, demo, settings, monkeypatch, fake_s3
):
    endpoint, objects = fake_s3
    for name, value in {
        **CREDENTIALS,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "eu-central-3",
    }.items():
        monkeypatch.setenv(name, value)
    storage_settings = object_storage_settings("portal-media")
    settings.STORAGES = storage_settings["STORAGES"]
    settings.MEDIA_URL = storage_settings["MEDIA_URL"]
    assert storage_settings["MEDIA_URL"] == f"{endpoint}/portal-media/"

    image = ImageFactory(file__width=640, file__height=480, file__filename="foto.jpg")
    again = ImageFactory(file__width=64, file__height=48, file__filename="foto.jpg")
    assert image.file.name != again.file.name  # never overwritten
    assert f"portal-media/{image.file.name}" in objects
    rendition = image.get_rendition("fill-80x60")
    key = f"portal-media/{rendition.file.name}"
    assert key in objects
    body, headers = objects[key]
    assert "x-amz-acl" not in {name.lower() for name in headers}  # the bucket policy decides
    assert headers.get("Cache-Control") == "public, max-age=86400"

    assert rendition.url.startswith(settings.MEDIA_URL)
    assert "X-Amz-Signature" not in rendition.url and "Signature=" not in rendition.url
    with urllib.request.urlopen(rendition.url, timeout=10) as response:  # noqa: S310
        fetched = response.read()
    assert fetched == body
    assert PillowImage.open(io.BytesIO(fetched)).size == (80, 60)

    # documents stay behind Django's view, which reads them from the bucket
    document = DocumentFactory(file__filename="protokoll.txt", file__data=b"Protokoll")
    assert f"portal-media/{document.file.name}" in objects
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Protokoll"
    # streamed in parts, with byte ranges as from the disk (a video plays on an iPhone)
    assert response["Accept-Ranges"] == "bytes"
    part = client.get(document.url, HTTP_RANGE="bytes=2-5")
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 2-5/9"
    assert b"".join(part.streaming_content) == b"otok"
    assert client.get(document.url, HTTP_RANGE="bytes=9-").status_code == 416
