"""Provider status callbacks: the URL carries the portal's own message id, signed, so
a callback finds its row without the provider's id (which the worker may not have
stored yet: the callback can race the API's answer) and without waiting.

A status only moves forward; each outcome a message reaches goes once on the record
(beredskab.notify.delivery_record).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from beredskab.models.outbox import FINAL_STATUSES, PROGRESS_RANK, OutboxMessage, Status
from beredskab.notify import delivery_record, outbox

SALT = "beredskab.notify.status-callback"
PARAM = "m"


def status_callback_url(pk: int) -> str:
    """Where the provider reports on message `pk`: BASE_URL + path + ?m=<signed pk>."""
    signed = signing.Signer(salt=SALT).sign(str(pk))
    return f"{settings.BASE_URL}{reverse('twilio_status')}?{urlencode({PARAM: signed})}"


def message_id(signed: str) -> int | None:
    """The message id in a callback URL, or None if it was not signed by this portal."""
    try:
        value = signing.Signer(salt=SALT).unsign(signed)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def apply_provider_status(
    provider_id: str,
    provider_status: str,
    error_code: str = "",
    *,
    pk: int | None = None,
    error_text: str = "",
) -> bool:
    """Move a message forward to the provider's status; a repeat or a step backwards
    is ignored. Found by the portal's id `pk` when the callback carries it (new
    URLs), else by the provider's id (callbacks for messages sent before)."""
    status = outbox.PROVIDER_STATUS.get(provider_status)
    if status is None or not (pk or provider_id):
        return False
    lookup = {"pk": pk} if pk else {"provider_id": provider_id}
    msg = OutboxMessage.objects.filter(**lookup).first()
    if msg is None:
        return False
    with delivery_record.status_change(msg) as target:
        msg = OutboxMessage.objects.select_for_update().filter(pk=msg.pk).first()
        if msg is None or not _moves(msg, status):
            return False
        now = timezone.now()
        fields = {"status": status, "updated_at": now}
        if status in FINAL_STATUSES:
            fields["finished_at"] = now
        if error_code:
            fields["error_code"] = error_code[:20]
        if msg.status in (Status.CLAIMED, Status.UNKNOWN):
            # The callback came before the worker recorded the provider's answer, or
            # for a send whose outcome was unknown: either way the provider has the
            # message. The lease token stays, so the worker can still record the id.
            fields.update(outbox.sent_body(msg.pk, msg.body))
            fields["accepted_at"] = msg.accepted_at or now
            if provider_id and not msg.provider_id:
                fields["provider_id"] = provider_id[:64]
            if msg.status == Status.UNKNOWN:
                fields.update(error="", lease_token="", lease_until=None)
        OutboxMessage.objects.filter(pk=msg.pk).update(**fields)
        delivery_record.note(target, msg, status, code=error_code, text=error_text, at=now)
    return True


def _moves(msg: OutboxMessage, status: str) -> bool:
    if msg.status == Status.CLAIMED:
        # Only once the provider has been called; before that no callback can be real.
        return msg.send_started_at is not None
    if msg.status == Status.UNKNOWN:
        return True
    return msg.status in PROGRESS_RANK and PROGRESS_RANK[status] > PROGRESS_RANK[msg.status]
