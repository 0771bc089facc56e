"""Reads behind the therapeutic quest pages: what one person sees of a quest, where they stand in it,
a quest's graph laid out for reading, a parent's children (progress only with consent) and tracks."""

from collections import deque
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from myApp.accounts.models import ChildPrivacySettings
from myApp.lib import access
from myApp.quests import graph, track_rules
from myApp.quests.models import (
    PsychologistReview,
    Quest,
    QuestProgress,
    QuestRating,
    TrackPhase,
    TrackType,
    UserQuestLibrary,
    UserTrack,
)
from myApp.quests.selectors.quests import (
    quest_progress_of_children_visible_to,
    quests_created_by,
    quests_playable_by,
)


def quest_for_page(*, user, pk: int) -> Quest:
    """A quest ``user`` may see and play (their own, listed, in their library, a linked parent's); 404 else."""
    quest = quests_playable_by(user=user).filter(pk=pk).first()
    if quest is None:
        raise Http404("No such quest for you.")
    return quest


def library_quest_ids(*, user, quest_ids: list[int]) -> set[int]:
    """Which of these quests are in ``user``'s library: one query, however many."""
    return set(UserQuestLibrary.objects.filter(user=user, quest_id__in=quest_ids).values_list("quest_id", flat=True))


@dataclass(frozen=True)
class Standing:
    """Where ``user`` stands with one quest."""

    in_library: bool
    progress: QuestProgress | None
    rating: QuestRating | None
    rating_refusal: str | None  # why they may not rate it (``services.rating_refused_for``), or None

    @property
    def has_played(self) -> bool:
        return self.progress is not None


def standing_of(*, user, quest: Quest) -> Standing:
    from myApp.quests.services import rating_refused_for  # services import the selectors

    return Standing(
        in_library=UserQuestLibrary.objects.filter(user=user, quest=quest).exists(),
        progress=QuestProgress.objects.filter(user=user, quest=quest).first(),
        rating=QuestRating.objects.filter(user=user, quest=quest).first(),
        rating_refusal=rating_refused_for(user=user, quest=quest),
    )


@dataclass(frozen=True)
class Step:
    """A node and the ways on from it (each edge with the node it leads to)."""

    node: dict
    ways: list[tuple[dict, dict]] = field(default_factory=list)


def step_at(quest_graph: dict, node_id: str) -> Step | None:
    node = graph.node(quest_graph, node_id)
    if node is None:
        return None
    ways = [(edge, graph.node(quest_graph, edge["target"])) for edge in graph.edges_from(quest_graph, node_id)]
    return Step(node=node, ways=ways)


def graph_outline(quest_graph: dict) -> list[Step]:
    """Every node once, from the start outwards (breadth first), with its ways on: a graph to read."""
    start = graph.start_node(quest_graph)["id"]
    seen, order, queue = {start}, [], deque([start])
    while queue:
        step = step_at(quest_graph, queue.popleft())
        order.append(step)
        for edge, _ in step.ways:
            if edge["target"] not in seen:
                seen.add(edge["target"])
                queue.append(edge["target"])
    return order


def review_awaiting_decision(quest: Quest) -> PsychologistReview | None:
    """The quest's current review when it was submitted and not yet approved or rejected."""
    review = quest.psychologist_review
    return review if review is not None and review.is_approved is None else None


def opening_of(quest: Quest) -> dict:
    """The start node: the quest's first words, shown as its description."""
    return graph.start_node(quest.graph_structure)


@dataclass(frozen=True)
class ChildRow:
    link: ChildPrivacySettings
    shares: bool
    progress: list[QuestProgress] = field(default_factory=list)


def family_quest_progress(*, parent, where: str = "") -> list[ChildRow]:
    """``parent``'s linked children and each one's consent; a child's quest progress only while that
    child shares it, decided and audited by ``lib.access`` for all the children at once (through
    ``quest_progress_of_children_visible_to``): the same number of queries for one child or twenty."""
    links = list(ChildPrivacySettings.objects.filter(parent=parent).select_related("child").order_by("child__username"))
    sharing = [link.child_id for link in links if link.share_quest_progress]
    progress = quest_progress_of_children_visible_to(viewer=parent, child_ids=sharing, where=where) if sharing else {}
    # A child missing from ``progress`` withdrew consent (or was deactivated) since the links were read.
    return [
        ChildRow(link=link, shares=link.child_id in progress, progress=progress.get(link.child_id, []))
        for link in links
    ]


PHASES = list(TrackPhase)


@dataclass(frozen=True)
class TrackRow:
    track_type: str
    label: str
    track: UserTrack | None
    phases: list[tuple[str, str, str]]  # (value, label, "done" | "current" | "ahead")

    @property
    def percentage(self) -> int:
        return self.track.completion_percentage if self.track else 0

    @property
    def done(self) -> int:
        return self.track.completed_activities if self.track else 0

    @property
    def under_way(self) -> int:
        """Activities started and not yet done (a quest being played), on the tracks where that is what the
        difference means."""
        if self.track is None or self.track_type not in track_rules.UNDER_WAY_SHOWN:
            return 0
        return self.track.total_activities - self.track.completed_activities

    @property
    def what_moves(self) -> str:
        return track_rules.WHAT_MOVES.get(self.track_type, "")

    percent_each = track_rules.PERCENT_PER_COMPLETED_ACTIVITY


def tracks_of(*, user) -> list[TrackRow]:
    """Every kind of track for ``user``: theirs where it started, an empty one where it did not yet."""
    owned = {track.track_type: track for track in access.owned_by(UserTrack.objects.all(), user=user)}
    rows = []
    for track_type in TrackType:
        track = owned.get(track_type.value)
        current = PHASES.index(TrackPhase(track.current_phase)) if track else -1
        phases = [
            (phase.value, phase.label, "done" if index < current else "current" if index == current else "ahead")
            for index, phase in enumerate(PHASES)
        ]
        rows.append(TrackRow(track_type=track_type.value, label=track_type.label, track=track, phases=phases))
    return rows


@dataclass(frozen=True)
class OwnQuestRow:
    quest: Quest
    may_submit: bool
    review: PsychologistReview | None  # the latest review, decided or not
    history: list[PsychologistReview]  # every review, oldest first
    revise_refused: str | None  # why the revise page will not change it (None: it will)


def own_quests(*, user) -> list[OwnQuestRow]:
    """The quests the user wrote, most recently changed first, each with its reviews, whether it may be sent
    for review now (``services.may_submit``) and whether it may be revised on the page
    (``services.revise_refused_for``): two queries, however many quests and reviews."""
    from myApp.quests.services import may_submit, revise_refused_for  # services import the selectors

    history = Prefetch("reviews", queryset=PsychologistReview.objects.order_by("reviewed_at", "id"), to_attr="history")
    quests = quests_created_by(user=user).prefetch_related(history).order_by("-updated_at", "-id")
    return [
        OwnQuestRow(quest, may_submit(quest), quest.psychologist_review, quest.history, revise_refused_for(quest))
        for quest in quests
    ]
