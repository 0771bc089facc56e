"""Liveness and readiness probes for load balancers and orchestrators.

- ``GET /healthz/live``: the process answers. It touches neither the database nor the
  cache, so a slow dependency never gets a healthy process restarted.
- ``GET /healthz/ready`` (and ``GET /healthz``, kept for existing probes): the instance can
  serve requests, which needs the database. 200 when the database answers, whatever the
  cache does: the cache only speeds requests up and every request is served without it, so
  a Redis outage reports ``"cache": "degraded"`` but never takes the instance out of a pool.
  503 with ``Retry-After`` when the database does not answer.

No authentication, never cached, never redirected to HTTPS (``SECURE_REDIRECT_EXEMPT``).

They live with the project, beside the URLs and settings that expose them: they answer for the
deployment (its database and cache), not for any app's feature, and ``myApp/lib`` holds building
blocks only (the cache breaker they ask is one).
"""

import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from myApp.lib.redis_cache import cache_breaker

RETRY_AFTER_SECONDS = 10


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _cache_ok() -> bool:
    breaker = cache_breaker(cache)
    if breaker is not None and breaker.is_open:
        return False  # known to be down: say so without waiting on Redis
    # The Redis cache answers an outage as a miss (IGNORE_EXCEPTIONS), so only a write-then-read
    # round trip shows it. A fresh key per probe: concurrent probes never read each other's token.
    key, token = f"healthz:probe:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, token, timeout=5)
        return cache.get(key) == token
    except Exception:  # any backend failure means "degraded" here, by design
        return False


@csrf_exempt  # a probe never posts; any other method gets 405, not a CSRF page
@never_cache
@require_safe
def live(request):
    return JsonResponse({"status": "ok"})


@csrf_exempt
@never_cache
@require_safe
def ready(request):
    database, cache_answers = _database_ok(), _cache_ok()
    body = {
        "status": ("ok" if cache_answers else "degraded") if database else "unavailable",
        "database": "ok" if database else "error",
        "cache": "ok" if cache_answers else "degraded",
    }
    response = JsonResponse(body, status=200 if database else 503)
    if not database:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
