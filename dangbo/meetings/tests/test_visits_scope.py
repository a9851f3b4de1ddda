"""Every page and action of visits, triggers and statistics against the cast: who gets 200, 302, 403, 404."""

from datetime import date

from dangbo.meetings.models import AbsenceFlag, Attendance, CollectedOpinion, MeetingVisit, VisitAssignment
from dangbo.meetings.tests.test_visits import make_leader, make_meeting, mark
from dangbo.members.tests.test_transfers import make_member
from dangbo.test import BaseTestCase

OK, FORBIDDEN, HIDDEN = 200, 403, 404


class ScopeTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        leader = make_leader("capuy", "Ngô Thị Thu", cls.ward)
        cls.assignment = VisitAssignment.objects.create(committee=cls.ward, leader=leader, cell=cls.cell,
                                                        starts_on=date(2026, 1, 1))
        cls.meeting = make_meeting(cls.cell, 2026, 3)
        MeetingVisit.objects.create(meeting=cls.meeting, leader=leader)
        person = make_member(cls.cell)
        for month in (1, 2, 3):
            mark(make_meeting(cls.cell, 2026, month), person, Attendance.Status.UNEXCUSED)
        cls.flag = AbsenceFlag.objects.create(member=person, organization=cls.cell, year=2026, months=[1, 2, 3],
                                              raised_on=date(2026, 4, 1))
        CollectedOpinion.objects.create(meeting=cls.meeting, collected_by=leader, raised_by_name="A", content="B")

    def requests(self):
        """(method, url, data) of every page and action; writes send data a form would refuse or accept."""
        w, c, m = self.ward.pk, self.cell.pk, self.meeting.pk
        return {
            "visit_list": ("get", f"/meetings/visits/?org={w}", None),
            "visit_assign": ("post", f"/meetings/visits/?org={w}", {"starts_on": "01/01/2026"}),
            "visit_end": ("post", f"/meetings/visits/{self.assignment.pk}/end/", {"ends_on": "bad"}),
            "visit_coverage": ("get", f"/meetings/visits/coverage/?org={w}&year=2026", None),
            "visit_meeting": ("get", f"/meetings/visits/meeting/{m}/", None),
            "visit_record": ("post", f"/meetings/visits/meeting/{m}/record/", {"attended": "bad"}),
            "opinion_create": ("post", f"/meetings/visits/meeting/{m}/opinions/", {"content": ""}),
            "opinion_list": ("get", f"/meetings/visits/opinions/?org={w}", None),
            "trigger_list": ("get", f"/meetings/triggers/?org={c}&year=2026", None),
            "trigger_refresh": ("post", f"/meetings/triggers/refresh/?org={c}&year=2026", {}),
            "trigger_decide_page": ("get", f"/meetings/triggers/{self.flag.pk}/decide/", None),
            "trigger_decide": ("post", f"/meetings/triggers/{self.flag.pk}/decide/", {"decision": "bad"}),
            "stats_committee": ("get", f"/meetings/stats/?org={w}&year=2026", None),
            "stats_cell": ("get", f"/meetings/stats/?org={c}&year=2026", None),
        }

    def statuses(self, user):
        if user is not None:
            self.client.force_login(user)
        found = {}
        for name, (method, url, data) in self.requests().items():
            response = getattr(self.client, method)(url, data) if data is not None else self.client.get(url)
            found[name] = response.status_code
        return found

    def test_it_sends_anonymous_users_to_login(self):
        self.assertEqual(set(self.statuses(None).values()), {302})

    def test_it_hides_other_wards(self):
        self.assertEqual(set(self.statuses(self.outsider).values()), {HIDDEN})

    def test_it_requires_write_access(self):
        found = self.statuses(self.readonly)
        writes = {"visit_assign", "visit_end", "visit_record", "opinion_create", "trigger_refresh",
                  "trigger_decide_page", "trigger_decide"}
        self.assertEqual({name: code for name, code in found.items() if name in writes},
                         dict.fromkeys(writes, FORBIDDEN))
        self.assertEqual({code for name, code in found.items() if name not in writes}, {OK})

    def test_a_plain_member_sees_only_the_cells_statistics(self):
        found = self.statuses(self.member)
        self.assertEqual(found.pop("stats_cell"), OK)
        # The ward's pages are outside their scope; their own cell's are the staff's.
        self.assertEqual({name for name, code in found.items() if code == HIDDEN},
                         {"visit_list", "visit_assign", "visit_end", "visit_coverage", "opinion_list",
                          "stats_committee"})
        self.assertEqual({name for name, code in found.items() if code == FORBIDDEN},
                         {"visit_meeting", "visit_record", "opinion_create", "trigger_list", "trigger_refresh",
                          "trigger_decide_page", "trigger_decide"})

    def test_the_ward_secretary_reaches_everything(self):
        found = self.statuses(self.secretary)
        self.assertNotIn(FORBIDDEN, found.values())
        self.assertNotIn(HIDDEN, found.values())
