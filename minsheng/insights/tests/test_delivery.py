"""Monthly and quarterly reports reach every 街道 leader once per period."""

import datetime as dt

import pytest

from minsheng.cases.tests.test_metrics import NOW, tell_story
from minsheng.core import clock
from minsheng.core.models import Notification
from minsheng.insights import delivery


def test_due_periods():
    jan = delivery.due_periods(dt.date(2026, 1, 5))
    assert [(p.kind, p.start, p.end) for p in jan] == [
        ("month", dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
        ("quarter", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
    ]
    assert [p.kind for p in delivery.due_periods(dt.date(2026, 2, 5))] == ["month"]


@pytest.mark.django_db
def test_reports_are_sent_once_per_period(cw):
    tell_story(cw)
    with clock.at(NOW + dt.timedelta(days=5)):
        assert delivery.send_due() == 2  # December and Q4 to the one leader
        assert delivery.send_due() == 0  # idempotent
    notes = Notification.objects.filter(recipient=cw.leader, kind=delivery.KIND).order_by("title")
    assert [n.title for n in notes] == ["2025年12月工作成效报告", "2025年第4季度工作成效报告"]
    assert "办结量 8" in notes[0].body
    assert "start=2025-12-01" in notes[0].link
