"""A parent's page of their children's quests (/quests/family/): each linked child and their consent;
quest progress only with consent (through lib.access, audited); and the tracks page (/quests/tracks/)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from myApp.accounts import services as account_services
from myApp.accounts.models import AccessRecord
from myApp.lib import access
from myApp.quests import services
from myApp.quests.models import QuestProgress
from tests.factories import ParentFactory, UserFactory, link_parent_and_child
from tests.quest_helpers import psychologist_create, quest_draft, quest_finish, quest_listed, quest_reviewed

pytestmark = pytest.mark.django_db

FAMILY = reverse("quests:family")
TRACKS = reverse("quests:tracks")


@pytest.fixture
def played(owner):
    """The owner (the child of ``member`` and ``unconsented_parent``) finished a listed quest."""
    quest = quest_listed(ParentFactory(username="author"), psychologist_create("shrink"), title="Grumble")
    quest_finish(owner, quest)
    return QuestProgress.objects.get(user=owner, quest=quest)


def _rows(response) -> dict[str, object]:
    return {row.link.child.username: row for row in response.context["rows"]}


def test_a_parent_with_consent_sees_the_childs_progress_and_it_is_audited(client, member, owner, played):
    client.force_login(member)

    response = client.get(FAMILY)

    row = _rows(response)["owner"]
    assert row.shares and row.progress == [played]
    assert f'data-testid="progress-{played.pk}"' in response.content.decode()
    assert "Grumble" in response.content.decode()
    record = AccessRecord.objects.get(viewer=member, subject=owner)
    assert (record.what, record.where) == (access.QUEST_PROGRESS, FAMILY)


def test_a_parent_without_consent_sees_a_note_and_no_data(client, unconsented_parent, owner, played):
    client.force_login(unconsented_parent)

    response = client.get(FAMILY)

    row = _rows(response)["owner"]
    content = response.content.decode()
    assert not row.shares and row.progress == []
    assert 'data-testid="no-consent"' in content
    assert "Grumble" not in content and f"progress-{played.pk}" not in content
    assert not AccessRecord.objects.filter(viewer=unconsented_parent).exists()


def test_one_child_shares_and_the_other_does_not(client, member, owner, played):
    quiet = UserFactory(username="quiet")
    link_parent_and_child(parent=member, child=quiet)
    quest_finish(quiet, played.quest)
    client.force_login(member)

    rows = _rows(client.get(FAMILY))

    assert rows["owner"].shares and not rows["quiet"].shares and rows["quiet"].progress == []


def test_revoked_consent_stops_the_next_view(client, member, owner, played):
    client.force_login(member)
    assert _rows(client.get(FAMILY))["owner"].shares
    link = owner.parent_links.get(parent=member)
    account_services.child_consent_set(link=link, by=owner, share=False)

    assert not _rows(client.get(FAMILY))["owner"].shares


@pytest.mark.parametrize("who", ["owner", "staff", "outsider"])
def test_anyone_who_is_not_the_parent_sees_no_childs_data(client, who, personas, played):
    client.force_login(personas[who])

    response = client.get(FAMILY)

    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Grumble" not in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (FAMILY, TRACKS):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_tracks_show_phases_and_percentages(client, author):
    psychologist = psychologist_create("approver")
    for number in range(3):  # three quests written and approved: self work reaches expression
        quest_listed(author, psychologist, title=f"Mine {number}")
    quest_draft(author, title="Not reviewed yet")  # under way, not done
    client.force_login(author)

    response = client.get(TRACKS)

    rows = {row.track_type: row for row in response.context["rows"]}
    assert list(rows) == ["self_work", "child_connection", "negotiation", "community"]
    self_work = rows["self_work"]
    assert self_work.percentage == 30
    assert [state for _, _, state in self_work.phases] == ["done", "current", "ahead", "ahead"]
    assert rows["negotiation"].percentage == 0  # approved at once: no negotiation
    content = response.content.decode()
    assert 'data-testid="percentage-self_work">30% complete' in content
    assert "Expression (current phase)" in content


def test_tracks_say_what_was_done_and_what_moves_them_without_contradicting_the_percentage(client, author):
    """'90% complete · 9 of 9 activities completed' read as a contradiction: the counts are now what was done
    and what is under way, with what moves the track and what each activity adds."""
    psychologist = psychologist_create("approver")
    for number in range(3):
        quest_listed(author, psychologist, title=f"Mine {number}")
    client.force_login(author)

    card = client.get(TRACKS).content.decode().split('data-testid="track-self_work"', 1)[1].split("</section>", 1)[0]

    assert "3 of 3 activities" not in card
    assert "3 activities done" in card and "Each activity done adds 10%." in card
    assert "Write a quest of your own" in card


def test_a_track_under_way_says_how_much(client, owner, played):
    started = quest_listed(played.quest.creator, psychologist_create("another"), title="Started only")
    services.quest_play_start(user=owner, quest=started)  # one quest finished (played), one under way
    client.force_login(owner)

    card = client.get(TRACKS).content.decode().split('data-testid="track-child_connection"', 1)[1]

    assert "1 under way" in card.split("</section>", 1)[0]


def test_a_rejected_quest_is_not_under_way_on_the_community_track(client, author):
    """Community counts reviews received and quests approved: a rejection is not an activity under way."""
    psychologist = psychologist_create("critic")
    quest_listed(author, psychologist, title="Approved")
    quest_reviewed(quest_draft(author, title="Rejected"), psychologist, approve=False)
    client.force_login(author)

    card = client.get(TRACKS).content.decode().split('data-testid="track-community"', 1)[1].split("</section>", 1)[0]

    assert "1 activity done" in card and "under way" not in card


def test_tracks_are_each_persons_own(client, author, member, staff):
    quest_draft(author, title="Mine")
    for viewer in (member, staff):
        client.force_login(viewer)
        rows = client.get(TRACKS).context["rows"]
        assert all(row.track is None for row in rows)


def test_children_who_do_not_share_cost_no_queries(client, member, owner, played):
    client.force_login(member)
    client.get(FAMILY)
    with CaptureQueriesContext(connection) as one:
        client.get(FAMILY)
    for number in range(4):
        link_parent_and_child(parent=member, child=UserFactory(username=f"quiet{number}"))
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(FAMILY).context["rows"]) == 5

    assert len(five) == len(one)


def test_children_who_share_cost_no_more_queries_and_each_is_audited_once(client, member, owner, played):
    """One query for every sharing child's progress and one INSERT for their audit records."""
    client.force_login(member)
    client.get(FAMILY)
    with CaptureQueriesContext(connection) as one:
        client.get(FAMILY)
    for number in range(4):
        child = UserFactory(username=f"sharing{number}")
        link_parent_and_child(parent=member, child=child, share=True)
        quest_finish(child, played.quest)
    before = AccessRecord.objects.filter(viewer=member).count()
    with CaptureQueriesContext(connection) as five:
        rows = _rows(client.get(FAMILY))

    assert len(five) == len(one)
    assert [name for name, row in rows.items() if row.shares and len(row.progress) == 1] == [
        "owner",
        *(f"sharing{number}" for number in range(4)),
    ]
    audited = AccessRecord.objects.filter(viewer=member).order_by("pk")[before:]
    assert sorted(record.subject_username for record in audited) == sorted(rows)
    assert {(record.what, record.where, record.through) for record in audited} == {
        (access.QUEST_PROGRESS, FAMILY, "parent_with_consent")
    }


def test_the_page_tells_a_child_it_is_for_parents_instead_of_asking_them_to_link_a_child(client, owner, member):
    """A child (here the owner, linked to ``member``) who opens the page is not told to link a child, which
    their Family links page does not offer; a parent without children still is."""
    client.force_login(owner)
    page = client.get(FAMILY).content.decode()
    assert "Link a child" not in page and 'data-testid="for-parents"' in page

    client.force_login(ParentFactory(username="childless"))
    assert "Link a child on the Family links page" in client.get(FAMILY).content.decode()
