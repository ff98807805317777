"""Who hears of a greenhouse alarm, and when: created, severity changed, cleared, and reminders while unacknowledged.

Everything goes through core notifications (`notify`): the inbox row is written in the caller's transaction, email
copies follow the person's general settings and wait out their quiet hours (critical alarms are 紧急 and go at
once). What is alarm-specific lives here: the per-person AlarmNotificationPreference (severities, clusters or
villages, email on or off, cleared and reminder notices), and that a reminder falling into someone's quiet hours is
not sent at all — the next one after the quiet period is — unless the alarm is critical. See decision 0009.
"""

import contextlib
import contextvars
import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.models import NotificationPreference
from minsheng.core.notifications import SHANGHAI as SITE_TZ
from minsheng.core.notifications import Level, notify, quiet_until

from .choices import AlarmStatus, Severity
from .models import Alarm, AlarmNotificationPreference, Greenhouse, default_notify_severities

#: Minutes between reminders of an unacknowledged alarm (settings.IOT_ALARM_REMIND_MINUTES).
DEFAULT_REMIND_MINUTES = 30

LEVELS = {
    Severity.CRITICAL: Level.URGENT,
    Severity.MAJOR: Level.WARNING,
    Severity.MINOR: Level.INFO,
    Severity.WARNING: Level.INFO,
    Severity.INDETERMINATE: Level.INFO,
}

CREATED, SEVERITY, CLEARED, REMINDER = "created", "severity", "cleared", "reminder"


def remind_minutes() -> int:
    return max(1, int(getattr(settings, "IOT_ALARM_REMIND_MINUTES", DEFAULT_REMIND_MINUTES)))


def _people_at(village) -> list:
    """Active people with a membership at the village or above it (the candidates; capabilities decide)."""
    prefixes = [village.path[:i] for i in range(village.steplen, len(village.path) + 1, village.steplen)]
    return list(
        get_user_model()
        .objects.filter(is_active=True, memberships__node__path__in=prefixes)
        .distinct()
        .order_by("pk")
    )


#: Within one batch of the rules, a village's candidates and their preferences are looked up once (`batch()`).
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("iot_alerts_memo", default=None)


@contextlib.contextmanager
def batch():
    """Remember each village's candidates and their preferences until the block ends (one rules batch): a burst of
    alarms in one village then costs one lookup, not one per alarm. Nothing outlives the block."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _preferences(users) -> dict:
    return {
        p.user_id: p
        for p in AlarmNotificationPreference.objects.filter(user__in=users).prefetch_related(
            "clusters", "villages"
        )
    }


def _remembered(key, make):
    memo = _memo.get()
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


def _candidates(village) -> tuple[list, dict]:
    def make():
        people = _people_at(village)
        return people, _preferences(people)

    return _remembered(("candidates", village.pk), make)


def _with_village(alarm: Alarm):
    """The alarm's greenhouse with its village loaded (once per village in a batch)."""
    greenhouse = alarm.greenhouse
    if not Greenhouse.village.is_cached(greenhouse):
        greenhouse.village = _remembered(("village", greenhouse.village_id), lambda: greenhouse.village)
    return greenhouse


def _wants(pref: AlarmNotificationPreference | None, alarm: Alarm, user, what: str) -> bool:
    village = alarm.greenhouse.village
    if pref is None:
        # Not asked: those who handle the village's alarms hear of critical and major ones.
        return alarm.severity in default_notify_severities() and user.has_cap(Cap.IOT_HANDLE, village)
    if not pref.enabled or alarm.severity not in (pref.severities or []):
        return False
    if what == CLEARED and not pref.on_cleared:
        return False
    if what == REMINDER and not pref.reminders:
        return False
    clusters = {c.pk for c in pref.clusters.all()}
    villages = {v.pk for v in pref.villages.all()}
    if (clusters or villages) and not (
        alarm.greenhouse.cluster_id in clusters or alarm.greenhouse.village_id in villages
    ):
        return False
    return user.has_cap(Cap.IOT_VIEW, village)


def recipients(alarm: Alarm, what: str, *, at: dt.datetime | None = None) -> list[tuple]:
    """(user, wants email) for everyone who should hear of `what` about `alarm` now."""
    people, prefs = _candidates(_with_village(alarm).village)
    if alarm.assignee_id and alarm.assignee.is_active and all(p.pk != alarm.assignee_id for p in people):
        people = [*people, alarm.assignee]
        prefs = {**prefs, **_preferences([alarm.assignee])}
    quiet = {}
    if what == REMINDER and alarm.severity != Severity.CRITICAL:
        quiet = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=people)}
    now = at or clock.now()
    chosen = []
    for user in people:
        pref = prefs.get(user.pk)
        if user.pk == alarm.assignee_id and (pref is None or pref.enabled):
            wanted = user.has_cap(
                Cap.IOT_VIEW, alarm.greenhouse.village
            )  # the assignee always hears of their alarm
        else:
            wanted = _wants(pref, alarm, user, what)
        if not wanted:
            continue
        general = quiet.get(user.pk)
        if general is not None and quiet_until(general.quiet_start, general.quiet_end, now) is not None:
            continue  # a reminder in quiet hours is dropped; the next one after them is sent
        chosen.append((user, pref.email if pref is not None else True))
    return chosen


def _title(alarm: Alarm, what: str, extra: dict) -> str:
    values = {
        "severity": alarm.get_severity_display(),
        "greenhouse": alarm.greenhouse.name,
        "sensor": alarm.sensor.get_kind_display(),
        "type": alarm.get_type_display(),
        **extra,
    }
    if what == CREATED:
        return _("【%(severity)s】%(greenhouse)s %(sensor)s%(type)s告警") % values
    if what == SEVERITY:
        return _("【%(severity)s】%(greenhouse)s %(sensor)s告警级别由%(old)s变为%(severity)s") % values
    if what == CLEARED:
        return _("%(greenhouse)s %(sensor)s%(type)s告警已清除") % values
    return _("【%(severity)s】%(greenhouse)s %(sensor)s告警已 %(minutes)d 分钟未确认") % values


def tell(alarm: Alarm, what: str, *, key: str, at: dt.datetime | None = None, **extra) -> int:
    """Notify the people who want to hear of `what`; return how many inbox rows were written.

    `key` makes the call idempotent (core dedupe): a repeat, or a second periodic run, writes nothing new.
    """
    people = recipients(alarm, what, at=at)
    if not people:
        return 0
    value = alarm.details.get("value") if isinstance(alarm.details, dict) else None
    body = _("传感器 %(code)s，开始于 %(start)s，共触发 %(count)d 次") % {
        "code": alarm.sensor.code,
        "start": timezone.localtime(alarm.started_at, SITE_TZ).strftime("%m-%d %H:%M"),
        "count": alarm.count,
    }
    if value is not None:
        body += _("，读数 %(value)s") % {"value": value}
    level = Level.INFO if what == CLEARED else LEVELS.get(alarm.severity, Level.INFO)
    common = {
        "title": _title(alarm, what, extra),
        "body": body,
        "link": reverse("iot:alarm", args=[alarm.pk]),
        "level": level,
        "kind": "iot.alarm",
        "source": alarm,
        "dedupe_key": f"iot-alarm:{alarm.pk}:{key}",
    }
    written = 0
    for email in (True, False):
        group = [user for user, wants_email in people if wants_email is email]
        if group:
            written += len(notify(group, email=email, **common))
    return written


def remind_unacknowledged(now: dt.datetime | None = None) -> int:
    """Periodic job: remind people of active alarms nobody acknowledged, every `IOT_ALARM_REMIND_MINUTES`.

    Reminder n is due n intervals after the alarm started; its dedupe key carries n, so running the job twice, or
    every minute, sends each reminder once. Alarms whose case is closed are left alone (handled by the case).
    """
    from minsheng.cases.choices import OPEN_STATES

    now = now or clock.now()
    interval = dt.timedelta(minutes=remind_minutes())
    due = (
        Alarm.objects.filter(status=AlarmStatus.ACTIVE, acknowledged=False, started_at__lte=now - interval)
        .filter(Q(case__isnull=True) | Q(case__status__in=OPEN_STATES))
        .select_related("sensor", "greenhouse__village", "assignee")
        .order_by("pk")
    )
    sent = 0
    for alarm in due.iterator(chunk_size=200):
        slot = int((now - alarm.started_at) / interval)
        minutes = int((now - alarm.started_at).total_seconds() // 60)
        sent += tell(alarm, REMINDER, key=f"remind:{slot}", at=now, minutes=minutes)
    return sent
