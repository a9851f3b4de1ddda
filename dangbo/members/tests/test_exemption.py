"""Exemption actions (24-QĐ/TW §7.1; 01-HD §10.3): request, the cell decides, the superior is informed."""

from datetime import date

from django.core.exceptions import ValidationError

from dangbo.members import movements
from dangbo.members.choices import Status
from dangbo.members.models import ExemptionRequest
from dangbo.members.tests.test_transfers import make_member, messages_of
from dangbo.test import BaseTestCase

EXEMPT, TEMPORARY, RETURN = ExemptionRequest.Kind.EXEMPT, ExemptionRequest.Kind.TEMPORARY, ExemptionRequest.Kind.RETURN


def ask(member, by, kind=EXEMPT, **overrides):
    values = {"reason": "Tuổi cao, sức khỏe yếu", "requested_on": date(2026, 3, 2)}
    values.update(overrides)
    return movements.request_exemption(member, kind=kind, by=by, **values)


def decide(request, by, approve=True, on=date(2026, 3, 10)):
    return movements.decide_exemption(request, approve=approve, decided_on=on, decision_reference="BB họp chi bộ 3/2026",
                                      by=by)


class ExemptionFlowTest(BaseTestCase):
    def setUp(self):
        self.elder = make_member(self.cell, name="Cụ Nguyễn Văn Thọ")

    def test_it_exempts_and_returns_the_member(self):
        request = decide(ask(self.elder, self.cell_secretary), self.cell_secretary)
        self.elder.refresh_from_db()
        self.assertEqual(self.elder.status, Status.EXEMPT)
        self.assertTrue(self.elder.is_exempt)
        event = self.elder.status_events.latest("pk")
        self.assertEqual((event.effective_on, event.decision_reference), (date(2026, 3, 10), "BB họp chi bộ 3/2026"))
        self.assertEqual(event.reason, "Miễn công tác và sinh hoạt đảng: Tuổi cao, sức khỏe yếu")
        self.assertEqual(request.history.latest().history_user, self.cell_secretary)
        self.assertEqual(movements.current_exemption(self.elder), request)

        back = ask(self.elder, self.cell_secretary, RETURN, reason="Sức khỏe đã tốt", requested_on=date(2026, 9, 1))
        decide(back, self.cell_secretary, on=date(2026, 9, 5))
        self.elder.refresh_from_db()
        self.assertEqual(self.elder.status, Status.OFFICIAL)
        self.assertIsNone(movements.current_exemption(self.elder))

    def test_it_returns_a_probationary_member_to_probation(self):
        young = make_member(self.cell, status=Status.PROBATIONARY, admission_date=date(2025, 12, 1))
        decide(ask(young, self.cell_secretary, TEMPORARY, reason="Đi làm ăn xa", until=date(2026, 9, 1)),
               self.cell_secretary)
        decide(ask(young, self.cell_secretary, RETURN, reason="Đã về", requested_on=date(2026, 9, 1)),
               self.cell_secretary, on=date(2026, 9, 2))
        young.refresh_from_db()
        self.assertEqual(young.status, Status.PROBATIONARY)

    def test_it_leaves_the_status_when_the_cell_says_no(self):
        request = decide(ask(self.elder, self.cell_secretary), self.cell_secretary, approve=False)
        self.assertEqual(request.decision, ExemptionRequest.Decision.REJECTED)
        self.elder.refresh_from_db()
        self.assertEqual(self.elder.status, Status.OFFICIAL)

    def test_it_checks_the_request(self):
        with self.assertRaises(ValidationError) as error:
            ask(self.elder, self.cell_secretary, TEMPORARY)
        self.assertIn("Tạm miễn sinh hoạt phải ghi thời hạn", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            ask(self.elder, self.cell_secretary, TEMPORARY, until=date(2026, 3, 1))
        self.assertIn("Thời hạn tạm miễn phải sau ngày làm đơn.", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            ask(self.elder, self.cell_secretary, until=date(2026, 9, 1))
        self.assertIn("Chỉ đơn tạm miễn sinh hoạt mới ghi thời hạn.", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            ask(self.elder, self.cell_secretary, RETURN)
        self.assertIn("không đang miễn sinh hoạt", messages_of(error))
        with self.assertRaises(ValidationError) as error:
            ask(self.elder, self.cell_secretary, reason=" ")
        self.assertIn("Ghi lý do.", messages_of(error))
        ask(self.elder, self.cell_secretary)
        with self.assertRaises(ValidationError) as error:
            ask(self.elder, self.cell_secretary)
        self.assertIn("đã có một đơn đang chờ chi bộ xem xét", messages_of(error))

    def test_it_checks_the_decision(self):
        request = ask(self.elder, self.cell_secretary)
        with self.assertRaises(ValidationError) as error:
            decide(request, self.cell_secretary, on=date(2026, 3, 1))
        self.assertIn("không được trước ngày làm đơn (02/03/2026)", messages_of(error))
        decide(request, self.cell_secretary)
        with self.assertRaises(ValidationError) as error:
            decide(request, self.cell_secretary)
        self.assertIn("Đơn này đã được chi bộ xem xét.", messages_of(error))

    def test_it_informs_the_superior_once_after_the_decision(self):
        request = ask(self.elder, self.cell_secretary)
        with self.assertRaises(ValidationError) as error:
            movements.inform_superior(request, on=date(2026, 3, 12), by=self.cell_secretary)
        self.assertIn("Chi bộ chưa xem xét đơn này.", messages_of(error))
        decide(request, self.cell_secretary)
        with self.assertRaises(ValidationError) as error:
            movements.inform_superior(request, on=date(2026, 3, 9), by=self.cell_secretary)
        self.assertIn("không được trước ngày chi bộ quyết định", messages_of(error))
        movements.inform_superior(request, on=date(2026, 3, 12), by=self.cell_secretary)
        self.assertEqual(request.superior_informed_on, date(2026, 3, 12))
        with self.assertRaises(ValidationError) as error:
            movements.inform_superior(request, on=date(2026, 3, 13), by=self.cell_secretary)
        self.assertIn("Đã báo cáo cấp ủy cấp trên ngày 12/03/2026.", messages_of(error))

    def test_it_refuses_members_who_left(self):
        gone = make_member(self.cell, status=Status.TRANSFERRED_OUT)
        with self.assertRaises(ValidationError) as error:
            ask(gone, self.cell_secretary)
        self.assertIn("không ở tình trạng đang sinh hoạt (Đã chuyển đi)", messages_of(error))
