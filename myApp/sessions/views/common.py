"""What the chat pages share: the client's address for new conversations."""

from django.http import HttpRequest


def client_fields(request: HttpRequest) -> dict[str, str | None]:
    return {"ip_address": request.META.get("REMOTE_ADDR"), "user_agent": request.META.get("HTTP_USER_AGENT", "")}
