"""The Redis cache client: bounded calls, no retries, and a circuit breaker.

A Redis that is down or hung must cost a few slow requests, not every one. Each
cache operation is bounded by the connect and socket timeouts (``REDIS_*_MS``),
redis-py never retries it, and after one connection error or timeout this
process stops calling Redis for ``REDIS_BREAKER_SECONDS``: every cache call in
that window is answered at once as a miss (django-redis ``IGNORE_EXCEPTIONS``
turns the refusal into "no value"). When the window has passed, one call is let
through as a trial; if Redis answers, the breaker closes, otherwise it opens for
another window. One warning is logged when the breaker opens and one when it
closes, never one per call.

The breaker sits on the redis-py client (``execute_command`` and pipelines), so
every cache user gets it: the chat history cache, the throttles, the
``cached_db`` session engine and the health probe. Set it up with
``OPTIONS["CLIENT_CLASS"] = "myApp.lib.redis_cache.CircuitBreakerClient"``.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import BaseCache
from django_redis.client import DefaultClient
from redis import Redis
from redis.backoff import NoBackoff
from redis.client import Pipeline
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger("myApp.cache")

DEFAULT_BREAKER_SECONDS = 10.0
# Errors that mean "Redis is not answering" (refused, reset, timed out). A reply
# that is an error (ResponseError) means Redis is up, so it never opens the breaker.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class CircuitOpen(RedisConnectionError):
    """Raised instead of calling Redis while the breaker is open; django-redis ignores it as an outage."""


@dataclass
class BreakerStats:
    """What the breaker let through and what it refused, since the process started (or ``reset``)."""

    attempts: int = 0  # calls that went to Redis
    failures: int = 0  # of those, the ones that failed with a connection error or timeout
    short_circuits: int = 0  # calls answered at once while the breaker was open
    opened: int = 0
    closed: int = 0


class CircuitBreaker:
    """Closed: calls go through. Open: calls are refused until ``open_seconds`` have passed.
    Then one trial call goes through (the others are still refused): success closes, failure reopens.

    Shared by every thread of a process; ``clock`` is monotonic seconds.
    """

    def __init__(self, name: str, open_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self.open_seconds = open_seconds
        self.clock = clock
        self.stats = BreakerStats()
        self._lock = threading.Lock()
        self._open_until: float | None = None
        self._opened_at = 0.0
        self._trial_running = False
        self._refused_while_open = 0

    @property
    def is_open(self) -> bool:
        """True while calls are refused (a trial in flight counts as open)."""
        with self._lock:
            return self._open_until is not None and (self._trial_running or self.clock() < self._open_until)

    def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        trial = self._admit()
        settled = False
        try:
            result = function(*args, **kwargs)
        except UNREACHABLE as error:
            settled = True
            self._failed(error)
            raise
        except RedisError:
            settled = True
            self._succeeded()  # Redis answered, with an error reply: it is reachable
            raise
        else:
            settled = True
            self._succeeded()
            return result
        finally:
            # Anything else (not about Redis, e.g. an interrupt) leaves the state alone but frees the trial.
            if trial and not settled:
                with self._lock:
                    self._trial_running = False

    def reset(self) -> None:
        with self._lock:
            self._open_until = None
            self._trial_running = False
            self._refused_while_open = 0
            self.stats = BreakerStats()

    def _admit(self) -> bool:
        """Count the call and return whether it is the trial; raise ``CircuitOpen`` to refuse it."""
        with self._lock:
            if self._open_until is None:
                self.stats.attempts += 1
                return False
            if self._trial_running or self.clock() < self._open_until:
                self.stats.short_circuits += 1
                self._refused_while_open += 1
                raise CircuitOpen(f"{self.name}: circuit open, not calling Redis")
            self._trial_running = True
            self.stats.attempts += 1
            return True

    def _failed(self, error: BaseException) -> None:
        with self._lock:
            self.stats.failures += 1
            was_open = self._open_until is not None
            now = self.clock()
            self._open_until = now + self.open_seconds
            self._trial_running = False
            if was_open:
                return
            self._opened_at = now
            self._refused_while_open = 0
            self.stats.opened += 1
        logger.warning(
            "Redis cache %s unreachable (%s: %s); answering cache calls as misses for %.0f s before trying again",
            self.name,
            type(error).__name__,
            error,
            self.open_seconds,
        )

    def _succeeded(self) -> None:
        with self._lock:
            self._trial_running = False
            if self._open_until is None:
                return
            self._open_until = None
            self.stats.closed += 1
            outage, refused = self.clock() - self._opened_at, self._refused_while_open
        logger.warning(
            "Redis cache %s answers again after %.1f s; %d calls were answered as misses meanwhile",
            self.name,
            outage,
            refused,
        )


class SkipIgnoredOutages(logging.Filter):
    """For django-redis's per-call "Exception ignored" log: drop outages and refusals, which the breaker
    reports once; keep every other ignored error (e.g. Redis out of memory)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(getattr(error, "__cause__", None), UNREACHABLE)


_breakers: dict[tuple[str, float], CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, open_seconds: float) -> CircuitBreaker:
    """One breaker per Redis location (and window) per process, shared by all threads and cache instances."""
    with _breakers_lock:
        key = (location, open_seconds)
        if key not in _breakers:
            _breakers[key] = CircuitBreaker(location.rsplit("@", 1)[-1], open_seconds)
        return _breakers[key]


def cache_breaker(cache: BaseCache) -> CircuitBreaker | None:
    """The breaker in front of ``cache``, or None for a cache without one (local memory)."""
    client = getattr(cache, "client", None) if hasattr(cache, "_client_cls") else None
    return getattr(client, "breaker", None)


class BreakerPipeline(Pipeline):
    """A pipeline whose round trip (``execute``) goes through the breaker; queuing commands does not."""

    def __init__(self, *args: Any, breaker: CircuitBreaker, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.breaker = breaker

    def execute(self, raise_on_error: bool = True) -> list[Any]:
        return self.breaker.call(super().execute, raise_on_error)


class BreakerRedis(Redis):
    """A redis-py client whose every command goes through the breaker."""

    def __init__(self, *args: Any, breaker: CircuitBreaker, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.breaker = breaker

    def execute_command(self, *args: Any, **options: Any) -> Any:
        return self.breaker.call(super().execute_command, *args, **options)

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> BreakerPipeline:
        return BreakerPipeline(
            self.connection_pool, self.response_callbacks, transaction, shard_hint, breaker=self.breaker
        )


class CircuitBreakerClient(DefaultClient):
    """django-redis's client on ``BreakerRedis`` connections that never retry.

    ``OPTIONS["CIRCUIT_BREAKER_SECONDS"]`` is the window; the timeouts are django-redis's
    ``SOCKET_CONNECT_TIMEOUT`` / ``SOCKET_TIMEOUT``.
    """

    def __init__(self, server: Any, params: dict[str, Any], backend: BaseCache) -> None:
        options = dict(params.get("OPTIONS", {}))
        location = server if isinstance(server, str) else ",".join(server)
        self.breaker = breaker_for(location, float(options.get("CIRCUIT_BREAKER_SECONDS", DEFAULT_BREAKER_SECONDS)))
        options["REDIS_CLIENT_CLASS"] = "myApp.lib.redis_cache.BreakerRedis"
        options["REDIS_CLIENT_KWARGS"] = {**options.get("REDIS_CLIENT_KWARGS", {}), "breaker": self.breaker}
        # redis-py retries nothing on connections it builds from a URL today; say so, so that a
        # new default (clients it builds itself retry 10 times with backoff) never multiplies a hang.
        options["CONNECTION_POOL_KWARGS"] = {
            **options.get("CONNECTION_POOL_KWARGS", {}),
            "retry": Retry(NoBackoff(), 0),
        }
        super().__init__(server, {**params, "OPTIONS": options}, backend)


def redis_client(cache: BaseCache) -> Redis | None:
    """The redis-py client behind a django-redis ``cache`` (the breaker's, for writes), or None for any other
    backend (local memory, dummy): callers then use the cache's own API."""
    if not hasattr(cache, "_client_cls"):
        return None
    return cache.client.get_client(write=True)
