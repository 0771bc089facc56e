"""/api/v1/child-links/: the parent links, the child consents; outsiders see nothing."""

from myApp.accounts import services
from myApp.accounts.models import ChildPrivacySettings
from tests.factories import ParentFactory, UserFactory

LINKS = "/api/v1/child-links/"


def link_of(owner, member) -> ChildPrivacySettings:
    return ChildPrivacySettings.objects.get(parent=member, child=owner)


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


def test_it_lets_staff_see_every_link(api_as, owner, member, staff):
    assert api_as(staff).get(f"{LINKS}{link_of(owner, member).pk}/").status_code == 200


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


def test_it_lets_a_parent_link_a_child_with_sharing_off(api_as, db):
    parent, child = ParentFactory(username="mum"), UserFactory(username="kid")
    response = api_as(parent).post(LINKS, {"child_username": "kid"})
    assert response.status_code == 201, response.json()
    assert response.json()["share_quest_progress"] is False
    assert ChildPrivacySettings.objects.filter(parent=parent, child=child).exists()

    again = api_as(parent).post(LINKS, {"child_username": "kid"})
    assert again.status_code == 409
    assert "child_username" in again.json()["errors"]


def test_it_refuses_links_from_non_parents_and_to_unknown_users(api_as, owner, outsider):
    assert api_as(outsider).post(LINKS, {"child_username": "owner"}).status_code == 403
    parent = ParentFactory(username="dad")
    missing = api_as(parent).post(LINKS, {"child_username": "nobody"})
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"child_username": ["No user with that username."]}
    assert api_as(parent).post(LINKS, {"child_username": "dad"}).status_code == 400
    assert api_as(parent).post(LINKS, {}).json()["errors"] == {"child_username": ["This field is required."]}


def test_it_lists_links_in_a_constant_number_of_queries(api_as, db, django_assert_max_num_queries):
    parent = ParentFactory(username="big-family")
    client = api_as(parent)

    def add_children(count: int, start: int) -> None:
        for n in range(start, start + count):
            child = UserFactory(username=f"child{n}")
            link = services.child_link_create(parent=parent, child_username=child.username)
            services.child_consent_set(link=link, by=child, share=True)

    # token lookup, count, one joined page: the same for 2 links or 12
    add_children(2, 0)
    with django_assert_max_num_queries(3):
        assert len(client.get(LINKS).json()["results"]) == 2
    add_children(10, 2)
    with django_assert_max_num_queries(3):
        assert len(client.get(LINKS).json()["results"]) == 12
