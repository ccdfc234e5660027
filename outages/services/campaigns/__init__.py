"""Booking cancellation by mass SMS: the campaign's life, one function per step.

    campaign = start(user, period_start=..., period_end=..., place=..., reason=...)
    # bookings: outages.services.campaign_import (load_file / apply_mapping / parse_pasted)
    message = compose(campaign, template="Din tid {tider} ...", rebook="...", actor=user)
    outcome = confirm(campaign, message.pk, actor=user)  # "sending" or "awaiting_approval"
    approve(campaign, message.pk, actor=other_user)      # when CAMPAIGN_REQUIRE_APPROVAL
    progress(message)                                    # counts, rate, expected finish
    failed_recipients(message)                           # for the door guard to call
    retry_failed(campaign, message.pk, round_=1, actor=user)
    follow_up = compose(campaign, template="Vi har åbent igen ...", actor=user)
    cancel(campaign, actor=user); close(campaign, actor=user)
    purge_due(now)                                       # the daily retention job

Every SMS goes through the outbox in the group `campaign:<id>` (Campaign.group_key)
with the idempotency key `campaign:<id>:m<message id>:r<recipient id>` (and
`:retry<n>` for the n-th retry), written in the same transaction that moves the
campaign, under select_for_update of the campaign: a double click, a second tab, a
reload or a retried request finds the message already confirmed (AlreadyDone) and
sends nothing more. Timeline events carry counts, never citizens' names or numbers.

Placeholders in a message (documented on the compose page): {tider} the citizen's
booked times, {sted} the location, {ydelse} the service, {genbook} how to book again.
"""

from outages.services.campaigns.base import AlreadyDone
from outages.services.campaigns.compose import (
    DEFAULT_FOLLOW_UP,
    DEFAULT_TEMPLATE,
    PLACEHOLDERS,
    Measure,
    compose,
    distinct_texts,
    has_web_address,
    measure,
    render,
    unknown_placeholders,
)
from outages.services.campaigns.content import (
    FLAG_REASONS,
    FlagsOpen,
    decide_flags,
    open_flags,
    reasons_text,
)
from outages.services.campaigns.limits import Limits, NumbersRefused, OverCap, limits
from outages.services.campaigns.progress import (
    BUCKETS,
    ERROR_TEXTS,
    FAILED,
    FailedSend,
    Progress,
    failed_recipients,
    message_rows,
    progress,
    reason_text,
)
from outages.services.campaigns.retention import ended_at, purge, purge_due
from outages.services.campaigns.sending import (
    approve,
    cancel,
    close,
    confirm,
    exercise_numbers,
    retry_failed,
    sms_count,
    start,
)

__all__ = [
    "BUCKETS",
    "DEFAULT_FOLLOW_UP",
    "DEFAULT_TEMPLATE",
    "ERROR_TEXTS",
    "FAILED",
    "FLAG_REASONS",
    "FlagsOpen",
    "Limits",
    "NumbersRefused",
    "OverCap",
    "PLACEHOLDERS",
    "AlreadyDone",
    "FailedSend",
    "Measure",
    "Progress",
    "approve",
    "cancel",
    "close",
    "compose",
    "confirm",
    "decide_flags",
    "distinct_texts",
    "ended_at",
    "exercise_numbers",
    "failed_recipients",
    "has_web_address",
    "limits",
    "measure",
    "message_rows",
    "open_flags",
    "progress",
    "purge",
    "purge_due",
    "reason_text",
    "reasons_text",
    "render",
    "retry_failed",
    "sms_count",
    "start",
    "unknown_placeholders",
]
