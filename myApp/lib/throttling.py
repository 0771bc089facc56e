"""Rate-limit building blocks shared by the API and the server-rendered pages (one counter for both).

Every throttle identifies an anonymous client by ``client_ip`` (REMOTE_ADDR unless
``TRUSTED_PROXY_COUNT`` says proxies append to X-Forwarded-For), never by a header
the client can rotate. The apps declare their own scopes (``accounts/throttling.py``:
logins, sign-ups, pairing; ``sessions/throttling.py``: chat turns); a page form asks
``throttled_page`` and answers with the 429 page it returns.

On Redis a request's throttles cost one round trip together, not a read and a write each: one
Lua script (``check``) trims each throttle's window, counts it and records the request where it is
allowed, atomically, and may read cache entries the view will need in the same trip
(``OneRoundTripThrottling.prefetch_cache_keys``: the chat history). The window is DRF's (the
request times of the last ``duration`` seconds, at most ``num_requests`` of them), kept as a Redis
list. On any other cache (local memory) DRF's own get-and-set runs. When Redis cannot be reached
the request is let through and the prefetched entries are misses, as DRF does on a cache that
ignores its errors.
"""

import logging
import math
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from redis.commands.core import Script
from redis.exceptions import RedisError
from rest_framework import throttling

from myApp.lib.client import client_ip
from myApp.lib.redis_cache import UNREACHABLE, redis_client

logger = logging.getLogger("myApp.cache")

# KEYS: the throttles' lists, then the entries to read. ARGV: the number of throttles, now, then each
# throttle's limit and duration. Returns, per throttle, {allowed 1|0, requests in the window, the oldest
# one's time}, then each entry's raw value (false when absent).
_CHECK = Script(
    None,
    b"""
local throttles = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local result = {}
for index = 1, throttles do
    local key = KEYS[index]
    local limit = tonumber(ARGV[1 + 2 * index])
    local duration = tonumber(ARGV[2 + 2 * index])
    while true do
        local oldest = redis.call('LINDEX', key, -1)
        if not oldest or tonumber(oldest) > now - duration then break end
        redis.call('RPOP', key)
    end
    local count = redis.call('LLEN', key)
    local allowed = 0
    if count < limit then
        redis.call('LPUSH', key, ARGV[2])
        redis.call('EXPIRE', key, math.ceil(duration))
        allowed = 1
        count = count + 1
    end
    local oldest = redis.call('LINDEX', key, -1) or ARGV[2]
    result[#result + 1] = {allowed, count, oldest}
end
for index = throttles + 1, #KEYS do
    result[#result + 1] = redis.call('GET', KEYS[index])
end
return result
""",
)


@dataclass
class Verdict:
    """What ``check`` found: the waits the refusing throttles ask for (none: allowed), and the cache entries
    it read (absent when missing or unreadable)."""

    waits: list[float | None] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        return not self.waits

    @property
    def wait(self) -> float | None:
        """DRF's answer for several refusals: the longest known wait."""
        return max((wait for wait in self.waits if wait is not None), default=None)


class WindowThrottle(throttling.SimpleRateThrottle):
    """DRF's sliding window, kept in one Redis round trip (``check``) when the cache is Redis."""

    def allow_request(self, request, view) -> bool:
        return check(request, view, [self]).allowed

    def _drf_allow_request(self, request, view) -> bool:
        return super().allow_request(request, view)

    def wait(self) -> float | None:
        if getattr(self, "_window", None) is None:
            return super().wait()
        count, oldest = self._window
        remaining = self.duration - (self.now - oldest)
        available = self.num_requests - count + 1
        return None if available <= 0 else remaining / available


def check(request, view, throttles: list, *, fetch: list[str] | tuple[str, ...] = ()) -> Verdict:
    """Ask every throttle whether the request may pass (each records it where it does, as DRF's views do)
    and read the cache entries ``fetch`` names: one Redis round trip in all."""
    client = redis_client(cache)
    if client is None:
        waits = [throttle.wait() for throttle in throttles if not _allow_without_redis(throttle, request, view)]
        return Verdict(waits, cache.get_many(list(fetch)) if fetch else {})

    # A throttle of another kind (DRF's own) is asked its own way, with its own round trips.
    waits = [
        throttle.wait()
        for throttle in throttles
        if not isinstance(throttle, WindowThrottle) and not throttle.allow_request(request, view)
    ]
    asking = []
    for throttle in throttles:
        if not isinstance(throttle, WindowThrottle) or throttle.rate is None:
            continue
        key = throttle.get_cache_key(request, view)
        if key is not None:
            throttle.key, throttle.now, throttle._window = key, throttle.timer(), None
            asking.append(throttle)
    if not asking and not fetch:
        return Verdict(waits)
    now = max((throttle.now for throttle in asking), default=0)
    for throttle in asking:
        throttle.now = now
    keys = [cache.make_key(f"window:{throttle.key}") for throttle in asking] + [cache.make_key(key) for key in fetch]
    args = [len(asking), repr(now)]
    for throttle in asking:
        args += [throttle.num_requests, throttle.duration]
    try:
        replies = _CHECK(keys=keys, args=args, client=client)
    except UNREACHABLE:
        return Verdict(waits)  # the breaker logs the outage once; DRF too lets requests through when the cache fails
    except RedisError:
        logger.exception("Throttle check failed; letting the request through")
        return Verdict(waits)
    for throttle, (allowed, count, oldest) in zip(asking, replies, strict=False):
        throttle._window = (int(count), float(oldest))
        if not allowed:
            waits.append(throttle.wait())
    values = {
        key: cache.client.decode(raw) for key, raw in zip(fetch, replies[len(asking) :], strict=True) if raw is not None
    }
    return Verdict(waits, values)


def _allow_without_redis(throttle, request, view) -> bool:
    if isinstance(throttle, WindowThrottle):
        return throttle._drf_allow_request(request, view)
    return throttle.allow_request(request, view)


class OneRoundTripThrottling:
    """A DRF view mixin: the view's throttles and the cache entries it will read (``prefetch_cache_keys``,
    after authentication) share one Redis round trip; the handler finds the entries in ``self.prefetched``."""

    prefetched_keys: tuple[str, ...] = ()
    prefetched: dict[str, Any]

    def prefetch_cache_keys(self, request) -> list[str]:
        return []

    def check_throttles(self, request) -> None:
        self.prefetched_keys = tuple(self.prefetch_cache_keys(request))
        verdict = check(request, self, self.get_throttles(), fetch=self.prefetched_keys)
        self.prefetched = verdict.values  # a key of prefetched_keys missing here: not cached (or Redis is down)
        if not verdict.allowed:
            self.throttled(request, verdict.wait)


class _ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"


class AnonRateThrottle(_ClientAddressMixin, throttling.AnonRateThrottle, WindowThrottle):
    pass


class UserRateThrottle(_ClientAddressMixin, throttling.UserRateThrottle, WindowThrottle):
    pass


class ClientAddressThrottle(_ClientAddressMixin, WindowThrottle):
    """Counts requests per client address, whoever is logged in; subclasses name the ``scope``."""

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttled_page(
    request: HttpRequest, *throttles: throttling.SimpleRateThrottle, back_url: str = "", back_label: str = ""
) -> HttpResponse | None:
    """The page answer to a form post one of ``throttles`` refuses (asked in order, each counting the request
    it lets through): 429 with Retry-After, the wait in words and a way back. None when all let it through."""
    refusing = next((throttle for throttle in throttles if not throttle.allow_request(request, None)), None)
    if refusing is None:
        return None
    wait = math.ceil(refusing.wait() or 60)
    context = {"wait": wait, "wait_minutes": math.ceil(wait / 60), "back_url": back_url, "back_label": back_label}
    response = render(request, "too_many_requests.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response
