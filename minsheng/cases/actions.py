"""Every change to a case. Each `do_<verb>` checks the transition table and the actor's rights, locks the case row,
changes it, writes a CaseEvent and notifies the people concerned — in one transaction.

`actor=None` means the system (the deadline clock, a domain app's automatic step). Time comes from core.clock, so
the demo can replay two years of history through these same functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from datetime import tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.accounts.models import User
from minsheng.core import clock
from minsheng.core.calendar import WorkCalendar
from minsheng.core.errors import IllegalTransition
from minsheng.core.pinyin import pinyin_key

from . import deadlines, routing, signals, workflow
from .attachments import MAX_FILES, validate_upload
from .choices import (
    CLOCK_STATES,
    OPEN_STATES,
    Channel,
    RequestKind,
    RequestStatus,
    Satisfaction,
    Status,
    Urgency,
)
from .models import (
    ApprovalRequest,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseKind,
    CaseSequence,
    Category,
    FollowUp,
    Supervision,
    Unit,
)

S = Status
T = TypeVar("T")

if TYPE_CHECKING:
    from minsheng.org.models import Grid, Node
FOLLOWUP_ATTEMPTS_BEFORE_ARCHIVE = 3


# -- plumbing ----------------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    """Re-read the case under a row lock: two people acting at once serialise here, the second sees the new state."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("node", "lead_unit", "category", "kind")
        .defer("node__geometry")  # a polygon: large to decode, and no action needs it
        .get(pk=case.pk)
    )


class StaleState(IllegalTransition):
    """The case moved on since the page was loaded (someone else acted first)."""


@transaction.atomic
def do_if_unchanged(case: Case, *, expected: Iterable[str], run: Callable[[Case], T]) -> T:
    """Run `run(locked)` — one or more actions — only if the case is still in one of the `expected` states,
    holding its row lock throughout.

    A form carries the state its page showed. Without this, a second tab's 派遣 on a case dispatched a moment ago
    would silently re-dispatch it (派遣 is also legal from 已派遣, as 改派).
    """
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if locked.status not in expected:
        raise StaleState(
            _("案件状态已变为“%(status)s”，可能已有他人处理，请查看最新情况")
            % {"status": Status(locked.status).label}
        )
    return run(locked)


def _event(
    case: Case,
    verb: str,
    actor: User | None,
    *,
    from_status: str,
    note: str = "",
    public: bool = True,
    **extra: Any,
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case,
        created_at=clock.now(),
        verb=verb,
        actor=actor,
        actor_name=str(actor) if actor else _("系统"),
        from_status=from_status,
        to_status=case.status,
        note=note or "",
        extra=extra,
        public=public,
    )
    signals.case_event.send(sender=Case, case=case, event=event)
    return event


def _save(case: Case, *fields: str) -> None:
    case.save(update_fields=[*fields, "updated_at"])


def _attach(case: Case, event: CaseEvent, files: Iterable[Any], actor: User | None) -> None:
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("一次最多上传 %(n)d 个文件") % {"n": MAX_FILES}})
    for f in files:
        mime = validate_upload(f)
        CaseAttachment.objects.create(
            case=case,
            event=event,
            file=f,
            name=f.name[:200],
            content_type=mime,
            size=f.size,
            uploaded_by=actor,
        )


def _notify(
    users: Iterable[User | None], case: Case, title: str, *, level: str = "info", key: str = ""
) -> None:
    """Tell people about a case: in-app now, other channels after commit (core notifications)."""
    from minsheng.core import notifications

    recipients = {u for u in users if u is not None and getattr(u, "is_active", False)}
    if not recipients:
        return
    notifications.notify(
        recipients,
        title=title,
        body=case.title,
        link=f"/cases/{case.pk}/",
        level=level,
        kind="case",
        source=case,
        dedupe_key=key or None,
    )


def _tell_reporter(case: Case, title: str) -> None:
    """The reporter, if they have an account, hears of the outcome — with a link to the residents' page."""
    from minsheng.core import notifications

    user = case.reporter_user
    if user is None or not user.is_active:
        return
    notifications.notify(
        user, title=title, body=case.title, link=f"/h5/case/{case.number}/", kind="case", source=case
    )


def _key_leader(case: Case) -> list[Any]:
    """包案: the leader hears of every step."""
    return [case.key_leader] if case.is_key and case.key_leader_id else []


def _unit_people(unit: Unit | None) -> list[Any]:
    if unit is None:
        return []
    return list(unit.members.filter(is_active=True)) + ([unit.leader] if unit.leader_id else [])


def _next_number(now: dt.datetime, node: Node | None = None) -> str:
    """The next number of the year in the 街道 of `node` (its prefix). The UPDATE takes the row lock until commit,
    so numbers never repeat."""
    year = now.astimezone(clock_tz()).year
    prefix = _number_prefix(node)
    table = CaseSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE prefix = %s AND year = %s RETURNING last",
            [prefix, year],
        )
        row = cursor.fetchone()
    if row is None:
        CaseSequence.objects.get_or_create(prefix=prefix, year=year)
        return _next_number(now, node)
    return f"{prefix}-{year}-{row[0]:06d}"


def _number_prefix(node: Node | None) -> str:
    """The case-number prefix of the nearest node at or above `node` that has one, else the deployment's."""
    return node.number_prefix() if node is not None else settings.MINSHENG_CASE_PREFIX


def clock_tz() -> tzinfo:
    from minsheng.core.calendar import TZ

    return TZ


# -- intake ------------------------------------------------------------------------------------------


@transaction.atomic
def do_register(
    *,
    actor: User | None,
    kind: CaseKind | str,
    channel: str,
    category: Category,
    description: str,
    node: Node | None = None,
    grid: Grid | None = None,
    lat: float | None = None,
    lng: float | None = None,
    title: str = "",
    urgency: str = Urgency.NORMAL,
    address: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_user: User | None = None,
    anonymous: bool = False,
    source: models.Model | None = None,
    files: Iterable[Any] = (),
) -> Case:
    """登记: a new case from any door. Location comes from a picked node, or a point (→ its grid and community)."""
    from minsheng.org.models import Grid

    if isinstance(kind, str):
        kind = CaseKind.by_code(kind)
    errors = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = _("请填写诉求内容")
    elif len(description) > 4000:
        errors["description"] = _("诉求内容不能超过4000字")
    if channel not in Channel.values:
        errors["channel"] = _("未知的来源渠道")
    if urgency not in Urgency.values:
        errors["urgency"] = _("未知的紧急程度")
    if category is None or not category.is_active:
        errors["category"] = _("请选择有效的诉求分类")
    if lat is not None or lng is not None:
        if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
            errors["location"] = _("经纬度无效")
        elif grid is None:
            grid = Grid.objects.containing(lat, lng).select_related("community").first()
    if node is None and grid is not None:
        node = grid.community
    if node is None:
        errors["node"] = _("请选择发生地点（小区/楼栋）或提供位置")
    if errors:
        raise ValidationError(errors)
    assert node is not None  # an errors["node"] otherwise
    if grid is None:
        grid = _grid_covering(node)
    if actor is not None and not actor.has_cap(Cap.CASES_CREATE, node) and reporter_user != actor:
        raise PermissionDenied(_("没有权限在该地点登记诉求"))
    now = clock.now()
    case = Case(
        number=_next_number(now, node),
        kind=kind,
        channel=channel,
        category=category,
        title=(title or auto_title(description)).strip()[:100],
        description=description,
        urgency=urgency,
        node=node,
        grid=grid,
        lat=lat,
        lng=lng,
        address=address.strip()[:200],
        reporter_name="" if anonymous else reporter_name.strip()[:50],
        reporter_phone=reporter_phone.strip()[:20],
        reporter_user=reporter_user,
        anonymous=anonymous,
        first_receiver=actor if actor is not None and actor.has_cap(Cap.CASES_CREATE) else None,
        status=S.REGISTERED,
    )
    limit = deadlines.limit_for(category, urgency)
    case.accept_due = deadlines.due_after(now, limit.accept_hours, deadlines.short_unit(limit))
    if source is not None:
        case.source = source
    case.search_key = _search_key(case)
    case.reported_at = now
    # Related rows were fetched (and scoped) by the caller, and the sequence makes the number unique: validate
    # the plain fields only, without a query per foreign key.
    case.full_clean(
        exclude=[
            "number",
            "search_key",
            "kind",
            "category",
            "node",
            "grid",
            "reporter_user",
            "first_receiver",
        ],
        validate_unique=False,
        validate_constraints=False,
    )
    case.save()
    event = _event(case, "register", actor, from_status="", note=description[:200])
    _attach(case, event, files, actor)
    return case


_SENTENCE_END = "。！？!?；;\n"


def auto_title(description: str, limit: int = 30) -> str:
    """A title from the first sentence of the description: cut at its end (。！？；), else at a comma near the
    limit, else at the limit — never in the middle of the next sentence."""
    text = " ".join((description or "").strip().split(" "))
    for i, ch in enumerate(text[: limit + 1]):
        if ch in _SENTENCE_END:
            return text[:i].strip() or text[:limit]
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "，,、")
    return text[:cut] if cut >= limit // 2 else text[:limit]


def _grid_covering(node: Node) -> Grid | None:
    """The grid covering the node or its nearest ancestor (one query over the ancestor paths)."""
    from minsheng.org.models import Grid

    paths = [node.path[: i * node.steplen] for i in range(node.depth, 0, -1)]
    covering = Grid.objects.filter(nodes__path__in=paths).defer("boundary")
    return covering.order_by("-nodes__depth", "pk").first()


def _search_key(case: Case) -> str:
    return f"{case.title} {pinyin_key(case.title)}"[:500]


@transaction.atomic
def do_accept(case: Case, *, actor: User | None, note: str = "") -> Case:
    """受理/立案: the clock for 办结 starts now."""
    case = _locked(case)
    workflow.check(case, "accept", actor)
    old = case.status
    now = clock.now()
    case.status = S.ACCEPTED
    case.accepted_at = now
    if case.first_receiver_id is None and actor is not None:
        case.first_receiver = actor
    _set_finish_clock(case, now)
    _save(case, "status", "accepted_at", "first_receiver", "finish_due", "finish_warn_at")
    _event(case, "accept", actor, from_status=old, note=note)
    return case


def _set_finish_clock(case: Case, start: dt.datetime, *, extra_days: int = 0) -> None:
    cal = WorkCalendar()
    limit = deadlines.limit_for(case.category, case.urgency)
    due = deadlines.due_after(start, limit.finish_amount, limit.finish_unit, cal)
    if extra_days:
        due = cal.add_working_days(due, extra_days)
    case.finish_due = due
    case.finish_warn_at = deadlines.warn_at(start, due, limit.finish_unit, cal)
    case.warned_at = None
    case.overdue_at = None


@transaction.atomic
def do_reject(case: Case, *, actor: User | None, reason: str) -> Case:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写不予受理的理由")})
    case = _locked(case)
    workflow.check(case, "reject", actor)
    old = case.status
    case.status = S.REJECTED
    _save(case, "status")
    _event(case, "reject", actor, from_status=old, note=reason)
    _tell_reporter(case, _("您的诉求 %(n)s 未予受理") % {"n": case.number})
    return case


@transaction.atomic
def do_merge(case: Case, *, into: Case, actor: User | None, note: str = "") -> Case:
    """并单: this case joins an earlier one on the same problem; both keep a link, the reporter is told."""
    if into.pk == case.pk:
        raise ValidationError({"into": _("不能与自身并单")})
    case = _locked(case)
    target = Case.objects.select_for_update().get(pk=into.pk)
    workflow.check(case, "merge", actor)
    if target.status in (S.REJECTED, S.MERGED):
        raise IllegalTransition(_("目标案件已不予受理或已并单，不能并入"))
    old = case.status
    case.status = S.MERGED
    case.merged_into = target
    _save(case, "status", "merged_into")
    _event(case, "merge", actor, from_status=old, note=note, into=target.number)
    _event(
        target,
        "merged_in",
        actor,
        from_status=target.status,
        note=note,
        merged_case=case.number,
        public=False,
    )
    _tell_reporter(case, _("您的诉求已并入 %(n)s 一并办理") % {"n": target.number})
    return case


# -- dispatch and handling ---------------------------------------------------------------------------


@transaction.atomic
def do_dispatch(
    case: Case,
    *,
    actor: User | None,
    unit: Unit | None = None,
    handler: User | None = None,
    co_units: Iterable[Unit] = (),
    note: str = "",
    expected: Iterable[str] | None = None,
) -> Case:
    """派遣 (or 改派 when already dispatched): one lead unit, optional handler and co-handling units.

    Without a unit the routing rules choose (see cases.routing); a person chosen must belong to the unit.
    `expected` is the state the dispatcher saw: 派遣 is legal from 已派遣 too (as 改派), so without it two identical
    requests would both succeed, the second as a silent 改派 (docs/decisions/0018).
    """
    case = _locked(case)
    if expected is not None and case.status not in set(expected):
        raise IllegalTransition(
            _("案件状态已变为“%(status)s”，可能已有他人处理，请查看最新情况")
            % {"status": S(case.status).label}
        )
    workflow.check(case, "dispatch", actor)
    if unit is None:
        suggestion = routing.suggest(case)
        if suggestion is None:
            raise ValidationError({"unit": _("没有匹配的派遣规则，请手动选择主办单位")})
        unit, handler = suggestion.unit, handler or suggestion.handler
    if not unit.is_active:
        raise ValidationError({"unit": _("该单位已停用")})
    for target in [unit, *co_units]:
        if not routing.may_dispatch_to(actor, target):
            raise PermissionDenied(
                _("不能派遣至%(unit)s：只能派往本级及下级单位或上级科室") % {"unit": target.name}
            )
    if handler is not None and not unit.members.filter(pk=handler.pk).exists():
        raise ValidationError({"handler": _("承办人不属于主办单位")})
    co_units = [u for u in co_units if u.pk != unit.pk]
    old = case.status
    now = clock.now()
    case.status = S.DISPATCHED
    case.lead_unit = unit
    case.handler = handler
    case.dispatched_at = now
    limit = deadlines.limit_for(case.category, case.urgency)
    case.sign_due = deadlines.due_after(now, limit.sign_hours, deadlines.short_unit(limit))
    _save(case, "status", "lead_unit", "handler", "dispatched_at", "sign_due")
    if co_units or old != S.ACCEPTED:  # a first dispatch without co-handlers has nothing to set or clear
        case.co_units.set(co_units)
    verb = "redispatch" if old == S.DISPATCHED else "dispatch"
    _event(
        case,
        verb,
        actor,
        from_status=old,
        note=note,
        unit=unit.name,
        handler=str(handler) if handler else "",
        co_units=[u.name for u in co_units],
    )
    people = [handler] if handler else _unit_people(unit)
    for co in co_units:
        people += _unit_people(co)
    _notify(people + _key_leader(case), case, _("新派遣案件 %(n)s") % {"n": case.number})
    return case


@transaction.atomic
def do_sign(case: Case, *, actor: User | None) -> Case:
    case = _locked(case)
    workflow.check(case, "sign", actor)
    old = case.status
    case.status = S.HANDLING
    case.signed_at = clock.now()
    if case.handler_id is None:
        case.handler = actor
    _save(case, "status", "signed_at", "handler")
    _event(case, "sign", actor, from_status=old)
    _notify(_key_leader(case), case, _("案件 %(n)s 已签收") % {"n": case.number})
    return case


@transaction.atomic
def do_return(case: Case, *, actor: User | None, reason: str) -> Case:
    """退单: not ours — back to the dispatcher with the reason."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写退单理由")})
    case = _locked(case)
    workflow.check(case, "return", actor)
    old = case.status
    unit = case.lead_unit
    case.status = S.RETURNED
    case.return_count += 1
    case.handler = None
    _save(case, "status", "return_count", "handler")
    _event(
        case,
        "return",
        actor,
        from_status=old,
        note=reason,
        unit=unit.name if unit else "",
        unit_id=unit.pk if unit else None,
    )
    _notify([case.first_receiver, *_key_leader(case)], case, _("案件 %(n)s 被退单") % {"n": case.number})
    return case


@transaction.atomic
def do_request(
    case: Case, *, actor: User, kind: str, reason: str, days: int | None = None
) -> ApprovalRequest:
    """申请延期 (days more) or 申请挂账 (long-term or seasonal work)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写申请理由")})
    if kind == RequestKind.EXTENSION and (not days or days < 1 or days > 60):
        raise ValidationError({"days": _("延期天数应为1至60个工作日")})
    case = _locked(case)
    workflow.check(case, "request_extension" if kind == RequestKind.EXTENSION else "request_shelve", actor)
    if case.requests.filter(kind=kind, status=RequestStatus.PENDING).exists():
        raise IllegalTransition(_("已有待审批的同类申请"))
    request = ApprovalRequest.objects.create(
        case=case,
        kind=kind,
        days=days if kind == RequestKind.EXTENSION else None,
        reason=reason,
        requested_by=actor,
    )
    _event(case, f"request_{kind}", actor, from_status=case.status, note=reason, days=days, public=False)
    approvers = [case.lead_unit.leader] if case.lead_unit and case.lead_unit.leader_id else []
    _notify(approvers + _key_leader(case), case, _("案件 %(n)s 有待审批的申请") % {"n": case.number})
    return request


@transaction.atomic
def do_decide(
    request: ApprovalRequest, *, actor: User | None, approve: bool, note: str = ""
) -> ApprovalRequest:
    """批准/驳回 an extension (the deadline moves) or a shelving (the case rests in 挂账)."""
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise IllegalTransition(_("该申请已审批"))
    case = _locked(request.case)
    workflow.check(case, "decide", actor)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.DENIED
    request.decided_by = actor
    request.decided_at = clock.now()
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    old = case.status
    if approve and request.kind == RequestKind.EXTENSION:
        cal = WorkCalendar()
        case.finish_due = cal.add_working_days(case.finish_due or clock.now(), request.days or 0)
        case.finish_warn_at = deadlines.warn_at(clock.now(), case.finish_due, "working_days", cal)
        case.warned_at = None
        case.overdue_at = None
        case.extension_count += 1
        _save(case, "finish_due", "finish_warn_at", "warned_at", "overdue_at", "extension_count")
    elif approve and request.kind == RequestKind.SHELVE:
        case.status = S.SHELVED
        _save(case, "status")
    verb = f"{request.kind}_{'approved' if approve else 'denied'}"
    _event(case, verb, actor, from_status=old, note=note, days=request.days, public=False)
    _notify([request.requested_by], case, _("案件 %(n)s 的申请已审批") % {"n": case.number})
    return request


@transaction.atomic
def do_resume(case: Case, *, actor: User | None, note: str = "") -> Case:
    case = _locked(case)
    workflow.check(case, "resume", actor)
    old = case.status
    case.status = S.HANDLING
    _set_finish_clock(case, clock.now())
    _save(case, "status", "finish_due", "finish_warn_at", "warned_at", "overdue_at")
    _event(case, "resume", actor, from_status=old, note=note)
    return case


@transaction.atomic
def do_reply(case: Case, *, actor: User | None, note: str, files: Iterable[Any] = ()) -> Case:
    """办结反馈: the handler reports what was done (with photos) and asks for verification."""
    if not (note or "").strip():
        raise ValidationError({"note": _("请填写办理结果")})
    case = _locked(case)
    workflow.check(case, "reply", actor)
    old = case.status
    case.status = S.REPLIED
    case.replied_at = clock.now()
    _save(case, "status", "replied_at")
    event = _event(case, "reply", actor, from_status=old, note=note)
    _attach(case, event, files, actor)
    _notify(
        [case.first_receiver, *_key_leader(case)],
        case,
        _("案件 %(n)s 已办结反馈，待核查") % {"n": case.number},
    )
    return case


@transaction.atomic
def do_verify(
    case: Case, *, actor: User | None, passed: bool, note: str = "", files: Iterable[Any] = ()
) -> Case:
    """核查: passed → 办结 (on time or not is fixed now); failed → 返工, back to the handler."""
    if not passed and not (note or "").strip():
        raise ValidationError({"note": _("核查不通过时请填写原因")})
    case = _locked(case)
    workflow.check(case, "verify", actor)
    old = case.status
    now = clock.now()
    if passed:
        case.status = S.RESOLVED if case.kind.requires_follow_up else S.ARCHIVED
        case.resolved_at = now
        case.archived_at = None if case.kind.requires_follow_up else now
        case.resolved_on_time = case.finish_due is None or (
            case.replied_at is not None and case.replied_at <= case.finish_due
        )
        _save(case, "status", "resolved_at", "archived_at", "resolved_on_time")
        event = _event(case, "verify_pass", actor, from_status=old, note=note)
        _notify([case.handler, *_key_leader(case)], case, _("案件 %(n)s 已办结") % {"n": case.number})
        _tell_reporter(case, _("您的诉求 %(n)s 已办结，欢迎评价") % {"n": case.number})
    else:
        case.status = S.HANDLING
        case.rework_count += 1
        _save(case, "status", "rework_count")
        event = _event(case, "verify_fail", actor, from_status=old, note=note)
        _notify(
            [case.handler, *_key_leader(case)], case, _("案件 %(n)s 核查未通过，请返工") % {"n": case.number}
        )
    _attach(case, event, files, actor)
    return case


# -- follow-up and evaluation ------------------------------------------------------------------------


@transaction.atomic
def do_follow_up(
    case: Case,
    *,
    actor: User | None,
    reachable: bool = True,
    resolved: bool | None = None,
    satisfaction: str = "",
    comment: str = "",
    by_reporter: bool = False,
    redo: bool = True,
) -> Case:
    """回访: unreachable attempts are counted; a verdict archives the case, or — 不满意 — sends it back (重办).

    `redo=False`: the desk records a 不满意 that handling cannot change (the request was answered by policy: a
    car park the 小区 has no room for, a subsidy the rules do not give) — it needs the reason in `comment`, the
    verdict stays on record and counts in the satisfaction rate, and the case is archived (decision 0045)."""
    case = _locked(case)
    if satisfaction == Satisfaction.UNSATISFIED and not redo and not (comment or "").strip():
        raise ValidationError({"comment": _("不予重办时请写明已向反映人解释的理由")})
    if by_reporter:
        if case.status != S.RESOLVED:
            raise IllegalTransition(_("案件办结后才能评价"))
    else:
        workflow.check(case, "follow_up", actor)
    if reachable and satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意度")})
    old = case.status
    FollowUp.objects.create(
        case=case,
        by=actor,
        by_reporter=by_reporter,
        reachable=reachable,
        resolved=resolved if reachable else None,
        satisfaction=satisfaction if reachable else "",
        comment=comment,
    )
    case.followup_attempts += 1
    fields = ["followup_attempts"]
    if not reachable:
        _save(case, *fields)
        _event(case, "follow_up_unreachable", actor, from_status=old, note=comment, public=False)
        return case
    case.satisfaction = satisfaction
    case.resolved_by_feedback = resolved
    fields += ["satisfaction", "resolved_by_feedback"]
    if satisfaction == Satisfaction.UNSATISFIED and redo:
        case.status = S.HANDLING
        case.redo_count += 1
        _set_finish_clock(case, clock.now())
        fields += ["status", "redo_count", "finish_due", "finish_warn_at", "warned_at", "overdue_at"]
        _save(case, *fields)
        _event(case, "redo", actor, from_status=old, note=comment, satisfaction=satisfaction)
        _notify(
            [
                case.handler,
                *(_unit_people(case.lead_unit) if case.handler_id is None else []),
                *_key_leader(case),
            ],
            case,
            _("案件 %(n)s 回访不满意，需重办") % {"n": case.number},
            level="warning",
        )
    else:
        case.status = S.ARCHIVED
        case.archived_at = clock.now()
        fields += ["status", "archived_at"]
        _save(case, *fields)
        _event(
            case,
            "follow_up",
            actor,
            from_status=old,
            note=comment,
            satisfaction=satisfaction,
            resolved=resolved,
        )
    return case


@transaction.atomic
def do_archive(case: Case, *, actor: User | None, note: str = "") -> Case:
    """归档 without a verdict: allowed after repeated unreachable follow-ups, or for kinds that need none."""
    case = _locked(case)
    workflow.check(case, "archive", actor)
    if case.kind.requires_follow_up and case.followup_attempts < FOLLOWUP_ATTEMPTS_BEFORE_ARCHIVE:
        raise IllegalTransition(
            _("需先回访（联系不上时至少尝试 %(n)d 次）才能归档") % {"n": FOLLOWUP_ATTEMPTS_BEFORE_ARCHIVE}
        )
    old = case.status
    case.status = S.ARCHIVED
    case.archived_at = clock.now()
    _save(case, "status", "archived_at")
    _event(case, "archive", actor, from_status=old, note=note)
    return case


@transaction.atomic
def do_reopen(case: Case, *, actor: User | None = None, reason: str, by_reporter: bool = False) -> Case:
    """重新打开 within the kind's window after 办结: back to 已受理, to be dispatched again."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请说明重新打开的原因")})
    case = _locked(case)
    if by_reporter:
        if case.status not in (S.RESOLVED, S.ARCHIVED):
            raise IllegalTransition(_("案件尚未办结，无需重新打开"))
    else:
        workflow.check(case, "reopen", actor)
    done_at = case.resolved_at or case.archived_at
    if done_at and clock.now() - done_at > dt.timedelta(days=case.kind.reopen_days):
        raise IllegalTransition(_("已超过 %(d)d 天的重新打开期限") % {"d": case.kind.reopen_days})
    old = case.status
    case.status = S.ACCEPTED
    case.reopen_count += 1
    case.resolved_at = None
    case.archived_at = None
    case.resolved_on_time = None
    case.satisfaction = ""
    _set_finish_clock(case, clock.now())
    _save(
        case,
        "status",
        "reopen_count",
        "resolved_at",
        "archived_at",
        "resolved_on_time",
        "satisfaction",
        "finish_due",
        "finish_warn_at",
        "warned_at",
        "overdue_at",
    )
    _event(case, "reopen", actor, from_status=old, note=reason, by_reporter=by_reporter)
    _notify([case.first_receiver, *_key_leader(case)], case, _("案件 %(n)s 被重新打开") % {"n": case.number})
    return case


# -- accountability ----------------------------------------------------------------------------------


@transaction.atomic
def do_supervise(case: Case, *, actor: User | None, comment: str) -> Supervision:
    """督办: a leader puts the case under supervision with a comment; the handlers are told."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("请填写督办意见")})
    case = _locked(case)
    workflow.check(case, "supervise", actor)
    entry = Supervision.objects.create(case=case, kind=Supervision.Kind.SUPERVISE, by=actor, comment=comment)
    case.is_supervised = True
    _save(case, "is_supervised")
    _event(case, "supervise", actor, from_status=case.status, note=comment, public=False)
    people = [case.handler] if case.handler_id else _unit_people(case.lead_unit)
    _notify(
        people + [case.first_receiver], case, _("案件 %(n)s 被督办") % {"n": case.number}, level="warning"
    )
    return entry


@transaction.atomic
def do_remind(case: Case, *, actor: User | None, note: str = "") -> Supervision:
    """催办: a reminder to whoever holds the case now."""
    case = _locked(case)
    workflow.check(case, "remind", actor)
    entry = Supervision.objects.create(case=case, kind=Supervision.Kind.REMIND, by=actor, comment=note)
    _event(case, "remind", actor, from_status=case.status, note=note, public=False)
    people = [case.handler] if case.handler_id else _unit_people(case.lead_unit)
    _notify(people, case, _("请尽快办理案件 %(n)s") % {"n": case.number}, level="warning")
    return entry


@transaction.atomic
def do_set_key(case: Case, *, actor: User | None, leader: User, plan: str) -> Case:
    """包案: one case, one leader, one plan, to the end."""
    if leader is None:
        raise ValidationError({"leader": _("请指定包案领导")})
    if not (plan or "").strip():
        raise ValidationError({"plan": _("请填写包案方案")})
    case = _locked(case)
    workflow.check(case, "set_key", actor)
    case.is_key = True
    case.key_leader = leader
    case.key_plan = plan
    _save(case, "is_key", "key_leader", "key_plan")
    _event(case, "set_key", actor, from_status=case.status, note=plan, leader=str(leader), public=False)
    _notify([leader], case, _("您已包案 %(n)s") % {"n": case.number})
    return case


@transaction.atomic
def do_recategorize(case: Case, *, actor: User | None, category: Category, note: str = "") -> Case:
    """改分类: the limits follow the new category, and a dispatched case is re-routed by the rules."""
    if category is None or not category.is_active:
        raise ValidationError({"category": _("请选择有效的诉求分类")})
    case = _locked(case)
    workflow.check(case, "recategorize", actor)
    old_category = case.category
    case.category = category
    fields = ["category"]
    if case.accepted_at and case.status in OPEN_STATES:
        _set_finish_clock(case, case.accepted_at)
        fields += ["finish_due", "finish_warn_at", "warned_at", "overdue_at"]
    _save(case, *fields)
    _event(
        case,
        "recategorize",
        actor,
        from_status=case.status,
        note=note,
        old=old_category.name,
        new=category.name,
    )
    if case.status == S.DISPATCHED:
        suggestion = routing.suggest(case)
        if suggestion is not None and suggestion.unit.pk != case.lead_unit_id:
            do_dispatch(
                case, actor=None, unit=suggestion.unit, handler=suggestion.handler, note=_("改分类后自动改派")
            )
            case.refresh_from_db()
    return case


# -- domain steps ------------------------------------------------------------------------------------


@transaction.atomic
def do_record(
    case: Case,
    *,
    actor: User | None,
    verb: str,
    label: str,
    note: str = "",
    public: bool = False,
    **extra: Any,
) -> CaseEvent:
    """A domain app's step on the case's timeline (a referral sent, a mediation session, a 复查 requested) that
    changes nothing the engine tracks. `label` is what the timeline shows for the verb."""
    if not verb or not label:
        raise ValidationError({"verb": _("请说明记录的事项")})
    case = _locked(case)
    return _event(
        case, verb, actor, from_status=case.status, note=note, public=public, label=str(label), **extra
    )


# -- the clock ---------------------------------------------------------------------------------------


def run_deadline_clock(now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: yellow warnings at 80 %, red at the deadline with escalation — for every clock a case runs
    (受理 in 登记, 签收 in 已派遣, 办结 while handled; see deadlines.CLOCKS).

    Idempotent: each case is warned once and escalated once per deadline (the 办结 clock keeps warned_at /
    overdue_at, cleared whenever the deadline moves; the others find their event since the clock started),
    so running it every minute or twice in a row changes nothing more.
    """
    now = now or clock.now()
    counts = {"warned": 0, "overdue": 0}
    open_now = Case.objects.filter(status__in=CLOCK_STATES)
    for pk in open_now.filter(
        finish_warn_at__lte=now, warned_at__isnull=True, finish_due__gt=now
    ).values_list("pk", flat=True):
        counts["warned"] += _warn(pk, now)
    for pk in open_now.filter(finish_due__lte=now, overdue_at__isnull=True).values_list("pk", flat=True):
        counts["overdue"] += _escalate(pk, now)
    for c in deadlines.CLOCKS:
        if c.name != "finish":
            counts["warned"] += _run_short_clock(c, now, "deadline_warning")
            counts["overdue"] += _run_short_clock(c, now, "overdue")
    return counts


def _run_short_clock(c: deadlines.Clock, now: dt.datetime, verb: str) -> int:
    """Warn or escalate the cases of a clock without stored marks (受理, 签收 and those domains register)."""
    from django.db.models import Exists, OuterRef

    due = c.due_field
    done = CaseEvent.objects.filter(
        case=OuterRef("pk"), verb=verb, extra__clock=c.name, created_at__gte=OuterRef(c.start_field)
    )
    qs = Case.objects.filter(status__in=c.statuses, **{f"{due}__isnull": False}).exclude(Exists(done))
    if verb == "overdue":
        qs = qs.filter(**{f"{due}__lte": now})
    else:  # due within the next week, then judged on the 80 % mark in the clock's own time
        qs = qs.filter(**{f"{due}__gt": now, f"{due}__lte": now + dt.timedelta(days=7)})
    n = 0
    for case in qs.only("pk", "status", "urgency", "category", c.due_field, c.start_field):
        if verb == "deadline_warning":
            mark = deadlines.clock_warn_at(case, c)
            if mark is None or now < mark:
                continue
        n += _short_clock_step(case.pk, c, now, verb)
    return n


@transaction.atomic
def _short_clock_step(pk: int, c: deadlines.Clock, now: dt.datetime, verb: str) -> int:
    case = Case.objects.select_for_update(of=("self",)).select_related("lead_unit", "node").get(pk=pk)
    due = getattr(case, c.due_field)
    if case.status not in c.statuses or due is None:
        return 0
    started = getattr(case, c.start_field)
    if case.events.filter(verb=verb, extra__clock=c.name, created_at__gte=started).exists():
        return 0
    _event(case, verb, None, from_status=case.status, public=False, due=due.isoformat(), clock=c.name)
    people = _clock_people(case)
    if verb == "overdue":
        Supervision.objects.create(
            case=case,
            kind=Supervision.Kind.ESCALATE,
            by=None,
            comment=_("超过%(clock)s，自动升级") % {"clock": c.label},
        )
        unit = case.lead_unit
        leader = unit.leader if unit is not None and unit.leader_id else None
        title = _("案件 %(n)s 已超过%(clock)s") % {"n": case.number, "clock": c.label}
        _notify(
            [leader, *people, *_key_leader(case)],
            case,
            title,
            level="urgent",
            key=f"{c.name}-late:{pk}:{due}",
        )
    else:
        title = _("案件 %(n)s 即将超过%(clock)s") % {"n": case.number, "clock": c.label}
        _notify(people, case, title, level="warning", key=f"{c.name}-warn:{pk}:{due}")
    return 1


def _clock_people(case: Case) -> list[User]:
    """Who answers for a running clock: the handler or the lead unit once dispatched; before that the first
    receiver, or else the nearest desk above the place that may 受理 (community, then street)."""
    from minsheng.accounts.models import Membership
    from minsheng.accounts.roles import CAPABILITIES

    if case.status != S.REGISTERED:
        return [case.handler] if case.handler is not None else _unit_people(case.lead_unit)
    if case.first_receiver is not None:
        return [case.first_receiver]
    roles = [role for role, caps in CAPABILITIES.items() if "cases.accept" in caps]
    node = case.node
    paths = [node.path[: i * node.steplen] for i in range(node.depth, 0, -1)]
    for path in paths:
        members = Membership.objects.filter(role__in=roles, node__path=path, user__is_active=True)
        users = [m.user for m in members.select_related("user")]
        if users:
            return users
    return []


@transaction.atomic
def _warn(pk: int, now: dt.datetime) -> int:
    case = Case.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=pk)
    if case.warned_at is not None or case.status not in CLOCK_STATES:
        return 0
    case.warned_at = now
    _save(case, "warned_at")
    _event(
        case,
        "deadline_warning",
        None,
        from_status=case.status,
        public=False,
        due=case.finish_due.isoformat() if case.finish_due else "",
    )
    people = [case.handler] if case.handler_id else _unit_people(case.lead_unit)
    _notify(
        people,
        case,
        _("案件 %(n)s 即将到期") % {"n": case.number},
        level="warning",
        key=f"warn:{pk}:{case.finish_due}",
    )
    return 1


@transaction.atomic
def _escalate(pk: int, now: dt.datetime) -> int:
    case = Case.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=pk)
    if case.overdue_at is not None or case.status not in CLOCK_STATES:
        return 0
    case.overdue_at = now
    _save(case, "overdue_at")
    Supervision.objects.create(case=case, kind=Supervision.Kind.ESCALATE, by=None, comment=_("超期自动升级"))
    _event(
        case,
        "overdue",
        None,
        from_status=case.status,
        public=False,
        due=case.finish_due.isoformat() if case.finish_due else "",
    )
    leader = case.lead_unit.leader if case.lead_unit is not None and case.lead_unit.leader_id else None
    people = [leader, case.handler, case.first_receiver, *_key_leader(case)]
    _notify(
        people,
        case,
        _("案件 %(n)s 已超期") % {"n": case.number},
        level="urgent",
        key=f"overdue:{pk}:{case.finish_due}",
    )
    return 1
