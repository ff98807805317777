"""Every metric on a hand-computed fixture: fifteen cases told through the real actions, figures counted by hand.

The story (December 2025, office hours 08:30–12:00 and 13:30–17:30, no holidays that month; an ordinary 下水道
case has 5 working days, its sign limit is 2 working hours). Metrics are read at NOW = Wed 31 Dec 17:00.

  c1   on time, 满意, solved                            c9   社区B; passed, then 不满意 → 重办, now overdue
  c2   signed late, replied late (超期办结), 基本满意,    c10  on time; 3 × 联系不上, then archived
       not solved                                       c11  on time, 满意 — then a duplicate arrives after the
  c3   返工 once, then passed on time, 满意                  reply (c12 merged in): a repeat
  c4   退单 by 城管科, redispatched to 社区A, 满意          c12  merged into c11 after c11's reply
  c5   延期 3 working days, replied inside the new        c13  违章搭建 → 城管科, 挂账 (shelved)
       deadline, 满意                                   c14  dispatched on 30 Dec, nobody has signed it
  c6   passed, 不满意 → 重办, passed again, 基本满意      c15  November: on time, reopened, redone, 满意
  c7   merged into c1 while c1 was being handled
  c8   不予受理
"""

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction as Fr
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.cases import actions, metrics
from minsheng.cases.choices import Channel, RequestKind, Satisfaction
from minsheng.cases.models import Case, CaseEvent, Category
from minsheng.core import clock
from minsheng.core.calendar import WorkCalendar

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 12, 31, 17, 0, tzinfo=TZ)
SAT, BASIC, UNSAT = Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.UNSATISFIED


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=TZ)


def dec(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return at(12, day, hour, minute)


@dataclass
class Story:
    cw: object
    cases: dict[str, Case]

    def __getitem__(self, name: str) -> Case:
        return Case.objects.get(pk=self.cases[name].pk)


class Teller:
    """Runs actions at chosen moments; every step goes through cases.actions."""

    def __init__(self, cw):
        self.cw = cw
        self.w = cw.w

    def do(self, when, action, target, **kw):
        with clock.at(when):
            result = action(target, **kw)
        return result

    def register(self, when, *, node=None, category=None, channel=Channel.GRID_PATROL, title=""):
        with clock.at(when):
            return actions.do_register(
                actor=self.w.grid_a if node is None else self.w.admin,
                kind="appeal",
                channel=channel,
                category=category or self.cw.cat_sewer,
                description=title or "下水道堵塞",
                node=node or self.w.unit_a,
                reporter_name="居民",
                reporter_phone="13912345678",
            )

    def to_handling(self, when, *, unit=None, handler=None, sign_at=None, **register):
        """Register at `when`, accept +30 min, dispatch +60 min, sign +90 min (or at `sign_at`)."""
        w, cw = self.w, self.cw
        unit = unit or cw.unit_a
        handler = handler or w.grid_a
        desk = w.worker_a if unit == cw.unit_a else w.admin
        case = self.register(when, **register)
        case = self.do(when + dt.timedelta(minutes=30), actions.do_accept, case, actor=desk)
        case = self.do(
            when + dt.timedelta(minutes=60), actions.do_dispatch, case, actor=desk, unit=unit, handler=handler
        )
        return self.do(sign_at or when + dt.timedelta(minutes=90), actions.do_sign, case, actor=handler)

    def reply_and_pass(self, case, when, *, passed=True):
        """Reply at `when`, verification one hour later."""
        case = self.do(when, actions.do_reply, case, actor=case.handler, note="已处理")
        verifier = self.w.worker_a if case.node.path.startswith(self.w.community_a.path) else self.w.admin
        return self.do(
            when + dt.timedelta(hours=1),
            actions.do_verify,
            case,
            actor=verifier,
            passed=passed,
            note="" if passed else "现场仍有积水",
        )

    def rate(self, case, when, satisfaction, *, resolved=True):
        return self.do(
            when,
            actions.do_follow_up,
            case,
            actor=self.w.admin,
            satisfaction=satisfaction,
            resolved=resolved,
        )


def tell_story(cw) -> Story:
    t, w = Teller(cw), cw.w
    c = {}

    c["c1"] = t.to_handling(dec(1, 9))
    c["c7"] = t.register(dec(1, 11), channel=Channel.PHONE)
    t.do(dec(1, 11, 30), actions.do_merge, c["c7"], into=c["c1"], actor=w.worker_a)
    t.rate(t.reply_and_pass(c["c1"], dec(2, 10)), dec(3, 10), SAT)

    c["c2"] = t.to_handling(dec(1, 9), channel=Channel.ONLINE, sign_at=dec(1, 14))  # sign limit was 12:00
    t.rate(t.reply_and_pass(c["c2"], dec(10, 10)), dec(11, 10), BASIC, resolved=False)  # due 8 Dec

    c["c3"] = t.to_handling(dec(2, 9))
    case = t.reply_and_pass(c["c3"], dec(3, 10), passed=False)
    t.rate(t.reply_and_pass(case, dec(4, 10)), dec(5, 10), SAT)

    case = t.register(dec(2, 9))
    case = t.do(dec(2, 9, 30), actions.do_accept, case, actor=w.worker_a)
    case = t.do(dec(2, 10), actions.do_dispatch, case, actor=w.worker_a, unit=cw.office, handler=cw.cadre)
    case = t.do(dec(2, 10, 30), actions.do_return, case, actor=cw.cadre, reason="属地问题")
    case = t.do(dec(2, 11), actions.do_dispatch, case, actor=w.worker_a, unit=cw.unit_a, handler=w.grid_a)
    c["c4"] = t.do(dec(2, 14), actions.do_sign, case, actor=w.grid_a)  # sign limit 14:30
    t.rate(t.reply_and_pass(c["c4"], dec(5, 10)), dec(8, 10), SAT)

    c["c5"] = t.to_handling(dec(3, 9), unit=cw.office, handler=cw.cadre)  # due 10 Dec
    request = t.do(
        dec(8, 9),
        actions.do_request,
        c["c5"],
        actor=cw.cadre,
        kind=RequestKind.EXTENSION,
        days=3,
        reason="协调",
    )
    t.do(dec(8, 10), actions.do_decide, request, actor=cw.leader, approve=True)  # due 15 Dec
    t.rate(t.reply_and_pass(c["c5"], dec(12, 10)), dec(15, 10), SAT)

    c["c6"] = t.to_handling(dec(4, 9))
    case = t.rate(
        t.reply_and_pass(c["c6"], dec(5, 10)), dec(8, 10), UNSAT, resolved=False
    )  # 重办, due 15 Dec
    t.rate(t.reply_and_pass(case, dec(9, 10)), dec(10, 10), BASIC)

    c["c8"] = t.register(dec(5, 9), category=cw.cat_consult)
    t.do(dec(5, 9, 30), actions.do_reject, c["c8"], actor=w.worker_a, reason="非本街道事项")

    c["c9"] = t.to_handling(dec(8, 9), node=w.unit_b, unit=cw.unit_b, handler=w.grid_b, channel="12345")
    t.rate(t.reply_and_pass(c["c9"], dec(9, 10)), dec(10, 10), UNSAT, resolved=False)  # 重办, due 17 Dec

    c["c10"] = t.to_handling(dec(9, 9))
    case = t.reply_and_pass(c["c10"], dec(10, 10))
    for day in (11, 12, 15):
        case = t.do(dec(day, 10), actions.do_follow_up, case, actor=w.admin, reachable=False)
    t.do(dec(15, 11), actions.do_archive, case, actor=w.worker_a)

    c["c11"] = t.to_handling(dec(10, 9))
    t.rate(t.reply_and_pass(c["c11"], dec(11, 10)), dec(11, 15), SAT)
    c["c12"] = t.register(dec(12, 9))
    t.do(dec(12, 9, 30), actions.do_merge, c["c12"], into=c["c11"], actor=w.worker_a)

    building = cw.cat_building
    c["c13"] = t.to_handling(dec(15, 9), unit=cw.office, handler=cw.cadre, category=building)
    request = t.do(
        dec(15, 11), actions.do_request, c["c13"], actor=cw.cadre, kind=RequestKind.SHELVE, reason="待规划"
    )
    t.do(dec(16, 9), actions.do_decide, request, actor=cw.leader, approve=True)

    case = t.register(dec(30, 9))
    case = t.do(dec(30, 9, 30), actions.do_accept, case, actor=w.worker_a)
    c["c14"] = t.do(dec(30, 10), actions.do_dispatch, case, actor=w.worker_a, unit=cw.unit_a)  # no handler

    c["c15"] = t.to_handling(at(11, 20, 9), channel=Channel.VISIT)
    case = t.rate(t.reply_and_pass(c["c15"], at(11, 21, 10)), at(11, 21, 15), SAT)
    case = t.do(at(11, 24, 9), actions.do_reopen, case, actor=w.worker_a, reason="问题复发")
    case = t.do(at(11, 24, 10), actions.do_dispatch, case, actor=w.worker_a, unit=cw.unit_a, handler=w.grid_a)
    case = t.do(at(11, 24, 10, 30), actions.do_sign, case, actor=w.grid_a)
    t.rate(t.reply_and_pass(case, at(11, 25, 10)), at(11, 26, 10), SAT)
    return Story(cw, c)


@pytest.fixture
def story(cw) -> Story:
    return tell_story(cw)


def december():
    return metrics.in_period(Case.objects.all(), dt.date(2025, 12, 1), dt.date(2025, 12, 31))


# Per-case figures used below (clock hours accepted → resolved; office hours in brackets):
#   c1 25.5 (9)  c2 217.5 (54)  c3 49.5 (16.5)  c4 73.5 (24)  c5 217.5 (54)  c6 121.5 (24)  c10 25.5 (9)
#   c11 25.5 (9)        → sums 756 (199.5) over 8 resolved cases
EXPECTED_DECEMBER = {
    "reported": 12,  # c1–c14 less the merged c7 and c12
    "merged": 2,  # c7, c12
    "rejected": 1,  # c8
    "accepted": 11,  # reported less the rejected c8
    "dispatched": 11,
    "sign_due": 11,  # all dispatched; c14 unsigned but its limit (30 Dec 12:00) has passed
    "signed_on_time": 9,  # not c2 (signed 14:00, limit 12:00), not c14 (unsigned)
    "due": 9,  # 8 resolved + c9 (open, past 17 Dec); not c13 (挂账), not c14 (due in January)
    "resolved": 8,  # c1 c2 c3 c4 c5 c6 c10 c11
    "resolved_on_time": 7,  # all resolved but c2
    "resolved_late": 1,  # c2
    "first_time": 4,  # c1 c2 c5 c10 — not c3 (返工), c4 (退单), c6 (重办), c11 (repeat via c12)
    "extended": 1,  # c5
    "open": 3,  # c9 c13 c14
    "shelved": 1,  # c13
    "awaiting_verification": 0,
    "overdue_open": 2,  # c9, and c14 (unsigned past its 签收时限: every clock counts)
    "rated": 8,  # c1 c2 c3 c4 c5 c6 c11 + c9 (its latest verdict: 不满意); c10 unreachable
    "satisfied": 5,  # c1 c3 c4 c5 c11
    "basic": 2,  # c2 c6
    "unsatisfied": 1,  # c9
    "solved": 6,  # rated less c2 (基本满意 but not solved) and c9
    "unreachable": 1,  # c10
    "returns": 1,  # c4
    "reworks": 1,  # c3
    "redos": 2,  # c6 c9
    "reopens": 0,
    "replies": 11,  # c3 and c6 replied twice, c9 once, c13 and c14 never, the other six once
}
EXPECTED_DECEMBER_RATES = {
    "completion_rate": Fr(8, 9),  # resolved / due
    "on_time_rate": Fr(7, 9),  # resolved_on_time / due
    "first_time_rate": Fr(4, 8),  # first_time / resolved
    "satisfaction_rate": Fr(7, 8),  # (5 满意 + 2 基本满意) / 8 参评
    "resolution_rate": Fr(6, 8),  # solved / rated
    "response_rate": Fr(9, 11),  # signed_on_time / sign_due
    "rework_rate": Fr(1, 11),  # reworks / replies
    "extension_rate": Fr(1, 9),  # extended / due
}


def test_every_metric_matches_the_hand_count(story):
    m = metrics.summary(december(), now=NOW, working_hours=True)
    assert {key: getattr(m, key) for key in EXPECTED_DECEMBER} == EXPECTED_DECEMBER
    assert {key: getattr(m, key) for key in EXPECTED_DECEMBER_RATES} == EXPECTED_DECEMBER_RATES
    assert m.overdue == 3  # c9 open past due, c14 past its sign limit + c2 resolved late
    assert m.handling_hours == pytest.approx(756 / 8)
    assert m.handling_working_hours == pytest.approx(199.5 / 8)


def test_replies_derived_from_counters_equal_the_reply_events(story):
    """`replies` comes from the case counters; the events are the ground truth it must agree with."""
    t = Teller(story.cw)
    case = t.reply_and_pass(t.to_handling(dec(22, 9)), dec(22, 14), passed=False)
    t.do(dec(23, 10), actions.do_reply, case, actor=case.handler, note="再次处理")  # now awaiting 核查
    live = december().exclude(status="merged")
    assert metrics.summary(live, now=NOW).awaiting_verification == 1
    assert (
        metrics.summary(live, now=NOW).replies
        == CaseEvent.objects.filter(case__in=live, verb="reply").count()
    )


def test_working_hours_agree_with_the_calendar(story):
    """The grouped-by-day SQL gives, case by case, what WorkCalendar.working_hours_between gives."""
    cal = WorkCalendar()
    for name in ("c1", "c2", "c5", "c6", "c15"):
        case = story[name]
        one = metrics.summary(Case.objects.filter(pk=case.pk), now=NOW, working_hours=True)
        assert one.handling_working_hours == pytest.approx(
            cal.working_hours_between(case.accepted_at, case.resolved_at)
        )


def test_as_dict_is_json_ready(story):
    data = metrics.summary(december(), now=NOW).as_dict()
    assert data["completion_rate"] == 0.8889
    assert data["satisfaction_rate"] == 0.875
    assert data["handling_hours"] == 94.5
    assert data["handling_working_hours"] is None  # not asked for
    assert data["overdue"] == 3
    empty = metrics.summary(Case.objects.none(), now=NOW)
    assert empty.reported == 0 and empty.completion_rate is None and empty.as_dict()["on_time_rate"] is None


def test_now_decides_which_open_cases_are_due(story):
    """`now` only moves deadlines past: on 17 Dec at noon c9's redo deadline (17:30) and c14's sign limit
    (30 Dec) are still ahead, so c9 is not yet due and c14 is not yet expected to be signed."""
    m = metrics.summary(december(), now=dec(17, 12))
    assert (m.due, m.overdue_open, m.completion_rate) == (8, 0, 1)
    assert (m.sign_due, m.response_rate) == (10, Fr(9, 10))


def test_a_merged_group_counts_once(story):
    """c1 and its duplicate c7 are one problem: one case in every figure, and c7 only in `merged`."""
    pair = Case.objects.filter(pk__in=[story["c1"].pk, story["c7"].pk])
    m = metrics.summary(pair, now=NOW)
    assert (m.reported, m.accepted, m.resolved, m.rated, m.merged) == (1, 1, 1, 1, 1)
    alone = metrics.summary(Case.objects.filter(pk=story["c7"].pk), now=NOW)
    assert (alone.reported, alone.accepted, alone.merged) == (0, 0, 1)


def test_the_period_is_by_registration_time(story):
    everything = metrics.summary(Case.objects.all(), now=NOW)
    assert everything.reported == 13  # December's 12 + c15
    november = metrics.summary(metrics.in_period(Case.objects.all(), end=dt.date(2025, 11, 30)), now=NOW)
    assert (november.reported, november.resolved, november.reopens, november.redos) == (1, 1, 1, 0)
    assert november.first_time == 0  # reopened
    assert november.replies == 2  # before and after the reopening
    # datetimes are taken as a half-open range
    assert metrics.in_period(Case.objects.all(), dec(1, 9), dec(1, 11)).count() == 2  # c1 c2, not c7 at 11:00


def test_breakdown_by_month(story):
    rows = metrics.breakdown(Case.objects.all(), by="month", now=NOW)
    assert [(r.key, r.label, r.metrics.reported) for r in rows] == [
        (dt.date(2025, 11, 1), "2025年11月", 1),
        (dt.date(2025, 12, 1), "2025年12月", 12),
    ]
    assert rows[1].metrics == metrics.summary(december(), now=NOW)


def test_breakdown_by_lead_unit(story):
    cw = story.cw
    rows = {r.key: r for r in metrics.breakdown(december(), by="lead_unit", now=NOW)}
    unit_a, office, unit_b = (
        rows[cw.unit_a.pk].metrics,
        rows[cw.office.pk].metrics,
        rows[cw.unit_b.pk].metrics,
    )
    # 社区A: c1 c2 c3 c4 c6 c10 c11 resolved (c2 late), c14 open within its limit
    assert (unit_a.accepted, unit_a.due, unit_a.resolved, unit_a.on_time_rate) == (8, 7, 7, Fr(6, 7))
    assert (unit_a.returns, unit_a.reworks, unit_a.redos) == (1, 1, 1)  # c4's return follows the case here
    # 城管科: c5 resolved on time after an extension, c13 shelved (not due)
    assert (office.accepted, office.due, office.resolved, office.extended, office.shelved) == (2, 1, 1, 1, 1)
    # 社区B: c9 overdue after 不满意
    assert (unit_b.due, unit_b.resolved, unit_b.completion_rate, unit_b.satisfaction_rate) == (1, 0, 0, 0)
    assert rows[None].label == "待派遣"
    assert (rows[None].metrics.reported, rows[None].metrics.merged) == (1, 2)  # c8; c7 and c12
    assert list(rows)[:3] == [cw.unit_a.pk, cw.office.pk, cw.unit_b.pk]  # by 受理量


def test_breakdown_by_handler(story):
    cw, w = story.cw, story.cw.w
    rows = {r.key: r for r in metrics.breakdown(december(), by="handler", now=NOW)}
    assert rows[w.grid_a.pk].label == "社区A网格员"
    assert rows[w.grid_a.pk].metrics.resolved == 7
    assert (rows[cw.cadre.pk].metrics.accepted, rows[cw.cadre.pk].metrics.shelved) == (2, 1)
    assert rows[w.grid_b.pk].metrics.overdue_open == 1
    assert rows[None].metrics.accepted == 1  # c14, dispatched to a unit without a person


def test_breakdown_by_category_subtree(story):
    top = {r.label: r.metrics for r in metrics.breakdown(december(), by="category", now=NOW)}
    assert {label: m.reported for label, m in top.items()} == {
        "下水道/排水": 10,
        "违章搭建": 1,
        "政策咨询": 1,
    }
    sewer = Category.objects.get(code="05")
    assert top["下水道/排水"] == metrics.summary(metrics.filter_cases(december(), category=sewer), now=NOW)
    leaves = metrics.breakdown(december(), by="category", depth=3, now=NOW)
    assert {r.label: r.metrics.reported for r in leaves} == {"下水道堵塞": 10, "私搭乱建": 1, "社保医保": 1}


def test_breakdown_by_grid_org_and_channel(story):
    cw, w = story.cw, story.cw.w
    grids = {r.key: r for r in metrics.breakdown(december(), by="grid", now=NOW)}
    assert grids[cw.grid.pk].label == "颐和一网格" and grids[cw.grid.pk].metrics.reported == 11
    assert grids[None].label == "未划网格" and grids[None].metrics.reported == 1  # c9 in 社区B

    org = metrics.breakdown(december(), by="org", now=NOW)
    assert [(r.key, r.label, r.metrics.reported) for r in org] == [
        (w.community_a.path, "颐和社区", 11),
        (w.community_b.path, "龙泉社区", 1),
    ]
    assert org[1].metrics == metrics.summary(metrics.filter_cases(december(), node=w.community_b), now=NOW)

    channels = {
        r.key: (r.label, r.metrics.reported, r.metrics.merged)
        for r in metrics.breakdown(december(), by="channel", now=NOW)
    }
    assert channels == {
        Channel.GRID_PATROL: ("网格员巡查上报", 10, 1),  # c12 merged
        Channel.ONLINE: ("居民线上", 1, 0),
        Channel.HOTLINE_12345: ("12345转办", 1, 0),
        Channel.PHONE: ("来电", 0, 1),  # c7 merged
    }


def test_breakdown_totals_add_up_to_the_summary(story):
    whole = metrics.summary(december(), now=NOW)
    for by in ("day", "kind", "urgency", "lead_unit", "handler", "grid", "channel", "org", "category"):
        rows = metrics.breakdown(december(), by=by, now=NOW)
        for field in (
            "reported",
            "accepted",
            "due",
            "resolved",
            "resolved_on_time",
            "rated",
            "replies",
            "merged",
        ):
            assert sum(getattr(r.metrics, field) for r in rows) == getattr(whole, field), (by, field)


def test_breakdown_working_hours_per_group(story):
    w = story.cw.w
    rows = {
        r.key: r.metrics for r in metrics.breakdown(december(), by="handler", now=NOW, working_hours=True)
    }
    # grid_a resolved c1 c2 c3 c4 c6 c10 c11: 9 + 54 + 16.5 + 24 + 24 + 9 + 9 office hours
    assert rows[w.grid_a.pk].handling_working_hours == pytest.approx(145.5 / 7)
    assert rows[w.grid_b.pk].handling_working_hours is None  # nothing resolved
    units = {
        r.key: r.metrics for r in metrics.breakdown(december(), by="lead_unit", now=NOW, working_hours=True)
    }
    assert units[story.cw.unit_a.pk].handling_working_hours == pytest.approx(
        145.5 / 7
    )  # the same seven cases
    assert units[story.cw.office.pk].handling_working_hours == pytest.approx(54)  # c5
    months = metrics.breakdown(Case.objects.all(), by="month", now=NOW, working_hours=True)
    assert months[1].metrics.handling_working_hours == pytest.approx(199.5 / 8)


def test_unknown_dimension_is_refused(story):
    with pytest.raises(ValueError):
        metrics.breakdown(december(), by="colour")


def test_query_count_does_not_grow_with_the_number_of_cases(cw):
    def queries(call):
        """Queries run, leaving out the cached reads of the working-day calendar's override table and of the
        depth of the 街道 in the tree (org.levels)."""
        with CaptureQueriesContext(connection) as ctx:
            call()
        return len(
            [
                q
                for q in ctx.captured_queries
                if "calendaroverride" not in q["sql"]
                and not q["sql"].startswith('SELECT MIN("org_node"."depth")')
            ]
        )

    calls = {
        "summary": (lambda: metrics.summary(Case.objects.all(), now=NOW), 1),
        "summary+hours": (lambda: metrics.summary(Case.objects.all(), now=NOW, working_hours=True), 2),
        "by unit": (lambda: metrics.breakdown(Case.objects.all(), by="lead_unit", now=NOW), 1),
        "by month": (lambda: metrics.breakdown(Case.objects.all(), by="month", now=NOW), 1),
        "by org": (lambda: metrics.breakdown(Case.objects.all(), by="org", now=NOW), 2),
        "by category": (lambda: metrics.breakdown(Case.objects.all(), by="category", now=NOW), 2),
    }
    t = Teller(cw)
    t.rate(t.reply_and_pass(t.to_handling(dec(1, 9)), dec(2, 10)), dec(3, 10), SAT)
    few = {name: queries(call) for name, (call, _) in calls.items()}
    for day in range(2, 8):
        t.rate(
            t.reply_and_pass(t.to_handling(dec(day, 9), channel=Channel.ONLINE), dec(day, 15)),
            dec(day, 16),
            BASIC,
        )
        t.register(dec(day, 10), category=cw.cat_consult, node=cw.w.unit_b)
    many = {name: queries(call) for name, (call, _) in calls.items()}
    assert few == many == {name: expected for name, (_, expected) in calls.items()}


def test_scoping_is_the_callers(story):
    """Given a worker's visible cases, the figures cover only their community."""
    w = story.cw.w
    visible = metrics.in_period(
        Case.objects.visible_to(w.grid_b), dt.date(2025, 12, 1), dt.date(2025, 12, 31)
    )
    m = metrics.summary(visible, now=NOW)
    assert (m.reported, m.accepted, m.unsatisfied) == (1, 1, 1)  # c9 only
