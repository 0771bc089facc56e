"""The learner report's figures against a hand-built learner: XP on known days (derived from the rows each reward
paid on), levels and modules, quests and streaks, moods, breathing, and self-checks with their bands; the same
number of queries for an empty learner as for a busy one; charts with no script and no remote host."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from myApp.accounts.models import Profile
from myApp.analytics.learner_report import learner_report
from myApp.analytics.report_charts import report_charts
from myApp.curriculum.models import LessonSession, UserProgress
from myApp.quests import daily_rules
from myApp.quests.daily_rules import DailyQuestType
from myApp.quests.models import DailyQuest
from myApp.quests.selectors.daily import zone_of
from myApp.sessions import services as chat_services
from myApp.sessions import wellbeing
from myApp.sessions.models import ModuleCompletion
from tests.factories import UserFactory

DAY_1 = datetime.date(2026, 3, 1)
DAY_2 = datetime.date(2026, 3, 3)


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def complete(user, module_id: str, data: dict) -> ModuleCompletion:
    conversation, _ = chat_services.conversation_get_or_create_active(user=user)
    chat_services.conversation_module_complete(
        conversation=conversation, user=user, module_id=module_id, completion_data=data
    )
    return ModuleCompletion.objects.filter(user=user).latest("completed_at", "id")


def daily_quest_done(user, day: datetime.date, xp: int, quest_type: str = DailyQuestType.FINISH_LESSON) -> DailyQuest:
    spec = daily_rules.QUEST_TYPES[quest_type]
    return DailyQuest.objects.create(
        user=user,
        date=day,
        quest_type=quest_type,
        target=spec.target,
        progress=spec.target,
        xp_reward=xp,
        coins_reward=0,
        completed_at=at_noon(day),
    )


SELF_CHECKS = [  # answers, expected total, answered, band
    ({str(index): 5 for index in range(10)}, 50, 10, "mostly_well"),
    ({"0": 3, "1": 4}, 7, 2, "mostly_well"),  # average 3.5 exactly: the upper band's edge
    ({"0": 3, "1": 3}, 6, 2, "mixed"),
    ({"0": 2, "1": 3}, 5, 2, "mixed"),  # average 2.5 exactly
    ({"0": 1, "1": 3}, 4, 2, "hard"),
]


@pytest.fixture
def busy_learner(owner, curriculum, complete_lesson):
    """XP on two known days, a completed module, two daily quests, moods, breathing and self-checks."""
    first = complete_lesson(owner, curriculum.lessons_a[0])
    LessonSession.objects.filter(pk=first.pk).update(completed_at=at_noon(DAY_1))
    second = complete_lesson(owner, curriculum.lessons_a[1])  # the module's last lesson: module A is completed
    LessonSession.objects.filter(pk=second.pk).update(completed_at=at_noon(DAY_2))
    UserProgress.objects.filter(user=owner, module=curriculum.module_a).update(completed_at=at_noon(DAY_2))
    daily_quest_done(owner, DAY_2, xp=15)
    for mood, day in (("Calm", "2026-03-01"), ("Sad", "2026-03-02"), ("Calm", "2026-03-03")):
        complete(owner, "emotion_labeling", {"mood": mood, "date": day})
    for intensity in (70, 40):
        complete(
            owner,
            "breathing_exercise",
            {"completed_steps": ["breathing"], "emotion": "Anxious", "intensity": intensity},
        )
    for answers, *_ in SELF_CHECKS:
        complete(owner, "quick_assessment", {"answers": answers, "total_questions": 10})
    return owner


def test_it_derives_xp_per_day_from_the_rows_rewards_paid_on(busy_learner, curriculum):
    report = learner_report(user=busy_learner)

    lesson_xp = curriculum.lessons_a[0].xp_reward
    day_2 = curriculum.lessons_a[1].xp_reward + curriculum.module_a.xp_reward + 15
    assert report["learning"]["xp_over_time"] == [
        {"date": DAY_1, "xp": lesson_xp, "total": lesson_xp},
        {"date": DAY_2, "xp": day_2, "total": lesson_xp + day_2},
    ]
    assert report["learning"]["xp_total"] == lesson_xp + day_2
    # The same as the balance the reward services kept, apart from the daily quest made by hand here.
    assert report["learning"]["xp_total"] == Profile.objects.get(user=busy_learner).xp + 15


def test_it_reports_levels_modules_quests_and_streaks(busy_learner, curriculum):
    today = zone_of(user=busy_learner).day_of(timezone.now())
    daily_quest_done(busy_learner, today - datetime.timedelta(days=1), xp=0)
    daily_quest_done(busy_learner, today, xp=0)

    report = learner_report(user=busy_learner)

    learning = report["learning"]
    assert learning["current_level"] == {"number": 1, "title": "Foundations"}
    assert (learning["modules_completed"], learning["modules_total"], learning["lessons_completed"]) == (1, 2, 2)
    assert learning["levels"][0]["modules"][0] == {"code": "A", "title": "Presence", "status": "completed"}
    assert learning["levels"][0]["modules_completed"] == 1
    assert report["quests"] == {
        "daily_quests": 3,
        "story_quests": 0,
        "current_streak": 2,
        "longest_streak": 2,
        "streak_day": today,
    }


def test_it_reports_moods_breathing_and_self_checks_with_their_bands(busy_learner):
    wb = learner_report(user=busy_learner)["wellbeing"]

    assert wb["moods"]["recent"] == [
        {"date": datetime.date(2026, 3, 1), "mood": "Calm"},
        {"date": datetime.date(2026, 3, 2), "mood": "Sad"},
        {"date": datetime.date(2026, 3, 3), "mood": "Calm"},
    ]
    assert wb["moods"]["tally"] == [{"mood": "Calm", "count": 2}, {"mood": "Sad", "count": 1}]
    assert [row["intensity"] for row in wb["breathing"]["recent"]] == [70, 40]
    assert wb["breathing"]["average_intensity"] == 55.0
    rows = wb["self_checks"]["recent"]
    assert [(row["total"], row["answered"], row["band"]["key"]) for row in rows] == [
        (total, answered, band) for _, total, answered, band in SELF_CHECKS
    ]
    hard = next(band for band in wellbeing.ASSESSMENT_BANDS if band.key == "hard")
    assert rows[-1]["band"] == {
        "key": "hard",
        "label": hard.label,
        "means": hard.means,
        "does_not_mean": hard.does_not_mean,
    }
    assert "not a diagnos" in rows[-1]["band"]["does_not_mean"]


def test_it_has_no_band_for_a_self_check_without_answers():
    assert wellbeing.assessment_band(total=0, answered=0) is None
    assert wellbeing.assessment_band(total=10, answered=10).key == "hard"
    assert wellbeing.assessment_band(total=50, answered=10).key == "mostly_well"


def test_it_reads_the_same_number_of_queries_for_an_empty_and_a_busy_learner(busy_learner):
    empty = UserFactory(username="newcomer")
    with CaptureQueriesContext(connection) as for_empty:
        learner_report(user=empty)
    with CaptureQueriesContext(connection) as for_busy:
        report = learner_report(user=busy_learner)
    assert report["learning"]["xp_total"] > 0
    assert len(for_empty.captured_queries) == len(for_busy.captured_queries) == 13


def test_it_leaves_others_out_of_the_figures(busy_learner, outsider):
    report = learner_report(user=outsider)
    assert report["learning"]["xp_over_time"] == []
    assert report["learning"]["modules_completed"] == 0
    assert report["wellbeing"]["moods"]["count"] == 0
    assert report["quests"]["daily_quests"] == 0


def test_it_draws_every_chart_as_svg_without_script_or_remote_host(busy_learner):
    charts = report_charts(learner_report(user=busy_learner))
    assert set(charts) == {"xp", "moods", "breathing", "self_checks"}
    for name, chart in charts.items():
        svg = chart.svg
        assert svg.startswith("<svg"), name
        assert chart.src.startswith("data:image/svg+xml;base64,"), name
        assert "<script" not in svg, name
        # The only URLs are XML namespaces, which name and never fetch.
        assert set(re.findall(r"https?://[^\"' )]+", svg)) <= {
            "http://www.w3.org/2000/svg",
            "http://www.w3.org/1999/xlink",
        }, name


def test_it_draws_no_chart_for_a_learner_with_nothing_yet(owner):
    assert report_charts(learner_report(user=owner)) == dict.fromkeys(("xp", "moods", "breathing", "self_checks"))
