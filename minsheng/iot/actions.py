"""Every change to an alarm: raise (or extend, escalate, de-escalate), acknowledge, assign, clear, comment.

Each runs in one transaction with the alarm row locked, so the consumer and a person acting at once serialise.
`actor=None` is the system (the rules). A critical alarm — or one nobody acknowledged for
`IOT_ALARM_UNACK_CASE_MINUTES` — opens a case of kind 告警处置 in the appeals engine, or joins the open case of
another alarm of the same greenhouse, so one incident makes one case. When that case closes, its alarms hear of it
through the `cases.signals.case_event` signal (cases never imports iot).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.accounts.models import User
from minsheng.core import clock
from minsheng.core.context import site_language

from . import alerts
from .choices import AlarmStatus, Severity
from .models import Alarm, AlarmComment, Cluster, CombinedRule, Greenhouse, Sensor, ThresholdOverride

if TYPE_CHECKING:
    from minsheng.cases.models import Case, CaseEvent
    from minsheng.org.models import Node

    from .models import AlarmNotificationPreference

log = logging.getLogger(__name__)

#: Minutes an active alarm may stay unacknowledged before it opens (or joins) a case;
#: settings.IOT_ALARM_UNACK_CASE_MINUTES, 0 switches the escalation off.
DEFAULT_UNACK_CASE_MINUTES = 30
#: Category code of the cases alarms open (02 安全隐患 in the default tree); settings.IOT_ALARM_CASE_CATEGORY.
DEFAULT_CASE_CATEGORY = "02"


def _locked(alarm: Alarm) -> Alarm:
    return (
        Alarm.objects.select_for_update(of=("self",)).select_related("sensor", "greenhouse").get(pk=alarm.pk)
    )


def _note(alarm: Alarm, text: str, actor: User | None = None) -> AlarmComment:
    return AlarmComment.objects.create(alarm=alarm, created_at=clock.now(), author=actor, text=text)


def _check(actor: User | None, alarm: Alarm) -> None:
    if actor is not None and not actor.has_cap(Cap.IOT_HANDLE, alarm.greenhouse.village):
        raise PermissionDenied(_("没有权限处理该告警"))


@site_language()
@transaction.atomic
def raise_alarm(
    sensor: Sensor, type: str, severity: str, *, at: dt.datetime, details: dict[str, Any] | None = None
) -> Alarm:
    """Raise a new alarm, or count a repeat of the active one (moving it on and changing its severity)."""
    alarm = (
        Alarm.objects.select_for_update(of=("self",))
        .filter(sensor=sensor, type=type, status=AlarmStatus.ACTIVE)
        .first()
    )
    if alarm is None:
        try:
            with transaction.atomic():
                alarm = Alarm.objects.create(
                    sensor=sensor,
                    greenhouse=sensor.greenhouse,  # (the rules have it loaded: no query for it later)
                    type=type,
                    severity=severity,
                    started_at=at,
                    last_at=at,
                    details=details or {},
                )
        except IntegrityError:  # another consumer raised it a moment ago: count ours as a repeat
            return raise_alarm(sensor, type, severity, at=at, details=details)
        _note(alarm, _("告警产生：%(severity)s") % {"severity": alarm.get_severity_display()})
        alerts.tell(alarm, alerts.CREATED, key="created")
    else:
        changes = {"count": F("count") + 1, "details": details or alarm.details}
        if at > alarm.last_at:
            changes["last_at"] = at
        # A repeat is not a change anyone made: an UPDATE without the audit log's signal.
        Alarm.objects.filter(pk=alarm.pk).update(**changes)
        old = alarm.severity
        alarm.refresh_from_db()
        if severity != old:
            alarm.severity = severity
            alarm.save(update_fields=["severity", "updated_at"])
            _note(
                alarm,
                _("级别由%(old)s变为%(new)s")
                % {"old": Severity(old).label, "new": alarm.get_severity_display()},
            )
            alerts.tell(
                alarm, alerts.SEVERITY, key=f"severity:{alarm.count}:{severity}", old=Severity(old).label
            )
    if alarm.severity == Severity.CRITICAL and alarm.case_id is None:
        _open_case(alarm)
    return alarm


@site_language()
def _open_case(alarm: Alarm, *, unacknowledged_minutes: int | None = None) -> None:
    """Link the alarm to its greenhouse's open alarm case, or open one (告警处置, channel 系统生成).

    A critical alarm opens an urgent case; one escalated for lying unacknowledged opens a normal one (the
    severity alone did not call for urgency, the silence did)."""
    from minsheng.cases.actions import do_register
    from minsheng.cases.choices import OPEN_STATES, Urgency
    from minsheng.cases.models import Case, Category

    sibling = (
        Alarm.objects.filter(greenhouse_id=alarm.greenhouse_id, case__status__in=OPEN_STATES)
        .exclude(pk=alarm.pk)
        .values_list("case_id", flat=True)
        .first()
    )
    if sibling is None:
        code = getattr(settings, "IOT_ALARM_CASE_CATEGORY", DEFAULT_CASE_CATEGORY)
        category = Category.objects.filter(code=code, is_active=True).first()
        if category is None:
            log.error("iot: no active case category %s: critical alarm %s opens no case", code, alarm.pk)
            return
        greenhouse = alarm.greenhouse
        values = {
            "greenhouse": greenhouse.name,
            "sensor": alarm.sensor.get_kind_display(),
            "code": alarm.sensor.code,
            "value": f"{alarm.details.get('value', '')} {alarm.sensor.unit_label}".strip(),
            "severity": alarm.get_severity_display(),
            "minutes": unacknowledged_minutes or 0,
        }
        if unacknowledged_minutes is None:
            title = _("%(greenhouse)s紧急告警") % values
            description = _("%(greenhouse)s %(sensor)s（%(code)s）紧急告警，当前值 %(value)s。") % values
        else:
            title = _("%(greenhouse)s告警超时未确认") % values
            description = (
                _(
                    "%(greenhouse)s %(sensor)s（%(code)s）%(severity)s告警已 %(minutes)d 分钟无人确认，"
                    "当前值 %(value)s。"
                )
                % values
            )
        urgent = alarm.severity == Severity.CRITICAL
        try:
            case = do_register(
                actor=None,
                kind="alarm",
                channel="system",
                category=category,
                node=greenhouse.village,
                title=title,
                description=description,
                # a crop can die within hours: a critical alarm runs on the emergency limits (natural hours)
                urgency=Urgency.EMERGENCY if urgent else Urgency.URGENT,
                reporter_name=greenhouse.owner_name,
                source=alarm,
            )
        except ValidationError as exc:
            log.error("iot: case for alarm %s not registered: %s", alarm.pk, exc)
            return
        if urgent:
            _accept_and_route(case)
        sibling = case.pk
        _note(alarm, _("已生成处置案件 %(number)s") % {"number": case.number})
    else:
        _note(
            alarm,
            _("并入处置案件 %(number)s")
            % {"number": Case.objects.filter(pk=sibling).values_list("number", flat=True).first()},
        )
    alarm.case_id = sibling
    alarm.save(update_fields=["case", "updated_at"])


def _accept_and_route(case: Case) -> None:
    """A sensor's reading needs no 受理 judgement: the case is accepted at once and sent to the unit the routing
    rules name (属地: the greenhouse's village); with no rule it waits, accepted, for a dispatcher."""
    from minsheng.cases.actions import do_accept, do_dispatch

    do_accept(case, actor=None, note=_("传感器告警，系统自动受理"))
    try:
        do_dispatch(case, actor=None, note=_("按派遣规则自动派遣至属地"))
    except ValidationError as exc:
        log.warning("iot: alarm case %s not dispatched automatically: %s", case.pk, exc)


@transaction.atomic
def acknowledge(alarm: Alarm, *, actor: User | None) -> Alarm:
    alarm = _locked(alarm)
    _check(actor, alarm)
    if alarm.acknowledged:
        return alarm
    alarm.acknowledged = True
    alarm.acked_at = clock.now()
    alarm.acked_by = actor
    alarm.save(update_fields=["acknowledged", "acked_at", "acked_by", "updated_at"])
    with site_language():
        _note(alarm, _("已确认"), actor)
    return alarm


@transaction.atomic
def clear(alarm: Alarm, *, actor: User | None = None, at: dt.datetime | None = None, note: str = "") -> Alarm:
    """Clear an active alarm (the rules when the value is back, or a person). A cleared alarm stays cleared;
    the next breach raises a new one."""
    alarm = _locked(alarm)
    _check(actor, alarm)
    if alarm.status == AlarmStatus.CLEARED:
        return alarm
    alarm.status = AlarmStatus.CLEARED
    alarm.cleared_at = at or clock.now()
    alarm.save(update_fields=["status", "cleared_at", "updated_at"])
    with site_language():
        _note(alarm, note or (_("已恢复正常，自动清除") if actor is None else _("已手动清除")), actor)
    alerts.tell(alarm, alerts.CLEARED, key="cleared")
    return alarm


@transaction.atomic
def assign(alarm: Alarm, *, actor: User | None, assignee: User | None) -> Alarm:
    alarm = _locked(alarm)
    _check(actor, alarm)
    if assignee is not None and not assignee.has_cap(Cap.IOT_HANDLE, alarm.greenhouse.village):
        raise ValidationError({"assignee": _("该人员无权处理此大棚的告警")})
    alarm.assignee = assignee
    alarm.save(update_fields=["assignee", "updated_at"])
    with site_language():
        _note(alarm, _("指派给%(name)s") % {"name": assignee} if assignee else _("取消指派"), actor)
    return alarm


@transaction.atomic
def comment(alarm: Alarm, *, actor: User | None, text: str) -> AlarmComment:
    alarm = _locked(alarm)
    _check(actor, alarm)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写备注内容")})
    if len(text) > 2000:
        raise ValidationError({"text": _("备注不能超过2000字")})
    return _note(alarm, text, actor)


def unack_case_minutes() -> int:
    return int(getattr(settings, "IOT_ALARM_UNACK_CASE_MINUTES", DEFAULT_UNACK_CASE_MINUTES))


def escalate_unacknowledged(now: dt.datetime | None = None) -> int:
    """Periodic job: an active alarm nobody acknowledged for N minutes opens (or joins) its greenhouse's case.

    Idempotent: an alarm with a case is never escalated again (even once that case is closed — it was handled).
    Each alarm is re-checked under its row lock, so an acknowledgement arriving meanwhile wins. Returns how many
    alarms were linked to a case.
    """
    minutes = unack_case_minutes()
    if minutes <= 0:
        return 0
    now = now or clock.now()
    ids = list(
        Alarm.objects.filter(
            status=AlarmStatus.ACTIVE,
            acknowledged=False,
            case__isnull=True,
            started_at__lte=now - dt.timedelta(minutes=minutes),
        )
        .order_by("started_at", "pk")
        .values_list("pk", flat=True)
    )
    linked = 0
    for pk in ids:
        with transaction.atomic():
            alarm = _locked(Alarm(pk=pk))
            if alarm.status != AlarmStatus.ACTIVE or alarm.acknowledged or alarm.case_id is not None:
                continue
            waited = int((now - alarm.started_at).total_seconds() // 60)
            _open_case(alarm, unacknowledged_minutes=waited)
            linked += alarm.case_id is not None
    return linked


@site_language()
def on_case_event(sender: type, *, case: Case, event: CaseEvent, **kwargs: Any) -> None:
    """A case went from open to closed (or back): say so on each of its alarms.

    A closed case does not clear an alarm — only the readings (or a person) can say the greenhouse is back in
    range. An alarm still active under a closed case counts as handled by the case: no more reminders, no new
    escalation; the next breach after it clears raises a new alarm, which opens a new case if it must.
    A case merged into another hands its alarms to that case.
    """
    from minsheng.cases.choices import OPEN_STATES, Status

    was_open, is_open = event.from_status in OPEN_STATES, case.status in OPEN_STATES
    if not event.from_status or (was_open == is_open and case.status != Status.MERGED):
        return
    alarms = list(Alarm.objects.select_for_update(of=("self",)).filter(case_id=case.pk).order_by("pk"))
    if not alarms:
        return
    values = {"number": case.number, "status": case.get_status_display()}
    target = case.merged_into if case.status == Status.MERGED else None
    for alarm in alarms:
        if target is not None:
            alarm.case = target
            alarm.save(update_fields=["case", "updated_at"])
            _note(alarm, _("处置案件 %(number)s 已并入 %(target)s") % {**values, "target": target.number})
        elif is_open:
            _note(alarm, _("处置案件 %(number)s 已重新打开（%(status)s）") % values)
        elif alarm.status == AlarmStatus.ACTIVE:
            _note(
                alarm,
                _("处置案件 %(number)s 已%(status)s；告警仍在活动，视为已由案件处置，不再提醒") % values,
            )
        else:
            _note(alarm, _("处置案件 %(number)s 已%(status)s") % values)


@transaction.atomic
def set_preferences(
    user: User,
    *,
    actor: User | None,
    enabled: bool,
    severities: Iterable[str],
    clusters: Iterable[Cluster] = (),
    villages: Iterable[Node] = (),
    email: bool = True,
    on_cleared: bool = True,
    reminders: bool = True,
) -> AlarmNotificationPreference:
    """Save one person's alarm notification preferences (only their own, or a superuser's doing)."""
    from .models import AlarmNotificationPreference

    if actor is not None and actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("只能修改自己的通知设置"))
    severities = [s for s in Severity.values if s in set(severities or [])]
    if enabled and not severities:
        raise ValidationError({"severities": _("请至少选择一个告警级别，或关闭告警通知")})
    for village in villages:
        if not user.has_cap(Cap.IOT_VIEW, village):
            raise ValidationError({"villages": _("只能选择自己可查看的村")})
    pref, _created = AlarmNotificationPreference.objects.select_for_update().get_or_create(user=user)
    pref.enabled = enabled
    pref.severities = severities
    pref.email = email
    pref.on_cleared = on_cleared
    pref.reminders = reminders
    pref.save()
    pref.clusters.set(clusters)
    pref.villages.set(villages)
    return pref


# ---------------------------------------------------------------------------------------------------------------
# Threshold overrides (rules configuration): who may set them, validated, audited through the model save.
# ---------------------------------------------------------------------------------------------------------------


def can_configure(
    actor: User | None, *, greenhouse: Greenhouse | None = None, cluster: Cluster | None = None
) -> bool:
    """A greenhouse's thresholds: the capability at its village. A cluster's: at every village of the cluster."""
    if actor is None:
        return False
    if greenhouse is not None:
        return actor.has_cap(Cap.IOT_CONFIGURE, greenhouse.village)
    if actor.is_superuser:
        return True
    if cluster is None:
        return False
    villages = list(cluster.villages.all())
    return bool(villages) and all(actor.has_cap(Cap.IOT_CONFIGURE, v) for v in villages)


@transaction.atomic
def save_threshold_override(override: ThresholdOverride, *, actor: User | None) -> ThresholdOverride:
    """Create or change a cluster or greenhouse override (full validation: low < high, bounds, deadband)."""
    if not can_configure(actor, greenhouse=override.greenhouse, cluster=override.cluster):
        raise PermissionDenied(_("没有权限设置该层级的阈值"))
    override.full_clean(validate_constraints=False)  # clean() words the one-per-level rule for people
    override.save()
    return override


@transaction.atomic
def delete_threshold_override(override: ThresholdOverride, *, actor: User | None) -> None:
    """Remove an override: the level above applies again."""
    if not can_configure(actor, greenhouse=override.greenhouse, cluster=override.cluster):
        raise PermissionDenied(_("没有权限设置该层级的阈值"))
    override.delete()


# ---------------------------------------------------------------------------------------------------------------
# Repeats of active alarms in bulk (the rules engine, once per batch of readings).
# ---------------------------------------------------------------------------------------------------------------


#: Alarms per locking SELECT when counting repeats in bulk.
REPEAT_CHUNK = 500


def _column(field: object) -> str:
    assert isinstance(field, models.Field) and field.column
    return field.column


def count_repeats(repeats: dict[int, tuple[int, object, dict[str, Any]]]) -> set[int]:
    """Count repeats of ACTIVE alarms whose severity does not change: {alarm pk: (repeats, newest at, details)}.

    One UPDATE statement run over the whole batch (like a single repeat in `raise_alarm`, a plain UPDATE that is
    not audited), after locking the rows that are still active.
    Returns the pks that were no longer active (cleared by a person meanwhile): the caller raises those anew.
    """
    from django.db import connection

    if not repeats:
        return set()
    pks = list(repeats)
    qn = connection.ops.quote_name
    meta = Alarm._meta
    count, last_at, details, pk_col = (
        qn(_column(meta.get_field(n))) for n in ("count", "last_at", "details", "id")
    )
    sql = (
        f"UPDATE {qn(meta.db_table)} SET {count} = {count} + %s, "
        f"{last_at} = CASE WHEN {last_at} < %s THEN %s ELSE {last_at} END, {details} = %s WHERE {pk_col} = %s"
    )
    at_field, details_field = meta.get_field("last_at"), meta.get_field("details")
    live: set[int] = set()
    with transaction.atomic():
        for start in range(0, len(pks), REPEAT_CHUNK):
            live |= set(
                Alarm.objects.select_for_update(of=("self",))
                .filter(pk__in=pks[start : start + REPEAT_CHUNK], status=AlarmStatus.ACTIVE)
                .values_list("pk", flat=True)
            )
        params = []
        for pk in live:
            n, at, info = repeats[pk]
            moment = at_field.get_db_prep_save(at, connection)
            params.append((n, moment, moment, details_field.get_db_prep_save(info, connection), pk))
        if params:
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
    return set(pks) - live


@transaction.atomic
def save_combined_rule(
    rule: CombinedRule, conditions: list[tuple[str, str, float]], *, actor: User | None
) -> CombinedRule:
    """Create or change a combined (AND/OR) rule of a greenhouse or its cluster with its conditions (replaced)."""
    from .models import CombinedCondition

    if not can_configure(actor, greenhouse=rule.greenhouse, cluster=rule.cluster):
        raise PermissionDenied(_("没有权限设置该层级的告警规则"))
    if not conditions:
        raise ValidationError(_("至少填写一个条件"))
    rule.full_clean()
    rule.save()
    rule.conditions.all().delete()
    CombinedCondition.objects.bulk_create(
        [CombinedCondition(rule=rule, kind=k, comparison=c, value=v) for k, c, v in conditions]
    )
    rule.save(update_fields=["updated_at"])  # drops the cached rules after the conditions changed
    return rule


@transaction.atomic
def delete_combined_rule(rule: CombinedRule, *, actor: User | None) -> None:
    if not can_configure(actor, greenhouse=rule.greenhouse, cluster=rule.cluster):
        raise PermissionDenied(_("没有权限设置该层级的告警规则"))
    rule.delete()
