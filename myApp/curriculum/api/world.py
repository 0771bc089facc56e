"""The practice world: districts and venues (entered with tickets), visits and scored practice attempts."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from myApp.curriculum import economy, selectors, services
from myApp.curriculum.models import (
    District,
    ExerciseAttempt,
    Venue,
    VenueEntry,
    VenueTaskSheet,
)
from myApp.lib.api import OwnedViewSet, StrictInputSerializer, created_status


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
