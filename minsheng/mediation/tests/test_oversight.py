"""What the centre gives the leaders' view (mediation/oversight.py): high-risk disputes and missed weekly reports
wait on a leader; a missed weekly report counts against the community on the 效能 board. Fixed data, hand-counted.

The clock stands on Wednesday 18 March 2026. March's Mondays are the 2nd, 9th, 16th, 23rd and 30th; by the 18th
only the weeks of the 2nd and the 9th are over, so two reports were due from each community:
- 颐和社区 reported the week of the 2nd (a zero report) but not the 9th → 1 missed;
- 龙泉社区 reported only this week (the 16th, not yet due) → 2 missed.
Disputes: one high-risk still being mediated (counted), one high-risk that failed (ended, not counted), one low.
"""

import datetime as dt

import pytest
from django.urls import reverse

from minsheng.core import attention, clock, duties
from minsheng.core.calendar import TZ
from minsheng.core.metrics import Scope
from minsheng.mediation import actions
from minsheng.mediation.choices import RiskGrade

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 18, 10, 0, tzinfo=TZ)
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
Q = "?start=2026-03-01&end=2026-03-31"


def _dispute(c, node, people, facts="邻里漏水"):
    return actions.do_open_dispute(
        actor=c.clerk,
        node=node,
        type="neighbour",
        source="applied",
        facts=facts,
        people=people,
        parties=[{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}],
    )


@pytest.fixture
def story(centre):
    c, w = centre, centre.w
    with clock.at(NOW):
        actions.do_submit_weekly(
            actor=c.clerk, node=w.community_a, week=dt.date(2026, 3, 2), items=[], zero=True
        )
        actions.do_submit_weekly(
            actor=c.clerk, node=w.community_b, week=dt.date(2026, 3, 16), items=[], zero=True
        )
        actions.do_submit_weekly(
            actor=c.clerk, node=w.community_b, week=dt.date(2026, 2, 23), items=[], zero=True
        )
        high = _dispute(c, w.unit_a, 6)
        ended = _dispute(c, w.unit_b, 8)
        actions.do_fail(ended, actor=c.clerk, reason="双方分歧大", routes=["litigation"])
        _dispute(c, w.unit_b, 2)
    assert high.risk == RiskGrade.HIGH
    return c


def _scope(viewer, node=None):
    return Scope(viewer, *MARCH, node)


def test_high_risk_disputes_wait_on_a_leader(story):
    source = next(s for s in attention.sources() if s.code == "mediation.high_risk")
    with clock.at(NOW):
        assert source.count(_scope(story.leader)) == 1
        assert source.count(_scope(story.leader, story.w.community_b)) == 0
        (item,) = source.build(_scope(story.leader), 5)
    assert item.where == story.w.unit_a.name and item.url.startswith("/mediation/disputes/")


def test_missed_weekly_reports_wait_on_a_leader(story):
    source = next(s for s in attention.sources() if s.code == "mediation.weekly_missed")
    with clock.at(NOW):
        assert source.count(_scope(story.leader)) == 2
        items = source.build(_scope(story.leader), 5)
        assert [i.title for i in items] == ["龙泉社区", "颐和社区"]  # the worst first
        assert source.count(_scope(story.leader, story.w.community_a)) == 1
    # before the first week of March is over nothing was due yet
    with clock.at(dt.datetime(2026, 3, 8, 23, 0, tzinfo=TZ)):
        assert source.count(_scope(story.leader)) == 0


def test_no_week_is_due_before_the_first_report(centre):
    """A street that has not begun the weekly cycle on the platform is charged nothing; from its first report on,
    every community owes every week."""
    source = next(s for s in attention.sources() if s.code == "mediation.weekly_missed")
    duty = next(d for d in duties.all_duties() if d.code == "mediation.weekly_missed")
    with clock.at(NOW):
        assert source.count(_scope(centre.leader)) == 0 and duty.misses(_scope(centre.leader)) == []
        actions.do_submit_weekly(
            actor=centre.clerk, node=centre.w.community_a, week=dt.date(2026, 3, 9), items=[], zero=True
        )
        misses = {m.holder_key: m.count for m in duty.misses(_scope(centre.leader))}
    # the week of the 2nd is before the first report; the week of the 9th is due from both
    assert misses == {f"org.node:{centre.w.community_b.pk}": 1}


def test_missed_weekly_reports_count_against_the_community(story):
    duty = next(d for d in duties.all_duties() if d.code == "mediation.weekly_missed")
    with clock.at(NOW):
        misses = {m.holder_key: (m.holder_kind, m.count) for m in duty.misses(_scope(story.leader))}
    w = story.w
    assert misses == {
        f"org.node:{w.community_a.pk}": ("unit", 1),
        f"org.node:{w.community_b.pk}": ("unit", 2),
    }


def test_they_appear_on_the_cockpit_and_the_board(story, client):
    client.force_login(story.leader)
    with clock.at(NOW):
        cockpit = client.get(reverse("insights:cockpit") + Q)
        board = client.get(reverse("insights:efficiency") + Q)
    waiting = {w.source.code: w.count for w in cockpit.context["waiting"]}
    assert waiting["mediation.high_risk"] == 1 and waiting["mediation.weekly_missed"] == 2
    html = cockpit.content.decode()
    assert "高风险矛盾纠纷" in html and "排查周报未上报" in html and "2周未上报" in html
    records = {r.key: r for r in board.context["records"]}
    community_b = records[f"org.node:{story.w.community_b.pk}"]
    assert community_b.by_duty["mediation.weekly_missed"] == 2 and community_b.score == 2
    assert records[f"org.node:{story.w.community_a.pk}"].by_duty["mediation.weekly_missed"] == 1
    assert "排查周报未上报" in board.content.decode()
