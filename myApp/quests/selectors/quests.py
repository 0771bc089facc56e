"""Reads for therapeutic quests: the marketplace, what a person may play, and progress seen by whom."""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from myApp.accounts.models import ChildPrivacySettings
from myApp.lib import access
from myApp.lib.exceptions import ServiceError
from myApp.quests import graph
from myApp.quests.models import (
    AgeRange,
    ModerationStatus,
    PsychologicalModule,
    PsychologistReview,
    Quest,
    QuestProgress,
    UserQuestLibrary,
    UserTrack,
)

__all__ = [
    "MARKETPLACE_SORTS",
    "MAX_SEARCH_LENGTH",
    "NEUTRAL_REVEAL",
    "MarketplaceFilters",
    "Reveal",
    "family_linked",
    "library_of",
    "library_rows",
    "listed_in_marketplace",
    "marketplace_quests",
    "progress_rows",
    "quest_progress_of_children_visible_to",
    "quest_progress_visible_to",
    "quests_awaiting_review",
    "quests_created_by",
    "quests_for_reviewers",
    "quests_playable_by",
    "reveal_for",
    "review_history",
    "review_queue",
    "reviews_decided",
    "tracks_owned_by",
]

MARKETPLACE_SORTS = {
    "rating": (F("rating").desc(nulls_last=True), "-plays_count", "-id"),
    "plays": ("-plays_count", "-id"),
    "newest": ("-created_at", "-id"),
}
MAX_SEARCH_LENGTH = 100
# What a list of quests never shows: the graph and its YAML, up to 512 KB each (``graph.MAX_BYTES``). A list
# that loaded them would read a page's worth of them for every row.
GRAPH_FIELDS = ("graph_structure", "quest_yaml")


def _without_graphs(field: str = "quest") -> tuple[str, ...]:
    return tuple(f"{field}__{name}" for name in GRAPH_FIELDS)


def listed_in_marketplace() -> Q:
    """The marketplace rule: public, approved by a psychologist, and not rejected since."""
    return Q(is_public=True, moderation_status=ModerationStatus.APPROVED, psychologist_reviewed=True)


@dataclass(frozen=True)
class MarketplaceFilters:
    psychological_module: str | None = None
    age_range: str | None = None
    location: str | None = None
    min_rating: float | None = None
    search: str | None = None
    sort: str = "rating"

    def check(self) -> None:
        """Bad filters are a 400 naming the field (the API's serializer checks them first)."""
        errors: dict[str, list[str]] = {}
        if self.psychological_module and self.psychological_module not in PsychologicalModule.values:
            errors["psychological_module"] = [f"One of {', '.join(PsychologicalModule.values)}."]
        if self.age_range and self.age_range not in AgeRange.values:
            errors["age_range"] = [f"One of {', '.join(AgeRange.values)}."]
        if self.min_rating is not None and not 1 <= self.min_rating <= 5:
            errors["min_rating"] = ["Between 1 and 5."]
        if self.search and len(self.search) > MAX_SEARCH_LENGTH:
            errors["search"] = [f"At most {MAX_SEARCH_LENGTH} characters."]
        if self.sort not in MARKETPLACE_SORTS:
            errors["sort"] = [f"One of {', '.join(MARKETPLACE_SORTS)}."]
        if errors:
            raise ServiceError("Invalid marketplace filters.", errors=errors)


def marketplace_quests(filters: MarketplaceFilters | None = None) -> QuerySet[Quest]:
    """Listed quests, filtered, searched and sorted; one query however many there are."""
    filters = filters or MarketplaceFilters()
    filters.check()
    quests = Quest.objects.filter(listed_in_marketplace()).select_related("creator")
    if filters.psychological_module:
        quests = quests.filter(psychological_module=filters.psychological_module)
    if filters.age_range:
        quests = quests.filter(age_range=filters.age_range)
    if filters.location:
        quests = quests.filter(location__iexact=filters.location)
    if filters.min_rating is not None:
        quests = quests.filter(rating__gte=filters.min_rating)
    if filters.search:
        quests = quests.filter(Q(title__icontains=filters.search) | Q(location__icontains=filters.search))
    return quests.defer(*GRAPH_FIELDS).order_by(*MARKETPLACE_SORTS[filters.sort])


def quests_created_by(*, user) -> QuerySet[Quest]:
    return access.owned_by(Quest.objects.select_related("psychologist_review"), user=user, owner_fields=("creator",))


def quests_playable_by(*, user) -> QuerySet[Quest]:
    """Quests ``user`` may play: their own (whatever their state: the creator previews them), and approved
    ones that are listed, in their library, or written by a linked parent (the link, not the consent:
    consent is about what the parent sees, not what the child plays). A quest a psychologist rejected, or
    one revised since its approval and not approved again, is nobody's to play but its creator's."""
    if user is None or not user.is_authenticated:
        return Quest.objects.none()
    in_library = UserQuestLibrary.objects.filter(user=user, quest=OuterRef("pk"))
    from_parent = ChildPrivacySettings.objects.filter(child=user, parent=OuterRef("creator"))
    approved = Q(moderation_status=ModerationStatus.APPROVED, psychologist_reviewed=True)
    return Quest.objects.filter(
        Q(creator=user) | listed_in_marketplace() | (approved & (Exists(in_library) | Exists(from_parent)))
    ).select_related("creator")


def family_linked(*, user, other_id: int | None) -> bool:
    """Whether ``user`` and ``other_id`` are one family through the parent-child links: parent and child
    (either way), two parents of one child, or two children of one parent; whatever the children share,
    the links make them family. Decisions about a quest that must come from outside its creator's family
    ask this: rating it, reviewing it. One query."""
    if other_id is None:
        return False
    return ChildPrivacySettings.objects.filter(
        Q(parent_id=other_id, child=user)
        | Q(parent=user, child_id=other_id)
        | Q(parent=user, child__parent_links__parent_id=other_id)  # parents of one child
        | Q(child=user, parent__child_links__child_id=other_id)  # children of one parent
    ).exists()


def quests_awaiting_review() -> QuerySet[Quest]:
    """The quests awaiting review, oldest submission first, each whole (a psychologist reads one to review it)."""
    return (
        Quest.objects.filter(moderation_status=ModerationStatus.PENDING_REVIEW)
        .select_related("creator", "psychologist_review")
        .order_by("updated_at", "id")
    )


def quests_for_reviewers() -> QuerySet[Quest]:
    """What a psychologist opens from the review pages: the quests awaiting review, and every quest a review was
    decided on (read only; the queue's Decided history links them). A quest never sent for review is not here."""
    decided = PsychologistReview.objects.filter(quest=OuterRef("pk"), decided_at__isnull=False)
    return (
        Quest.objects.filter(Q(moderation_status=ModerationStatus.PENDING_REVIEW) | Exists(decided))
        .select_related("creator", "psychologist_review")
        .order_by("updated_at", "id")
    )


def review_queue() -> QuerySet[Quest]:
    """The psychologists' queue as a list: ``quests_awaiting_review`` without the graphs. Anyone who writes a
    quest can send it for review, so the queue's length is theirs to choose; its pages read a page of rows."""
    return quests_awaiting_review().defer(*GRAPH_FIELDS)


HISTORY_ORDER = {False: ("-reviewed_at", "-id"), True: ("reviewed_at", "id")}


def review_history(*, quest: Quest, oldest_first: bool = False) -> QuerySet[PsychologistReview]:
    return quest.reviews.select_related("reviewer", "decided_by").order_by(*HISTORY_ORDER[oldest_first])


def reviews_decided() -> QuerySet[PsychologistReview]:
    """Every decided review, by any psychologist, the latest decision first: the queue's history (the
    queue itself shows only what awaits a decision). Decided means ``decided_at`` is set (a constraint ties it
    to ``is_approved``), the condition of the partial index ``quests_review_decided_idx`` this reads."""
    return (
        PsychologistReview.objects.filter(decided_at__isnull=False)
        .select_related("quest__creator", "reviewer", "decided_by")
        .defer(*_without_graphs())
        .order_by("-decided_at", "-id")
    )


def progress_rows() -> QuerySet[QuestProgress]:
    """Progress rows as lists show them (with the quest's title, not its graph), the latest play first."""
    return QuestProgress.objects.select_related("quest").defer(*_without_graphs()).order_by("-last_played_at", "-id")


def library_rows() -> QuerySet[UserQuestLibrary]:
    """Library entries as lists show them (with the quest's title, not its graph)."""
    return UserQuestLibrary.objects.select_related("quest__creator").defer(*_without_graphs())


def library_of(*, user) -> QuerySet[UserQuestLibrary]:
    return access.owned_by(library_rows(), user=user)


def quest_progress_visible_to(*, viewer, subject_id: int | None = None, where: str = "") -> QuerySet[QuestProgress]:
    """``subject_id``'s quest progress as ``viewer`` may see it: their own, or a child's while the child's
    consent to share with this parent stands (decided now and audited by ``lib.access``); anyone else
    gets ``Http404``. Staff have no way in here: their own progress is all they see."""
    seen = access.subject_visible_to(viewer=viewer, subject_id=subject_id, what=access.QUEST_PROGRESS, where=where)
    return progress_rows().filter(user=seen.subject)


def quest_progress_of_children_visible_to(*, viewer, child_ids: list[int], where: str = "") -> dict[int, list]:
    """``quest_progress_visible_to`` for several children at once: the progress of each child whose
    consent to share with ``viewer`` stands now (decided and audited by ``lib.access`` in one batch), in one
    query for all of them; a child who does not share is not a key. A fixed number of queries."""
    seen = access.subjects_visible_to(viewer=viewer, subject_ids=child_ids, what=access.QUEST_PROGRESS, where=where)
    by_child: dict[int, list[QuestProgress]] = {item.subject.pk: [] for item in seen}
    if by_child:
        rows = progress_rows().filter(user_id__in=by_child)
        for progress in rows:
            by_child[progress.user_id].append(progress)
    return by_child


def tracks_owned_by(*, user) -> QuerySet[UserTrack]:
    return access.owned_by(UserTrack.objects.all(), user=user).order_by("track_type")


# What someone outside the creator's family sees at the end instead of the creator's family message.
NEUTRAL_REVEAL = (
    "A parent wrote this quest for their own child and shared it so that other families can play it too. "
    "Well done for finishing it together."
)


@dataclass(frozen=True)
class Reveal:
    text: str
    for_family: bool  # the creator's own message to their children


def reveal_for(*, viewer, quest: Quest, node_id: str) -> Reveal:
    """The reveal ``viewer`` sees at the ending ``node_id``: the creator's family message ("Your dad wrote
    this story") only for the creator's linked children (``access.FAMILY_REVEAL``, the child-of-parent
    relationship); anyone else, a stranger playing a public quest or the creator, gets the neutral one."""
    ending = graph.node(quest.graph_structure, node_id)
    message = (ending or {}).get("reveal") or ""
    if message and access.relationship_between(viewer=viewer, subject_id=quest.creator_id, what=access.FAMILY_REVEAL):
        return Reveal(text=message, for_family=True)
    return Reveal(text=NEUTRAL_REVEAL, for_family=False)
