"""/api/v1/child-links/ and /api/v1/pairing-codes/: the child makes a code, the parent enters it,
the child consents; nobody links anyone by username, and outsiders see nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from myApp.accounts import services
from myApp.accounts.models import ChildPrivacySettings, PairingCode, User
from myApp.accounts.services.family import CODE_UNUSABLE
from tests.factories import ParentFactory, UserFactory, link_parent_and_child

LINKS = "/api/v1/child-links/"
CODES = "/api/v1/pairing-codes/"
NEW_CHILD = "/api/v1/child-links/new-child/"
STRONG = "a-long-and-unusual-passphrase"
UNUSABLE = {"detail": "This code cannot be used.", "errors": {"code": [CODE_UNUSABLE]}}


def link_of(owner, member) -> ChildPrivacySettings:
    return ChildPrivacySettings.objects.get(parent=member, child=owner)


def new_code(api_as, child) -> str:
    response = api_as(child).post(CODES)
    assert response.status_code == 201, response.json()
    return response.json()["code"]


# --- Links: who sees them, who changes consent ---------------------------------------


def test_it_shows_the_link_to_the_child_and_the_parent(api_as, owner, member):
    link = link_of(owner, member)
    for user in (owner, member):
        client = api_as(user)
        listing = client.get(LINKS).json()
        assert [row["id"] for row in listing["results"]] == [link.pk]
        detail = client.get(f"{LINKS}{link.pk}/").json()
        assert (detail["parent"], detail["child"], detail["share_quest_progress"]) == ("member", "owner", True)


def test_it_hides_the_link_from_an_outsider(api_as, owner, member, outsider):
    link = link_of(owner, member)
    client = api_as(outsider)
    assert client.get(LINKS).json()["results"] == []
    assert client.get(f"{LINKS}{link.pk}/").status_code == 404
    for verb in ("grant-consent", "revoke-consent"):
        response = client.post(f"{LINKS}{link.pk}/{verb}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "errors": {}}
    assert link_of(owner, member).share_quest_progress is True


def test_it_shows_staff_only_their_own_links(api_as, owner, member, staff):
    # Staff see every family link in the admin (a staff operation), not through the learner API.
    assert api_as(staff).get(f"{LINKS}{link_of(owner, member).pk}/").status_code == 404
    assert api_as(staff).get(LINKS).json()["results"] == []


def test_it_lets_only_the_child_change_consent(api_as, owner, member):
    link = link_of(owner, member)
    response = api_as(member).post(f"{LINKS}{link.pk}/revoke-consent/")
    assert response.status_code == 403
    assert link_of(owner, member).share_quest_progress is True

    revoked = api_as(owner).post(f"{LINKS}{link.pk}/revoke-consent/").json()
    assert revoked["share_quest_progress"] is False
    assert revoked["consent_revoked_at"] is not None
    assert revoked["consent_changed_by"] == "owner"

    granted = api_as(owner).post(f"{LINKS}{link.pk}/grant-consent/").json()
    assert granted["share_quest_progress"] is True
    assert granted["consent_granted_at"] > revoked["consent_granted_at"]


def test_it_lists_links_in_a_constant_number_of_queries(api_as, db, django_assert_max_num_queries):
    parent = ParentFactory(username="big-family")
    client = api_as(parent)

    def add_children(count: int, start: int) -> None:
        for n in range(start, start + count):
            link_parent_and_child(parent=parent, child=UserFactory(username=f"child{n}"), share=True)

    # token lookup, count, one joined page: the same for 2 links or 12
    add_children(2, 0)
    with django_assert_max_num_queries(3):
        assert len(client.get(LINKS).json()["results"]) == 2
    add_children(10, 2)
    with django_assert_max_num_queries(3):
        assert len(client.get(LINKS).json()["results"]) == 12


# --- Pairing codes: the child makes one, the parent redeems it -----------------------


def test_it_links_a_parent_who_enters_the_childs_code_with_sharing_off(api_as, owner, db):
    parent = ParentFactory(username="mum")
    code = new_code(api_as, owner)
    assert code[5] == "-" and len(code) == 11

    response = api_as(parent).post(LINKS, {"code": code.lower().replace("-", " ")})  # as typed from a screen

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["parent"], body["child"], body["share_quest_progress"]) == ("mum", "owner", False)
    pairing = PairingCode.objects.get(child=owner)
    assert (pairing.state, pairing.used_by) == ("used", parent)
    listed = api_as(owner).get(CODES).json()["results"]
    assert [(row["state"], row["used_by"]) for row in listed] == [("used", "mum")]


def test_it_stores_only_a_hash_and_never_lists_the_code(api_as, owner):
    code = new_code(api_as, owner)
    raw = code.replace("-", "")
    stored = PairingCode.objects.filter(child=owner).values().get()
    assert all(raw not in str(value) and code not in str(value) for value in stored.values())
    listing = api_as(owner).get(CODES)
    assert listing.status_code == 200
    assert "code" not in listing.json()["results"][0]
    assert raw not in listing.content.decode()


def _expire(child) -> None:
    PairingCode.objects.filter(child=child).update(
        created_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(seconds=1)
    )


@pytest.mark.parametrize("case", ["unknown", "malformed", "expired", "used", "replaced", "child_deactivated"])
def test_it_gives_every_unusable_code_the_same_answer(api_as, owner, db, case):
    parent = ParentFactory(username="dad")
    code = new_code(api_as, owner)
    if case == "unknown":
        code = "ABCDE-FGHJK" if code != "ABCDE-FGHJK" else "KJHGF-EDCBA"
    elif case == "malformed":
        code = "not a code at all!"
    elif case == "expired":
        _expire(owner)
    elif case == "used":
        assert api_as(ParentFactory(username="other-parent")).post(LINKS, {"code": code}).status_code == 201
    elif case == "replaced":
        new_code(api_as, owner)
    elif case == "child_deactivated":
        User.objects.filter(pk=owner.pk).update(is_active=False)

    response = api_as(parent).post(LINKS, {"code": code})

    assert response.status_code == 400
    assert response.json() == UNUSABLE
    assert not ChildPrivacySettings.objects.filter(parent=parent).exists()


def test_it_replaces_the_unused_code_when_the_child_makes_a_new_one(api_as, owner, db):
    first, second = new_code(api_as, owner), new_code(api_as, owner)
    assert first != second
    assert PairingCode.objects.filter(child=owner).count() == 1
    parent = ParentFactory(username="aunt")
    assert api_as(parent).post(LINKS, {"code": first}).json() == UNUSABLE
    assert api_as(parent).post(LINKS, {"code": second}).status_code == 201


def test_it_makes_codes_that_expire_in_seven_days(api_as, owner):
    before = timezone.now()
    api_as(owner).post(CODES)
    pairing = PairingCode.objects.get(child=owner)
    assert before + timedelta(days=7) <= pairing.expires_at <= timezone.now() + timedelta(days=7)


def test_it_lets_only_parents_redeem_and_keeps_the_code_for_them(api_as, owner, outsider, db):
    code = new_code(api_as, owner)
    refused = api_as(outsider).post(LINKS, {"code": code})
    assert refused.status_code == 403
    assert PairingCode.objects.get(child=owner).used_at is None
    assert api_as(ParentFactory(username="real-parent")).post(LINKS, {"code": code}).status_code == 201


def test_it_refuses_a_parents_own_code_and_a_second_link(api_as, owner, member):
    assert api_as(member).post(LINKS, {"code": new_code(api_as, member)}).json()["errors"] == {
        "code": ["This is your own code."]
    }
    again = api_as(member).post(LINKS, {"code": new_code(api_as, owner)})
    assert again.status_code == 409
    assert "code" in again.json()["errors"]


def test_it_no_longer_links_a_child_by_username(api_as, owner, db):
    parent = ParentFactory(username="nosy")
    existing = api_as(parent).post(LINKS, {"child_username": "owner"})
    missing = api_as(parent).post(LINKS, {"child_username": "nobody"})
    assert existing.status_code == missing.status_code == 400
    assert existing.json() == missing.json()  # says nothing about which account exists
    assert set(existing.json()["errors"]) == {"child_username"}
    assert not ChildPrivacySettings.objects.exists()


def test_it_throttles_code_redemption_per_user(api_as, owner, db):
    parent = ParentFactory(username="guesser")
    client = api_as(parent)

    def redeem(code: str, n: int) -> int:  # a new address every time: only the per-user limit can answer
        return client.post(LINKS, {"code": code}, REMOTE_ADDR=f"10.0.0.{n}").status_code

    statuses = [redeem(f"AAAAA-AAAA{n}", n) for n in range(2, 9)]
    code = new_code(api_as, owner)
    statuses += [redeem(code, n) for n in range(20, 24)]
    assert statuses == [400] * 7 + [201, 400, 400, 429]  # THROTTLE_PAIRING_RATE: 10/hour; the code is used up


def test_it_throttles_code_redemption_per_address_across_users(api_as, db):
    statuses = [
        api_as(ParentFactory(username=f"parent{n}")).post(LINKS, {"code": "AAAAA-AAAAA"}).status_code for n in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def test_it_lists_pairing_codes_to_their_child_only(api_as, owner, outsider, member, staff):
    new_code(api_as, owner)  # the member fixture already used one of the owner's codes
    assert [row["state"] for row in api_as(owner).get(CODES).json()["results"]] == ["open", "used"]
    assert api_as(member).get(CODES).json()["results"] == []
    assert api_as(outsider).get(CODES).json()["results"] == []
    assert api_as(staff).get(CODES).json()["results"] == []


def test_it_refuses_input_when_making_a_code(api_as, owner):
    response = api_as(owner).post(CODES, {"child": "someone"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"child": ["This field cannot be set here."]}
    assert not PairingCode.objects.filter(child=owner).exists()


# --- A parent creates a child's account -----------------------------------------------


def test_it_lets_a_parent_create_a_linked_child_account(api_as, anon_api, db):
    parent = ParentFactory(username="creator")
    response = api_as(parent).post(NEW_CHILD, {"username": "little-one", "password": STRONG})
    assert response.status_code == 201, response.json()
    assert (response.json()["child"], response.json()["share_quest_progress"]) == ("little-one", False)
    child = User.objects.get(username="little-one")
    assert ChildPrivacySettings.objects.filter(parent=parent, child=child).exists()
    assert anon_api.post("/api/v1/auth/token/", {"username": "little-one", "password": STRONG}).status_code == 200


def test_it_answers_a_parent_creating_a_taken_child_username_like_sign_up(api_as, owner):
    parent = ParentFactory(username="creator")
    response = api_as(parent).post(NEW_CHILD, {"username": "OWNER", "password": STRONG})
    assert response.status_code == 400
    assert response.json()["errors"] == {"username": [services.USERNAME_UNAVAILABLE]}
    assert not ChildPrivacySettings.objects.exists()


def test_it_lets_only_parents_create_child_accounts(api_as, outsider):
    response = api_as(outsider).post(NEW_CHILD, {"username": "not-mine", "password": STRONG})
    assert response.status_code == 403
    assert not User.objects.filter(username="not-mine").exists()
