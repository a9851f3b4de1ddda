"""Reading, checking and showing rule values by the rule's unit (all messages in Vietnamese)."""

from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Units counted in whole numbers.
_WHOLE_UNITS = {"months", "years", "working_days", "days", "minutes", "count", "points", "vnd"}


def kind(rule):
    """How a rule's value is entered: "bool", "choice", "fraction", "number", "integer" or "text"."""
    if rule.unit == "bool":
        return "bool"
    if rule.choices:
        return "choice"
    if rule.unit == "fraction":
        return "fraction"
    if rule.unit == "percent" or isinstance(rule.value, float):
        return "number"
    if rule.unit in _WHOLE_UNITS:
        return "integer"
    return "text"


def parse(rule, text):
    """The value typed for ``rule`` as it is stored; ValidationError naming the field if unreadable."""
    text = (text or "").strip()
    k = kind(rule)
    if k == "bool":
        if text in ("1", "true", "có"):
            return True
        if text in ("0", "false", "không"):
            return False
        raise ValidationError(_("Giá trị phải là “có” hoặc “không”."), code="invalid")
    if k == "integer":
        digits = text.replace(" ", "")
        if rule.unit == "vnd":
            digits = digits.replace(".", "").replace(",", "")
        if not digits.isdigit():
            raise ValidationError(_("Giá trị phải là số nguyên không âm, ví dụ %(example)s.")
                                  % {"example": rule.value}, code="invalid")
        value = int(digits)
    elif k == "number":
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise ValidationError(_("Giá trị phải là một số, ví dụ 0,5."), code="invalid") from None
        if value == int(value) and isinstance(rule.value, int):
            value = int(value)
    elif k == "fraction":
        try:
            value = Fraction(text.replace(" ", "").replace(",", "."))
        except (ValueError, ZeroDivisionError):
            raise ValidationError(_("Giá trị phải là một phân số, ví dụ 2/3."), code="invalid") from None
        value = str(value)
    else:
        value = text
    check(rule, value)
    return value


def check(rule, value):
    """Raise ValidationError when ``value`` cannot be a value of ``rule``."""
    k = kind(rule)
    if k == "bool":
        if not isinstance(value, bool):
            raise ValidationError(_("Giá trị phải là “có” hoặc “không”."), code="invalid")
        return
    if k == "choice":
        allowed = [choice[0] for choice in rule.choices]
        if value not in allowed:
            raise ValidationError(_("Giá trị phải là một trong: %(choices)s.")
                                  % {"choices": ", ".join(choice[1] for choice in rule.choices)}, code="invalid")
        return
    if k == "fraction":
        try:
            number = Fraction(str(value))
        except (ValueError, ZeroDivisionError):
            raise ValidationError(_("Giá trị phải là một phân số, ví dụ 2/3."), code="invalid") from None
        if not 0 < number <= 1:
            raise ValidationError(_("Giá trị phải là tỷ lệ lớn hơn 0 và không quá 1, ví dụ 2/3."), code="invalid")
        return
    if k in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError(_("Giá trị phải là một số."), code="invalid")
        if k == "integer" and not isinstance(value, int):
            raise ValidationError(_("Giá trị phải là số nguyên."), code="invalid")
        if value < 0:
            raise ValidationError(_("Giá trị không được âm."), code="invalid")
        if rule.unit == "percent" and value > 100:
            raise ValidationError(_("Giá trị phải từ 0 đến 100 (%)."), code="invalid")
        if rule.unit == "points" and value > 100:
            raise ValidationError(_("Giá trị phải từ 0 đến 100 điểm."), code="invalid")
        return
    if not isinstance(value, str) or not value:
        raise ValidationError(_("Giá trị không được để trống."), code="invalid")


def _number(value):
    if isinstance(value, float):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return f"{value:,}".replace(",", ".")


def display(value, unit, choices=()):
    """'12 tháng', '0,5%', '5.000 đồng', '2/3', 'có' — the value as the office reads it."""
    if isinstance(value, bool):
        return _("có") if value else _("không")
    labels = {choice[0]: choice[1] for choice in choices or ()}
    if value in labels:
        return labels[value]
    if isinstance(value, dict) and {"num", "den"} <= value.keys():
        return f"{value['num']}/{value['den']}"
    if isinstance(value, (int, float)):
        if unit == "percent":
            return f"{_number(value)}%"
        suffix = {
            "months": _("tháng"), "years": _("năm"), "working_days": _("ngày làm việc"), "days": _("ngày"),
            "minutes": _("phút"), "vnd": _("đồng"), "points": _("điểm"),
        }.get(unit, "")
        return f"{_number(value)} {suffix}".strip()
    return str(value)
