"""Settings for Beredskabsportalen: one file, read from the environment.

Production is the default: without DJANGO_ENV (or with DJANGO_ENV=production) it
refuses to start unless every variable production needs is set (`.env.example` lists
them all), with DEBUG off, secure cookies and the real SMS and e-mail senders. The demo
(SQLite under var/, console SMS and e-mail, Celery on kombu's filesystem
transport) runs only when asked for with DJANGO_ENV=demo, as `make run`, `make test`
and the tests do.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from beredskab.env import (
    ConfigError,
    django_env,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    parse_database_url,
    production_problems,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# Production unless the demo is asked for (beredskab.env.django_env).
DJANGO_ENV = django_env()
PRODUCTION = DJANGO_ENV == "production"
TESTING = "pytest" in sys.modules or env_bool("TESTING")

# --- Refuse to start in production with anything missing (one message naming all) ---
if PRODUCTION and (_problems := production_problems()):
    raise ConfigError(
        "Refusing to start: production settings (DJANGO_ENV is unset or 'production'; "
        "set DJANGO_ENV=demo for the demo), but the environment is incomplete:\n"
        + "".join(f"  - {problem}\n" for problem in _problems)
        + "Every variable is described in .env.example."
    )

# Off in the demo too, so it shows the portal's own error pages as production does;
# DEBUG=1 turns Django's debug pages on (never in production: production_problems).
DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY") or "demo-only-insecure-key-never-used-in-production-0123456789"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Workers build links (acknowledgement links in SMS) without a request. The demo's
# run_demo sets it from its --addr, so the links follow `make run ADDR=...`.
BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# A refused CSRF token gets the portal's own Danish page (beredskab/views/errors.py).
CSRF_FAILURE_VIEW = "beredskab.views.errors.csrf_failure"

INSTALLED_APPS = [
    "beredskab",
    "incidents",
    "outages",
    "contactcenter",
    "training",
    "beredskab.admin_apps.PortalAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "phonenumber_field",
    "csp",
    "allauth",
    "allauth.account",
    # The second factor: TOTP, recovery codes and passkeys (beredskab/mfa_policy.py).
    "allauth.mfa",
    # Entra ID sign-in (beredskab/entra*.py): allauth's OpenID Connect provider, with
    # our provider class doing the checks allauth leaves out (see SOCIALACCOUNT_PROVIDERS).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "beredskab.middleware.DanishFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Invalid UTF-8 in a field or a file name: a 400 that says so (beredskab/input_encoding.py).
    "beredskab.input_encoding.InputEncodingMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A file refused while streaming reaches the form as "too large" (beredskab/uploads.py).
    "beredskab.uploads.RefusedUploadMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idle timeout and absolute lifetime; before LoginRequiredMiddleware (see the class).
    "beredskab.middleware.SessionTimeoutMiddleware",
    # Deny by default: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A privileged person without a second factor sees only the enrolment pages.
    "beredskab.mfa_policy.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # axes must be last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "beredskab.urls"
WSGI_APPLICATION = "beredskab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "beredskab.context_processors.portal",
            ],
        },
    }
]

# --- Database: PostgreSQL from DATABASE_URL; the demo (and tests without it) on SQLite ---
if env_str("DATABASE_URL"):
    DATABASES = {"default": parse_database_url(env_str("DATABASE_URL"))}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # The demo's web server, worker and beat share one file: wait for locks,
            # and take the write lock up front so two writers never deadlock.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Signing in: logins, sessions, allauth, Entra ID, re-authentication, the emergency
# mode, SCIM, the second factor and the lock-out (beredskab/settings_signin.py) ---
from beredskab.settings_signin import *  # noqa: E402, F403

# --- Internationalisation: Danish first, English selectable ---
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "DK"
PHONENUMBER_DB_FORMAT = "E164"

# --- Static files ---
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
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
# Uploads live outside the web root and are served only through access-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "uploads")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploads are counted while they stream in and stopped past these limits, before the
# rest is read (beredskab/uploads.py): one file (the largest any form accepts: an
# incident attachment, a booking or course file) and a whole request (five
# attachments of 5 MB and the form's fields).
UPLOAD_MAX_FILE_BYTES = env_int("UPLOAD_MAX_FILE_BYTES", 5 * 1024 * 1024)
UPLOAD_MAX_REQUEST_BYTES = env_int("UPLOAD_MAX_REQUEST_BYTES", 26 * 1024 * 1024)
# Retry-After (seconds) of the 503 answered while the database is away.
DATABASE_RETRY_AFTER_SECONDS = env_int("DATABASE_RETRY_AFTER_SECONDS", 10)
FILE_UPLOAD_HANDLERS = [
    "beredskab.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Content-Security-Policy: scripts and styles from 'self' only, no inline ---
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Security headers (production) ---
SESSION_COOKIE_HTTPONLY = True
# No script reads the cookie: htmx takes the token from <body hx-headers>, forms from the page.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # /healthz is probed by the load balancer over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz"]
SILENCED_SYSTEM_CHECKS = (
    []
    if env_bool("SECURE_HSTS_PRELOAD", False) or not PRODUCTION
    else [
        "security.W021"  # HSTS preload is a deliberate opt-in for the operator
    ]
)

# --- E-mail ---
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    # The demo: each e-mail is one log record (to, subject, text), not MIME on stdout
    # (which a Celery worker would print line by line as warnings).
    "console": "beredskab.notify.email_log.LogEmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = env_str("EMAIL_BACKEND", "smtp" if PRODUCTION else "console")
if _email_backend not in _EMAIL_BACKENDS:
    raise ConfigError(f"EMAIL_BACKEND must be one of {sorted(_EMAIL_BACKENDS)}")
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "beredskab@example.invalid")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- SMS ---
SMS_BACKEND = env_str(
    "SMS_BACKEND", "twilio" if PRODUCTION else ("locmem" if TESTING else "console")
)
if SMS_BACKEND not in {"console", "locmem", "twilio"}:
    raise ConfigError("SMS_BACKEND must be one of console, locmem, twilio")
# A change to an escalation that PostgreSQL aborts as a deadlock or serialisation
# failure is tried again, at most this many times in all (beredskab/escalation/locking.py).
ESCALATION_LOCK_ATTEMPTS = env_int("ESCALATION_LOCK_ATTEMPTS", 5)
SMS_RATE_PER_SECOND = env_float("SMS_RATE_PER_SECOND", 0.0 if TESTING else 10.0)
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_MESSAGING_SERVICE_SID = env_str("TWILIO_MESSAGING_SERVICE_SID")
TWILIO_FROM = env_str("TWILIO_FROM")
# Tests and benchmarks point the real twilio client at a fake server; empty in production.
TWILIO_API_BASE_URL = env_str("TWILIO_API_BASE_URL")
# Bounded wait for one call to the SMS provider (connect and read).
SMS_TIMEOUT_SECONDS = env_float("SMS_TIMEOUT_SECONDS", 10.0)
# Once a message has left, its ack links are masked in the stored body (/a/…/), so
# the outbox table holds no usable token. Only the demo's console backend keeps them:
# its /demo/sms/ page is how the demo's links are tried.
OUTBOX_REDACT_ACK_LINKS = env_bool("OUTBOX_REDACT_ACK_LINKS", SMS_BACKEND != "console")

# --- SMS providers: primary, secondary, traffic, health (beredskab/settings_sms.py) ---
from beredskab.settings_sms import *  # noqa: E402, F403

# --- Booking cancellation by mass SMS (outages) ---
# A second person (frontdesk or a leader, not the one who confirmed) approves a
# campaign before its SMS go out. On unless turned off here; `check --deploy` warns
# when it is off (outages.checks), so one account can never text the citizens alone.
CAMPAIGN_REQUIRE_APPROVAL = env_bool("CAMPAIGN_REQUIRE_APPROVAL", True)
# Countries (ISO 3166 codes, e.g. "SE,NO") a campaign may text besides Denmark. Empty:
# Danish numbers only, so one account cannot run up a bill abroad.
CAMPAIGN_ALLOWED_COUNTRIES = sorted({c.upper() for c in env_list("CAMPAIGN_ALLOWED_COUNTRIES")})
if any(len(c) != 2 or not c.isalpha() for c in CAMPAIGN_ALLOWED_COUNTRIES):
    raise ConfigError("CAMPAIGN_ALLOWED_COUNTRIES must be two-letter country codes, e.g. SE,NO")
# At most this many SMS per message of one campaign (one per citizen).
CAMPAIGN_MAX_RECIPIENTS = env_int("CAMPAIGN_MAX_RECIPIENTS", 2000)
# At most this many campaign SMS confirmed by one person in 24 hours (all campaigns).
CAMPAIGN_MAX_PER_SENDER_PER_DAY = env_int("CAMPAIGN_MAX_PER_SENDER_PER_DAY", 5000)
if CAMPAIGN_MAX_RECIPIENTS < 1 or CAMPAIGN_MAX_PER_SENDER_PER_DAY < 1:
    raise ConfigError("CAMPAIGN_MAX_RECIPIENTS and CAMPAIGN_MAX_PER_SENDER_PER_DAY must be >= 1")
# Citizens' names and numbers are purged this many days after a campaign ends.
CAMPAIGN_RETENTION_DAYS = env_int("CAMPAIGN_RETENTION_DAYS", 30)
if CAMPAIGN_RETENTION_DAYS < 1:
    raise ConfigError("CAMPAIGN_RETENTION_DAYS must be at least 1")

# --- Messages to departments and press texts ---
# At most this many staff broadcasts per sender, and in all, in any 24 hours; the same
# for press texts. Beyond them the portal refuses and says when it can send again.
BROADCAST_MAX_PER_DAY = env_int("BROADCAST_MAX_PER_DAY", 5)
BROADCAST_MAX_PER_DAY_TOTAL = env_int("BROADCAST_MAX_PER_DAY_TOTAL", 20)
PRESS_MAX_PER_DAY = env_int("PRESS_MAX_PER_DAY", 5)
PRESS_MAX_PER_DAY_TOTAL = env_int("PRESS_MAX_PER_DAY_TOTAL", 10)

# --- Contact centre ---
# Hosts the channel health probes may call (exact host names). Empty: no probing, and
# no health URL can be saved; the portal never calls an address nobody allowed.
CONTACT_PROBE_ALLOWED_HOSTS = [h.lower() for h in env_list("CONTACT_PROBE_ALLOWED_HOSTS")]
# Private, loopback and link-local addresses the probes may reach (comma-separated
# addresses or networks, e.g. 10.20.0.0/16). An allowed host name that resolves to any
# other non-public address is refused, so DNS cannot turn a probe inward.
CONTACT_PROBE_ALLOWED_NETWORKS = env_list("CONTACT_PROBE_ALLOWED_NETWORKS")
for _network in CONTACT_PROBE_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ConfigError(
            f"CONTACT_PROBE_ALLOWED_NETWORKS: {_network!r} is not an address or network"
        ) from None
# A channel state nobody has confirmed for this long is shown as stale.
CONTACT_STATUS_STALE_MINUTES = env_int("CONTACT_STATUS_STALE_MINUTES", 120)
# An agent's "I am reachable" expires after this many hours unless renewed.
CONTACT_REACHABLE_HOURS = env_int("CONTACT_REACHABLE_HOURS", 12)
# The longest crisis message the phone robot can read out (characters).
ROBOT_MESSAGE_MAX_LENGTH = env_int("ROBOT_MESSAGE_MAX_LENGTH", 1000)

# --- Bounds on the work one request can cause (issue 24, item 11) ---
# A reporter's first N reports within the window start their escalation at once;
# further reports are saved but held until the systemkoordinator releases them.
REPORT_ESCALATIONS_PER_REPORTER = env_int("REPORT_ESCALATIONS_PER_REPORTER", 3)
REPORT_ESCALATION_WINDOW_MINUTES = env_int("REPORT_ESCALATION_WINDOW_MINUTES", 10)

# The hændelseslog's PDF export is built inside the request: at most this many
# incidents, each text cut at this many characters, so the largest allowed PDF finishes
# well inside gunicorn's 30 s (tests/bench/bench_export_pdf.py). Larger selections are
# refused with a message to narrow the filters; the CSV export streams and has no cap.
INCIDENT_PDF_EXPORT_MAX = env_int("INCIDENT_PDF_EXPORT_MAX", 250)
INCIDENT_PDF_TEXT_MAX_CHARS = env_int("INCIDENT_PDF_TEXT_MAX_CHARS", 400)
# The Datatilsynet draft's controller block (issue 17): the municipality as data
# controller, its contact person and its DPO, and where the notification is filed.
CONTROLLER_NAME = env_str("CONTROLLER_NAME", "Aabenraa Kommune")
CONTROLLER_CVR = env_str("CONTROLLER_CVR")
CONTROLLER_ADDRESS = env_str("CONTROLLER_ADDRESS")
CONTROLLER_CONTACT = env_str("CONTROLLER_CONTACT")
CONTROLLER_DPO = env_str("CONTROLLER_DPO")
DATATILSYNET_FORM_URL = env_str(
    "DATATILSYNET_FORM_URL", "https://www.datatilsynet.dk/sikkerhedsbrud/anmeld-sikkerhedsbrud"
)
# An incident keeps its personal data this many years after it was closed; then the
# daily retention job purges it and keeps the statistics (incidents/retention.py).
INCIDENT_RETENTION_YEARS = env_int("INCIDENT_RETENTION_YEARS", 5)
# At most this many people on one incident's letter list (art. 34 letters, one PDF).
LETTERS_MAX_RECIPIENTS = env_int("LETTERS_MAX_RECIPIENTS", 2000)
# One letters PDF holds at most this many letters (built inside the request, like the
# log's PDF); a longer list is offered as several PDFs.
LETTERS_PER_PDF = env_int("LETTERS_PER_PDF", 200)
for _name in (
    "LETTERS_PER_PDF",
    "LETTERS_MAX_RECIPIENTS",
    "INCIDENT_RETENTION_YEARS",
    "REPORT_ESCALATIONS_PER_REPORTER",
    "REPORT_ESCALATION_WINDOW_MINUTES",
    "INCIDENT_PDF_EXPORT_MAX",
    "INCIDENT_PDF_TEXT_MAX_CHARS",
    "UPLOAD_MAX_FILE_BYTES",
    "UPLOAD_MAX_REQUEST_BYTES",
):
    if globals()[_name] < 1:
        raise ConfigError(f"{_name} must be at least 1")

# --- Celery: Redis when REDIS_URL is set (no silent fallback), else the filesystem ---
REDIS_URL = env_str("REDIS_URL")
# Prefix of the portal's own Redis keys (the shared SMS pacing bucket); tests and
# benchmarks use their own so they never share a bucket with a running portal.
REDIS_KEY_PREFIX = env_str("REDIS_KEY_PREFIX", "beredskab:")
CELERY_DATA_DIR = VAR_DIR / "celery"
# Seconds a publish (after a report's commit) or /healthz may wait on Redis.
BROKER_TIMEOUT_SECONDS = env_float("BROKER_TIMEOUT_SECONDS", 1.0)
REDIS_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    # Bounded waits: a dead, hung (SIGSTOP) or half-open Redis makes a publish
    # fail within about a second, never hang a report. Workers read with a longer
    # timeout of their own (beredskab/worker.py: BRPOP polls every second).
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_timeout": BROKER_TIMEOUT_SECONDS,
    # Publishing makes ONE connection attempt: kombu would otherwise sleep 2 s and
    # try again, so a hand-over with Redis down would hold a request for 2-4 s.
    "max_retries": 0,
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = dict(REDIS_TRANSPORT_OPTIONS)
else:
    # The transport ignores the host; naming one keeps kombu from warning that none was
    # supplied every time a worker or beat connects.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
# Unit tests run tasks in-process; tests with a real worker switch this off themselves.
CELERY_TASK_ALWAYS_EAGER = TESTING
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Logging: to stdout, no personal data, a refusal in one line (settings_logging.py) ---
from beredskab.settings_logging import LOGGING  # noqa: E402, F401

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
