"""The one settings module, driven by the environment (see .env.example).

Every variable is read through the typed helpers in ``backend.core.env``: a malformed value
stops start-up with a message naming the variable. Defaults serve a laptop: a SQLite file,
tasks run in-process, DEBUG off. Production needs (SECRET_KEY, ALLOWED_HOSTS) have no default
when DEBUG is off.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from backend.core import file_storage as _file_storage
from backend.core.env import (
    MACAO,
    ConfigurationError,
    env_bbox,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_timezone,
    env_url,
    masked,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# No default in code when DEBUG is off: SECRET_KEY, or the file SECRET_KEY_FILE names, which
# `make run` and `make test` generate once (var/ is git-ignored).
SECRET_KEY_FILE = Path(env_str("SECRET_KEY_FILE", str(BASE_DIR / "var" / "secret_key")))
_local_secret = SECRET_KEY_FILE.read_text().strip() if SECRET_KEY_FILE.is_file() else ""
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", _local_secret or "insecure-development-key-only-for-debug")
else:
    try:
        SECRET_KEY = env_str("SECRET_KEY", _local_secret or None)
    except ConfigurationError:
        raise ConfigurationError(
            "SECRET_KEY must be set (or SECRET_KEY_FILE must name a file holding it) when DEBUG is off."
        ) from None
    if len(SECRET_KEY) < 32:
        raise ConfigurationError("SECRET_KEY must be at least 32 characters long.")

# Personal data of referred and screened persons is encrypted by the application (backend.privacy).
# PERSONAL_DATA_KEYS: Fernet keys, comma-separated, the first encrypts and every one decrypts;
# PERSONAL_DATA_INDEX_KEY: the HMAC key of equality lookups. Or the files *_FILE name, which
# `make run` and `make test` generate once beside the secret key. No default when DEBUG is off.
PERSONAL_DATA_KEYS_FILE = Path(
    env_str("PERSONAL_DATA_KEYS_FILE", str(BASE_DIR / "var" / "personal_data_keys"))
)
PERSONAL_DATA_INDEX_KEY_FILE = Path(
    env_str("PERSONAL_DATA_INDEX_KEY_FILE", str(BASE_DIR / "var" / "personal_data_index_key"))
)
PERSONAL_DATA_KEYS = env_list(
    "PERSONAL_DATA_KEYS",
    PERSONAL_DATA_KEYS_FILE.read_text().split() if PERSONAL_DATA_KEYS_FILE.is_file() else [],
)
PERSONAL_DATA_INDEX_KEY = env_str(
    "PERSONAL_DATA_INDEX_KEY",
    PERSONAL_DATA_INDEX_KEY_FILE.read_text().strip() if PERSONAL_DATA_INDEX_KEY_FILE.is_file() else "",
)
if not DEBUG and not PERSONAL_DATA_KEYS:
    raise ConfigurationError(
        "PERSONAL_DATA_KEYS must be set (or PERSONAL_DATA_KEYS_FILE must name a file holding it) "
        "when DEBUG is off."
    )
if not DEBUG and not PERSONAL_DATA_INDEX_KEY:
    raise ConfigurationError(
        "PERSONAL_DATA_INDEX_KEY must be set (or PERSONAL_DATA_INDEX_KEY_FILE must name a file holding it) "
        "when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
if not ALLOWED_HOSTS and not DEBUG:
    # Django would answer every request 400 Bad Request, naming nothing.
    raise ConfigurationError("ALLOWED_HOSTS must name at least one host name when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    # Without its scheme an origin never matches: every console form would fail its CSRF check.
    if not _origin.startswith(("http://", "https://")):
        raise ConfigurationError(
            f"CSRF_TRUSTED_ORIGINS must list origins with their scheme (https://{_origin}), not {_origin!r}."
        )

INSTALLED_APPS = [
    # First of all: the shell's words (username, change password, key, …) are the console's own,
    # whatever another catalogue says for the same text. Django takes a word from the first app
    # that translates it; after the admin and auth, the sign-in page read "使用者名稱" above an
    # error saying "用戶名稱", and the password page's button "Modificar" under "Alterar".
    "backend.console",
    # django.contrib.admin, whose date-time fields keep a stored time saved unchanged
    "backend.console.apps.ConsoleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "backend.core",
    "backend.audit",
    "backend.outbox",
    "backend.registry",
    "backend.registry_import",
    "backend.checklists",
    "backend.inspections",
    "backend.planning",
    "backend.compliance",
    "backend.outreach",
    "backend.reporting",
    "backend.privacy",
    "backend.demo",
    "mobile_api",
    "mobile_api.field",  # the officers' offline web app at /field/
    "scheduler",
    "backend.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: its process_exception is asked first, for a view that met the database down.
    "backend.core.errors.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "backend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "backend.console.context_processors.console",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
    ("sqlite", "postgres", "postgresql", "pgsql"),
)
_is_sqlite = DATABASE_URL.startswith("sqlite")
# PostgreSQL keeps connections a minute (a new one per request costs more than many queries).
_conn_max_age = env_int("DB_CONN_MAX_AGE", 0 if _is_sqlite else 60, minimum=0)
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=_conn_max_age, conn_health_checks=not _is_sqlite
        )
    }
except ValueError:  # dj_database_url.ParseError: a port that is not a number, an unquoted character
    raise ConfigurationError(
        f"DATABASE_URL is not a valid URL (postgresql://user:password@host:5432/name, with special "
        f"characters of the password %-quoted), not {masked(DATABASE_URL)!r}."
    ) from None
if not DATABASES["default"]["NAME"]:
    raise ConfigurationError(
        f"DATABASE_URL must name the database (…/name at its end), not {masked(DATABASE_URL)!r}."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once; WAL lets readers run beside it.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The test database is a file, not memory: the browser tests' live server answers several
    # requests at once (a page and its data), and Django hands every thread of it the one shared
    # connection of an in-memory database, which hangs under concurrent use. One file per process.
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3"),
    }
    # models.W040 ("SQLite does not support indexes with non-key columns"): the statistics'
    # covering indexes (inspection_stats_idx, finding_stats_idx) carry INCLUDE columns for
    # PostgreSQL, where the rollups read the index alone; SQLite builds the same index on its key
    # and drops the INCLUDE, which is all it needs. Nothing to fix there, so make run's migrate no
    # longer prints it twice; PostgreSQL, which supports them, keeps the check.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif env_bool("DB_PREPARED_READS", True):
    # The few reads every phone request makes (backend/core/prepared.py) are kept prepared on
    # each connection: PostgreSQL plans them once instead of on every request (planning the
    # assignments read cost 1.1 ms of its 1.2). Nothing else is prepared: the threshold is out of
    # reach, and only those reads ask for it. DB_PREPARED_READS=0 behind a pooler in transaction
    # mode that does not keep prepared statements (PgBouncer before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Time and languages ---------------------------------------------------------------
USE_TZ = True  # stored in UTC
TIME_ZONE = env_timezone("TIME_ZONE", "Asia/Macau")  # shown in local time
USE_I18N = True
LANGUAGES = [
    ("en", _("English")),
    ("zh-hant", _("Traditional Chinese")),
    ("pt", _("Portuguese")),
]
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise ConfigurationError(f"LANGUAGE_CODE must be one of en, zh-hant, pt, not {LANGUAGE_CODE!r}.")
LOCALE_PATHS = [BASE_DIR / "backend" / "locale"]
# As written in Macao: English dates day-first (backend/formats/en), Chinese numbers grouped by
# thousands with commas (backend/formats/zh_Hant); the rest is Django's.
FORMAT_MODULE_PATH = ["backend.formats"]

# --- The area inspected ---------------------------------------------------------------
SERVICE_AREA = env_bbox("SERVICE_AREA", MACAO)

# --- Geocoding of imported addresses (backend/registry_import/geocoding.py) ---------------------
# "<geopy service>:<base URL>", e.g. "nominatim:https://nominatim.example.org"; empty: no geocoding
# (rows without coordinates are placed on the map by the administrator).
GEOCODER = env_str("GEOCODER", "")
GEOCODER_API_KEY = env_str("GEOCODER_API_KEY", "")
GEOCODER_USER_AGENT = env_str("GEOCODER_USER_AGENT", "joint-inspections registry import")
GEOCODER_TIMEOUT_SECONDS = env_int("GEOCODER_TIMEOUT_SECONDS", 10, minimum=1)
# Nominatim's usage policy: at most one request a second.
GEOCODER_MIN_DELAY_SECONDS = env_int("GEOCODER_MIN_DELAY_MS", 1000, minimum=0) / 1000
GEOCODER_CACHE_SECONDS = env_int("GEOCODER_CACHE_SECONDS", 30 * 24 * 3600, minimum=0)

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
# Uploads: MEDIA_ROOT, or an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set. Static
# files: hashed, compressed and cached for a year once `make serve` collected them
# (STATIC_COLLECTED, DEBUG off); otherwise found in the apps, as `make run` and tests need.
STORAGES = _file_storage.storages_from_env(os.environ, debug=DEBUG)
WHITENOISE_USE_FINDERS = not _file_storage.static_collected(os.environ, debug=DEBUG)
# Files the finders serve (not collected: `make run` and the tests) are looked up when asked for,
# as whitenoise does in development, not all scanned when the middleware starts: each Django
# test client starts it anew, and those scans of every vendored file were 4 % of a test run's time.
# Collected static (`make serve`) is read once, at start.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "console:sign-in"
LOGIN_REDIRECT_URL = "console:home"
# Second factor (TOTP) for planners, reviewers, victim protection, data-protection officers and
# administrators at console sign-in (backend.console.nav.SECOND_FACTOR_ROLES). On by default
# whenever DEBUG is off.
CONSOLE_2FA_REQUIRED = env_bool("CONSOLE_2FA_REQUIRED", not DEBUG)
# Failed console sign-ins per account within the window before sign-in is refused for a while.
CONSOLE_SIGNIN_MAX_FAILURES = env_int("CONSOLE_SIGNIN_MAX_FAILURES", 5, minimum=1)
CONSOLE_SIGNIN_WINDOW_SECONDS = env_int("CONSOLE_SIGNIN_WINDOW_SECONDS", 900, minimum=1)
OTP_TOTP_ISSUER = "Joint inspections"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600, minimum=300)  # one shift
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG and env_bool("HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Served over HTTPS (HTTPS=true): plain HTTP is redirected (but /healthz, which load balancers
# ask over HTTP) and browsers are told to use HTTPS only for a year (HSTS, sub-domains included,
# preload allowed). Behind a proxy that ends TLS, trust its X-Forwarded-Proto (BEHIND_HTTPS_PROXY),
# or the redirect never ends.
_HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS and not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _HTTPS and not DEBUG else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Console pages: maps and the Content Security Policy ---------------------------------
# Map tiles, an XYZ template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png. Empty: no
# tiles are fetched; maps still draw Macao's outline, the parishes, sites and routes.
# (os.environ, not env_str: env_str reads an empty value as unset, which would bring the default
# tiles back.)
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png").strip()
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")


def _tile_origin(url: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return []
    host = parts.netloc.replace("a.", "*.", 1) if "{s}" in url else parts.netloc
    return [f"{parts.scheme}://{host}"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *_tile_origin(MAP_TILE_URL)],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: its scheme is what an anonymous caller's 401 names (WWW-Authenticate).
        "backend.accounts.authentication.ApiTokenAuthentication",
        "backend.console.authentication.ConsoleSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "backend.core.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "backend.core.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "backend.core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "backend.core.errors.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Joint inspections API",
    "DESCRIPTION": (
        "Back-office API (/api/v1/) for planners, reviewers and analysts. Every error is "
        "application/problem+json with a stable `code`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One component per choice set: inspection categories with their labels, and the planner's
    # checklist categories (the same codes, unlabelled); otherwise both would be "CategoryEnum".
    # Every back-office operation documents its problem+json errors (400, 401, 403, 404).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "backend.core.errors.problem_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "InspectionCategoryEnum": "backend.inspections.models.Category",
        "PlanningCategoryEnum": "scheduler.services.CHECKLISTS",
    },
}

# --- Cache (throttles) -----------------------------------------
# Unset: memory of this process (fine for one server). Several servers must share Redis.
CACHE_URL = env_url("CACHE_URL", None, ("redis", "rediss"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "inspections"}
    )
}

# --- Officers' API (mobile_api) ---------------------------------------------------------
# Device tokens live this long; phones may stay offline for weeks, so the default is generous.
MOBILE_TOKEN_TTL_DAYS = env_int("MOBILE_TOKEN_TTL_DAYS", 30, minimum=1, maximum=365)
# The field app shrinks photos on the phone to this longest edge (pixels) and JPEG quality (%)
# before upload: a full-size photo over a basement's weak signal would never arrive.
FIELD_PHOTO_MAX_EDGE = env_int("FIELD_PHOTO_MAX_EDGE", 1600, minimum=320, maximum=8000)
FIELD_PHOTO_QUALITY = env_int("FIELD_PHOTO_QUALITY", 85, minimum=30, maximum=100)
# Scripts' tokens for the back-office API last this long unless their creator asks for less or more.
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 90, minimum=1, maximum=365)
# Failed sign-ins allowed within the window before a 429: per account from one address, per
# account from all addresses, and per address across accounts (far higher: a station's phones
# share one address). Counted in the database, so the limits hold across processes.
MOBILE_SIGNIN_MAX_FAILURES = env_int("MOBILE_SIGNIN_MAX_FAILURES", 5, minimum=1)
MOBILE_SIGNIN_ACCOUNT_MAX_FAILURES = env_int("MOBILE_SIGNIN_ACCOUNT_MAX_FAILURES", 20, minimum=1)
MOBILE_SIGNIN_ADDRESS_MAX_FAILURES = env_int("MOBILE_SIGNIN_ADDRESS_MAX_FAILURES", 100, minimum=1)
MOBILE_SIGNIN_WINDOW_SECONDS = env_int("MOBILE_SIGNIN_WINDOW_SECONDS", 900, minimum=1)
# A check-in farther than this from the site is recorded and flagged, never refused.
CHECKIN_RADIUS_METRES = env_int("CHECKIN_RADIUS_METRES", 150, minimum=1)
# A device clock further than this from the server's is flagged as skewed.
DEVICE_CLOCK_SKEW_SECONDS = env_int("DEVICE_CLOCK_SKEW_SECONDS", 300, minimum=1)
# Attachments: largest accepted upload, and the content types accepted (sniffed, not trusted).
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 15 * 1024 * 1024, minimum=1024)
# The largest JSON body any API reads: a full batch (200 submissions) with every long text answer
# filled in Chinese is about 5 MB, so 16 MB leaves room; above it the answer is a 413 problem.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 16 * 1024 * 1024, minimum=1024 * 1024)

# --- Compliance ----------------------------------------------------------------------------
# Who is e-mailed when a potential victim is referred (no personal details in the mail).
REFERRAL_NOTIFY_EMAILS = env_list("REFERRAL_NOTIFY_EMAILS", [])

# Retention of personal data (backend.privacy.retention, applied daily by privacy.apply_retention):
# identifying answers of a screened person no indicator flagged are erased after
# PRIVACY_SCREENING_UNFLAGGED_DAYS; a closed referral's personal details, its protection services'
# provider and note and the person's screening answers after PRIVACY_CLOSED_REFERRAL_DAYS.
# Coded fields (sex, age and nationality bands, indicators) are kept: every statistic stays.
PRIVACY_SCREENING_UNFLAGGED_DAYS = env_int("PRIVACY_SCREENING_UNFLAGGED_DAYS", 30, minimum=1)
PRIVACY_CLOSED_REFERRAL_DAYS = env_int("PRIVACY_CLOSED_REFERRAL_DAYS", 5 * 365, minimum=1)
# The access report flags a reader who opened more persons' details than this in one day.
PRIVACY_READS_PER_DAY_FLAG = env_int("PRIVACY_READS_PER_DAY_FLAG", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "inspections@localhost")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The SMTP server when EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend: password
# resets from the console's sign-in page and referral notices go through it.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    # Django refuses the pair only when the first mail is sent (a password reset that never comes).
    raise ConfigurationError(
        "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: TLS (STARTTLS) for port 587, SSL for 465."
    )
_email_module = EMAIL_BACKEND.rpartition(".")[0]
if not _email_module or importlib.util.find_spec(_email_module) is None:
    raise ConfigurationError(
        "EMAIL_BACKEND must be the dotted path of a Django e-mail backend, such as "
        f"django.core.mail.backends.smtp.EmailBackend, not {EMAIL_BACKEND!r}."
    )

# --- Statistics ----------------------------------------------------------------------------
# On publication, counts of people from 1 to this number minus one are suppressed.
STATISTICS_SUPPRESSION_THRESHOLD = env_int("STATISTICS_SUPPRESSION_THRESHOLD", 3, minimum=1)

# A TrueType font with Traditional Chinese, embedded in PDF reports (Debian: fonts-arphic-uming).
# Its Traditional Chinese face is used; without a usable font the Chinese PDF is refused.
REPORT_CJK_FONT = env_str("REPORT_CJK_FONT", "/usr/share/fonts/truetype/arphic/uming.ttc")

# --- Scheduler ---------------------------------------------------------------------------
# No officer goes back to the same site within this many days (rotation).
SCHEDULER_ROTATION_DAYS = env_int("SCHEDULER_ROTATION_DAYS", 30, minimum=0)
# Default and largest time limit of one planning run, in seconds.
SCHEDULER_TIME_LIMIT_SECONDS = env_int("SCHEDULER_TIME_LIMIT_SECONDS", 30, minimum=1)
SCHEDULER_MAX_TIME_LIMIT_SECONDS = env_int("SCHEDULER_MAX_TIME_LIMIT_SECONDS", 600, minimum=1)
if SCHEDULER_TIME_LIMIT_SECONDS > SCHEDULER_MAX_TIME_LIMIT_SECONDS:
    raise ConfigurationError(
        f"SCHEDULER_TIME_LIMIT_SECONDS ({SCHEDULER_TIME_LIMIT_SECONDS}) must not exceed "
        f"SCHEDULER_MAX_TIME_LIMIT_SECONDS ({SCHEDULER_MAX_TIME_LIMIT_SECONDS})."
    )
# A running job whose worker stopped beating for this long, or that is still running this long
# after its time limit, is failed with a reason (its worker died), so the planner can start again.
SCHEDULER_HEARTBEAT_TIMEOUT_SECONDS = env_int("SCHEDULER_HEARTBEAT_TIMEOUT_SECONDS", 90, minimum=5)
SCHEDULER_RUN_GRACE_SECONDS = env_int("SCHEDULER_RUN_GRACE_SECONDS", 300, minimum=0)
# Share of an operation's targets drawn at random among the sites a selection matches (percent),
# so a site that scores low on risk may still be visited; the planner may change it per selection.
SCHEDULER_RANDOM_SHARE_PERCENT = env_int("SCHEDULER_RANDOM_SHARE_PERCENT", 20, minimum=0, maximum=100)
# A joint team reaches a target at most this many minutes before its raid (to park and take
# position): the plan's times are right-justified to it, so no team waits outside a target.
SCHEDULER_ARRIVE_BEFORE_MINUTES = env_int("SCHEDULER_ARRIVE_BEFORE_MINUTES", 5, minimum=0)

# --- Tasks ----------------------------------------------------------------------------
# Unset: tasks run in-process right after the transaction that asked for them commits (tests).
# Set: tasks go to a real broker through the outbox (backend.outbox), so a broker that is down
# delays work and never loses it. `make run` sets `filesystem://`: kombu's file-system transport,
# one file per message under CELERY_BROKER_FOLDER, consumed by the worker `make run` starts (no
# server to install; see README). Production uses Redis or RabbitMQ.
CELERY_BROKER_URL = (
    "filesystem://"  # the whole URL: the folders come from CELERY_BROKER_FOLDER
    if env_str("CELERY_BROKER_URL", "") == "filesystem://"
    else env_url("CELERY_BROKER_URL", None, ("redis", "rediss", "amqp", "amqps", "memory"))
)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_BROKER_FOLDER = Path(env_str("CELERY_BROKER_FOLDER", str(BASE_DIR / "var" / "broker")))
if CELERY_BROKER_URL and CELERY_BROKER_URL.startswith("filesystem"):
    for _folder in ("queue", "control"):
        (CELERY_BROKER_FOLDER / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Producer and worker share one folder: what the web process writes, the worker reads.
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        # The worker looks for new files this often (seconds): the delay before a run starts.
        "polling_interval": 0.2,
    }
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_url("CELERY_RESULT_BACKEND", None, ("redis", "rediss", "rpc", "django-db"))
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves it for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The broker is asked briefly: a broker that is down is the relay's problem (the row stays
# pending), never a request's. Redis gives an unacknowledged message of a worker that died back
# after the visibility timeout (longer than the longest task plus its longest retry delay).
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL and CELERY_BROKER_URL.startswith(("redis", "rediss")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 3,
        "socket_timeout": 10,  # a broker that accepts and never answers is given up on, too
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT_SECONDS", 3600, minimum=1),
    }
# The outbox relay runs this often on beat; a message sent that reported no outcome for
# OUTBOX_RESEND_AFTER_SECONDS (the broker lost it) is sent again (tasks are safe to run twice).
OUTBOX_RELAY_INTERVAL_SECONDS = env_int("OUTBOX_RELAY_INTERVAL_SECONDS", 30, minimum=1)
OUTBOX_RESEND_AFTER_SECONDS = env_int("OUTBOX_RESEND_AFTER_SECONDS", 3600, minimum=1)
CELERY_TIMEZONE = TIME_ZONE
# How often the background refresh rebuilds the days ingest and review queued: the analysts'
# figures lag the records by at most this plus one refresh (their pages say as of when).
ROLLUPS_REFRESH_SECONDS = env_int("ROLLUPS_REFRESH_SECONDS", 10, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "outbox.relay_pending", "schedule": float(OUTBOX_RELAY_INTERVAL_SECONDS)},
    # Planning runs whose worker died (no heartbeat): failed with the reason, so planners retry.
    "scheduler-expire-stale": {"task": "scheduler.expire_stale", "schedule": 30.0},
    # Corrective deadlines that passed: request the follow-up inspections (safe to repeat).
    "compliance-deadlines": {"task": "compliance.deadlines_due", "schedule": crontab(hour=6, minute=0)},
    # Statistics rollups: the days ingest and review queued (coalesced: each day rebuilt once per
    # run), the days whose records changed otherwise, and a full rebuild every night.
    "reporting-refresh-queued-rollups": {
        "task": "reporting.refresh_queued_rollups",
        "schedule": float(ROLLUPS_REFRESH_SECONDS),
        # Behind a backlog (a worker busy with other tasks) a refresh waits, but not forever:
        # one that could not start within a minute is dropped, and a later one does its work.
        "options": {"expires": 60.0},
    },
    "reporting-refresh-rollups": {"task": "reporting.refresh_rollups", "schedule": 900.0},
    "reporting-rebuild-rollups": {
        "task": "reporting.refresh_rollups",
        "schedule": crontab(hour=3, minute=30),
        "kwargs": {"full": True},
    },
    # Personal data past its retention period: erased, counts audited (safe to repeat).
    "privacy-retention": {"task": "privacy.apply_retention", "schedule": crontab(hour=2, minute=15)},
}
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 20, minimum=1)
# The worker's processes and where beat keeps its last run times: read here too (Celery's own
# settings), so a bare `celery -A backend worker` or `beat` follows the environment as the
# Procfile does, and a malformed value is refused naming the variable, not celery's option.
CELERY_WORKER_CONCURRENCY = env_int("WORKER_CONCURRENCY", 2, minimum=1)
CELERY_BEAT_SCHEDULE_FILENAME = env_str(
    "CELERY_BEAT_SCHEDULE_FILE", str(BASE_DIR / "var" / "celerybeat-schedule")
)

# --- Logging --------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ConfigurationError(
        f"LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not {LOG_LEVEL!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
