"""A remote fediverse server on 127.0.0.1 for the network's tests: it serves actor
documents and records what is posted to it; its signatures are made and checked with
apsig (a PyPI implementation of draft-cavage and RFC 9421, not our code)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from apsig.draft.sign import Signer as CavageSigner
from apsig.draft.verify import Verifier as CavageVerifier
from apsig.rfc9421 import RFC9421Signer, RFC9421Verifier
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class RemoteServer:
    def __init__(self):
        self.documents = {}  # path: document (or (status, headers, bytes))
        self.received = []  # (path, headers, body)
        self.fetched = []  # paths asked for
        self.inbox_status = 202
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def handler(self):
        remote = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                remote.fetched.append(self.path)
                found = remote.documents.get(self.path)
                if found is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                if callable(found):
                    found(self)
                    return
                if isinstance(found, tuple):
                    status, headers, body = found
                else:
                    status, headers = 200, {"Content-Type": "application/activity+json"}
                    body = json.dumps(found).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                remote.received.append((self.path, dict(self.headers), body))
                self.send_response(remote.inbox_status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler


class RemoteActor:
    """An account on the remote server, with its own RSA key."""

    def __init__(self, server: RemoteServer, name: str = "alice", *, shared_inbox=True):
        self.server = server
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.id = f"{server.base}/users/{name}"
        self.key_id = f"{self.id}#main-key"
        self.inbox = f"{self.id}/inbox"
        self.public_pem = (
            self.key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        document = {
            "@context": ["https://www.w3.org/ns/activitystreams"],
            "id": self.id,
            "type": "Person",
            "preferredUsername": name,
            "inbox": self.inbox,
            "outbox": f"{self.id}/outbox",
            "publicKey": {"id": self.key_id, "owner": self.id, "publicKeyPem": self.public_pem},
        }
        if shared_inbox:
            document["endpoints"] = {"sharedInbox": f"{server.base}/inbox"}
        self.document = document
        server.documents[f"/users/{name}"] = document

    def signed_post(
        self,
        client,
        path: str,
        activity: dict,
        *,
        scheme="cavage",
        host="testserver",
        headers=None,
        body=None,
    ):
        """POST `activity` to our portal's `path` through Django's test client, signed by
        apsig as this account."""
        body = body if body is not None else json.dumps(activity).encode()
        url = f"http://{host}{path}"
        base_headers = {"Content-Type": "application/activity+json", "Host": host}
        if scheme == "cavage":
            signed = CavageSigner(
                headers=base_headers,
                private_key=self.key,
                method="POST",
                url=url,
                key_id=self.key_id,
                body=body,
            ).sign()
        else:
            signer = RFC9421Signer(self.key, self.key_id)
            # apsig covers date, method, path, authority and length; the body's digest too,
            # as Mastodon requires
            signer.sign_headers = [*signer.sign_headers, "content-digest"]
            import base64
            import hashlib

            digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
            signed = signer.sign(
                "POST",
                path,
                host,
                {**base_headers, "content-digest": f"sha-256=:{digest}:"},
                body,
            )
            # apsig 0.6 signs the digest given but then writes a malformed one of its own
            # ("sha-256=:SHA-256=…:"): send the one it signed
            signed["content-digest"] = f"sha-256=:{digest}:"
        signed.update(headers or {})
        meta = {
            f"HTTP_{name.upper().replace('-', '_')}": value
            for name, value in signed.items()
            if name.lower() not in ("content-type", "content-length", "host")
        }
        return client.post(
            path, data=body, content_type="application/activity+json", HTTP_HOST=host, **meta
        )


def verify_cavage(received, public_pem: str) -> str | None:
    path, headers, body = received
    host = headers.get("Host")
    return CavageVerifier(public_pem, "POST", f"http://{host}{path}", headers, body).verify(
        raise_on_fail=True
    )


def verify_rfc9421(received, public_pem: str) -> str | None:
    path, headers, body = received
    key = serialization.load_pem_public_key(public_pem.encode())
    return RFC9421Verifier(key, "POST", path, headers.get("Host"), headers, body).verify(
        raise_on_fail=True
    )
