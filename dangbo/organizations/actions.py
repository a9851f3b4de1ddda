"""Changes to the organization tree: create, rename, move, merge, close."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.dispatch import Signal
from django.utils.translation import gettext as _

from dangbo.organizations.counts import member_counts
from dangbo.organizations.models import Organization

# Sent inside the merge transaction so that apps holding rows of the closing
# cell (members, meetings, ...) move them to the receiving cell.
cell_merging = Signal()  # kwargs: source, target, on, by


def _stamp(obj, by):
    """Tell django-simple-history who made the change when no request is around."""
    obj._history_user = by
    return obj


@transaction.atomic
def create_organization(*, parent, kind, name, code, by, category="", symbol="", active_from=None):
    if parent is not None and parent.is_cell:
        raise ValidationError({"parent": _("Chi bộ không có tổ chức trực thuộc.")})
    if parent is not None and parent.active_to is not None:
        raise ValidationError({"parent": _("Tổ chức cấp trên đã giải thể.")})
    if kind == Organization.Kind.CELL and not category:
        raise ValidationError({"category": _("Hãy chọn loại hình chi bộ.")})
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã %(code)s đã được dùng.") % {"code": code}})
    org = Organization(
        parent=parent, kind=kind, name=name, code=code, symbol=symbol,
        category=category if kind == Organization.Kind.CELL else "",
        active_from=active_from,
    )
    org.full_clean(exclude=["path"])
    _stamp(org, by).save()
    return org


@transaction.atomic
def rename_organization(org, *, name, symbol, by):
    org.name = name
    org.symbol = symbol
    org.full_clean(exclude=["path"])
    _stamp(org, by).save()
    return org


@transaction.atomic
def move_organization(org, *, new_parent, by):
    """Move ``org`` with its whole subtree under ``new_parent``."""
    if new_parent.is_cell:
        raise ValidationError({"new_parent": _("Không thể chuyển vào một chi bộ.")})
    if new_parent.path.startswith(org.path):
        raise ValidationError({"new_parent": _("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó.")})
    if new_parent.active_to is not None:
        raise ValidationError({"new_parent": _("Tổ chức nhận đã giải thể.")})
    old_path = org.path
    org.parent = new_parent
    _stamp(org, by).save()
    new_path = org.path
    depth_shift = new_path.count("/") - old_path.count("/")
    Organization.objects.filter(path__startswith=old_path).exclude(pk=org.pk).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_shift,
    )
    return org


def _has_open_children(org):
    return org.children.filter(active_to__isnull=True).exists()


@transaction.atomic
def close_organization(org, *, on, reason, by):
    """Close (giải thể) an organization; its record and history stay."""
    if org.active_to is not None:
        raise ValidationError(_("Tổ chức này đã giải thể ngày %(d)s.") % {"d": org.active_to.strftime("%d/%m/%Y")})
    if _has_open_children(org):
        raise ValidationError(_("Còn tổ chức trực thuộc đang hoạt động; hãy chuyển hoặc giải thể chúng trước."))
    count = member_counts([org])[org.pk]
    if count:
        raise ValidationError(
            _("Chi bộ còn %(n)d đảng viên; hãy chuyển sinh hoạt đảng viên trước khi giải thể.") % {"n": count}
        )
    if org.active_from and on < org.active_from:
        raise ValidationError({"on": _("Ngày giải thể trước ngày thành lập.")})
    org.active_to = on
    org.closing_note = reason
    _stamp(org, by).save()
    return org


@transaction.atomic
def merge_cells(source, *, into, on, by):
    """Merge cell ``source`` into cell ``into``: its members move, then it closes."""
    if source.pk == into.pk:
        raise ValidationError({"into": _("Hãy chọn một chi bộ khác để sáp nhập vào.")})
    if not (source.is_cell and into.is_cell):
        raise ValidationError({"into": _("Chỉ sáp nhập chi bộ vào chi bộ.")})
    if into.active_to is not None:
        raise ValidationError({"into": _("Chi bộ nhận đã giải thể.")})
    cell_merging.send(sender=Organization, source=source, target=into, on=on, by=by)
    if apps.is_installed("dangbo.members"):
        leftover = member_counts([source])[source.pk]
        if leftover:
            raise ValidationError(_("Chưa chuyển hết đảng viên của chi bộ."))
    source.merged_into = into
    return close_organization(
        source, on=on, reason=_("Sáp nhập vào %(name)s") % {"name": into.name}, by=by
    )
