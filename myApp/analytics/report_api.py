"""The learner report as JSON: ``GET /api/v1/me/report/`` and ``GET /api/v1/learners/{id}/report/``.

The body is ``learner_report``'s data as it is. Who may read whose is ``myApp.lib.access`` (``LEARNER_REPORT``):
one's own; a parent with the learner's consent or their linked clinician, recorded; staff as a recorded staff
operation; anyone else 404.
"""

from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.analytics.learner_report import learner_report
from myApp.lib import access
from myApp.sessions.api.report import BreathingPointSerializer, MoodPointSerializer  # the same points as there

TAGS = ["reports"]


class ModuleRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="locked, unlocked, in_progress or completed")


class LevelRowSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    milestone_passed = serializers.BooleanField()
    modules_completed = serializers.IntegerField()
    modules = ModuleRowSerializer(many=True)


class LevelRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()


class XpDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    xp = serializers.IntegerField(help_text="XP earned that day.")
    total = serializers.IntegerField(help_text="XP earned up to and including that day.")


class LearningSerializer(serializers.Serializer):
    current_level = LevelRefSerializer(allow_null=True, help_text="The first level whose milestone is not passed.")
    levels = LevelRowSerializer(many=True)
    modules_completed = serializers.IntegerField()
    modules_total = serializers.IntegerField()
    lessons_completed = serializers.IntegerField()
    milestones_passed = serializers.IntegerField()
    xp_total = serializers.IntegerField(help_text="Derived from the rows each reward paid on.")
    xp_over_time = XpDaySerializer(many=True, help_text="Days with XP earned, oldest first.")


class QuestsSerializer(serializers.Serializer):
    daily_quests = serializers.IntegerField(help_text="Daily quests completed.")
    story_quests = serializers.IntegerField(help_text="Story quests played to an ending.")
    current_streak = serializers.IntegerField()
    longest_streak = serializers.IntegerField()
    streak_day = serializers.DateField(help_text="The learner's own today, which the streak is counted to.")


class MoodTallySerializer(serializers.Serializer):
    mood = serializers.CharField()
    count = serializers.IntegerField()


class MoodsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Mood check-ins, all time.")
    recent = MoodPointSerializer(many=True, help_text="The most recent check-ins (trend_points), oldest first.")
    tally = MoodTallySerializer(many=True, help_text="How often each mood comes up in ``recent``.")


class BreathingSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    average_intensity = serializers.FloatField(allow_null=True)
    recent = BreathingPointSerializer(many=True)
    note = serializers.CharField(help_text="What the intensity measures (and that no before value is recorded).")


class BandSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    means = serializers.CharField()
    does_not_mean = serializers.CharField()


class SelfCheckSerializer(serializers.Serializer):
    completed_at = serializers.DateTimeField()
    total = serializers.IntegerField()
    answered = serializers.IntegerField()
    possible = serializers.IntegerField()
    band = BandSerializer(allow_null=True, help_text="How to read the total (by average per answered statement).")


class SelfChecksSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    note = serializers.CharField()
    recent = SelfCheckSerializer(many=True)


class WellbeingSerializer(serializers.Serializer):
    trend_points = serializers.IntegerField()
    moods = MoodsSerializer()
    breathing = BreathingSerializer()
    self_checks = SelfChecksSerializer()


class LearnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class LearnerReportSerializer(serializers.Serializer):
    learner = LearnerSerializer()
    learning = LearningSerializer()
    quests = QuestsSerializer()
    wellbeing = WellbeingSerializer()


@method_decorator(never_cache, name="dispatch")
class LearnerReportView(APIView):
    """One learner's report: learning progress and XP over time, quests and streaks, wellbeing trends. Never
    stored by a browser's or a proxy's cache: it holds a person's wellbeing."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses={200: LearnerReportSerializer},
        description="Your own report (``me``), or a learner's you may see: your child's while they share their "
        "progress with you, your linked client's if you are their clinician, anyone's for staff (recorded). "
        "Anyone else: 404.",
    )
    def get(self, request: Request, user_id: int | None = None) -> Response:
        seen = access.subject_visible_to(
            viewer=request.user,
            subject_id=user_id,
            what=access.LEARNER_REPORT,
            where=request.path,
            staff_operations=True,
        )
        return Response(LearnerReportSerializer(learner_report(user=seen.subject)).data)
