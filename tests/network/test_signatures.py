"""Our signing and verifying, against each other and against apsig."""

import base64
import datetime
import json

import pytest
from apsig.draft.verify import Verifier as CavageVerifier
from apsig.rfc9421 import RFC9421Verifier
from cryptography.hazmat.primitives import serialization

from network.keys import generate
from network.signatures import (
    SignatureError,
    SignedRequest,
    check_date,
    check_digest,
    sign_cavage,
    sign_rfc9421,
    verify,
)

URL = "https://portal.example/ap/actor/inbox"
KEY_ID = "https://remote.example/users/a#main-key"


@pytest.fixture(scope="module")
def keys():
    public_pem, private_pem = generate()
    return public_pem, serialization.load_pem_private_key(private_pem.encode(), None)


def signed_request(headers, body):
    return SignedRequest("POST", URL, {"Host": "portal.example", **headers}, body)


@pytest.mark.parametrize("sign", [sign_cavage, sign_rfc9421])
def test_what_we_sign_we_verify(keys, sign):
    public_pem, private = keys
    body = b'{"type": "Follow"}'
    headers = sign("POST", URL, {"Host": "portal.example"}, body, KEY_ID, private)
    request = signed_request(headers, body)
    check_digest(request)
    check_date(request.headers)
    assert request.key_id() == KEY_ID
    verify(request, KEY_ID, public_pem)


@pytest.mark.parametrize("sign", [sign_cavage, sign_rfc9421])
def test_a_changed_body_or_address_does_not_verify(keys, sign):
    public_pem, private = keys
    headers = sign("POST", URL, {"Host": "portal.example"}, b"{}", KEY_ID, private)
    with pytest.raises(SignatureError):
        check_digest(signed_request(headers, b'{"x": 1}'))
    moved = SignedRequest(
        "POST", "https://portal.example/ap/inbox", {"Host": "portal.example", **headers}, b"{}"
    )
    with pytest.raises(SignatureError):
        verify(moved, KEY_ID, public_pem)


def test_apsig_verifies_our_signatures(keys):
    public_pem, private = keys
    body = json.dumps({"type": "Create"}).encode()
    cavage = sign_cavage("POST", URL, {"Host": "portal.example"}, body, KEY_ID, private)
    assert CavageVerifier(public_pem, "POST", URL, cavage, body).verify(True) == KEY_ID
    rfc9421 = sign_rfc9421("POST", URL, {"Host": "portal.example"}, body, KEY_ID, private)
    key = serialization.load_pem_public_key(public_pem.encode())
    verifier = RFC9421Verifier(key, "POST", "/ap/actor/inbox", "portal.example", rfc9421, body)
    assert verifier.verify(True) == KEY_ID


def test_an_rfc9421_signature_must_cover_the_body_digest(keys):
    public_pem, private = keys
    body = b"{}"
    headers = sign_rfc9421("POST", URL, {"Host": "portal.example"}, None, KEY_ID, private)
    digest = base64.b64encode(__import__("hashlib").sha256(body).digest()).decode()
    headers["Content-Digest"] = f"sha-256=:{digest}:"  # present, but not signed
    request = signed_request(headers, body)
    check_digest(request)
    with pytest.raises(SignatureError):
        verify(request, KEY_ID, public_pem)


def test_a_cavage_signature_must_cover_the_digest_host_and_target(keys):
    public_pem, private = keys
    headers = sign_cavage("POST", URL, {"Host": "portal.example"}, b"{}", KEY_ID, private)
    headers["Signature"] = headers["Signature"].replace(
        'headers="(request-target) host date digest"', 'headers="date"'
    )
    with pytest.raises(SignatureError, match="covers too little"):
        verify(signed_request(headers, b"{}"), KEY_ID, public_pem)


@pytest.mark.parametrize(
    ("hours", "accepted"), [(-12.5, True), (-13.5, False), (0.5, True), (1.5, False)]
)
def test_the_date_window_is_12_hours_with_1_hour_of_skew(hours, accepted):
    sent = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=hours)
    headers = {"date": sent.strftime("%a, %d %b %Y %H:%M:%S GMT")}
    if accepted:
        check_date(headers)
    else:
        with pytest.raises(SignatureError):
            check_date(headers)
