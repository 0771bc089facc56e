"""Rate limits for redeeming pairing codes: per user and per client address (``THROTTLE_PAIRING_RATE``).

Every redemption attempt counts, right or wrong, on the API and the Family page alike.
"""

from rest_framework.throttling import SimpleRateThrottle

from myApp.lib.client import client_ip


class PairingUserThrottle(SimpleRateThrottle):
    scope = "pairing"

    def get_cache_key(self, request, view) -> str:
        return f"throttle_pairing_user_{request.user.pk}"


class PairingAddressThrottle(SimpleRateThrottle):
    scope = "pairing"

    def get_cache_key(self, request, view) -> str:
        return f"throttle_pairing_address_{client_ip(request) or 'unknown'}"
