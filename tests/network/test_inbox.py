"""The inbox: HTTP signatures (draft-cavage and RFC 9421, made by apsig, an independent
implementation), Follow → Accept, Undo, Delete, Join → Reject, and hostile requests."""

import datetime
import email.utils
import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.models import Site

from network.delivery import deliver_due
from network.models import BlockedDomain, Delivery, Follower, KeyPair, RemoteActor

from .remote import RemoteActor as Account
from .remote import verify_cavage, verify_rfc9421

INBOX = "/ap/actor/inbox"


@pytest.fixture
def site(demo):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def alice(remote_server):
    return Account(remote_server, "alice")


def our_actor(site):
    return f"{site.root_url}/ap/actor"


def follow(account, site, number=1):
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{account.id}/follows/{number}",
        "type": "Follow",
        "actor": account.id,
        "object": our_actor(site),
    }


def test_a_follow_signed_draft_cavage_is_accepted_and_answered(client, site, alice, remote_server):
    response = alice.signed_post(client, INBOX, follow(alice, site))
    assert response.status_code == 202
    follower = Follower.objects.get(site=site)
    assert follower.actor_uri == alice.id
    assert follower.shared_inbox == f"{remote_server.base}/inbox"
    delivery = Delivery.objects.get(kind="Accept")
    assert delivery.inbox == alice.inbox  # the Accept goes to the follower itself
    assert deliver_due()["delivered"] == 1
    path, _headers, body = remote_server.received[-1]
    assert path == "/users/alice/inbox"
    accept = json.loads(body)
    assert accept["type"] == "Accept"
    assert accept["object"]["id"] == f"{alice.id}/follows/1"
    # apsig verifies our draft-cavage signature with the key our actor publishes
    public_pem = KeyPair.objects.get(site=site).public_key_pem
    assert verify_cavage(remote_server.received[-1], public_pem) == f"{our_actor(site)}#main-key"


def test_a_follow_signed_rfc9421_is_accepted_and_answered_the_same_way(
    client, site, alice, remote_server
):
    response = alice.signed_post(client, INBOX, follow(alice, site), scheme="rfc9421")
    assert response.status_code == 202
    assert RemoteActor.objects.get(uri=alice.id).signs_rfc9421
    deliver_due()
    received = remote_server.received[-1]
    assert "Signature-Input" in received[1]
    public_pem = KeyPair.objects.get(site=site).public_key_pem
    assert verify_rfc9421(received, public_pem) == f"{our_actor(site)}#main-key"


def test_the_shared_inbox_takes_follows_too(client, site, alice):
    assert alice.signed_post(client, "/ap/inbox", follow(alice, site)).status_code == 202
    assert Follower.objects.filter(site=site, actor_uri=alice.id).exists()


def test_undo_follow_and_delete_of_the_actor_remove_the_follower(client, site, alice):
    alice.signed_post(client, INBOX, follow(alice, site))
    undo = {
        "id": f"{alice.id}#undo",
        "type": "Undo",
        "actor": alice.id,
        "object": follow(alice, site),
    }
    assert alice.signed_post(client, INBOX, undo).status_code == 202
    assert not Follower.objects.exists()
    alice.signed_post(client, INBOX, follow(alice, site, 2))
    delete = {"id": f"{alice.id}#delete", "type": "Delete", "actor": alice.id, "object": alice.id}
    assert alice.signed_post(client, INBOX, delete).status_code == 202
    assert not Follower.objects.exists()


def test_a_join_is_rejected_registration_is_on_the_page(client, site, alice, remote_server):
    join = {
        "id": f"{alice.id}#join",
        "type": "Join",
        "actor": alice.id,
        "object": f"{site.root_url}/ap/events/1",
    }
    assert alice.signed_post(client, INBOX, join).status_code == 202
    deliver_due()
    reject = json.loads(remote_server.received[-1][2])
    assert reject["type"] == "Reject"
    assert reject["object"]["id"] == join["id"]


def test_anything_else_is_acknowledged_and_ignored(client, site, alice):
    like = {"id": f"{alice.id}#like", "type": "Like", "actor": alice.id, "object": "x"}
    assert alice.signed_post(client, INBOX, like).status_code == 202
    assert not Delivery.objects.exists()
    assert not Follower.objects.exists()


# --- hostile requests -----------------------------------------------------------------------


def test_an_unsigned_post_is_refused(client, site, alice):
    response = client.post(
        INBOX, data=json.dumps(follow(alice, site)), content_type="application/activity+json"
    )
    assert response.status_code == 401
    assert not Follower.objects.exists()


def test_a_signature_by_another_key_is_refused(client, site, alice, remote_server):
    mallory = Account(remote_server, "mallory")
    mallory.key_id = alice.key_id  # claims alice's key, signs with its own
    response = mallory.signed_post(client, INBOX, follow(alice, site))
    assert response.status_code == 401
    assert not Follower.objects.exists()


def test_a_key_whose_owner_is_not_the_actor_is_refused(client, site, alice, remote_server):
    mallory = Account(remote_server, "mallory")
    # mallory signs (validly, with its own key) a follow in alice's name
    response = mallory.signed_post(client, INBOX, follow(alice, site))
    assert response.status_code == 401
    assert not Follower.objects.exists()


def test_a_key_on_another_host_is_refused_before_anything_is_fetched(
    client, site, alice, remote_server
):
    activity = follow(alice, site)
    activity["actor"] = "https://victim.example/users/x"
    response = alice.signed_post(client, INBOX, activity)
    assert response.status_code == 401
    assert remote_server.fetched == []


def test_a_stale_date_is_refused(client, site, alice):
    stale = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=14)
    response = alice.signed_post(
        client,
        INBOX,
        follow(alice, site),
        headers={"date": email.utils.format_datetime(stale, usegmt=True)},
    )
    assert response.status_code == 401


def test_a_date_within_the_window_and_skew_is_accepted(client, site, alice):
    older = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=11)
    body = json.dumps(follow(alice, site)).encode()
    # apsig signs the Date we give it
    from apsig.draft.sign import Signer

    signed = Signer(
        headers={"date": email.utils.format_datetime(older, usegmt=True), "host": "testserver"},
        private_key=alice.key,
        method="POST",
        url=f"http://testserver{INBOX}",
        key_id=alice.key_id,
        body=body,
    ).sign()
    response = client.post(
        INBOX,
        data=body,
        content_type="application/activity+json",
        HTTP_DATE=signed["date"],
        HTTP_DIGEST=signed["digest"],
        HTTP_SIGNATURE=signed["Signature"],
    )
    assert response.status_code == 202


def test_a_body_changed_after_signing_is_refused(client, site, alice):
    signed_for = json.dumps(follow(alice, site)).encode()
    from apsig.draft.sign import Signer

    signed = Signer(
        headers={"host": "testserver"},
        private_key=alice.key,
        method="POST",
        url=f"http://testserver{INBOX}",
        key_id=alice.key_id,
        body=signed_for,
    ).sign()
    other = json.dumps({**follow(alice, site), "id": f"{alice.id}/other"}).encode()
    response = client.post(
        INBOX,
        data=other,
        content_type="application/activity+json",
        HTTP_DATE=signed["date"],
        HTTP_DIGEST=signed["digest"],
        HTTP_SIGNATURE=signed["Signature"],
    )
    assert response.status_code == 401


def test_an_oversized_body_is_refused_unread(client, site, alice, settings):
    settings.PORTAL_NETWORK_MAX_BYTES = 1000
    activity = {**follow(alice, site), "padding": "x" * 2000}
    assert alice.signed_post(client, INBOX, activity).status_code == 413


def test_a_blocked_domain_is_refused(client, site, alice):
    BlockedDomain.objects.create(site=site, domain="127.0.0.1")
    assert alice.signed_post(client, INBOX, follow(alice, site)).status_code == 403


def test_the_inbox_is_rate_limited_per_remote_host(client, site, alice, settings):
    settings.PORTAL_NETWORK_INBOX_PER_MINUTE = 2
    statuses = [
        alice.signed_post(client, INBOX, follow(alice, site, n)).status_code for n in range(3)
    ]
    assert statuses == [202, 202, 429]


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"type": "Follow"}'])
def test_malformed_activities_are_refused(client, site, body):
    response = client.post(INBOX, data=body, content_type="application/activity+json")
    assert response.status_code == 400


def test_the_inbox_takes_only_posts(client, site):
    assert client.get(INBOX).status_code == 405


def test_an_actor_at_a_private_address_is_not_fetched(client, site, alice):
    """The key would be fetched from 127.0.0.2 (loopback, not in the tests' allow-list)."""
    private = "http://127.0.0.2:9/users/eve"
    activity = {**follow(alice, site), "actor": private}
    alice.key_id = f"{private}#main-key"
    response = alice.signed_post(client, INBOX, activity)
    assert response.status_code == 401
    assert b"refused" in response.content
    assert not Follower.objects.exists()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    activity=st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Follow", "Undo", "Delete", "Create", "Join", 1, None]),
            "actor": st.sampled_from(["http://127.0.0.1:9/u", "https://x.example/u", "", 5]),
            "object": JSON,
        },
        optional={"id": JSON},
    ),
    signature=st.sampled_from(
        ['keyId="https://x.example/u#k",headers="date",signature="AAAA"', "garbage", ""]
    ),
    signature_input=st.sampled_from(
        [None, 'sig1=("@method");created=1;keyid="https://x.example/k"', "((("]
    ),
)
def test_hostile_activities_never_cause_a_server_error(
    client, site, activity, signature, signature_input
):
    headers = {"HTTP_SIGNATURE": signature, "HTTP_DIGEST": "SHA-256=xyz", "HTTP_DATE": "yesterday"}
    if signature_input is not None:
        headers["HTTP_SIGNATURE_INPUT"] = signature_input
        headers["HTTP_CONTENT_DIGEST"] = "sha-256=:AAAA:"
    response = client.post(
        INBOX, data=json.dumps(activity), content_type="application/activity+json", **headers
    )
    assert response.status_code < 500
