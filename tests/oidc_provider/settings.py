"""Settings of the test OpenID provider (see __init__.py). Everything lives in
OIDC_PROVIDER_DIR (a temporary directory): the SQLite database, the RSA key, the
control state."""

import os
from pathlib import Path

STATE_DIR = Path(os.environ["OIDC_PROVIDER_DIR"])
SECRET_KEY = "test-oidc-provider-not-secret"  # noqa: S105 - a throwaway test process
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.oidc_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": STATE_DIR / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"
# Another cookie name than the portal's: both run on 127.0.0.1 in the browser tests.
SESSION_COOKIE_NAME = "provider_sessionid"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (
        (STATE_DIR / "key.pem").read_text() if (STATE_DIR / "key.pem").exists() else ""
    ),
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.EntraShapedValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Profile"},
    "PKCE_REQUIRED": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "ID_TOKEN_EXPIRE_SECONDS": 300,
}
