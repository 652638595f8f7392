from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import access

from .filters import AuditFilter
from .models import AuditEntry

ENTRIES_PER_PAGE = 50


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Phòng Kinh tế's view of every change: who, what, when, from which address."""
    access.require(access.may_read_audit_log(request.user))
    entries = AuditEntry.objects.select_related("actor", "unit", "report_event").prefetch_related(
        "report_event__changes"
    )
    filters = AuditFilter(request.GET or None, queryset=entries)
    page = Paginator(filters.qs, ENTRIES_PER_PAGE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "audit/log.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )
