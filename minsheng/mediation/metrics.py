"""The centre's figures, registered in core.metrics. Definitions in words are in docs/metrics.md (矛调中心)."""

import datetime as dt
from fractions import Fraction

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from minsheng.core import metrics as registry
from minsheng.core.calendar import TZ

from . import conf
from .choices import ENDED_OUTCOMES, SUCCESS_OUTCOMES, Acceptance, Outcome, PetitionStage, ReferralStatus
from .models import Dispute, Petition, Referral, Visit


def _bounds(scope) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(scope.start, dt.time.min, tzinfo=TZ),
        dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min, tzinfo=TZ),
    )


def _in(qs, scope, field: str):
    a, b = _bounds(scope)
    qs = qs.filter(**{f"{field}__gte": a, f"{field}__lt": b})
    if scope.node is not None:
        qs = qs.filter(node__path__startswith=scope.node.path)
    return qs


def _rate(part: int, whole: int):
    return Fraction(part, whole) if whole else None


# -- reception ---------------------------------------------------------------------------------------


def visits(scope):
    return _in(Visit.objects.visible_to(scope.viewer), scope, "visited_at")


def reception_count(scope):
    return visits(scope).aggregate(n=Sum("visitors"))["n"] or 0


# -- petitions: 初信初访 and 结服率 ------------------------------------------------------------------------


def first_petitions(scope):
    qs = Petition.objects.visible_to(scope.viewer).filter(stage=PetitionStage.ORIGINAL, is_first=True)
    return _in(qs, scope, "registered_at")


def _served():
    """Answered (答复意见书, or a written 不予受理 notice) and no 复查 asked for: 结服."""
    review = Petition.objects.filter(previous=OuterRef("pk"))
    return (Q(replied_at__isnull=False) | Q(acceptance=Acceptance.NOT_ACCEPTED)) & ~Q(Exists(review))


def served_first_petitions(scope):
    return first_petitions(scope).filter(_served())


def first_petition_count(scope):
    return first_petitions(scope).count()


def due_first_petitions(scope):
    """应办结: answered, or past its deadline (the 告知 deadline before acceptance, the 办理 deadline after) by the
    period's end — a petition still within its time limit is not yet counted either way."""
    _a, end = _bounds(scope)
    answered = Q(replied_at__isnull=False) | Q(acceptance=Acceptance.NOT_ACCEPTED)
    late = Q(acceptance=Acceptance.PENDING, notice_due__lt=end) | Q(
        acceptance=Acceptance.ACCEPTED, handle_due__lt=end
    )
    return first_petitions(scope).filter(answered | late)


def served_rate(scope):
    return _rate(served_first_petitions(scope).count(), due_first_petitions(scope).count())


# -- disputes ----------------------------------------------------------------------------------------


def ended_disputes(scope):
    qs = Dispute.objects.visible_to(scope.viewer).filter(outcome__in=ENDED_OUTCOMES)
    return _in(qs, scope, "ended_at")


def settled_disputes(scope):
    return ended_disputes(scope).filter(outcome__in=SUCCESS_OUTCOMES)


def settle_rate(scope):
    return _rate(settled_disputes(scope).count(), ended_disputes(scope).count())


def _came_back():
    """Within the window after it ended: a repeat visit or a new petition on the matter, or the case reopened
    or sent back for 重办."""
    window = dt.timedelta(days=conf.get("one_time_window_days"))
    repeat_visit = Visit.objects.filter(
        related_case=OuterRef("case"),
        visited_at__gt=OuterRef("ended_at"),
        visited_at__lte=OuterRef("ended_at") + window,
    )
    new_petition = Petition.objects.filter(
        related_case=OuterRef("case"),
        registered_at__gt=OuterRef("ended_at"),
        registered_at__lte=OuterRef("ended_at") + window,
    )
    return (
        Exists(repeat_visit) | Exists(new_petition) | Q(case__reopen_count__gt=0) | Q(case__redo_count__gt=0)
    )


def closed_disputes(scope):
    """办结: ended by agreement or by failure with the routes told (a refusal under 第17条 is no handling)."""
    return ended_disputes(scope).exclude(outcome=Outcome.REFUSED)


def one_time_disputes(scope):
    return closed_disputes(scope).exclude(_came_back())


def one_time_rate(scope):
    return _rate(one_time_disputes(scope).count(), closed_disputes(scope).count())


def accepted_disputes(scope):
    return _in(Dispute.objects.visible_to(scope.viewer), scope, "accepted_at")


def agreements(scope):
    return settled_disputes(scope)


def agreement_amount(scope):
    return settled_disputes(scope).aggregate(n=Sum("agreement_amount"))["n"] or 0


def high_risk(scope):
    return accepted_disputes(scope).filter(risk="high")


# -- referrals ---------------------------------------------------------------------------------------


def referrals(scope):
    return _in(Referral.objects.visible_to(scope.viewer), scope, "sent_at")


def _referrals_where(**condition):
    def rows(scope):
        return referrals(scope).filter(**condition)

    return rows


def _count(rows):
    return lambda scope: rows(scope).count()


def register_all() -> None:
    M, U = registry.Metric, registry.Unit
    items = [
        M(
            "mediation.reception_count",
            _("接待群众人次"),
            _("矛调中心窗口来访登记的来访人数之和（一次来访多人按人数计）"),
            U.PERSON_TIMES,
            "mediation",
            reception_count,
            visits,
        ),
        M(
            "mediation.first_petitions",
            _("初信初访件数"),
            _("期间登记的、首次反映该事项的信访事项（同一人或同一地址、相似事项在设定期限内无先前记录）"),
            U.COUNT,
            "mediation",
            first_petition_count,
            first_petitions,
        ),
        M(
            "mediation.served_rate",
            _("初信初访结服率"),
            _(
                "初信初访中已出具答复意见书或书面不予受理告知、且信访人未申请复查的件数 ÷ 期间登记的初信初访件数"
            ),
            U.PERCENT,
            "mediation",
            served_rate,
            served_first_petitions,
            higher_is_better=True,
        ),
        M(
            "mediation.disputes_accepted",
            _("受理矛盾纠纷"),
            _("期间受理调解的矛盾纠纷件数"),
            U.COUNT,
            "mediation",
            _count(accepted_disputes),
            accepted_disputes,
        ),
        M(
            "mediation.settle_rate",
            _("调解成功率"),
            _("达成书面或口头协议的纠纷 ÷ 期间调解终结的纠纷（成功、不成功、当事人拒绝）"),
            U.PERCENT,
            "mediation",
            settle_rate,
            settled_disputes,
            higher_is_better=True,
        ),
        M(
            "mediation.one_time_rate",
            _("一次性办结率"),
            _(
                "期间办结（达成协议或调解不成并告知途径）的纠纷中，办结后设定天数内无重复来访、无就该事项的新信访、案件未被重新打开或重办的件数 ÷ 办结件数"
            ),
            U.PERCENT,
            "mediation",
            one_time_rate,
            one_time_disputes,
            higher_is_better=True,
        ),
        M(
            "mediation.agreement_amount",
            _("协议涉及金额"),
            _("期间达成的调解协议（书面和口头）载明的金额之和"),
            U.YUAN,
            "mediation",
            agreement_amount,
            agreements,
        ),
        M(
            "mediation.high_risk",
            _("高风险纠纷"),
            _("期间受理、按风险规则评为高风险的纠纷件数"),
            U.COUNT,
            "mediation",
            _count(high_risk),
            high_risk,
            higher_is_better=False,
        ),
        M(
            "mediation.referrals_sent",
            _("对接移交"),
            _("期间发出或接收的诉调、警调、访调对接移交件数"),
            U.COUNT,
            "mediation",
            _count(referrals),
            referrals,
        ),
    ]
    for code, name, condition in (
        ("referrals_successful", _("移交办结成功"), {"status": ReferralStatus.DONE, "successful": True}),
        (
            "referrals_not_successful",
            _("移交办结未成功"),
            {"status": ReferralStatus.DONE, "successful": False},
        ),
        ("referrals_rejected", _("移交被拒收"), {"status": ReferralStatus.REJECTED}),
        ("referrals_revoked", _("移交已撤回"), {"status": ReferralStatus.REVOKED}),
        ("referrals_open", _("移交办理中"), {"status__in": [ReferralStatus.SENT, ReferralStatus.ACCEPTED]}),
    ):
        rows = _referrals_where(**condition)
        items.append(
            M(
                f"mediation.{code}",
                name,
                _("期间发出的移交中，当前状态为“%(s)s”的件数") % {"s": name},
                U.COUNT,
                "mediation",
                _count(rows),
                rows,
            )
        )
    for metric in items:
        registry.register(metric)
