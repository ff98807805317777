"""Shared reads: the scoped querysets, what "solved" means, item outcomes, the 联户 overdue list, coverage."""

import datetime as dt

from django.db.models import Count, DateTimeField, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from minsheng.cases.choices import DONE_STATES, OPEN_STATES, STATUS_COLOURS
from minsheng.core import clock
from minsheng.core.calendar import TZ

from .choices import ItemKind, MeetingStatus, TargetStatus
from .models import Attendance, Item, LinkedContact, Meeting, Tally, VisitTarget

VIEW = "deliberation.view"
DEFAULT_CONTACT_DAYS = 30

#: 已解决 (written once, docs/metrics.md): the item's case reached 办结 (办结 or 归档 now) and was never reopened.
SOLVED = Q(case__status__in=DONE_STATES, case__reopen_count=0)
IS_CASE = Q(case__isnull=False)


def meetings(user):
    return Meeting.objects.visible_to(user, VIEW).select_related("kind", "node", "convenor")


def items(user):
    return Item.objects.visible_to(user, VIEW).select_related("case", "meeting__kind", "category")


def in_subtree(qs, node, field: str = "node__path"):
    return qs if node is None else qs.filter(**{f"{field}__startswith": node.path})


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=TZ),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=TZ),
    )


def item_outcome(item: Item) -> dict:
    """What became of an item, in the words residents and staff read on the minutes page."""
    if item.kind == ItemKind.SUGGESTION:
        return {"label": _("意见建议（已记录）"), "color": "gray", "solved": False, "open": False}
    case = item.case
    if case is None:
        return {"label": _("未立案"), "color": "gray", "solved": False, "open": False}
    solved = case.status in DONE_STATES and case.reopen_count == 0
    overdue = case.status in OPEN_STATES and case.finish_due is not None and case.finish_due < clock.now()
    label = case.get_status_display()
    if overdue:
        label = _("%(s)s（已超期）") % {"s": label}
    return {
        "label": label,
        "color": "red" if overdue else STATUS_COLOURS.get(case.status, "gray"),
        "solved": solved,
        "open": case.status in OPEN_STATES,
        "overdue": overdue,
    }


def item_counts(qs) -> dict:
    """Items raised, of which cases, of which solved, and suggestions apart — one aggregate query."""
    row = qs.aggregate(
        raised=Count("pk"),
        cases=Count("pk", filter=IS_CASE),
        solved=Count("pk", filter=SOLVED),
        suggestions=Count("pk", filter=Q(kind=ItemKind.SUGGESTION)),
    )
    row["rate"] = round(row["solved"] * 100 / row["raised"], 1) if row["raised"] else None
    return row


def items_by_origin(qs) -> list[dict]:
    """The item figures per meeting kind, then visits and 联户交心 (the 阳光开放日 row is the article's figure)."""
    rows = []
    by_kind = (
        qs.filter(meeting__isnull=False)
        .values("meeting__kind__name", "meeting__kind__order")
        .annotate(
            raised=Count("pk"),
            cases=Count("pk", filter=IS_CASE),
            solved=Count("pk", filter=SOLVED),
            suggestions=Count("pk", filter=Q(kind=ItemKind.SUGGESTION)),
        )
        .order_by("meeting__kind__order")
    )
    for row in by_kind:
        rows.append({"label": row["meeting__kind__name"], **_counts(row)})
    for label, condition in (
        (_("连心大走访"), Q(visit__isnull=False)),
        (_("联户交心"), Q(contact__isnull=False)),
    ):
        counts = item_counts(qs.filter(condition))
        if counts["raised"]:
            rows.append({"label": label, **counts})
    return rows


def _counts(row: dict) -> dict:
    counts = {k: row[k] for k in ("raised", "cases", "solved", "suggestions")}
    counts["rate"] = round(row["solved"] * 100 / row["raised"], 1) if row["raised"] else None
    return counts


def attendance_by_role(meeting_qs) -> dict[str, int]:
    """Person-times at the given meetings by role: signed-in people plus the tallied ones."""
    counts: dict[str, int] = {}
    for role, n in (
        Attendance.objects.filter(meeting__in=meeting_qs)
        .values_list("role")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[role] = counts.get(role, 0) + n
    for role, n in (
        Tally.objects.filter(meeting__in=meeting_qs).values_list("role").annotate(n=Sum("count")).order_by()
    ):
        counts[role] = counts.get(role, 0) + n
    return counts


def held_by_kind(meeting_qs) -> list[dict]:
    return list(
        meeting_qs.filter(status=MeetingStatus.CLOSED)
        .values("kind__name", "kind__order")
        .annotate(n=Count("pk"))
        .order_by("kind__order")
    )


def missed(meeting_qs, now: dt.datetime | None = None):
    """Occurrences of a series whose time has passed and that were never opened nor cancelled with a reason."""
    now = now or clock.now()
    return meeting_qs.filter(series__isnull=False, status=MeetingStatus.SCHEDULED, ends_at__lt=now)


def coverage(targets_qs) -> dict:
    row = targets_qs.aggregate(
        targeted=Count("pk"),
        visited=Count("pk", filter=Q(status=TargetStatus.VISITED)),
        not_home=Count("pk", filter=Q(status=TargetStatus.NOT_HOME)),
        refused=Count("pk", filter=Q(status=TargetStatus.REFUSED)),
    )
    row["rate"] = round(row["visited"] * 100 / row["targeted"], 1) if row["targeted"] else None
    return row


def targets(user):
    return VisitTarget.objects.visible_to(user, VIEW).select_related("campaign", "household__node", "visitor")


def linked_pairs(user, node=None, as_of: dt.datetime | None = None):
    """Every (party member, linked household) pair in scope with its last contact and when the next is due.

    Rows of the M2M through table, annotated in the database: `last` (the latest contact up to `as_of`, or None),
    `every` (the member's plan, 30 days without one) and `due` (last + every; a never-contacted pair is due now).
    """
    from minsheng.org.models import PartyMember

    as_of = as_of or clock.now()
    through = PartyMember.households.through
    members = PartyMember.objects.visible_to(user, VIEW)
    if node is not None:
        members = members.filter(party_org__node__path__startswith=node.path)
    last = (
        LinkedContact.objects.filter(
            party_member_id=OuterRef("partymember_id"),
            household_id=OuterRef("household_id"),
            contacted_at__lte=as_of,
        )
        .order_by("-contacted_at")
        .values("contacted_at")[:1]
    )
    return (
        through.objects.filter(partymember__in=members)
        .select_related("partymember__party_org", "household__node")
        .annotate(
            last=Subquery(last, output_field=DateTimeField()),
            every=Coalesce(F("partymember__contact_plan__every_days"), DEFAULT_CONTACT_DAYS),
        )
        .order_by("partymember__party_org__path", "partymember_id", "household_id")
    )


def overdue_pairs(user, node=None, as_of: dt.datetime | None = None):
    """Pairs whose last contact is older than the member's frequency, or who were never contacted."""
    from .models import ContactPlan

    as_of = as_of or clock.now()
    # One condition per distinct frequency (a handful) keeps the date arithmetic out of SQL, where SQLite and
    # PostgreSQL disagree on multiplying intervals.
    condition = Q(last__isnull=True)
    for days in {*ContactPlan.objects.values_list("every_days", flat=True).distinct(), DEFAULT_CONTACT_DAYS}:
        condition |= Q(every=days, last__lt=as_of - dt.timedelta(days=days))
    return linked_pairs(user, node, as_of).filter(condition)
