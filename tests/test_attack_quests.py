"""Attacks on the quests app (issue 10): each test reproduces a finding of the attacker's review."""

import pytest

from myApp.lib.exceptions import NotAllowed, ServiceError
from myApp.quests import services
from myApp.quests.models import Quest
from tests.quest_builder_helpers import builder_answer_all
from tests.quest_helpers import GOOD_SCORES, psychologist_create, quest_draft, quest_finish, quest_listed

pytestmark = pytest.mark.django_db

RISK = "I want to kill myself"


def test_a_psychologist_cannot_approve_a_review_of_their_own_quest(psychologist):
    """A psychologist who wrote a quest must not decide its review (another psychologist reviewed it)."""
    quest = quest_draft(psychologist)
    services.quest_submit_for_review(quest=quest, by=psychologist)
    colleague = psychologist_create("colleague")
    review = services.review_submit(quest=quest, reviewer=colleague, scores=GOOD_SCORES)

    with pytest.raises(NotAllowed):
        services.review_approve(review=review, by=psychologist)
    quest.refresh_from_db()
    assert not quest.psychologist_reviewed


def test_a_creator_cannot_rate_their_own_quest(author, psychologist):
    quest = quest_listed(author, psychologist)
    quest_finish(author, quest)

    with pytest.raises(NotAllowed):
        services.quest_rate(user=author, quest=quest, rating=5)
    quest.refresh_from_db()
    assert quest.rating is None


def test_a_risk_memory_patched_into_the_context_never_becomes_a_quest(author):
    """The chat's safety layer screens every message; a context edit must not be a way around it."""
    session = services.builder_session_create(user=author)
    with pytest.raises(ServiceError) as refused:
        services.builder_session_update(session=session, by=author, quest_context={"memory": RISK})
    assert "quest_context.memory" in refused.value.errors

    session = builder_answer_all(
        session, author, ("She is 8", "Dragons", "We baked bread", "worries", "A castle", "Yes")
    )
    services.builder_chat(session=session, by=author, message="Looks good")
    services.builder_finish(session=session, by=author)
    assert not Quest.objects.filter(quest_yaml__icontains=RISK).exists()


def test_a_risk_text_in_a_parents_graph_edit_or_title_never_becomes_a_quest(author):
    from tests.quest_builder_helpers import builder_ready
    from tests.quest_graphs import small_graph

    session = builder_ready(author)
    document = small_graph()
    document["nodes"][0]["text"] = RISK
    with pytest.raises(ServiceError):
        services.builder_session_update(session=session, by=author, current_graph=document)
    with pytest.raises(ServiceError) as refused:
        services.builder_finish(session=session, by=author, title=RISK)
    assert "title" in refused.value.errors
    assert not Quest.objects.exists()


@pytest.mark.parametrize(
    "url", ["/api/v1/child-quest-progress/{}/", "/api/v1/children/{}/progress/", "/api/v1/children/{}/report/"]
)
@pytest.mark.parametrize("child_id", ["9" * 5000, str(2**64), "9" * 19])
def test_a_child_id_too_long_to_parse_is_404_not_500(api_as, member, url, child_id):
    """Python refuses int() of more than 4300 digits (ValueError → 500); a 19-digit id above 2**63-1 is
    out of a bigint's range."""
    assert api_as(member).get(url.format(child_id)).status_code == 404


@pytest.mark.parametrize("field", ["title", "location"])
@pytest.mark.parametrize("text", ["Forest\x1b[2J", "Bell\x07", "Two\nlines"])
def test_a_quest_title_or_location_with_control_characters_is_400(api_as, author, field, text):
    """The graph's texts refuse control characters; the title and location (listed to everyone) let them in."""
    from tests.quest_graphs import small_graph

    body = {"title": "Fine", "graph_structure": small_graph(), "psychological_module": "IFS", "age_range": "7-9"}
    body[field] = text
    response = api_as(author).post("/api/v1/quests/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Quest.objects.exists()
    quest = quest_draft(author)
    with pytest.raises(ServiceError):
        services.quest_update(quest=quest, by=author, **{field: text})


def test_replaying_one_quest_does_not_take_a_track_to_mastery(owner, author, psychologist):
    from myApp.quests.models import TrackPhase, TrackType, UserTrack

    quest = quest_listed(author, psychologist)
    for _ in range(10):
        quest_finish(owner, quest)
    track = UserTrack.objects.get(user=owner, track_type=TrackType.CHILD_CONNECTION)
    assert track.current_phase != TrackPhase.MASTERY


def test_switching_time_zone_does_not_complete_a_day_already_over(owner, monkeypatch):
    import datetime

    from myApp.accounts import services as account_services
    from myApp.accounts.models import Profile
    from myApp.quests import daily_rules
    from myApp.quests.daily_rules import DailyQuestType
    from myApp.quests.models import DailyQuest
    from myApp.quests.services import daily

    monkeypatch.setattr(daily_rules, "offered_types", lambda *, user_id, day: [DailyQuestType.CHAT_CHECK_IN])
    Profile.objects.update_or_create(user=owner, defaults={"time_zone": "UTC"})
    now = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)  # the 23rd is over in UTC
    # Switched (as learners switch it, through the profile) to where it is still the 23rd, 22:00. The rule
    # (daily_rules): the change takes effect from the learner's next day, and their day never goes back.
    account_services.profile_update(user=owner, profile_data={"time_zone": "Etc/GMT+12"}, now=now)

    daily.record(user=owner, event_type=DailyQuestType.CHAT_CHECK_IN, at=now)

    assert not DailyQuest.objects.filter(user=owner, date=datetime.date(2026, 11, 23), completed_at__isnull=False)


def test_a_models_graph_with_risk_text_is_not_accepted(author):
    """A model (any backend) is asked about feelings; a graph whose texts show risk is reported, not kept."""
    from myApp.quests.builder.local import check_generated
    from tests.quest_graphs import small_graph

    document = small_graph()
    document["edges"][0]["label"] = "nobody would miss me"
    generated = check_generated(document)
    assert generated.graph is None and "cannot go into" in generated.problem
    assert check_generated(small_graph()).graph is not None


def test_switching_a_vacation_on_and_off_all_day_writes_one_row(api_as, owner):
    """Every streak walk reads all of a learner's vacations; 600 requests a minute could write one per toggle."""
    from myApp.quests.models import Vacation

    client = api_as(owner)
    for _ in range(20):
        assert client.post("/api/v1/streak/vacation/", {"on": True}, format="json").status_code == 200
        assert client.post("/api/v1/streak/vacation/", {"on": False}, format="json").status_code == 200
    assert Vacation.objects.filter(user=owner).count() == 1
    assert client.post("/api/v1/streak/vacation/", {"on": True}, format="json").data["on_vacation"] is True
    assert client.post("/api/v1/streak/vacation/", {"on": True}, format="json").status_code == 409
