"""Pure date arithmetic of admission and probation (DOMAIN §1): no database, numbers passed in.

Callers look each number up with ``dangbo.rules.lookup.rule`` by the date of the
event (the cell's meeting, the certificate's issue, the ceremony, the end of
probation) and pass it here, so every boundary can be tested with plain dates.
"""

from dataclasses import dataclass

from dangbo.lib.dates import add_months, add_working_days, completed_months

# Youth Union age (độ tuổi Đoàn): "thanh niên Việt Nam tuổi từ 16 đến 30" (Điều lệ Đoàn
# TNCS Hồ Chí Minh, Đại hội XII 2022, Điều 1; Luật Thanh niên 2020, Điều 1). The rules
# catalog has no key for it (it is the Youth Union's charter, not the Party's), so it
# lives here; read like the Party's "đủ 18 đến đủ 60": 16y0m up to and including 30y0m.
YOUTH_UNION_MIN_AGE_MONTHS = 16 * 12
YOUTH_UNION_MAX_AGE_MONTHS = 30 * 12

# "Young" in the offices' reports of new members: under 30 on the decision date.
YOUNG_BELOW_MONTHS = 30 * 12


def age_months(born, on):
    """Age in completed months on ``on`` (Quy định 294-QĐ/TW §1.1: counted in months)."""
    return completed_months(born, on)


@dataclass(frozen=True)
class AgeCheck:
    months: int
    too_young: bool
    over_limit: bool

    @property
    def years_and_months(self):
        return divmod(self.months, 12)


def check_age(born, on, *, min_months, max_months):
    """Quy định 294-QĐ/TW §1.1: eligible when min ≤ completed months ≤ max on the day the cell considers.

    216 months (exactly 18 years 0 months) and 720 (exactly 60 years 0 months)
    are inside; 215 is too young; 721 is over the limit, which §1.2 allows only
    with the provincial standing committee's written consent (the caller checks it).
    """
    months = age_months(born, on)
    return AgeCheck(months=months, too_young=months < min_months, over_limit=months > max_months)


def in_youth_union_age(born, on):
    months = age_months(born, on)
    return YOUTH_UNION_MIN_AGE_MONTHS <= months <= YOUTH_UNION_MAX_AGE_MONTHS


def certificate_valid_until(issued_on, months):
    """The last day an awareness-course certificate is valid (DOMAIN §1.6: "có giá trị 60 tháng").

    Counted as the Civil Code 2015 counts a period (Art. 147–148): the issue day
    itself is not counted, and a period of months ends at the end of the
    corresponding day of the last month. Issued 10/03/2021, valid 60 months:
    valid up to and including 10/03/2026, expired from 11/03/2026. A day the last
    month lacks becomes its last day (issued 29/02/2024 → valid to 28/02/2029).
    """
    return add_months(issued_on, months)


def certificate_valid_on(issued_on, months, on):
    return issued_on <= on <= certificate_valid_until(issued_on, months)


def dossier_compiled_on(fixed_dates, renewable_dates):
    """The day the dossier counts as compiled, for the staleness rule of DOMAIN §1.7.

    ``fixed_dates``: the application, the personal history and its verification,
    which never need redoing. ``renewable_dates``: introducers' letters, the Youth
    Union / trade-union resolution, the comments of the residence and of the mass
    organization, which Hướng dẫn 01-HD/TW asks to redo once the dossier is stale.

    The dossier is compiled when its last fixed item is in and its renewable items
    are all there: the later of the latest fixed item and the oldest renewable
    item. Once stale, it counts as compiled again when every renewable item is
    redone, from the oldest of the redone papers, so the 12 months never run from
    a date later than a paper in the dossier; redoing only one of two letters
    leaves it stale.
    None while something is missing.
    """
    if not fixed_dates or not renewable_dates or None in fixed_dates or None in renewable_dates:
        return None
    return max(max(fixed_dates), min(renewable_dates))


def dossier_stale_after(compiled_on, months):
    """The last day the cell may consider the dossier without redoing anything (DOMAIN §1.7).

    "Quá 12 tháng kể từ ngày lập hồ sơ mà chi bộ chưa xét": compiled 15/01/2025,
    the cell may still consider it on 15/01/2026; from 16/01/2026 it is stale.
    """
    return add_months(compiled_on, months)


def is_stale(compiled_on, months, on):
    return compiled_on is not None and on > dossier_stale_after(compiled_on, months)


def item_needs_redoing(dated_on, months, on):
    """A renewable item of a stale dossier is redone when it is itself more than ``months`` old on ``on``."""
    return on > add_months(dated_on, months)


def introducer_months_ok(together_since, on, months, *, replacement=False):
    """Quy định 24-QĐ/TW §3.2.1: the introducer has worked, studied or lived with the applicant
    at least ``months`` (12) completed months by ``on``; §3.2.2: not required of a replacement.

    Together since 10/03/2025: 11 months on 09/03/2026 (not enough), 12 on 10/03/2026.
    """
    if replacement:
        return True
    if together_since is None:
        return False
    return completed_months(together_since, on) >= months


def ceremony_deadline(received_on, working_days):
    """Quy định 24-QĐ/TW §4.1: the ceremony is held within ``working_days`` working days after
    the cell receives the admission decision; the day of receipt does not count."""
    return add_working_days(received_on, working_days)


def probation_ends_on(ceremony_on, months):
    """Điều lệ Đảng Điều 5(1): probation lasts ``months`` from the ceremony.

    Ceremony 19/05/2025 → probation ends 19/05/2026, the date written as "ngày chính
    thức" (DOMAIN §1.14: official from the end of the 12 months).
    """
    return add_months(ceremony_on, months)


def recognition_deadline(probation_end, working_days):
    """Quy định 24-QĐ/TW §4.2.1: the cell considers recognition within ``working_days`` working
    days after probation ends (counted from the day after the end)."""
    return add_working_days(probation_end, working_days)


def years_before(on, years):
    """The same day ``years`` earlier (29/02 → 28/02)."""
    return add_months(on, -12 * years)


def education_ok(*, lower_secondary_diploma, exception):
    """Quy định 294-QĐ/TW §1.2 (DOMAIN §1.3): a lower-secondary diploma or higher ("or equivalent"
    was dropped in 2021), or an exception for hardship areas under the Secretariat's guidance,
    which the cell records with its ground."""
    return bool(lower_secondary_diploma) or bool((exception or "").strip())
