"""Checks for the citizen identity number (CCCD) and the party card number."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Province codes of the 12-digit CCCD (Thông tư 07/2016/TT-BCA, kept by 59/2021/TT-BCA):
# the place where the birth was registered, by the 63 provinces before the 2025 merger.
CCCD_PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 "
    "033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 "
    "064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 "
    "094 095 096".split()
)
# The 4th digit encodes century and sex: 0/1 = 1900s male/female, 2/3 = 2000s, ...
_CENTURY_START = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 2300, 9: 2300}


def citizen_id_problem(value, *, sex=None, date_of_birth=None):
    """Return a Vietnamese message saying what is wrong with a CCCD, or None."""
    if not value.isdigit() or len(value) != 12:
        return _("Số CCCD phải gồm đúng 12 chữ số.")
    if value[:3] not in CCCD_PROVINCE_CODES:
        return _("Ba số đầu của CCCD (%(code)s) không phải mã tỉnh nơi đăng ký khai sinh.") % {"code": value[:3]}
    digit = int(value[3])
    if sex is not None and sex in ("male", "female"):
        if (digit % 2 == 0) != (sex == "male"):
            return _("Số thứ tư của CCCD không khớp giới tính.")
    if date_of_birth is not None:
        year = _CENTURY_START[digit] + int(value[4:6])
        if year != date_of_birth.year:
            return _("Số thứ 4–6 của CCCD (năm sinh %(y)d) không khớp ngày sinh.") % {"y": year}
    return None


def validate_citizen_id(value):
    problem = citizen_id_problem(value)
    if problem:
        raise ValidationError(problem)
