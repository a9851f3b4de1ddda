"""Where a legal deadline stands on a day: met, late, overdue, due soon or open."""

from django.utils.translation import gettext as _

from dangbo.lib.dates import format_date, working_days_between

# "Due soon" badges show this many working days ahead (an office habit, not a regulation).
SOON_WORKING_DAYS = 5


def deadline_state(due, done_on, on):
    """The state on day ``on``; something done after ``on`` counts as not done yet on that day."""
    if done_on is not None and done_on <= on:
        return "met" if done_on <= due else "late"
    if on > due:
        return "overdue"
    if working_days_between(on, due) <= SOON_WORKING_DAYS:
        return "soon"
    return "open"


def deadline_text(due, done_on, on):
    return {
        "met": _("đúng hạn (hạn %(due)s)"),
        "late": _("chậm hạn (hạn %(due)s)"),
        "overdue": _("quá hạn (hạn %(due)s)"),
        "soon": _("sắp hết hạn (hạn %(due)s)"),
        "open": _("còn hạn đến %(due)s"),
    }[deadline_state(due, done_on, on)] % {"due": format_date(due)}
