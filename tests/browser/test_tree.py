"""A cell secretary on a phone sees only their own cell in the organization tree."""

from tests.browser.conftest import login


def test_it_shows_a_cell_secretary_only_their_cell(live_server, phone, cast):
    login(phone, live_server, "bithuchibo")
    phone.goto(f"{live_server.url}/organizations/")
    tree = phone.locator("#org-tree")
    tree.get_by_text("Chi bộ Khối 1").wait_for()
    text = tree.inner_text()
    assert "Chi bộ Khối 1" in text
    assert "Chi bộ Trường Tiểu học Hưng Bình" not in text
    assert "Chi bộ Khối 9" not in text
    assert "Đảng bộ phường Vinh Hưng" not in text
    # The page fits a 360 px screen without sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_it_logs_in_by_phone_and_shows_the_ward_tree(live_server, desktop, cast):
    login(desktop, live_server, "0912345678")  # the office's phone number
    desktop.goto(f"{live_server.url}/organizations/")
    desktop.locator("#org-tree").get_by_text("Chi bộ Trường Tiểu học Hưng Bình").wait_for()
    assert "Chi bộ Khối 9" not in desktop.locator("#org-tree").inner_text()
