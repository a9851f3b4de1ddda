"""Office pages: the rules in force on a date, and an organization's own values of configurable rules."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_http_methods

from dangbo.lib.dates import format_date
from dangbo.lib.forms import run_action
from dangbo.lib.vntext import search_key
from dangbo.organizations import access
from dangbo.rules import actions, values
from dangbo.rules.catalog import DOMAIN_LABELS, DOMAINS
from dangbo.rules.forms import FilterForm, OverrideForm
from dangbo.rules.models import Rule, RuleOverride, in_force_q

# Fields an override's history shows as "old → new".
_TRACKED = [
    ("value", gettext_lazy("giá trị")), ("valid_from", gettext_lazy("từ ngày")),
    ("valid_to", gettext_lazy("đến ngày")), ("reason", gettext_lazy("căn cứ")),
]
_ACTIONS = {"+": gettext_lazy("Thêm"), "~": gettext_lazy("Sửa"), "-": gettext_lazy("Xóa")}


def _require_manager(user):
    """Rules are the office's business: to anyone without MANAGE somewhere the pages do not exist."""
    if not access.visible_organizations(user, access.MANAGE).exists():
        raise Http404("Không tìm thấy.")


def _matches(rule, phrase):
    """Whether the accent-free ``phrase`` occurs in the rule's key, title, domain or source."""
    if not phrase:
        return True
    fields = [rule.key, rule.title, str(DOMAIN_LABELS.get(rule.domain, "")), rule.source_document,
              rule.source_section, rule.domain_ref, rule.note]
    return any(phrase in search_key(field) for field in fields)


@login_required
def rule_list(request):
    """Every rule in force on a date (today unless asked), grouped by domain, with its source."""
    _require_manager(request.user)
    form = FilterForm(request.GET or None)
    on, phrase, every_version = timezone.localdate(), "", False
    if form.is_valid():
        on = form.cleaned_data["on"] or on
        phrase = search_key(form.cleaned_data["q"])
        every_version = form.cleaned_data["all"]
    rules = Rule.objects.all() if every_version else Rule.objects.in_force(on)
    rows = [r for r in rules.order_by("key", "valid_from") if _matches(r, phrase)]
    overrides = (
        RuleOverride.objects.filter(in_force_q(on)).filter(access.scope_q(request.user, capability=access.MANAGE))
        .select_related("organization").order_by("organization__path")
    )
    return render(request, "rules/list.html", {
        "form": form, "on": on, "every_version": every_version, "count": len(rows),
        "groups": _grouped(rows, overrides),
    })


def _grouped(rows, overrides):
    """[(domain label, rules)] in the catalog's order; each rule carries its display and overrides."""
    by_key = {}
    for o in overrides:
        by_key.setdefault(o.key, []).append(o)
    groups = {}
    for r in rows:
        r.display = values.display(r.value, r.unit, r.choices)
        r.overrides = by_key.get(r.key, []) if r.configurable else []
        for o in r.overrides:
            o.display = values.display(o.value, r.unit, r.choices)
        groups.setdefault(r.domain, []).append(r)
    order = [d for d, _label in DOMAINS if d in groups] + sorted(d for d in groups if d not in DOMAIN_LABELS)
    return [(DOMAIN_LABELS.get(d, d), groups[d]) for d in order]


def _history_rows(key, user, rule):
    """Changes to the overrides of ``key`` in the user's scope, newest first, as old → new."""
    records = (
        RuleOverride.history.filter(key=key).filter(access.scope_q(user, capability=access.MANAGE))
        .select_related("history_user", "organization").order_by("id", "history_date", "history_id")
    )
    rows, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        changes = []
        for name, label in _TRACKED:
            new = getattr(record, name)
            old = getattr(before, name) if before else None
            if before is None and new in (None, ""):
                continue
            if before is None or old != new:
                changes.append({
                    "label": label, "old": _show(old, name, rule) if before else "", "new": _show(new, name, rule),
                })
        rows.append({"record": record, "action": _ACTIONS.get(record.history_type, ""), "changes": changes})
        previous[record.id] = record
    rows.sort(key=lambda row: row["record"].history_date, reverse=True)
    return rows


def _show(value, name, rule):
    if value is None:
        return "—"
    if name == "value":
        return values.display(value, rule.unit, rule.choices)
    if name in ("valid_from", "valid_to"):
        return format_date(value)
    return str(value)


@login_required
@require_http_methods(["GET", "POST"])
def override(request, key):
    """An organization's own value of a configurable rule (CFG in DOMAIN.md), with its history."""
    chosen = None
    if request.GET.get("org"):
        chosen = access.access_organization(request.user, request.GET["org"], capability=access.MANAGE)
    else:
        _require_manager(request.user)
    today = timezone.localdate()
    versions, current = _versions(key, today)
    organizations = access.visible_organizations(request.user, access.MANAGE).committees().active()
    form = OverrideForm(request.POST or None, rule=current, organizations=organizations,
                        initial={"organization": chosen, "valid_from": today})
    if request.method == "POST" and form.is_valid():
        if run_action(form, actions.set_override, key=key, by=request.user, **form.cleaned_data):
            messages.success(request, _("Đã lưu điều chỉnh “%(title)s” cho %(org)s.")
                             % {"title": current.title, "org": form.cleaned_data["organization"].name})
            query = f"?{urlencode({'org': chosen.pk})}" if chosen else ""
            return redirect(reverse("rules:override", args=[key]) + query)
    return render(request, "rules/override.html", {
        "key": key, "rule": current, "versions": versions, "form": form,
        "configurable": any(v.configurable for v in versions),
        "overrides": _overrides(key, request.user, current), "history": _history_rows(key, request.user, current),
    })


def _versions(key, on):
    """Every version of ``key`` (404 if none) and the one in force on ``on`` (else the latest)."""
    versions = list(Rule.objects.filter(key=key).order_by("valid_from"))
    if not versions:
        raise Http404("Không tìm thấy.")
    for v in versions:
        v.display = values.display(v.value, v.unit, v.choices)
    current = next((v for v in versions if v.valid_from <= on and (v.valid_to is None or on <= v.valid_to)),
                   versions[-1])
    return versions, current


def _overrides(key, user, rule):
    """The overrides of ``key`` on organizations the user manages."""
    overrides = list(
        RuleOverride.objects.filter(key=key).filter(access.scope_q(user, capability=access.MANAGE))
        .select_related("organization").order_by("organization__path", "valid_from")
    )
    for o in overrides:
        o.display = values.display(o.value, rule.unit, rule.choices)
    return overrides
