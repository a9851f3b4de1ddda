"""A cell secretary and the ward take one candidate from proposal to official member.

The dates are chosen so that each legal deadline is due soon when the next step is
taken (the deadline board is looked at "as of" the day before each step):

- certificate issued 18/08/2020, valid through 18/08/2025; dossier compiled 16/08/2024,
  to be considered by 16/08/2025; the cell meets on Friday 15/08/2025;
- the ward decides on 20/08/2025, the cell receives it on Friday 22/08/2025; with
  National Day (01–02/09) in between, the 30th working day is Tuesday 07/10/2025,
  the day of the ceremony (the 8th is refused without the superior's consent);
- probation ends 07/10/2026; recognition is due 30 working days later, 18/11/2026;
  the cell meets on 13/11/2026 and the ward decides, late, on 20/11/2026: the member
  is official from 07/10/2026.
"""

from datetime import date, datetime, time

from django.utils import timezone

from tests.browser.conftest import login


def _meeting(cell, by, day):
    from dangbo.meetings import actions
    from dangbo.meetings.models import Meeting

    at = timezone.make_aware(datetime.combine(day, time(8, 0)))
    return actions.schedule_meeting(cell, kind=Meeting.Kind.EXTRAORDINARY, scheduled_at=at, by=by)


def _hold(meeting, by):
    """What the meetings page does: open the meeting and mark everyone present."""
    from dangbo.admissions.tests.factories import start_with_everyone

    start_with_everyone(meeting, by)


def _fill(page, values):
    for selector, value in values.items():
        page.fill(selector, value)


def _submit(page, form_action, message):
    page.locator(f"form[action$='{form_action}'] button[type=submit]").click()
    page.get_by_text(message).first.wait_for()


def _switch(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username)


def test_a_candidate_becomes_an_official_member(live_server, desktop, phone, cast):
    from dangbo.admissions.models import Candidate
    from dangbo.admissions.tests.factories import make_officials

    page = desktop
    officials = make_officials(cast.cell)
    cell_meeting = _meeting(cast.cell, cast.cell_secretary, date(2025, 8, 15))
    recognition_meeting = _meeting(cast.cell, cast.cell_secretary, date(2026, 11, 13))

    # The cell secretary proposes the candidate.
    login(page, live_server, "bithuchibo")
    page.goto(f"{live_server.url}/admissions/?org={cast.cell.pk}")
    page.get_by_role("link", name="Giới thiệu quần chúng ưu tú").click()
    page.select_option("#id_proposed_by", "youth_union")
    _fill(page, {"#id_proposer_name": "Chi đoàn Khối 1", "#id_proposed_on": "01/06/2024",
                 "#id_full_name": "Đặng Thị Ngọc Ánh", "#id_date_of_birth": "12/03/1999",
                 "#id_residence_address": "Số 9, ngõ 4, Khối 1", "#id_general_education": "12/12"})
    page.select_option("#id_sex", "female")
    page.check("#id_lower_secondary_diploma")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã ghi nhận quần chúng Đặng Thị Ngọc Ánh.").wait_for()
    candidate = Candidate.objects.get(full_name="Đặng Thị Ngọc Ánh")
    base = f"{live_server.url}/admissions/{candidate.pk}"

    # The course certificate, the papers, the Youth Union and one official member introduce her.
    page.goto(f"{base}/course/")
    _fill(page, {"#id_certificate-number": "1520/GCN", "#id_certificate-issued_on": "18/08/2020",
                 "#id_certificate-issuer": "Trung tâm Bồi dưỡng chính trị thành phố Vinh"})
    _submit(page, "/do/certificate/", "Đã ghi giấy chứng nhận.")
    page.goto(f"{base}/dossier/")
    for kind in ("application", "personal_history", "history_verification", "residence_comment",
                 "mass_org_comment"):
        page.select_option("#id_dossier-kind", kind)
        _fill(page, {"#id_dossier-dated_on": "16/08/2024"})
        _submit(page, "/do/dossier/", "Đã ghi giấy tờ.")
    page.goto(f"{base}/introducers/")
    page.select_option("#id_introducer-kind", "youth_union")
    _fill(page, {"#id_introducer-union_name": "Ban Chấp hành Đoàn phường Vinh Hưng",
                 "#id_introducer-letter_on": "16/08/2024", "#id_introducer-reference": "05-NQ/ĐTN"})
    _submit(page, "/do/introducer/", "Đã thêm người giới thiệu.")
    page.select_option("#id_introducer-kind", "member")
    page.select_option("#id_introducer-member", str(officials[0].pk))
    page.select_option("#id_introducer-relation", "residence")
    _fill(page, {"#id_introducer-together_since": "01/01/2020", "#id_introducer-letter_on": "16/08/2024"})
    _submit(page, "/do/introducer/", "Đã thêm người giới thiệu.")

    # Three days before the meeting both the certificate and the dossier are about to run out.
    page.goto(f"{live_server.url}/admissions/deadlines/?org={cast.cell.pk}&on=12/08/2025")
    page.get_by_text("Đến ngày 12/08/2025: 2 việc sắp hết hạn, 0 việc quá hạn.").wait_for()
    assert "sắp hết hạn (hạn 18/08/2025)" in page.content()
    assert "sắp hết hạn (hạn 16/08/2025)" in page.content()
    page.goto(f"{base}/dossier/?on=15/08/2025")
    page.get_by_text("Đủ điều kiện, hồ sơ để chi bộ xét ngày 15/08/2025.").wait_for()

    # The cell's meeting of 15/08/2025 votes: five official members, five for.
    page.goto(f"{base}/decision/")
    page.select_option("#id_cell_vote-meeting", str(cell_meeting.pk))
    _submit(page, "/do/cell_vote/", "Đã đưa vào chương trình buổi sinh hoạt chi bộ.")
    _hold(cell_meeting, cast.cell_secretary)
    page.reload()
    _fill(page, {"#id_cell_result-yes": "5", "#id_cell_result-no": "0", "#id_cell_result-abstain": "0"})
    _submit(page, "/do/cell_result/", "Đã ghi kết quả chi bộ xét kết nạp.")
    page.get_by_text("Chờ đảng ủy quyết định kết nạp").first.wait_for()
    assert "Chi bộ đã đề nghị; chờ đảng ủy ra quyết định." in page.content()

    # The ward secretary issues the numbered decision.
    _switch(page, live_server, "bithu")
    page.goto(f"{base}/decision/")
    _fill(page, {"#id_decision-decided_on": "20/08/2025"})
    _submit(page, "/do/decision/", "Đã ban hành quyết định kết nạp.")
    page.get_by_role("link", name="Số 01-QĐ/ĐU").wait_for()

    # Back in the cell: the ceremony is due on 07/10/2025; the 8th would need the superior's consent.
    _switch(page, live_server, "bithuchibo")
    page.goto(f"{base}/decision/")
    _fill(page, {"#id_received-received_on": "22/08/2025"})
    _submit(page, "/do/received/", "Đã ghi ngày chi bộ nhận quyết định.")
    page.goto(f"{live_server.url}/admissions/deadlines/?org={cast.cell.pk}&on=01/10/2025")
    page.get_by_text("sắp hết hạn (hạn 07/10/2025)").wait_for()
    page.goto(f"{base}/decision/")
    _fill(page, {"#id_ceremony-ceremony_on": "08/10/2025"})
    page.locator("form[action$='/do/ceremony/'] button[type=submit]").click()
    page.get_by_text("Lễ kết nạp ngày 08/10/2025 quá thời hạn 07/10/2025").wait_for()
    _fill(page, {"#id_ceremony-ceremony_on": "07/10/2025", "#id_ceremony-consent_reference": ""})
    _submit(page, "/do/ceremony/", "Đã ghi lễ kết nạp.")
    page.get_by_text("07/10/2026").first.wait_for()
    page.select_option("#id_helper-member", str(officials[1].pk))
    _fill(page, {"#id_helper-on": "07/10/2025"})
    _submit(page, "/do/helper/", "Đã phân công đảng viên giúp đỡ.")

    # Recognition: due 18/11/2026, considered on 13/11/2026 by the same two thirds.
    page.goto(f"{live_server.url}/admissions/deadlines/?org={cast.cell.pk}&on=12/11/2026")
    page.get_by_text("Chi bộ xét công nhận đảng viên chính thức").wait_for()
    assert "sắp hết hạn (hạn 18/11/2026)" in page.content()
    page.goto(f"{base}/probation/")
    page.select_option("#id_recognition_vote-meeting", str(recognition_meeting.pk))
    _submit(page, "/do/recognition_vote/", "Đã đưa vào chương trình buổi sinh hoạt chi bộ.")
    _hold(recognition_meeting, cast.cell_secretary)
    page.reload()
    _fill(page, {"#id_recognition_result-yes": "5"})
    _submit(page, "/do/recognition_result/", "Đã ghi kết quả chi bộ xét công nhận.")

    # The ward's decision comes late; the member is official from the end of probation.
    _switch(page, live_server, "bithu")
    page.goto(f"{base}/probation/")
    _fill(page, {"#id_recognition-decided_on": "20/11/2026"})
    _submit(page, "/do/recognition/", "Đã ban hành quyết định công nhận đảng viên chính thức.")
    page.get_by_role("link", name="Số 02-QĐ/ĐU").wait_for()
    assert "đảng viên chính thức từ ngày 07/10/2026" in page.content()
    page.get_by_role("link", name="Đặng Thị Ngọc Ánh").first.click()
    page.get_by_text("Chính thức").first.wait_for()
    assert "07/10/2026" in page.content()

    # On a phone the committee's board stays readable, one card per row.
    login(phone, live_server, "vanphong")
    phone.goto(f"{live_server.url}/admissions/?org={cast.ward.pk}&step=all")
    phone.locator("#candidate-rows").get_by_text("Đã công nhận đảng viên chính thức").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
