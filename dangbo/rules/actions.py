"""Changes to rules: an organization setting its own value for a configurable rule."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangbo.lib.dates import format_date
from dangbo.rules import values
from dangbo.rules.models import Rule, RuleOverride, ranges_overlap


def _stamp(obj, by):
    """Tell django-simple-history who made the change when no request is around."""
    obj._history_user = by
    return obj


@transaction.atomic
def set_override(*, key, organization, value, valid_from, reason, by, valid_to=None):
    """Record ``organization``'s own value of ``key`` from ``valid_from``.

    Only rules DOMAIN.md marks CFG may be overridden, and only by a committee;
    the override covers the committee's whole subtree. An override starting on
    the same day as an existing one replaces its value (history keeps the old
    one); an open-ended earlier override is ended the day before.
    """
    base = Rule.objects.in_force(valid_from).filter(key=key).first()
    if base is None:
        first = Rule.objects.filter(key=key).order_by("valid_from").first()
        if first is None:
            raise ValidationError(_("Không có quy định %(key)s.") % {"key": key})
        raise ValidationError({"valid_from": _(
            "Ngày %(date)s quy định chưa có hiệu lực hoặc đã hết hiệu lực."
        ) % {"date": format_date(valid_from)}})
    if not base.configurable:
        raise ValidationError(_(
            "Quy định “%(title)s” do %(document)s ấn định, đơn vị không được điều chỉnh riêng. "
            "Chỉ các quy định đánh dấu CFG mới được điều chỉnh theo quyết định của đơn vị."
        ) % {"title": base.title, "document": base.source_document})
    if organization.is_cell:
        raise ValidationError({"organization": _("Chỉ đảng bộ mới được điều chỉnh quy định cho các tổ chức trực thuộc.")})
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("Ngày kết thúc trước ngày bắt đầu.")})
    try:
        values.check(base, value)
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from None

    existing = RuleOverride.objects.select_for_update().filter(key=key, organization=organization)
    same_day = existing.filter(valid_from=valid_from).first()
    for other in existing.exclude(pk=same_day.pk if same_day else None):
        if not ranges_overlap(valid_from, valid_to, other.valid_from, other.valid_to):
            continue
        if other.valid_from < valid_from and other.valid_to is None:
            # A new decision replaces the open-ended one from its own start date.
            other.valid_to = valid_from - timedelta(days=1)
            _stamp(other, by).save()
            continue
        raise ValidationError({"valid_from": _(
            "Trùng thời gian với điều chỉnh từ ngày %(date)s của %(org)s; hãy sửa điều chỉnh đó hoặc chọn ngày khác."
        ) % {"date": format_date(other.valid_from), "org": organization.name}})

    override = same_day or RuleOverride(key=key, organization=organization, valid_from=valid_from)
    override.value = value
    override.valid_to = valid_to
    override.reason = reason
    override.full_clean()
    _stamp(override, by).save()
    return override
