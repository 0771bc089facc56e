"""Liveness and readiness for load balancers: database and cache, 200 or 503."""

import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _cache_ok() -> bool:
    # The Redis cache swallows outages (IGNORE_EXCEPTIONS), so a write-then-read
    # round trip is the only reliable way to see that it is down.
    key, token = "healthz:probe", secrets.token_hex(8)
    try:
        cache.set(key, token, timeout=10)
        return cache.get(key) == token
    except Exception:  # any backend failure means "down" here, by design
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "degraded"} | {name: "ok" if ok else "error" for name, ok in checks.items()}
    return JsonResponse(body, status=200 if healthy else 503)
