"""Logging settings: to stdout, no personal data in messages.

Part of beredskab/settings.py (which imports LOGGING where this block stood); kept apart
because the settings file had grown past 400 lines.
"""

from __future__ import annotations

from beredskab.env import env_str

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Ack links (/a/<token>/) are masked in every line ("Gone: /a/<token>/" from
    # django.request, runserver's request lines): beredskab/logmask.py.
    # A 403 or 404 is one line without a traceback; a 500 keeps its traceback; the
    # development server's request line is dropped when django.request logged it.
    "filters": {
        "mask_ack_tokens": {"()": "beredskab.logmask.MaskAckTokens"},
        "one_line_refusals": {"()": "beredskab.logmask.OneLineRefusals"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_ack_tokens", "one_line_refusals"],
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
