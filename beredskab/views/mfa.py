"""The second factor's pages: allauth.mfa's views behind the portal's own rules.

- Every page that binds, changes or removes a factor asks for re-authentication first
  (beredskab.reauth, which asks for the factor too once the person has one).
- The FIRST factor can be bound only after the one-time SMS code (beredskab.enrolment).
- The login's code page answers a wrong code with 400, and is open to the half-logged-in
  (LoginRequiredMiddleware would otherwise send them back to the login).
"""

from __future__ import annotations

from functools import wraps

from allauth.mfa.base import views as base_views
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from beredskab import enrolment
from beredskab.access import person_of
from beredskab.mfa_policy import has_factor, requires_second_factor
from beredskab.reauth import reauth_required


def enrolment_gate(view):
    """Binding a first factor needs the SMS code typed back in this session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not enrolment.may_enrol(request):
            return redirect("mfa_enrol")
        return view(request, *args, **kwargs)

    return wrapper


def guarded(view):
    """Re-authentication first (outside the window), then the view."""
    return never_cache(reauth_required(view))


def guarded_add(view):
    return never_cache(reauth_required(enrolment_gate(view)))


class AuthenticateView(base_views.AuthenticateView):
    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


authenticate = login_not_required(AuthenticateView.as_view())


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the SMS"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Start here: why a second factor, the SMS code, then on to allauth.mfa's pages."""
    if enrolment.may_enrol(request):
        return redirect("mfa_index")
    person = person_of(request.user)
    form = CodeForm()
    status = 200
    if request.method == "POST" and request.POST.get("action") == "send":
        try:
            enrolment.send_code(request.user)
        except enrolment.CodeRefused as refused:
            messages.error(request, str(refused))
            status = 429 if person and person.mobile else 400
        else:
            messages.success(request, _("A code is on its way to your mobile."))
            return redirect("mfa_enrol")
    elif request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                enrolment.check_code(request, form.cleaned_data["code"])
            except enrolment.CodeRefused as refused:
                form.add_error("code", str(refused))
            else:
                messages.success(request, _("Thank you. Now choose your second factor."))
                return redirect("mfa_index")
        status = 400
    return render(
        request,
        "mfa/enrol.html",
        {
            "form": form,
            "mobile_hint": _mobile_hint(person),
            "required": requires_second_factor(request.user, request),
            "has_factor": has_factor(request.user),
        },
        status=status,
    )


def _mobile_hint(person) -> str:
    # Only the last digits: enough to recognise one's own number on a shared screen.
    if person is None or not person.mobile:
        return ""
    number = str(person.mobile)
    return "•" * max(0, len(number) - 3) + number[-3:]
