"""The statutory clocks' periodic job: a reminder some days before each deadline and one when it passes.

Idempotent: each (clock, record, due, overdue?) is reminded once — the Reminder row's unique constraint — so the
job may run every few minutes, twice at once, or on two machines. A moved deadline (an extension) is a new due
time and is reminded again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import conf
from ..choices import Acceptance, Clock, Outcome
from ..models import Dispute, Petition, Reminder
from .common import notify, now

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from minsheng.accounts.models import User

# (clock, records still waiting, due field, who to tell, what to say, link)
Watched = tuple[
    str, "QuerySet[Dispute] | QuerySet[Petition]", str, Callable[[Any], list["User | None"]], str, str
]


def _people_of_dispute(d: Dispute) -> list[User | None]:
    return [m.user for m in d.mediators.filter(active=True).select_related("user")]


def _people_of_petition(p: Petition) -> list[User | None]:
    return [p.case.handler, p.case.first_receiver]


def _watched(at: dt.datetime) -> Iterator[Watched]:
    """(clock, queryset of records still waiting, due field, who to tell, what to say, link)."""
    horizon = at + dt.timedelta(days=conf.get("remind_days_before"))
    yield (
        Clock.PETITION_NOTICE,
        Petition.objects.filter(acceptance=Acceptance.PENDING, notice_due__lte=horizon),
        "notice_due",
        _people_of_petition,
        _("信访事项须在期限内书面告知是否受理"),
        "/mediation/petitions/{pk}/",
    )
    yield (
        Clock.PETITION_HANDLE,
        Petition.objects.filter(
            acceptance=Acceptance.ACCEPTED, replied_at__isnull=True, handle_due__lte=horizon
        ),
        "handle_due",
        _people_of_petition,
        _("信访事项须在期限内办结并出具答复意见"),
        "/mediation/petitions/{pk}/",
    )
    yield (
        Clock.MEDIATION,
        Dispute.objects.filter(outcome=Outcome.PENDING, mediation_due__lte=horizon),
        "mediation_due",
        _people_of_dispute,
        _("矛盾纠纷调解期限将至"),
        "/mediation/disputes/{pk}/",
    )
    yield (
        Clock.JUDICIAL,
        Dispute.objects.filter(
            outcome=Outcome.WRITTEN, judicial_applied_on__isnull=True, judicial_due__lte=horizon
        ),
        "judicial_due",
        _people_of_dispute,
        _("调解协议司法确认申请期（协议生效后30日）将至，请提示当事人"),
        "/mediation/disputes/{pk}/",
    )
    yield (
        Clock.PERFORMANCE,
        Dispute.objects.filter(
            outcome__in=[Outcome.WRITTEN, Outcome.ORAL],
            followed_up_at__isnull=True,
            performance_due__lte=horizon,
        ),
        "performance_due",
        _people_of_dispute,
        _("调解协议履行回访到期"),
        "/mediation/disputes/{pk}/",
    )


def run(at: dt.datetime | None = None) -> dict[str, int]:
    at = at or now()
    counts = {"reminded": 0, "overdue": 0}
    for clock, records, field, people, text, link in _watched(at):
        for record in records.select_related("case"):
            due = getattr(record, field)
            overdue = due <= at
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        clock=clock, object_id=record.pk, due=due, overdue=overdue, sent_at=at
                    )
            except IntegrityError:
                continue
            title = (_("【已超期】%(t)s：%(n)s") if overdue else _("【临期提醒】%(t)s：%(n)s")) % {
                "t": text,
                "n": record.case.number,
            }
            notify(
                people(record),
                title=title,
                link=link.format(pk=record.pk),
                level="urgent" if overdue else "warning",
                key=f"mediation:{clock}:{record.pk}:{due.isoformat()}:{int(overdue)}",
            )
            counts["overdue" if overdue else "reminded"] += 1
    return counts
