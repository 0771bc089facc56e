"""Real outages for tests: a Redis nobody answers for."""

# Nothing listens on port 1, so every connection is refused at once, as when Redis is down.
# The client is the production one (bounded calls, circuit breaker; myApp/lib/redis_cache.py).
DOWN_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {
            "CLIENT_CLASS": "myApp.lib.redis_cache.CircuitBreakerClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
            "CIRCUIT_BREAKER_SECONDS": 30,
        },
    }
}
