"""Importing member lists: headers, values, matching, errors, the command and the pages."""

import json
import shutil
import tempfile
import time
import unicodedata
from datetime import date, datetime
from io import BytesIO, StringIO
from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from dangbo.lib.vntext import TCVN3_BYTES, VNI_SEQUENCES
from dangbo.members import importer, tasks
from dangbo.members.actions import create_member
from dangbo.members.choices import Status
from dangbo.members.models import Member, StatusEvent
from dangbo.test import BaseTestCase

HEADERS = [column.header for column in importer.COLUMNS]
_TCVN3 = {letter: chr(code) for code, letter in TCVN3_BYTES.items()}


def tcvn3(text):
    """Text as a TCVN3 (.VnTime) document shows it in a Unicode cell: toned capitals use lower-case codes."""
    text = unicodedata.normalize("NFC", text)
    return "".join(_TCVN3.get(ch) or (_TCVN3.get(ch.lower()) if ch.isupper() else None) or ch for ch in text)


def vni(text):
    return "".join(VNI_SEQUENCES.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def nfd(text):
    return unicodedata.normalize("NFD", text)


def cccd(i, born, sex="male", province="040"):
    """A CCCD consistent with sex and year of birth (Thông tư 07/2016/TT-BCA)."""
    digit = (0 if born.year < 2000 else 2) + (0 if sex == "male" else 1)
    return f"{province}{digit}{born.year % 100:02d}{i:06d}"


def values(i, **overrides):
    """A valid row (header -> value) for member number ``i``."""
    sex = "male" if i % 2 == 0 else "female"
    born = date(1950 + i % 50, 1 + i % 12, 1 + i % 28)
    admitted = date(born.year + 25, 1 + (i * 7) % 12, 1 + (i * 3) % 28)
    row = {
        "Họ và tên": f"Nguyễn Văn Thử {i}" if sex == "male" else f"Trần Thị Thử {i}",
        "Giới tính": "Nam" if sex == "male" else "Nữ",
        "Ngày sinh": born.strftime("%d/%m/%Y"),
        "Nơi sinh": "Phường Vinh Hưng, tỉnh Nghệ An",
        "Quê quán": "Xã Nam Đàn, tỉnh Nghệ An",
        "Dân tộc": "Kinh",
        "Tôn giáo": "Không",
        "Số CCCD": cccd(i, born, sex),
        "Điện thoại": f"09{i:08d}",
        "Nghề nghiệp": "Hưu trí",
        "Giáo dục phổ thông": "12/12",
        "Chuyên môn": "Đại học",
        "Lý luận chính trị": "Trung cấp",
        "Ngày vào Đảng": admitted.strftime("%d/%m/%Y"),
        "Ngày chính thức": date(admitted.year + 1, admitted.month, admitted.day).strftime("%d/%m/%Y"),
        "Số thẻ đảng viên": f"{10000000 + i}",
        "Chi bộ": "NA.VH.CB01",
    }
    row.update(overrides)
    return row


def write_xlsx(path, rows, headers=None, title_rows=()):
    if headers is None:
        headers = list(dict.fromkeys(h for row in rows for h in row)) if rows else HEADERS
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    for title in title_rows:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    workbook.save(path)
    return path


def write_csv(path, rows, *, encoding="utf-8", bom=False, delimiter=","):
    import csv

    headers = list(dict.fromkeys(h for row in rows for h in row))
    out = StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    data = out.getvalue().encode(encoding)
    Path(path).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def cp1258(text):
    """Windows-1258 bytes: â ê ô ơ ư ă đ are precomposed, a tone is a combining mark after its letter."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += letter.encode("cp1258") + "".join(c for c in decomposed if c in tones).encode("cp1258")
    return bytes(out)


class TempMediaMixin:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._media = tempfile.mkdtemp()
        cls._override = override_settings(MEDIA_ROOT=cls._media)
        cls._override.enable()

    @classmethod
    def tearDownClass(cls):
        cls._override.disable()
        shutil.rmtree(cls._media, ignore_errors=True)
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.dir = Path(tempfile.mkdtemp(dir=self._media))


def errors_of(report):
    return {(e.row, e.column) for e in report.errors}


class ImporterTests(TempMediaMixin, BaseTestCase):
    def analyse(self, rows, into=None, **kwargs):
        path = write_xlsx(self.dir / "ds.xlsx", rows, **kwargs)
        return importer.analyse(path, into or self.ward)

    def run_import(self, rows, into=None, name="ds.xlsx", **kwargs):
        path = write_xlsx(self.dir / name, rows, **kwargs)
        return importer.import_file(path, into or self.ward, by=self.office)

    def test_it_imports_a_clean_file(self):
        rows = [values(1), values(2, **{"Ngày chính thức": None, "Chi bộ": "Chi bộ Trường Tiểu học Hưng Bình"})]
        report = self.run_import(rows)
        self.assertEqual(report.errors, [])
        self.assertTrue(report.saved)
        first = Member.objects.get(card_number="10000001")
        self.assertEqual(first.full_name, "Trần Thị Thử 1")
        self.assertEqual(first.sex, "female")
        self.assertEqual(first.status, Status.OFFICIAL)
        self.assertEqual(first.organization, self.cell)
        self.assertEqual(first.birthplace_text, "Phường Vinh Hưng, tỉnh Nghệ An")
        self.assertEqual(first.hometown_text, "Xã Nam Đàn, tỉnh Nghệ An")
        self.assertEqual(first.professional_degree, "bachelor")
        self.assertEqual(first.theory_level, "intermediate")
        self.assertEqual(first.search_key, "tran thi thu 1")
        second = Member.objects.get(card_number="10000002")
        self.assertEqual(second.status, Status.PROBATIONARY)
        self.assertEqual(second.organization, self.school_cell)
        event = StatusEvent.objects.get(member=second)
        self.assertEqual((event.status, event.effective_on, event.recorded_by), ("probationary", second.admission_date,
                                                                                 self.office))
        self.assertEqual(StatusEvent.objects.get(member=first).effective_on, first.official_date)
        record = first.history.get()
        self.assertEqual((record.history_type, record.history_user), ("+", self.office))

    def test_it_matches_header_variants(self):
        headers = ["STT", "HỌ VÀ TÊN", "Ngay sinh", "Gioi tinh", "Ngày kết nạp", "Ngày vào đảng chính thức",
                   "CMND/CCCD", "Số thẻ", "SĐT", "Trình độ LLCT", "GDPT", "Chuyên môn nghiệp vụ", "Dân tộc",
                   "Ghi chú"]
        row = values(3)
        data = {"STT": 1, "HỌ VÀ TÊN": row["Họ và tên"], "Ngay sinh": row["Ngày sinh"], "Gioi tinh": "nu",
                "Ngày kết nạp": row["Ngày vào Đảng"], "Ngày vào đảng chính thức": row["Ngày chính thức"],
                "CMND/CCCD": row["Số CCCD"], "Số thẻ": row["Số thẻ đảng viên"], "SĐT": row["Điện thoại"],
                "Trình độ LLCT": "CC", "GDPT": "12/12", "Chuyên môn nghiệp vụ": "ĐH Luật", "Dân tộc": "Thái",
                "Ghi chú": "x"}
        report = self.analyse([data], into=self.cell, headers=headers,
                              title_rows=["DANH SÁCH ĐẢNG VIÊN CHI BỘ KHỐI 1", ""])
        self.assertEqual(report.errors, [])
        self.assertEqual(report.warnings, ["Bỏ qua các cột không thuộc mẫu: Ghi chú."])
        member = report.new[0].member
        self.assertEqual(report.new[0].row, 4)
        self.assertEqual((member.theory_level, member.professional_degree, member.ethnicity, member.sex),
                         ("advanced", "bachelor", "Thái", "female"))
        self.assertEqual(member.citizen_id, row["Số CCCD"])
        self.assertEqual(member.organization, self.cell)

    def test_it_reports_missing_required_headers(self):
        report = self.analyse([{"Họ tên": "Nguyễn Văn A", "Giới tính": "Nam", "Số thẻ": "123456"}])
        self.assertEqual(errors_of(report), {(1, "Ngày sinh"), (1, "Ngày vào Đảng"), (1, "Chi bộ")})
        self.assertIn("Thiếu cột bắt buộc «Ngày sinh».", [e.message for e in report.errors])

    def test_it_needs_no_cell_column_when_importing_into_a_cell(self):
        row = values(4)
        del row["Chi bộ"]
        report = self.analyse([row], into=self.school_cell)
        self.assertEqual(report.errors, [])
        self.assertEqual(report.new[0].member.organization, self.school_cell)

    def test_it_finds_no_header_in_a_foreign_sheet(self):
        report = self.analyse([{"a": 1, "b": 2}])
        self.assertEqual(len(report.errors), 1)
        self.assertIn("Không tìm thấy dòng tiêu đề", report.errors[0].message)

    def test_it_reads_dates_in_every_form(self):
        rows = [
            values(10, **{"Ngày sinh": datetime(1975, 9, 5), "Số CCCD": cccd(10, date(1975, 1, 1))}),
            values(11, **{"Ngày sinh": "5/9/75", "Số CCCD": cccd(11, date(1975, 1, 1), "female")}),
            values(12, **{"Ngày sinh": 27642, "Số CCCD": cccd(12, date(1975, 1, 1))}),
            values(13, **{"Ngày sinh": "27642", "Số CCCD": cccd(13, date(1975, 1, 1), "female")}),
            values(14, **{"Ngày sinh": "1/1/50", "Số CCCD": cccd(14, date(1950, 1, 1))}),
            values(15, **{"Ngày sinh": "05-09-1975", "Số CCCD": cccd(15, date(1975, 1, 1), "female")}),
        ]
        for row in rows:
            row["Ngày vào Đảng"] = "19/5/2005"
            row["Ngày chính thức"] = None
        report = self.analyse(rows)
        self.assertEqual(report.errors, [])
        born = [p.member.date_of_birth for p in report.new]
        self.assertEqual(born, [date(1975, 9, 5)] * 4 + [date(1950, 1, 1), date(1975, 9, 5)])
        self.assertEqual({p.member.admission_date for p in report.new}, {date(2005, 5, 19)})

    def test_it_reports_bad_dates_with_row_and_column(self):
        rows = [values(20, **{"Ngày sinh": "31/02/1980"}), values(21, **{"Ngày vào Đảng": "hôm qua"}),
                values(22, **{"Ngày sinh": 1965}), values(23, **{"Ngày chính thức": "01/01/2999"})]
        report = self.analyse(rows)
        self.assertEqual(errors_of(report), {(2, "Ngày sinh"), (3, "Ngày vào Đảng"), (4, "Ngày sinh"),
                                             (5, "Ngày chính thức")})
        messages = [e.message for e in report.errors]
        self.assertIn("Ngày «31/02/1980» không hợp lệ; hãy ghi ngày/tháng/năm, ví dụ 05/09/1975.", messages)
        self.assertIn("Chỉ có năm «1965»; hãy ghi đủ ngày/tháng/năm.", messages)

    def test_it_repairs_nfd_tcvn3_and_vni_text(self):
        rows = [
            values(30, **{"Họ và tên": nfd("Nguyễn Văn Hùng"), "Nơi sinh": nfd("Xã Hưng Đông")}),
            values(31, **{"Họ và tên": tcvn3("Lê Thị Ánh Tuyết"), "Nơi sinh": tcvn3("Phường Vinh Hưng")}),
            values(32, **{"Họ và tên": vni("Đặng Thị Thu Hà")}),
            values(33, **{"Họ và tên": "NGUYỄN VĂN HÙNG", "Quê quán": tcvn3("Xã Nghi Lộc")}),
        ]
        report = self.analyse(rows)
        self.assertEqual(report.errors, [])
        members = [p.member for p in report.new]
        self.assertEqual([m.full_name for m in members],
                         ["Nguyễn Văn Hùng", "Lê Thị Ánh Tuyết", "Đặng Thị Thu Hà", "Nguyễn Văn Hùng"])
        self.assertEqual(members[0].birthplace_text, "Xã Hưng Đông")
        self.assertEqual(members[1].birthplace_text, "Phường Vinh Hưng")
        self.assertEqual(members[3].hometown_text, "Xã Nghi Lộc")
        self.assertTrue(all(unicodedata.is_normalized("NFC", m.full_name) for m in members))

    def test_it_matches_choices_tolerantly(self):
        cases = [("Chuyên môn", "dai hoc", "professional_degree", "bachelor"),
                 ("Chuyên môn", "Thạc sĩ Quản lý giáo dục", "professional_degree", "master"),
                 ("Chuyên môn", "CĐ", "professional_degree", "college"),
                 ("Lý luận chính trị", "Cao cấp", "theory_level", "advanced"),
                 ("Lý luận chính trị", "sơ cấp", "theory_level", "elementary"),
                 ("Lý luận chính trị", "Chưa qua đào tạo", "theory_level", ""),
                 ("Quản lý nhà nước", "CVC", "state_management_level", "principal"),
                 ("Quản lý nhà nước", "Chuyên viên", "state_management_level", "officer"),
                 ("Dân tộc", "ê đê", "ethnicity", "Ê Đê"),
                 ("Dân tộc", "H'Mông", "ethnicity", "Mông"),
                 ("Tôn giáo", "Thiên Chúa giáo", "religion", "Công giáo"),
                 ("Tôn giáo", "phat giao", "religion", "Phật giáo")]
        rows = [values(40 + n, **{header: value}) for n, (header, value, _f, _v) in enumerate(cases)]
        report = self.analyse(rows)
        self.assertEqual(report.errors, [])
        for planned, (_h, _value, field, expected) in zip(report.new, cases):
            self.assertEqual(getattr(planned.member, field), expected, field)

    def test_an_unknown_choice_is_a_row_error_naming_the_column(self):
        report = self.analyse([values(60, **{"Lý luận chính trị": "Siêu cấp"}), values(61, **{"Dân tộc": "Xyz"}),
                               values(62, **{"Giới tính": "Khác"})])
        self.assertEqual(errors_of(report), {(2, "Lý luận chính trị"), (3, "Dân tộc"), (4, "Giới tính")})
        self.assertIn("«Siêu cấp» không có trong danh sách lý luận chính trị.", [e.message for e in report.errors])

    def test_it_keeps_the_leading_zeros_of_numbers(self):
        row = values(70)
        report = self.analyse([values(70, **{"Số CCCD": int(row["Số CCCD"]), "Điện thoại": 912345678,
                                             "Số thẻ đảng viên": 10000070})])
        self.assertEqual(report.errors, [])
        member = report.new[0].member
        self.assertEqual((member.citizen_id, member.phone, member.card_number), (row["Số CCCD"], "0912345678",
                                                                                  "10000070"))

    def test_it_reads_numbers_typed_as_digits(self):
        rows = [values(71), values(72), values(73), values(74)]
        cccds = [row["Số CCCD"] for row in rows]
        rows[0].update({"Số CCCD": cccds[0].lstrip("0"), "Điện thoại": "912345671"})
        rows[1].update({"Điện thoại": "84912345672"})
        rows[2].update({"Số CCCD": "123456789"})
        rows[3].update({"Điện thoại": "0912 345 674"})
        path = write_csv(self.dir / "ds.csv", rows)
        report = importer.analyse(path, self.ward)
        self.assertEqual([(e.row, e.message) for e in report.errors],
                         [(4, "Đây là số CMND 9 số cũ; hãy ghi số CCCD 12 chữ số.")])
        del rows[2]
        saved = [(p.member.citizen_id, p.member.phone) for p in importer.analyse(
            write_csv(self.dir / "ok.csv", rows), self.ward).new]
        self.assertEqual(saved, [(cccds[0], "0912345671"), (cccds[1], "0912345672"), (cccds[3], "0912345674")])

    def test_it_runs_the_models_rules(self):
        rows = [values(80, **{"Số CCCD": "12345"}),
                values(81, **{"Số CCCD": "999185000081"}),
                values(82, **{"Số CCCD": cccd(82, date(1982, 1, 1), "female")}),
                values(83, **{"Ngày vào Đảng": "01/01/1940"}),
                values(84, **{"Số thẻ đảng viên": "123"}),
                values(85, **{"Email": "không phải email"}),
                values(86, **{"Họ và tên": ""})]
        report = self.analyse(rows)
        self.assertEqual(errors_of(report), {(2, "Số CCCD"), (3, "Số CCCD"), (4, "Số CCCD"), (5, "Ngày vào Đảng"),
                                             (6, "Số thẻ đảng viên"), (7, "Email"), (8, "Họ và tên")})
        self.assertEqual(len(report.errors), 7)
        messages = {(e.row): e.message for e in report.errors}
        self.assertEqual(messages[2], "Số CCCD phải gồm đúng 12 chữ số.")
        self.assertEqual(messages[4], "Số thứ tư của CCCD không khớp giới tính.")
        self.assertEqual(messages[5], "Ngày vào Đảng phải sau ngày sinh.")
        self.assertEqual(messages[8], "Chưa ghi họ và tên.")

    def test_it_reports_duplicates_on_the_later_row(self):
        rows = [values(90), values(91), values(92, **{"Số thẻ đảng viên": "10000090"}),
                values(93, **{"Số CCCD": values(91)["Số CCCD"]})]
        report = self.analyse(rows)
        self.assertEqual([(e.row, e.column, e.message) for e in report.errors], [
            (4, "Số thẻ đảng viên", "Số thẻ đảng viên trùng với dòng 2."),
            (5, "Số CCCD", "Số CCCD trùng với dòng 3."),
        ])

    def test_it_saves_nothing_when_any_row_is_bad(self):
        report = self.run_import([values(100), values(101), values(102, **{"Ngày sinh": "abc"})])
        self.assertFalse(report.saved)
        self.assertEqual(len(report.new), 2)
        self.assertEqual(Member.objects.count(), 0)

    def test_it_updates_matched_members_with_a_diff(self):
        row = values(110)
        by_card = create_member(organization=self.cell, by=self.office, status="official",
                                full_name=row["Họ và tên"], sex="male", date_of_birth=date(1960, 3, 3),
                                citizen_id=cccd(110, date(1960, 3, 3)), admission_date=date(1985, 3, 3),
                                official_date=date(1986, 3, 3), card_number="10000110", phone="0911111111")
        other = values(111)
        by_cccd = create_member(organization=self.cell, by=self.office, full_name=other["Họ và tên"], sex="female",
                                date_of_birth=date(1961, 12, 2), citizen_id=other["Số CCCD"],
                                admission_date=date(1986, 8, 24), card_number=None)
        file_rows = [
            values(110, **{"Ngày sinh": "03/03/1960", "Ngày vào Đảng": "03/03/1985", "Ngày chính thức": "03/03/1986",
                           "Số CCCD": by_card.citizen_id, "Điện thoại": "0922222222",
                           "Lý luận chính trị": "Cao cấp"}),
            values(111, **{"Số thẻ đảng viên": None, "Ngày sinh": "02/12/1961", "Ngày vào Đảng": "24/08/1986",
                           "Ngày chính thức": None, "Điện thoại": None, "Nơi sinh": None, "Quê quán": None,
                           "Nghề nghiệp": None, "Giáo dục phổ thông": None, "Chuyên môn": None,
                           "Lý luận chính trị": None}),
        ]
        report = self.analyse(file_rows)
        self.assertEqual(report.errors, [])
        self.assertEqual(len(report.new), 0)
        self.assertEqual([p.member.pk for p in report.unchanged], [by_cccd.pk])
        (updated,) = report.updated
        self.assertEqual(updated.member.pk, by_card.pk)
        diff = {c["field"]: (c["old"], c["new"]) for c in updated.diff()}
        self.assertEqual(diff["Điện thoại"], ("0911111111", "0922222222"))
        self.assertEqual(diff["Lý luận chính trị"], ("Chưa qua đào tạo", "Cao cấp"))
        self.assertEqual(diff["Nơi sinh"], ("—", "Phường Vinh Hưng, tỉnh Nghệ An"))
        self.assertNotIn("Họ và tên", diff)
        history_before = Member.history.count()
        importer.save(report, by=self.office)
        by_card.refresh_from_db()
        self.assertEqual((by_card.phone, by_card.theory_level), ("0922222222", "advanced"))
        self.assertEqual(Member.history.count(), history_before + 1)
        self.assertEqual(by_card.history.latest().history_user, self.office)

    def test_it_warns_that_an_official_date_does_not_change_the_status(self):
        self.run_import([values(125, **{"Ngày chính thức": None})], name="a.xlsx")
        report = self.analyse([values(125)])
        self.assertEqual(len(report.updated), 1)
        self.assertIn("đang là đảng viên dự bị; nhập tệp chỉ ghi ngày chính thức", report.warnings[0])

    def test_it_refuses_a_closed_organization(self):
        self.cell.active_to = date(2024, 1, 1)
        self.cell.save()
        report = self.analyse([values(126)], into=self.cell)
        self.assertEqual([e.message for e in report.errors], ["Chi bộ Khối 1 đã giải thể; không nhập được."])
        report = self.analyse([values(126)])
        self.assertEqual(report.errors[0].message, "Chi bộ «Chi bộ Khối 1» đã giải thể.")

    def test_reimporting_the_same_file_changes_nothing(self):
        rows = [values(120), values(121, **{"Chi bộ": "chi bo khoi 1"}), values(122, **{"Ngày chính thức": None})]
        self.run_import(rows, name="a.xlsx")
        history = (Member.history.count(), StatusEvent.objects.count())
        report = self.run_import(rows, name="b.xlsx")
        self.assertEqual((len(report.new), len(report.updated), len(report.unchanged)), (0, 0, 3))
        self.assertEqual((Member.history.count(), StatusEvent.objects.count()), history)

    def test_blank_cells_keep_existing_values(self):
        self.run_import([values(130)], name="a.xlsx")
        report = self.run_import([values(130, **{"Điện thoại": None, "Nơi sinh": "", "Dân tộc": None})],
                                 name="b.xlsx")
        self.assertEqual(len(report.unchanged), 1)
        self.assertEqual(Member.objects.get().phone, "0900000130")

    def test_it_refuses_members_of_other_wards(self):
        create_member(organization=self.other_cell, by=self.outsider, full_name="Người Phường Khác", sex="male",
                      date_of_birth=date(1970, 1, 1), admission_date=date(1995, 1, 1), card_number="10000140")
        report = self.analyse([values(140)])
        self.assertEqual(errors_of(report), {(2, "Số thẻ đảng viên")})
        self.assertNotIn("Người Phường Khác", report.errors[0].message)

    def test_it_refuses_a_number_held_by_another_member(self):
        holder = create_member(organization=self.cell, by=self.office, full_name="Lê Văn Giữ", sex="male",
                               date_of_birth=date(1970, 1, 1), admission_date=date(1995, 1, 1),
                               citizen_id=cccd(150, date(1970, 1, 1)))
        report = self.analyse([values(151, **{"Số CCCD": holder.citizen_id, "Ngày sinh": "01/01/1970",
                                               "Giới tính": "Nam"})])
        # The CCCD matches the holder, whose card number is empty: the row updates them.
        self.assertEqual(report.errors, [])
        self.assertEqual(report.updated[0].member.pk, holder.pk)
        create_member(organization=self.cell, by=self.office, full_name="Lê Văn Thẻ", sex="male",
                      date_of_birth=date(1971, 1, 1), admission_date=date(1996, 1, 1), card_number="10000152")
        report = self.analyse([values(152, **{"Số CCCD": holder.citizen_id, "Ngày sinh": "01/01/1970",
                                               "Giới tính": "Nam"})])
        self.assertEqual([(e.row, e.column, e.message) for e in report.errors],
                         [(2, "Số CCCD", "Số này đã là của Lê Văn Giữ.")])

    def test_it_does_not_move_members_between_cells(self):
        self.run_import([values(160)], name="a.xlsx")
        report = self.analyse([values(160, **{"Chi bộ": "NA.VH.CB02"})])
        self.assertEqual(errors_of(report), {(2, "Chi bộ")})
        self.assertIn("chuyển sinh hoạt đảng", report.errors[0].message)

    def test_it_reports_unknown_cells(self):
        report = self.analyse([values(170, **{"Chi bộ": "Chi bộ Khối 9"}), values(171, **{"Chi bộ": None})])
        self.assertEqual(errors_of(report), {(2, "Chi bộ"), (3, "Chi bộ")})
        self.assertEqual(report.errors[0].message, "Không có chi bộ «Chi bộ Khối 9» trong Đảng bộ phường Vinh Hưng.")

    def test_it_reads_csv_in_utf8_with_and_without_bom(self):
        rows = [values(180, **{"Họ và tên": "Đỗ Thị Ánh"}), values(181)]
        for n, (bom, delimiter) in enumerate([(True, ","), (False, ";"), (False, "\t")]):
            path = write_csv(self.dir / f"ds{n}.csv", rows, bom=bom, delimiter=delimiter)
            report = importer.analyse(path, self.ward)
            self.assertEqual(report.errors, [], (bom, delimiter))
            self.assertEqual(report.new[0].member.full_name, "Đỗ Thị Ánh")
            self.assertEqual(report.new[0].member.citizen_id, rows[0]["Số CCCD"])

    def test_it_reads_csv_in_windows_1258(self):
        rows = [values(190, **{"Họ và tên": "Nguyễn Thị Hường", "Nơi sinh": "Xã Hưng Lộc, tỉnh Nghệ An"})]
        path = self.dir / "ds.csv"
        text = write_csv(self.dir / "tmp.csv", rows).read_text(encoding="utf-8")
        path.write_bytes(cp1258(text))
        report = importer.analyse(path, self.ward)
        self.assertEqual(report.errors, [])
        self.assertEqual(report.new[0].member.full_name, "Nguyễn Thị Hường")
        self.assertEqual(report.new[0].member.birthplace_text, "Xã Hưng Lộc, tỉnh Nghệ An")

    def test_it_reads_csv_in_tcvn3_bytes(self):
        rows = [values(195, **{"Họ và tên": "Nguyễn Văn Hùng", "Nơi sinh": "Phường Vinh Hưng"})]
        text = write_csv(self.dir / "tmp.csv", rows).read_text(encoding="utf-8")
        path = self.dir / "ds.csv"
        path.write_bytes(tcvn3(text).encode("latin-1"))
        report = importer.analyse(path, self.ward)
        self.assertEqual(report.errors, [])
        self.assertEqual(report.new[0].member.full_name, "Nguyễn Văn Hùng")

    def test_it_rejects_csv_in_an_unknown_encoding(self):
        path = self.dir / "ds.csv"
        path.write_bytes("Họ và tên,Ngày sinh\n山田太郎,01/01/1980\n".encode("shift_jis", errors="replace"))
        report = importer.analyse(path, self.ward)
        self.assertEqual(len(report.errors), 1)
        self.assertIn("Không nhận ra bảng mã của tệp CSV", report.errors[0].message)

    def test_it_rejects_other_files(self):
        path = self.dir / "ds.xls"
        path.write_bytes(b"\xd0\xcf\x11\xe0")
        report = importer.analyse(path, self.ward)
        self.assertIn("Tệp .xls (Excel 97–2003) chưa đọc được", report.errors[0].message)
        path = self.dir / "broken.xlsx"
        path.write_bytes(b"not a zip")
        self.assertIn("Không đọc được tệp Excel", importer.analyse(path, self.ward).errors[0].message)

    def test_the_template_imports_cleanly(self):
        from dangbo.members.exports import import_template

        path = self.dir / "mau.xlsx"
        path.write_bytes(import_template())
        report = importer.analyse(path, self.ward)
        self.assertEqual(report.errors, [])
        self.assertEqual(report.new[0].member.full_name, "Nguyễn Văn An")


class ImportCommandTests(TempMediaMixin, BaseTestCase):
    def call(self, *args):
        out = StringIO()
        call_command("import_members", *args, stdout=out, stderr=StringIO())
        return out.getvalue()

    def test_it_saves_a_clean_file(self):
        path = write_xlsx(self.dir / "ds.xlsx", [values(1), values(2)])
        out = self.call(str(path), "--into", "NA.VH")
        self.assertIn("Thêm mới: 2, cập nhật: 0, không thay đổi: 0.", out)
        self.assertIn("Đã lưu.", out)
        self.assertEqual(Member.objects.count(), 2)

    def test_dry_run_saves_nothing(self):
        path = write_xlsx(self.dir / "ds.xlsx", [values(1)])
        out = self.call(str(path), "--into", "na.vh.cb01", "--dry-run")
        self.assertIn("Chạy thử: không lưu gì.", out)
        self.assertEqual(Member.objects.count(), 0)

    def test_it_prints_errors_and_exits_non_zero(self):
        path = write_xlsx(self.dir / "ds.xlsx", [values(1), values(2, **{"Ngày sinh": "31/02/1980"})])
        out = StringIO()
        with self.assertRaises(CommandError) as raised:
            call_command("import_members", str(path), "--into", "NA.VH", stdout=out)
        self.assertEqual(raised.exception.returncode, 1)
        self.assertEqual(str(raised.exception), "Có 1 lỗi ở 1 dòng; không lưu gì.")
        self.assertIn("Dòng 3, cột «Ngày sinh»: Ngày «31/02/1980» không hợp lệ", out.getvalue())
        self.assertEqual(Member.objects.count(), 0)

    def test_it_prints_the_diff(self):
        path = write_xlsx(self.dir / "ds.xlsx", [values(1)])
        self.call(str(path), "--into", "NA.VH")
        path = write_xlsx(self.dir / "ds2.xlsx", [values(1, **{"Điện thoại": "0987654321"})])
        out = self.call(str(path), "--into", "NA.VH", "--by", "vanphong")
        self.assertIn("Cập nhật dòng 2, Trần Thị Thử 1: Điện thoại: 0900000001 → 0987654321", out)
        self.assertEqual(Member.history.latest().history_user, self.office)

    def test_it_refuses_unknown_organizations(self):
        with self.assertRaisesMessage(CommandError, "Không có tổ chức đảng mã «XX»."):
            self.call("/nonexistent.xlsx", "--into", "XX")


def upload(path, name=None):
    return SimpleUploadedFile(name or Path(path).name, Path(path).read_bytes())


class ImportPageTests(TempMediaMixin, BaseTestCase):
    url = "/members/import/"

    def post_file(self, user, rows, org=None, name="ds.xlsx"):
        self.client.force_login(user)
        path = write_xlsx(self.dir / name, rows)
        return self.client.post(self.url, {"organization": (org or self.ward).pk, "file": upload(path)})

    def token_of(self, response):
        self.assertEqual(response.status_code, 302, getattr(response, "content", b"")[:2000])
        return response["Location"].rstrip("/").split("/")[-1]

    def test_it_requires_login(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_it_offers_the_writable_organizations(self):
        self.client.force_login(self.cell_secretary)
        response = self.client.get(self.url)
        self.assertContains(response, "Nhập danh sách đảng viên")
        self.assertContains(response, "Chi bộ Khối 1 (NA.VH.CB01)")
        self.assertNotContains(response, "Đảng bộ phường Vinh Hưng (NA.VH)")
        self.assertContains(response, "/members/import/template.xlsx")

    def test_it_hides_other_wards(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.url, {"org": self.ward.pk}).status_code, 404)
        before = set(Path(self._media).glob("imports/*"))
        response = self.post_file(self.outsider, [values(1)], org=self.ward)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(set(Path(self._media).glob("imports/*")), before)

    def test_it_requires_write_access(self):
        self.client.force_login(self.readonly)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.get(self.url, {"org": self.ward.pk}).status_code, 403)
        self.assertEqual(self.post_file(self.readonly, [values(1)]).status_code, 403)
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.post_file(self.member, [values(1)], org=self.cell).status_code, 403)
        self.assertEqual(Member.objects.count(), 0)

    def test_a_cell_secretary_cannot_import_into_the_ward(self):
        self.assertEqual(self.post_file(self.cell_secretary, [values(1)], org=self.ward).status_code, 404)

    def test_it_previews_then_saves_on_confirm(self):
        existing = create_member(organization=self.cell, by=self.office, status="official", full_name="Trần Thị Thử 1",
                                 sex="female", date_of_birth=date(1951, 2, 2),
                                 citizen_id=cccd(1, date(1951, 2, 2), "female"), admission_date=date(1976, 8, 4),
                                 official_date=date(1977, 8, 4), card_number="10000001")
        rows = [values(1, **{"Điện thoại": "0987654321"}), values(2), values(4, **{"Ngày chính thức": None})]
        token = self.token_of(self.post_file(self.office, rows))
        response = self.client.get(f"/members/import/{token}/")
        self.assertContains(response, "Tệp không có lỗi.")
        self.assertContains(response, "Điện thoại: «—» → «0987654321»")
        self.assertContains(response, "Lưu: thêm 2, cập nhật 1")
        self.assertEqual(Member.objects.count(), 1)
        response = self.client.post(f"/members/import/{token}/confirm/")
        self.assertRedirects(response, f"/members/import/{token}/")
        response = self.client.get(f"/members/import/{token}/")
        self.assertContains(response, "Đã lưu: thêm mới 2, cập nhật 1, không thay đổi 0.")
        self.assertEqual(Member.objects.count(), 3)
        existing.refresh_from_db()
        self.assertEqual(existing.phone, "0987654321")
        self.assertEqual(existing.history.latest().history_user, self.office)
        # The uploaded list is deleted once saved; a second confirm does nothing.
        self.assertEqual(list(Path(self._media).glob(f"imports/{token}.xlsx")), [])
        self.client.post(f"/members/import/{token}/confirm/")
        self.assertEqual(Member.objects.count(), 3)

    def test_it_shows_every_error_and_no_save_button(self):
        rows = [values(1), values(2, **{"Số CCCD": "123"}), values(3, **{"Lý luận chính trị": "abc"})]
        token = self.token_of(self.post_file(self.office, rows))
        response = self.client.get(f"/members/import/{token}/")
        self.assertContains(response, "Tệp có lỗi ở 2 dòng. Chưa lưu gì")
        self.assertContains(response, "Số CCCD phải gồm đúng 12 chữ số.")
        self.assertContains(response, "«abc» không có trong danh sách lý luận chính trị.")
        self.assertNotContains(response, "Lưu: thêm")
        self.client.post(f"/members/import/{token}/confirm/")
        self.assertEqual(Member.objects.count(), 0)

    def test_the_preview_says_when_nothing_changes(self):
        token = self.token_of(self.post_file(self.office, [values(1)]))
        self.client.post(f"/members/import/{token}/confirm/")
        token = self.token_of(self.post_file(self.office, [values(1)], name="again.xlsx"))
        response = self.client.get(f"/members/import/{token}/")
        self.assertContains(response, "Không có gì thay đổi")
        self.assertContains(response, "Trần Thị Thử 1 — không thay đổi")

    def test_a_job_belongs_to_its_uploader(self):
        token = self.token_of(self.post_file(self.office, [values(1)]))
        for user in (self.secretary, self.outsider, self.cell_secretary):
            self.client.force_login(user)
            for suffix in ("", "progress/"):
                self.assertEqual(self.client.get(f"/members/import/{token}/{suffix}").status_code, 404)
            for suffix in ("confirm/", "cancel/"):
                self.assertEqual(self.client.post(f"/members/import/{token}/{suffix}").status_code, 404)
        self.assertEqual(Member.objects.count(), 0)

    def test_a_job_needs_write_access_still(self):
        token = self.token_of(self.post_file(self.office, [values(1)]))
        from dangbo.accounts.models import RoleAssignment

        RoleAssignment.objects.filter(user=self.office).update(role="read_only")
        self.office.refresh_from_db()
        self.client.force_login(self.office)
        self.assertEqual(self.client.post(f"/members/import/{token}/confirm/").status_code, 403)
        self.assertEqual(Member.objects.count(), 0)

    def test_unknown_tokens_are_404(self):
        self.client.force_login(self.office)
        for token in ("x" * 32, "..%2F..%2Fsecret_key", "a"):
            self.assertEqual(self.client.get(f"/members/import/{token}/").status_code, 404)

    def test_cancel_deletes_the_upload(self):
        token = self.token_of(self.post_file(self.office, [values(1)]))
        response = self.client.post(f"/members/import/{token}/cancel/")
        self.assertRedirects(response, f"/members/import/?org={self.ward.pk}")
        self.assertEqual(list(Path(self._media).glob(f"imports/{token}*")), [])

    def test_it_rejects_other_file_types(self):
        self.client.force_login(self.office)
        response = self.client.post(self.url, {"organization": self.ward.pk,
                                               "file": SimpleUploadedFile("ds.pdf", b"%PDF")})
        self.assertContains(response, "Chỉ nhận tệp .xlsx hoặc .csv.")

    def test_big_files_run_in_the_background(self):
        rows = [values(i) for i in range(1, 6)]
        with mock.patch.object(importer, "BACKGROUND_ROWS", 3), \
                mock.patch.object(tasks, "run_import", wraps=tasks.run_import) as task:
            token = self.token_of(self.post_file(self.office, rows))
            enqueue = task.enqueue
            enqueue.assert_called_once_with(token, save=False)
            state = json.loads((Path(self._media) / "imports" / f"{token}.json").read_text())
            self.assertTrue(state["task_id"])
            self.assertEqual(state["stage"], "checked")
            self.assertEqual(state["progress"], {"stage": "analyse", "done": 10, "total": 10})
            self.client.post(f"/members/import/{token}/confirm/")
            self.assertEqual(enqueue.call_count, 2)
        self.assertEqual(Member.objects.count(), 5)

    def test_the_progress_partial_polls_while_a_job_runs(self):
        token = self.token_of(self.post_file(self.office, [values(1)]))
        job = tasks.ImportJob.load(token)
        job.update(stage=tasks.CHECKING, progress={"stage": "analyse", "done": 250, "total": 4000})
        response = self.client.get(f"/members/import/{token}/")
        self.assertContains(response, 'hx-trigger="every 2s"')
        self.assertContains(response, '<progress max="4000" value="250">')
        self.assertNotContains(response, "Lưu: thêm")
        response = self.client.get(f"/members/import/{token}/progress/", HTTP_HX_REQUEST="true")
        self.assertContains(response, '<progress max="4000" value="250">')
        self.assertContains(response, "Đang đọc và kiểm tra từng dòng")
        job.update(stage=tasks.CHECKED)
        response = self.client.get(f"/members/import/{token}/progress/", HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 204)
        self.assertEqual(response["HX-Redirect"], f"/members/import/{token}/")

    def test_the_progress_partial_reports_a_failed_task(self):
        token = self.token_of(self.post_file(self.office, [values(1)]))
        tasks.ImportJob.load(token).update(stage=tasks.SAVING, task_id="abc")
        failed = mock.Mock(status="FAILED")
        with mock.patch.object(tasks, "run_import") as task:
            task.get_result.return_value = failed
            response = self.client.get(f"/members/import/{token}/progress/", HTTP_HX_REQUEST="true")
            task.get_result.assert_called_once_with("abc")
        self.assertEqual(response["HX-Redirect"], f"/members/import/{token}/")
        self.assertContains(self.client.get(f"/members/import/{token}/"), "Tác vụ nền bị lỗi; không lưu gì.")

    def test_old_jobs_are_purged(self):
        token = self.token_of(self.post_file(self.office, [values(1)]))
        tasks.purge_old_jobs(now=time.time() + tasks.KEEP_SECONDS + 60)
        self.assertIsNone(tasks.ImportJob.load(token))


class ImportTemplateTests(BaseTestCase):
    def test_it_requires_login(self):
        self.assertEqual(self.client.get("/members/import/template.xlsx").status_code, 302)

    def test_it_downloads_the_template(self):
        self.client.force_login(self.cell_secretary)
        response = self.client.get("/members/import/template.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        workbook = load_workbook(BytesIO(response.content))
        sheet, guide = workbook.worksheets
        self.assertEqual([c.value for c in sheet[1]], HEADERS)
        self.assertEqual(sheet["A2"].value, "Nguyễn Văn An")
        self.assertEqual(guide.title, "Hướng dẫn")
        texts = " ".join(str(c.value) for row in guide.iter_rows() for c in row)
        self.assertIn("Cao cấp", texts)
        self.assertIn("Ê Đê", texts)
