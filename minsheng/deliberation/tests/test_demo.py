"""The demo loader on the small test 街道: through the actions, every item raised accounted for on the engine, the
figures computed from the states, and a second load changes nothing."""

import datetime as dt

import pytest

from minsheng.core import metrics
from minsheng.deliberation import demo
from minsheng.deliberation.choices import ItemKind, MeetingStatus
from minsheng.deliberation.models import Item, LinkedContact, Meeting, Visit, VisitCampaign
from minsheng.org.models import Node

pytestmark = pytest.mark.django_db


def test_demo_year_of_meetings_and_visits(dw):
    w = dw.w
    Node.objects.filter(pk=w.street.pk).update(name="测试街道（演示数据）")
    demo.load()
    closed = Meeting.objects.filter(status=MeetingStatus.CLOSED)
    assert closed.filter(kind__code="monday", node=w.community_a).count() > 40
    assert closed.filter(kind__code="open_day").count() > 15
    assert not closed.filter(minutes="").exists()
    problems = Item.objects.filter(kind=ItemKind.PROBLEM)
    assert problems.exists() and not problems.filter(case__isnull=True).exists()
    assert not Item.objects.filter(kind=ItemKind.SUGGESTION, case__isnull=False).exists()
    assert VisitCampaign.objects.count() == 2 and Visit.objects.exists()
    assert LinkedContact.objects.exists()
    today = dt.date.today()
    scope = metrics.Scope(viewer=w.admin, start=today - dt.timedelta(days=366), end=today)
    rate = metrics.value("deliberation.items_solved_rate", scope)
    assert 0.5 < float(rate) < 0.8
    assert metrics.value("deliberation.meetings_held", scope) == closed.count()
    counts = (Meeting.objects.count(), Item.objects.count(), Visit.objects.count())
    demo.load()
    assert counts == (Meeting.objects.count(), Item.objects.count(), Visit.objects.count())
