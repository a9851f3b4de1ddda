"""Saving an import: COPY (PostgreSQL) and bulk_create write the same members, history and status events."""

import shutil
import tempfile
import unittest
from datetime import date
from pathlib import Path
from unittest import mock

from django.db import connection, transaction

from dangbo.lib import copy
from dangbo.members import importer, importer_save
from dangbo.members.models import Member, StatusEvent
from dangbo.members.tests.test_import import nfd, tcvn3, values, write_csv, write_xlsx
from dangbo.test import BaseTestCase


class _Undo(Exception):
    pass


def rows():
    return [
        values(1),
        values(2, **{"Ngày chính thức": None, "Chi bộ": "Chi bộ Trường Tiểu học Hưng Bình"}),
        values(3, **{"Họ và tên": nfd("Nguyễn Văn Hùng"), "Nơi sinh": nfd("Xã Hưng Đông"),
                     "Số thẻ đảng viên": None, "Email": "hung@example.vn"}),
        values(4, **{"Họ và tên": tcvn3("Lê Thị Ánh Tuyết"), "Quê quán": tcvn3("Phường Vinh Hưng")}),
        # A backslash must reach the database as typed (COPY escapes it).
        values(5, **{"Nơi ở hiện nay": "Số 5\\7, ngõ 3", "Dân tộc": None, "Tôn giáo": None,
                     "Quản lý nhà nước": "CVC", "Ngày cấp thẻ": "01/02/2010"}),
    ]


class ImportSaveTests(BaseTestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.path = write_xlsx(self.dir / "ds.xlsx", rows())

    def snapshot(self):
        """Every saved value, keyed by full name, without ids and timestamps; the links are checked here."""
        members = {m["id"]: m for m in Member.objects.values()}
        found = {}
        for m in members.values():
            self.assertIsNotNone(m["created_at"])
            found[m["full_name"]] = {"member": {k: v for k, v in m.items() if k not in ("id", "created_at")}}
        for h in Member.history.values():
            member = members[h["id"]]
            self.assertEqual(h["created_at"], member["created_at"])
            self.assertIsNotNone(h["history_date"])
            found[member["full_name"]]["history"] = {
                k: v for k, v in h.items() if k not in ("id", "history_id", "history_date", "created_at")
            }
        for e in StatusEvent.objects.values():
            self.assertIsNotNone(e["recorded_at"])
            found[members[e["member_id"]]["full_name"]]["event"] = {
                k: v for k, v in e.items() if k not in ("id", "member_id", "recorded_at")
            }
        return found

    def saved_by(self, create, path=None):
        """Import the file with ``create`` writing new members, or, with None, saved while it is read
        (PostgreSQL: then neither analyse nor a writer may run); roll it back."""
        def unused(*args, **kwargs):
            raise AssertionError("the file was to be saved while it is read")

        streamed = create is None
        try:
            with transaction.atomic(), mock.patch.object(importer, "STREAM_SAVE", streamed), \
                    mock.patch.object(importer, "create_members_copy", create or unused), \
                    mock.patch.object(importer, "create_members_orm", create or unused), \
                    mock.patch.object(importer, "analyse", unused if streamed else importer.analyse):
                report = importer.import_file(path or self.path, self.ward, by=self.office)
                self.assertEqual(report.errors, [])
                self.assertTrue(report.saved)
                found = self.snapshot()
                raise _Undo
        except _Undo:
            pass
        self.assertEqual(Member.objects.count(), 0)
        return found

    def test_it_saves_the_expected_rows(self):
        postgresql = connection.vendor == "postgresql"
        found = self.saved_by(None if postgresql else importer_save.create_members_orm)
        self.assertEqual(set(found), {"Trần Thị Thử 1", "Nguyễn Văn Thử 2", "Nguyễn Văn Hùng", "Lê Thị Ánh Tuyết",
                                      "Trần Thị Thử 5"})
        reason = "Nhập hồ sơ từ tệp ds.xlsx"
        first = found["Trần Thị Thử 1"]
        self.assertEqual(first["member"]["search_key"], "tran thi thu 1")
        self.assertEqual((first["member"]["status"], first["member"]["organization_id"]), ("official", self.cell.pk))
        self.assertEqual(first["member"]["official_date"], first["event"]["effective_on"])
        self.assertEqual(first["event"], {"status": "official", "effective_on": first["member"]["official_date"],
                                          "reason": reason, "decision_reference": "",
                                          "recorded_by_id": self.office.pk})
        self.assertEqual(first["history"]["history_type"], "+")
        self.assertEqual(first["history"]["history_user_id"], self.office.pk)
        self.assertEqual(first["history"]["history_change_reason"], reason)
        second = found["Nguyễn Văn Thử 2"]
        self.assertEqual((second["member"]["status"], second["member"]["organization_id"]),
                         ("probationary", self.school_cell.pk))
        self.assertEqual(second["event"]["effective_on"], second["member"]["admission_date"])
        third = found["Nguyễn Văn Hùng"]["member"]
        self.assertEqual((third["card_number"], third["birthplace_text"], third["email"]),
                         (None, "Xã Hưng Đông", "hung@example.vn"))
        self.assertEqual(found["Lê Thị Ánh Tuyết"]["member"]["hometown_text"], "Phường Vinh Hưng")
        fifth = found["Trần Thị Thử 5"]["member"]
        self.assertEqual((fifth["residence_address"], fifth["ethnicity"], fifth["religion"],
                          fifth["state_management_level"], fifth["card_issued_on"], fifth["other_name"],
                          fifth["user_id"], fifth["birthplace_province"]),
                         ("Số 5\\7, ngõ 3", "Kinh", "Không", "principal", date(2010, 2, 1), "", None, None))
        for saved in found.values():
            history = dict(saved["history"])
            for name in ("history_type", "history_user_id", "history_change_reason"):
                history.pop(name)
            self.assertEqual(history, {k: v for k, v in saved["member"].items() if k != "search_key"})

    @unittest.skipUnless(connection.vendor == "postgresql", "COPY is PostgreSQL's")
    def test_copy_writes_what_bulk_create_writes(self):
        by_orm = self.saved_by(importer_save.create_members_orm)
        self.assertEqual(self.saved_by(importer_save.create_members_copy), by_orm)
        self.assertEqual(self.saved_by(None), by_orm)

    @unittest.skipUnless(connection.vendor == "postgresql", "COPY is PostgreSQL's")
    def test_copy_matches_on_a_csv_too(self):
        path = write_csv(self.dir / "ds.csv", rows())
        by_orm = self.saved_by(importer_save.create_members_orm, path)
        self.assertEqual(self.saved_by(importer_save.create_members_copy, path), by_orm)
        self.assertEqual(self.saved_by(None, path), by_orm)

    @unittest.skipUnless(connection.vendor == "postgresql", "COPY is PostgreSQL's")
    def test_copy_writes_many_batches(self):
        many = [values(100 + i) for i in range(7)]
        path = write_csv(self.dir / "many.csv", many)
        with mock.patch.object(importer_save.MemberCopy, "BATCH", 3):
            by_copy = self.saved_by(importer_save.create_members_copy, path)
            streamed = self.saved_by(None, path)
        by_orm = self.saved_by(importer_save.create_members_orm, path)
        self.assertEqual(len(by_orm), 7)
        self.assertEqual(by_copy, by_orm)
        self.assertEqual(streamed, by_orm)

    @unittest.skipUnless(connection.vendor == "postgresql", "saving while reading is PostgreSQL's")
    def test_a_file_saved_while_read_gets_the_report_analyse_makes(self):
        expected = importer.analyse(self.path, self.ward).to_dict()
        with mock.patch.object(importer, "analyse", side_effect=AssertionError("not saved while read")):
            report = importer.import_file(self.path, self.ward, by=self.office)
        self.assertTrue(report.saved)
        self.assertEqual(report.to_dict(), {**expected, "saved": True})
        self.assertEqual(Member.objects.count(), 5)

    @unittest.skipUnless(connection.vendor == "postgresql", "saving while reading is PostgreSQL's")
    def test_a_bad_last_row_undoes_what_was_written_while_reading(self):
        many = [values(100 + i) for i in range(7)] + [values(107, **{"Ngày sinh": "31/02/1970"})]
        path = write_csv(self.dir / "many.csv", many)
        expected = importer.analyse(path, self.ward).to_dict()
        with mock.patch.object(importer_save.MemberCopy, "BATCH", 3):
            report = importer.import_file(path, self.ward, by=self.office)
        self.assertFalse(report.saved)
        self.assertEqual(report.to_dict(), expected)
        self.assertEqual(len(report.errors), 1)
        self.assertEqual((Member.objects.count(), StatusEvent.objects.count(), Member.history.count()), (0, 0, 0))

    @unittest.skipUnless(connection.vendor == "postgresql", "saving while reading is PostgreSQL's")
    def test_a_number_already_held_goes_the_usual_way(self):
        many = [values(100 + i) for i in range(7)]
        path = write_csv(self.dir / "many.csv", many)
        importer.import_file(path, self.ward, by=self.office)
        # The same members again, one with a new address: the COPY meets their card numbers.
        many[5] = values(105, **{"Nơi ở hiện nay": "Số 9, ngõ 9"})
        path = write_csv(self.dir / "again.csv", many)
        with mock.patch.object(importer_save.MemberCopy, "BATCH", 3):
            report = importer.import_file(path, self.ward, by=self.office)
        self.assertTrue(report.saved)
        self.assertEqual(report.counts, {"new": 0, "updated": 1, "unchanged": 6, "errors": 0, "error_rows": 0})
        self.assertEqual((Member.objects.count(), StatusEvent.objects.count()), (7, 7))
        self.assertEqual(Member.objects.get(card_number=many[5]["Số thẻ đảng viên"]).residence_address, "Số 9, ngõ 9")

    def test_a_clash_while_saving_saves_nothing(self):
        report = importer.analyse(self.path, self.ward)
        # Someone takes a card number between the check and the save.
        Member.objects.create(organization=self.cell, full_name="Người Khác", sex="male",
                              date_of_birth=date(1970, 1, 1), admission_date=date(1995, 1, 1), card_number="10000001")
        importer.save(report, by=self.office)
        self.assertFalse(report.saved)
        self.assertIn("Dữ liệu vừa bị người khác thay đổi", report.errors[0].message)
        self.assertEqual(Member.objects.count(), 1)
        self.assertEqual(StatusEvent.objects.count(), 0)

    def test_the_report_keeps_a_sample_and_counts(self):
        many = [values(100 + i) for i in range(12)]
        path = write_xlsx(self.dir / "many.xlsx", many)
        with mock.patch.object(importer, "SAMPLE_ROWS", 5):
            report = importer.analyse(path, self.ward)
        self.assertEqual((len(report.new), report.new_count, len(report.rows)), (5, 12, 12))
        self.assertEqual(report.to_dict()["counts"]["new"], 12)


class CopyColumnsTests(BaseTestCase):
    def test_it_fills_every_other_column_with_its_default(self):
        given = ["id", "full_name", "date_of_birth", "admission_date", "organization_id"]
        columns = copy.Columns(Member, given, now="NOW", fixed={"status": "official"})
        self.assertEqual(columns.columns[:6], [*given, "status"])
        defaults = dict(zip(columns.columns[6:], columns.defaults[1:]))
        self.assertEqual((defaults["ethnicity"], defaults["religion"], defaults["created_at"], defaults["phone"],
                          defaults["user_id"]), ("Kinh", "Không", "NOW", "", None))
        self.assertTrue(columns.suffix.startswith("\tofficial\t"))
        self.assertTrue(columns.suffix.endswith("\n"))

    def test_it_refuses_a_required_column_left_out(self):
        with self.assertRaisesMessage(ValueError, "Member.date_of_birth is required"):
            copy.Columns(Member, ["id"], now=None)

    def test_text_escapes_what_copy_reads_as_special(self):
        self.assertEqual(copy.text("a\\b\tc\nd"), "a\\\\b\\tc\\nd")
        self.assertEqual((copy.text(None), copy.text(date(2020, 1, 2))), ("\\N", "2020-01-02"))


class ImportLimitTests(BaseTestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def analyse(self, count, limit):
        from dangbo.members import importer_files

        path = write_csv(self.dir / "ds.csv", [values(200 + i) for i in range(count)])
        with mock.patch.object(importer, "MAX_ROWS", limit), mock.patch.object(importer_files, "MAX_ROWS", limit):
            return importer.analyse(path, self.ward)

    def test_it_refuses_more_rows_than_the_limit(self):
        report = self.analyse(5, 3)
        self.assertEqual([(e.row, e.message) for e in report.errors],
                         [(1, "Tệp có 5 dòng, quá 3 dòng; hãy chia thành nhiều tệp.")])
        self.assertEqual((report.total_rows, report.new_count), (5, 0))

    def test_it_stops_reading_far_past_the_limit(self):
        report = self.analyse(20, 3)
        self.assertEqual([(e.row, e.message) for e in report.errors], [(1, "Tệp có quá 3 dòng; hãy chia thành nhiều tệp.")])
        self.assertEqual(report.new_count, 0)
