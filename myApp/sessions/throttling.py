"""The chat's rate limit: turns per user (``THROTTLE_CHAT_RATE``), one counter for the API and the chat page."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from myApp.lib.throttling import UserRateThrottle, throttled_page


class ChatRateThrottle(UserRateThrottle):
    scope = "chat"


def chat_page_throttled(request: HttpRequest) -> HttpResponse | None:
    """The chat page's 429 answer (with the way back to the chat) when the sender is over the chat rate."""
    return throttled_page(
        request, ChatRateThrottle(), back_url=reverse("chat:conversation"), back_label="Back to the chat"
    )
