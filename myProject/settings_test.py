"""Test settings: the real settings, changed only for speed and determinism.

The database and cache still come from DATABASE_URL / REDIS_URL (PostgreSQL and
Redis in scripts/test, SQLite + local memory in its second pass).
"""

import os

# Tests run over plain HTTP through Django's test client; DEBUG on keeps the
# HTTPS-only defaults off (pytest-django still runs the tests with DEBUG=False).
os.environ.setdefault("DEBUG", "true")
# A busy test machine can take longer than production's 300 ms for one Redis call; the breaker would then
# open by chance and a cache test would meet the database instead. Outage tests use a closed port
# (tests/outages.py), refused at once, so they do not wait on these.
os.environ.setdefault("REDIS_CONNECT_TIMEOUT_MS", "1000")
os.environ.setdefault("REDIS_TIMEOUT_MS", "1500")
# One database: pytest-django isolates each test on the default connection only, so a replica alias would
# read around the test's transaction. The replica tests start their own standby (tests/test_db_replicas.py).
os.environ["DATABASE_REPLICA_URLS"] = ""

from myProject.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "recordings": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
