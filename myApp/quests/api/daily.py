"""Daily quests and the streak over the API: the caller's own, read-only, plus the two actions the
streak page offers (buy a freeze, start or end a vacation)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.lib.api import OwnedViewSet, StrictInputSerializer
from myApp.quests.models import DailyQuest
from myApp.quests.selectors import daily as selectors
from myApp.quests.services import daily as services


class DailyQuestSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="get_quest_type_display", read_only=True)
    how = serializers.CharField(read_only=True, help_text="What counts towards this quest.")
    percent = serializers.IntegerField(read_only=True, help_text="Progress towards the target, 0-100.")
    completed = serializers.BooleanField(source="is_completed", read_only=True)

    class Meta:
        model = DailyQuest
        fields = [
            "id",
            "date",
            "quest_type",
            "title",
            "how",
            "target",
            "progress",
            "percent",
            "completed",
            "completed_at",
            "xp_reward",
            "coins_reward",
        ]
        read_only_fields = fields


class DailyQuestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """The caller's daily quests, newest day first. ``today/`` gives the day's three offers (in the
    caller's time zone) with their progress; an offer no event has counted towards yet has ``id`` null."""

    serializer_class = DailyQuestSerializer

    def base_queryset(self):
        return selectors.daily_quests()

    @extend_schema(responses=DailyQuestSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def today(self, request):
        streak = selectors.streak_for(user=request.user)
        quests = selectors.daily_quests_today(user=request.user, streak=streak)
        return Response(DailyQuestSerializer(quests, many=True).data)


class StreakSerializer(serializers.Serializer):
    today = serializers.DateField(help_text="The caller's own day, in their time zone.")
    time_zone = serializers.CharField()
    current = serializers.IntegerField(help_text="Days in a row with a completed daily quest, up to today.")
    longest = serializers.IntegerField()
    freezes_available = serializers.IntegerField()
    freezes_used = serializers.IntegerField()
    freeze_price = serializers.IntegerField(help_text="Coins for one streak freeze.")
    freezes_held_max = serializers.IntegerField()
    on_vacation = serializers.BooleanField()
    vacation_since = serializers.DateField(allow_null=True)


class VacationInputSerializer(StrictInputSerializer):
    on = serializers.BooleanField(help_text="true starts a vacation today, false ends the open one.")


def _streak_body(user) -> dict:
    dashboard = selectors.daily_dashboard(user=user)
    streak = dashboard.streak
    return StreakSerializer(
        {
            "today": streak.today,
            "time_zone": streak.time_zone,
            "current": streak.current,
            "longest": streak.longest,
            "freezes_available": streak.freezes_available,
            "freezes_used": streak.freezes_used,
            "freeze_price": dashboard.freeze_price,
            "freezes_held_max": dashboard.freezes_held_max,
            "on_vacation": streak.on_vacation,
            "vacation_since": streak.vacation.starts_on if streak.vacation else None,
        }
    ).data


class StreakView(APIView):
    """The caller's streak (derived from their completed daily quests, freezes and vacations)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=StreakSerializer)
    def get(self, request):
        return Response(_streak_body(request.user))


class StreakFreezeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: StreakSerializer})
    def post(self, request):
        """Buy one streak freeze with coins (409 without enough coins or with the most one may hold)."""
        services.streak_freeze_buy(user=request.user)
        return Response(_streak_body(request.user), status=201)


class VacationView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VacationInputSerializer, responses=StreakSerializer)
    def post(self, request):
        """Start (``{"on": true}``) or end (``{"on": false}``) a vacation; 409 when already so."""
        data = VacationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.vacation_set(user=request.user, on=data.validated_data["on"])
        return Response(_streak_body(request.user))
