"""Pages that belong to no single capability: the home page and the health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from dangbo.organizations import access


@login_required
def home(request):
    """What the logged-in person may do, by the roles they hold."""
    grants = sorted(access.grants(request.user), key=lambda g: g.organization.path)
    return render(request, "home.html", {
        "grants": grants,
        "roots": access.roots(request.user),
        "can_manage": any(g.can_manage for g in grants) or request.user.is_superuser,
    })


@never_cache
def healthz(request):
    """200 'ok' after a database round-trip, 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
