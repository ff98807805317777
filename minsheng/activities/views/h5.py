"""The residents' phone pages: upcoming activities near me, register (or join the waiting list), my check-in code,
my check-ins, my volunteer hours and points, the 积分超市.

A resident signs in with a resident account, as on the appeals pages' 我的 page; the account identifies them (its
registrations, its volunteer record). Browsing needs no account; registering does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minsheng.core import clock
from minsheng.core.errors import IllegalTransition
from minsheng.core.forms import apply_action_errors

from .. import actions, certificates, queries
from ..actions import points, volunteers
from ..choices import ACTIVE_REGISTRATION_STATES, RecordStatus, RegistrationStatus, SignupStatus
from ..forms import H5VolunteerForm
from ..models import CheckIn, Event, Exchange, MarketItem, Registration, ShiftSignup
from .common import error_text

ACTION_ERRORS = (IllegalTransition, ValidationError, PermissionDenied)


def home_node(user):
    """Where the resident lives: their registry record, else the node of their resident membership."""
    if not user.is_authenticated:
        return None
    from minsheng.org.models import Resident

    resident = Resident.objects.filter(user=user).select_related("node").first()
    if resident is not None:
        return resident.node
    memberships = sorted(user.active_memberships, key=lambda m: -m.node.depth)
    return memberships[0].node if memberships else None


def _public_event(pk):
    event = Event.objects.select_related("kind", "venue", "node").filter(pk=pk, public=True).first()
    if event is None or event.status == "draft":
        raise Http404
    return event


@never_cache
def home(request):
    node = home_node(request.user)
    now = clock.now()
    events = queries.with_counts(queries.upcoming_public(now, node=node))[:30]
    mine = {}
    if request.user.is_authenticated:
        mine = dict(
            Registration.objects.filter(
                user=request.user, event__in=[e.pk for e in events], status__in=ACTIVE_REGISTRATION_STATES
            ).values_list("event_id", "status")
        )
    rows = [
        {"e": e, "mine": mine.get(e.pk), "full": e.capacity is not None and e.confirmed_count >= e.capacity}
        for e in events
    ]
    return render(request, "activities/h5/home.html", {"rows": rows, "node": node})


@never_cache
def detail(request, pk):
    event = _public_event(pk)
    registration = None
    volunteer = volunteers.own_volunteer(request.user)
    signups = {}
    if request.user.is_authenticated:
        registration = (
            Registration.objects.filter(event=event, user=request.user, status__in=ACTIVE_REGISTRATION_STATES)
            .select_related("checkin")
            .first()
        )
        if volunteer is not None:
            signups = {
                s.shift_id: s
                for s in ShiftSignup.objects.filter(
                    shift__event=event, volunteer=volunteer, status__in=["confirmed", "waitlisted", "offered"]
                )
            }
    figures = queries.event_figures(event)
    shifts = [
        {"s": s, "mine": signups.get(s.pk), "held": s.held}
        for s in event.shifts.annotate(
            held=Count("signups", filter=Q(signups__status__in=["confirmed", "offered"]))
        )
    ]
    return render(
        request,
        "activities/h5/detail.html",
        {
            "event": event,
            "figures": figures,
            "registration": registration,
            "qr": certificates.qr_svg(registration.token)
            if registration and registration.status == "confirmed"
            else "",
            "volunteer": volunteer,
            "shifts": shifts,
            "open": event.status == "published" and event.end >= clock.now(),
        },
    )


@login_required
@require_POST
def register(request, pk):
    event = _public_event(pk)
    try:
        registration = actions.do_register(event, actor=request.user)
    except ACTION_ERRORS as exc:
        messages.error(request, error_text(exc))
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("报名成功！请在活动现场出示签到码"))
        else:
            messages.warning(request, _("名额已满，您已进入候补名单；有人取消时按先后顺序递补并通知您"))
    return redirect("activities_h5:detail", event.pk)


@login_required
@require_POST
def cancel(request, pk):
    event = _public_event(pk)
    registration = Registration.objects.filter(
        event=event, user=request.user, status__in=ACTIVE_REGISTRATION_STATES
    ).first()
    if registration is None:
        raise Http404
    try:
        actions.do_cancel_registration(registration, actor=request.user)
    except ACTION_ERRORS as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已取消报名"))
    return redirect("activities_h5:detail", event.pk)


@login_required
@require_POST
def shift_sign_up(request, pk, sid):
    event = _public_event(pk)
    shift = event.shifts.filter(pk=sid).first()
    volunteer = volunteers.own_volunteer(request.user)
    if shift is None:
        raise Http404
    if volunteer is None:
        messages.error(request, _("请先注册志愿者"))
        return redirect("activities_h5:volunteer")
    try:
        signup = volunteers.do_sign_up(shift, actor=request.user, volunteer=volunteer)
    except ACTION_ERRORS as exc:
        messages.error(request, error_text(exc))
    else:
        if signup.status == SignupStatus.CONFIRMED:
            messages.success(request, _("已报名该志愿岗位"))
        else:
            messages.warning(request, _("岗位已满，您已进入候补；有空位时会通知您确认"))
    return redirect("activities_h5:detail", event.pk)


@never_cache
@login_required
def me(request):
    """我的活动: registrations with their codes, check-ins, volunteer hours, points and shift offers."""
    user = request.user
    now = clock.now()
    registrations = (
        Registration.objects.filter(user=user, status__in=ACTIVE_REGISTRATION_STATES, event__end__gte=now)
        .select_related("event", "event__venue")
        .order_by("event__start")
    )
    checkins = (
        CheckIn.objects.filter(person_key=f"u:{user.pk}").select_related("event").order_by("-checked_in_at")
    )
    volunteer = volunteers.own_volunteer(user)
    context = {
        "registrations": registrations,
        "checkins": checkins[:20],
        "checkin_count": checkins.count(),
        "volunteer": volunteer,
    }
    if volunteer is not None:
        records = volunteer.records.order_by("-served_on", "-pk")
        context.update(
            hours=records.filter(status=RecordStatus.CONFIRMED).aggregate(h=Sum("hours"))["h"] or 0,
            pending=records.filter(status=RecordStatus.PENDING).aggregate(h=Sum("hours"))["h"] or 0,
            records=records[:20],
            balance=points.balance_of(points.account_of(volunteer)),
            signups=volunteer.signups.filter(
                status__in=["confirmed", "waitlisted", "offered"], shift__end__gte=now
            ).select_related("shift", "shift__event"),
        )
    return render(request, "activities/h5/me.html", context)


@login_required
@require_POST
def answer_offer(request, sid):
    signup = ShiftSignup.objects.filter(pk=sid, volunteer__user=request.user).first()
    if signup is None:
        raise Http404
    try:
        volunteers.do_answer_offer(signup, actor=request.user, accept=request.POST.get("accept") == "1")
    except ACTION_ERRORS as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已确认"))
    return redirect("activities_h5:me")


@login_required
def volunteer(request):
    """注册志愿者: the 条例 第7条 fields and the consent, by the resident themselves."""
    existing = volunteers.own_volunteer(request.user)
    if existing is not None:
        return redirect("activities_h5:me")
    node = home_node(request.user)
    initial = {"name": request.user.display_name, "phone": request.user.phone}
    form = H5VolunteerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if node is None:
            form.add_error(None, _("您的账号尚未关联居住社区，请联系社区登记"))
        else:
            from minsheng.org.choices import TERRITORIAL_KINDS

            territory = node if node.kind in TERRITORIAL_KINDS else (node.territory() or node)
            try:
                volunteers.do_register_volunteer(
                    actor=request.user, node=territory, user=request.user, **form.cleaned_data
                )
            except ACTION_ERRORS as exc:
                apply_action_errors(
                    form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
                )
            else:
                messages.success(request, _("志愿者注册成功"))
                return redirect("activities_h5:me")
    return render(request, "activities/h5/volunteer.html", {"form": form})


@never_cache
@login_required
def market(request):
    volunteer = volunteers.own_volunteer(request.user)
    node = volunteer.node if volunteer else home_node(request.user)
    items = MarketItem.objects.filter(is_active=True).select_related("node")
    if node is not None:
        prefixes = [node.path[: i * node.steplen] for i in range(1, node.depth + 1)]
        items = items.filter(node__path__in=prefixes)
    balance = points.balance_of(points.account_of(volunteer)) if volunteer else 0
    exchanges = (
        Exchange.objects.filter(volunteer=volunteer).select_related("item").order_by("-at")[:10]
        if volunteer
        else []
    )
    return render(
        request,
        "activities/h5/market.html",
        {
            "items": items.order_by("points"),
            "volunteer": volunteer,
            "balance": balance,
            "exchanges": exchanges,
        },
    )


@login_required
@require_POST
def exchange(request, pk):
    volunteer = volunteers.own_volunteer(request.user)
    item = MarketItem.objects.filter(pk=pk, is_active=True).first()
    if item is None:
        raise Http404
    if volunteer is None:
        messages.error(request, _("请先注册志愿者"))
        return redirect("activities_h5:volunteer")
    try:
        points.do_exchange(
            item, actor=request.user, volunteer=volunteer, quantity=request.POST.get("quantity") or 1
        )
    except ACTION_ERRORS as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("兑换成功：%(i)s，请到社区积分超市领取") % {"i": item.name})
    return redirect("activities_h5:market")
