"""The OpenAPI schema documents the error answers each operation really gives.

Most errors come from mechanisms every view shares, so they are derived from the
view here instead of being repeated on each one: a body can be malformed (400),
too large (413) or of another media type (415); query parameters are validated
(400); authentication can fail (401); a permission beyond "logged in", or the
CSRF check of a session-authenticated write, can refuse (403); an object, or a
page of a list, can be missing (404); throttles answer 429; a database outage
answers 503. Every write goes through a service, and a service may refuse it for
the state it finds: 400 (``ServiceError``) or 409 (``Conflict``), so both are
documented on every write. What else only a view knows (403 for acting for
someone else) is declared on it with ``extend_schema``. Every error has the
project's one shape, ``Error``.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import authentication, permissions, serializers

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Permissions that refuse nobody who is authenticated (their refusal is 401, not 403).
AUTHENTICATION_ONLY = (permissions.AllowAny, permissions.IsAuthenticated)

DESCRIPTIONS = {
    "400": _("Invalid input: `errors` names each field (dotted for nested fields) with its messages."),
    "401": _("Missing, invalid or expired credentials."),
    "403": _("Not allowed for this user."),
    "404": _("Not found, or not yours."),
    "409": _("Conflicts with the current state (e.g. locked, already done, not enough balance)."),
    "413": _("Request body too large."),
    "415": _("Unsupported media type: send application/json."),
    "429": _("Too many requests: wait for the number of seconds in Retry-After."),
    "503": _("Temporarily unavailable (the database is unreachable): retry after Retry-After seconds."),
}


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a sentence, and the messages per field (empty when no field is at fault)."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ProjectAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self._error_codes(operation):
            responses.setdefault(code, {"description": DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code[0] in "45" and "content" not in response:
                described = self._get_response_for_code(ErrorSerializer, code)
                response["content"] = described["content"]
                response.setdefault("description", described.get("description", ""))
        return operation

    def _error_codes(self, operation: dict) -> list[str]:
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        write = self.method not in SAFE_METHODS
        authenticators = self.view.get_authenticators()
        extra_permissions = [p for p in self.view.get_permissions() if not isinstance(p, AUTHENTICATION_ONLY)]
        session_write = write and any(isinstance(a, authentication.SessionAuthentication) for a in authenticators)
        codes = []
        if write or has_body or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if authenticators:
            codes.append("401")
        if extra_permissions or session_write:
            codes.append("403")
        if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
            codes.append("404")
        if write:
            codes.append("409")
        if has_body:
            codes += ["413", "415"]
        if self.view.get_throttles():
            codes.append("429")
        codes.append("503")
        return codes
