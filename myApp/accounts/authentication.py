"""``Authorization: Token <key>`` against per-device, hashed django-rest-knox tokens."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework import exceptions


class DeviceTokenAuthentication(TokenAuthentication):
    """Knox's header handling and user checks, with one query per request.

    Knox's own lookup also loads every other token of the user on each request to delete
    the expired ones; here an expired device is simply refused (a user's expired rows are
    removed when they next sign in), and last use plus the sliding expiry are written at
    most once a minute (``services.device_token_touch``). A view may have the same statement
    carry a lookup of its own (``extras``).
    """

    def authenticate(self, request):
        self.request = request
        return super().authenticate(request)

    def authenticate_credentials(self, token: bytes):
        # Imported here: DRF imports this class while the services' own imports load DRF.
        from myApp.accounts import selectors, services

        try:
            key = token.decode("ascii")
        except UnicodeDecodeError:
            raise _invalid() from None
        device = selectors.device_token_for_key(key=key, extras=self.extras())
        if device is None:
            raise _invalid()
        services.device_token_touch(device=device)
        return self.validate_user(device)

    def extras(self) -> dict:
        """What the view asks the authentication query to carry (``authentication_extras(request)``: annotations
        on the device, ``OuterRef("user_id")`` being the caller), read back from ``request.auth``. A hot read of
        one of the caller's rows (the chat history's conversation) then costs no query of its own."""
        request = getattr(self, "request", None)
        view = (getattr(request, "parser_context", None) or {}).get("view")
        extras = getattr(view, "authentication_extras", None)
        return extras(request) if extras is not None else {}


def _invalid() -> exceptions.AuthenticationFailed:
    # Built only when refused: an APIException translates and wraps its message when built (a few percent of a
    # cached API read's time).
    return exceptions.AuthenticationFailed(_("Invalid token."))


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme: the same ``tokenAuth`` name and header as before knox."""

    target_class = DeviceTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
