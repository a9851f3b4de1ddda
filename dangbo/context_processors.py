"""Navigation shown to each user according to the roles they hold."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from dangbo.organizations import access



def _follows_cells(user):
    """A committee member assigned to attend cells' meetings (KH 82 model).

    Only leaders can be assigned, so other people cost no query.
    """
    from django.db.models import Q
    from django.utils import timezone

    from dangbo.accounts.models import Role
    from dangbo.meetings.models import VisitAssignment

    leader_roles = {Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.COMMITTEE_MEMBER}
    if not any(g.role in leader_roles for g in access.grants(user)):
        return False

    today = timezone.localdate()
    return VisitAssignment.objects.filter(leader=user, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)).exists()


# (label, url name, capability needed somewhere in the user's scope, or a test of the user)
# Each capability app adds its entry here; the order is the menu's order.
NAV = [
    (lambda: _("Trang chủ"), "home", access.READ),
    (lambda: _("Tổ chức đảng"), "organizations:tree", access.READ),
    (lambda: _("Đảng viên"), "members:list", access.READ),
    (lambda: _("Sinh hoạt chi bộ"), "meetings:home", access.READ),
    (lambda: _("Chi bộ tôi theo dõi"), "meetings:visit_mine", _follows_cells),
    (lambda: _("Thống kê sinh hoạt"), "meetings:stats_page", access.STAFF),
    (lambda: _("Phát triển đảng viên"), "admissions:list", access.STAFF),
    (lambda: _("Xếp loại đảng viên"), "evaluations:home", access.STAFF),
    (lambda: _("Văn bản"), "documents:register", access.READ),
    (lambda: _("Quy định áp dụng"), "rules:list", access.MANAGE),
    (lambda: _("Tài khoản, phân quyền"), "accounts:users", access.MANAGE),
]


@lru_cache(maxsize=256)
def _url(name, script_prefix, urlconf):
    """A menu address, reversed once per script prefix and URLconf rather than ten times a page."""
    return reverse(name, urlconf=urlconf)


def _has_anywhere(user, capability):
    if user.is_superuser:
        return True
    return bool(access._paths(user, capability))


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for label, name, capability in NAV:
        allowed = capability(user) if callable(capability) else _has_anywhere(user, capability)
        if allowed:
            url = _url(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
            items.append({"label": label(), "url": url, "active": request.path == url})
    return {"nav_items": items}
