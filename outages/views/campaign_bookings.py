"""Loading a campaign's bookings: upload the export or paste numbers, map the columns,
see the preview with the rejected rows. Nothing is sent from here."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beredskab.importer import ImportFailed
from outages import access
from outages.forms.campaign import (
    FlagsForm,
    MappingForm,
    PasteForm,
    UploadForm,
)
from outages.models import CampaignError, CampaignStatus, CampaignUpload
from outages.services import campaign_import as importer
from outages.services import campaigns as service
from outages.views.campaigns import redirect_to_step

POLL_SECONDS = 5
POLL_FOR = timedelta(days=1)
S = CampaignStatus

# --- Bookings: upload or paste, map the columns, preview ---


def _import_page(request, item, upload_form, paste_form, status: int) -> HttpResponse:
    return render(
        request,
        "outages/campaign_import.html",
        {"campaign": item, "upload_form": upload_form, "paste_form": paste_form},
        status=status,
    )


def _not_editable(request, item) -> HttpResponse:
    messages.error(request, _("The bookings cannot be changed once the campaign is confirmed."))
    return redirect_to_step(item)


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_import(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    if not item.is_editable:
        return _not_editable(request, item)
    if request.method == "GET":
        return _import_page(request, item, UploadForm(), PasteForm(), 200)
    if "numbers" in request.POST:
        paste_form = PasteForm(request.POST)
        if paste_form.is_valid():
            try:
                preview = importer.parse_pasted(paste_form.cleaned_data["numbers"], item)
                importer.store_preview(item, preview, actor=request.user)
            except ImportFailed as exc:
                paste_form.add_error("numbers", str(exc))
            except CampaignError:
                return _not_editable(request, item)
            else:
                return redirect_to_step(item, "outages:campaign_preview")
        return _import_page(request, item, UploadForm(), paste_form, 400)
    upload_form = UploadForm(request.POST, request.FILES)
    if upload_form.is_valid():
        try:
            preview = importer.load_file(
                item, upload_form.cleaned_data["file"].read(), actor=request.user
            )
        except ImportFailed as exc:
            upload_form.add_error("file", str(exc))
        except CampaignError:
            return _not_editable(request, item)
        else:
            if "mobile" not in preview.mapping:
                messages.info(request, _("Say which column holds what. It is remembered."))
                return redirect_to_step(item, "outages:campaign_mapping")
            return redirect_to_step(item, "outages:campaign_preview")
    return _import_page(request, item, upload_form, PasteForm(), 400)


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk, write=True)
    if not item.is_editable:
        return _not_editable(request, item)
    upload = CampaignUpload.objects.filter(campaign=item).first()
    if upload is None:
        messages.info(request, _("Upload the booking system's export first."))
        return redirect_to_step(item, "outages:campaign_import")
    header = list(upload.header)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        header=header,
        initial_mapping=importer.known_mapping(header),
    )
    if request.method == "POST" and form.is_valid():
        try:
            importer.apply_mapping(item, form.mapping(), actor=request.user)
        except ImportFailed as exc:
            form.add_error(None, str(exc))
        except CampaignError:
            return _not_editable(request, item)
        else:
            return redirect_to_step(item, "outages:campaign_preview")
    status = 400 if form.errors else 200
    return render(
        request,
        "outages/campaign_mapping.html",
        {"campaign": item, "form": form, "header": header},
        status=status,
    )


def _preview_page(request, item, flags_form=None, status: int = 200) -> HttpResponse:
    summary = item.import_summary or {}
    who = summary.get("rejected_who", {})
    rejected = [
        {"row": number, "reason": importer.REASONS.get(code, code), "who": who.get(str(number))}
        for number, code in summary.get("rejected", [])
    ]
    by_reason: dict[str, int] = {}
    for _number, code in summary.get("rejected", []):
        by_reason[code] = by_reason.get(code, 0) + 1
    flags = list(item.flags.all())
    if flags_form is None:
        flags_form = FlagsForm(flags=[f for f in flags if not f.decision])
    inputs = {name: flags_form[name] for name in flags_form.fields}
    return render(
        request,
        "outages/campaign_preview.html",
        {
            "campaign": item,
            "summary": summary,
            "rejected": rejected,
            "by_reason": [
                (importer.REASONS.get(code, code), count)
                for code, count in sorted(by_reason.items(), key=lambda kv: -kv[1])
            ],
            "flags": [
                {
                    "flag": f,
                    "why": service.reasons_text(f.reasons),
                    "label": importer.FIELD_LABELS.get(f.field, f.field),
                    "input": inputs.get(f"flag-{f.pk}"),
                }
                for f in flags
            ],
            "flags_form": flags_form,
            "has_upload": CampaignUpload.objects.filter(campaign=item).exists(),
            "max_recipients": settings.CAMPAIGN_MAX_RECIPIENTS,
        },
        status=status,
    )


@never_cache
@require_GET
def campaign_preview(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_campaign_for(request.user, pk)
    return _preview_page(request, item)


@never_cache
@require_POST
def campaign_flags(request: HttpRequest, pk: int) -> HttpResponse:
    """The sender confirms a flagged imported value, or excludes its row."""
    item = access.get_campaign_for(request.user, pk, write=True)
    if not item.is_editable:
        return _not_editable(request, item)
    form = FlagsForm(request.POST, flags=service.open_flags(item))
    if not form.is_valid():
        return _preview_page(request, item, form, status=400)
    decisions = form.decisions()
    if not decisions:
        messages.info(request, _("Nothing was decided."))
        return redirect_to_step(item, "outages:campaign_preview")
    try:
        service.decide_flags(item, decisions, actor=request.user)
    except CampaignError:
        return _not_editable(request, item)
    left = service.open_flags(item).count()
    if left:
        messages.info(request, _("Saved. Some flagged values are still to be checked."))
    else:
        messages.success(request, _("Saved. Every flagged value is checked."))
    return redirect_to_step(item, "outages:campaign_preview")
