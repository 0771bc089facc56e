"""What the chat pages share: the client's address for new conversations, the chat throttle."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.throttling import UserRateThrottle


class ChatPageThrottle(UserRateThrottle):
    """Messages per user per minute: the same "chat" scope (and cache key) as the chat API."""

    scope = "chat"


def client_fields(request: HttpRequest) -> dict[str, str | None]:
    return {"ip_address": request.META.get("REMOTE_ADDR"), "user_agent": request.META.get("HTTP_USER_AGENT", "")}


def too_many_requests(request: HttpRequest, throttle: ChatPageThrottle) -> HttpResponse:
    wait = int(throttle.wait() or 60)
    response = render(request, "sessions/too_many_requests.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response
