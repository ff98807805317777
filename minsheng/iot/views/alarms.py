"""The alarm console, an alarm's page, and a person's alarm notification preferences.

Reading goes through `visible_to(user, CAP_VIEW)`; every change goes through `iot.actions`, which checks the right
to act at the greenhouse's village, so a bulk action can refuse one alarm and still do the others.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from minsheng.core import clock
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required

from .. import actions, alerts, summary
from ..choices import RANK, Severity
from ..forms import AlarmPreferenceForm
from ..models import Alarm, AlarmNotificationPreference, Greenhouse

#: Reading the greenhouse pages (accounts/roles.py: iot.view, scoped by village).
CAP_VIEW = "iot.view"
SEVERITY_BADGE = {
    Severity.CRITICAL: "badge-red",
    Severity.MAJOR: "badge-orange",
    Severity.MINOR: "badge-blue",
    Severity.WARNING: "badge-gray",
    Severity.INDETERMINATE: "badge-gray",
}
#: Map colours by worst active alarm (and "none" for a quiet greenhouse).
SEVERITY_COLOUR = {
    Severity.CRITICAL: "#c8161d",
    Severity.MAJOR: "#e8710a",
    Severity.MINOR: "#d4a106",
    Severity.WARNING: "#5b7db8",
    Severity.INDETERMINATE: "#8a93a3",
    "none": "#2e9d5b",
}
DEFAULT_LOW_BATTERY = 20
#: How often the console and the greenhouse page ask for news (settings.IOT_LIVE_POLL_SECONDS).
LIVE_POLL_SECONDS = 15
CHART_HOURS = 24


def _choice(request, name: str, allowed, default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def _int(request, name: str, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(request.GET.get(name, default)), low), high)
    except (TypeError, ValueError):
        return default


def alarms_for(user):
    return Alarm.objects.visible_to(user, CAP_VIEW).select_related("sensor", "greenhouse", "case", "assignee")


def _with_badges(alarms):
    for alarm in alarms:
        alarm.badge = SEVERITY_BADGE.get(alarm.severity, "badge-gray")
        yield alarm


def _filtered(request):
    """The console's alarms for the request's filters (shared by the page and its live JSON)."""
    status = _choice(request, "status", {"active", "cleared", "all"}, "active")
    ack = _choice(request, "ack", {"yes", "no", "all"}, "all")
    severity = _choice(request, "severity", set(Severity.values) | {""}, "")
    qs = alarms_for(request.user)
    if status != "all":
        qs = qs.filter(status=status)
    if ack != "all":
        qs = qs.filter(acknowledged=ack == "yes")
    if severity:
        qs = qs.filter(severity=severity)
    greenhouse = request.GET.get("greenhouse", "")
    if greenhouse.isdigit():
        qs = qs.filter(greenhouse_id=int(greenhouse))
    order = _choice(request, "order", {"severity", "newest"}, "severity")
    filters = {"status": status, "ack": ack, "severity": severity, "greenhouse": greenhouse, "order": order}
    if order == "newest":
        return qs.order_by("-last_at", "-pk"), filters
    # The console's default: what needs a person first — active before cleared, then the highest severity,
    # unacknowledged before acknowledged, the newest first.
    rank = Case(*(When(severity=value, then=Value(n)) for value, n in RANK.items()), default=Value(-1))
    return qs.order_by("status", rank.desc(), "acknowledged", "-last_at", "-pk"), filters  # active < cleared


def _poll_ms() -> int:
    return int(getattr(settings, "IOT_LIVE_POLL_SECONDS", LIVE_POLL_SECONDS) * 1000)


@require_GET
@staff_required
def alarm_list(request):
    qs, filters = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "iot/alarm_list.html",
        {
            "page_obj": page,
            "alarms": list(_with_badges(page.object_list)),
            **filters,
            "severities": Severity.choices,
            "greenhouses": Greenhouse.objects.visible_to(request.user, CAP_VIEW).only("pk", "name"),
            "summary": summary.of_alarms(alarms_for(request.user)),
            "poll_ms": _poll_ms(),
            "poll_seconds": _poll_ms() // 1000,
        },
    )


@require_GET
@staff_required
def alarm_list_live(request):
    """The console's live data: the current page's rows (rendered) and the header summary, for a poll."""
    qs, _filters = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    alarms = list(_with_badges(page.object_list))
    rows = render_to_string("iot/_alarm_rows.html", {"alarms": alarms}, request=request)
    head = summary.of_alarms(alarms_for(request.user))
    return JsonResponse(
        {
            "count": page.paginator.count,
            "ids": [a.pk for a in alarms],
            "stamp": max((a.updated_at for a in alarms), default=None),
            "rows_html": rows,
            "summary": head.as_dict(),
            "summary_html": render_to_string("iot/_summary.html", {"summary": head}, request=request),
            "now": clock.now().isoformat(),
        }
    )


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


ACTS = {"acknowledge", "clear", "assign", "comment"}
BULK = {"acknowledge": actions.acknowledge, "clear": actions.clear}


@require_POST
@staff_required
def alarm_bulk(request):
    """Acknowledge or clear the ticked alarms one by one: a refusal of one is reported and the others go on."""
    action = BULK.get(request.POST.get("action", ""))
    ids = [int(v) for v in request.POST.getlist("alarms") if v.isdigit()]
    if action is None or not ids:
        messages.error(request, _("请勾选告警并选择操作"))
        return _back(request, reverse("iot:alarms"))
    done, failed = 0, []
    for alarm in alarms_for(request.user).filter(pk__in=ids):
        try:
            action(alarm, actor=request.user)
            done += 1
        except (PermissionDenied, ValidationError) as exc:
            reason = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            failed.append(_("%(alarm)s：%(reason)s") % {"alarm": alarm, "reason": reason})
    if done:
        messages.success(request, _("已处理 %(n)d 条告警") % {"n": done})
    for text in failed:
        messages.error(request, text)
    return _back(request, reverse("iot:alarms"))


def _assignable(alarm: Alarm):
    """People who may handle the alarm: members at the village or above holding the capability to act."""
    village = alarm.greenhouse.village
    prefixes = [village.path[:i] for i in range(village.steplen, len(village.path) + 1, village.steplen)]
    users = (
        get_user_model()
        .objects.filter(is_active=True, memberships__node__path__in=prefixes)
        .distinct()
        .order_by("username")[:200]
    )
    return [u for u in users if u.has_cap(actions.CAP_HANDLE, village)]


@require_GET
@staff_required
def alarm_detail(request, pk: int):
    alarm = get_visible_or_404(alarms_for(request.user), request.user, CAP_VIEW, pk=pk)
    alarm.badge = SEVERITY_BADGE.get(alarm.severity, "badge-gray")
    can_act = request.user.has_cap(actions.CAP_HANDLE, alarm.greenhouse.village)
    return render(
        request,
        "iot/alarm_detail.html",
        {
            "alarm": alarm,
            "comments": alarm.comments.select_related("author"),
            "can_act": can_act,
            "people": _assignable(alarm) if can_act else [],
        },
    )


@require_POST
@staff_required
def alarm_act(request, pk: int, what: str):
    if what not in ACTS:
        raise Http404
    """One of acknowledge / clear / assign / comment on one alarm, through the actions."""
    alarm = get_visible_or_404(alarms_for(request.user), request.user, CAP_VIEW, pk=pk)
    try:
        if what == "acknowledge":
            actions.acknowledge(alarm, actor=request.user)
        elif what == "clear":
            actions.clear(alarm, actor=request.user, note=request.POST.get("note", "").strip()[:2000])
        elif what == "assign":
            pk_text = request.POST.get("assignee", "")
            assignee = None
            if pk_text:
                people = {str(u.pk): u for u in _assignable(alarm)}
                if pk_text not in people:
                    raise ValidationError({"assignee": _("该人员无权处理此大棚的告警")})
                assignee = people[pk_text]
            actions.assign(alarm, actor=request.user, assignee=assignee)
        elif what == "comment":
            actions.comment(alarm, actor=request.user, text=request.POST.get("text", ""))
        messages.success(request, _("已保存"))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("iot:alarm", pk=alarm.pk)


# -- notification preferences -----------------------------------------------------------------------------------


@staff_required
def preferences(request):
    """告警通知设置: the person's own alarm notification preferences."""
    pref = AlarmNotificationPreference.objects.filter(user=request.user).first()
    form = AlarmPreferenceForm(request.POST or None, user=request.user, instance=pref)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_preferences(request.user, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("告警通知设置已保存"))
            return redirect("iot:preferences")
    return render(
        request,
        "iot/preferences.html",
        {
            "form": form,
            "saved": pref is not None,
            "can_handle": request.user.has_cap(actions.CAP_HANDLE),
            "remind_minutes": alerts.remind_minutes(),
            "unack_minutes": actions.unack_case_minutes(),
        },
    )
