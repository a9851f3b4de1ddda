"""Date and time filters for row loops: the Party's dd/mm/yyyy and HH:MM, without Django's formatter.

``{{ d|date:"d/m/Y" }}`` looks the format up for the active language and builds a
DateFormat object on every call, about 20 µs; a 50-row list with two dates a row
spends a tenth of its rendering there. These write the same text directly.
"""

from django import template

from dangbo.lib.dates import format_date

register = template.Library()


@register.filter(expects_localtime=True)
def dmy(value):
    """'05/02/2026', as ``|date:"d/m/Y"``; an empty string for None or a value that is no date."""
    if not hasattr(value, "day"):
        return ""
    return format_date(value)


@register.filter(expects_localtime=True)
def hm(value):
    """'07:05', as ``|time:"H:i"``; an empty string for None or a value that is no time."""
    if not hasattr(value, "minute"):
        return ""
    return f"{value.hour:02d}:{value.minute:02d}"
