"""Scheduled work reports: when a month (and a quarter) has ended, every 街道 leader is told through core
notifications, with the period's headline figures and a link to the report page and its downloads.

`send_due()` is a periodic job (settings.MINSHENG_PERIODIC_JOBS: in-process in the embedded default, Celery beat in
production). It is idempotent per period and leader: the notification's dedupe key names the kind and the period,
so running it every hour, or on two machines at once, tells each leader once.
"""

import datetime as dt

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership
from minsheng.core import clock, metrics, notifications

from . import periods, queries

KIND = "insights.report"


def due_periods(today: dt.date) -> list[periods.Period]:
    """The last whole month, and the last whole quarter when today is in a new quarter's first month."""
    last_month = periods.whole("month", today.replace(day=1) - dt.timedelta(days=1))
    due = [last_month]
    if today.month in (1, 4, 7, 10):
        due.append(periods.whole("quarter", last_month.end))
    return due


def leaders():
    rows = Membership.objects.filter(role=Role.STREET_LEADER, user__is_active=True).select_related("user")
    return list({m.user_id: m.user for m in rows}.values())


def _body(user, period: periods.Period) -> str:
    lines = []
    for _domain, label, figures in queries.headline(user, period):
        text = "；".join(f"{f.metric.name} {f.text}" for f in figures)
        lines.append(f"{label}：{text}")
    return "\n".join(lines)


def send_due(today: dt.date | None = None) -> int:
    """Tell every leader of each due report; returns how many notifications were written this time."""
    today = today or clock.today()
    written = 0
    for period in due_periods(today):
        title = (
            _("%(y)s年%(m)s月工作成效报告") % {"y": period.start.year, "m": period.start.month}
            if period.kind == "month"
            else _("%(y)s年第%(q)s季度工作成效报告")
            % {"y": period.start.year, "q": (period.start.month + 2) // 3}
        )
        link = reverse("insights:report") + "?" + urlencode({"start": period.start, "end": period.end})
        for user in leaders():
            with metrics.batch():
                body = _body(user, period)
            written += len(
                notifications.notify(
                    user,
                    title=title,
                    body=body,
                    link=link,
                    kind=KIND,
                    dedupe_key=f"{KIND}:{period.kind}:{period.start:%Y-%m-%d}",
                )
            )
    return written
