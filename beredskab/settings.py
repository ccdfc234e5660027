"""Settings for Beredskabsportalen: one file, read from the environment.

Production is the default: without DJANGO_ENV (or with DJANGO_ENV=production) it
refuses to start unless every variable production needs is set (`.env.example` lists
them all), with DEBUG off, secure cookies and the real SMS and e-mail senders. The demo
(SQLite under var/, DEBUG on, console SMS and e-mail, Celery on kombu's filesystem
transport) runs only when asked for with DJANGO_ENV=demo, as `make run`, `make test`
and the tests do.
"""

from __future__ import annotations

import ipaddress
import sys
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from beredskab.env import (
    ConfigError,
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

# Production unless the demo is asked for: a forgotten variable must never leave the
# internet-facing portal in DEBUG, sending nothing, with its ack links on /demo/sms/.
DJANGO_ENV = env_str("DJANGO_ENV", "production")
if DJANGO_ENV not in {"demo", "production"}:
    raise ConfigError(f"DJANGO_ENV must be 'demo' or 'production', not {DJANGO_ENV!r}")
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

DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY") or "demo-only-insecure-key-never-used-in-production-0123456789"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Workers build links (acknowledgement links in SMS) without a request.
BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000").rstrip("/")

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

# --- Auth ---
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with fewer queries per page (beredskab/auth_backend.py).
    "beredskab.auth_backend.PortalBackend",
    # Six-digit SMS codes, only while the emergency mode is on (beredskab/sms_login.py).
    "beredskab.sms_login.SmsCodeBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# --- Sessions (beredskab/sessions.py): end after idle time, and at the latest this long
# after the login; the cookie never outlives the absolute lifetime either.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 120)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
if SESSION_IDLE_MINUTES < 1 or SESSION_MAX_HOURS < 1:
    raise ConfigError("SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be at least 1")
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 60 * 60
# The crisis binder stays in the browser's offline copy after a session times out (a
# power cut needs it; it holds only work contacts), until this many days pass without
# a refresh from the server.
BINDER_CACHE_DAYS = env_int("BINDER_CACHE_DAYS", 30)
if BINDER_CACHE_DAYS < 1:
    raise ConfigError("BINDER_CACHE_DAYS must be at least 1")

# --- django-allauth: login, logout, password change and reset (beredskab/views/account.py) ---
# Logins are made by an admin, never by sign-up; people log in with their username.
ACCOUNT_ADAPTER = "beredskab.account_adapter.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False
ACCOUNT_FORMS = {
    "login": "beredskab.forms.account.PortalLoginForm",
    "change_password": "beredskab.forms.account.PortalChangePasswordForm",
    "reset_password": "beredskab.forms.account.PortalResetPasswordForm",
}
# Sessions keep their lifetime as before (no "remember me" box); the session settings decide.
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
# The same answer whether or not an address belongs to a login, and no mail to strangers.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The owner is told by e-mail when their password changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Counted in the cache, per client address (beredskab/client_ip.py) and per key. The login's
# own lock-out is axes (username AND address); allauth's per-username "login_failed" limit
# would let anyone lock a colleague out from outside, so it keys on the address only, and
# generously: a whole town hall may share one address.
ACCOUNT_RATE_LIMITS = {
    "login": env_str("RATE_LIMIT_LOGIN", "300/m/ip"),
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "60/m/ip"),
    "reset_password": env_str("RATE_LIMIT_PASSWORD_RESET", "20/m/ip,3/10m/key"),
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}

# --- Entra ID sign-in (README "Entra ID"; beredskab/entra.py, entra_oidc.py, entra_login.py).
# Offered only when tenant, client id and secret are all set; else the login page is as before.
ENTRA_TENANT_ID = env_str("ENTRA_TENANT_ID").strip().lower()
ENTRA_CLIENT_ID = env_str("ENTRA_CLIENT_ID").strip()
ENTRA_CLIENT_SECRET = env_str("ENTRA_CLIENT_SECRET")
# Where the tenant's /.well-known/openid-configuration lives; empty: Entra's own
# https://login.microsoftonline.com/<tenant>/v2.0 (the tests point it at a local provider).
ENTRA_AUTHORITY_URL = env_str("ENTRA_AUTHORITY_URL")
# The organisation named on the login button: "Log ind med Aabenraa Kommunes konto".
ENTRA_ORGANISATION_NAME = env_str("ENTRA_ORGANISATION_NAME", "Aabenraa Kommune")
# Proof of a second factor at Entra: the Conditional Access authentication context asked
# for (e.g. "c1") and accepted from the token's `acrs`; or the tenant's promise that
# Conditional Access enforces MFA for this application (the tenant's responsibility).
ENTRA_AUTH_CONTEXT = env_str("ENTRA_AUTH_CONTEXT").strip()
ENTRA_TENANT_ENFORCES_MFA = env_bool("ENTRA_TENANT_ENFORCES_MFA", False)
# Where roles come from for Entra logins: "scim" (provisioning; the token's roles are
# ignored) or "token" (the ID token's app roles, mapped by ENTRA_APP_ROLE_MAP).
ENTRA_ROLE_SOURCE = env_str("ENTRA_ROLE_SOURCE", "scim").strip().lower()
if ENTRA_ROLE_SOURCE not in {"scim", "token"}:
    raise ConfigError("ENTRA_ROLE_SOURCE must be scim or token")
# App role value -> portal role, as "Beredskab.Leder=leder,Beredskab.IT=it".
ENTRA_APP_ROLE_MAP = {
    _k.strip(): _v.strip()
    for _k, _sep, _v in (
        _item.partition("=")
        for _item in env_list(
            "ENTRA_APP_ROLE_MAP",
            "Beredskab.Medarbejder=medarbejder,Beredskab.Leder=leder,"
            "Beredskab.Systemkoordinator=systemkoordinator,Beredskab.IT=it,"
            "Beredskab.Frontdesk=frontdesk,Beredskab.Beredskabsgruppe=beredskabsgruppe,"
            "Beredskab.Kontaktcenter=kontaktcenter,"
            "Beredskab.Kontaktcenterleder=kontaktcenterleder",
        )
    )
    if _sep
}
SOCIALACCOUNT_ADAPTER = "beredskab.entra_login.PortalSocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # Our subclass: signature, nonce and tenant checked (beredskab/entra_oidc.py).
        "provider_class": "beredskab.entra_oidc.EntraProvider",
        "OAUTH_PKCE_ENABLED": True,
    }
}
# A sign-in never makes or connects an account: people come from provisioning or an admin.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_QUERY_EMAIL = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("ENTRA_TIMEOUT_SECONDS", 10)

# Re-authentication (beredskab/reauth.py): how long a password proof (or the login) lasts
# before a dangerous action asks for the password again.
REAUTH_WINDOW_MINUTES = env_int("REAUTH_WINDOW_MINUTES", 10)
if REAUTH_WINDOW_MINUTES < 0:
    raise ConfigError("REAUTH_WINDOW_MINUTES must be 0 or more")

# --- Emergency mode: sign-in by SMS code while Entra ID is down (beredskab/emergency.py) ---
# A break-glass admin switches it on for 1 to this many hours.
EMERGENCY_MODE_MAX_HOURS = env_int("EMERGENCY_MODE_MAX_HOURS", 72)
if not 1 <= EMERGENCY_MODE_MAX_HOURS <= 168:
    raise ConfigError("EMERGENCY_MODE_MAX_HOURS must be 1 to 168")
# A six-digit code is valid this many minutes, once, and for this many wrong tries
# (each wrong try also counts toward the login lock-out, username and address).
SMS_LOGIN_CODE_MINUTES = env_int("SMS_LOGIN_CODE_MINUTES", 10)
SMS_LOGIN_CODE_MAX_ATTEMPTS = env_int("SMS_LOGIN_CODE_MAX_ATTEMPTS", 5)
# At most this many codes per username (or mobile) and per client address within the
# window; a town hall shares one address, so that limit is wider.
SMS_LOGIN_CODE_WINDOW_MINUTES = env_int("SMS_LOGIN_CODE_WINDOW_MINUTES", 15)
SMS_LOGIN_CODE_MAX_PER_USER = env_int("SMS_LOGIN_CODE_MAX_PER_USER", 3)
SMS_LOGIN_CODE_MAX_PER_ADDRESS = env_int("SMS_LOGIN_CODE_MAX_PER_ADDRESS", 30)
if (
    min(
        SMS_LOGIN_CODE_MINUTES,
        SMS_LOGIN_CODE_MAX_ATTEMPTS,
        SMS_LOGIN_CODE_WINDOW_MINUTES,
        SMS_LOGIN_CODE_MAX_PER_USER,
        SMS_LOGIN_CODE_MAX_PER_ADDRESS,
    )
    < 1
):
    raise ConfigError("The SMS_LOGIN_CODE_* settings must be at least 1")

# SCIM provisioning from Entra ID (beredskab/scim, issue 22).
SCIM_TOKEN_DAYS = env_int("SCIM_TOKEN_DAYS", 365)  # a token stops working after this
# One provisioning cycle: the deactivations asked for within this window are one batch
# (Entra ID runs a cycle about every 40 minutes).
SCIM_BATCH_WINDOW_MINUTES = env_int("SCIM_BATCH_WINDOW_MINUTES", 40)
# A batch deactivating more than this share of the active people, and more than
# SCIM_DEACTIVATION_HOLD_MIN of them, waits for an admin from the one past the limit on.
SCIM_DEACTIVATION_HOLD_SHARE = env_float("SCIM_DEACTIVATION_HOLD_SHARE", 0.10)
SCIM_DEACTIVATION_HOLD_MIN = env_int("SCIM_DEACTIVATION_HOLD_MIN", 5)
SCIM_MAX_RESULTS = env_int("SCIM_MAX_RESULTS", 200)  # per page of a list or search
SCIM_MAX_BODY_BYTES = env_int("SCIM_MAX_BODY_BYTES", 256 * 1024)
if not 0 <= SCIM_DEACTIVATION_HOLD_SHARE <= 1 or SCIM_DEACTIVATION_HOLD_MIN < 0:
    raise ConfigError("SCIM_DEACTIVATION_HOLD_SHARE must be 0..1, SCIM_DEACTIVATION_HOLD_MIN 0+")

# --- The second factor (beredskab/mfa_policy.py, beredskab/views/mfa.py) ---
# A privileged login (beredskab.authority) without proof of MFA from Entra ID must have
# a factor of the portal's own; on by default in production. The demo leaves it off so
# `make run` needs no authenticator app (set MFA_REQUIRED_FOR_PRIVILEGED=1 to try it).
MFA_REQUIRED_FOR_PRIVILEGED = env_bool("MFA_REQUIRED_FOR_PRIVILEGED", PRODUCTION)
MFA_ADAPTER = "beredskab.mfa_adapter.PortalMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Beredskabsportalen")
# Passkeys are a second factor after the password, never a login on their own.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
# WebAuthn over plain http: only on localhost in the demo and tests (a secure context).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
# The portal's own re-authentication (beredskab/reauth.py) guards the factor pages.
MFA_REAUTHENTICATION_REQUIRED = False
MFA_TRUST_ENABLED = False
# Logins are made by an admin and the e-mail is not verified by link (ACCOUNT_EMAIL_VERIFICATION).
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_FORMS = {
    "authenticate": "beredskab.mfa_forms.AuthenticateForm",
    "reauthenticate": "beredskab.mfa_forms.ReauthenticateForm",
    "authenticate_webauthn": "beredskab.mfa_forms.AuthenticateWebAuthnForm",
}
# The one-time SMS code that opens the FIRST enrolment: valid this many minutes, this
# many sent per person per hour, this many wrong tries per code.
MFA_ENROL_CODE_MINUTES = env_int("MFA_ENROL_CODE_MINUTES", 10)
MFA_ENROL_CODES_PER_HOUR = env_int("MFA_ENROL_CODES_PER_HOUR", 3)
MFA_ENROL_CODE_TRIES = 5
if MFA_ENROL_CODE_MINUTES < 1 or MFA_ENROL_CODES_PER_HOUR < 1:
    raise ConfigError("MFA_ENROL_CODE_MINUTES and MFA_ENROL_CODES_PER_HOUR must be at least 1")
# "Min konto" lists this many recent logins.
ACCOUNT_RECENT_LOGINS = 10

# Lock-out keyed on username AND address together, so nobody can lock the DPO out
# from elsewhere in a crisis by guessing at their username.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The username half: allauth's login form calls it "login", authenticate() "username".
AXES_USERNAME_CALLABLE = "beredskab.lockout.axes_username"
# The address half of the key (beredskab/client_ip.py): X-Forwarded-For is believed only
# from our own reverse proxies (addresses or CIDR ranges; empty: none, REMOTE_ADDR is the
# client), and the client is the last hop before them, read from the right.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ConfigError(f"TRUSTED_PROXIES: {_proxy!r} is not an address or CIDR range") from _exc
AXES_CLIENT_IP_CALLABLE = "beredskab.client_ip.client_ip"

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
    "console": "django.core.mail.backends.console.EmailBackend",
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
for _name in (
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
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        # Bounded waits: a dead or half-open Redis makes a publish fail, never hang.
        # (BRPOP polls every second, well inside the socket timeout.)
        "socket_connect_timeout": 1,
        "socket_timeout": 10,
        # Publishing makes ONE connection attempt: kombu would otherwise sleep 2 s and
        # try again, so a hand-over with Redis down would hold a request for 2-4 s.
        "max_retries": 0,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
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

# --- Logging: to stdout, no personal data in messages ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Ack links (/a/<token>/) are masked in every line ("Gone: /a/<token>/" from
    # django.request, runserver's request lines): beredskab/logmask.py.
    "filters": {"mask_ack_tokens": {"()": "beredskab.logmask.MaskAckTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_ack_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Django's default handlers for these would log the path unmasked: none of
        # their own, so their lines reach the root's (masking) handler.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
