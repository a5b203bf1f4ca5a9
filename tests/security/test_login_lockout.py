"""Admin login lockout (django-axes), keyed on the user name and the real client address."""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        username="redakteurin", email="redaktion@example.org", password=PASSWORD
    )


def attempt(client, password, **headers):
    return client.post(LOGIN, {"username": "redakteurin", "password": password}, **headers)


def fail(client, times, **headers):
    """Wrong passwords: the form again with an error, and the lockout page from the
    AXES_FAILURE_LIMIT-th failure on."""
    limit = django_settings.AXES_FAILURE_LIMIT
    for number in range(1, times + 1):
        response = attempt(client, "wrong password", **headers)
        assert response.status_code == (429 if number >= limit else 200), number


def test_five_failures_lock_the_user_name_from_that_address(client, editor):
    fail(client, django_settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="203.0.113.5")

    response = attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Anmeldung vorübergehend gesperrt" in response.content.decode()
    assert "_auth_user_id" not in client.session

    # a colleague behind another address is not affected
    assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.6").status_code == 302


def test_the_lockout_ends_after_the_cool_off_time(client, editor, settings):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)) as clock:
        fail(client, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="203.0.113.5")
        assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1))
        assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_a_successful_login_resets_the_count(client, editor, settings):
    fail(client, settings.AXES_FAILURE_LIMIT - 1, REMOTE_ADDR="203.0.113.5")
    assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302
    client.logout()
    fail(client, settings.AXES_FAILURE_LIMIT - 1, REMOTE_ADDR="203.0.113.5")
    assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_behind_a_proxy_the_lockout_keys_on_the_client_the_proxy_saw(client, editor, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # the attacker varies the part of X-Forwarded-For it controls; the proxy appends the truth
    for number in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = attempt(
            client,
            "wrong password",
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.5",
        )
        assert response.status_code == (429 if number == settings.AXES_FAILURE_LIMIT else 200)

    locked = attempt(
        client, PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.5"
    )
    assert locked.status_code == 429
    # another visitor behind the same proxy is not locked out
    other = attempt(client, PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_header_changes_nothing(
    client, editor, settings
):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(
            client,
            "wrong password",
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    response = attempt(
        client, PASSWORD, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.200"
    )
    assert response.status_code == 429


def test_the_lockout_page_is_english_for_english_admins(client, editor, settings):
    fail(client, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="203.0.113.5")
    response = attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Please try again in 15 minutes" in response.content.decode()


def test_failed_attempts_store_no_successful_logins(client, editor):
    from axes.models import AccessLog

    assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_front_end_login_leads_home_in_its_language(client, demo, editor, language):
    """Wagtail's login for pages restricted to logged-in users, opened without a page to
    return to, must not send people to Django's non-existent /accounts/profile/."""
    response = client.post(
        f"/{language}/_util/login/", {"username": "redakteurin", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/"
    assert client.get(response["Location"]).status_code == 200


def test_one_password_against_many_user_names_locks_the_address(client, editor, settings):
    """Password spraying: every user name stays below its own limit, the address does not."""
    settings.PORTAL_LOGIN_FAILURE_LIMIT_PER_IP = 8
    for number in range(settings.PORTAL_LOGIN_FAILURE_LIMIT_PER_IP):
        response = client.post(
            LOGIN,
            {"username": f"person{number}", "password": "Sommer2026!"},
            REMOTE_ADDR="203.0.113.5",
        )
        assert response.status_code == 200, number  # the form again: wrong password
    refused = attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    # another address is not affected
    assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.6").status_code == 302


def test_the_address_limit_counts_in_the_database_and_ends_with_the_cool_off(
    client, editor, settings
):
    from django.core.cache import cache

    from portal.models import RateLimitCounter

    settings.PORTAL_LOGIN_FAILURE_LIMIT_PER_IP = 3
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start) as clock:
        for number in range(3):
            cache.clear()  # another worker each time
            client.post(
                LOGIN, {"username": f"person{number}", "password": "x"}, REMOTE_ADDR="203.0.113.5"
            )
        assert RateLimitCounter.objects.get().count == 3
        assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME)
        assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302
