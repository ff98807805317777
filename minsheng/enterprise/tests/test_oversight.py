"""What enterprise services give the leaders' view (enterprise/oversight.py): stalled projects wait on a leader (an
overdue ledger item waits once, as the overdue case it is); a stage past its limit counts against the project's
owner and a late ledger item against the enterprise's 包靠干部 on the 效能 board. Fixed data, hand-counted.

Everything starts on Monday 2 March 2026; the clock then stands on Tuesday 10 March.
Projects (线索 has 3 working days → due Thursday 5 March):
- P1, P5: leads in 颐和社区 owned by the officer → stalled; P2: a lead in 龙泉社区 owned by officer_b → stalled;
- P3: a lead submitted on 9 March (due 12 March) → not yet; P4: moved on to 洽谈 on 4 March (40 days) → not yet.
  Stalled: 3 (颐和 2, 龙泉 1); on the board for March: officer 2, officer_b 1.
Ledger items (QY01 咨询 3 working days → due 5 March; QY02 15 days → due 23 March):
- A1 颐和食品 QY01 still unsigned → overdue; A2 颐和食品 QY02 signed for at once → not yet; B1 龙泉机械 (no 包靠干部) QY01 → overdue;
- A3 颐和食品 QY01 handled on 10 March, after its limit → finished late (not waiting any more).
  Overdue now: 2 (A1, B1); on the board: the officer (颐和食品's 包靠干部) 2 (A1, A3); B1 has nobody to charge.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from minsheng.cases import actions as case_actions
from minsheng.cases.models import Category
from minsheng.core import attention, duties
from minsheng.core.calendar import TZ
from minsheng.core.metrics import Scope
from minsheng.enterprise import actions
from minsheng.enterprise.choices import RaisedVia, Stage

from .conftest import MONDAY
from .test_ledger import handle, visit_problem
from .test_pipeline import lead

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=TZ)
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
Q = "?start=2026-03-01&end=2026-03-31"


@pytest.fixture
def story(ew):
    qy01 = Category.objects.get(code="QY01")
    qy02 = Category.objects.get(code="QY02")
    with time_machine.travel(MONDAY, tick=False):
        lead(ew, name="P1")
        lead(ew, name="P5")
        lead(ew, name="P2", node=ew.w.community_b, owner=ew.officer_b)
        p4 = lead(ew, name="P4")
        visit_problem(ew, title="A1", category=qy01)
        a2 = visit_problem(ew, title="A2", category=qy02)
        case_actions.do_sign(a2.case, actor=ew.unit.members.get())  # in hand: only its 办结 clock runs
        a3 = visit_problem(ew, title="A3", category=qy01)
        actions.do_raise_problem(
            ew.ent_b,
            actor=ew.officer,
            title="B1",
            description="用工招聘咨询",
            raised_via=RaisedVia.CADRE,
            unit=ew.unit,
            category=qy01,
        )
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        actions.do_advance(p4, actor=ew.officer, to=Stage.TALKS)
    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        lead(ew, name="P3")
    with time_machine.travel(NOW, tick=False):
        handle(ew, a3)
    return ew


def _scope(viewer, node=None, period=MARCH):
    return Scope(viewer, *period, node)


def _source(code):
    return next(s for s in attention.sources() if s.code == code)


def _duty(code):
    return next(d for d in duties.all_duties() if d.code == code)


def test_stalled_projects_wait_on_a_leader(story):
    source = _source("enterprise.stalled_projects")
    with time_machine.travel(NOW, tick=False):
        assert source.count(_scope(story.leader)) == 3
        assert source.count(_scope(story.leader, story.w.community_b)) == 1
        items = source.build(_scope(story.leader), 5)
    assert sorted(i.title.split(" ", 1)[1] for i in items) == ["P1", "P2", "P5"]
    assert all(i.url.startswith("/enterprise/projects/") and i.note == "线索" for i in items)
    with time_machine.travel(MONDAY, tick=False):
        assert source.count(_scope(story.leader)) == 0


def test_an_overdue_ledger_item_waits_once_under_the_engines_overdue_cases(story, client):
    """A1 and B1 are overdue (two cases); each is one row of the waiting list, under 超期案件 (decision 0071)."""
    assert "enterprise.problems_overdue" not in {s.code for s in attention.sources()}
    client.force_login(story.leader)
    with time_machine.travel(NOW, tick=False):
        cockpit = client.get(reverse("insights:cockpit") + Q)
    waiting = cockpit.context["waiting"]
    assert {w.source.code: w.count for w in waiting} == {"cases.overdue": 2, "enterprise.stalled_projects": 3}
    titles = [item.title for w in waiting for item in w.items]
    assert sum(t.endswith("A1") for t in titles) == 1 and sum(t.endswith("B1") for t in titles) == 1
    overdue = next(w for w in waiting if w.source.code == "cases.overdue")
    # the case keeps the enterprise in its title
    assert sorted(i.title.split(" ", 1)[1] for i in overdue.items) == [
        "颐和食品有限公司：A1",
        "龙泉机械有限公司：B1",
    ]
    assert all(i.url.startswith("/cases/") for i in overdue.items)
    assert "企业问题超期未办结" not in cockpit.content.decode()
    # from the case the leader goes on to the ledger item
    first = overdue.items[0]
    number = first.title.split(" ", 1)[0]
    page = client.get(first.url).content.decode()
    assert f'href="/enterprise/ledger/?q={number}"' in page


def test_stage_and_ledger_duties_per_person(story):
    with time_machine.travel(NOW, tick=False):
        stage = {
            m.holder_key: m.count for m in _duty("enterprise.stage_overdue").misses(_scope(story.leader))
        }
        late = {m.holder_key: m.count for m in _duty("enterprise.problems_late").misses(_scope(story.leader))}
        february = _duty("enterprise.stage_overdue").misses(
            _scope(story.leader, period=(dt.date(2026, 2, 1), dt.date(2026, 2, 28)))
        )
    assert stage == {f"user:{story.officer.pk}": 2, f"user:{story.officer_b.pk}": 1}
    assert late == {f"user:{story.officer.pk}": 2}
    assert list(february) == []


def test_they_appear_on_the_cockpit_and_on_the_board_for_the_right_person(story, client):
    client.force_login(story.leader)
    with time_machine.travel(NOW, tick=False):
        cockpit = client.get(reverse("insights:cockpit") + Q)
        board = client.get(reverse("insights:efficiency") + Q)
    waiting = {w.source.code: w.count for w in cockpit.context["waiting"]}
    assert waiting["enterprise.stalled_projects"] == 3 and waiting["cases.overdue"] == 2
    assert "招商项目阶段超期" in cockpit.content.decode()
    records = {r.key: r for r in board.context["records"]}
    officer = records[f"user:{story.officer.pk}"]
    assert officer.by_duty["enterprise.stage_overdue"] == 2
    assert officer.by_duty["enterprise.problems_late"] == 2
    assert records[f"user:{story.officer_b.pk}"].by_duty == {"enterprise.stage_overdue": 1}
    # the officer himself sees his own record only
    client.force_login(story.officer)
    with time_machine.travel(NOW, tick=False):
        own = client.get(reverse("insights:efficiency") + Q).context["records"]
    assert [r.key for r in own] == [f"user:{story.officer.pk}"]
    assert own[0].score == 4 and own[0].card == "yellow"
