"""Accounts and roles, managed by a committee office for its own subtree."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.models import Role, RoleAssignment, User, normalize_phone


def _stamp(obj, by):
    obj._history_user = by
    return obj


def temporary_password():
    """A password the office reads out once; the person changes it at first login."""
    return "-".join(secrets.token_hex(2) for _ in range(3))


@transaction.atomic
def create_account(*, username, full_name, phone="", email="", by):
    username = username.strip().lower()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập %(u)s đã có.") % {"u": username}})
    phone = normalize_phone(phone)
    if phone and User.objects.filter(phone=phone).exists():
        raise ValidationError({"phone": _("Số điện thoại %(p)s đã gắn với tài khoản khác.") % {"p": phone}})
    password = temporary_password()
    account = User(username=username, full_name=full_name, phone=phone, email=email)
    account.set_password(password)
    account.full_clean(exclude=["password"])
    _stamp(account, by).save()
    return account, password


@transaction.atomic
def grant_role(account, *, organization, role, valid_from=None, valid_to=None, by):
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    if role == Role.CELL_SECRETARY and not organization.is_cell:
        raise ValidationError({"role": _("Vai trò Bí thư chi bộ chỉ gán cho một chi bộ.")})
    existing = RoleAssignment.objects.filter(user=account, organization=organization, role=role).first()
    grant = existing or RoleAssignment(user=account, organization=organization, role=role)
    grant.valid_from = valid_from
    grant.valid_to = valid_to
    if grant.valid_from and grant.valid_to and grant.valid_to < grant.valid_from:
        raise ValidationError({"valid_to": _("Ngày kết thúc trước ngày bắt đầu.")})
    _stamp(grant, by).save()
    return grant


@transaction.atomic
def end_role(grant, *, on=None, by):
    """End a grant; the row stays, so history shows who held which role when."""
    grant.valid_to = on or timezone.localdate()
    _stamp(grant, by).save()
    return grant


@transaction.atomic
def reset_password(account, *, by):
    password = temporary_password()
    account.set_password(password)
    _stamp(account, by).save()
    return password


@transaction.atomic
def set_active(account, *, active, by):
    account.is_active = active
    _stamp(account, by).save()
    return account


@transaction.atomic
def link_member(account, *, member, by):
    """Let a member log in: their account is tied to their own registry record."""
    if member.user_id and member.user_id != account.pk:
        raise ValidationError({"member": _("Hồ sơ %(name)s đã gắn với tài khoản khác.") % {"name": member.full_name}})
    member.user = account
    member._history_user = by
    member.save(update_fields=["user"])
    if not RoleAssignment.objects.filter(user=account, organization=member.organization, role=Role.MEMBER).exists():
        grant_role(account, organization=member.organization, role=Role.MEMBER, by=by)
    return member
