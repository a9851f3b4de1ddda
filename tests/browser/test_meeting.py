"""A cell secretary runs this month's meeting on a phone: notice, check-in of 20, two votes, locked minutes, PDF."""

import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.browser.conftest import login

OFFICIAL, PROBATIONARY = 16, 4
ARTIFACTS = Path("/tmp/dangbo-meeting-browser")


def _setup(cast):
    from django.utils import timezone

    from dangbo.documents.models import seed_default_types
    from dangbo.meetings import actions
    from dangbo.meetings.models import Meeting
    from dangbo.members.actions import create_member
    from dangbo.organizations.models import Term

    seed_default_types()
    Term.objects.create(organization=cast.cell, name="2025–2027", starts_on=date(2025, 6, 1),
                        congress_closed_on=date(2025, 5, 31))
    members = []
    for i in range(OFFICIAL + PROBATIONARY):
        official = i < OFFICIAL
        members.append(create_member(
            organization=cast.cell, by=cast.office, full_name=f"{'Nguyễn Văn' if official else 'Trần Thị'} Số {i + 1:02d}",
            sex="male" if official else "female", date_of_birth=date(1970 + i, 3, 3),
            admission_date=date(2005, 5, 19) if official else date(2026, 2, 3),
            official_date=date(2006, 5, 19) if official else None, status="official" if official else "probationary"))
    now = timezone.localtime()
    today = now.date()
    actions.generate_year_plan(cast.cell, year=today.year, by=cast.cell_secretary, from_month=today.month,
                               place="Nhà văn hóa Khối 1")
    meeting = Meeting.objects.get(organization=cast.cell, year=today.year, month=today.month)
    # This month's meeting is today, a little before now, so it can start at once.
    start = max(now - timedelta(minutes=10), timezone.make_aware(datetime.combine(today, datetime.min.time())))
    actions.move_meeting(meeting, scheduled_at=start, by=cast.cell_secretary)
    return meeting, members


def _vote(page, question, yes, no, abstain):
    form = page.locator("details.vote-form")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    form.locator("input[name=question]").fill(question)
    form.locator("input[name=yes]").fill(str(yes))
    form.locator("input[name=no]").fill(str(no))
    form.locator("input[name=abstain]").fill(str(abstain))
    form.get_by_role("button", name="Ghi kết quả").click()
    page.wait_for_load_state()


def test_a_cell_secretary_runs_this_months_meeting_on_a_phone(live_server, phone, cast):
    meeting, members = _setup(cast)
    ARTIFACTS.mkdir(exist_ok=True)
    login(phone, live_server, "bithuchibo")

    # The plan of the year, then this month's meeting.
    phone.goto(f"{live_server.url}/meetings/")
    phone.screenshot(path=str(ARTIFACTS / "plan.png"), full_page=True)
    phone.get_by_role("link", name=f"Tháng {meeting.month}").first.click()
    phone.get_by_role("heading", name=f"Thường kỳ · tháng {meeting.month}/{meeting.year}").wait_for()

    # HD 42 step 3: the notice opens the roster of 20.
    phone.get_by_role("button", name="Thông báo đến đảng viên").click()
    phone.get_by_text("Đã thông báo đến 20 đảng viên").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "preparation.png"), full_page=True)

    # Start, with the chair, then one tap per member.
    phone.get_by_role("link", name="Điểm danh").click()
    phone.locator("summary", has_text="Bắt đầu buổi sinh hoạt").click()
    phone.get_by_label("Chủ trì").select_option(label=members[0].full_name)
    phone.get_by_label("Thư ký").select_option(label=members[1].full_name)
    phone.get_by_role("button", name="Bắt đầu", exact=True).click()
    phone.get_by_text("Đã bắt đầu buổi sinh hoạt").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    for member in members:
        row = phone.locator(f"#att-{member.pk}")
        button = row.get_by_role("button", name="Có mặt")
        box = button.bounding_box()
        assert box["height"] >= 44, "a check-in button is too small to tap"
        button.click()
        phone.locator(f"#att-{member.pk} .att-status[data-status=present]").wait_for()
    phone.locator("#att-summary", has_text="Có mặt 20/20").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "attendance.png"), full_page=False)

    # Two votes on one item: 10/16 passes, 8/16 is not more than half and fails.
    phone.get_by_role("link", name="Nội dung, biểu quyết").click()
    phone.get_by_label("Loại").select_option(label="Biểu quyết nghị quyết")
    phone.locator("input[name=title]").fill("Nghị quyết sinh hoạt chi bộ tháng")
    phone.get_by_role("button", name="Thêm", exact=True).click()
    phone.get_by_text("Đã thêm nội dung.").wait_for()
    _vote(phone, "Thông qua nghị quyết tháng", 10, 4, 2)
    phone.get_by_text("Tán thành 10/16 (62,5%) > 1/2 số tính 16 → thông qua").first.wait_for()
    _vote(phone, "Mua sắm loa truyền thanh", 8, 6, 2)
    phone.get_by_text("Tán thành 8/16 (50,0%) không quá 1/2 số tính 16 → không thông qua").first.wait_for()
    assert phone.locator(".vote.passed").count() == 1
    assert phone.locator(".vote.failed").count() == 1
    phone.screenshot(path=str(ARTIFACTS / "agenda.png"), full_page=True)

    # End the meeting (shorter than 90 minutes: a warning, not a block), read back and lock.
    phone.get_by_role("link", name="Điểm danh").click()
    phone.locator("summary", has_text="Kết thúc buổi sinh hoạt").click()
    phone.get_by_role("button", name="Kết thúc", exact=True).click()
    phone.get_by_text("ít hơn thời lượng tối thiểu 90 phút").first.wait_for()
    phone.locator("summary", has_text="Ghi biên bản").click()
    phone.get_by_label("Khai mạc, tuyên bố lý do, thông qua chương trình").fill(
        "Đồng chí Bí thư tuyên bố lý do, thông qua chương trình.")
    phone.get_by_role("button", name="Lưu biên bản").click()
    phone.get_by_text("Đã lưu biên bản.").wait_for()
    phone.get_by_label("Biên bản đã được đọc lại trước chi bộ").check()
    phone.get_by_role("button", name="Khóa biên bản").click()
    phone.get_by_text("Đã khóa biên bản").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "minutes.png"), full_page=False)

    # The PDF shows the names and both results.
    response = phone.request.get(f"{live_server.url}/meetings/{meeting.pk}/minutes.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = ARTIFACTS / "bien-ban.pdf"
    pdf.write_bytes(response.body())
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
                    .stdout.decode().split())
    for expected in ("BIÊN BẢN", "CHI BỘ KHỐI 1", "Tổng số đảng viên triệu tập: 20 đồng chí; có mặt: 20 đồng chí",
                     "Chính thức: có mặt 16/16", "Dự bị: có mặt 4/4", "Thông qua nghị quyết tháng",
                     "Tán thành 10/16 (62,5%) > 1/2 số tính 16 → thông qua", "Mua sắm loa truyền thanh",
                     "Tán thành 8/16 (50,0%) không quá 1/2 số tính 16 → không thông qua",
                     members[0].full_name, members[1].full_name, "CHỦ TRÌ", "THƯ KÝ"):
        assert expected in text, expected
    assert "DỰ THẢO" not in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / "bien-ban")],
                   check=True)

    # The resolution goes through the register and takes its number.
    phone.get_by_role("button", name="Ban hành nghị quyết (lấy số)").click()
    phone.get_by_text("Đã ban hành nghị quyết Số 01-NQ/CB.").wait_for()


def test_the_committee_sees_which_cells_are_late(live_server, desktop, cast):
    from django.utils import timezone

    from dangbo.meetings import actions

    today = timezone.localdate()
    actions.generate_year_plan(cast.cell, year=today.year, by=cast.cell_secretary, from_month=1)
    login(desktop, live_server, "bithu")
    desktop.goto(f"{live_server.url}/meetings/")
    desktop.get_by_role("heading", name="Chi bộ chậm").wait_for()
    late = desktop.locator(".late-cells")
    assert "Chi bộ Khối 1" in late.inner_text()
    assert "chưa ghi nhận đã họp" in late.inner_text()
    assert f"Chưa lập kế hoạch sinh hoạt năm {today.year}" in late.inner_text()
    assert "Chi bộ Khối 9" not in desktop.content()
    desktop.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    desktop.get_by_role("link", name="Chi bộ Khối 1").first.click()
    desktop.get_by_role("heading", name="Sinh hoạt chi bộ · Chi bộ Khối 1").wait_for()
