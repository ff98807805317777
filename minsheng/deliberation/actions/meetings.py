"""Meetings: series and their occurrences, agenda, sign-in, items, votes, closing and the published minutes.

Each `do_<verb>` checks the state table (an illegal step raises IllegalTransition → 409 / a Chinese message), the
actor's capability at the meeting's node (PermissionDenied → 403), the input (ValidationError → 400 with field
messages), and writes a MeetingEvent — in one transaction, with the meeting row locked where two people act at once
(the convenor closing while a tablet still records items).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.cases.choices import OPEN_STATES
from minsheng.core import clock
from minsheng.core.calendar import TZ, WorkCalendar
from minsheng.core.errors import IllegalTransition

from .. import recurrence, votes
from ..choices import (
    EDITABLE_STATES,
    MEETING_TRANSITIONS,
    Frequency,
    HolidayPolicy,
    ItemKind,
    MeetingStatus,
    ParticipantRole,
    SignInMethod,
    TopicSource,
)
from ..models import (
    AgendaTopic,
    Attendance,
    Item,
    Meeting,
    MeetingEvent,
    MeetingKind,
    MeetingSeries,
    Tally,
    Vote,
)
from .common import clean_item, open_item_case, require

M = MeetingStatus
MANAGE = "deliberation.manage"
RECORD = "deliberation.record"
#: QR sign-in opens this long before the start and stays open this long after the planned end.
SIGN_IN_EARLY = dt.timedelta(minutes=30)
SIGN_IN_LATE = dt.timedelta(minutes=30)
#: How far ahead a series stamps out its occurrences by default.
STAMP_AHEAD_DAYS = 90


# -- plumbing ---------------------------------------------------------------------------------------------------


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("kind", "node").get(pk=meeting.pk)


def _check(meeting: Meeting, verb: str) -> None:
    if meeting.status not in MEETING_TRANSITIONS[verb]:
        raise IllegalTransition(
            _("会议当前状态为“%(status)s”，不能%(verb)s")
            % {"status": meeting.get_status_display(), "verb": VERB_LABELS[verb]}
        )


def _editable(meeting: Meeting, what: str) -> None:
    if meeting.status not in EDITABLE_STATES:
        raise IllegalTransition(
            _("会议已%(status)s，不能再%(what)s") % {"status": meeting.get_status_display(), "what": what}
        )


VERB_LABELS = {
    "open": gettext_lazy("开始会议"),
    "cancel": gettext_lazy("取消"),
    "close": gettext_lazy("结束会议"),
    "publish": gettext_lazy("公开纪要"),
}


def _event(meeting: Meeting, verb: str, actor, *, from_status: str = "", note: str = "", **extra) -> None:
    MeetingEvent.objects.create(
        meeting=meeting,
        created_at=clock.now(),
        verb=verb,
        actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status or meeting.status,
        to_status=meeting.status,
        note=note[:200],
        extra=extra,
    )


def _save(meeting: Meeting, *fields: str) -> None:
    meeting.save(update_fields=[*fields, "updated_at"])


def _clean_roles(roles) -> list[str]:
    roles = list(roles or [])
    unknown = [r for r in roles if r not in ParticipantRole.values]
    if unknown:
        raise ValidationError(
            {"expected_roles": _("未知的参会角色：%(r)s") % {"r": "、".join(map(str, unknown))}}
        )
    return list(dict.fromkeys(roles))


def _local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=TZ)


# -- series and occurrences ---------------------------------------------------------------------------------------

SERIES_FIELDS = (
    "title",
    "place",
    "convenor",
    "expected_roles",
    "frequency",
    "weekday",
    "day_of_month",
    "start_time",
    "end_time",
    "holiday_policy",
    "ends_on",
)


def _clean_series(fields: dict) -> dict:
    errors = {}
    for name in ("title", "place"):
        fields[name] = (fields.get(name) or "").strip()
        if not fields[name]:
            errors[name] = _("请填写%(f)s") % {"f": _("名称") if name == "title" else _("地点")}
    if fields.get("frequency") not in Frequency.values:
        errors["frequency"] = _("请选择周期")
    elif fields["frequency"] == Frequency.WEEKLY:
        if fields.get("weekday") is None or not 0 <= int(fields["weekday"]) <= 6:
            errors["weekday"] = _("每周举行的例会请选择星期几")
        fields["day_of_month"] = None
    else:
        if fields.get("day_of_month") is None or not 1 <= int(fields["day_of_month"]) <= 31:
            errors["day_of_month"] = _("每月举行的例会请填写1–31之间的日期")
        fields["weekday"] = None
    if fields.get("holiday_policy") not in HolidayPolicy.values:
        errors["holiday_policy"] = _("请选择遇节假日的处理方式")
    start, end = fields.get("start_time"), fields.get("end_time")
    if start is None or end is None or end <= start:
        errors["end_time"] = _("结束时间必须晚于开始时间")
    if fields.get("convenor") is None:
        errors["convenor"] = _("请选择召集人")
    if errors:
        raise ValidationError(errors)
    fields["expected_roles"] = _clean_roles(fields.get("expected_roles"))
    return fields


@transaction.atomic
def do_create_series(
    *,
    actor,
    kind: MeetingKind,
    node,
    title: str,
    place: str,
    convenor,
    frequency: str,
    start_time: dt.time,
    end_time: dt.time,
    starts_on: dt.date,
    weekday: int | None = None,
    day_of_month: int | None = None,
    holiday_policy: str = HolidayPolicy.MOVE,
    expected_roles=None,
    ends_on: dt.date | None = None,
    stamp_until: dt.date | None = None,
) -> MeetingSeries:
    """A recurring meeting at a node, and its occurrences of the next months stamped out."""
    require(actor, MANAGE, node)
    fields = _clean_series(
        {
            "title": title,
            "place": place,
            "convenor": convenor,
            "expected_roles": kind.default_roles if expected_roles is None else expected_roles,
            "frequency": frequency,
            "weekday": weekday,
            "day_of_month": day_of_month,
            "start_time": start_time,
            "end_time": end_time,
            "holiday_policy": holiday_policy,
            "ends_on": ends_on,
        }
    )
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("截止日期不能早于起始日期")})
    series = MeetingSeries.objects.create(kind=kind, node=node, starts_on=starts_on, **fields)
    do_stamp(series, actor=actor, until=stamp_until)
    return series


@transaction.atomic
def do_update_series(series: MeetingSeries, *, actor, **changes) -> MeetingSeries:
    """Edit the rule: occurrences still to come and not yet begun are re-stamped; held ones keep what they were."""
    require(actor, MANAGE, series.node)
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    unknown = set(changes) - set(SERIES_FIELDS) - {"is_active"}
    if unknown:
        raise ValidationError({"__all__": _("不能修改：%(f)s") % {"f": "、".join(sorted(unknown))}})
    fields = {name: changes.get(name, getattr(series, name)) for name in SERIES_FIELDS}
    fields = _clean_series(fields)
    for name, value in fields.items():
        setattr(series, name, value)
    if "is_active" in changes:
        series.is_active = bool(changes["is_active"])
    series.save()
    now = clock.now()
    future = series.meetings.filter(status=M.SCHEDULED, starts_at__gt=now)
    # An occurrence somebody already worked on (a resident's topic, a sign-in) is kept as it is.
    untouched = future.annotate(n=Count("topics") + Count("attendance") + Count("items")).filter(n=0)
    last = future.order_by("-rule_date").values_list("rule_date", flat=True).first()
    Meeting.objects.filter(pk__in=list(untouched.values_list("pk", flat=True))).delete()
    if series.is_active:
        do_stamp(series, actor=actor, until=last)
    return series


@transaction.atomic
def do_stamp(series: MeetingSeries, *, actor, until: dt.date | None = None) -> list[Meeting]:
    """Create the occurrences due up to `until` that do not exist yet (idempotent: one per series and rule date)."""
    if actor is not None:
        require(actor, MANAGE, series.node)
    today = clock.now().astimezone(TZ).date()
    until = until or today + dt.timedelta(days=STAMP_AHEAD_DAYS)
    if not series.is_active:
        return []
    existing = set(series.meetings.values_list("rule_date", flat=True))
    created = []
    for rule_day, day in recurrence.occurrences(series, max(today, series.starts_on), until, WorkCalendar()):
        if rule_day in existing:
            continue
        meeting = Meeting.objects.create(
            kind=series.kind,
            series=series,
            rule_date=rule_day,
            node=series.node,
            title=series.title,
            place=series.place,
            convenor=series.convenor,
            expected_roles=series.expected_roles,
            starts_at=_local(day, series.start_time),
            ends_at=_local(day, series.end_time),
        )
        note = _("遇节假日顺延") if day != rule_day else ""
        _event(meeting, "stamp", actor, from_status="", note=note, rule_date=rule_day.isoformat())
        created.append(meeting)
    return created


@transaction.atomic
def do_create_meeting(
    *,
    actor,
    kind: MeetingKind,
    node,
    title: str,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    convenor=None,
    expected_roles=None,
) -> Meeting:
    """A one-off meeting (a 四方联席会议 called for one problem, a 马扎议事会 in a courtyard)."""
    require(actor, MANAGE, node)
    errors = {}
    title, place = (title or "").strip(), (place or "").strip()
    if not title:
        errors["title"] = _("请填写会议名称")
    if not place:
        errors["place"] = _("请填写会议地点")
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        errors["ends_at"] = _("结束时间必须晚于开始时间")
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        kind=kind,
        node=node,
        title=title[:100],
        place=place[:100],
        convenor=convenor or actor,
        expected_roles=_clean_roles(kind.default_roles if expected_roles is None else expected_roles),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    _event(meeting, "create", actor, from_status="")
    return meeting


@transaction.atomic
def do_cancel(meeting: Meeting, *, actor, reason: str) -> Meeting:
    require(actor, MANAGE, meeting.node)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写取消原因")})
    meeting = _locked(meeting)
    _check(meeting, "cancel")
    old = meeting.status
    meeting.status = M.CANCELLED
    meeting.cancel_reason = reason[:200]
    _save(meeting, "status", "cancel_reason")
    _event(meeting, "cancel", actor, from_status=old, note=reason)
    return meeting


# -- agenda ------------------------------------------------------------------------------------------------------


def open_items_before(meeting: Meeting):
    """Problems raised at earlier meetings at the same place whose case is still open (反馈落实情况)."""
    return (
        Item.objects.filter(
            meeting__node=meeting.node,
            meeting__starts_at__lt=meeting.starts_at,
            kind=ItemKind.PROBLEM,
            case__status__in=OPEN_STATES,
        )
        .exclude(meeting=meeting)
        .select_related("case", "meeting")
        .order_by("raised_at", "pk")
    )


@transaction.atomic
def do_carry_over(meeting: Meeting, *, actor) -> int:
    """Put every still-open item of earlier meetings at this place on the agenda (once each)."""
    meeting = _locked(meeting)
    _editable(meeting, _("调整议程"))
    already = set(meeting.topics.exclude(carried_item=None).values_list("carried_item_id", flat=True))
    added = 0
    for item in open_items_before(meeting):
        if item.pk in already:
            continue
        AgendaTopic.objects.create(
            meeting=meeting,
            source=TopicSource.CARRIED,
            title=item.text[:100],
            carried_item=item,
            proposer_name=item.raised_by,
        )
        added += 1
    if added:
        _event(meeting, "carry_over", actor, note=_("带入遗留事项%(n)d项") % {"n": added}, count=added)
    return added


def _clean_topic(title: str, description: str) -> tuple[str, str]:
    title, description = (title or "").strip(), (description or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写议题")
    elif len(title) > 100:
        errors["title"] = _("议题不能超过100字")
    if len(description) > 2000:
        errors["description"] = _("说明不能超过2000字")
    if errors:
        raise ValidationError(errors)
    return title, description


@transaction.atomic
def do_add_topic(meeting: Meeting, *, actor, title: str, description: str = "") -> AgendaTopic:
    require(actor, MANAGE, meeting.node)
    title, description = _clean_topic(title, description)
    meeting = _locked(meeting)
    _editable(meeting, _("调整议程"))
    topic = AgendaTopic.objects.create(
        meeting=meeting,
        source=TopicSource.STAFF,
        title=title,
        description=description,
        proposed_by=actor,
        proposer_name=str(actor),
    )
    _event(meeting, "add_topic", actor, note=title)
    return topic


@transaction.atomic
def do_propose_topic(
    meeting: Meeting, *, user, title: str, description: str = "", name: str = ""
) -> AgendaTopic:
    """议题征集: a resident of the place puts a topic on an upcoming meeting; the convenor hears of it."""
    from minsheng.core import notifications

    title, description = _clean_topic(title, description)
    meeting = _locked(meeting)
    if meeting.status != M.SCHEDULED or meeting.starts_at <= clock.now():
        raise IllegalTransition(_("该会议已开始或已结束，不再征集议题"))
    topic = AgendaTopic.objects.create(
        meeting=meeting,
        source=TopicSource.RESIDENT,
        title=title,
        description=description,
        proposed_by=user,
        proposer_name=(name or "").strip()[:50] or _("居民"),
    )
    _event(meeting, "propose_topic", user, note=title)
    notifications.notify(
        meeting.convenor,
        title=_("居民提出议题：%(t)s") % {"t": title},
        body=meeting.title,
        link=f"/deliberation/meetings/{meeting.pk}/",
        kind="deliberation",
        source=meeting,
    )
    return topic


# -- the meeting itself ----------------------------------------------------------------------------------------


@transaction.atomic
def do_open(meeting: Meeting, *, actor) -> Meeting:
    """开始会议: the open items of earlier meetings at this place come onto the agenda first."""
    require(actor, MANAGE, meeting.node)
    meeting = _locked(meeting)
    _check(meeting, "open")
    old = meeting.status
    meeting.status = M.IN_PROGRESS
    meeting.opened_at = clock.now()
    _save(meeting, "status", "opened_at")
    _event(meeting, "open", actor, from_status=old)
    do_carry_over(meeting, actor=actor)
    return meeting


def role_of(user) -> str:
    """The participant role a staff account signs in as by default (a resident signs in as 居民)."""
    from minsheng.accounts.choices import Role

    mapping = {
        Role.COMMUNITY_WORKER: ParticipantRole.COMMUNITY_WORKER,
        Role.GRID_WORKER: ParticipantRole.GRID_WORKER,
        Role.PROPERTY_STAFF: ParticipantRole.PROPERTY_MANAGER,
        Role.STREET_ADMIN: ParticipantRole.OTHER,
        Role.STREET_LEADER: ParticipantRole.OTHER,
        Role.STREET_CADRE: ParticipantRole.OTHER,
    }
    for membership in user.active_memberships:
        if membership.role in mapping:
            return mapping[membership.role]
    return ParticipantRole.RESIDENT


def in_window(meeting: Meeting, moment: dt.datetime) -> bool:
    return meeting.starts_at - SIGN_IN_EARLY <= moment <= meeting.ends_at + SIGN_IN_LATE


@transaction.atomic
def do_sign_in(meeting: Meeting, *, user, role: str = "") -> tuple[Attendance, bool]:
    """扫码签到 on the participant's own phone. Signing in twice changes nothing and says so (idempotent)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("请先登录再签到"))
    meeting = _locked(meeting)
    existing = meeting.attendance.filter(user=user).first()
    if existing is not None:
        return existing, False
    _editable(meeting, _("签到"))
    now = clock.now()
    if not in_window(meeting, now):
        raise ValidationError(
            {
                "signed_at": _("不在签到时间内：签到时间为会议开始前30分钟至结束后30分钟（%(s)s–%(e)s）")
                % {
                    "s": f"{(meeting.starts_at - SIGN_IN_EARLY).astimezone(TZ):%m-%d %H:%M}",
                    "e": f"{(meeting.ends_at + SIGN_IN_LATE).astimezone(TZ):%H:%M}",
                }
            }
        )
    role = role or role_of(user)
    if role not in ParticipantRole.values:
        raise ValidationError({"role": _("未知的参会身份")})
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                meeting=meeting,
                user=user,
                name=str(user)[:50],
                role=role,
                method=SignInMethod.QR,
                signed_at=now,
            )
    except IntegrityError:  # the same phone twice at once: the other request signed in
        return meeting.attendance.get(user=user), False
    return attendance, True


@transaction.atomic
def do_register_attendee(
    meeting: Meeting, *, actor, role: str, name: str = "", user=None, organisation: str = ""
) -> Attendance:
    """The convenor signs somebody in: a registered account, or a guest outside the registry by name."""
    require(actor, RECORD, meeting.node)
    errors = {}
    if role not in ParticipantRole.values:
        errors["role"] = _("请选择参会身份")
    name = (name or (str(user) if user else "")).strip()
    if not name:
        errors["name"] = _("请填写参会人姓名")
    if errors:
        raise ValidationError(errors)
    meeting = _locked(meeting)
    _editable(meeting, _("登记参会人员"))
    if user is not None:
        existing = meeting.attendance.filter(user=user).first()
        if existing is not None:
            return existing
    attendance = Attendance.objects.create(
        meeting=meeting,
        user=user,
        name=name[:50],
        role=role,
        organisation=(organisation or "").strip()[:100],
        method=SignInMethod.CONVENOR if user is not None else SignInMethod.GUEST,
        signed_at=clock.now(),
    )
    _event(meeting, "attendee", actor, note=name)
    return attendance


def _clean_tally(counts) -> dict[str, int]:
    clean = {}
    for role, n in dict(counts or {}).items():
        if role not in ParticipantRole.values:
            raise ValidationError({"tally": _("未知的参会身份：%(r)s") % {"r": role}})
        try:
            n = int(n)
        except (TypeError, ValueError):
            raise ValidationError({"tally": _("人数必须是整数")}) from None
        if n < 0 or n > 100000:
            raise ValidationError({"tally": _("人数必须在0–100000之间")})
        if n:
            clean[role] = n
    return clean


@transaction.atomic
def do_set_tally(meeting: Meeting, *, actor, counts: dict) -> Meeting:
    """People counted but not signed in one by one, by role (the passers-by of a 开放日)."""
    require(actor, RECORD, meeting.node)
    counts = _clean_tally(counts)
    meeting = _locked(meeting)
    _editable(meeting, _("修改人数"))
    meeting.tallies.all().delete()
    Tally.objects.bulk_create([Tally(meeting=meeting, role=role, count=n) for role, n in counts.items()])
    _event(meeting, "tally", actor, **counts)
    return meeting


def headcount(meeting: Meeting) -> dict[str, int]:
    """People at the meeting by role: those signed in plus the tallied ones."""
    counts = dict(meeting.tallies.values_list("role", "count"))
    for row in meeting.attendance.values("role").annotate(n=Count("pk")):
        counts[row["role"]] = counts.get(row["role"], 0) + row["n"]
    return counts


@transaction.atomic
def do_raise_item(
    meeting: Meeting,
    *,
    actor,
    kind: str,
    text: str,
    category=None,
    raised_by: str = "",
    reporter_phone: str = "",
) -> Item:
    """One item raised at the meeting; a problem becomes a case with the meeting kind's channel at once."""
    require(actor, RECORD, meeting.node)
    text = clean_item(kind, text)
    meeting = _locked(meeting)
    _editable(meeting, _("记录事项"))
    item = Item.objects.create(
        meeting=meeting,
        node=meeting.node,
        kind=kind,
        text=text,
        raised_by=(raised_by or "").strip()[:50],
        category=category,
        recorded_by=actor,
        raised_at=clock.now(),
    )
    if kind == ItemKind.PROBLEM:
        open_item_case(item, actor=actor, channel=meeting.kind.channel, reporter_phone=reporter_phone)
    return item


@transaction.atomic
def do_record_vote(
    meeting: Meeting,
    *,
    actor,
    subject: str,
    matter: str,
    total_area,
    total_owners: int,
    participating_area,
    participating_owners: int,
    yes_area,
    yes_owners: int,
) -> Vote:
    """An owners' vote: the counts are recorded, the result follows 民法典 第278条."""
    require(actor, MANAGE, meeting.node)
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("请填写表决事项")})
    counts = {
        "total_area": total_area,
        "total_owners": total_owners,
        "participating_area": participating_area,
        "participating_owners": participating_owners,
        "yes_area": yes_area,
        "yes_owners": yes_owners,
    }
    outcome = votes.result(matter, **counts)
    meeting = _locked(meeting)
    _editable(meeting, _("记录表决"))
    vote = Vote.objects.create(
        meeting=meeting, subject=subject[:200], matter=matter, result=outcome, recorded_by=actor, **counts
    )
    _event(meeting, "vote", actor, note=subject, result=outcome)
    return vote


@transaction.atomic
def do_save_minutes(meeting: Meeting, *, actor, minutes: str) -> Meeting:
    require(actor, MANAGE, meeting.node)
    meeting = _locked(meeting)
    _editable(meeting, _("修改纪要"))
    meeting.minutes = (minutes or "").strip()[:20000]
    _save(meeting, "minutes")
    return meeting


@transaction.atomic
def do_close(meeting: Meeting, *, actor, minutes: str | None = None) -> Meeting:
    """结束会议: only with minutes written and a headcount; afterwards the record is fixed."""
    require(actor, MANAGE, meeting.node)
    meeting = _locked(meeting)
    _check(meeting, "close")
    if minutes is not None:
        meeting.minutes = minutes.strip()[:20000]
    errors = {}
    if not meeting.minutes.strip():
        errors["minutes"] = _("请先填写会议纪要，再结束会议")
    if sum(headcount(meeting).values()) == 0:
        errors["headcount"] = _("还没有参会人数：请签到或登记各方参会人数，再结束会议")
    if errors:
        raise ValidationError(errors)
    old = meeting.status
    meeting.status = M.CLOSED
    meeting.closed_at = clock.now()
    _save(meeting, "status", "closed_at", "minutes")
    _event(meeting, "close", actor, from_status=old, headcount=headcount(meeting))
    return meeting


@transaction.atomic
def do_publish(meeting: Meeting, *, actor) -> Meeting:
    """纪要公开: residents of the place see the minutes and what became of each item on their phone."""
    require(actor, MANAGE, meeting.node)
    meeting = _locked(meeting)
    _check(meeting, "publish")
    if meeting.minutes_published:
        return meeting
    meeting.minutes_published = True
    meeting.published_at = clock.now()
    _save(meeting, "minutes_published", "published_at")
    _event(meeting, "publish", actor)
    return meeting
