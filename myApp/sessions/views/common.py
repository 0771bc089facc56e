"""What the chat pages share: the client's address for new conversations."""

from django.http import HttpRequest

from myApp.lib.client import client_ip


def client_fields(request: HttpRequest) -> dict[str, str | None]:
    """The address the server saw (after trusted proxies) and the browser's user agent."""
    return {"ip_address": client_ip(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")}
