"""Settings for the whole platform, read from the environment only.

Every variable is documented in ``.env.example`` and the README. Bad values stop
start-up with a message naming the variable (see ``myProject/env.py``).
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from myProject.env import (
    database_config,
    database_replicas,
    env_bool,
    env_choice,
    env_int,
    env_lines,
    env_list,
    env_str,
    env_throttle_rate,
    local_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = local_secret_key(BASE_DIR / "var" / "dev-secret-key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entries must start with http:// or https://, got {_origin!r}."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # SearchVectorField for the stored search vectors (curriculum.search)
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_extensions",
    "django_tasks_db",
    "myApp.accounts",
    "myApp.analytics",
    "myApp.curriculum",
    "myApp.quests",
    "myApp.sessions",
]

MIDDLEWARE = [
    # Outermost: every error answer under /api/ and the seed routes is JSON (myApp/lib/errors.py).
    "myApp.lib.errors.ApiErrorMiddleware",
    "myApp.lib.errors.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "myApp.lib.messages.LazyMessageMiddleware",  # Django's, building its storage on first use
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it turns a login refused by a lockout into the lockout answer (myApp/accounts/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "myProject.urls"
WSGI_APPLICATION = "myProject.wsgi.application"
ASGI_APPLICATION = "myProject.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "myApp.quests.context_processors.quest_navigation",
                "myApp.curriculum.context_processors.curriculum_navigation",
                "myApp.sessions.context_processors.clinician_navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
# Axes first: it refuses a locked-out username + address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Database ---------------------------------------------------------------

_database_url = env_str("DATABASE_URL")
if _database_url is None:
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {"default": database_config(_database_url, base_dir=BASE_DIR)}
# Streaming replicas of the default database, comma-separated; reads may go to them (myApp/lib/db_routing.py).
DATABASES |= database_replicas(env_list("DATABASE_REPLICA_URLS"), default=DATABASES["default"], base_dir=BASE_DIR)
# How long a client that wrote keeps reading from the primary (a cookie), so the next page shows the write.
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10, minimum=0)
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["myApp.lib.db_routing.ReplicaRouter"]
    # Outside the session middleware, so a login's session write pins the client too.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("myApp.lib.errors.RequestGuardMiddleware") + 1, "myApp.lib.db_routing.ReplicaReadsMiddleware"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
# Every Redis call is bounded (milliseconds); after a failure the breaker skips Redis for a while.
REDIS_CONNECT_TIMEOUT_MS = env_int("REDIS_CONNECT_TIMEOUT_MS", 200, minimum=1)
REDIS_TIMEOUT_MS = env_int("REDIS_TIMEOUT_MS", 300, minimum=1)
REDIS_BREAKER_SECONDS = env_int("REDIS_BREAKER_SECONDS", 10, minimum=1)
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://, got {REDIS_URL!r}.")
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "speakpro"),
            "OPTIONS": {
                # Bounded calls, no retries, and a circuit breaker (myApp/lib/redis_cache.py): a down or
                # hung Redis costs a few slow requests per process, then calls answer at once as misses.
                "CLIENT_CLASS": "myApp.lib.redis_cache.CircuitBreakerClient",
                # An outage degrades to the database (the breaker logs it once), never to an error.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": REDIS_CONNECT_TIMEOUT_MS / 1000,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT_MS / 1000,
                "CIRCUIT_BREAKER_SECONDS": REDIS_BREAKER_SECONDS,
            },
        }
    }
    # Other ignored errors (e.g. Redis out of memory) are logged per call; outages are not (see LOGGING).
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "myApp.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "speakpro"}}

# Sessions read through the cache and fall back to the database when it is down.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Background tasks (django.tasks) ------------------------------------------

# "database" (default): the queue is a table, run by `manage.py db_worker`; one machine needs nothing more.
# "rq": the queue is in Redis (TASKS_REDIS_URL, default REDIS_URL), run by `manage.py rq_worker` on any
# number of machines (myApp/lib/rq_tasks.py).
TASKS_BACKEND = env_choice("TASKS_BACKEND", "database", ("database", "rq"))
if TASKS_BACKEND == "rq":
    TASKS_REDIS_URL = env_str("TASKS_REDIS_URL", REDIS_URL)
    if not TASKS_REDIS_URL or not TASKS_REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"TASKS_BACKEND=rq needs TASKS_REDIS_URL (or REDIS_URL) as a redis:// URL, got {TASKS_REDIS_URL!r}."
        )
    TASKS = {
        "default": {
            "BACKEND": "myApp.lib.rq_tasks.RQBackend",
            "QUEUES": ["default"],
            "OPTIONS": {
                "REDIS_URL": TASKS_REDIS_URL,
                "JOB_TIMEOUT": env_int("TASKS_JOB_TIMEOUT_SECONDS", 600, minimum=1),
                "RESULT_TTL": env_int("TASKS_RESULT_TTL_SECONDS", 86400, minimum=1),
            },
        }
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Passwords ----------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Logins and API tokens ---------------------------------------------------
# One lockout for every login path (the login page, POST /api/v1/auth/token/, /admin/login/):
# django-axes counts failures per username + client address in the database, so it holds
# while the cache is down. The per-address rate limits (THROTTLE_LOGIN_RATE) are a second layer.

LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "myApp.lib.client.client_ip"
AXES_RESET_ON_SUCCESS = True
# The pause runs from the failure that caused it; attempts during it are refused without extending it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Never keep these from a refused login's form in the attempt records staff read.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
AXES_LOCKOUT_CALLABLE = "myApp.accounts.lockout.lockout_response"
# Successful logins are already recorded as user_login analytics events.
AXES_DISABLE_ACCESS_LOG = True

# API tokens: django-rest-knox, one hashed token per device, sliding expiry with a hard cap.
KNOX_TOKEN_MODEL = "accounts.DeviceToken"
# Knox's migrations would create its own (unused) token table even with the model swapped out,
# and that table's foreign key to users blocks PostgreSQL's TRUNCATE; without migrations the
# swapped model has no table at all.
MIGRATION_MODULES = {"knox": None}
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 30, minimum=1)
API_TOKEN_MAX_AGE_DAYS = env_int("API_TOKEN_MAX_AGE_DAYS", 365, minimum=1)
if API_TOKEN_MAX_AGE_DAYS < API_TOKEN_TTL_DAYS:
    raise ImproperlyConfigured("API_TOKEN_MAX_AGE_DAYS must be at least API_TOKEN_TTL_DAYS.")
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": timedelta(days=API_TOKEN_MAX_AGE_DAYS),
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Token",
}

# --- Internationalisation -----------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
# Speech practice recordings (myApp.curriculum.speech): the largest upload, and the shortest and longest talk.
SPEECH_MAX_UPLOAD_BYTES = env_int("SPEECH_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024)
SPEECH_MIN_SECONDS = env_int("SPEECH_MIN_SECONDS", 2, minimum=1)
SPEECH_MAX_SECONDS = env_int("SPEECH_MAX_SECONDS", 300, minimum=10)
FFMPEG_BINARY = env_str("FFMPEG_BINARY", "ffmpeg")
FFPROBE_BINARY = env_str("FFPROBE_BINARY", "ffprobe")
# The largest request body accepted at all (a recording and its form); larger ones get 413 unread.
MAX_REQUEST_BYTES = SPEECH_MAX_UPLOAD_BYTES + 2 * 1024 * 1024
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Learners' recorded talks: a folder no URL serves (played through a view that checks who may listen).
RECORDINGS_ROOT = Path(env_str("RECORDINGS_ROOT", str(BASE_DIR / "var" / "recordings")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "recordings": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": RECORDINGS_ROOT, "base_url": None, "file_permissions_mode": 0o600},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security -----------------------------------------------------------------
# Secure by default when DEBUG is off; each switch can be relaxed from the
# environment, e.g. behind a TLS-terminating proxy that already redirects.

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of the app append to X-Forwarded-For. 0 (the default):
# the header is ignored and the client is REMOTE_ADDR (see myApp/lib/client.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Load balancers probe over plain HTTP: /healthz, /healthz/live, /healthz/ready.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]

_csp_policy = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "media-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
_csp_mode = env_choice("CSP_MODE", "enforce", ("enforce", "report-only", "off"))
SECURE_CSP = _csp_policy if _csp_mode == "enforce" else {}
SECURE_CSP_REPORT_ONLY = _csp_policy if _csp_mode == "report-only" else {}

# --- REST API -----------------------------------------------------------------

API_PAGE_SIZE = env_int("API_PAGE_SIZE", 20, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_METADATA_CLASS": "myApp.lib.metadata.FieldsMetadata",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "myApp.accounts.authentication.DeviceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["myApp.lib.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["myApp.lib.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "myApp.lib.negotiation.ContentNegotiation",
    # Serializers hand datetimes to the renderer unformatted; it writes every one as
    # 2026-01-18T10:15:00.000Z (UTC, milliseconds), whatever TIME_ZONE is (myApp/lib/timestamps.py).
    "DATETIME_FORMAT": None,
    "DEFAULT_PAGINATION_CLASS": "myApp.lib.pagination.Pagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "myApp.lib.throttling.AnonRateThrottle",
        "myApp.lib.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_throttle_rate("THROTTLE_ANON_RATE", "60/minute"),
        "user": env_throttle_rate("THROTTLE_USER_RATE", "600/minute"),
        "login": env_throttle_rate("THROTTLE_LOGIN_RATE", "10/minute"),
        "register": env_throttle_rate("THROTTLE_REGISTER_RATE", "10/hour"),
        "pairing": env_throttle_rate("THROTTLE_PAIRING_RATE", "10/hour"),
        "chat": env_throttle_rate("THROTTLE_CHAT_RATE", "30/minute"),
        "telemetry": env_throttle_rate("THROTTLE_TELEMETRY_RATE", "60/minute"),
        "export": env_throttle_rate("THROTTLE_EXPORT_RATE", "5/hour"),
        "report_pdf": env_throttle_rate("THROTTLE_REPORT_PDF_RATE", "20/hour"),
        "recording": env_throttle_rate("THROTTLE_RECORDING_RATE", "60/hour"),
    },
    "EXCEPTION_HANDLER": "myApp.lib.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "myApp.lib.schema.ProjectAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "SpeakPro Wellbeing API",
    "DESCRIPTION": "Public-speaking curriculum, wellbeing chat, therapeutic quests and clinical sessions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Named enums, so another app's "status" or "level" field never collides with these.
    "ENUM_NAME_OVERRIDES": {
        "CourseLevelEnum": "myApp.curriculum.models.CourseLevel",
        "LessonSessionStateEnum": "myApp.curriculum.models.LessonSessionState",
        "ModuleCodeEnum": "myApp.curriculum.models.Module.Code",
        "ProgressStatusEnum": "myApp.curriculum.models.ProgressStatus",
        "AccountRoleEnum": "myApp.accounts.models.Role",
        "ProfileModeEnum": "myApp.accounts.models.Mode",
        "PairingCodeStateEnum": "myApp.accounts.models.PairingCodeState",
        "MessageRoleEnum": "myApp.sessions.models.MessageRole",
        "WellbeingModuleEnum": "myApp.sessions.models.WellbeingModule",
        "DeviceTypeEnum": "myApp.sessions.models.DeviceType",
        "ModuleStatusEnum": "myApp.curriculum.api.progress.MODULE_STATUSES",
        "TherapySessionStatusEnum": "myApp.sessions.models.SessionStatus",
        "ProcessingStatusEnum": "myApp.sessions.models.ProcessingStatus",
        "InsightStatusEnum": "myApp.sessions.models.InsightStatus",
        "TranscriptModeEnum": "myApp.sessions.services.clinical.MODES",
    },
}

# --- Email (clinicians' risk notifications) -------------------------------------
# Django's mailers (MAILERS; the EMAIL_* settings are deprecated in 6.1). The console mailer prints emails (the
# default with DEBUG); EMAIL_BACKEND=smtp sends through the server the environment names (the default without
# DEBUG, to EMAIL_HOST, localhost unless set: Django's deploy check refuses the console in production).
# Credentials come from the environment only, never from code.

EMAIL_TRANSPORT = env_choice("EMAIL_BACKEND", "console" if DEBUG else "smtp", ("console", "smtp"))
if EMAIL_TRANSPORT == "smtp":
    _email_tls, _email_ssl = env_bool("EMAIL_USE_TLS", False), env_bool("EMAIL_USE_SSL", False)
    if _email_tls and _email_ssl:
        raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 465 if _email_ssl else 587 if _email_tls else 25, minimum=1),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": _email_tls,
                "use_ssl": _email_ssl,
                "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SpeakPro <no-reply@localhost>")
# Where links in emails point (scheme and host, no trailing slash).
SITE_URL = (env_str("SITE_URL", "http://localhost:8000") or "").rstrip("/")

# --- Chat and the assistant ---------------------------------------------------

CHAT_SESSION_TIMEOUT_HOURS = env_int("CHAT_SESSION_TIMEOUT_HOURS", 24, minimum=1)
# Retention per data kind, applied by `manage.py retention` and the task myApp.lib.tasks.apply_retention
# (the kinds: myApp/lib/retention.py). CHAT_RETENTION_DAYS is the chat setting's old name, still read.
RETENTION_CHAT_DAYS = env_int("RETENTION_CHAT_DAYS", env_int("CHAT_RETENTION_DAYS", 30, minimum=1), minimum=1)
CHAT_RETENTION_DAYS = RETENTION_CHAT_DAYS
RETENTION_TELEMETRY_DAYS = env_int("RETENTION_TELEMETRY_DAYS", 90, minimum=1)
RETENTION_ANALYTICS_DAYS = env_int("RETENTION_ANALYTICS_DAYS", 730, minimum=1)
# The audit log says who saw whose records; a year is the least any review of it needs, six years the default.
RETENTION_AUDIT_DAYS = env_int("RETENTION_AUDIT_DAYS", 6 * 365, minimum=365)
# Rows deleted per statement and transaction: small enough that no lock is held for long.
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 2000, minimum=1)
# Off only to measure what the history cache buys (bench/ P2); production keeps it on.
CHAT_HISTORY_CACHE = env_bool("CHAT_HISTORY_CACHE", True)
ASSISTANT_BACKEND = env_choice("ASSISTANT_BACKEND", "local", ("local", "openai"))
LLM_BASE_URL = env_str("LLM_BASE_URL", "")
LLM_API_KEY = env_str("LLM_API_KEY", "")
LLM_MODEL = env_str("LLM_MODEL", "")
LLM_TIMEOUT_SECONDS = env_int("LLM_TIMEOUT_SECONDS", 20, minimum=1)
# How much course material (characters, about four per token) a skill question sends to the model server.
LLM_CONTEXT_CHARS = env_int("LLM_CONTEXT_CHARS", 6000, minimum=500)
# The crisis response's helplines, separated by "|". The default names no number, because a number is
# right only for one country: operators set theirs (e.g. "Samaritans (UK and Ireland): call 116 123").
DEFAULT_CRISIS_HELPLINES = (
    "If you are in danger right now, call your local emergency number.",
    "A crisis or suicide prevention line in your country can talk with you now, free and in confidence.",
    "Someone you trust: a friend, a family member, a teacher or a doctor.",
)
CRISIS_HELPLINES = env_lines("CRISIS_HELPLINES", DEFAULT_CRISIS_HELPLINES)
if ASSISTANT_BACKEND == "openai" and not (LLM_BASE_URL and LLM_MODEL):
    raise ImproperlyConfigured("ASSISTANT_BACKEND=openai needs LLM_BASE_URL and LLM_MODEL.")
if LLM_BASE_URL and not LLM_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"LLM_BASE_URL must start with http:// or https://, got {LLM_BASE_URL!r}.")
ESPEAK_BINARY = env_str("ESPEAK_BINARY", "espeak-ng")
# Speech transcription for recorded talks: "none" (the learner may type a transcript; the audio's own measures
# need none) or "openai", any server speaking the OpenAI-compatible /v1/audio/transcriptions protocol
# (whisper.cpp's server, faster-whisper servers, vLLM, a hosted API).
TRANSCRIPTION_BACKEND = env_choice("TRANSCRIPTION_BACKEND", "none", ("none", "openai"))
TRANSCRIPTION_BASE_URL = env_str("TRANSCRIPTION_BASE_URL", "")
TRANSCRIPTION_API_KEY = env_str("TRANSCRIPTION_API_KEY", "")
TRANSCRIPTION_MODEL = env_str("TRANSCRIPTION_MODEL", "whisper-1")
TRANSCRIPTION_LANGUAGE = env_str("TRANSCRIPTION_LANGUAGE", "en")
TRANSCRIPTION_TIMEOUT_SECONDS = env_int("TRANSCRIPTION_TIMEOUT_SECONDS", 120, minimum=1)
if TRANSCRIPTION_BACKEND == "openai" and not TRANSCRIPTION_BASE_URL:
    raise ImproperlyConfigured("TRANSCRIPTION_BACKEND=openai needs TRANSCRIPTION_BASE_URL.")
if TRANSCRIPTION_BASE_URL and not TRANSCRIPTION_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"TRANSCRIPTION_BASE_URL must start with http:// or https://, got {TRANSCRIPTION_BASE_URL!r}."
    )

# --- Logging ------------------------------------------------------------------

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # The cache breaker logs an outage once when it starts and once when it ends, not per call.
    "filters": {"cache_outage_once": {"()": "myApp.lib.redis_cache.SkipIgnoredOutages"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # axes: failures and lockouts are warnings; its start-up banner is not worth a line per command.
    "loggers": {
        "myApp.cache": {"level": "WARNING", "filters": ["cache_outage_once"]},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of a PDF at INFO (the learner report's download).
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
