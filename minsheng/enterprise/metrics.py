"""The figures of enterprise services, registered in the one metric registry (docs/metrics.md, 企业服务).

Amounts are in 万元. Investment figures count projects by the day of their first signing; ledger figures count items
by the day they were raised; event figures by the day held. Rates are Fractions (None when nothing to divide).
"""

from decimal import Decimal
from fractions import Fraction

from django.db.models import Avg, Count, Sum
from django.utils.translation import gettext_lazy as _

from minsheng.cases.choices import DONE_STATES
from minsheng.core import metrics as registry

from .choices import EventKind, Stage
from .models import (
    EnterpriseEvent,
    MatchOutcome,
    Plan,
    PolicyDelivery,
    Problem,
    Project,
    ProjectEvent,
    Signing,
)
from .queries import in_node

U = registry.Unit
ZERO = Decimal("0")
#: Stages that mean a signed project is being carried out (履约).
PERFORMING = (Stage.LANDING, Stage.PRODUCTION, Stage.OPERATING)


def _ratio(top, bottom):
    return Fraction(int(top), int(bottom)) if bottom else None


def _money_ratio(top, bottom):
    if not bottom:
        return None
    return Fraction(Decimal(top or 0)) / Fraction(Decimal(bottom))


def _projects(scope):
    return in_node(Project.objects.visible_to(scope.viewer), scope.node, "node__path")


def signed_projects(scope):
    return _projects(scope).filter(first_signed_on__range=(scope.start, scope.end))


def signings(scope):
    qs = Signing.objects.filter(project__in=_projects(scope), signed_on__range=(scope.start, scope.end))
    return qs.select_related("project")


def signed_total(scope):
    return signings(scope).aggregate(s=Sum("counted"))["s"] or ZERO


def performing(scope):
    return signed_projects(scope).filter(stage__in=PERFORMING)


def performance_rate(scope):
    return _ratio(performing(scope).count(), signed_projects(scope).count())


def started(scope):
    return signed_projects(scope).filter(started_on__isnull=False)


def start_rate(scope):
    return _ratio(started(scope).count(), signed_projects(scope).count())


def funds_rate(scope):
    sums = signed_projects(scope).aggregate(f=Sum("funds_in_place"), s=Sum("signed_amount"))
    return _money_ratio(sums["f"], sums["s"])


def leads(scope):
    return _projects(scope).filter(submitted_at__date__range=(scope.start, scope.end))


def conversion(scope):
    qs = leads(scope)
    return _ratio(qs.filter(first_signed_on__isnull=False).count(), qs.count())


def stage_exits(scope):
    return ProjectEvent.objects.filter(
        project__in=_projects(scope),
        days_in_stage__isnull=False,
        created_at__date__range=(scope.start, scope.end),
    ).select_related("project")


def avg_days_in_stage(scope):
    value = stage_exits(scope).aggregate(a=Avg("days_in_stage"))["a"]
    return None if value is None else round(Decimal(value), 1)


def _problems(scope):
    return in_node(Problem.objects.visible_to(scope.viewer), scope.node, "enterprise__node__path")


def problems_raised(scope):
    return (
        _problems(scope)
        .filter(case__reported_at__date__range=(scope.start, scope.end))
        .select_related("case")
    )


def problems_closed(scope):
    return _problems(scope).filter(closed_at__date__range=(scope.start, scope.end)).select_related("case")


def close_rate(scope):
    raised = problems_raised(scope)
    return _ratio(raised.filter(closed_at__isnull=False).count(), raised.count())


def on_time(scope):
    return problems_raised(scope).filter(case__status__in=DONE_STATES)


def on_time_rate(scope):
    done = on_time(scope)
    return _ratio(done.filter(case__resolved_on_time=True).count(), done.count())


def _events(scope, kind):
    qs = EnterpriseEvent.objects.visible_to(scope.viewer).filter(
        kind=kind, held_on__range=(scope.start, scope.end)
    )
    return in_node(qs, scope.node, "node__path")


def _outcomes(scope):
    return MatchOutcome.objects.filter(event__in=_events(scope, EventKind.MATCHMAKING)).select_related(
        "enterprise", "bank", "event"
    )


def _amount(field):
    return lambda scope: _outcomes(scope).aggregate(s=Sum(field))["s"] or ZERO


def matchmaking_enterprises(scope):
    return _events(scope, EventKind.MATCHMAKING).aggregate(n=Count("enterprises", distinct=True))["n"]


def deliveries(scope):
    qs = PolicyDelivery.objects.visible_to(scope.viewer).filter(delivered_on__range=(scope.start, scope.end))
    return in_node(qs, scope.node, "enterprise__node__path").select_related("policy", "enterprise")


def plans_reviewed(scope):
    qs = Plan.objects.visible_to(scope.viewer).filter(
        reviewed_at__date__range=(scope.start, scope.end), status__in=("reviewed", "done")
    )
    return in_node(qs, scope.node, "enterprise__node__path")


def _count(rows):
    return lambda scope: rows(scope).count()


def _m(code, name, definition, unit, compute, rows=None, better=None, tags=()):
    return registry.Metric(
        code=f"enterprise.{code}",
        name=name,
        definition=definition,
        unit=unit,
        domain="enterprise",
        compute=compute,
        rows=rows,
        higher_is_better=better,
        tags=tags,
    )


METRICS = [
    _m(
        "signed_total",
        _("签约额"),
        _(
            "期内签约按甄别规则计入的金额之和：首次签约计全额，增资、升格只计增量，续签不计，变更投资方视为新签约"
        ),
        U.WAN_YUAN,
        signed_total,
        signings,
        True,
        ("招商",),
    ),
    _m(
        "signed_projects",
        _("签约项目数"),
        _("期内首次签约的项目数"),
        U.ITEMS,
        _count(signed_projects),
        signed_projects,
        True,
        ("招商",),
    ),
    _m(
        "performance_rate",
        _("履约率"),
        _("期内首次签约的项目中已进入落地推进、投产或运营的 ÷ 期内首次签约的项目"),
        U.PERCENT,
        performance_rate,
        performing,
        True,
        ("招商",),
    ),
    _m(
        "start_rate",
        _("开工率"),
        _("期内首次签约的项目中已登记开工的 ÷ 期内首次签约的项目"),
        U.PERCENT,
        start_rate,
        started,
        True,
        ("招商",),
    ),
    _m(
        "funds_rate",
        _("资金到位率"),
        _("期内首次签约项目的到位资金之和 ÷ 这些项目按甄别规则计的签约额之和"),
        U.PERCENT,
        funds_rate,
        signed_projects,
        True,
        ("招商",),
    ),
    _m(
        "leads",
        _("招商线索"),
        _("期内提交的招商线索数（任何工作人员均可提交）"),
        U.ITEMS,
        _count(leads),
        leads,
        None,
        ("招商",),
    ),
    _m(
        "conversion",
        _("线索转化率"),
        _("期内提交的线索中已首次签约的 ÷ 期内提交的线索"),
        U.PERCENT,
        conversion,
        leads,
        True,
        ("招商",),
    ),
    _m(
        "avg_days_in_stage",
        _("平均阶段停留"),
        _("期内离开某一阶段（推进、签约或流失）的项目在该阶段停留的工作日数的平均值"),
        U.DAYS,
        avg_days_in_stage,
        stage_exits,
        False,
        ("招商",),
    ),
    _m(
        "problems_raised",
        _("企业问题"),
        _("期内登记的企业问题（企业诉求案件）数"),
        U.COUNT,
        _count(problems_raised),
        problems_raised,
        None,
        ("台账",),
    ),
    _m(
        "problems_closed",
        _("已销号问题"),
        _("期内经企业确认销号的问题数"),
        U.COUNT,
        _count(problems_closed),
        problems_closed,
        True,
        ("台账",),
    ),
    _m(
        "close_rate",
        _("销号率"),
        _("期内登记的企业问题中已经企业确认销号的 ÷ 期内登记的企业问题"),
        U.PERCENT,
        close_rate,
        problems_raised,
        True,
        ("台账",),
    ),
    _m(
        "on_time_rate",
        _("企业问题按期办结率"),
        _("期内登记且已办结的企业问题中在企业诉求时限内办结的 ÷ 期内登记且已办结的企业问题"),
        U.PERCENT,
        on_time_rate,
        on_time,
        True,
        ("台账",),
    ),
    _m(
        "trainings",
        _("企业培训"),
        _("期内举办的企业培训场次"),
        U.TIMES,
        _count(lambda s: _events(s, EventKind.TRAINING)),
        lambda s: _events(s, EventKind.TRAINING),
        None,
        ("活动",),
    ),
    _m(
        "matchmaking_events",
        _("政银企对接活动"),
        _("期内举办的政银企对接活动场次"),
        U.TIMES,
        _count(lambda s: _events(s, EventKind.MATCHMAKING)),
        lambda s: _events(s, EventKind.MATCHMAKING),
        None,
        ("活动",),
    ),
    _m(
        "matchmaking_enterprises",
        _("参加对接企业"),
        _("期内参加政银企对接活动的企业数（同一企业只计一次）"),
        U.ENTERPRISES,
        matchmaking_enterprises,
        None,
        True,
        ("活动",),
    ),
    _m(
        "intent_amount",
        _("融资意向金额"),
        _("期内政银企对接活动登记的企业–金融机构意向金额之和（不含授信、放款）"),
        U.WAN_YUAN,
        _amount("intent_amount"),
        _outcomes,
        True,
        ("活动",),
    ),
    _m(
        "credit_amount",
        _("授信金额"),
        _("期内政银企对接活动登记的授信金额之和（与意向、放款分列）"),
        U.WAN_YUAN,
        _amount("credit_amount"),
        _outcomes,
        True,
        ("活动",),
    ),
    _m(
        "loan_amount",
        _("放款金额"),
        _("期内政银企对接活动登记的实际放款金额之和（与意向、授信分列）"),
        U.WAN_YUAN,
        _amount("loan_amount"),
        _outcomes,
        True,
        ("活动",),
    ),
    _m(
        "policy_events",
        _("送政策进企业"),
        _("期内举办的送政策进企业活动场次"),
        U.TIMES,
        _count(lambda s: _events(s, EventKind.POLICY)),
        lambda s: _events(s, EventKind.POLICY),
        None,
        ("政策",),
    ),
    _m(
        "policy_deliveries",
        _("政策送达"),
        _("期内政策送达企业的次数（一项政策送达一家企业计一次）"),
        U.TIMES,
        _count(deliveries),
        deliveries,
        True,
        ("政策",),
    ),
    _m(
        "plans_reviewed",
        _("一企一策审议"),
        _("期内经小微企业工作委员会审议通过的一企一策方案数"),
        U.ITEMS,
        _count(plans_reviewed),
        plans_reviewed,
        None,
        ("一企一策",),
    ),
]

CODES = [m.code for m in METRICS]


def register_all() -> None:
    for metric in METRICS:
        registry.register(metric)
