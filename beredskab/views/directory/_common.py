"""Small helpers the directory's views share."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PER_PAGE = 100


def form_data(request: HttpRequest):
    """The POSTed data, or None on GET so the form is unbound."""
    return request.POST if request.method == "POST" else None


def render_form(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render a form page: 200 when showing it, 400 when it came back with errors."""
    bound = any(getattr(value, "is_bound", False) for value in context.values())
    return render(request, template, context, status=400 if bound else 200)


def paginate(request: HttpRequest, queryset) -> Page:
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
