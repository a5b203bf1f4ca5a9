"""Documents (and uploads Django serves) as browsers and web servers need them.

- byte_ranges: answers `Range` requests on file responses with 206 and `Content-Range`
  (416 for a range outside the file). iPhones and iPads play a video only from byte
  ranges, and every browser seeks in one that way.
- sendfile: Wagtail's document view calls it (SENDFILE_BACKEND) after its permission
  check. With PORTAL_FILE_HANDOVER=nginx or apache it answers with an empty response whose
  `X-Accel-Redirect` or `X-Sendfile` header hands the file to the web server in front, which
  sends it (with ranges) while the gunicorn worker serves the next request; otherwise
  Django streams the file itself.
"""

import os
import re
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, HttpResponse
from wagtail.utils import sendfile_streaming_backend

HANDOVER_HEADERS = {"nginx": "X-Accel-Redirect", "apache": "X-Sendfile"}
SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def sendfile(request, filename, **kwargs):
    handover = settings.PORTAL_FILE_HANDOVER
    if not handover:
        return sendfile_streaming_backend.sendfile(request, filename, **kwargs)
    response = HttpResponse()
    if handover == "nginx":
        response["X-Accel-Redirect"] = settings.PORTAL_FILE_HANDOVER_PREFIX + quote(
            media_relative(filename)
        )
    else:
        response["X-Sendfile"] = str(Path(filename).resolve())
    # the document passed a permission check for this request: no shared cache (nor the
    # page cache) keeps it for the next visitor
    response["Cache-Control"] = "private"
    return response


def media_relative(filename) -> str:
    try:
        return Path(filename).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve()).as_posix()
    except ValueError:
        raise ImproperlyConfigured(f"{filename} is not inside MEDIA_ROOT") from None


def requested_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) byte of a single range; None to send the whole file (no byte range,
    or several, which a server may answer in full); False when it cannot be satisfied."""
    if not header.startswith("bytes=") or "," in header:
        return None
    match = SINGLE_RANGE.match(header.replace(" ", ""))
    if not match or match.groups() == ("", ""):
        return False
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return False
        return max(size - length, 0), size - 1
    first = int(first)
    last = size - 1 if last == "" else min(int(last), size - 1)
    if first >= size or first > last:
        return False
    return first, last


def byte_ranges(get_response):
    def middleware(request):
        response = get_response(request)
        if any(header in response for header in HANDOVER_HEADERS.values()):
            # the web server sends the file and its length; Wagtail set the file's size
            # on this empty response
            del response["Content-Length"]
            return response
        if not isinstance(response, FileResponse) or response.status_code != 200:
            return response
        file = response.file_to_stream
        if file is None or not file.seekable():
            return response
        response["Accept-Ranges"] = "bytes"
        header = request.headers.get("Range", "")
        if request.method != "GET" or not header:
            return response
        if_range = request.headers.get("If-Range")
        if if_range and if_range not in (response.get("ETag"), response.get("Last-Modified")):
            return response  # the file changed since the client's part: all of it
        file.seek(0, os.SEEK_END)
        size = file.tell()
        wanted = requested_range(header, size)
        if wanted is None:
            file.seek(0)
            return response
        if wanted is False:
            response.close()
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return refused
        first, last = wanted
        file.seek(first)
        response.streaming_content = read_part(file, last - first + 1, response.block_size)
        response.status_code = 206
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
        return response

    return middleware


def read_part(file, length: int, block_size: int):
    while length > 0:
        block = file.read(min(block_size, length))
        if not block:
            return
        length -= len(block)
        yield block
