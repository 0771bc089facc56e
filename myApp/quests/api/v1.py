"""/api/v1/ quest viewsets, each scoped through ``lib.access``: a creator's own quests (write, revise,
submit), playing a quest one edge at a time, one's own library, ratings, progress, tracks, builder
sessions and the reviews of one's quests; a child's quest progress for the parent the child shares with."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from myApp.lib.api import ID_PATH_REGEX, OwnedViewSet, StrictInputSerializer
from myApp.quests import graph, selectors, services
from myApp.quests.api.reviews import PsychologistReviewSerializer
from myApp.quests.api.tracks import UserTrackSerializer
from myApp.quests.models import (
    AgeRange,
    PsychologicalModule,
    PsychologistReview,
    Quest,
    QuestBuilderSession,
    QuestProgress,
    QuestRating,
    UserQuestLibrary,
    UserTrack,
)


class QuestSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quest
        fields = [
            "id",
            "quest_id",
            "title",
            "graph_structure",
            "quest_yaml",
            "psychological_module",
            "location",
            "age_range",
            "is_public",
            "rating",
            "plays_count",
            "moderation_status",
            "psychologist_reviewed",
            "reviewed_at",
            "reveal_count",
            "last_reveal_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class QuestInputSerializer(StrictInputSerializer):
    """What a creator writes; the graph is checked by ``graph.validate`` in the service (400 naming the
    node or edge)."""

    title = serializers.CharField(max_length=200)
    graph_structure = serializers.JSONField()
    psychological_module = serializers.ChoiceField(choices=PsychologicalModule.choices)
    age_range = serializers.ChoiceField(choices=AgeRange.choices)
    location = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    is_public = serializers.BooleanField(required=False, default=False)


class QuestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OwnedViewSet,
):
    """The quests the caller wrote."""

    owner_fields = ("creator",)
    serializer_class = QuestSerializer

    def base_queryset(self):
        return Quest.objects.all()

    @extend_schema(request=QuestInputSerializer, responses={201: QuestSerializer})
    def create(self, request, *args, **kwargs):
        data = QuestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quest = services.quest_create(creator=request.user, **data.validated_data)
        return Response(QuestSerializer(quest).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=QuestInputSerializer(partial=True), responses=QuestSerializer)
    def partial_update(self, request, *args, **kwargs):
        quest = self.get_object()
        data = QuestInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        quest = services.quest_update(quest=quest, by=request.user, **data.validated_data)
        return Response(QuestSerializer(quest).data)

    @extend_schema(request=QuestInputSerializer(partial=True), responses=QuestSerializer)
    def update(self, request, *args, **kwargs):
        """Same as PATCH: only the fields sent change (the service regenerates what follows from them)."""
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=QuestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Ask for a psychologist's review (a draft, or a rejected quest once revised)."""
        quest = services.quest_submit_for_review(quest=self.get_object(), by=request.user)
        return Response(QuestSerializer(quest).data)


class QuestProgressSerializer(serializers.ModelSerializer):
    quest_title = serializers.CharField(source="quest.title", read_only=True)

    class Meta:
        model = QuestProgress
        fields = [
            "id",
            "quest",
            "quest_title",
            "current_node",
            "current_step",
            "completed",
            "completed_at",
            "session_count",
            "total_time_minutes",
            "last_played_at",
        ]
        read_only_fields = fields


class PlaySerializer(QuestProgressSerializer):
    """Progress with the node the player stands on and the edges they may follow from it."""

    node = serializers.SerializerMethodField()
    choices = serializers.SerializerMethodField()

    class Meta(QuestProgressSerializer.Meta):
        fields = [*QuestProgressSerializer.Meta.fields, "node", "choices"]
        read_only_fields = fields

    def get_node(self, progress: QuestProgress) -> dict:
        node = graph.node(progress.quest.graph_structure, progress.current_node) or {}
        return {key: node.get(key, "") for key in ("id", "type", "title", "text")}

    def get_choices(self, progress: QuestProgress) -> list[dict]:
        if progress.completed:
            return []
        return [
            {"edge_id": edge["id"], "label": edge["label"], "target": edge["target"]}
            for edge in graph.edges_from(progress.quest.graph_structure, progress.current_node)
        ]


class AdvanceInputSerializer(StrictInputSerializer):
    edge_id = serializers.CharField(max_length=graph.MAX_ID_LENGTH)


class RevealSerializer(serializers.Serializer):
    reveal = serializers.CharField()
    for_family = serializers.BooleanField(help_text="The creator's own message to their linked children.")


class QuestPlayViewSet(viewsets.GenericViewSet):
    """Playing the quests the caller may play (their own; approved ones that are listed, in their library
    or written by a linked parent); anything else is 404."""

    permission_classes = [IsAuthenticated]
    serializer_class = PlaySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Quest.objects.none()
        return selectors.quests_playable_by(user=self.request.user)

    @extend_schema(request=None, responses=PlaySerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        progress = services.quest_play_start(user=request.user, quest=self.get_object())
        return Response(PlaySerializer(progress).data)

    @extend_schema(request=AdvanceInputSerializer, responses=PlaySerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        """Follow one edge leaving the current node (409 for any other edge)."""
        quest = self.get_object()  # first: a quest the caller may not play is 404 whatever the body
        data = AdvanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        progress = services.quest_play_advance(user=request.user, quest=quest, edge_id=data.validated_data["edge_id"])
        return Response(PlaySerializer(progress).data)

    @extend_schema(request=None, responses=RevealSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        """The reveal message of the ending reached (409 before finishing); each view is counted."""
        reveal = services.quest_reveal_view(user=request.user, quest=self.get_object())
        return Response(RevealSerializer({"reveal": reveal.text, "for_family": reveal.for_family}).data)


class QuestProgressViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    serializer_class = QuestProgressSerializer

    def base_queryset(self):
        return selectors.progress_rows()


class ChildQuestProgressViewSet(viewsets.GenericViewSet):
    """``/child-quest-progress/{child_id}/``: a child's quest progress, for the child and for a linked
    parent while the child's consent stands (decided now, recorded in the audit log); 404 otherwise."""

    permission_classes = [IsAuthenticated]
    serializer_class = QuestProgressSerializer
    queryset = QuestProgress.objects.none()
    lookup_value_regex = ID_PATH_REGEX

    @extend_schema(responses=QuestProgressSerializer(many=True))
    def retrieve(self, request, pk=None):
        rows = selectors.quest_progress_visible_to(viewer=request.user, subject_id=int(pk), where=request.path)
        return Response(QuestProgressSerializer(rows[:200], many=True).data)


class QuestLibrarySerializer(serializers.ModelSerializer):
    quest_title = serializers.CharField(source="quest.title", read_only=True)

    class Meta:
        model = UserQuestLibrary
        fields = ["id", "quest", "quest_title", "added_at"]
        read_only_fields = fields


class LibraryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    serializer_class = QuestLibrarySerializer

    def base_queryset(self):
        return selectors.library_rows()


class QuestRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestRating
        fields = ["id", "quest", "rating", "review_text", "created_at", "updated_at"]
        read_only_fields = fields


class RatingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    serializer_class = QuestRatingSerializer

    def base_queryset(self):
        return QuestRating.objects.all()


class TrackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    serializer_class = UserTrackSerializer

    def base_queryset(self):
        return UserTrack.objects.order_by("track_type")


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """Reviews of the caller's quests, and reviews the caller (a psychologist) wrote."""

    owner_fields = ("quest__creator", "reviewer")
    serializer_class = PsychologistReviewSerializer

    def base_queryset(self):
        return PsychologistReview.objects.select_related("reviewer").order_by("-reviewed_at", "-id")


class BuilderSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestBuilderSession
        fields = [
            "id",
            "current_stage",
            "conversation_history",
            "current_graph",
            "quest_context",
            "quest",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class BuilderSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OwnedViewSet):
    """The caller's builder sessions, read only here; they are written through seed 001's
    ``/api/builder/sessions`` routes (``api.builder``)."""

    serializer_class = BuilderSessionSerializer

    def base_queryset(self):
        return QuestBuilderSession.objects.all()
