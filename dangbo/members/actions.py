"""Changes to members' records: creation, profile edits, status events, corrections."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.members.choices import Status
from dangbo.lib.vntext import search_key
from dangbo.members.models import CorrectionRequest, Member, StatusEvent

# Profile fields a member may ask to correct, and that the office edits.
PROFILE_FIELDS = [
    "full_name", "other_name", "sex", "date_of_birth", "birthplace_province", "birthplace_ward",
    "birthplace_text", "hometown_province", "hometown_ward", "hometown_text", "ethnicity", "religion",
    "citizen_id", "phone", "email", "residence_address", "occupation", "workplace", "general_education",
    "professional_degree", "theory_level", "state_management_level", "admission_date", "official_date",
    "card_number", "card_issued_on",
]


def _stamp(obj, by):
    obj._history_user = by
    return obj


def _full_clean(member):
    member.full_clean(exclude=["organization", "user"] if member.organization_id else ["user"])


def _first_event(member, *, by, reason, status_on=None, decision_reference=""):
    """The event that opens a record: dated from the official date, else the admission date."""
    return StatusEvent(
        member=member, status=member.status,
        effective_on=status_on or member.official_date or member.admission_date,
        reason=reason or _("Nhập hồ sơ"), decision_reference=decision_reference, recorded_by=by,
    )


@transaction.atomic
def create_member(*, organization, by, status=Status.PROBATIONARY, status_on=None, reason="",
                  decision_reference="", **fields):
    """Put a member on a cell's roll with a first status event."""
    if not organization.is_cell:
        raise ValidationError({"organization": _("Đảng viên phải sinh hoạt ở một chi bộ.")})
    member = Member(organization=organization, status=status, **fields)
    _full_clean(member)
    _stamp(member, by).save()
    _first_event(member, by=by, reason=reason, status_on=status_on, decision_reference=decision_reference).save()
    return member


@transaction.atomic
def create_members_bulk(members, *, by, reason, batch_size=500):
    """Save many already-validated members at once, with history and first status events.

    The importer and the demo use it: row-by-row ``create_member`` is too slow for
    10,000 rows. Callers validate first (full_clean); this does what save() and
    the pre_save NFC signal would do, since bulk_create calls neither.
    """
    from simple_history.utils import bulk_create_with_history

    from dangbo.lib.vntext import nfc

    for member in members:
        for field in Member._meta.concrete_fields:
            value = getattr(member, field.attname)
            if isinstance(value, str):
                setattr(member, field.attname, nfc(value))
        member.search_key = search_key(member.full_name)
        member.card_number = member.card_number or None
    created = bulk_create_with_history(members, Member, batch_size=batch_size, default_user=by,
                                       default_change_reason=reason)
    StatusEvent.objects.bulk_create([_first_event(m, by=by, reason=reason) for m in created], batch_size=batch_size)
    return created


@transaction.atomic
def update_profile(member, *, by, **changes):
    """Edit profile fields; history keeps who changed what and when."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("Không sửa được trường %(f)s.") % {"f": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(member, name, value)
    _full_clean(member)
    _stamp(member, by).save()
    return member


def derive_status(member):
    """The current status is the latest event's, by date then by entry order."""
    latest = member.status_events.order_by("-effective_on", "-pk").first()
    return latest.status if latest else member.status


@transaction.atomic
def record_status(member, *, status, effective_on, by, reason="", decision_reference=""):
    """Record a dated status change (Điều lệ Đảng; DOMAIN §2) and refresh the cached status."""
    if status not in Status.values:
        raise ValidationError({"status": _("Tình trạng không hợp lệ.")})
    if effective_on < member.admission_date:
        raise ValidationError({"effective_on": _("Ngày hiệu lực trước ngày vào Đảng.")})
    if status in (Status.REMOVED, Status.EXPELLED) and not decision_reference:
        raise ValidationError({"decision_reference": _("Xóa tên, khai trừ phải ghi số quyết định.")})
    if status == Status.OFFICIAL and member.official_date is None:
        member.official_date = effective_on
    Member.objects.select_for_update().filter(pk=member.pk).first()
    StatusEvent.objects.create(
        member=member, status=status, effective_on=effective_on, reason=reason,
        decision_reference=decision_reference, recorded_by=by,
    )
    member.status = derive_status(member)
    _stamp(member, by).save()
    return member


@transaction.atomic
def request_correction(member, *, field, proposed_value, note="", by):
    if field not in PROFILE_FIELDS:
        raise ValidationError({"field": _("Hãy chọn thông tin cần sửa.")})
    current = getattr(member, field)
    return CorrectionRequest.objects.create(
        member=member, field=field, current_value="" if current is None else str(current),
        proposed_value=proposed_value, note=note, requested_by=by,
    )


@transaction.atomic
def decide_correction(request, *, approve, by, note=""):
    """The office approves (the profile changes, with history) or rejects a correction."""
    if request.state != CorrectionRequest.State.PENDING:
        raise ValidationError(_("Đề nghị này đã được xử lý."))
    if approve:
        field = Member._meta.get_field(request.field)
        try:
            formfield = field.formfield()
            value = formfield.clean(request.proposed_value) if formfield else request.proposed_value
            update_profile(request.member, by=by, **{request.field: value})
        except ValidationError as error:
            reasons = "; ".join(dict.fromkeys(error.messages))
            raise ValidationError(
                _("Giá trị đề nghị cho «%(f)s» không hợp lệ: %(e)s") % {"f": field.verbose_name, "e": reasons}
            ) from None
    request.state = CorrectionRequest.State.APPROVED if approve else CorrectionRequest.State.REJECTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save()
    return request
