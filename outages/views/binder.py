"""The emergency binder as a PDF, for the people who act in an outage."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from outages import access, binder


@require_GET
def binder_pdf(request: HttpRequest) -> HttpResponse:
    if not access.may_download_binder(request.user):
        raise PermissionDenied
    binder.refresh()  # a no-op when nothing changed since the periodic job made it
    stamp = timezone.localtime().strftime("%Y%m%d")
    response = FileResponse(
        binder.pdf_path().open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"beredskabsmappe-{stamp}.pdf",
    )
    response["Cache-Control"] = "private, no-cache"
    return response
