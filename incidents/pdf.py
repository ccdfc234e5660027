"""PDFs from the portal's own templates. WeasyPrint is imported here and only here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def pdf_response(request: HttpRequest, template: str, context: dict, filename: str) -> HttpResponse:
    import weasyprint  # heavy (Pango, fonts): loaded only when a PDF is made

    html = render_to_string(template, context, request=request)
    # No base_url: the print templates carry their CSS inline and fetch nothing.
    document = weasyprint.HTML(string=html).write_pdf()
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
