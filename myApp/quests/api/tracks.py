"""``/api/users/tracks``: the caller's recovery tracks (advanced by their activities, never by input)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.quests import selectors
from myApp.quests.models import UserTrack


class UserTrackSerializer(serializers.ModelSerializer):
    class Meta:
        model = UserTrack
        fields = [
            "track_type",
            "current_phase",
            "completion_percentage",
            "total_activities",
            "completed_activities",
            "last_activity_at",
        ]
        read_only_fields = fields


class UserTracksView(APIView):
    @extend_schema(operation_id="users_tracks", responses=UserTrackSerializer(many=True))
    def get(self, request):
        return Response(UserTrackSerializer(selectors.tracks_owned_by(user=request.user), many=True).data)
