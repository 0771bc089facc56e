"""The Family page through real URLs: the child makes a code and decides what each parent sees;
a parent enters a code or creates a child's account."""

import re

from django.urls import reverse

from myApp.accounts.models import ChildPrivacySettings, PairingCode, User
from myApp.accounts.services import USERNAME_UNAVAILABLE
from myApp.accounts.services.family import CODE_UNUSABLE
from tests.factories import ParentFactory, UserFactory, link_parent_and_child

FAMILY = reverse("accounts:family")
MAKE_CODE = reverse("accounts:family_code")
LINK = reverse("accounts:family_link")
NEW_CHILD = reverse("accounts:family_new_child")
CODE_SHOWN = re.compile(r'data-testid="pairing-code">([A-Z0-9]{5}-[A-Z0-9]{5})<')


def consent_url(link) -> str:
    return reverse("accounts:family_consent", args=[link.pk])


def make_code(client, child) -> str:
    client.force_login(child)
    response = client.post(MAKE_CODE, follow=True)
    assert response.redirect_chain == [(FAMILY, 302)]
    return CODE_SHOWN.search(response.content.decode()).group(1)


def test_it_sends_anonymous_visitors_to_login(client, db):
    response = client.get(FAMILY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_shows_a_new_code_once_then_only_that_one_is_open(client, owner):
    code = make_code(client, owner)

    page = client.get(FAMILY).content.decode()

    assert code not in page
    assert 'data-testid="open-code"' in page
    assert PairingCode.objects.get(child=owner).state == "open"


def test_it_keeps_the_new_code_when_the_page_is_reloaded(client, owner):
    code = make_code(client, owner)

    reloaded = client.get(FAMILY).content.decode()

    assert not CODE_SHOWN.search(reloaded)
    assert PairingCode.objects.filter(child=owner).count() == 1
    parent = ParentFactory(username="dad")
    client.force_login(parent)
    assert client.post(LINK, {"pairing-code": code}).status_code == 302


def test_it_does_not_focus_a_field_below_the_messages(client, owner):
    client.force_login(ParentFactory(username="focus-parent"))
    assert "autofocus" not in client.get(FAMILY).content.decode()


def test_it_links_a_parent_who_enters_the_code_on_the_page(client, owner):
    code = make_code(client, owner)
    parent = ParentFactory(username="mum")
    client.force_login(parent)

    response = client.post(LINK, {"pairing-code": code})

    assert response.status_code == 302
    link = ChildPrivacySettings.objects.get(parent=parent, child=owner)
    assert link.share_quest_progress is False
    page = client.get(FAMILY).content.decode()
    assert 'data-testid="child-owner"' in page
    assert "You are now linked to owner." in page


def test_it_answers_a_wrong_code_on_the_page_like_any_unusable_code(client, owner):
    make_code(client, owner)
    client.force_login(ParentFactory(username="dad"))

    response = client.post(LINK, {"pairing-code": "ZZZZZ-ZZZZZ"})

    assert response.status_code == 400
    assert response.context["code_form"].errors == {"code": [CODE_UNUSABLE]}
    assert not ChildPrivacySettings.objects.exists()


def test_it_does_not_offer_or_allow_linking_to_a_non_parent(client, owner, outsider):
    code = make_code(client, owner)
    client.force_login(outsider)
    assert 'action="/family/link/"' not in client.get(FAMILY).content.decode()

    response = client.post(LINK, {"pairing-code": code})

    assert response.status_code == 403
    assert PairingCode.objects.get(child=owner).used_at is None


def test_it_throttles_code_entry_on_the_page(client, db):
    client.force_login(ParentFactory(username="guesser"))
    statuses = [client.post(LINK, {"pairing-code": "AAAAA-AAAAA"}).status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]


def test_it_lets_the_child_grant_and_revoke_sharing_per_parent(client, owner, member):
    other = ParentFactory(username="other-parent")
    link_parent_and_child(parent=other, child=owner)
    member_link = ChildPrivacySettings.objects.get(parent=member, child=owner)
    other_link = ChildPrivacySettings.objects.get(parent=other, child=owner)
    client.force_login(owner)

    assert client.post(consent_url(member_link), {"share": "off"}).status_code == 302
    assert client.post(consent_url(other_link), {"share": "on"}).status_code == 302

    member_link.refresh_from_db()
    other_link.refresh_from_db()
    assert (member_link.share_quest_progress, other_link.share_quest_progress) == (False, True)
    page = client.get(FAMILY).content.decode()
    assert 'data-testid="parent-member"' in page and 'data-testid="parent-other-parent"' in page
    # The child is told everything sharing shows: quest progress too (lib.access grants it with consent).
    assert "Sees your learning progress, wellbeing report and quest progress" in page
    shared = client.post(consent_url(member_link), {"share": "on"}, follow=True).content.decode()
    assert "member now sees your learning progress, wellbeing report and quest progress." in shared


def test_it_refuses_consent_changes_from_the_parent_and_hides_links_from_outsiders(client, owner, member, outsider):
    link = ChildPrivacySettings.objects.get(parent=member, child=owner)
    client.force_login(member)
    assert client.post(consent_url(link), {"share": "off"}).status_code == 403
    client.force_login(outsider)
    assert client.post(consent_url(link), {"share": "off"}).status_code == 404
    link.refresh_from_db()
    assert link.share_quest_progress is True


def test_it_lets_a_parent_create_a_linked_child_account(client, db, password):
    parent = ParentFactory(username="creator")
    client.force_login(parent)

    response = client.post(
        NEW_CHILD, {"child-username": "little-one", "child-password1": password, "child-password2": password}
    )

    assert response.status_code == 302
    child = User.objects.get(username="little-one")
    assert child.check_password(password)
    assert ChildPrivacySettings.objects.filter(parent=parent, child=child, share_quest_progress=False).exists()


def test_it_answers_a_taken_child_username_like_sign_up(client, owner, password):
    client.force_login(ParentFactory(username="creator"))

    response = client.post(
        NEW_CHILD, {"child-username": "Owner", "child-password1": password, "child-password2": password}
    )

    assert response.status_code == 400
    assert response.context["child_form"].errors == {"username": [USERNAME_UNAVAILABLE]}


def test_it_shows_the_family_page_in_a_constant_number_of_queries(client, db, django_assert_max_num_queries):
    parent = ParentFactory(username="big-family")
    client.force_login(parent)
    link_parent_and_child(parent=parent, child=UserFactory(username="kid0"))
    client.get(FAMILY)  # warm the session cache
    with django_assert_max_num_queries(6) as few:
        assert client.get(FAMILY).status_code == 200
    for n in range(1, 10):
        link_parent_and_child(parent=parent, child=UserFactory(username=f"kid{n}"), share=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(FAMILY).content.decode()
    assert page.count('data-testid="child-kid') == 10


def test_a_parent_finds_their_children_first_and_their_own_parents_folded_away(client, db):
    parent = ParentFactory(username="pat")
    link_parent_and_child(parent=parent, child=UserFactory(username="kid"))
    client.force_login(parent)

    page = client.get(FAMILY).content.decode()

    order = [page.index(marker) for marker in ('id="children-title"', 'id="link-title"', 'data-testid="own-parents"')]
    assert order == sorted(order) and 'data-testid="child-kid"' in page
    assert '<details class="card" data-testid="own-parents">' in page  # closed: no parent linked, no code open
    grandparent = ParentFactory(username="gran")
    link_parent_and_child(parent=grandparent, child=parent)
    assert '<details class="card" data-testid="own-parents" open>' in client.get(FAMILY).content.decode()


def test_a_learner_sees_only_their_parents_and_their_code(client, owner):
    client.force_login(owner)
    page = client.get(FAMILY).content.decode()
    assert 'id="code-title"' in page and 'id="parents-title"' in page
    assert 'id="children-title"' not in page and "<details" not in page
