"""The provider's own pages: a login by username (no password: a test provider) and
the control endpoint the tests use."""

import json

from django.contrib.auth import get_user_model, login
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_application_model

from tests.oidc_provider import state as control


@csrf_exempt
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        if username not in control.load()["users"]:
            return render(request, "login.html", {"next": next_url, "error": True}, status=400)
        user, _ = get_user_model().objects.get_or_create(username=username)
        login(request, user)
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = "/"
        return redirect(next_url)
    return render(request, "login.html", {"next": next_url})


@csrf_exempt
def control_view(request):
    """GET: the state. POST (JSON): users, misbehave, redirect_uris, or reset."""
    state = control.load()
    if request.method == "GET":
        return JsonResponse(state)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponseBadRequest("not json")
    if body.get("reset"):
        state = {**control.DEFAULT, "nonces": [], "authorize": []}
    if "users" in body:
        state["users"].update(body["users"])
    if "misbehave" in body:
        state["misbehave"] = body["misbehave"] or ""
    if "redirect_uris" in body:
        app = get_application_model().objects.get(client_id=body["client_id"])
        uris = set(app.redirect_uris.split()) | set(body["redirect_uris"])
        app.redirect_uris = " ".join(sorted(uris))
        app.save(update_fields=["redirect_uris"])
    control.save(state)
    return JsonResponse(state)


def record_authorize(view):
    """Keep what each authorisation request asked for (nonce, PKCE, claims), so a
    test can see what the portal sent."""

    def wrapper(request, *args, **kwargs):
        if request.method == "GET" and "client_id" in request.GET:
            state = control.load()
            state["authorize"].append(dict(request.GET.items()))
            control.save(state)
        return view(request, *args, **kwargs)

    return wrapper


def healthz(request):
    return HttpResponse("ok")
