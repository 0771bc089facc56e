"""Accounts API: register, tokens, the current user, parent-child consent links."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.accounts import selectors, services
from myApp.accounts.models import PROFILE_EDITABLE_FIELDS, SELF_SERVICE_ROLES, ChildPrivacySettings, Profile, Role, User
from myApp.lib.api import OwnedViewSet, StrictInputSerializer
from myApp.lib.throttling import LoginRateThrottle, RegisterRateThrottle

# --- Serializers -------------------------------------------------------------


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = [
            *PROFILE_EDITABLE_FIELDS,
            "onboarding_completed",
            "ab_variant",
            "learning_profile",
            "district_full_access",
            "xp",
            "coins",
            "tickets",
        ]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    profile = ProfileSerializer(read_only=True)

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


class RegisterSerializer(StrictInputSerializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    password = serializers.CharField(write_only=True, style={"input_type": "password"}, max_length=128)
    role = serializers.ChoiceField(
        choices=[(role.value, role.label) for role in SELF_SERVICE_ROLES], default=Role.LEARNER
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class ChildLinkSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="username", read_only=True)
    child = serializers.SlugRelatedField(slug_field="username", read_only=True)
    consent_changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ChildPrivacySettings
        fields = [
            "id",
            "parent",
            "child",
            "share_quest_progress",
            "consent_granted_at",
            "consent_revoked_at",
            "consent_changed_by",
            "created_at",
        ]
        read_only_fields = fields


class ChildLinkCreateSerializer(StrictInputSerializer):
    child_username = serializers.CharField(max_length=150)


# --- Views -------------------------------------------------------------------


class RegisterView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [RegisterRateThrottle]

    @extend_schema(
        request=RegisterSerializer,
        responses={201: inline_serializer("Registered", {"user": MeSerializer(), "token": serializers.CharField()})},
    )
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data, source="api")
        token = services.auth_token_issue(user=user)
        body = {"user": MeSerializer(selectors.user_with_profile(user=user)).data, "token": token.key}
        return Response(body, status=status.HTTP_201_CREATED)


class TokenView(APIView):
    """Exchange username + password for an API token (DRF token auth)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenSerializer})
    def post(self, request):
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        token = services.auth_token_issue(user=credentials.validated_data["user"])
        return Response({"token": token.key})


class LogoutView(APIView):
    """Revoke the caller's API token; it stops working at once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.auth_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        services.profile_ensure(user=request.user)
        return Response(MeSerializer(selectors.user_with_profile(user=request.user)).data)

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request):
        data = MeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.profile_update(user=request.user, profile_data=values.pop("profile", {}), user_data=values)
        return Response(MeSerializer(selectors.user_with_profile(user=request.user)).data)


class ChildLinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OwnedViewSet):
    """Parent-child links. A parent links a child; only the child (or staff) grants or revokes consent."""

    serializer_class = ChildLinkSerializer
    owner_fields = selectors.CHILD_LINK_OWNERS

    def base_queryset(self):
        return selectors.child_links()

    @extend_schema(request=ChildLinkCreateSerializer, responses={201: ChildLinkSerializer})
    def create(self, request):
        data = ChildLinkCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link = services.child_link_create(parent=request.user, **data.validated_data)
        return Response(ChildLinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ChildLinkSerializer)
    @action(detail=True, methods=["post"], url_path="grant-consent")
    def grant_consent(self, request, pk=None):
        link = services.child_consent_set(link=self.get_object(), by=request.user, share=True)
        return Response(ChildLinkSerializer(link).data)

    @extend_schema(request=None, responses=ChildLinkSerializer)
    @action(detail=True, methods=["post"], url_path="revoke-consent")
    def revoke_consent(self, request, pk=None):
        link = services.child_consent_set(link=self.get_object(), by=request.user, share=False)
        return Response(ChildLinkSerializer(link).data)
