"""The open data API under property-based testing from its own OpenAPI document
(Schemathesis): whatever valid or invalid input it generates, no server error, and every
answer — status code, content type, body — is one the document describes. Bounded in time:
a few dozen cases per operation."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings

from portal.api import openapi_document
from portal.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = application


@pytest.fixture
def connection_kept_between_requests():
    """Schemathesis calls the WSGI application directly, whose request signals close the
    database connection — inside the test's transaction on PostgreSQL. Django's test client
    disconnects the same handler for the same reason."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same cases on every run: CI fails only for a real change
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@override_settings(PORTAL_API_REQUESTS_PER_MINUTE=10**6)
def test_the_api_answers_as_documented_whatever_it_is_asked(
    case, demo, connection_kept_between_requests
):
    case.call_and_validate()
