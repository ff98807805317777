"""Duplicate suggestions on intake and the recurring-problem view."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from minsheng.cases import actions, duplicates
from minsheng.cases.choices import Channel
from minsheng.cases.models import Case
from minsheng.core import clock

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def report(cw, text, node=None, when=None, category=None):
    with clock.at(when or dt.datetime(2025, 12, 8, 9, tzinfo=TZ)):
        return actions.do_register(
            actor=cw.w.admin,
            kind="appeal",
            channel=Channel.GRID_PATROL,
            category=category or cw.cat_sewer,
            description=text,
            node=node or cw.w.unit_a,
        )


def test_same_place_similar_text_is_suggested(cw):
    first = report(cw, "颐和家园1号楼下水道堵塞，污水冒到路面上")
    report(cw, "龙泉小区3号楼下水道堵塞", node=cw.w.unit_b)  # another place
    report(cw, "1号楼楼道灯坏了很久没人修", category=cw.cat_consult)
    with clock.at(dt.datetime(2025, 12, 9, 9, tzinfo=TZ)):
        found = duplicates.suggest(
            description="1号楼的下水道又堵了，污水流到路上", node=cw.w.unit_a, category=cw.cat_sewer
        )
    assert [m.case for m in found] == [first]
    assert found[0].score >= duplicates.THRESHOLD


def test_old_cases_are_not_suggested(cw):
    report(cw, "1号楼下水道堵塞", when=dt.datetime(2025, 10, 1, 9, tzinfo=TZ))
    with clock.at(dt.datetime(2025, 12, 9, 9, tzinfo=TZ)):
        assert duplicates.suggest(description="1号楼下水道堵塞", node=cw.w.unit_a) == []


def test_recurring_places_and_categories(cw):
    for day in (1, 5, 9):
        report(cw, f"下水道堵塞第{day}次", when=dt.datetime(2025, 12, day, 9, tzinfo=TZ))
    report(cw, "咨询低保政策", category=cw.cat_consult)
    rows = duplicates.recurring(Case.objects.all(), since=dt.datetime(2025, 11, 1, tzinfo=TZ), min_count=3)
    assert len(rows) == 1
    assert rows[0]["grid"] == cw.grid.pk and rows[0]["n"] == 3 and rows[0]["category_name"] == "下水道/排水"
