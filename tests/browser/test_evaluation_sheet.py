"""A cell secretary scores the yearly review on a phone: the row's form opens in place, a wrong
value is named and nothing is saved, a saved score regrades the whole sheet under the cap."""

import pytest

from tests.browser.conftest import login

YEAR = 2025


def _sheet(cast):
    from dangbo.evaluations.actions import classify_year
    from dangbo.evaluations.tests.cast import scored

    # Five members at 80 points (good) and one at 95 with a third of its tasks exceeding
    # (excellent); a cap of 20 % of six members allows one excellent.
    rows = [scored(cast.cell, 80, year=YEAR, name=f"Nguyễn Văn Tốt {i}") for i in range(5)]
    best = scored(cast.cell, 95, year=YEAR, exceeding=4, name="Trần Thị Giỏi")
    classify_year(cast.cell, YEAR, by=cast.cell_secretary)
    return rows, best


@pytest.mark.django_db(transaction=True)
def test_a_cell_secretary_scores_a_member_on_a_phone(live_server, phone, cast):
    from dangbo.evaluations.models import MemberEvaluation

    rows, best = _sheet(cast)
    target = rows[0]
    login(phone, live_server, "bithuchibo")
    phone.goto(f"{live_server.url}/evaluations/cells/{cast.cell.pk}/{YEAR}/")
    row = phone.locator(f"#row-{target.pk}")
    assert "Hoàn thành tốt nhiệm vụ" in row.inner_text()

    # The row's form opens in place, without leaving the sheet.
    row.get_by_text("Sửa").click()
    form = phone.locator(f"#row-{target.pk} form")
    form.wait_for()
    assert phone.url.endswith(f"/evaluations/cells/{cast.cell.pk}/{YEAR}/")

    # 35 of 30 general points: the field is named, nothing is saved.
    form.locator("input[name=general_points]").fill("35")
    form.get_by_role("button", name="Lưu").click()
    phone.get_by_text("phải là số nguyên từ 0 đến 30").wait_for()
    target.refresh_from_db()
    assert target.general_points == 30

    # 30 + 65 points, every task on time and four of ten exceeding: excellent by the points;
    # the cap (20 % of six) still allows one excellent, and the higher total keeps it.
    form = phone.locator(f"#row-{target.pk} form")
    form.locator("input[name=general_points]").fill("30")
    form.locator("input[name=task_points]").fill("62")
    form.locator("input[name=tasks_exceeding]").fill("4")
    form.get_by_role("button", name="Lưu").click()
    phone.locator(f"#row-{target.pk} form").wait_for(state="detached")
    text = phone.locator(f"#row-{target.pk}").inner_text()
    assert "92" in text and "hạ do tỷ lệ xuất sắc" in text, text
    saved = MemberEvaluation.objects.get(pk=target.pk)
    assert (saved.general_points, saved.task_points, saved.proposed_grade, saved.grade, saved.quota_reduced) == (
        30, 62, "excellent", "good", True)
    best.refresh_from_db()
    assert (best.grade, best.quota_reduced) == ("excellent", False)
    # The sheet was swapped in whole, once: one table, one row per member.
    assert phone.locator("#sheet").count() == 1
    assert phone.locator("#sheet tbody tr").count() == len(rows) + 1
