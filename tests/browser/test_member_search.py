"""The office searches members without accents and finds them with their diacritics."""

from datetime import date

from tests.browser.conftest import login


def test_it_finds_nguyen_van_typed_without_accents(live_server, desktop, cast):
    from dangbo.members.actions import create_member

    for name in ("Nguyễn Văn Hùng", "Nguyễn Văn Đức", "Trần Thị Lan Anh"):
        create_member(organization=cast.cell, by=cast.office, full_name=name, sex="male",
                      date_of_birth=date(1975, 4, 2), admission_date=date(2001, 3, 3), status="official",
                      official_date=date(2002, 3, 3))
    login(desktop, live_server, "vanphong")
    desktop.goto(f"{live_server.url}/members/?org={cast.ward.pk}")
    desktop.fill("input[name=q]", "nguyen van")
    desktop.wait_for_function("!document.querySelector('#member-rows').innerText.includes('Trần Thị Lan Anh')")
    rows = desktop.locator("#member-rows").inner_text()
    assert "Nguyễn Văn Hùng" in rows
    assert "Nguyễn Văn Đức" in rows
    assert "2 đảng viên" in rows
    desktop.get_by_role("link", name="Nguyễn Văn Đức").click()
    desktop.get_by_role("heading", name="Nguyễn Văn Đức").wait_for()
