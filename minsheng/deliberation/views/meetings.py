"""The staff pages of meetings: the list, a meeting run from agenda to minutes, series, QR sign-in, printouts.

Every change goes through the actions; the page turns their errors into Chinese messages (IllegalTransition,
PermissionDenied) or field errors (ValidationError). Fast item entry posts with HTMX and gets the list back with
an empty form, so a worker types one item after another without leaving the page.
"""

import datetime as dt
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.calendar import TZ
from minsheng.core.errors import IllegalTransition
from minsheng.core.forms import apply_action_errors
from minsheng.core.pagination import paginate
from minsheng.core.permissions import require_cap
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from .. import actions, minutes, queries
from ..actions.meetings import headcount, in_window, open_items_before
from ..choices import ItemKind, MeetingStatus, ParticipantRole
from ..filtersets import MeetingFilter
from ..forms import (
    AttendeeForm,
    CancelForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    SeriesEditForm,
    SeriesForm,
    TallyForm,
    TopicForm,
    VoteForm,
)
from ..models import Meeting, MeetingKind, MeetingSeries

MEETING_NODE_KINDS = (NodeKind.COMMUNITY, NodeKind.VILLAGE, NodeKind.ESTATE, NodeKind.NATURAL_VILLAGE)


def deliberation_required(view):
    @functools.wraps(view)
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_cap(Cap.DELIBERATION_VIEW):
            raise PermissionDenied(_("您没有议事协商的权限"))
        return view(request, *args, **kwargs)

    return wrapper


def meeting_nodes(user, capability=Cap.DELIBERATION_MANAGE):
    return Node.objects.visible_to(user, capability).filter(kind__in=MEETING_NODE_KINDS).order_by("path")


def _meeting(request, pk):
    return get_visible_or_404(
        Meeting.objects.select_related("kind", "node", "convenor", "series"),
        request.user,
        Cap.DELIBERATION_VIEW,
        pk=pk,
    )


# -- list ---------------------------------------------------------------------------------------------------------


@deliberation_required
@require_GET
def meeting_list(request):
    qs = queries.meetings(request.user).annotate(
        n_items=Count("items", distinct=True), n_people=Count("attendance", distinct=True)
    )
    # The page and the API answer "which meetings" through the same filterset; an invalid filter is not applied.
    filters = MeetingFilter(request.GET or None, queryset=qs)
    if filters.is_bound and filters.is_valid():
        qs = filters.qs
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    when = request.GET.get("when", "upcoming")
    now = clock.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now - dt.timedelta(hours=12)).exclude(status=MeetingStatus.CLOSED)
        qs = qs.order_by("starts_at", "pk")
    else:
        qs = qs.order_by("-starts_at", "-pk")
    page = paginate(request, qs, per_page=30)
    rows = [{"m": m} for m in page.object_list]
    return render(
        request,
        "deliberation/meetings/list.html",
        {
            "page_obj": page,
            "rows": rows,
            "kinds": MeetingKind.objects.filter(is_active=True),
            "statuses": MeetingStatus.choices,
            "kind": kind,
            "status": status,
            "when": when,
            "can_manage": request.user.has_cap(Cap.DELIBERATION_MANAGE),
        },
    )


@deliberation_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    if not request.user.has_cap(Cap.DELIBERATION_MANAGE):
        raise PermissionDenied(_("您没有召集会议的权限"))
    nodes = list(meeting_nodes(request.user))
    form = MeetingForm(request.POST or None, nodes=nodes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = actions.do_create_meeting(
                actor=request.user,
                kind=data["kind"],
                node=form.nodes[data["node"]],
                title=data["title"],
                place=data["place"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("会议已安排"))
            return redirect("deliberation:meeting", meeting.pk)
    return render(request, "deliberation/meetings/form.html", {"form": form, "title": _("安排会议")})


# -- one meeting --------------------------------------------------------------------------------------------------


def _carried_rows(meeting):
    """The agenda's 遗留事项 with the live case status: the topics carried when the meeting opened, or — before
    it opens — the preview of what will be carried."""
    if meeting.status == MeetingStatus.SCHEDULED:
        items = list(open_items_before(meeting))
    else:
        items = [
            t.carried_item
            for t in meeting.topics.exclude(carried_item=None).select_related(
                "carried_item__case", "carried_item__meeting"
            )
        ]
    return [{"item": i, "outcome": queries.item_outcome(i)} for i in items]


def _item_rows(meeting):
    items = meeting.items.select_related("case", "category").order_by("-pk")
    return [{"item": i, "outcome": queries.item_outcome(i)} for i in items]


def _context(request, meeting, **forms):
    user = request.user
    counts = headcount(meeting)
    roles = dict(ParticipantRole.choices)
    tally = dict(meeting.tallies.values_list("role", "count"))
    context = {
        "meeting": meeting,
        "editable": meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS),
        "can_manage": user.has_cap(Cap.DELIBERATION_MANAGE, meeting.node),
        "can_record": user.has_cap(Cap.DELIBERATION_RECORD, meeting.node),
        "topics": meeting.topics.filter(carried_item=None).order_by("pk"),
        "carried": _carried_rows(meeting),
        "attendance": meeting.attendance.all(),
        "expected": [roles.get(r, r) for r in meeting.expected_roles],
        "headcount": [(roles.get(r, r), n) for r, n in counts.items()],
        "headcount_total": sum(counts.values()),
        "items": _item_rows(meeting),
        "votes": [{"v": v} for v in meeting.votes.all()],
        "signin_url": request.build_absolute_uri(reverse("deliberation:sign_in", args=[meeting.token])),
        "signin_open": in_window(meeting, clock.now()),
        "item_form": forms.get("item_form") or ItemForm(initial={"kind": ItemKind.PROBLEM}),
        "topic_form": forms.get("topic_form") or TopicForm(),
        "attendee_form": forms.get("attendee_form")
        or AttendeeForm(initial={"role": ParticipantRole.RESIDENT_REP}),
        "tally_form": forms.get("tally_form") or TallyForm(initial=tally),
        "vote_form": forms.get("vote_form") or VoteForm(),
        "minutes_form": forms.get("minutes_form") or MinutesForm(initial={"minutes": meeting.minutes}),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
    }
    counted = queries.item_counts(meeting.items.all())
    context["item_counts"] = counted
    return context


@deliberation_required
@require_GET
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    return render(request, "deliberation/meetings/detail.html", _context(request, meeting))


def _back(meeting, anchor=""):
    return redirect(reverse("deliberation:meeting", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))


@deliberation_required
@require_POST
def meeting_item(request, pk):
    """快速录入: one item, then the list and an empty form (HTMX), the kind and category kept for the next one."""
    meeting = _meeting(request, pk)
    form = ItemForm(request.POST)
    saved = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.do_raise_item(
                meeting,
                actor=request.user,
                kind=data["kind"],
                text=data["text"],
                raised_by=data["raised_by"],
                category=data["category"],
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        except (IllegalTransition, PermissionDenied) as exc:
            form.add_error(None, str(exc))
    if saved is not None:
        # Most items are problems: the type goes back to 问题诉求 after a suggestion; the category stays (a run of
        # items at a 开放日 is often about one thing).
        form = ItemForm(initial={"kind": ItemKind.PROBLEM, "category": request.POST.get("category", "")})
    if request.headers.get("HX-Request"):
        meeting.refresh_from_db()
        context = _context(request, meeting, item_form=form)
        context["just_saved"] = saved
        return render(request, "deliberation/meetings/_items.html", context)
    if saved is None:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        messages.success(request, _("已记录：%(t)s") % {"t": saved.text[:20]})
    return _back(meeting, "items")


FORMS = {
    "topic": (TopicForm, "topic_form", "agenda"),
    "attendee": (AttendeeForm, "attendee_form", "attendance"),
    "tally": (TallyForm, "tally_form", "attendance"),
    "vote": (VoteForm, "vote_form", "votes"),
    "minutes": (MinutesForm, "minutes_form", "minutes"),
    "close": (MinutesForm, "minutes_form", "minutes"),
    "cancel": (CancelForm, "cancel_form", ""),
    "open": (None, None, "agenda"),
    "publish": (None, None, "minutes"),
}


@deliberation_required
@require_POST
def meeting_act(request, pk, verb):
    meeting = _meeting(request, pk)
    if verb not in FORMS:
        return _back(meeting)
    form_class, form_name, anchor = FORMS[verb]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        context = _context(request, meeting, **{form_name: form})
        messages.error(request, _("请检查填写的内容"))
        return render(request, "deliberation/meetings/detail.html", context, status=400)
    data = form.cleaned_data if form is not None else {}
    user = request.user
    try:
        if verb == "topic":
            actions.do_add_topic(meeting, actor=user, title=data["title"], description=data["description"])
        elif verb == "attendee":
            actions.do_register_attendee(
                meeting, actor=user, name=data["name"], role=data["role"], organisation=data["organisation"]
            )
        elif verb == "tally":
            actions.do_set_tally(meeting, actor=user, counts={k: v for k, v in data.items() if v})
        elif verb == "vote":
            vote = actions.do_record_vote(meeting, actor=user, **data)
            messages.success(request, _("表决结果：%(r)s") % {"r": vote.get_result_display()})
        elif verb == "minutes":
            actions.do_save_minutes(meeting, actor=user, minutes=data["minutes"])
            messages.success(request, _("纪要已保存"))
        elif verb == "close":
            actions.do_close(meeting, actor=user, minutes=data["minutes"])
            messages.success(request, _("会议已结束，纪要可打印和公开"))
        elif verb == "cancel":
            actions.do_cancel(meeting, actor=user, reason=data["reason"])
        elif verb == "open":
            actions.do_open(meeting, actor=user)
            messages.success(request, _("会议开始：上次遗留的未办结事项已列入议程"))
        elif verb == "publish":
            actions.do_publish(meeting, actor=user)
            messages.success(request, _("纪要已向居民公开"))
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
            return _back(meeting, anchor)
        apply_action_errors(form, exc)
        for errors in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
            for error in errors:
                messages.error(request, error)
        meeting.refresh_from_db()
        return render(
            request,
            "deliberation/meetings/detail.html",
            _context(request, meeting, **{form_name: form}),
            status=400,
        )
    except (IllegalTransition, PermissionDenied) as exc:
        messages.error(request, str(exc))
    return _back(meeting, anchor)


@deliberation_required
@require_GET
def meeting_qr(request, pk):
    meeting = _meeting(request, pk)
    url = request.build_absolute_uri(reverse("deliberation:sign_in", args=[meeting.token]))
    return HttpResponse(minutes.qr_png(url), content_type="image/png")


@deliberation_required
@require_GET
def meeting_docx(request, pk):
    meeting = _meeting(request, pk)
    response = HttpResponse(
        minutes.docx(meeting),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.docx"'
    return response


@deliberation_required
@require_GET
def meeting_pdf(request, pk):
    meeting = _meeting(request, pk)
    response = HttpResponse(minutes.pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="minutes-{meeting.pk}.pdf"'
    return response


# -- QR sign-in (the participant's phone) -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sign_in(request, token):
    """扫码签到: anyone with an account who scans the code at the meeting; the window and idempotence are the
    action's."""
    meeting = Meeting.objects.select_related("kind", "node").filter(token=token).first()
    if meeting is None:
        return render(request, "deliberation/meetings/sign_in.html", {"missing": True}, status=404)
    result, error = None, None
    if request.method == "POST":
        try:
            attendance, created = actions.do_sign_in(
                meeting, user=request.user, role=request.POST.get("role", "")
            )
            result = {"attendance": attendance, "created": created}
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except (IllegalTransition, PermissionDenied) as exc:
            error = str(exc)
    else:
        existing = meeting.attendance.filter(user=request.user).first()
        if existing:
            result = {"attendance": existing, "created": False}
    return render(
        request,
        "deliberation/meetings/sign_in.html",
        {
            "meeting": meeting,
            "result": result,
            "error": error,
            "roles": ParticipantRole.choices,
            "default_role": actions.meetings.role_of(request.user),
        },
        status=400 if error else 200,
    )


# -- series -------------------------------------------------------------------------------------------------------


@deliberation_required
@require_http_methods(["GET", "POST"])
def series_list(request):
    user = request.user
    can_manage = user.has_cap(Cap.DELIBERATION_MANAGE)
    nodes = list(meeting_nodes(user)) if can_manage else []
    form = SeriesForm(
        request.POST or None,
        nodes=nodes,
        initial={
            "kind": MeetingKind.objects.filter(code="monday").first(),
            "frequency": "weekly",
            "weekday": 0,
            "holiday_policy": "move",
            "start_time": "09:00",
            "end_time": "10:30",
            "starts_on": clock.now().astimezone(TZ).date(),
        },
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("您没有安排例会的权限"))
        if form.is_valid():
            data = dict(form.cleaned_data)
            node = form.nodes[data.pop("node")]
            try:
                series = actions.do_create_series(actor=user, node=node, convenor=user, **data)
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError):
                    apply_action_errors(form, exc)
                else:
                    form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("例会已建立，已排出 %(n)d 次会议") % {"n": series.meetings.count()}
                )
                return redirect("deliberation:series")
    today = clock.now().astimezone(TZ).date()
    series = (
        MeetingSeries.objects.visible_to(user, Cap.DELIBERATION_VIEW)
        .select_related("kind", "node", "convenor")
        .annotate(
            upcoming=Count(
                "meetings", filter=Q(meetings__rule_date__gte=today, meetings__status=MeetingStatus.SCHEDULED)
            ),
            held=Count("meetings", filter=Q(meetings__status=MeetingStatus.CLOSED)),
            missed=Count(
                "meetings",
                filter=Q(meetings__status=MeetingStatus.SCHEDULED, meetings__ends_at__lt=clock.now()),
            ),
        )
    )
    return render(
        request,
        "deliberation/meetings/series.html",
        {"series": series, "form": form, "can_manage": can_manage},
    )


@deliberation_required
@require_http_methods(["GET", "POST"])
def series_edit(request, pk):
    """Change a series' rule: only occurrences still to come and not yet worked on follow the new rule."""
    series = get_visible_or_404(
        MeetingSeries.objects.select_related("kind", "node", "convenor"),
        request.user,
        Cap.DELIBERATION_VIEW,
        pk=pk,
    )
    require_cap(request.user, Cap.DELIBERATION_MANAGE, series.node)
    names = ("title", "place", "frequency", "weekday", "day_of_month", "start_time", "end_time")
    initial = {name: getattr(series, name) for name in names}
    initial.update(holiday_policy=series.holiday_policy, ends_on=series.ends_on, is_active=series.is_active)
    form = SeriesEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_series(series, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_action_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("例会已修改，今后尚未开始的会议已按新规则重排"))
            return redirect("deliberation:series")
    return render(request, "deliberation/meetings/series_edit.html", {"series": series, "form": form})
