"""Accounts API: sign-up and the current user (their profile)."""

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.accounts import selectors, services
from myApp.accounts.api.devices import DeviceSerializer, signed_in
from myApp.accounts.models import PROFILE_EDITABLE_FIELDS, SELF_SERVICE_ROLES, Profile, Role, User
from myApp.accounts.throttling import RegisterRateThrottle
from myApp.curriculum import selectors as curriculum_selectors
from myApp.lib.api import StrictInputSerializer


class ProfileSerializer(serializers.ModelSerializer):
    district_full_access = serializers.SerializerMethodField(
        help_text="{district slug: true} for each district whose every venue is open to the user, "
        "derived from module progress."
    )

    class Meta:
        model = Profile
        fields = [
            *PROFILE_EDITABLE_FIELDS,
            "onboarding_completed",
            "ab_variant",
            "district_full_access",
            "xp",
            "coins",
            "tickets",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.BooleanField()))
    def get_district_full_access(self, profile: Profile) -> dict[str, bool]:
        return curriculum_selectors.district_full_access(user=profile.user)


class MeSerializer(serializers.ModelSerializer):
    profile = ProfileSerializer(read_only=True)
    # Not "format: email": a person without an address has "", which that format would not allow.
    email = serializers.CharField(read_only=True, help_text="The account's email address, or empty.")

    class Meta:
        model = User
        fields = ["id", "username", "email", "first_name", "last_name", "role", "date_joined", "profile"]
        read_only_fields = fields


class ProfileInputSerializer(StrictInputSerializer, serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = list(PROFILE_EDITABLE_FIELDS)


class MeUpdateSerializer(StrictInputSerializer):
    email = serializers.EmailField(required=False, allow_blank=True)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    profile = ProfileInputSerializer(required=False, partial=True)


_unavailable = {"invalid": services.USERNAME_UNAVAILABLE, "max_length": services.USERNAME_UNAVAILABLE}


class NewAccountSerializer(StrictInputSerializer):
    """A username and a password as sign-up takes them: the password exactly as typed."""

    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150, error_messages=_unavailable)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    password = serializers.CharField(
        write_only=True, style={"input_type": "password"}, max_length=128, trim_whitespace=False
    )


class RegisterSerializer(NewAccountSerializer):
    role = serializers.ChoiceField(
        choices=[(role.value, role.label) for role in SELF_SERVICE_ROLES], default=Role.LEARNER
    )
    device_name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [RegisterRateThrottle]

    @extend_schema(
        request=RegisterSerializer,
        responses={
            201: inline_serializer(
                "Registered",
                {
                    "user": MeSerializer(),
                    "token": serializers.CharField(),
                    "expiry": serializers.DateTimeField(),
                    "device": DeviceSerializer(),
                },
            )
        },
    )
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        device_name = values.pop("device_name")
        user = services.user_register(**values, source="api")
        body = {
            "user": MeSerializer(selectors.user_with_profile(user=user)).data,
            **signed_in(request, user, device_name),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(selectors.user_with_profile(user=request.user)).data)

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request):
        data = MeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.profile_update(user=request.user, profile_data=values.pop("profile", {}), user_data=values)
        return Response(MeSerializer(selectors.user_with_profile(user=request.user)).data)
