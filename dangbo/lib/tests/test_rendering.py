"""Tests for the cheaper rendering helpers: the <select>, the row filters, choice labels."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import engines
from django.utils import timezone

from dangbo.lib.display import label_choices
from dangbo.lib.forms import Select


class Pick(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Tất cả"), ("a", "A & B"), ("b", '"B"')], required=False)
    fast = forms.ChoiceField(choices=[("", "Tất cả"), ("a", "A & B"), ("b", '"B"')], required=False, widget=Select)
    grouped = forms.ChoiceField(choices=[("Nhóm <1>", [("x", "X")]), ("y", "Y")], required=False, widget=Select)
    grouped_plain = forms.ChoiceField(choices=[("Nhóm <1>", [("x", "X")]), ("y", "Y")], required=False)


def _squeeze(html):
    return "".join(line.strip() for line in str(html).splitlines())


def test_the_select_writes_what_djangos_template_writes():
    form = Pick({"plain": "a", "fast": "a", "grouped": "x", "grouped_plain": "x"})
    assert _squeeze(form["fast"]).replace("id_fast", "id_plain").replace('name="fast"', 'name="plain"') == \
        _squeeze(form["plain"])
    assert _squeeze(form["grouped"]).replace("grouped", "grouped_plain") == _squeeze(form["grouped_plain"])
    assert '<option value="a" selected>A &amp; B</option>' in str(form["fast"])
    assert "&quot;B&quot;" in str(form["fast"])


def _render(text, **context):
    return engines["django"].from_string("{% load dangbo_format %}" + text).render(context)


@pytest.mark.parametrize("value, expected", [
    (date(2026, 2, 5), "05/02/2026"), (None, ""), ("", ""), ("không phải ngày", ""),
])
def test_dmy_writes_what_the_date_filter_writes(value, expected):
    assert _render("{{ d|dmy }}", d=value) == expected
    assert _render('{{ d|date:"d/m/Y" }}', d=value) == expected


def test_dmy_and_hm_show_local_time():
    moment = datetime(2026, 2, 4, 18, 5, tzinfo=ZoneInfo("UTC"))  # 01:05 on the 5th in Hà Nội
    with timezone.override("Asia/Ho_Chi_Minh"):
        assert _render("{{ m|dmy }} {{ m|hm }}", m=moment) == "05/02/2026 01:05"
    assert _render("{{ t|hm }}|{{ n|hm }}", t=time(7, 5), n=None) == "07:05|"


def test_label_choices_gives_the_display_labels():
    from dangbo.members.models import Member

    rows = label_choices([Member(sex="female", status="official"), Member(sex="other?", status="exempt")],
                         "sex", "status")
    assert [(r.sex_label, r.status_label) for r in rows] == [
        (rows[0].get_sex_display(), rows[0].get_status_display()), ("other?", rows[1].get_status_display())]
    assert label_choices([], "sex") == []
