"""Brouette settings: one module, every value from the environment (see README)."""

from pathlib import Path

from csp.constants import NONE, SELF

from config import env
from config.storages import storages_from_env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.string("BROUETTE_VAR_DIR", str(BASE_DIR / "var")))

# --- Core -------------------------------------------------------------------
PRODUCTION = env.choice("BROUETTE_ENV", ("development", "production"), "development") == (
    "production"
)
DEBUG = env.boolean("BROUETTE_DEBUG", default=not PRODUCTION)
SECRET_KEY = env.secret_key(
    "BROUETTE_SECRET_KEY", production=PRODUCTION, keep_in=VAR_DIR / ".secret_key"
)
ALLOWED_HOSTS = env.csv_list(
    "BROUETTE_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise env.ConfigError("BROUETTE_ALLOWED_HOSTS must list the site's host names in production.")
CSRF_TRUSTED_ORIGINS = env.csv_list("BROUETTE_CSRF_TRUSTED_ORIGINS")
SITE_URL = env.url("BROUETTE_SITE_URL", "http://127.0.0.1:8000")
SITE_NAME = env.string("BROUETTE_SITE_NAME", "Brouette")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_ratelimit",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "licensing",
    "photos",
    "albums",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.CSPMiddleware",
    "config.middleware.refuse_nul",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "config.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'brouette.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # Memory-mapped reads and a 32 MiB page cache: a search at a million photos reads
        # index pages at random, and mapped pages skip a system call per page.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA mmap_size={env.integer('BROUETTE_SQLITE_MMAP_MB', 1024, minimum=0) << 20}; "
            "PRAGMA cache_size=-32768;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Storage: one place decides; photos/storage.py is the only reader -------
STORAGES = storages_from_env(VAR_DIR)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Photos -----------------------------------------------------------------
BROUETTE_MAX_UPLOAD_BYTES = env.integer("BROUETTE_MAX_UPLOAD_BYTES", 50 * 1024 * 1024, minimum=1)
BROUETTE_MAX_PIXELS = env.integer("BROUETTE_MAX_PIXELS", 100_000_000, minimum=1)
BROUETTE_SIGNED_URL_SECONDS = env.integer("BROUETTE_SIGNED_URL_SECONDS", 3600, minimum=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None

# --- Background work ----------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env.choice("BROUETTE_TASKS", ("database", "immediate"), "database")]
    }
}

# --- Accounts ---------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}[env.choice("BROUETTE_EMAIL", ("console", "smtp", "locmem"), "console")]
EMAIL_HOST = env.string("BROUETTE_EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("BROUETTE_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env.string("BROUETTE_EMAIL_USER")
EMAIL_HOST_PASSWORD = env.string("BROUETTE_EMAIL_PASSWORD")
EMAIL_USE_TLS = env.boolean("BROUETTE_EMAIL_TLS", default=True)
DEFAULT_FROM_EMAIL = env.string("BROUETTE_EMAIL_FROM", "Brouette <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- API --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "URL_FORMAT_OVERRIDE": None,  # ?format= belongs to our endpoints (attribution, oEmbed)
    "DEFAULT_SCHEMA_CLASS": "config.openapi.AutoSchema",
    # Rates live in BROUETTE_RATES below; the counters are shared with the web pages'.
    "DEFAULT_THROTTLE_CLASSES": ["config.ratelimit.ApiThrottle"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Brouette API",
    "DESCRIPTION": "Photos, licenses, tags and albums of a Brouette photo commons.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "VisibilityEnum": "photos.models.Visibility",
        "CommentPolicyEnum": "photos.models.CommentPolicy",
        "TaggingEnum": "photos.models.Tagging",
    },
}

# --- Security ---------------------------------------------------------------
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env.boolean("BROUETTE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.integer("BROUETTE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.boolean("BROUETTE_BEHIND_PROXY") else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # nothing here is meant to be framed: embeds are <img> plus a credit

# Scripts from this site only: no inline script, no eval, no handler attributes. Styles may
# be inline (pages colour each tile's placeholder with a style attribute). The photo store's
# origins (S3 mode) are added per request by config.security.CSPMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],  # data: for the API docs' icons
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Rate limits (django-ratelimit): "count/period", period s, m, h or d, optionally multiplied
# ("100/10m"). Counters live in a file cache under the var dir, shared by every worker.
BROUETTE_RATES = {
    "login": env.rate("BROUETTE_RATE_LOGIN", "10/m"),  # per address and account name
    "signup": env.rate("BROUETTE_RATE_SIGNUP", "10/h"),  # per address
    "password_reset": env.rate("BROUETTE_RATE_PASSWORD_RESET", "10/h"),  # per address
    "upload": env.rate("BROUETTE_RATE_UPLOAD", "500/h"),  # per person, page and API together
    "api_anon": env.rate("BROUETTE_RATE_API_ANON", "600/m"),  # per address
    "api_user": env.rate("BROUETTE_RATE_API_USER", "2400/m"),  # per person
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "config.cache.FileCache",
        "LOCATION": str(VAR_DIR / "cache" / "ratelimit"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}
RATELIMIT_USE_CACHE = "ratelimit"
# django-ratelimit only vouches for memcached and Redis; config.cache.FileCache makes add and
# incr atomic with a lock file (tests/security/test_rate_limits.py proves it under threads).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.string("BROUETTE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("BROUETTE_LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
