"""A child's quest progress: their own; their parent's while the child's consent stands (audited); nobody else's."""

import pytest
from django.http import Http404

from myApp.accounts import services as account_services
from myApp.accounts.models import AccessRecord, ChildPrivacySettings
from myApp.lib import access
from myApp.quests import selectors
from tests.quest_helpers import quest_draft, quest_finish, quest_reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def played(owner, member, psychologist):
    """The owner (a child) has finished a quest their parent wrote (approved: a child plays no other)."""
    quest = quest_reviewed(quest_draft(member), psychologist)
    quest_finish(owner, quest)
    return quest


def _progress(viewer, child) -> list:
    return list(selectors.quest_progress_visible_to(viewer=viewer, subject_id=child.pk, where="/test"))


def test_it_shows_the_child_their_own_progress_without_an_audit_record(owner, played):
    assert [progress.quest for progress in _progress(owner, owner)] == [played]
    assert not AccessRecord.objects.exists()


def test_it_shows_the_consenting_childs_progress_to_the_parent_and_audits_it(owner, member, played):
    [progress] = _progress(member, owner)

    assert progress.completed and progress.quest == played
    record = AccessRecord.objects.get()
    assert (record.viewer, record.subject, record.what, record.where) == (member, owner, access.QUEST_PROGRESS, "/test")
    assert record.through == "parent_with_consent"


@pytest.mark.parametrize("persona", ["parent_without_consent", "staff", "outsider"])
def test_it_hides_the_childs_progress_from_everyone_else(personas, owner, played, persona):
    with pytest.raises(Http404):
        _progress(personas[persona], owner)
    assert not AccessRecord.objects.exists()


def test_it_hides_the_progress_at_once_when_the_child_revokes_consent(owner, member, played):
    assert len(_progress(member, owner)) == 1
    link = ChildPrivacySettings.objects.get(parent=member, child=owner)

    account_services.child_consent_set(link=link, by=owner, share=False)

    with pytest.raises(Http404):
        _progress(member, owner)
    assert AccessRecord.objects.count() == 1


def test_it_never_shows_a_parent_another_childs_progress(member, outsider, played, quests_by_anyone):
    quest_finish(outsider, quest_draft(outsider))
    with pytest.raises(Http404):
        _progress(member, outsider)
