"""Family API: pairing codes (the child), parent-child links (the parent redeems a code), and what
a parent sees of a child who shares it with them."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from myApp.accounts import selectors, services
from myApp.accounts.api.users import NewAccountSerializer
from myApp.accounts.models import ChildPrivacySettings, PairingCode, PairingCodeState
from myApp.accounts.throttling import PairingAddressThrottle, PairingUserThrottle, RegisterRateThrottle
from myApp.curriculum import selectors as curriculum_selectors
from myApp.curriculum.api.progress import LearningProgressSerializer
from myApp.lib import access
from myApp.lib.api import ID_PATH_REGEX, OwnedViewSet, StrictInputSerializer
from myApp.sessions import selectors as chat_selectors
from myApp.sessions.api.report import PsychologyReportSerializer


class ChildLinkSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="username", read_only=True)
    child = serializers.SlugRelatedField(slug_field="username", read_only=True)
    consent_changed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

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
    code = serializers.CharField(max_length=32, help_text="The pairing code the child made, e.g. ABCDE-FGHJK.")


class PairingCodeSerializer(serializers.ModelSerializer):
    used_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    state = serializers.ChoiceField(choices=PairingCodeState.choices, read_only=True)

    class Meta:
        model = PairingCode
        fields = ["id", "state", "created_at", "expires_at", "used_at", "used_by"]
        read_only_fields = fields


class NewPairingCodeSerializer(PairingCodeSerializer):
    code = serializers.CharField(read_only=True, help_text="Shown only in this response; only a hash is stored.")

    class Meta(PairingCodeSerializer.Meta):
        fields = ["id", "code", "state", "created_at", "expires_at", "used_at", "used_by"]
        read_only_fields = fields


class EmptyInputSerializer(StrictInputSerializer):
    pass


class ChildLinkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OwnedViewSet):
    """Parent-child links. A parent links a child by entering the child's pairing code (or by
    creating the child's account); only the child (or staff) grants or revokes consent."""

    serializer_class = ChildLinkSerializer
    owner_fields = selectors.CHILD_LINK_OWNERS

    def base_queryset(self):
        return selectors.child_links()

    def get_throttles(self):
        if self.action == "create":
            return [*super().get_throttles(), PairingUserThrottle(), PairingAddressThrottle()]
        if self.action == "new_child":
            return [*super().get_throttles(), RegisterRateThrottle()]
        return super().get_throttles()

    @extend_schema(request=ChildLinkCreateSerializer, responses={201: ChildLinkSerializer})
    def create(self, request):
        data = ChildLinkCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link = services.pairing_code_redeem(parent=request.user, code=data.validated_data["code"])
        return Response(ChildLinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NewAccountSerializer, responses={201: ChildLinkSerializer})
    @action(detail=False, methods=["post"], url_path="new-child")
    def new_child(self, request):
        """A parent creates their child's account; it is linked to them at once, sharing off."""
        data = NewAccountSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link = services.child_account_create(parent=request.user, **data.validated_data)
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


class PairingCodeViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, OwnedViewSet):
    """The caller's pairing codes. Creating one replaces the unused one; the code itself appears
    only in the creation response."""

    serializer_class = PairingCodeSerializer
    owner_fields = ("child",)

    def base_queryset(self):
        return selectors.pairing_codes()

    @extend_schema(request=None, responses={201: NewPairingCodeSerializer})
    def create(self, request):
        EmptyInputSerializer(data=request.data).is_valid(raise_exception=True)
        pairing, code = services.pairing_code_create(child=request.user)
        pairing.code = code
        return Response(NewPairingCodeSerializer(pairing).data, status=status.HTTP_201_CREATED)


CHILD_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The child's user id.")
NOT_SHARED = OpenApiResponse(description="No such child of yours who shares this with you (now).")


class ChildViewSet(viewsets.GenericViewSet):
    """A linked child's learning progress and wellbeing report, for a parent the child shares them
    with (``lib.access``: the parent-with-consent relationship). Anyone else, staff included, gets
    404; the child's own id is their own data. The decision is made on every request, so revoking
    consent answers 404 at once, and every look is written to the access log."""

    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_PATH_REGEX

    def _child(self, request, pk, what: str):
        return access.subject_visible_to(viewer=request.user, subject_id=int(pk), what=what, where=request.path).subject

    @extend_schema(parameters=[CHILD_ID], responses={200: LearningProgressSerializer, 404: NOT_SHARED})
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        child = self._child(request, pk, access.LEARNING_PROGRESS)
        return Response(LearningProgressSerializer(curriculum_selectors.learning_progress(user=child)).data)

    @extend_schema(parameters=[CHILD_ID], responses={200: PsychologyReportSerializer, 404: NOT_SHARED})
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        child = self._child(request, pk, access.WELLBEING_REPORT)
        return Response(PsychologyReportSerializer(chat_selectors.psychology_report(user=child)).data)
