"""Rate limits of accounts, counted on the API and the pages alike.

- logins (``THROTTLE_LOGIN_RATE``) and sign-ups, a parent's child accounts included
  (``THROTTLE_REGISTER_RATE``): per client address;
- redeeming pairing codes (``THROTTLE_PAIRING_RATE``): per user and per client address; every
  redemption attempt counts, right or wrong.
"""

from myApp.lib.client import client_ip
from myApp.lib.throttling import ClientAddressThrottle, WindowThrottle


class LoginRateThrottle(ClientAddressThrottle):
    scope = "login"


class RegisterRateThrottle(ClientAddressThrottle):
    scope = "register"


class PairingUserThrottle(WindowThrottle):
    scope = "pairing"

    def get_cache_key(self, request, view) -> str:
        return f"throttle_pairing_user_{request.user.pk}"


class PairingAddressThrottle(WindowThrottle):
    scope = "pairing"

    def get_cache_key(self, request, view) -> str:
        return f"throttle_pairing_address_{client_ip(request) or 'unknown'}"


class ExportRateThrottle(WindowThrottle):
    """A data export reads every row a person has (``THROTTLE_EXPORT_RATE``, per user, pages and API alike):
    a few a day are a right, a loop of them would load the server."""

    scope = "export"

    def get_cache_key(self, request, view) -> str:
        return f"throttle_export_user_{request.user.pk}"
