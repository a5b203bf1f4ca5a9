""".ci/run starts the services the tests need: Redis when it is not running (as PostgreSQL),
and not a second one when it is. Runs the script's own functions in bash, on a free port,
never touching the machine's Redis."""

import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def functions(*names: str) -> str:
    """The bash definitions of `names` from .ci/run (without running the rest of it)."""
    script = (REPO / ".ci" / "run").read_text()
    found = []
    for name in names:
        match = re.search(rf"^{name}\(\) {{.*?^}}$", script, re.M | re.S)
        assert match, f"{name} not found in .ci/run"
        found.append(match.group(0))
    return "\n".join(found)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_redis(port: int, path: str | None = None) -> subprocess.CompletedProcess:
    env = {"CI_REDIS_PORT": str(port), "PATH": path or "/usr/local/bin:/usr/bin:/bin"}
    return subprocess.run(
        ["bash", "-c", functions("port_open", "ensure_redis") + "\nensure_redis"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs Debian's redis-server")
def test_redis_is_started_when_it_is_not_running(tmp_path):
    port = free_port()
    result = ensure_redis(port)
    try:
        assert result.returncode == 0, result.stderr
        assert "Starting Redis" in result.stdout
        ping = subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True, timeout=10
        )
        assert ping.stdout.strip() == "PONG"
    finally:
        subprocess.run(
            ["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True, timeout=10
        )


def test_a_running_redis_is_left_alone(tmp_path):
    fake = tmp_path / "redis-server"
    fake.write_text(f"#!/bin/sh\necho started > {tmp_path / 'started'}\n")
    fake.chmod(0o755)
    with socket.socket() as listening:  # something already answers on the port
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        result = ensure_redis(port, path=f"{tmp_path}:/usr/bin:/bin")
    assert result.returncode == 0, result.stderr
    assert "Starting Redis" not in result.stdout
    assert not (tmp_path / "started").exists()
