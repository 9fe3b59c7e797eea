"""GridGov settings: one module, driven by environment variables (see README)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY", debug=DEBUG, debug_default="dev-only-insecure-secret-key-0123456789")
# Resident IDs and phones are Fernet-encrypted with a key derived from SECRET_KEY and this salt
# (django-fernet-encrypted-fields); rotating SECRET_KEY keeps old rows readable via SECRET_KEY_FALLBACKS.
SALT_KEY = env_secret("FIELD_ENCRYPTION_SALT", debug=DEBUG, debug_default="dev-only-field-salt-0123456789abcdef")
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
# Keyed hash (blind index) for exact-match search on encrypted IDs and phones; changing it
# requires re-indexing (manage.py reencrypt), so it is kept apart from SECRET_KEY.
BLIND_INDEX_KEY = env_secret("BLIND_INDEX_KEY", debug=DEBUG, debug_default="dev-only-blind-index-key-0123456789")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "gridgov.sites.GridGovAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "mptt",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pgtrigger",
    "django_prometheus",
    "core",
    "gridgov",
    "grids",
    "orgs",
    "cobuilding",
    "cases",
    "funding",
    "gridwork",
    "hall",
    "appraisal",
    "estates",
    "alliances",
    "demo",
]

MIDDLEWARE = [
    # First and last: django-prometheus times every request, per view (gridgov.ops.metrics).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gridgov.middleware.RequestContextMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the scope is resolved: an expired session must not lend its user a scope.
    "core.sessions.SessionLifetimeMiddleware",
    "gridgov.middleware.NoStoreForSignedInMiddleware",
    # Refuses an oversized body from its Content-Length, before CSRF or a view makes Django parse it.
    "core.request_size.RequestSizeLimitMiddleware",
    # After the session checks: marks the user verified by their second factor, then holds an
    # unverified user at the code page or the enrolment page (core.two_factor).
    "django_otp.middleware.OTPMiddleware",
    "core.two_factor.TwoFactorMiddleware",
    "core.passwords.PasswordAgeMiddleware",
    "gridgov.middleware.ScopeMiddleware",
    # After the sign-in checks, whose reads stay on the primary: only the view may read the replica.
    "gridgov.middleware.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "gridgov.urls"
WSGI_APPLICATION = "gridgov.wsgi.application"

# Django's renderer, with <select> drawn in Python (core/form_renderer.py says why).
FORM_RENDERER = "core.form_renderer.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cases.context_processors.unread_notifications",
            ],
        },
    },
]

# Default: an SQLite file in var/ so a newcomer needs nothing installed. Production and CI
# set DATABASE_URL (postgres://…) and keep connections open: a new connection per request
# cost 5x on a simple page when measured here.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'gridgov.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Writers wait for each other instead of failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
# Past one machine (docs/scaling.md). A read replica fed by streaming replication serves the
# views in REPLICA_READ_VIEWS, which may lag by the replication delay (core.db_routing): the
# leader's figures, nothing anyone acts on at once. A browser that wrote reads only the primary
# for REPLICA_PIN_SECONDS after (gridgov.middleware.ReplicaReadsMiddleware).
# DATABASE_POOL_MAX_SIZE turns on psycopg's pool in each process instead of one kept connection
# per thread; DATABASE_PGBOUNCER says a PgBouncer in transaction mode stands between, which
# cannot keep a server-side cursor open across transactions.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("CONN_MAX_AGE", 600), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.db_routing.ReplicaRouter"]
REPLICA_READ_VIEWS = ["cases:dashboard", "cases:ranking", "orgs:coverage"]
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
if DATABASE_POOL_MAX_SIZE := env_int("DATABASE_POOL_MAX_SIZE", 0):
    for database in (db for db in DATABASES.values() if db["ENGINE"] == "django.db.backends.postgresql"):
        database["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django must not keep one too
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(env_int("DATABASE_POOL_MIN_SIZE", 2), DATABASE_POOL_MAX_SIZE),
            "max_size": DATABASE_POOL_MAX_SIZE,
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
        }
if env_bool("DATABASE_PGBOUNCER", False):
    for database in DATABASES.values():
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # A Redis gone without closing its connections must cost a request seconds, not hang it.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without REDIS_URL Celery runs every task in-process at once, so the demo needs no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
# A worker process killed mid-task (OOM, SIGKILL) puts its task back instead of acknowledging it;
# tasks are safe to run twice. A whole worker lost is redelivered by Redis after the visibility
# timeout, which must outlast the longest task (Celery's default, an hour).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # Without these a send to a Redis that vanished without closing the connection waits forever.
    "socket_connect_timeout": 5,
    "socket_timeout": 5,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers log through the LOGGING below (its filter masks ID and phone numbers) instead of
# replacing the root logger's handlers with their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Overdue is computed on read; the sweep only reminds and records, so five minutes late is harmless.
CELERY_BEAT_SCHEDULE = {
    "sweep-case-deadlines": {"task": "cases.tasks.sweep_deadlines", "schedule": 300.0},
    "sweep-service-request-deadlines": {"task": "hall.tasks.sweep_deadlines", "schedule": 300.0},
    "deliver-pending-notifications": {"task": "cases.tasks.deliver_pending_notifications", "schedule": 60.0},
    "deliver-pending-webhooks": {"task": "cases.tasks.deliver_pending_webhooks", "schedule": 60.0},
    "resume-pending-budget-runs": {"task": "funding.tasks.resume_pending_budget_runs", "schedule": 60.0},
    "beat-heartbeat": {"task": "gridgov.tasks.beat_heartbeat", "schedule": 60.0},
    "drop-expired-idempotency-keys": {"task": "gridgov.tasks.drop_expired_idempotency_keys", "schedule": 3600.0},
    # The uploads kept for fixing refused rows, once too old (grids/imports/fixes.py says how long).
    "drop-stale-import-sources": {"task": "grids.tasks.drop_stale_import_sources", "schedule": 3600.0},
    # Just after midnight (CELERY_TIMEZONE): the area tree's key-group counts of tags that began or lapsed.
    "recount-tag-changes": {"task": "grids.tasks.recount_tag_changes", "schedule": crontab(hour=0, minute=5)},
    # 双报告: on the first of January and of July, the half-year just ended to each member's unit.
    "send-dual-reports": {
        "task": "alliances.tasks.send_dual_reports",
        "schedule": crontab(day_of_month=1, month_of_year="1,7", hour=2, minute=0),
    },
}
# Notification channels (cases/notifications/channels.py). E-mail through Django's mail backends
# (printed to the console while DEBUG unless a backend is set); SMS through the provider SMS_BACKEND
# names: "log" (the log, numbers masked) or "http" (a JSON POST to SMS_HTTP_URL, an operator's relay).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "GridGov <noreply@localhost>")
SMS_BACKEND = env_str("SMS_BACKEND", "log")
if SMS_BACKEND not in ("log", "http"):
    raise ImproperlyConfigured(f"SMS_BACKEND must be log or http, not {SMS_BACKEND!r}")
SMS_HTTP_URL = env_str("SMS_HTTP_URL", "")
if SMS_BACKEND == "http" and not SMS_HTTP_URL:
    raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_HTTP_URL: every text message would fail")
# Also the wait for a work-messaging webhook; a delivery's claim is held that long at most.
SMS_HTTP_TIMEOUT = env_int("SMS_HTTP_TIMEOUT", 10)
# Webhooks (cases/webhooks): how long a receiver may take to answer (a delivery's claim is held
# that long at most), and after how many failures in a row a subscription pauses with a notice.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_MAX_FAILURES = env_int("WEBHOOK_MAX_FAILURES", 10)
# Case descriptions travel in the body: only over TLS, unless a receiver on a closed network is
# allowed plain HTTP on purpose (and while DEBUG, for a receiver on the developer's machine).
WEBHOOK_REQUIRE_HTTPS = env_bool("WEBHOOK_REQUIRE_HTTPS", not DEBUG)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Days a password may be used before its owner must set a new one at sign-in; 0 is never.
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 0)
if PASSWORD_MIN_CHARACTER_CLASSES := env_int("PASSWORD_MIN_CHARACTER_CLASSES", 0):
    AUTH_PASSWORD_VALIDATORS.append(
        {"NAME": "core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": PASSWORD_MIN_CHARACTER_CLASSES}}
    )

# Failed sign-ins are counted per account AND address together: a stranger elsewhere cannot lock
# a user out, and nobody can go on guessing one account's password from one place.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.signin.lockout_page"
AXES_CLIENT_IP_CALLABLE = "core.signin.client_address"
AXES_USERNAME_CALLABLE = "core.signin.typed_username"

# Two-factor sign-in (TOTP, django-otp): required for whoever can open admin or reveal personal
# data, or for every account with TWO_FACTOR_REQUIRED_FOR_ALL; decided at each sign-in.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
TWO_FACTOR_REQUIRED_FOR_ALL = env_bool("TWO_FACTOR_REQUIRED_FOR_ALL", False)
OTP_TOTP_ISSUER = "GridGov"
# Admin lists devices without their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after log-in
# whatever happens (core.sessions.SessionLifetimeMiddleware); the cookie lives no longer than that.
SESSION_ENGINE = "core.sessions"
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "media/"

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A refused form gets the product's page in the user's language (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "gridgov.errors.csrf_failure"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Served over TLS in production: browsers refuse plain HTTP to this host for a year, and Django
# redirects any request that still arrives over HTTP. Off without TLS, or a browser that saw
# the header once could not reach a plain-HTTP test install at all.
_TLS = BEHIND_TLS_PROXY and not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _TLS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if _TLS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a registration with the browser vendors that binds every subdomain of the
# domain for good: a district decides it with whoever owns the domain, so it is off unless set,
# and Django's reminder about it (W021) is silenced rather than answered by default.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Search URLs may still carry a name or number: never hand them to another site.
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# The map's background (grids.map_views): empty draws the boundaries alone, with no network at
# all; or an XYZ tile URL, the district's own tile server or 天地图 with its key in the URL
# (https://t{s}.tianditu.gov.cn/vec_w/wmts?...&tk=KEY). Its host is let through img-src below.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
# The tiles' coordinate system: "wgs84" (天地图, a district's CGCS2000 server) or "gcj02" (高德,
# 腾讯). The places stay WGS-84 either way; over GCJ-02 tiles the browser converts what it draws
# and what it is shown back (static/js/map_crs.js). Checked at start-up (grids.checks).
MAP_TILE_CRS = env_str("MAP_TILE_CRS", "wgs84")


def _tile_hosts(url: str) -> list[str]:
    """The img-src entry a tile URL needs: its scheme and host; a host label with Leaflet's {s}
    subdomain in it (t{s}.tianditu.gov.cn) becomes CSP's wildcard (*.tianditu.gov.cn)."""
    if not url:
        return []
    parts = urlsplit(url)
    host = parts.netloc
    if "{s}" in host:
        host = "*." + host.split(".", 1)[1]
    return [f"{parts.scheme}://{host}"]


# No inline script anywhere (templates keep their scripts in static/js and their data in
# json_script tags, which are not executed), so an injected <script> or on…= attribute does
# not run. Styles may be inline: the templates and the admin use style attributes, and ECharts
# writes its tooltips as HTML with style attributes; injected CSS cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        # Bootstrap draws its icons (menu, select arrow) as data: SVG.
        "img-src": [SELF, "data:", "blob:", *_tile_hosts(MAP_TILE_URL)],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Addresses of the reverse proxies whose X-Forwarded-For and X-Request-ID are believed, for the
# audit log, the sign-in lockout and the QR page's limits alike (core.request_context.client_address).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# Anonymous reports through the QR door plates, per hour (cases.resident_limits): per client
# address and plate, per device, and for all reporters of one building together.
QR_REPORTS_PER_ADDRESS = env_int("QR_REPORTS_PER_ADDRESS", 5)
# The QR path of a residents' evaluation (appraisal): household checks a plate takes per address an hour.
EVALUATION_CHECKS_PER_ADDRESS = env_int("EVALUATION_CHECKS_PER_ADDRESS", 10)
QR_REPORTS_PER_DEVICE = env_int("QR_REPORTS_PER_DEVICE", 5)
QR_REPORTS_PER_BUILDING = env_int("QR_REPORTS_PER_BUILDING", 30)
# Look-ups on the tracking page an hour, per address and per case number (cases/resident_limits.py).
TRACK_LOOKUPS_PER_ADDRESS = env_int("TRACK_LOOKUPS_PER_ADDRESS", 20)
TRACK_LOOKUPS_PER_NUMBER = env_int("TRACK_LOOKUPS_PER_NUMBER", 5)
# The largest request body, refused with 413 from its Content-Length before it is parsed: six
# photos of 10 MB (cases.photos) and the form around them. The proxy's client_max_body_size
# should say the same (README). Django's own bounds apply to what is parsed: the form fields
# without the files keep its 2.5 MB, and more than ten files are a 400 (a form's own message
# answers seven to ten: it takes six).
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 61 * 2**20)
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# 等保 2.0 level 3 asks for at least six months of security audit; the deploy check refuses less.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 184)

# Places on the map (grids.shapes): boundaries surveyed separately may disagree by this many
# metres at an edge, and neighbours under one parent may share this much of the smaller one.
BOUNDARY_TOLERANCE_METRES = env_int("BOUNDARY_TOLERANCE_METRES", 5)
BOUNDARY_OVERLAP_SHARE = env_int("BOUNDARY_OVERLAP_PERCENT", 1) / 100
# A report's possible duplicates include open cases of its category this week at buildings this
# near (cases.selectors.possible_duplicates).
CASE_DUPLICATE_RADIUS_METRES = env_int("CASE_DUPLICATE_RADIUS_METRES", 50)

# How long the API replays a create sent again under the same Idempotency-Key (core.idempotency).
IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24)

REST_FRAMEWORK = {
    # A personal token first: its refusals are 401 with the Bearer scheme named. Without one, the
    # signed-in browser's session, CSRF-checked on writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Another system's client key (`ggc_`), then a person's token (`ggp_`).
        "orgs.client_keys.ClientKeyAuthentication",
        "core.api_tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.throttling.AnonymousLimit", "rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.api_errors.ErrorSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.drf.UncountedPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api_errors.handle",
    # Per personal token, per client key, per anonymous address (core.throttling): 429 with Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.TokenThrottle",
        "core.throttling.ClientKeyThrottle",
        "core.throttling.AnonymousThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("API_RATE_TOKEN", "600/min"),
        "client_key": env_str("API_RATE_CLIENT_KEY", "1200/min"),
        "anonymous": env_str("API_RATE_ANONYMOUS", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "GridGov API",
    "DESCRIPTION": "党建引领社区网格治理平台 / party-building-led community grid governance",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are for signed-in users and token holders, like the API they describe.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from our own static files: no CDN on a government network, and no inline script.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name with another app's get a name of their own.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.Status",
        "CaseImportanceEnum": "cases.models.Importance",
        "CaseUrgencyEnum": "cases.models.Urgency",
        "CaseSourceEnum": "cases.models.Source",
        "RoleEnum": "orgs.models.Role",
        "CommitteeRoleEnum": "alliances.models.CommitteeRole",
        "LevelEnum": "cases.models.Level",  # as it was named before a second `level` came
        "MeetingLevelEnum": "cobuilding.models.MeetingLevel",
    },
}

# The year through which the State Council's holiday arrangement is published; later
# deadlines are computed from statutory holidays and weekends and shown as provisional.
HOLIDAYS_OFFICIAL_THROUGH = env_int("HOLIDAYS_OFFICIAL_THROUGH", 2026)

# Operations (docs/scaling.md): /health/full/ fails (503) when beat's heartbeat is older than this;
# /metrics/ answers a scraper on one of these addresses talking to the app directly, or anyone
# with METRICS_TOKEN as a bearer token, and is a 404 to everyone else.
BEAT_HEARTBEAT_MAX_MINUTES = env_int("BEAT_HEARTBEAT_MAX_MINUTES", 5)
METRICS_ALLOWED_ADDRESSES = env_list("METRICS_ALLOWED_ADDRESSES", ["127.0.0.1", "::1"])
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# Every handler masks ID numbers and phones (core.logmask). Django's own loggers are redeclared so
# that no handler from its defaults is left without the filter: the dev server's request lines go
# through a masked handler, and mail_admins (which mails the request's query) is dropped.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_numbers": {"()": "core.logmask.MaskPersonalNumbers"},
        "request_id": {"()": "core.request_context.RequestIdFilter"},
    },
    "formatters": {
        "line": {"format": "{levelname} {name} rid={request_id} {message}", "style": "{"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["mask_personal_numbers", "request_id"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_personal_numbers"],
        },
    },
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
