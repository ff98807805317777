"""The case page: everything about one case, its timeline, and the forms for exactly the steps the user may take.

The buttons come from cases.workflow.available(case, user); each posts to `act`, which runs the matching
cases.actions.do_* under the case's row lock after checking the case is still in the state the page showed (a
second tab gets a Chinese message, not a second 派遣). Refusals from the engine are shown, never raised: a wrong
state or a missing right as a message, bad input as errors on the reopened form (HTTP 400).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.audit import record
from minsheng.core.badges import Colour, badge_class
from minsheng.core.errors import IllegalTransition
from minsheng.core.forms import apply_action_errors
from minsheng.core.masking import mask_phone
from minsheng.core.models import AuditLog
from minsheng.core.views import staff_required

from .. import actions, duplicates, routing, sources, workflow
from ..choices import (
    DEADLINE_COLOURS,
    EVENT_COLOURS,
    STATUS_COLOURS,
    DeadlineState,
    RequestKind,
    RequestStatus,
    Satisfaction,
    Status,
)
from ..deadlines import CLOCKS, running, state_of
from ..forms.workbench import (
    DecideForm,
    DispatchForm,
    ExtensionForm,
    FollowUpForm,
    MergeForm,
    NoteForm,
    ReasonForm,
    RecategorizeForm,
    ReplyForm,
    SetKeyForm,
    SuperviseForm,
    VerifyForm,
    category_rows,
)
from ..models import Case, CaseAttachment, Category, Unit

# -- the steps -------------------------------------------------------------------------------------------------


def _merge(case, user, d):
    target = Case.objects.visible_to(user).filter(number=d["into"].strip().upper()).first()
    if target is None:
        raise ValidationError({"into": _("找不到编号为“%(n)s”的案件") % {"n": d["into"]}})
    actions.do_merge(case, into=target, actor=user, note=d["note"])
    return _("已并入 %(n)s") % {"n": target.number}


def _dispatch(case, user, d):
    case = actions.do_dispatch(
        case, actor=user, unit=d["unit"], handler=d["handler"], co_units=d["co_units"], note=d["note"]
    )
    return _("已派遣至%(unit)s") % {"unit": case.lead_unit.name}


def _decide(case, user, d):
    request = case.requests.filter(pk=d["request"]).first()
    if request is None:
        raise IllegalTransition(_("找不到该申请"))
    actions.do_decide(request, actor=user, approve=d["approve"], note=d["note"])
    done = _("已批准%(kind)s申请") if d["approve"] else _("已驳回%(kind)s申请")
    return done % {"kind": request.get_kind_display()}


def _verify(case, user, d):
    actions.do_verify(case, actor=user, passed=d["passed"], note=d["note"], files=d["photos"])
    return _("核查通过，案件已办结") if d["passed"] else _("核查未通过，已退回承办人返工")


def _follow_up(case, user, d):
    case = actions.do_follow_up(
        case,
        actor=user,
        reachable=d["reachable"],
        resolved=d["resolved"],
        satisfaction=d["satisfaction"],
        comment=d["comment"],
    )
    if not d["reachable"]:
        return _("已记录一次联系不上的回访（第 %(n)d 次）") % {"n": case.followup_attempts}
    if d["satisfaction"] == Satisfaction.UNSATISFIED:
        return _("回访不满意，案件已退回重办")
    return _("回访已记录，案件已归档")


@dataclass(frozen=True)
class Step:
    """How the page asks for one transition: its form, the call into cases.actions and what to say afterwards.

    `run(case, user, cleaned_data)` may return its own message (a str, when the outcome decides it); otherwise
    the page says `done`.
    """

    form: type
    run: Callable[[Case, Any, dict], Any]
    done: str
    submit: str
    primary: bool = False
    needs_user: bool = False  # the form's choices depend on the user's scope


STEPS: dict[str, Step] = {
    "accept": Step(
        NoteForm,
        lambda c, u, d: actions.do_accept(c, actor=u, note=d["note"]),
        gettext_lazy("已受理"),
        gettext_lazy("确认受理"),
        primary=True,
    ),
    "reject": Step(
        ReasonForm,
        lambda c, u, d: actions.do_reject(c, actor=u, reason=d["reason"]),
        gettext_lazy("已不予受理，反映人将收到通知"),
        gettext_lazy("确认不予受理"),
    ),
    "merge": Step(MergeForm, _merge, "", gettext_lazy("确认并单")),
    "dispatch": Step(DispatchForm, _dispatch, "", gettext_lazy("确认派遣"), primary=True),
    "sign": Step(
        NoteForm,
        lambda c, u, d: actions.do_sign(c, actor=u),
        gettext_lazy("已签收，请按期办结"),
        "",
        primary=True,
    ),
    "return": Step(
        ReasonForm,
        lambda c, u, d: actions.do_return(c, actor=u, reason=d["reason"]),
        gettext_lazy("已退单，退回派遣人"),
        gettext_lazy("确认退单"),
    ),
    "request_extension": Step(
        ExtensionForm,
        lambda c, u, d: actions.do_request(
            c, actor=u, kind=RequestKind.EXTENSION, reason=d["reason"], days=d["days"]
        ),
        gettext_lazy("已提交延期申请，等待审批"),
        gettext_lazy("提交申请"),
    ),
    "request_shelve": Step(
        ReasonForm,
        lambda c, u, d: actions.do_request(c, actor=u, kind=RequestKind.SHELVE, reason=d["reason"]),
        gettext_lazy("已提交挂账申请，等待审批"),
        gettext_lazy("提交申请"),
    ),
    "decide": Step(DecideForm, _decide, "", gettext_lazy("提交审批"), primary=True),
    "resume": Step(
        NoteForm,
        lambda c, u, d: actions.do_resume(c, actor=u, note=d["note"]),
        gettext_lazy("已恢复办理，办结时限重新计算"),
        gettext_lazy("确认恢复办理"),
        primary=True,
    ),
    "reply": Step(
        ReplyForm,
        lambda c, u, d: actions.do_reply(c, actor=u, note=d["note"], files=d["photos"]),
        gettext_lazy("已提交办结反馈，等待核查"),
        gettext_lazy("提交办结反馈"),
        primary=True,
    ),
    "verify": Step(VerifyForm, _verify, "", gettext_lazy("提交核查结果"), primary=True),
    "follow_up": Step(FollowUpForm, _follow_up, "", gettext_lazy("保存回访"), primary=True),
    "archive": Step(
        NoteForm,
        lambda c, u, d: actions.do_archive(c, actor=u, note=d["note"]),
        gettext_lazy("已归档"),
        gettext_lazy("确认归档"),
    ),
    "reopen": Step(
        ReasonForm,
        lambda c, u, d: actions.do_reopen(c, actor=u, reason=d["reason"]),
        gettext_lazy("已重新打开，待重新派遣"),
        gettext_lazy("确认重新打开"),
    ),
    "supervise": Step(
        SuperviseForm,
        lambda c, u, d: actions.do_supervise(c, actor=u, comment=d["comment"]),
        gettext_lazy("已督办，承办人已收到通知"),
        gettext_lazy("确认督办"),
    ),
    "remind": Step(
        NoteForm,
        lambda c, u, d: actions.do_remind(c, actor=u, note=d["note"]),
        gettext_lazy("已催办"),
        gettext_lazy("确认催办"),
    ),
    "set_key": Step(
        SetKeyForm,
        lambda c, u, d: actions.do_set_key(c, actor=u, leader=d["leader"], plan=d["plan"]),
        gettext_lazy("已设为包案，包案领导将收到每一步的通知"),
        gettext_lazy("确认包案"),
        needs_user=True,
    ),
    "recategorize": Step(
        RecategorizeForm,
        lambda c, u, d: actions.do_recategorize(c, actor=u, category=d["category"], note=d["note"]),
        gettext_lazy("已改分类，时限与派遣随之调整"),
        gettext_lazy("确认改分类"),
    ),
}

#: Steps whose form has nothing to fill in: one press does it.
INSTANT = {"sign"}


def build_form(verb: str, user, data=None, files=None, initial=None):
    step = STEPS[verb]
    kwargs = {"initial": initial or {}, "prefix": verb}
    if step.needs_user:
        kwargs["user"] = user
    return step.form(data, files, **kwargs)


# -- what the page shows ---------------------------------------------------------------------------------------

EVENT_LABELS = {
    "register": gettext_lazy("登记"),
    "accept": gettext_lazy("受理"),
    "reject": gettext_lazy("不予受理"),
    "merge": gettext_lazy("并单"),
    "merged_in": gettext_lazy("有案件并入"),
    "dispatch": gettext_lazy("派遣"),
    "redispatch": gettext_lazy("改派"),
    "sign": gettext_lazy("签收"),
    "return": gettext_lazy("退单"),
    "request_extension": gettext_lazy("申请延期"),
    "request_shelve": gettext_lazy("申请挂账"),
    "extension_approved": gettext_lazy("批准延期"),
    "extension_denied": gettext_lazy("驳回延期"),
    "shelve_approved": gettext_lazy("批准挂账"),
    "shelve_denied": gettext_lazy("驳回挂账"),
    "resume": gettext_lazy("恢复办理"),
    "reply": gettext_lazy("办结反馈"),
    "verify_pass": gettext_lazy("核查通过"),
    "verify_fail": gettext_lazy("核查不通过，返工"),
    "follow_up": gettext_lazy("回访"),
    "follow_up_unreachable": gettext_lazy("回访未联系上"),
    "redo": gettext_lazy("回访不满意，重办"),
    "archive": gettext_lazy("归档"),
    "reopen": gettext_lazy("重新打开"),
    "supervise": gettext_lazy("督办"),
    "remind": gettext_lazy("催办"),
    "set_key": gettext_lazy("包案"),
    "recategorize": gettext_lazy("改分类"),
    "deadline_warning": gettext_lazy("临期提醒"),
    "overdue": gettext_lazy("超期升级"),
}


def event_details(event) -> list[str]:
    """The facts an event's extra data holds, as short Chinese phrases."""
    x = event.extra or {}
    out = []
    if x.get("unit"):
        out.append(_("主办单位：%(v)s") % {"v": x["unit"]})
    if x.get("handler"):
        out.append(_("承办人：%(v)s") % {"v": x["handler"]})
    if x.get("co_units"):
        out.append(_("协办：%(v)s") % {"v": "、".join(x["co_units"])})
    if x.get("into"):
        out.append(_("并入：%(v)s") % {"v": x["into"]})
    if x.get("merged_case"):
        out.append(_("并入的案件：%(v)s") % {"v": x["merged_case"]})
    if x.get("days"):
        out.append(_("%(v)s 个工作日") % {"v": x["days"]})
    if x.get("satisfaction"):
        out.append(_("满意度：%(v)s") % {"v": Satisfaction(x["satisfaction"]).label})
    if x.get("resolved") is not None and "resolved" in x:
        out.append(_("问题已解决") if x["resolved"] else _("问题未解决"))
    if x.get("old") and x.get("new"):
        out.append(_("%(old)s → %(new)s") % {"old": x["old"], "new": x["new"]})
    if x.get("leader"):
        out.append(_("包案领导：%(v)s") % {"v": x["leader"]})
    if x.get("clock"):
        names = {c.name: c.label for c in CLOCKS}
        out.append(str(names.get(x["clock"], x["clock"])))
    return out


def category_path(category: Category) -> str:
    """大类 › 中类 › 小类 of `category`, from the cached category table."""
    prefixes = [category.path[:i] for i in range(Category.steplen, len(category.path) + 1, Category.steplen)]
    names = {c.path: c.name for c in category_rows()}
    return " › ".join(names.get(p, "") for p in prefixes)


def _units_with_members():
    people = get_user_model().objects.filter(is_active=True).order_by("display_name", "username")
    return (
        Unit.objects.filter(is_active=True)
        .order_by("kind", "name")
        .prefetch_related(Prefetch("members", queryset=people))
    )


def _action_panels(case, user, verbs, bound) -> list[dict]:
    """One panel per step the user may take; `bound` is (verb, form) of a submission to show with its errors."""
    panels = []
    for verb in verbs:
        if verb == "decide":
            continue  # one form per pending request, below
        step = STEPS[verb]
        initial = {}
        if verb == "recategorize":
            initial = {"category": case.category_id}
        elif verb == "follow_up":
            initial = {"reachable": "1"}
        form = bound[1] if bound and bound[0] == verb else build_form(verb, user, initial=initial)
        panels.append(
            {
                "verb": verb,
                "label": workflow.TRANSITIONS[verb].label,
                "form": form,
                "submit": step.submit,
                "primary": step.primary,
                "instant": verb in INSTANT,
                "open": bool(bound and bound[0] == verb),
            }
        )
    return panels


def _decide_panels(case, user, bound) -> list[dict]:
    panels = []
    for req in case.requests.filter(status=RequestStatus.PENDING).select_related("requested_by"):
        form = (
            bound[1]
            if bound and bound[0] == "decide" and str(bound[1].data.get("decide-request")) == str(req.pk)
            else build_form("decide", user, initial={"request": req.pk})
        )
        panels.append({"request": req, "form": form, "open": form.is_bound})
    return panels


def _shapes(case) -> list[dict]:
    shapes = []
    if case.grid_id and case.grid.boundary:
        shapes.append({"geometry": case.grid.boundary, "name": case.grid.name, "main": False})
    if case.lat is not None and case.lng is not None:
        shapes.append(
            {
                "geometry": {"type": "Point", "coordinates": [case.lng, case.lat]},
                "name": case.title,
                "main": True,
            }
        )
    return shapes


def _dispatch_context(case, form, user=None) -> dict:
    """The dispatch form is drawn by hand (handlers grouped by unit): what it shows chosen — the routing rules'
    suggestion at first, the person's own choice when a submission comes back with an error."""
    suggestion = routing.suggest(case)
    if form.is_bound:
        unit, handler = form["unit"].value(), form["handler"].value()
        co_units = form["co_units"].value() or []
    else:
        unit = suggestion.unit.pk if suggestion else None
        handler = suggestion.handler.pk if suggestion and suggestion.handler else None
        co_units = []
    units = list(_units_with_members().select_related("node"))
    return {
        "suggestion": suggestion,
        "units": units,
        "unit_groups": routing.dispatch_groups(case, user, units),
        "dispatch_unit": str(unit or ""),
        "dispatch_handler": str(handler or ""),
        "dispatch_co": [str(v) for v in co_units],
    }


def _visible(request):
    """Case.objects.visible_to(request.user), built once a request (it reads the user's units)."""
    if not hasattr(request, "_cases_visible"):
        request._cases_visible = Case.objects.visible_to(request.user)
    return request._cases_visible


#: The people a case page names, fetched together after the case: joined into its query, they made it a
#: twelve-table join that the database took longer to plan than to run (decision 0075).
CASE_PEOPLE = ("handler", "first_receiver", "key_leader", "reporter_user")


def _visible_case(request, pk) -> Case:
    """The case, if the user may see it (404 otherwise), with what its page shows of the related rows."""
    try:
        case = _visible(request).select_related("kind", "category", "node", "grid", "lead_unit").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError, ValidationError) as exc:
        raise Http404 from exc
    ids = {getattr(case, f"{name}_id") for name in CASE_PEOPLE} - {None}
    people = get_user_model().objects.in_bulk(ids) if ids else {}
    for name in CASE_PEOPLE:
        person = people.get(getattr(case, f"{name}_id"))
        if person is not None:
            Case._meta.get_field(name).set_cached_value(case, person)
    return case


def detail_page(request, case: Case, *, reveal: bool = False, bound=None, status: int = 200):
    user = request.user
    now = clock.now()
    verbs = workflow.available(case, user)
    decide_panels = _decide_panels(case, user, bound) if "decide" in verbs else []
    state = state_of(case, now)
    clocks = running(case, now)
    attachments = list(case.attachments.all())
    context = {
        "case": case,
        "category_path": category_path(case.category),
        "status_badge": badge_class(STATUS_COLOURS, case.status),
        "deadline": state,
        "deadline_label": DeadlineState(state).label,
        "deadline_badge": badge_class(DEADLINE_COLOURS, state, default=None),
        "source": sources.describe(case),
        "clocks": [
            {
                "label": r.clock.label,
                "due": r.due,
                "badge": badge_class(DEADLINE_COLOURS, r.state, default=None),
                "state_label": DeadlineState(r.state).label,
            }
            for r in clocks
        ],
        "phone": case.reporter_phone if reveal else mask_phone(case.reporter_phone),
        "revealed": reveal,
        "can_reveal": bool(case.reporter_phone) and user.has_cap(Cap.ORG_VIEW_PII, case.node),
        "co_units": list(case.co_units.all()),
        "merged_cases": list(_visible(request).filter(merged_into=case).only("pk", "number", "title")),
        "events": [
            {
                "event": e,
                "label": EVENT_LABELS.get(e.verb) or e.extra.get("label") or e.verb,
                "color": EVENT_COLOURS.get(e.verb, Colour.BLUE),
                "details": event_details(e),
            }
            for e in case.events.select_related("actor").prefetch_related("attachments")
        ],
        "photos": [a for a in attachments if a.is_image],
        "files": [a for a in attachments if not a.is_image],
        "attachment_count": len(attachments),
        "panels": _action_panels(case, user, verbs, bound),
        "decide_panels": decide_panels,
        "shapes": _shapes(case),
        "map_tiles": getattr(settings, "MINSHENG_MAP_TILES", ""),
    }
    if "dispatch" in verbs:
        form = next(p["form"] for p in context["panels"] if p["verb"] == "dispatch")
        context.update(_dispatch_context(case, form, user))
    if "merge" in verbs:
        matches = duplicates.suggest(
            description=case.description, node=case.node, grid=case.grid, category=case.category, exclude=case
        )
        visible = set(
            _visible(request).filter(pk__in=[m.case.pk for m in matches]).values_list("pk", flat=True)
        )
        context["similar"] = [m for m in matches if m.case.pk in visible]
    return render(request, "cases/workbench/detail.html", context, status=status)


@require_GET
@staff_required
def detail(request, pk):
    return detail_page(request, _visible_case(request, pk))


@never_cache
@require_POST
@staff_required
def reveal(request, pk):
    """The reporter's full phone number, for those who may see it; each look is written to the audit log."""
    case = _visible_case(request, pk)
    if not request.user.has_cap(Cap.ORG_VIEW_PII, case.node):
        raise PermissionDenied(_("没有查看完整个人信息的权限"))
    record(AuditLog.Action.VIEW_PII, case, note=_("查看反映人联系电话"), user=request.user)
    return detail_page(request, case, reveal=True)


@require_POST
@staff_required
def act(request, pk, verb):
    step = STEPS.get(verb)
    if step is None:
        raise Http404
    user = request.user
    case = _visible_case(request, pk)
    form = build_form(verb, user, request.POST, request.FILES)
    if not form.is_valid():
        return detail_page(request, case, bound=(verb, form), status=400)
    expected = request.POST.get("expected_status", "")
    expected = [expected] if expected in Status.values else list(Status.values)
    label = workflow.TRANSITIONS[verb].label
    try:
        message = actions.do_if_unchanged(
            case, expected=expected, run=lambda locked: step.run(locked, user, form.cleaned_data)
        )
    except actions.StaleState as exc:
        messages.error(request, _("未能%(verb)s：%(reason)s。") % {"verb": label, "reason": exc})
    except IllegalTransition as exc:
        messages.error(request, _("未能%(verb)s：%(reason)s") % {"verb": label, "reason": exc})
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您没有权限执行此操作"))
    except ValidationError as exc:
        apply_action_errors(form, exc)
        return detail_page(request, case, bound=(verb, form), status=400)
    else:
        messages.success(request, message if isinstance(message, str) else step.done)
        if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
            return redirect("cases:todo")  # handed on out of the user's sight (a return to another unit …)
    return redirect("cases:detail", pk=case.pk)


@require_GET
@staff_required
def attachment(request, pk):
    """A case's photo or file, to those who may see the case (media files are never served publicly)."""
    visible = Case.objects.visible_to(request.user).values("pk")
    item = get_object_or_404(CaseAttachment.objects.filter(case__in=visible), pk=pk)
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, content_type=item.content_type, as_attachment=not item.is_image, filename=item.name
    )
