"""Rules pages (being written)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def rule_list(request):
    return render(request, "home.html", {})
