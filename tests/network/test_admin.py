"""The network in the admin: sources, followers, blocked domains and the delivery queue,
each municipality's staff seeing only their own site's."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Site

from network.models import BlockedDomain, Delivery, Follower

LINDENTAL = "lindental.localhost"


@pytest.fixture
def sites(demo):
    call_command("load_demo_content", stdout=None)
    return Site.objects.get(is_default_site=True), Site.objects.get(hostname=LINDENTAL)


@pytest.fixture
def login(client):
    def as_user(username):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return as_user


def refused(response):
    return response.status_code in (302, 403, 404)


def test_blocked_domains_belong_to_one_site(sites, login):
    kosi, lindental = sites
    theirs = BlockedDomain.objects.create(site=kosi, domain="theirs.example")
    own = BlockedDomain.objects.create(site=lindental, domain="own.example")
    client = login("administration-lindental")
    listing = client.get(reverse("wagtailsnippets_network_blockeddomain:list"))
    assert listing.status_code == 200
    assert "own.example" in listing.content.decode()
    assert "theirs.example" not in listing.content.decode()
    edit = reverse("wagtailsnippets_network_blockeddomain:edit", args=[theirs.pk])
    assert refused(client.get(edit))
    response = client.post(
        reverse("wagtailsnippets_network_blockeddomain:add"),
        {"site": lindental.pk, "domain": "Spam.Example", "reason": "Spam"},
    )
    assert response.status_code == 302
    assert BlockedDomain.objects.filter(site=lindental, domain="spam.example").exists()
    assert own.pk


def test_followers_and_deliveries_are_listed_per_site(sites, login):
    kosi, lindental = sites
    Follower.objects.create(
        site=kosi, actor_uri="https://a.example/users/kosi", inbox="https://a.example/i"
    )
    Follower.objects.create(
        site=lindental, actor_uri="https://b.example/users/linden", inbox="https://b.example/i"
    )
    Delivery.objects.create(
        site=lindental,
        inbox="https://b.example/i",
        activity={},
        kind="Create",
        last_error="HTTP 503",
        attempts=3,
    )
    client = login("administration-lindental")
    followers = client.get(reverse("wagtailsnippets_network_follower:list")).content.decode()
    assert "b.example/users/linden" in followers
    assert "a.example/users/kosi" not in followers
    queue = client.get(reverse("wagtailsnippets_network_delivery:list"))
    assert queue.status_code == 200
    assert "HTTP 503" in queue.content.decode()


def test_an_editor_has_no_network_admin(sites, login):
    client = login("redaktion-lindental")
    assert refused(client.get(reverse("wagtailsnippets_network_blockeddomain:list")))


def test_each_site_has_its_own_actor_and_key(sites, client):
    kosi, lindental = sites
    ours = client.get("/ap/actor").json()
    theirs = client.get("/ap/actor", HTTP_HOST=LINDENTAL).json()
    assert theirs["id"] == f"{lindental.root_url}/ap/actor"
    assert ours["id"] == f"{kosi.root_url}/ap/actor"
    assert theirs["publicKey"]["publicKeyPem"] != ours["publicKey"]["publicKeyPem"]
    assert "Lindental" in theirs["name"]
    finger = client.get(
        "/.well-known/webfinger",
        {"resource": f"acct:werkstaetten@{LINDENTAL}"},
        HTTP_HOST=LINDENTAL,
    )
    assert finger.json()["links"][0]["href"] == theirs["id"]


def test_a_municipality_sets_its_own_account_name(sites, login):
    kosi, lindental = sites
    client = login("administration-lindental")
    own = reverse("wagtailsettings:edit", args=["network", "networksettings", lindental.pk])
    theirs = reverse("wagtailsettings:edit", args=["network", "networksettings", kosi.pk])
    assert client.get(own).status_code == 200
    assert refused(client.get(theirs))
    response = client.post(own, {"preferred_username": "lindental", "actor_type": "Group"})
    assert response.status_code == 302
    actor = client.get("/ap/actor", HTTP_HOST=LINDENTAL).json()
    assert actor["preferredUsername"] == "lindental"
    assert actor["type"] == "Group"


def test_followers_and_deliveries_are_read_only_even_for_superusers(sites, admin_client):
    kosi, _lindental = sites
    follower = Follower.objects.create(
        site=kosi, actor_uri="https://a.example/users/x", inbox="https://a.example/i"
    )
    for name in ("follower", "delivery"):
        add = admin_client.get(reverse(f"wagtailsnippets_network_{name}:add"))
        assert refused(add), name
    edit = reverse("wagtailsnippets_network_follower:edit", args=[follower.pk])
    assert refused(admin_client.get(edit))
    listing = admin_client.get(reverse("wagtailsnippets_network_follower:list"))
    assert listing.status_code == 200
    assert "a.example/users/x" in listing.content.decode()
