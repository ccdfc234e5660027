"""Recording completions: the platform's CSV export, or a leader's tick with a note."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from beredskab.importer import ImportFailed
from training import access
from training.forms import ImportForm, RecordForm
from training.services.completions import ImportRejected, import_completions, record_completion


@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    access.require_import(request.user)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_completions(form.cleaned_data["file"].read(), actor=request.user)
        except ImportFailed as exc:
            form.add_error("file", str(exc))
        except ImportRejected as exc:
            row_errors = exc.errors
            form.add_error(
                "file",
                ngettext(
                    "%(count)s row could not be used; nothing was imported. Fix it and try again.",
                    "%(count)s rows could not be used; nothing was imported. "
                    "Fix them and try again.",
                    len(exc.errors),
                )
                % {"count": len(exc.errors)},
            )
        else:
            messages.success(
                request,
                _("%(rows)s rows read: %(recorded)s completions recorded, %(known)s already known.")
                % {"rows": result.rows, "recorded": result.recorded, "known": result.already_known},
            )
            return redirect("training:compliance")
    return render(
        request,
        "training/import.html",
        {"form": form, "row_errors": row_errors},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.get_assignment_for(request.user, pk, write=True)
    form = RecordForm(request.POST if request.method == "POST" else None)
    if assignment.is_done:
        form = None
    elif request.method == "POST" and form.is_valid():
        record_completion(
            assignment,
            completed_on=form.cleaned_data["completed_on"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        messages.success(
            request,
            _("%(course)s is recorded as completed by %(person)s.")
            % {"course": assignment.course.title, "person": assignment.person.name},
        )
        return redirect("training:compliance")
    return render(
        request,
        "training/record.html",
        {"assignment": assignment, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
