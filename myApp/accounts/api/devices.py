"""Accounts API: logins with per-device tokens, logging out, and the caller's devices."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from myApp.accounts import selectors, services
from myApp.accounts.models import DeviceToken, User
from myApp.accounts.throttling import LoginRateThrottle
from myApp.lib.api import OwnedViewSet, StrictInputSerializer


class TokenRequestSerializer(StrictInputSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        write_only=True, style={"input_type": "password"}, max_length=1024, trim_whitespace=False
    )
    device_name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        default="",
        help_text="How this device appears in the device list; derived from the User-Agent when left out.",
    )


class DeviceSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text="Whether this is the device making the request.")

    class Meta:
        model = DeviceToken
        fields = ["id", "name", "created", "last_used_at", "expiry", "current"]
        read_only_fields = fields

    def get_current(self, device: DeviceToken) -> bool:
        if "signed_in_device_id" in self.context:  # the answer to a sign-in describes the new device
            return device.pk == self.context["signed_in_device_id"]
        auth = getattr(self.context.get("request"), "auth", None)
        return isinstance(auth, DeviceToken) and auth.pk == device.pk


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Send as `Authorization: Token <token>`; shown once.")
    expiry = serializers.DateTimeField(read_only=True, help_text="Moves forward while the device is in use.")
    device = DeviceSerializer(read_only=True)


def signed_in(request, user: User, device_name: str) -> dict:
    """A new device for ``user``, serialized with its key (the only time the key is ever sent)."""
    device, key = services.device_token_create(
        user=user, name=device_name, user_agent=request.META.get("HTTP_USER_AGENT", "")
    )
    context = {"request": request, "signed_in_device_id": device.pk}
    return TokenSerializer({"token": key, "expiry": device.expiry, "device": device}, context=context).data


class TokenView(APIView):
    """Exchange username + password for a new device token. Each call signs in one more device."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = services.login_with_password(request=request, username=values["username"], password=values["password"])
        return Response(signed_in(request, user, values["device_name"]))


class LogoutView(APIView):
    """Log out the calling device: its token stops working at once; other devices stay signed in."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, DeviceToken):
            services.device_token_revoke(device=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutEverywhereView(APIView):
    """Log out every API device of the caller, this one included."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.device_tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeviceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, OwnedViewSet):
    """The caller's signed-in API devices; deleting one logs that device out.

    Always the caller's own, staff included (staff manage other people's devices in the admin).
    """

    serializer_class = DeviceSerializer

    def base_queryset(self):
        return selectors.device_tokens_live(user=self.request.user)

    def get_queryset(self):
        # Unlike other owned rows, staff do not see everyone's devices here.
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return DeviceToken.objects.none()
        return self.base_queryset()

    def perform_destroy(self, instance: DeviceToken) -> None:
        services.device_token_revoke(device=instance)
