"""The ledgers as xlsx through core.spreadsheet: 会议台账 (one row per meeting) and 走访台账 (one row per visit).

Export only; the addresses of visited households are masked unless the user may see personal data there and asks.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_noop as N_

from minsheng.core.spreadsheet import Column, Resource
from minsheng.org.models import Node

from .choices import ItemKind, MeetingStatus, VisitOutcome
from .models import Meeting, Visit
from .queries import SOLVED


class _Ledger(Resource):
    export_capability = "deliberation.view"
    pii_capability = "org.view_pii"

    def audit_target(self, capability: str):
        paths = [] if self.user.is_superuser else self.user.scope_paths(capability)
        top = Node.objects.filter(path__in=paths).first() if paths else Node.objects.get_first_root_node()
        return top or self.user


class MeetingLedger(_Ledger):
    slug = "meetings"
    title = N_("会议")
    model = Meeting
    columns = (
        Column(N_("日期"), "date", width=12),
        Column(N_("时间"), "time", width=12),
        Column(N_("会议类型"), "kind", width=14),
        Column(N_("会议名称"), "title", width=26),
        Column(N_("社区/小区"), "node", width=20),
        Column(N_("地点"), "place", width=20),
        Column(N_("召集人"), "convenor", width=10),
        Column(N_("状态"), "status", choices=MeetingStatus, width=8),
        Column(N_("签到人数"), "signed", width=8),
        Column(N_("事项"), "items", width=6),
        Column(N_("立案"), "cases", width=6),
        Column(N_("已解决"), "solved", width=6),
        Column(N_("意见建议"), "suggestions", width=8),
        Column(N_("纪要"), "minutes", width=40),
    )

    def queryset(self):
        return (
            super()
            .queryset()
            .select_related("kind", "node", "convenor")
            .annotate(
                n_signed=Count("attendance", distinct=True),
                n_items=Count("items", distinct=True),
                n_cases=Count("items", filter=Q(items__case__isnull=False), distinct=True),
                n_solved=Count("items", filter=Q(items__in=_solved_items()), distinct=True),
                n_suggestions=Count("items", filter=Q(items__kind=ItemKind.SUGGESTION), distinct=True),
            )
            .order_by("starts_at", "pk")
        )

    def values(self, m) -> dict:
        from minsheng.core.calendar import TZ

        start = m.starts_at.astimezone(TZ)
        return {
            "date": f"{start:%Y-%m-%d}",
            "time": f"{start:%H:%M}-{m.ends_at.astimezone(TZ):%H:%M}",
            "kind": m.kind.name,
            "title": m.title,
            "node": m.node.name,
            "place": m.place,
            "convenor": str(m.convenor),
            "status": m.status,
            "signed": m.n_signed,
            "items": m.n_items,
            "cases": m.n_cases,
            "solved": m.n_solved,
            "suggestions": m.n_suggestions,
            "minutes": m.minutes[:500],
        }


def _solved_items():
    from .models import Item

    return Item.objects.filter(SOLVED).values("pk")


class VisitLedger(_Ledger):
    slug = "visits"
    title = N_("走访")
    model = Visit
    columns = (
        Column(N_("走访时间"), "time", width=16),
        Column(N_("走访活动"), "campaign", width=20),
        Column(N_("户主"), "head", width=10),
        Column(N_("地址"), "address", pii="address", width=30),
        Column(N_("走访人"), "visitor", width=10),
        Column(N_("结果"), "outcome", choices=VisitOutcome, width=10),
        Column(N_("走访情况"), "notes", width=40),
        Column(N_("反映问题（案件编号）"), "cases", width=24),
    )

    def queryset(self):
        return (
            super()
            .queryset()
            .select_related("target__campaign", "target__household", "visitor")
            .prefetch_related("items__case")
            .order_by("visited_at", "pk")
        )

    def export_rows(self):
        return self.queryset().iterator(chunk_size=500)

    def values(self, v) -> dict:
        from minsheng.core.calendar import TZ

        return {
            "time": f"{v.visited_at.astimezone(TZ):%Y-%m-%d %H:%M}",
            "campaign": v.target.campaign.title,
            "head": v.target.household.head_name,
            "address": v.target.household.address,
            "visitor": str(v.visitor),
            "outcome": v.outcome,
            "notes": v.notes,
            "cases": "、".join(i.case.number for i in v.items.all() if i.case),
        }
