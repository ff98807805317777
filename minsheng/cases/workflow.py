"""The transition table: which verb may run from which state, to which state, with which capability.

Views and the API ask `available(case, user)` to show only the buttons a user may press; actions call
`check(case, verb, user)` before changing anything, so the rules live in one place.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.accounts.choices import Cap
from minsheng.core.errors import IllegalTransition

from .choices import OPEN_STATES, Status

S = Status


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset
    target: str | None  # None: the state does not change (or depends on the outcome)
    capability: str
    handler_only: bool = False  # must be a member of the lead unit (or the assigned handler)


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(gettext_lazy("受理"), frozenset({S.REGISTERED}), S.ACCEPTED, Cap.CASES_ACCEPT),
    "reject": Transition(gettext_lazy("不予受理"), frozenset({S.REGISTERED}), S.REJECTED, Cap.CASES_ACCEPT),
    "merge": Transition(
        gettext_lazy("并单"), frozenset({S.REGISTERED, S.ACCEPTED}), S.MERGED, Cap.CASES_ACCEPT
    ),
    "dispatch": Transition(
        gettext_lazy("派遣"),
        frozenset({S.ACCEPTED, S.RETURNED, S.DISPATCHED}),
        S.DISPATCHED,
        Cap.CASES_DISPATCH,
    ),
    "sign": Transition(gettext_lazy("签收"), frozenset({S.DISPATCHED}), S.HANDLING, Cap.CASES_HANDLE, True),
    "return": Transition(gettext_lazy("退单"), frozenset({S.DISPATCHED}), S.RETURNED, Cap.CASES_HANDLE, True),
    "request_extension": Transition(
        gettext_lazy("申请延期"), frozenset({S.HANDLING}), None, Cap.CASES_HANDLE, True
    ),
    "request_shelve": Transition(
        gettext_lazy("申请挂账"), frozenset({S.HANDLING}), None, Cap.CASES_HANDLE, True
    ),
    "decide": Transition(gettext_lazy("审批"), frozenset({S.HANDLING}), None, Cap.CASES_APPROVE),
    "resume": Transition(
        gettext_lazy("恢复办理"), frozenset({S.SHELVED}), S.HANDLING, Cap.CASES_HANDLE, True
    ),
    "reply": Transition(gettext_lazy("办结反馈"), frozenset({S.HANDLING}), S.REPLIED, Cap.CASES_HANDLE, True),
    "verify": Transition(gettext_lazy("核查"), frozenset({S.REPLIED}), None, Cap.CASES_VERIFY),
    "follow_up": Transition(gettext_lazy("回访"), frozenset({S.RESOLVED}), None, Cap.CASES_FOLLOWUP),
    "archive": Transition(gettext_lazy("归档"), frozenset({S.RESOLVED}), S.ARCHIVED, Cap.CASES_FOLLOWUP),
    "reopen": Transition(
        gettext_lazy("重新打开"), frozenset({S.RESOLVED, S.ARCHIVED}), S.ACCEPTED, Cap.CASES_ACCEPT
    ),
    "supervise": Transition(gettext_lazy("督办"), frozenset(OPEN_STATES), None, Cap.CASES_SUPERVISE),
    "remind": Transition(gettext_lazy("催办"), frozenset(OPEN_STATES), None, Cap.CASES_DISPATCH),
    "set_key": Transition(gettext_lazy("包案"), frozenset(OPEN_STATES), None, Cap.CASES_SUPERVISE),
    "recategorize": Transition(
        gettext_lazy("改分类"),
        frozenset({S.REGISTERED, S.ACCEPTED, S.RETURNED, S.DISPATCHED, S.HANDLING}),
        None,
        Cap.CASES_DISPATCH,
    ),
}


def is_handler(case, user) -> bool:
    if user is None:
        return False
    if user.is_superuser or case.handler_id == user.pk:
        return True
    return case.lead_unit_id is not None and case.lead_unit.members.filter(pk=user.pk).exists()


def allowed(case, verb: str, user, *, handler=is_handler) -> bool:
    """Whether `user` may run `verb` on `case` now (state, capability at the case's node, unit membership).
    `handler(case, user)` answers whether the user handles the case (is_handler, or a memo of it)."""
    t = TRANSITIONS[verb]
    if case.status not in t.sources:
        return False
    if user is None:  # the system itself (deadline clock, domain apps' automatic steps)
        return True
    if t.handler_only:
        return user.has_cap(t.capability) and handler(case, user)
    if user.has_cap(t.capability, case.node):
        return True
    if verb == "supervise" and case.key_leader_id == user.pk:
        return True  # 包案: the leader follows their case to the end, wherever it sits
    return verb == "decide" and case.lead_unit_id is not None and case.lead_unit.leader_id == user.pk


def check(case, verb: str, user) -> Transition:
    """Raise IllegalTransition (HTTP 409) for a wrong state, PermissionDenied for a wrong person."""
    from django.core.exceptions import PermissionDenied

    t = TRANSITIONS[verb]
    if case.status not in t.sources:
        raise IllegalTransition(
            _("案件当前状态为“%(status)s”，不能执行“%(verb)s”")
            % {"status": Status(case.status).label, "verb": t.label}
        )
    if not allowed(case, verb, user):
        raise PermissionDenied(_("您没有权限对该案件执行“%(verb)s”") % {"verb": t.label})
    return t


def available(case, user) -> list[str]:
    """The steps `user` may take on `case` now; whether they handle it is asked once (a query), not per step."""
    known: list[bool] = []

    def handler_once(case, user) -> bool:
        if not known:
            known.append(is_handler(case, user))
        return known[0]

    return [verb for verb in TRANSITIONS if allowed(case, verb, user, handler=handler_once)]
