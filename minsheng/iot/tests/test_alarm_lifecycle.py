"""The alarm lifecycle around people: who may see and act (iot capabilities), who hears of what (preferences, quiet
hours, reminders), an alarm nobody acknowledges becoming a case, and a closed case showing on its alarms."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.cases import actions as case_actions
from minsheng.cases.choices import OPEN_STATES, Status, UnitKind, Urgency
from minsheng.cases.models import Case, Unit
from minsheng.core.models import Delivery, Notification
from minsheng.core.notifications import update_preferences
from minsheng.iot import actions, alerts
from minsheng.iot.choices import AlarmType, SensorKind, Severity
from minsheng.iot.models import Alarm, Greenhouse, Sensor

pytestmark = pytest.mark.django_db
T = dt.datetime(2026, 4, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai


@pytest.fixture
def people(farm, password):
    """The cherry village's own cadre and supervisor, a grid worker there, and the street's leader."""

    def person(username, role, node, email=""):
        user = account_actions.create_user(username=username, display_name=username, password=password)
        if email:
            user.email = email
            user.save(update_fields=["email"])
        account_actions.grant_membership(user=user, role=role, node=node)
        return user

    return SimpleNamespace(
        cadre=person("cadre", Role.COMMUNITY_WORKER, farm.village, email="cadre@example.org"),
        supervisor=person("supervisor", Role.VILLAGE_SUPERVISOR, farm.village, email="sup@example.org"),
        grid=person("gridv", Role.GRID_WORKER, farm.village),
        leader=person("leader", Role.STREET_LEADER, farm.w.street),
    )


def raise_at(sensor, severity, at=T):
    with time_machine.travel(at, tick=False):
        return actions.raise_alarm(sensor, AlarmType.THRESHOLD, severity, at=at, details={"value": 31.2})


def inbox(user, kind="iot.alarm"):
    return list(
        Notification.objects.filter(recipient=user, kind=kind).order_by("pk").values_list("title", flat=True)
    )


# -- capabilities and scope --------------------------------------------------------------------------------------


def test_roles_see_and_act_only_where_they_should(farm, people, client_for, api_for):
    alarm = raise_at(farm.temp, Severity.MAJOR)
    for user in (people.cadre, people.supervisor, farm.w.admin):
        assert user.has_cap("iot.handle", farm.village)
    assert people.leader.has_cap("iot.view", farm.village) and not people.leader.has_cap("iot.handle")
    assert people.grid.has_cap("iot.view", farm.village) and not people.grid.has_cap("iot.handle")
    assert farm.w.admin.has_cap("iot.configure") and not people.cadre.has_cap("iot.configure")
    assert not farm.w.worker_a.has_cap("iot.view", farm.village)  # 社区A's worker: another place

    # The leader reads everything, acts on nothing.
    leader = client_for(people.leader)
    assert [a.pk for a in leader.get(reverse("iot:alarms")).context["alarms"]] == [alarm.pk]
    page = leader.get(reverse("iot:alarm", args=[alarm.pk]))
    assert page.status_code == 200 and page.context["can_act"] is False
    assert api_for(people.leader).post(f"/api/v1/iot/alarms/{alarm.pk}/acknowledge/").status_code == 403
    with pytest.raises(PermissionDenied):
        actions.acknowledge(alarm, actor=people.grid)
    # The village's cadre acts there.
    assert api_for(people.cadre).post(f"/api/v1/iot/alarms/{alarm.pk}/acknowledge/").status_code == 200
    # Outside the village: nothing, not even the greenhouse list.
    other = client_for(farm.w.worker_a)
    assert list(other.get(reverse("iot:alarms")).context["alarms"]) == []
    assert other.get(reverse("iot:greenhouse_live", args=[farm.greenhouse.pk])).status_code == 404
    assert api_for(farm.w.worker_a).get("/api/v1/iot/greenhouses/").json()["results"] == []
    assert (
        "/iot/alarms/" in leader.get("/", follow=True).content.decode()
    )  # the menu entry follows iot.view (a leader lands on the cockpit)


# -- notifications -----------------------------------------------------------------------------------------------


def test_created_severity_changed_and_cleared_reach_the_right_people(farm, people):
    alarm = raise_at(farm.temp, Severity.MAJOR)
    # Without preferences: those who handle the village hear of major and critical alarms; readers do not.
    assert len(inbox(people.cadre)) == 1 and "重要" in inbox(people.cadre)[0]
    assert len(inbox(people.supervisor)) == 1
    assert inbox(people.leader) == [] and inbox(people.grid) == [] and inbox(farm.w.worker_a) == []
    minor = raise_at(farm.humidity, Severity.MINOR)
    assert len(inbox(people.cadre)) == 1  # minor is below the default

    # The leader asks for critical alarms only; the supervisor wants no email and nothing on clearing.
    actions.set_preferences(people.leader, actor=people.leader, enabled=True, severities=[Severity.CRITICAL])
    actions.set_preferences(
        people.supervisor,
        actor=people.supervisor,
        enabled=True,
        severities=[Severity.CRITICAL, Severity.MAJOR],
        email=False,
        on_cleared=False,
    )
    sup_emails = Delivery.objects.filter(notification__recipient=people.supervisor, channel="email").count()
    later = T + dt.timedelta(minutes=5)
    escalated = raise_at(farm.temp, Severity.CRITICAL, at=later)
    assert escalated.pk == alarm.pk
    assert any("由重要变为紧急" in t for t in inbox(people.cadre))
    assert any("紧急" in t for t in inbox(people.leader))
    # Email copies: the cadre gets them, the supervisor asked for none.
    assert Delivery.objects.filter(notification__recipient=people.cadre, channel="email").exists()
    sup_notes = Notification.objects.filter(recipient=people.supervisor, kind="iot.alarm")
    assert sup_notes.count() == 2
    assert (
        Delivery.objects.filter(notification__recipient=people.supervisor, channel="email").count()
        == sup_emails
    )

    actions.clear(escalated, actor=None)
    assert any("已清除" in t for t in inbox(people.cadre))
    assert not any("已清除" in t for t in inbox(people.supervisor))
    # Calling again (a replay) writes nothing new.
    before = Notification.objects.count()
    alerts.tell(escalated, alerts.CLEARED, key="cleared")
    assert Notification.objects.count() == before
    assert minor.severity == Severity.MINOR


def test_preferences_filter_by_cluster_or_village(farm, people):
    from minsheng.iot.models import Cluster
    from minsheng.org import actions as org_actions
    from minsheng.org.choices import NodeKind

    elsewhere = Cluster.objects.create(name="北山片区", code="beishan")
    actions.set_preferences(
        people.leader, actor=people.leader, enabled=True, severities=Severity.values, clusters=[elsewhere]
    )
    raise_at(farm.temp, Severity.CRITICAL)
    assert inbox(people.leader) == []  # the cherry greenhouse is not in 北山片区
    actions.set_preferences(
        people.leader, actor=people.leader, enabled=True, severities=Severity.values, villages=[farm.village]
    )
    raise_at(farm.humidity, Severity.WARNING)
    assert len(inbox(people.leader)) == 1
    # Someone else's preferences, or a village outside one's scope, are refused.
    with pytest.raises(PermissionDenied):
        actions.set_preferences(people.leader, actor=people.cadre, enabled=False, severities=[])
    far = org_actions.create_node(parent=farm.w.street, kind=NodeKind.VILLAGE, name="远村")
    with pytest.raises(Exception) as refused:
        actions.set_preferences(
            people.cadre, actor=people.cadre, enabled=True, severities=["major"], villages=[far]
        )
    assert "只能选择自己可查看的村" in str(refused.value)


def test_reminders_repeat_while_unacknowledged_and_respect_quiet_hours(farm, people, settings):
    settings.IOT_ALARM_REMIND_MINUTES = 30
    settings.IOT_ALARM_UNACK_CASE_MINUTES = 0  # reminders alone here
    alarm = raise_at(farm.temp, Severity.MAJOR)
    reminders = lambda user: [t for t in inbox(user) if "未确认" in t]  # noqa: E731

    with time_machine.travel(T + dt.timedelta(minutes=20), tick=False):
        assert alerts.remind_unacknowledged() == 0
    with time_machine.travel(T + dt.timedelta(minutes=31), tick=False):
        assert alerts.remind_unacknowledged() == 3  # the village's cadre and supervisor, the street's admin
        assert alerts.remind_unacknowledged() == 0  # the job is idempotent
    assert reminders(people.cadre) == ["【重要】王家1号棚 空气温度告警已 31 分钟未确认"]
    with time_machine.travel(T + dt.timedelta(minutes=45), tick=False):
        assert alerts.remind_unacknowledged() == 0  # the second one is due at 60
    # The cadre's quiet hours cover 12:00–13:00 Beijing time (T + 2 h … T + 3 h).
    update_preferences(
        people.cadre, actor=people.cadre, email_enabled=True, quiet_start=dt.time(12), quiet_end=dt.time(13)
    )
    with time_machine.travel(T + dt.timedelta(minutes=125), tick=False):
        alerts.remind_unacknowledged()
    assert len(reminders(people.cadre)) == 1 and len(reminders(people.supervisor)) == 2
    with time_machine.travel(T + dt.timedelta(minutes=185), tick=False):  # 13:05: quiet hours over
        alerts.remind_unacknowledged()
    assert len(reminders(people.cadre)) == 2 and "185 分钟" in reminders(people.cadre)[-1]
    # A critical alarm is reminded of even in quiet hours.
    critical = raise_at(farm.humidity, Severity.CRITICAL, at=T + dt.timedelta(hours=2))
    with time_machine.travel(T + dt.timedelta(hours=2, minutes=31), tick=False):  # 12:31
        alerts.remind_unacknowledged()
    assert any("紧急" in t and "空气湿度" in t for t in reminders(people.cadre))
    # Acknowledged alarms are left alone.
    actions.acknowledge(alarm, actor=people.cadre)
    actions.acknowledge(critical, actor=people.cadre)
    with time_machine.travel(T + dt.timedelta(hours=6), tick=False):
        assert alerts.remind_unacknowledged() == 0


# -- unacknowledged → case, case closure on the alarms ------------------------------------------------------------


def close_case(case: Case, farm, people) -> Case:
    """The engine's loop for the village: accept, dispatch to its committee, sign, reply, verify (→ 已归档)."""
    unit = Unit.objects.create(
        name="樱桃村委会", kind=UnitKind.COMMUNITY, node=farm.village, leader=people.cadre
    )
    unit.members.set([people.cadre])
    admin = farm.w.admin
    if case.status == Status.REGISTERED:
        case_actions.do_accept(case, actor=admin)
    case_actions.do_dispatch(case, actor=admin, unit=unit, handler=people.cadre)
    case_actions.do_sign(case, actor=people.cadre)
    case_actions.do_reply(case, actor=people.cadre, note="已开棚通风，温度回落中")
    case = case_actions.do_verify(case, actor=admin, passed=True)
    assert case.status not in OPEN_STATES
    return case


def test_unacknowledged_alarms_open_one_case_and_its_closure_shows_on_them(
    farm, people, settings, client_for
):
    settings.IOT_ALARM_UNACK_CASE_MINUTES = 30
    temp = raise_at(farm.temp, Severity.MAJOR)
    humid = raise_at(farm.humidity, Severity.MINOR, at=T + dt.timedelta(minutes=5))
    other = Greenhouse.objects.create(name="李家2号棚", code="gh2", village=farm.village, stage="bloom")
    sensor = Sensor.objects.create(code="gh2-t1", greenhouse=other, kind=SensorKind.AIR_TEMP, unit="Cel")
    acked = raise_at(sensor, Severity.MAJOR)
    actions.acknowledge(acked, actor=people.cadre)

    with time_machine.travel(T + dt.timedelta(minutes=29), tick=False):
        assert actions.escalate_unacknowledged() == 0
    with time_machine.travel(T + dt.timedelta(minutes=36), tick=False):
        assert actions.escalate_unacknowledged() == 2
        assert actions.escalate_unacknowledged() == 0  # idempotent
    temp.refresh_from_db()
    humid.refresh_from_db()
    acked.refresh_from_db()
    assert temp.case_id is not None and humid.case_id == temp.case_id  # one greenhouse, one case
    assert acked.case_id is None  # someone acknowledged it: no case
    case = temp.case
    assert case.kind.code == "alarm" and case.urgency == Urgency.URGENT and case.node_id == farm.village.pk
    assert "超时未确认" in case.title and "36 分钟" in case.description
    assert Case.objects.count() == 1

    # The console shows the case number and its status on both alarms.
    page = client_for(people.cadre).get(reverse("iot:alarms"), {"greenhouse": farm.greenhouse.pk})
    html = page.content.decode()
    assert html.count(case.number) == 2 and "已由案件处置" not in html

    with time_machine.travel(T + dt.timedelta(hours=2), tick=False):
        case = close_case(case, farm, people)
    temp.refresh_from_db()
    assert temp.status == "active" and temp.handled_by_case
    notes = list(temp.comments.values_list("text", flat=True))
    assert any(case.number in n and "视为已由案件处置" in n for n in notes)
    html = client_for(people.cadre).get(reverse("iot:alarms")).content.decode()
    assert "已由案件处置" in html and case.get_status_display() in html
    detail = client_for(people.cadre).get(reverse("iot:alarm", args=[temp.pk])).content.decode()
    assert case.number in detail and "已由案件处置" in detail
    # Handled by the case: no more reminders, no second case.
    with time_machine.travel(T + dt.timedelta(hours=3), tick=False):
        assert alerts.remind_unacknowledged() == 0
        assert actions.escalate_unacknowledged() == 0
    # A case that closes with a cleared alarm just notes it.
    actions.clear(humid, actor=people.cadre)
    assert Case.objects.count() == 1


def test_a_critical_alarm_joins_the_open_case_and_a_rejected_case_is_noted(farm, people, settings):
    settings.IOT_ALARM_UNACK_CASE_MINUTES = 30
    temp = raise_at(farm.temp, Severity.MAJOR)
    with time_machine.travel(T + dt.timedelta(minutes=31), tick=False):
        actions.escalate_unacknowledged()
    temp.refresh_from_db()
    humid = raise_at(farm.humidity, Severity.CRITICAL, at=T + dt.timedelta(minutes=40))
    assert humid.case_id == temp.case_id
    assert any("并入处置案件" in t for t in humid.comments.values_list("text", flat=True))
    case_actions.do_reject(temp.case, actor=farm.w.admin, reason="设备误报")
    for alarm in (temp, humid):
        assert any(
            "不予受理" in t for t in Alarm.objects.get(pk=alarm.pk).comments.values_list("text", flat=True)
        )
    assert Case.objects.get(pk=temp.case_id).status == Status.REJECTED


def test_a_merged_case_hands_its_alarms_over_and_a_reopened_one_is_noted(farm, people, settings):
    settings.IOT_ALARM_UNACK_CASE_MINUTES = 30
    temp = raise_at(farm.temp, Severity.CRITICAL)
    first = temp.case
    other = Greenhouse.objects.create(name="李家2号棚", code="gh2", village=farm.village, stage="bloom")
    sensor = Sensor.objects.create(code="gh2-t1", greenhouse=other, kind=SensorKind.AIR_TEMP, unit="Cel")
    second_alarm = raise_at(sensor, Severity.CRITICAL)
    second = second_alarm.case
    assert first.pk != second.pk  # two greenhouses, two cases
    assert first.status == Status.ACCEPTED  # a critical alarm's case is accepted by the system at once
    case_actions.do_merge(second, into=first, actor=farm.w.admin, note="同一寒潮")
    second_alarm.refresh_from_db()
    assert second_alarm.case_id == first.pk
    assert any(first.number in t for t in second_alarm.comments.values_list("text", flat=True))

    with time_machine.travel(T + dt.timedelta(hours=1), tick=False):
        closed = close_case(Case.objects.get(pk=first.pk), farm, people)
        temp.refresh_from_db()
        assert temp.handled_by_case
        case_actions.do_reopen(closed, actor=farm.w.admin, reason="夜间再次降温")
    temp.refresh_from_db()
    assert not temp.handled_by_case
    assert "重新打开" in temp.comments.order_by("-pk").first().text


def test_a_critical_alarm_case_runs_on_emergency_hours_goes_to_the_village_and_names_its_source(
    farm, people, client_for, api_for
):
    """Accepted by the system, dispatched to the village by the routing rules (属地), the grower named as the
    contact, the reading with its unit, a limit of hours — and the case page and API link back to the alarm."""
    from minsheng.cases.models import RoutingRule

    unit = Unit.objects.create(
        name="樱桃村委会", kind=UnitKind.COMMUNITY, node=farm.village, leader=people.cadre
    )
    unit.members.set([people.cadre])
    RoutingRule.objects.create(territorial=True)
    alarm = raise_at(farm.temp, Severity.CRITICAL)
    case = alarm.case
    assert case.status == Status.DISPATCHED and case.lead_unit == unit
    assert case.urgency == Urgency.EMERGENCY
    assert case.finish_due - case.accepted_at <= dt.timedelta(hours=2)
    assert case.sign_due - case.dispatched_at <= dt.timedelta(hours=1)  # natural time, even at night
    assert case.reporter_name == "王某"
    assert "31.2 °C" in case.description

    page = client_for(farm.w.admin).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "温室告警" in page and reverse("iot:alarm", args=[alarm.pk]) in page
    data = api_for(farm.w.admin).get(f"/api/v1/cases/{case.pk}/").json()
    assert data["source"]["kind"] == "温室告警"
    assert data["source"]["url"] == reverse("iot:alarm", args=[alarm.pk])
    assert data["source"]["type"] == "iot.alarm"
    assert {d["clock"] for d in data["deadlines"]} == {"sign", "finish"}
