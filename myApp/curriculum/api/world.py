"""The practice world: districts and venues (entered with tickets) and the amphitheatre."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from myApp.curriculum import economy, selectors, services
from myApp.curriculum.models import (
    AmphitheatreExerciseRecord,
    AmphitheatreSession,
    District,
    ExerciseAttempt,
    Venue,
    VenueEntry,
    VenueTaskSheet,
)
from myApp.lib.api import OwnedViewSet, StrictInputSerializer, created_status

# --- The world: districts, venues, entries --------------------------------------------


class TaskSheetSerializer(serializers.ModelSerializer):
    class Meta:
        model = VenueTaskSheet
        fields = ["id", "title", "order", "exercises"]
        read_only_fields = fields


class VenueBriefSerializer(serializers.ModelSerializer):
    """A venue as the map shows it; ``unlocked`` and ``paid_today`` are looked up in sets the
    view computes once per request (context ``unlocked`` and ``paid_today``)."""

    unlocked = serializers.SerializerMethodField()
    paid_today = serializers.SerializerMethodField(
        help_text="The venue already paid the caller for a visit today: finishing another visit pays nothing."
    )

    class Meta:
        model = Venue
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "order",
            "module",
            "ticket_cost",
            "xp_reward",
            "coin_reward",
            "unlocked",
            "paid_today",
        ]
        read_only_fields = fields

    def get_unlocked(self, venue: Venue) -> bool:
        return venue.pk in self.context["unlocked"]

    def get_paid_today(self, venue: Venue) -> bool:
        return venue.pk in self.context["paid_today"]


class VenueSerializer(VenueBriefSerializer):
    district = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    task_sheets = TaskSheetSerializer(many=True, read_only=True)

    class Meta(VenueBriefSerializer.Meta):
        fields = [*VenueBriefSerializer.Meta.fields, "district", "task_sheets"]
        read_only_fields = fields


class DistrictSerializer(serializers.ModelSerializer):
    venues = VenueBriefSerializer(many=True, read_only=True)
    full_access = serializers.SerializerMethodField(
        help_text="Every venue of the district is open to the caller (derived from module progress)."
    )

    class Meta:
        model = District
        fields = ["id", "slug", "name", "description", "order", "overview_media", "full_access", "venues"]
        read_only_fields = fields

    def get_full_access(self, district: District) -> bool:
        venue_ids = [venue.pk for venue in district.venues.all()]
        return bool(venue_ids) and all(pk in self.context["unlocked"] for pk in venue_ids)


class ExerciseAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExerciseAttempt
        fields = ["id", "module", "venue_entry", "amphitheatre_record", "exercise_key", "score", "notes", "created_at"]
        read_only_fields = fields


class VenueAttemptInputSerializer(StrictInputSerializer):
    """A scored attempt at one of the venue's task-sheet exercises (the learner's own 0-100)."""

    exercise_key = serializers.CharField(max_length=64)
    score = serializers.IntegerField(min_value=0, max_value=100)
    notes = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)


class VenueEntrySerializer(serializers.ModelSerializer):
    venue_slug = serializers.CharField(source="venue.slug", read_only=True)
    reward_note = serializers.SerializerMethodField(help_text="What finishing paid, or why it paid nothing.")
    attempts = ExerciseAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = VenueEntry
        fields = [
            "id",
            "venue",
            "venue_slug",
            "tickets_spent",
            "xp_awarded",
            "coins_awarded",
            "paid_on",
            "reward_note",
            "attempts",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_reward_note(self, entry: VenueEntry) -> str:
        return economy.venue_entry_note(entry)


# --- The amphitheatre -----------------------------------------------------------------


class AmphitheatreRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = AmphitheatreExerciseRecord
        fields = [
            "id",
            "exercise_key",
            "audio_ref",
            "markers",
            "reflection",
            "scores",
            "xp_delta",
            "coins_delta",
            "tickets_delta",
            "paid",
            "reward_note",
            "created_at",
        ]
        read_only_fields = fields

    reward_note = serializers.SerializerMethodField(help_text="Why this recording paid what it did.")

    def get_reward_note(self, record: AmphitheatreExerciseRecord) -> str:
        return economy.amphitheatre_record_note(record)


class AmphitheatreSessionSerializer(serializers.ModelSerializer):
    """A visit. Its ``plan`` lists each exercise with the XP, coins and tickets its first
    recording pays; ``pays_now`` and ``rewards_note`` say whether the visit pays and why."""

    records = AmphitheatreRecordSerializer(many=True, read_only=True)
    pays_now = serializers.SerializerMethodField()
    rewards_note = serializers.SerializerMethodField()

    class Meta:
        model = AmphitheatreSession
        fields = [
            "id",
            "visit_number",
            "plan",
            "paying",
            "pays_now",
            "rewards_note",
            "points",
            "started_at",
            "ended_at",
            "records",
        ]
        read_only_fields = fields

    def get_pays_now(self, session: AmphitheatreSession) -> bool:
        return session.ended_at is None and economy.amphitheatre_visit_pays_now(session)

    def get_rewards_note(self, session: AmphitheatreSession) -> str:
        return economy.amphitheatre_visit_note(session)


class AmphitheatreSubmitSerializer(StrictInputSerializer):
    """One exercise of the visit's plan, with its scores and the learner's reflection."""

    exercise_key = serializers.CharField(max_length=64)
    scores = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=100))
    reflection = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)
    markers = serializers.ListField(child=serializers.JSONField(), required=False, default=list, max_length=200)
    audio_ref = serializers.CharField(required=False, default="", allow_blank=True, max_length=500)


# --- Viewsets -------------------------------------------------------------------------


class UnlockedVenuesMixin:
    """Serializers read ``unlocked`` from a set computed once per request, not per venue."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            context["unlocked"] = context["paid_today"] = set()
        else:
            context["unlocked"] = selectors.unlocked_venue_ids(user=self.request.user)
            context["paid_today"] = selectors.venue_ids_paid_today(user=self.request.user)
        return context


class DistrictViewSet(UnlockedVenuesMixin, viewsets.ReadOnlyModelViewSet):
    """The map: districts with their venues, each marked unlocked or not for the caller."""

    serializer_class = DistrictSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.districts_with_venues()


class VenueViewSet(UnlockedVenuesMixin, viewsets.ReadOnlyModelViewSet):
    """Venues with their task sheets. ``enter`` spends the ticket cost and opens a visit."""

    serializer_class = VenueSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.venues()

    @extend_schema(
        request=None,
        responses={201: VenueEntrySerializer, 200: VenueEntrySerializer},
        description=(
            "Enter the venue: 201 when the ticket cost was paid, 200 when the caller's open visit is "
            "returned without charging; 409 when the venue is locked or tickets are short. Entering "
            "always costs the ticket price; a venue pays on one finished visit per learner and day "
            "(see the venue's ``paid_today``)."
        ),
    )
    @action(detail=True, methods=["post"])
    def enter(self, request, pk=None):
        entry, charged = services.venue_enter(user=request.user, venue=self.get_object())
        entry = selectors.venue_entries().get(pk=entry.pk)
        return Response(VenueEntrySerializer(entry).data, status=created_status(charged))


class VenueEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """The caller's venue visits, newest first; ``finish`` closes one and pays its rewards,
    on the venue's first finished visit of the day only."""

    serializer_class = VenueEntrySerializer

    def base_queryset(self):
        return selectors.venue_entries()

    @extend_schema(request=None, responses=VenueEntrySerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        entry = services.venue_finish(user=request.user, entry=self.get_object())
        return Response(VenueEntrySerializer(selectors.venue_entries().get(pk=entry.pk)).data)

    @extend_schema(
        request=VenueAttemptInputSerializer,
        responses={201: ExerciseAttemptSerializer},
        description="Record a scored attempt at one of the venue's exercises during this open visit "
        "(409 once it is finished).",
    )
    @action(detail=True, methods=["post"])
    def attempt(self, request, pk=None):
        entry = self.get_object()
        data = VenueAttemptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = services.venue_exercise_attempt(user=request.user, entry=entry, **data.validated_data)
        return Response(ExerciseAttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)


class ExerciseAttemptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """The caller's scored practice attempts, newest first: venue exercises and amphitheatre exercises."""

    serializer_class = ExerciseAttemptSerializer

    def base_queryset(self):
        return selectors.exercise_attempts()


class AmphitheatreSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """Amphitheatre visits, newest first, with their recorded exercises (the history)."""

    serializer_class = AmphitheatreSessionSerializer

    def base_queryset(self):
        return selectors.amphitheatre_sessions()

    def _render(self, session, *, status_code=status.HTTP_200_OK) -> Response:
        session = selectors.amphitheatre_sessions().get(pk=session.pk)
        return Response(AmphitheatreSessionSerializer(session).data, status=status_code)

    @extend_schema(
        request=None,
        responses={201: AmphitheatreSessionSerializer, 200: AmphitheatreSessionSerializer},
        description="Open the next visit (201), or continue the caller's open visit (200).",
    )
    @action(detail=False, methods=["post"])
    def hub(self, request):
        session, created = services.amphitheatre_hub(user=request.user)
        return self._render(session, status_code=created_status(created))

    @extend_schema(
        request=AmphitheatreSubmitSerializer,
        responses={201: AmphitheatreRecordSerializer},
        description=(
            "Record an exercise of the visit's plan. The scores are the learner's self-assessment and "
            "decide nothing: the first recording of an exercise in a paying visit pays the plan's "
            "amount; re-recording it, or any recording in a practice visit, pays nothing."
        ),
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        session = self.get_object()
        data = AmphitheatreSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.amphitheatre_submit(user=request.user, session=session, **data.validated_data)
        return Response(AmphitheatreRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AmphitheatreSessionSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        session = services.amphitheatre_end(user=request.user, session=self.get_object())
        return self._render(session)
