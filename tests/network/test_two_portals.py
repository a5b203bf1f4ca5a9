"""Two portal instances on this machine, each with its own database and server process,
following each other over HTTP on 127.0.0.1 (the tests' allow-list): B follows A's actor, A
publishes a workshop → B's Network page shows it; A cancels it → B shows it cancelled; A
unpublishes it while B is down → delivered when B is back, and gone from B's page."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None, reason="needs gunicorn"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Portal:
    def __init__(self, name, template: Path, workdir: Path):
        self.name = name
        self.database = workdir / f"{name}.sqlite3"
        shutil.copy(template, self.database)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "PYTHONPATH": str(ROOT),
        }
        self.server = None
        self.page = self.run("site", str(self.port))["network_page"]

    def run(self, *args):
        done = subprocess.run(
            [sys.executable, "-m", "tests.network.portal_driver", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        assert done.returncode == 0 and lines, done.stderr[-3000:]
        return json.loads(lines[-1][7:])

    def start(self):
        self.server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/ap/actor", timeout=2)  # noqa: S310
                return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"portal {self.name} did not start")

    def stop(self):
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=20)
            self.server = None

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"{self.base}{path}", timeout=10) as response:  # noqa: S310
            return response.read().decode()


@pytest.fixture(scope="module")
def portals(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("two-portals")
    template = workdir / "template.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{template}",
    }
    for command in (["migrate", "-v0"], ["setup_portal"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    a, b = Portal("a", template, workdir), Portal("b", template, workdir)
    a.start()
    b.start()
    yield a, b
    a.stop()
    b.stop()


def test_b_follows_a_and_shows_its_workshops(portals):
    a, b = portals
    b.run("follow", f"{a.base}/ap/actor")
    assert b.run("deliver")["delivered"] == 1  # the Follow
    assert a.run("state")["followers"] == [f"{b.base}/ap/actor"]
    assert a.run("deliver")["delivered"] == 1  # the Accept
    assert b.run("state")["accepted"] == [True]

    key = a.run("publish", "Werkstatt aus A")["key"]
    assert a.run("deliver")["delivered"] == 1
    assert "Werkstatt aus A" in b.get(b.page)

    a.run("cancel", key)
    a.run("deliver")
    page = b.get(b.page)
    assert "Werkstatt aus A" in page and "Abgesagt" in page

    b.stop()  # B is down for a while
    a.run("unpublish", key)
    assert a.run("deliver")["retry"] == 1
    assert a.run("state")["pending"] == 1
    b.start()
    assert a.run("deliver", "3")["delivered"] == 1  # the next try, minutes later
    assert "Werkstatt aus A" not in b.get(b.page)

    b.run("unfollow", f"{a.base}/ap/actor")  # the source removed: Undo(Follow)
    assert b.run("deliver")["delivered"] == 1
    assert a.run("state")["followers"] == []


def test_an_independent_implementation_follows_and_receives_accept_and_create(portals):
    """apkit (a PyPI ActivityPub toolkit, not our code) fetches A's actor and sends a Follow
    signed with draft-cavage; A's Accept and Create(Event) verify with apsig against the key
    A publishes."""
    from apkit.client.sync import ActivityPubClient
    from apkit.types import ActorKey

    from .remote import RemoteActor, RemoteServer, verify_cavage

    a, _b = portals
    remote = RemoteServer()
    try:
        carol = RemoteActor(remote, "carol")
        with ActivityPubClient() as client:
            actor = client.get(
                f"{a.base}/ap/actor", headers={"Accept": "application/activity+json"}
            ).json()
            assert actor["preferredUsername"] == "werkstaetten"
            follow = {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": f"{carol.id}/follows/1",
                "type": "Follow",
                "actor": carol.id,
                "object": actor["id"],
            }
            response = client.post(
                actor["inbox"],
                headers={"Content-Type": "application/activity+json"},
                body=follow,
                signatures=[ActorKey(key_id=carol.key_id, private_key=carol.key)],
                sign_with=["draft-cavage"],
            )
            assert response.status == 202
        a.run("deliver")
        a.run("publish", "Werkstatt für alle")
        a.run("deliver")
        received = {
            json.loads(body)["type"]: (path, headers, body)
            for path, headers, body in remote.received
        }
        assert set(received) >= {"Accept", "Create"}
        assert json.loads(received["Create"][2])["object"]["name"] == "Werkstatt für alle"
        key = actor["publicKey"]["publicKeyPem"]
        for kind in ("Accept", "Create"):
            assert verify_cavage(received[kind], key) == actor["publicKey"]["id"], kind
    finally:
        remote.stop()
