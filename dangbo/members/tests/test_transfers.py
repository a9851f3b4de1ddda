"""Transfer actions: deadlines (294-QĐ/TW §6.3.1), permanent and temporary, in and out of the system."""

from datetime import date
from itertools import count

from django.core.exceptions import ValidationError

from dangbo.members import movements
from dangbo.members.actions import create_member
from dangbo.members.choices import Status
from dangbo.members.models import Member, Transfer
from dangbo.organizations.counts import member_counts
from dangbo.test import BaseTestCase

_serial = count(1)


def make_member(cell, by=None, *, name=None, status=Status.OFFICIAL, **fields):
    """A member on ``cell``'s roll, admitted in 2010 (official since 2011)."""
    n = next(_serial)
    values = {
        "full_name": name or f"Đảng viên Thử {n}", "sex": "male", "date_of_birth": date(1980, 1, 1),
        "admission_date": date(2010, 5, 19),
    }
    if status != Status.PROBATIONARY:
        values["official_date"] = date(2011, 5, 19)
    values.update(fields)
    return create_member(organization=cell, by=by, status=status, **values)


def start(member, by, **overrides):
    values = {
        "kind": Transfer.Kind.PERMANENT, "moved_on": date(2026, 3, 2), "letter_number": "15-GGT/ĐU",
        "letter_date": date(2026, 3, 5), "reason": "Chuyển công tác",
    }
    values.update(overrides)
    if "to_organization" not in values and "to_text" not in values:
        values["to_organization"] = None
    return movements.start_transfer(member, by=by, **values)


def messages_of(error):
    return " ".join(error.exception.messages)


class DeadlineTest(BaseTestCase):
    def test_it_skips_tet_2026_when_counting_working_days(self):
        member = make_member(self.school_cell)
        transfer = start(member, self.secretary, to_organization=self.cell, moved_on=date(2026, 2, 10),
                         letter_number="", letter_date=None)
        # Tết Bính Ngọ: 16–20/02/2026 off; 27/04 (Giỗ Tổ, moved) and 30/04–01/05 off too.
        self.assertEqual(movements.start_deadline(transfer).due, date(2026, 5, 15))
        transfer.letter_date = date(2026, 2, 10)
        self.assertEqual(movements.present_deadline(transfer).due, date(2026, 3, 31))

    def test_it_tells_open_soon_overdue_met_and_late(self):
        member = make_member(self.school_cell)
        transfer = start(member, self.secretary, to_organization=self.cell, letter_date=date(2026, 2, 10))
        deadline = movements.present_deadline(transfer)
        self.assertEqual(deadline.state(date(2026, 2, 11)), "open")
        self.assertEqual(deadline.text(date(2026, 2, 11)), "còn hạn đến 31/03/2026")
        self.assertEqual(deadline.state(date(2026, 3, 24)), "soon")  # 5 working days left
        self.assertEqual(deadline.state(date(2026, 3, 23)), "open")  # 6 left
        self.assertIn("sắp hết hạn", deadline.text(date(2026, 3, 31)))
        self.assertEqual(deadline.state(date(2026, 4, 1)), "overdue")
        self.assertIn("quá hạn", deadline.text(date(2026, 4, 1)))
        transfer.presented_on = date(2026, 3, 31)
        self.assertEqual(movements.present_deadline(transfer).state(date(2026, 6, 1)), "met")
        transfer.presented_on = date(2026, 4, 1)
        self.assertEqual(movements.present_deadline(transfer).state(date(2026, 6, 1)), "late")

    def test_it_uses_the_rule_of_the_event_date(self):
        member = make_member(self.school_cell)
        transfer = start(member, self.secretary, to_organization=self.cell, moved_on=date(2020, 3, 2),
                         letter_date=date(2020, 3, 5))
        # No version of the 294-QĐ/TW deadlines covers 2020: no deadline rather than today's rule.
        self.assertIsNone(movements.start_deadline(transfer))
        self.assertEqual(movements.transfer_deadlines(transfer, today=date(2026, 1, 5)), [])


class StartTransferTest(BaseTestCase):
    def setUp(self):
        self.person = make_member(self.cell, name="Nguyễn Thị Thu")

    def test_it_starts_a_permanent_transfer_in_the_system(self):
        transfer = start(self.person, self.cell_secretary, to_organization=self.other_cell)
        self.assertEqual(transfer.state, Transfer.State.PENDING)
        self.assertEqual(transfer.from_organization, self.cell)
        self.assertEqual(transfer.created_by, self.cell_secretary)
        self.assertEqual(transfer.history.latest().history_user, self.cell_secretary)

    def test_it_starts_without_a_letter_and_records_it_later(self):
        transfer = start(self.person, self.cell_secretary, to_text="Chi bộ Sở Tài chính tỉnh Hà Tĩnh",
                         letter_number="", letter_date=None)
        movements.record_letter(transfer, letter_number="20-GGT/ĐU", letter_date=date(2026, 3, 10),
                                by=self.secretary)
        transfer.refresh_from_db()
        self.assertEqual((transfer.letter_number, transfer.letter_date), ("20-GGT/ĐU", date(2026, 3, 10)))

    def test_it_needs_exactly_one_destination(self):
        with self.assertRaises(ValidationError) as error:
            start(self.person, self.cell_secretary)
        self.assertIn("Chọn chi bộ nơi đến", messages_of(error))
        with self.assertRaises(ValidationError):
            start(self.person, self.cell_secretary, to_organization=self.other_cell, to_text="Đảng bộ xã khác")

    def test_it_refuses_a_committee_or_the_same_cell(self):
        with self.assertRaises(ValidationError) as error:
            start(self.person, self.cell_secretary, to_organization=self.other_ward)
        self.assertIn("Nơi chuyển đến phải là một chi bộ.", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            start(self.person, self.cell_secretary, to_organization=self.cell)
        self.assertIn("Đảng viên đang sinh hoạt ở chi bộ này.", messages_of(error))

    def test_it_refuses_a_second_open_transfer(self):
        start(self.person, self.cell_secretary, to_organization=self.other_cell)
        with self.assertRaises(ValidationError) as error:
            start(self.person, self.cell_secretary, to_text="Đảng bộ xã Nghi Lộc")
        self.assertIn("đang có một việc chuyển sinh hoạt chưa kết thúc", messages_of(error))

    def test_it_asks_why_the_letter_is_late(self):
        late = {"moved_on": date(2026, 2, 10), "letter_date": date(2026, 5, 18)}
        with self.assertRaises(ValidationError) as error:
            start(self.person, self.cell_secretary, to_organization=self.other_cell, **late)
        self.assertIn("quá 60 ngày làm việc", messages_of(error))
        self.assertIn("15/05/2026", messages_of(error))
        transfer = start(self.person, self.cell_secretary, to_organization=self.other_cell,
                         late_reason="Đảng viên ốm, nằm viện", **late)
        self.assertEqual(transfer.late_reason, "Đảng viên ốm, nằm viện")

    def test_it_refuses_a_member_no_longer_on_the_roll(self):
        gone = make_member(self.cell, status=Status.DECEASED)
        with self.assertRaises(ValidationError) as error:
            start(gone, self.cell_secretary, to_organization=self.other_cell)
        self.assertIn("không còn trong danh sách", messages_of(error))

    def test_it_bounds_a_temporary_transfer(self):
        temp = {"kind": Transfer.Kind.TEMPORARY, "to_organization": self.other_cell, "moved_on": date(2026, 3, 2)}
        with self.assertRaises(ValidationError) as error:
            start(self.person, self.cell_secretary, **temp)
        self.assertIn("phải ghi thời hạn", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            start(self.person, self.cell_secretary, ends_on=date(2026, 5, 1), **temp)
        self.assertIn("từ 3 tháng trở lên", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            start(self.person, self.cell_secretary, ends_on=date(2027, 3, 2), **temp)
        self.assertIn("12 tháng trở lên thì chuyển sinh hoạt chính thức", messages_of(error))
        # Full-time training may last up to 24 months.
        transfer = start(self.person, self.cell_secretary, ends_on=date(2028, 3, 2), for_training=True, **temp)
        self.assertEqual(transfer.ends_on, date(2028, 3, 2))
        self.assertTrue(transfer.for_training)


class ReceiveTransferTest(BaseTestCase):
    def setUp(self):
        self.person = make_member(self.cell, name="Trần Văn Long")

    def test_it_moves_a_permanent_member_to_the_receiving_cell_with_history(self):
        transfer = start(self.person, self.cell_secretary, to_organization=self.other_cell)
        movements.receive_transfer(transfer, presented_on=date(2026, 3, 12), by=self.outsider)
        self.person.refresh_from_db()
        self.assertEqual(self.person.organization, self.other_cell)
        self.assertEqual(self.person.status, Status.OFFICIAL)  # a move keeps the status
        last, before = self.person.history.order_by("-history_date", "-history_id")[:2]
        self.assertEqual(last.history_user, self.outsider)
        self.assertEqual((before.organization_id, last.organization_id), (self.cell.pk, self.other_cell.pk))
        transfer.refresh_from_db()
        self.assertEqual(transfer.state, Transfer.State.COMPLETED)

    def test_it_records_leaving_the_system(self):
        transfer = start(self.person, self.cell_secretary, to_text="Đảng bộ Công ty Điện lực Hà Tĩnh")
        movements.receive_transfer(transfer, presented_on=date(2026, 3, 20), by=self.cell_secretary)
        self.person.refresh_from_db()
        self.assertEqual(self.person.status, Status.TRANSFERRED_OUT)
        event = self.person.status_events.latest("pk")
        self.assertEqual(event.effective_on, date(2026, 3, 20))
        self.assertEqual(event.decision_reference, "Giấy giới thiệu số 15-GGT/ĐU ngày 05/03/2026")
        self.assertEqual(event.recorded_by, self.cell_secretary)

    def test_it_asks_why_the_letter_was_presented_late(self):
        transfer = start(self.person, self.cell_secretary, to_organization=self.other_cell,
                         letter_date=date(2026, 2, 10), moved_on=date(2026, 2, 9))
        with self.assertRaises(ValidationError) as error:
            movements.receive_transfer(transfer, presented_on=date(2026, 4, 1), by=self.outsider)
        self.assertIn("quá 30 ngày làm việc", messages_of(error))
        self.assertIn("31/03/2026", messages_of(error))
        movements.receive_transfer(transfer, presented_on=date(2026, 4, 1), late_reason="Chờ xác nhận lý lịch",
                                   by=self.outsider)
        self.assertEqual(transfer.late_reason, "Chờ xác nhận lý lịch")

    def test_it_refuses_to_receive_twice_or_without_a_letter(self):
        pending = start(self.person, self.cell_secretary, to_organization=self.other_cell, letter_number="",
                        letter_date=None)
        with self.assertRaises(ValidationError) as error:
            movements.receive_transfer(pending, presented_on=date(2026, 3, 12), by=self.outsider)
        self.assertIn("Chưa có giấy giới thiệu", messages_of(error))
        movements.record_letter(pending, letter_number="9-GGT", letter_date=date(2026, 3, 5), by=self.secretary)
        movements.receive_transfer(pending, presented_on=date(2026, 3, 12), by=self.outsider)
        with self.assertRaises(ValidationError) as error:
            movements.receive_transfer(pending, presented_on=date(2026, 3, 12), by=self.outsider)
        self.assertIn("không còn chờ tiếp nhận", messages_of(error))

    def test_it_cancels_only_a_pending_transfer(self):
        transfer = start(self.person, self.cell_secretary, to_organization=self.other_cell)
        movements.cancel_transfer(transfer, by=self.cell_secretary)
        self.assertEqual(transfer.state, Transfer.State.CANCELLED)
        with self.assertRaises(ValidationError) as error:
            movements.cancel_transfer(transfer, by=self.cell_secretary)
        self.assertIn("Chỉ hủy được", messages_of(error))
        # A cancelled transfer does not block a new one.
        start(self.person, self.cell_secretary, to_organization=self.school_cell)


class TemporaryTransferTest(BaseTestCase):
    def setUp(self):
        self.home = make_member(self.other_cell, name="Lê Thị Hằng")
        self.transfer = start(self.home, self.outsider, kind=Transfer.Kind.TEMPORARY, to_organization=self.cell,
                              ends_on=date(2026, 11, 30))
        movements.receive_transfer(self.transfer, presented_on=date(2026, 3, 10), by=self.cell_secretary)

    def test_it_lists_the_member_in_the_receiving_cell_but_keeps_the_home_roll(self):
        self.home.refresh_from_db()
        self.assertEqual(self.home.organization, self.other_cell)
        self.assertEqual(list(movements.temporarily_attached(self.cell, date(2026, 4, 1))), [self.home])
        self.assertEqual(list(movements.temporarily_attached(self.cell, date(2026, 3, 9))), [])
        self.assertEqual(list(movements.temporarily_attached(self.school_cell, date(2026, 4, 1))), [])

    def test_it_does_not_count_an_attached_member_in_the_receiving_totals(self):
        make_member(self.cell)
        counts = member_counts([self.cell, self.other_cell, self.ward, self.other_ward])
        self.assertEqual(counts[self.cell.pk], 1)
        self.assertEqual(counts[self.ward.pk], 1)
        self.assertEqual(counts[self.other_cell.pk], 1)  # still on the home roll
        self.assertEqual(Member.objects.filter(organization=self.cell).count(), 1)

    def test_it_ends_a_temporary_transfer(self):
        with self.assertRaises(ValidationError) as error:
            movements.end_temporary_transfer(self.transfer, on=date(2026, 3, 1), by=self.cell_secretary)
        self.assertIn("không được trước ngày tiếp nhận", messages_of(error))
        movements.end_temporary_transfer(self.transfer, on=date(2026, 9, 30), by=self.cell_secretary)
        self.assertEqual(self.transfer.state, Transfer.State.ENDED)
        self.assertEqual(self.transfer.ended_on, date(2026, 9, 30))
        self.assertEqual(list(movements.temporarily_attached(self.cell, date(2026, 9, 1))), [self.home])
        self.assertEqual(list(movements.temporarily_attached(self.cell, date(2026, 10, 1))), [])
        with self.assertRaises(ValidationError):
            movements.end_temporary_transfer(self.transfer, on=date(2026, 10, 30), by=self.cell_secretary)
        # Once back, a new transfer may start.
        start(self.home, self.outsider, to_text="Đảng bộ xã Nam Đàn", moved_on=date(2026, 10, 5),
              letter_date=date(2026, 10, 6))

    def test_it_blocks_a_new_transfer_while_away(self):
        with self.assertRaises(ValidationError) as error:
            start(self.home, self.outsider, to_text="Đảng bộ xã Nam Đàn")
        self.assertIn("chưa kết thúc", messages_of(error))


class ReceiveFromOutsideTest(BaseTestCase):
    fields = {"full_name": "Hồ Văn Quý", "sex": "male", "date_of_birth": date(1975, 6, 1),
              "admission_date": date(2000, 2, 3), "official_date": date(2001, 2, 3)}

    def arrive(self, **overrides):
        values = {"cell": self.cell, "letter_number": "31-GGT/ĐU", "letter_date": date(2026, 3, 2),
                  "from_text": "Đảng bộ xã Hưng Nguyên", "presented_on": date(2026, 3, 9), **self.fields}
        values.update(overrides)
        return movements.receive_from_outside(by=self.cell_secretary, **values)

    def test_it_creates_the_member_with_a_completed_transfer(self):
        transfer = self.arrive()
        member = transfer.member
        self.assertEqual((member.organization, member.status), (self.cell, Status.OFFICIAL))
        self.assertEqual((transfer.state, transfer.kind), (Transfer.State.COMPLETED, Transfer.Kind.PERMANENT))
        self.assertEqual(transfer.from_text, "Đảng bộ xã Hưng Nguyên")
        event = member.status_events.get()
        self.assertEqual(event.reason, "Chuyển đến từ Đảng bộ xã Hưng Nguyên")
        self.assertEqual(member_counts([self.cell])[self.cell.pk], 1)

    def test_it_needs_the_origin_the_letter_and_a_cell(self):
        with self.assertRaises(ValidationError) as error:
            self.arrive(from_text=" ")
        self.assertIn("Ghi tên tổ chức đảng nơi chuyển đi.", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            self.arrive(letter_number="")
        self.assertIn("Ghi số và ngày của giấy giới thiệu.", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            self.arrive(cell=self.ward)
        self.assertIn("Đảng viên phải sinh hoạt ở một chi bộ.", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            self.arrive(presented_on=date(2026, 6, 1))
        self.assertIn("lý do chậm", messages_of(error))
        self.assertFalse(Member.objects.exists())
