"""Remote actors and their keys: fetched through the SSRF guard with a signed GET (the
instance actor's key, for servers in "authorized fetch" mode), kept in RemoteActor."""

import json
from urllib.parse import urldefrag

from django.utils import timezone
from wagtail.models import Site

from . import activities
from .fetch import FetchError, request
from .keys import key_pair, private_key
from .models import RemoteActor
from .signatures import sign_cavage, sign_rfc9421

ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'


class RemoteError(Exception):
    pass


def signer(site: Site | None, *, instance: bool = False, rfc9421: bool = False):
    """sign(method, url, headers, body) for the site's actor, or the instance actor."""
    site = site or Site.objects.get(is_default_site=True)
    if instance:
        actor, pair = activities.instance_actor_id(site), key_pair(None)
    else:
        actor, pair = activities.actor_id(site), key_pair(site)
    key = private_key(pair)
    scheme = sign_rfc9421 if rfc9421 else sign_cavage

    def sign(method, url, headers, body):
        return scheme(method, url, headers, body, activities.key_id(actor), key)

    return sign


def fetch_json(url: str, site: Site | None) -> dict:
    response = request(
        "GET",
        url,
        headers={"Accept": ACCEPT},
        site=site,
        sign=signer(site, instance=True),
    )
    if response.status != 200:
        raise RemoteError(f"{url}: HTTP {response.status}")
    try:
        document = json.loads(response.body)
    except ValueError:
        raise RemoteError(f"{url}: not JSON") from None
    if not isinstance(document, dict):
        raise RemoteError(f"{url}: not an object")
    return document


def ident(value) -> str:
    """The id of a reference (a string or an object with an id)."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def store_actor(document: dict) -> RemoteActor:
    uri = ident(document)
    if not uri.startswith(("https://", "http://")):
        raise RemoteError("actor without an id")
    key = document.get("publicKey")
    if isinstance(key, list):
        key = key[0] if key else None
    key = key if isinstance(key, dict) else {}
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    values = {
        "inbox": ident(document.get("inbox"))[:500],
        "shared_inbox": ident(endpoints.get("sharedInbox"))[:500],
        "outbox": ident(document.get("outbox"))[:500],
        "name": str(document.get("name") or document.get("preferredUsername") or "")[:200],
        "fetched_at": timezone.now(),
    }
    if key.get("publicKeyPem") and (key.get("owner") in (None, uri)):
        values["key_id"] = ident(key)[:500]
        values["public_key_pem"] = str(key["publicKeyPem"])
    actor, _created = RemoteActor.objects.update_or_create(uri=uri[:500], defaults=values)
    return actor


def actor(uri: str, site: Site | None, *, refresh: bool = False) -> RemoteActor:
    known = RemoteActor.objects.filter(uri=uri).first()
    if known is not None and known.inbox and not refresh:
        return known
    try:
        document = fetch_json(uri, site)
    except FetchError as error:
        raise RemoteError(str(error)) from None
    if ident(document) != uri:
        raise RemoteError("the actor document has another id")
    return store_actor(document)


def key(key_id: str, site: Site | None, *, refresh: bool = False) -> tuple[str, str]:
    """(owner, public key PEM) of a key id."""
    if not refresh:
        known = RemoteActor.objects.filter(key_id=key_id).exclude(public_key_pem="").first()
        if known is not None:
            return known.uri, known.public_key_pem
    try:
        document = fetch_json(urldefrag(key_id).url, site)
    except FetchError as error:
        raise RemoteError(str(error)) from None
    if "publicKey" in document:  # the actor's document with its key
        stored = store_actor(document)
        if stored.key_id != key_id:
            raise RemoteError("the key is not the actor's")
        return stored.uri, stored.public_key_pem
    if ident(document) == key_id and document.get("publicKeyPem"):  # the key's own document
        owner = ident(document.get("owner"))
        return owner, str(document["publicKeyPem"])
    raise RemoteError("no key found")
