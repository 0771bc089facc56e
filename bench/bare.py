"""P1's baseline: a bare Django view doing the history endpoint's work with nothing around it.

Token authentication (the project's own hashed-token lookup, one query), the caller's conversation by
``session_id``, its last ``limit`` messages, JSON. No DRF, no serializers, no throttles, no cache: what
``/api/session/history`` would cost if the framework cost nothing.
"""

import uuid

from django.http import HttpRequest, HttpResponse, JsonResponse

from myApp.accounts import selectors as accounts
from myApp.lib.timestamps import format_timestamp
from myApp.sessions.models import Conversation, Message


def history(request: HttpRequest) -> HttpResponse:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    device = accounts.device_token_for_key(key=key) if scheme == "Token" and key else None
    if device is None or not device.user.is_active:
        return JsonResponse({"detail": "Invalid token."}, status=401)
    try:
        session_id = uuid.UUID(request.GET.get("session_id", ""))
        limit = max(1, min(200, int(request.GET.get("limit", "20"))))
    except ValueError:
        return JsonResponse({"detail": "Bad query."}, status=400)
    conversation = (
        Conversation.objects.filter(user_id=device.user_id, session_id=session_id)
        .values("id", "session_id", "message_count")
        .first()
    )
    if conversation is None:
        return JsonResponse({"detail": "Not found."}, status=404)
    rows = list(
        Message.objects.filter(conversation_id=conversation["id"])
        .order_by("-created_at", "-id")
        .values("id", "role", "content", "created_at")[:limit]
    )
    messages = [{**row, "created_at": format_timestamp(row["created_at"])} for row in reversed(rows)]
    return JsonResponse(
        {
            "session_id": str(conversation["session_id"]),
            "message_count": conversation["message_count"],
            "messages": messages,
        }
    )
