import pytest

from .remote import RemoteServer


@pytest.fixture
def remote_server():
    server = RemoteServer()
    yield server
    server.stop()
