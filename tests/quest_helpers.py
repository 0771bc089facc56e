"""Quests built through the real services, as creators, psychologists and players would."""

from myApp.accounts.models import Role
from myApp.quests import services
from myApp.quests.models import Quest, QuestBuilderSession
from tests.factories import ParentFactory, UserFactory
from tests.quest_graphs import small_graph

GOOD_SCORES = {
    "emotional_safety_score": 5,
    "therapeutic_correctness_score": 4,
    "age_appropriateness_score": 5,
    "reveal_timing_score": 4,
}


def psychologist_create(username: str = "psychologist"):
    return UserFactory(username=username, role=Role.PSYCHOLOGIST)


def quest_draft(creator, **fields) -> Quest:
    values = {
        "title": "The dark forest",
        "graph_structure": small_graph(),
        "psychological_module": "IFS",
        "age_range": "7-9",
        "location": "Forest",
        "is_public": True,
    }
    values.update(fields)
    return services.quest_create(creator=creator, **values)


def quest_reviewed(quest: Quest, psychologist, *, approve: bool = True) -> Quest:
    services.quest_submit_for_review(quest=quest, by=quest.creator)
    review = services.review_submit(quest=quest, reviewer=psychologist, scores=GOOD_SCORES, strengths="Gentle")
    (services.review_approve if approve else services.review_reject)(review=review, by=psychologist)
    quest.refresh_from_db()
    return quest


def quest_listed(creator, psychologist, **fields) -> Quest:
    return quest_reviewed(quest_draft(creator, **fields), psychologist)


def quest_finish(user, quest: Quest, path: tuple[str, ...] = ("e1", "e3")):
    services.quest_play_start(user=user, quest=quest)
    progress = None
    for edge in path:
        progress = services.quest_play_advance(user=user, quest=quest, edge_id=edge)
    return progress


def quest_rows(owner) -> Quest:
    """One row of every quest model, made as people make them (the builder session as a plain row, with a graph)."""
    psychologist = psychologist_create("admin_rows_psychologist")
    quest = quest_listed(ParentFactory(username="admin_rows_author"), psychologist)
    services.library_add(user=owner, quest=quest)
    quest_finish(owner, quest)
    services.quest_rate(user=owner, quest=quest, rating=4, review_text="Kind")
    QuestBuilderSession.objects.create(user=owner, current_graph=quest.graph_structure, quest_context={"age": 8})
    return quest
