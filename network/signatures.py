"""HTTP signatures: verifying incoming requests (draft-cavage, what most servers send, and
RFC 9421) and signing outgoing ones (draft-cavage by default, RFC 9421 for servers that
signed to us that way).

Verification follows what Mastodon accepts: a `Date` (or `created`) no older than 12 hours
with one hour of clock skew, the body's `Digest`/`Content-Digest` covered by the signature
and matching, and the key's owner being the activity's actor. The cheap checks come first;
a key is fetched only when its id lives on the actor's own host.
"""

import base64
import datetime
import email.utils
import hashlib
import re
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from http_message_signatures import (
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    algorithms,
)
from http_message_signatures import (
    InvalidSignature as InvalidMessageSignature,
)

from .keys import public_key

MAX_AGE = datetime.timedelta(hours=12)
CLOCK_SKEW = datetime.timedelta(hours=1)
CAVAGE_PARAMETER = re.compile(r'(\w+)="([^"]*)"|(\w+)=(\d+)')
KEYID_PARAMETER = re.compile(r';\s*keyid="([^"]+)"')


class SignatureError(Exception):
    """The request's signature is missing, malformed, stale or wrong (the message says
    which, for the log; the sender gets 401)."""


# --- what a request carries ---------------------------------------------------------------


class SignedRequest:
    """The parts of an incoming request a signature covers (from Django's request)."""

    def __init__(self, method: str, url: str, headers: dict, body: bytes):
        self.method = method.upper()
        self.url = url
        self.headers = {name.lower(): value for name, value in headers.items()}
        self.body = body

    @classmethod
    def from_django(cls, request, body: bytes):
        headers = {
            name[5:].replace("_", "-").lower(): value
            for name, value in request.META.items()
            if name.startswith("HTTP_")
        }
        headers.setdefault("host", request.get_host())
        for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if request.META.get(name):
                headers[name.replace("_", "-").lower()] = request.META[name]
        return cls(request.method, request.build_absolute_uri(), headers, body)

    @property
    def target(self) -> str:
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def scheme(self) -> str:
        if "signature-input" in self.headers:
            return "rfc9421"
        if "signature" in self.headers or self.headers.get("authorization", "").startswith(
            "Signature "
        ):
            return "cavage"
        raise SignatureError("not signed")

    def key_id(self) -> str:
        """The signature's key id, read without verifying anything yet."""
        if self.scheme() == "rfc9421":
            found = KEYID_PARAMETER.search(self.headers["signature-input"])
            if not found:
                raise SignatureError("no keyid")
            return found.group(1)
        key_id = self.cavage_parameters().get("keyId")
        if not key_id:
            raise SignatureError("no keyId")
        return key_id

    def cavage_parameters(self) -> dict:
        header = self.headers.get("signature") or self.headers["authorization"][10:]
        parameters = {}
        for match in CAVAGE_PARAMETER.finditer(header):
            if match.group(1):
                parameters[match.group(1)] = match.group(2)
            else:
                parameters[match.group(3)] = match.group(4)
        return parameters


# --- checks before any key is fetched -------------------------------------------------------


def check_date(headers: dict, now: datetime.datetime | None = None) -> None:
    value = headers.get("date")
    if not value:
        return
    try:
        sent = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        raise SignatureError("unreadable Date") from None
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=datetime.UTC)
    check_time(sent, now)


def check_time(sent: datetime.datetime, now: datetime.datetime | None = None) -> None:
    now = now or datetime.datetime.now(datetime.UTC)
    if sent > now + CLOCK_SKEW:
        raise SignatureError("signed in the future")
    if sent < now - MAX_AGE - CLOCK_SKEW:
        raise SignatureError("signature too old")


def sha256_digest(body: bytes) -> bytes:
    return hashlib.sha256(body).digest()


def check_digest(signed: SignedRequest) -> None:
    """The body matches the `Digest` (cavage) or `Content-Digest` (RFC 9421) it was sent
    with; a body without one is refused."""
    if signed.method == "GET" and not signed.body:
        return
    if signed.scheme() == "rfc9421":
        header = signed.headers.get("content-digest", "")
        expected = {
            "sha-256": hashlib.sha256(signed.body).digest(),
            "sha-512": hashlib.sha512(signed.body).digest(),
        }
        found = dict(
            (name.strip().lower(), value.strip().strip(":"))
            for name, _, value in (part.partition("=") for part in header.split(","))
            if value
        )
    else:
        header = signed.headers.get("digest", "")
        expected = {
            "sha-256": hashlib.sha256(signed.body).digest(),
            "sha-512": hashlib.sha512(signed.body).digest(),
        }
        found = dict(
            (name.strip().lower(), value.strip())
            for name, _, value in (part.partition("=") for part in header.split(","))
            if value
        )
    if not found:
        raise SignatureError("no body digest")
    for algorithm, value in found.items():
        if algorithm in expected:
            try:
                if base64.b64decode(value) == expected[algorithm]:
                    return
            except ValueError:
                break
            raise SignatureError("body digest does not match")
    raise SignatureError("no usable body digest")


def same_owner_host(key_id: str, actor: str) -> None:
    """A key on another host than the actor cannot be the actor's: refuse before fetching
    anything (no request to an address an attacker chose)."""
    key_host = (urlsplit(key_id).hostname or "").lower()
    actor_host = (urlsplit(actor).hostname or "").lower()
    if not key_host or key_host != actor_host:
        raise SignatureError("key and actor on different hosts")


# --- verifying ----------------------------------------------------------------------------


def verify_cavage(signed: SignedRequest, pem: str) -> None:
    parameters = signed.cavage_parameters()
    covered = parameters.get("headers", "date").lower().split()
    required = {"(request-target)", "host"} | ({"digest"} if signed.body else set())
    if not required <= set(covered) or not ({"date", "(created)"} & set(covered)):
        raise SignatureError(f"signature covers too little: {' '.join(covered)}")
    if parameters.get("algorithm", "hs2019") not in ("rsa-sha256", "hs2019"):
        raise SignatureError("unsupported algorithm")
    if "(created)" in covered:
        created = parameters.get("created", "")
        if not created.isdigit():
            raise SignatureError("no created")
        check_time(datetime.datetime.fromtimestamp(int(created), tz=datetime.UTC))
    lines = []
    for name in covered:
        if name == "(request-target)":
            value = f"{signed.method.lower()} {signed.target}"
        elif name in ("(created)", "(expires)"):
            value = parameters.get(name[1:-1], "")
        elif name in signed.headers:
            value = signed.headers[name]
        else:
            raise SignatureError(f"signed header {name} missing")
        lines.append(f"{name}: {value}")
    try:
        signature = base64.b64decode(parameters.get("signature", ""))
        key = public_key(pem)
        if not isinstance(key, rsa.RSAPublicKey):
            raise SignatureError("not an RSA key")
        key.verify(signature, "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError) as error:
        raise SignatureError(f"signature does not verify ({error.__class__.__name__})") from None


class Verifier(HTTPMessageVerifier):
    max_clock_skew = CLOCK_SKEW


class OneKey(HTTPSignatureKeyResolver):
    def __init__(self, key_id: str, pem: str):
        self.key_id, self.pem = key_id, pem

    def resolve_public_key(self, key_id: str):
        return public_key(self.pem) if key_id == self.key_id else None


def verify_rfc9421(signed: SignedRequest, key_id: str, pem: str) -> None:
    verifier = Verifier(
        signature_algorithm=algorithms.RSA_V1_5_SHA256, key_resolver=OneKey(key_id, pem)
    )
    required = ["@method", "@authority"]
    if signed.body:
        required.append("content-digest")
    try:
        results = verifier.verify(
            signed, max_age=MAX_AGE, body=signed.body or None, require_components=required
        )
    except InvalidMessageSignature as error:
        raise SignatureError(f"RFC 9421 signature does not verify ({error})") from None
    covered = set(results[0].covered_components)
    if not covered & {'"@target-uri"', '"@path"', '"@request-target"'}:
        raise SignatureError("signature does not cover the address")


def verify(signed: SignedRequest, key_id: str, pem: str) -> str:
    """Verify with the key's PEM; returns the scheme."""
    scheme = signed.scheme()
    if scheme == "rfc9421":
        verify_rfc9421(signed, key_id, pem)
    else:
        verify_cavage(signed, pem)
    return scheme


# --- signing ------------------------------------------------------------------------------


def http_date() -> str:
    return email.utils.formatdate(usegmt=True)


def _rsa_sign(private_key, data: bytes) -> bytes:
    return private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def sign_cavage(
    method: str, url: str, headers: dict, body: bytes | None, key_id: str, private_key
) -> dict:
    """draft-cavage-http-signatures-12 as Mastodon sends it: rsa-sha256 over
    (request-target), host, date, and digest with a body (accept on a GET)."""
    parts = urlsplit(url)
    headers = dict(headers)
    headers.setdefault("Date", http_date())
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lower = {name.lower(): value for name, value in headers.items()}
    covered = ["(request-target)", "host", "date"]
    if body is not None:
        headers["Digest"] = "SHA-256=" + base64.b64encode(sha256_digest(body)).decode()
        lower["digest"] = headers["Digest"]
        covered.append("digest")
    elif "accept" in lower:
        covered.append("accept")
    lines = [f"(request-target): {method.lower()} {target}"]
    lines += [f"{name}: {lower[name]}" for name in covered[1:]]
    signature = base64.b64encode(_rsa_sign(private_key, "\n".join(lines).encode())).decode()
    headers["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(covered)}",'
        f'signature="{signature}"'
    )
    return headers


def authority(parts) -> str:
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}[parts.scheme]
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


def sign_rfc9421(
    method: str, url: str, headers: dict, body: bytes | None, key_id: str, private_key
) -> dict:
    """RFC 9421 with rsa-v1_5-sha256 over @method, @authority, @path, date and, with a body,
    content-digest (RFC 9530). Built by hand (http-message-signatures orders the parameters
    keyid;alg, which some implementations rebuild as alg;keyid and then fail to verify)."""
    parts = urlsplit(url)
    headers = dict(headers)
    headers.setdefault("Date", http_date())
    lower = {name.lower(): value for name, value in headers.items()}
    components = [
        ("@method", method.upper()),
        ("@authority", authority(parts)),
        ("@path", parts.path or "/"),
        ("date", lower["date"]),
    ]
    if body is not None:
        headers["Content-Digest"] = f"sha-256=:{base64.b64encode(sha256_digest(body)).decode()}:"
        components.append(("content-digest", headers["Content-Digest"]))
    created = int(datetime.datetime.now(datetime.UTC).timestamp())
    names = " ".join(f'"{name}"' for name, _ in components)
    parameters = f'({names});created={created};alg="rsa-v1_5-sha256";keyid="{key_id}"'
    base = "\n".join(f'"{name}": {value}' for name, value in components)
    base += f'\n"@signature-params": {parameters}'
    signature = base64.b64encode(_rsa_sign(private_key, base.encode())).decode()
    headers["Signature-Input"] = f"sig1={parameters}"
    headers["Signature"] = f"sig1=:{signature}:"
    return headers
