"""Rate limits shared by the API and the server-rendered pages."""

from rest_framework.throttling import SimpleRateThrottle


class _ClientIPThrottle(SimpleRateThrottle):
    """Counts requests per client address, whoever is logged in."""

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginRateThrottle(_ClientIPThrottle):
    scope = "login"


class RegisterRateThrottle(_ClientIPThrottle):
    scope = "register"
