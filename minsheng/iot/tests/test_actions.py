"""Alarm lifecycle by people: acknowledge, assign, comment, clear — with rights at the greenhouse's village."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.iot import actions
from minsheng.iot.choices import AlarmStatus, AlarmType, Severity

pytestmark = pytest.mark.django_db
T = dt.datetime(2026, 4, 10, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def alarm(farm):
    return actions.raise_alarm(farm.temp, AlarmType.THRESHOLD, Severity.MAJOR, at=T, details={"value": 23})


def test_acknowledge_is_independent_of_clearing(alarm, farm):
    admin = farm.w.admin
    actions.acknowledge(alarm, actor=admin)
    alarm.refresh_from_db()
    assert (alarm.status, alarm.acknowledged, alarm.acked_by) == (AlarmStatus.ACTIVE, True, admin)
    actions.clear(alarm, actor=admin)
    alarm.refresh_from_db()
    assert (alarm.status, alarm.acknowledged) == (AlarmStatus.CLEARED, True)
    texts = list(alarm.comments.values_list("text", flat=True))
    assert texts[-2:] == ["已确认", "已手动清除"]


def test_someone_without_rights_at_the_village_cannot_act(alarm, farm):
    with pytest.raises(PermissionDenied):
        actions.acknowledge(alarm, actor=farm.w.grid_b)
    with pytest.raises(PermissionDenied):
        actions.clear(alarm, actor=farm.w.resident)
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.ACTIVE and not alarm.acknowledged


def test_comments_and_assignment(alarm, farm):
    with pytest.raises(ValidationError):
        actions.comment(alarm, actor=farm.w.admin, text="  ")
    note = actions.comment(alarm, actor=farm.w.admin, text="已通知棚主开风口")
    assert note.author == farm.w.admin
    with pytest.raises(ValidationError):
        actions.assign(alarm, actor=farm.w.admin, assignee=farm.w.resident)
    actions.assign(alarm, actor=farm.w.admin, assignee=farm.w.admin)
    alarm.refresh_from_db()
    assert alarm.assignee == farm.w.admin


def test_alarms_are_scoped_through_the_greenhouse_village(alarm, farm):
    from minsheng.iot.models import Alarm

    assert list(Alarm.objects.visible_to(farm.w.admin)) == [alarm]
    assert list(Alarm.objects.visible_to(farm.w.worker_a)) == []  # 社区A is not the cherry village


def test_system_notes_are_written_in_the_site_language(alarm, farm):
    """An English-speaking user's acknowledgement still leaves a Chinese note: records are read by everyone."""
    from django.utils import translation

    with translation.override("en"):
        actions.acknowledge(alarm, actor=farm.w.admin)
    assert alarm.comments.order_by("-pk").first().text == "已确认"


def test_a_burst_of_alarms_in_one_village_looks_up_who_hears_once(farm):
    """Inside a rules batch the village's candidates and preferences are remembered: the second alarm's
    notification costs fewer queries than the first's, and still reaches the same people."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from minsheng.core.models import Notification
    from minsheng.iot import alerts

    at = dt.datetime(2026, 4, 10, 4, 0, tzinfo=dt.UTC)
    with alerts.batch():
        with CaptureQueriesContext(connection) as first:
            actions.raise_alarm(farm.temp, AlarmType.THRESHOLD, Severity.MAJOR, at=at)
        with CaptureQueriesContext(connection) as second:
            actions.raise_alarm(farm.humidity, AlarmType.THRESHOLD, Severity.MAJOR, at=at)
    assert len(second.captured_queries) < len(first.captured_queries)
    told = [
        set(Notification.objects.filter(source_id=str(a.pk)).values_list("recipient", flat=True))
        for a in (farm.temp.alarms.get(), farm.humidity.alarms.get())
    ]
    assert told[0] and told[0] == told[1]
