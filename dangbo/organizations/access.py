"""The only way views get objects: every lookup is scoped to what the user may see.

A role granted on an organization covers its whole subtree (as Wagtail's
collection permissions do). Outside the scope a lookup raises Http404, so a
user cannot even learn that an object exists; inside the scope, asking to
write with a read-only role raises PermissionDenied (403).
"""

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from dangbo.accounts.models import MANAGE_ROLES, WRITE_ROLES, Role, RoleAssignment
from dangbo.organizations.models import Organization

# read: see the organization; staff: see other people's records in it (every role
# but a plain member's); write: record the cell's work; manage: the office's work.
READ, STAFF, WRITE, MANAGE = "read", "staff", "write", "manage"
_ROLES_FOR = {
    READ: None,
    STAFF: frozenset(Role) - {Role.MEMBER},
    WRITE: WRITE_ROLES,
    MANAGE: MANAGE_ROLES,
}


def grants(user):
    """The user's role assignments in force today, cached on the user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_dangbo_grants", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.in_force().filter(user=user).select_related("organization")
        )
        user._dangbo_grants = cached
    return cached


def _paths(user, capability=READ):
    roles = _ROLES_FOR[capability]
    return [g.organization.path for g in grants(user) if roles is None or g.role in roles]


def _subtree_q(paths, prefix=""):
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in paths))


def visible_organizations(user, capability=READ):
    """Organizations the user may see (or write, or manage), as a queryset."""
    if user.is_authenticated and user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(_subtree_q(_paths(user, capability)))


def scope_q(user, field="organization", capability=READ):
    """A Q that keeps rows whose ``field`` (an Organization FK) is in the user's scope.

    Lists filter through the container, e.g.
    ``Meeting.objects.filter(scope_q(user))``.
    """
    if user.is_authenticated and user.is_superuser:
        return Q()
    return _subtree_q(_paths(user, capability), prefix=f"{field}__")


def can(user, organization, capability=READ):
    """Whether the user has ``capability`` on ``organization``."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(organization.path.startswith(p) for p in _paths(user, capability))


def roots(user):
    """The top organizations of the user's scope (no one of them inside another)."""
    if user.is_authenticated and user.is_superuser:
        return list(Organization.objects.filter(parent__isnull=True))
    orgs = sorted({g.organization for g in grants(user)}, key=lambda o: o.path)
    top = []
    for org in orgs:
        if not any(org.path.startswith(t.path) for t in top):
            top.append(org)
    return top


def _check(user, organization, capability):
    if not can(user, organization, READ):
        raise Http404("Không tìm thấy.")
    if capability != READ and not can(user, organization, capability):
        raise PermissionDenied(_("Bạn chỉ có quyền xem ở đơn vị này."))


def access_organization(user, organization_id, *, capability=READ):
    """Fetch an organization by id within the user's scope."""
    try:
        organization = Organization.objects.get(pk=organization_id)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy.") from None
    _check(user, organization, capability)
    return organization


def access_object(user, queryset, pk, *, field="organization", capability=READ):
    """Fetch one row of ``queryset`` whose ``field`` organization is in scope.

    Rows outside the scope give 404 exactly as rows that do not exist do.
    """
    try:
        obj = queryset.select_related(field).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy.") from None
    organization = obj
    for part in field.split("__"):
        organization = getattr(organization, part)
    _check(user, organization, capability)
    return obj


def access_member(user, member_id, *, capability=STAFF):
    """Fetch a member: staff of the member's cell see it, and so does the member themself.

    A plain member sees only their own record; any other gives 404.
    """
    from dangbo.members.models import Member

    try:
        member = Member.objects.select_related("organization", "user").get(pk=member_id)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy.") from None
    own = user.is_authenticated and member.user_id == user.pk
    if own and capability in (READ, STAFF):
        return member
    if own and not can(user, member.organization, capability):
        raise PermissionDenied(_("Đảng viên gửi đề nghị sửa thông tin để văn phòng duyệt."))
    if not can(user, member.organization, STAFF):
        raise Http404("Không tìm thấy.")
    if capability not in (READ, STAFF) and not can(user, member.organization, capability):
        raise PermissionDenied(_("Bạn chỉ có quyền xem ở đơn vị này."))
    return member


def access_user(user, user_id):
    """Fetch an account the user may manage: one holding a role, or linked to a member, in their MANAGE scope."""
    from django.contrib.auth import get_user_model

    from dangbo.members.models import Member

    User = get_user_model()
    try:
        account = User.objects.get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy.") from None
    if user.is_authenticated and user.is_superuser:
        return account
    in_scope = RoleAssignment.objects.filter(user=account).filter(scope_q(user, capability=MANAGE)).exists() or (
        Member.objects.filter(user=account).filter(scope_q(user, capability=MANAGE)).exists()
    )
    if not in_scope:
        raise Http404("Không tìm thấy.")
    return account
