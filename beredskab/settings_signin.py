"""Settings for signing in: logins, sessions, django-allauth, Entra ID, re-authentication,
the emergency mode, SCIM provisioning, the second factor and the lock-out.

Part of beredskab/settings.py (which star-imports it where this block stood); kept apart
because it is one idea and the settings file had grown past 400 lines. Read from the
environment with the same typed helpers; limits have safe defaults.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from beredskab.env import ConfigError, django_env, env_bool, env_float, env_int, env_list, env_str

# Not exported (underscore): beredskab/settings.py owns PRODUCTION.
_PRODUCTION = django_env() == "production"

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
# SCIM_DEACTIVATION_HOLD_MIN of them, is held whole (what it already did is taken back).
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
MFA_REQUIRED_FOR_PRIVILEGED = env_bool("MFA_REQUIRED_FOR_PRIVILEGED", _PRODUCTION)
MFA_ADAPTER = "beredskab.mfa_adapter.PortalMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Beredskabsportalen")
# Passkeys are a second factor after the password, never a login on their own.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
# WebAuthn over plain http: only on localhost in the demo and tests (a secure context).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not _PRODUCTION
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
