"""The 双报到 annual evaluation as a spreadsheet, through the core spreadsheet machinery: one row per unit or member,
exportable for the community's records or for one unit (its own rows and its members')."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N

from minsheng.accounts.choices import Cap
from minsheng.core.spreadsheet import Column, Resource
from minsheng.org.models import Node

from .choices import Grade
from .models import Evaluation


class EvaluationResource(Resource):
    slug = "dual-evaluations"
    title = N("双报到年度评价")
    model = Evaluation
    export_capability = Cap.ACTIVITIES_VIEW
    pii_capability = Cap.ORG_VIEW_PII
    columns = (
        Column(N("年度"), "year", width=8),
        Column(N("社区"), "community", width=14),
        Column(N("类别"), "who_kind", width=10),
        Column(N("单位/党员"), "who", width=22),
        Column(N("工作单位"), "work_unit", width=22),
        Column(N("组织活动次数"), "events_organised", width=12),
        Column(N("参与人次"), "participations", width=10),
        Column(N("志愿服务时长（小时）"), "hours", width=14),
        Column(N("参与项目数"), "projects", width=10),
        Column(N("评定等次"), "grade", choices=Grade, width=10),
        Column(N("评语"), "comment", width=30),
    )

    def __init__(self, user, *, year: int, unit=None) -> None:
        super().__init__(user)
        self.year = year
        self.unit = unit

    def queryset(self):
        qs = (
            super()
            .queryset()
            .filter(year=self.year)
            .select_related("node", "unit", "member", "member__unit")
            .order_by("node__path", "unit_id", "member__name", "pk")
        )
        if self.unit is not None:
            qs = qs.filter(unit=self.unit) | qs.filter(member__unit=self.unit)
        return qs

    def values(self, e: Evaluation) -> dict:
        return {
            "year": e.year,
            "community": e.node.name,
            "who_kind": _("报到单位") if e.unit_id else _("在职党员"),
            "who": e.unit.name if e.unit_id else e.member.name,
            "work_unit": "" if e.unit_id else (e.member.work_unit_name or ""),
            "events_organised": e.events_organised,
            "participations": e.participations,
            "hours": float(e.hours),
            "projects": e.projects,
            "grade": e.grade,
            "comment": e.comment,
        }

    def audit_target(self, capability: str):
        paths = [] if self.user.is_superuser else self.user.scope_paths(capability)
        top = Node.objects.filter(path__in=paths).first() if paths else Node.objects.get_first_root_node()
        return top or self.user
