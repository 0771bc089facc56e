"""The relationships through which one person may see another's data (see ``myApp.lib.access``).

Registered when the accounts app is ready. Later apps register theirs the same way (a clinician
with their client, a psychologist with quests under review, a teacher with their courses).
"""

from myApp.accounts.models import ChildPrivacySettings
from myApp.lib import access

PARENT_WITH_CONSENT = "parent_with_consent"
CHILD_OF_PARENT = "child_of_parent"


def parent_with_consent_holds(*, viewer, subject_id: int) -> bool:
    """The viewer is the child's linked parent and the child shares with them right now (read on every
    request, so a revoked consent stops the next one)."""
    return ChildPrivacySettings.objects.filter(
        parent=viewer, child_id=subject_id, child__is_active=True, share_quest_progress=True
    ).exists()


def child_of_parent_holds(*, viewer, subject_id: int) -> bool:
    """The viewer is one of the subject's linked children (whatever the child shares: the link alone makes
    them family). Read on every request, like the parent's side."""
    return ChildPrivacySettings.objects.filter(parent_id=subject_id, child=viewer, parent__is_active=True).exists()


def parent_with_consent_holding(*, viewer, subject_ids: list[int]) -> set[int]:
    """``parent_with_consent_holds`` for many children in one query."""
    return set(
        ChildPrivacySettings.objects.filter(
            parent=viewer, child_id__in=subject_ids, child__is_active=True, share_quest_progress=True
        ).values_list("child_id", flat=True)
    )


def register() -> None:
    access.register_relationship(
        PARENT_WITH_CONSENT,
        # What a child's consent on the Family links page shares with that parent.
        grants={access.WELLBEING_REPORT, access.LEARNING_PROGRESS, access.QUEST_PROGRESS, access.LEARNER_REPORT},
        holds=parent_with_consent_holds,
        holds_many=parent_with_consent_holding,
    )
    access.register_relationship(
        CHILD_OF_PARENT,
        # What a parent writes for their own children: a quest's family reveal ("Your dad wrote this story").
        grants={access.FAMILY_REVEAL},
        holds=child_of_parent_holds,
    )
