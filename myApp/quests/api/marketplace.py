"""``/api/quests/marketplace``: browse listed quests, add one to one's library, rate one played."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.lib.api import StrictInputSerializer, created_status
from myApp.quests import selectors, services
from myApp.quests.models import AgeRange, PsychologicalModule, Quest, QuestRating, UserQuestLibrary
from myApp.quests.selectors import MARKETPLACE_SORTS, MAX_SEARCH_LENGTH, MarketplaceFilters
from myApp.quests.services.play import MAX_REVIEW_TEXT


class MarketplaceQuestSerializer(serializers.ModelSerializer):
    creator = serializers.CharField(source="creator.username", read_only=True)

    class Meta:
        model = Quest
        fields = [
            "id",
            "quest_id",
            "title",
            "creator",
            "psychological_module",
            "age_range",
            "location",
            "rating",
            "plays_count",
            "created_at",
        ]
        read_only_fields = fields


class MarketplaceQuerySerializer(StrictInputSerializer):
    psychological_module = serializers.ChoiceField(choices=PsychologicalModule.choices, required=False)
    age_range = serializers.ChoiceField(choices=AgeRange.choices, required=False)
    location = serializers.CharField(max_length=120, required=False)
    min_rating = serializers.FloatField(min_value=1, max_value=5, required=False)
    search = serializers.CharField(max_length=MAX_SEARCH_LENGTH, required=False)
    sort = serializers.ChoiceField(choices=list(MARKETPLACE_SORTS), default="rating")
    page = serializers.IntegerField(min_value=1, required=False)


class MarketplaceView(generics.ListAPIView):
    """Listed quests only (public, approved by a psychologist), filtered, searched and sorted."""

    serializer_class = MarketplaceQuestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Quest.objects.none()
        query = MarketplaceQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = {key: value for key, value in query.validated_data.items() if key != "page"}
        return selectors.marketplace_quests(MarketplaceFilters(**filters))

    @extend_schema(operation_id="quests_marketplace", parameters=[MarketplaceQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class LibraryEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = UserQuestLibrary
        fields = ["id", "quest", "added_at"]
        read_only_fields = fields


class MarketplaceLibraryView(APIView):
    """Add a listed quest to the caller's library: 201 the first time, 200 after."""

    @extend_schema(
        operation_id="quests_marketplace_library_add",
        request=None,
        responses={200: LibraryEntrySerializer, 201: LibraryEntrySerializer},
    )
    def post(self, request, pk: int):
        quest = get_object_or_404(selectors.quests_playable_by(user=request.user), pk=pk)
        entry, created = services.library_add(user=request.user, quest=quest)
        return Response(LibraryEntrySerializer(entry).data, status=created_status(created))


class RatingInputSerializer(StrictInputSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    review_text = serializers.CharField(max_length=MAX_REVIEW_TEXT, required=False, allow_blank=True, default="")


class MarketplaceRatingSerializer(serializers.ModelSerializer):
    quest_rating = serializers.FloatField(source="quest.rating", read_only=True)

    class Meta:
        model = QuestRating
        fields = ["id", "quest", "rating", "review_text", "quest_rating", "created_at", "updated_at"]
        read_only_fields = fields


class MarketplaceRateView(APIView):
    """Rate a quest the caller played (1-5, optional text); rating again replaces the earlier rating."""

    @extend_schema(
        operation_id="quests_marketplace_rate", request=RatingInputSerializer, responses=MarketplaceRatingSerializer
    )
    def post(self, request, pk: int):
        quest = get_object_or_404(selectors.quests_playable_by(user=request.user), pk=pk)
        data = RatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.quest_rate(user=request.user, quest=quest, **data.validated_data)
        rating.quest.refresh_from_db(fields=["rating"])
        return Response(MarketplaceRatingSerializer(rating).data, status=status.HTTP_200_OK)
