"""The hændelseslog: filters and sorting by GET, free-text search by POST, paginated."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from beredskab.access import can
from incidents import access
from incidents.forms.log import LogFilterForm, SearchForm
from incidents.presenters import column_labels, filter_widgets, log_rows, rows_html

PAGE_SIZE = 50


def filtered_log(request: HttpRequest):
    """(filter form, search form, queryset) for the log and its exports."""
    incidents = access.log_for(request.user)
    filters = LogFilterForm(request.GET or None)
    incidents = filters.apply(incidents)
    search = SearchForm(request.POST if request.method == "POST" else None)
    if search.is_bound and search.is_valid():
        incidents = search.apply(incidents)
    return filters, search, incidents


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def log(request: HttpRequest) -> HttpResponse:
    filters, search, incidents = filtered_log(request)
    source = request.POST if request.method == "POST" else request.GET
    page = Paginator(incidents.for_log(), PAGE_SIZE).get_page(source.get("page"))
    now = timezone.now()
    rows = log_rows(page.object_list, now)
    columns = column_labels()
    query = request.GET.copy()
    query.pop("page", None)
    bad = (filters.is_bound and not filters.is_valid()) or (
        search.is_bound and not search.is_valid()
    )
    return render(
        request,
        "incidents/log.html#log-results" if request.htmx else "incidents/log.html",
        {
            "filters": filters,
            "filter_widgets": filter_widgets(filters),
            "search": search,
            "searching": search.is_bound and bool(search.data.get("q")),
            "page": page,
            "rows": rows,
            "columns": columns.values(),
            "rows_html": rows_html(rows, columns),
            "query": query.urlencode(),
            "can_edit_kinds": can(request.user, "manage_chains"),
        },
        status=400 if bad else 200,
    )
