"""Events, registrations, the waiting list, door check-in, the open-air head count, closing with a summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.core import clock
from minsheng.core.errors import IllegalTransition

from ..choices import (
    ACTIVE_REGISTRATION_STATES,
    OPEN_EVENT_STATES,
    CheckInMethod,
    EventStatus,
    OrganiserKind,
    RegistrationSource,
    RegistrationStatus,
)
from ..models import CheckIn, Event, EventKind, EventPhoto, Registration, Series, Venue
from ._common import log, new_code, normalise_code, notify_after_commit, require

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import Model
    from models import DualUnit

    from minsheng.accounts.models import User
    from minsheng.org.models import Node, Resident


ES = EventStatus
RS = RegistrationStatus

#: The door opens this long before the start: people queue early.
CHECKIN_OPENS_BEFORE = dt.timedelta(hours=2)
MAX_PHOTOS = 9


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("node", "kind").get(pk=event.pk)


def _hosted(event: Event) -> bool:
    return bool(event.host_type_id)


def _kind(kind: EventKind | str) -> EventKind:
    if isinstance(kind, EventKind):
        return kind
    try:
        return EventKind.by_code(str(kind))
    except EventKind.DoesNotExist:
        raise ValidationError({"kind": _("没有这个活动类型：%(code)s") % {"code": kind}}) from None


def _h5_link(event: Event) -> str:
    return f"/h5/activities/{event.pk}/"


# -- events ------------------------------------------------------------------------------------------------


@transaction.atomic
def do_create_event(
    *,
    actor: User | None,
    kind: EventKind | str,
    title: str,
    node: Node,
    start: dt.datetime,
    end: dt.datetime,
    capacity: int | None = None,
    venue: Venue | None = None,
    place: str = "",
    host: Model | None = None,
    organiser_kind: str | None = None,
    organiser_name: str = "",
    audience: str = "",
    description: str = "",
    public: bool = True,
    open_air: bool | None = None,
    series: Series | None = None,
    unit: DualUnit | None = None,
    publish: bool = True,
) -> Event:
    kind = _kind(kind)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写活动名称")
    if start is None or end is None:
        errors["start"] = _("请填写开始和结束时间")
    elif end < start:
        errors["end"] = _("结束时间不能早于开始时间")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("名额至少为 1，不限名额请留空")
    if venue is not None and not venue.is_active:
        errors["venue"] = _("该场地已停用")
    if host is not None and getattr(host, "pk", None) is None:
        errors["host"] = _("业务记录尚未保存")
    if organiser_kind is not None and organiser_kind not in OrganiserKind.values:
        errors["organiser_kind"] = _("主办方类型无效")
    if errors:
        raise ValidationError(errors)
    require(actor, Cap.ACTIVITIES_MANAGE, node, host_vouches=host is not None)
    if organiser_kind is None:
        if host is not None:
            organiser_kind = OrganiserKind.HOST
        elif unit is not None:
            organiser_kind = OrganiserKind.DUAL_UNIT
        else:
            organiser_kind = OrganiserKind.COMMUNITY
    if not organiser_name and unit is not None:
        organiser_name = unit.name
    event = Event(
        title=title[:120],
        kind=kind,
        node=node,
        venue=venue,
        place=place[:200],
        series=series,
        unit=unit,
        organiser_kind=organiser_kind,
        organiser_name=(organiser_name or node.name)[:100],
        description=description,
        audience=audience[:100],
        capacity=capacity,
        public=public,
        open_air=venue.open_air if open_air is None and venue is not None else bool(open_air),
        start=start,
        end=end,
        status=ES.PUBLISHED if publish else ES.DRAFT,
        created_by=actor,
    )
    if host is not None:
        event.host_type = ContentType.objects.get_for_model(host)
        event.host_id = str(host.pk)
    event.full_clean(exclude=["host_type", "created_by", "node", "kind", "venue", "series", "unit"])
    event.save()
    log(event, "created", actor, note=title)
    return event


@transaction.atomic
def do_publish_event(event: Event, *, actor: User | None) -> Event:
    event = _locked(event)
    require(actor, Cap.ACTIVITIES_MANAGE, event.node, host_vouches=_hosted(event))
    if event.status != ES.DRAFT:
        raise IllegalTransition(_("只有草稿可以发布"))
    event.status = ES.PUBLISHED
    event.save(update_fields=["status", "updated_at"])
    log(event, "published", actor, from_status=ES.DRAFT)
    return event


@transaction.atomic
def do_update_event(event: Event, *, actor: User | None, **changes: Any) -> Event:
    """Change what residents read (title, time, place, capacity …). A larger capacity moves the waiting list up."""
    allowed = {"title", "description", "audience", "start", "end", "venue", "place", "capacity", "public"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({"__all__": _("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))}})
    event = _locked(event)
    require(actor, Cap.ACTIVITIES_MANAGE, event.node, host_vouches=_hosted(event))
    if event.status not in (ES.DRAFT, ES.PUBLISHED):
        raise IllegalTransition(_("活动已结束或已取消，不能修改"))
    for name, value in changes.items():
        setattr(event, name, value)
    if event.end < event.start:
        raise ValidationError({"end": _("结束时间不能早于开始时间")})
    if event.capacity is not None and event.capacity < 1:
        raise ValidationError({"capacity": _("名额至少为 1，不限名额请留空")})
    if not (event.title or "").strip():
        raise ValidationError({"title": _("请填写活动名称")})
    event.save(update_fields=[*changes, "updated_at"])
    log(event, "updated", actor, fields=sorted(changes))
    _promote(event, actor)
    return event


@transaction.atomic
def do_cancel_event(event: Event, *, actor: User | None, reason: str) -> Event:
    event = _locked(event)
    require(actor, Cap.ACTIVITIES_MANAGE, event.node, host_vouches=_hosted(event))
    if event.status not in (ES.DRAFT, ES.PUBLISHED):
        raise IllegalTransition(_("活动已结束或已取消"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明取消原因")})
    before = event.status
    event.status = ES.CANCELLED
    event.cancel_reason = reason[:200]
    event.save(update_fields=["status", "cancel_reason", "updated_at"])
    log(event, "cancelled", actor, from_status=before, note=reason)
    users = [
        r.user for r in event.registrations.filter(status__in=ACTIVE_REGISTRATION_STATES, user__isnull=False)
    ]
    notify_after_commit(
        users,
        title=_("活动已取消：%(t)s") % {"t": event.title},
        body=reason,
        link=_h5_link(event),
        source=event,
    )
    return event


@transaction.atomic
def do_record_headcount(event: Event, *, actor: User | None, count: int, note: str = "") -> Event:
    """An open-air crowd nobody can scan: a counted or estimated figure, kept apart from check-in person-times."""
    event = _locked(event)
    require(actor, Cap.ACTIVITIES_CHECKIN, event.node, host_vouches=_hosted(event))
    if not event.open_air:
        raise IllegalTransition(_("只有露天活动登记现场估算人数；室内活动以签到为准"))
    if event.status not in (ES.PUBLISHED, ES.CLOSED):
        raise IllegalTransition(_("活动未发布或已取消"))
    if count is None or int(count) < 0:
        raise ValidationError({"count": _("人数不能为负数")})
    event.headcount = int(count)
    event.headcount_note = (note or "")[:200]
    event.save(update_fields=["headcount", "headcount_note", "updated_at"])
    log(event, "headcount", actor, note=note, count=int(count))
    return event


@transaction.atomic
def do_close_event(
    event: Event, *, actor: User | None, summary: str, photos: Iterable[UploadedFile[bytes]] = ()
) -> Event:
    """After the event: a summary and photos (宣传留痕); registration and check-in stop."""
    from minsheng.cases.attachments import validate_upload

    event = _locked(event)
    require(actor, Cap.ACTIVITIES_MANAGE, event.node, host_vouches=_hosted(event))
    if event.status != ES.PUBLISHED:
        raise IllegalTransition(_("只有已发布的活动可以结束"))
    if clock.now() < event.start:
        raise IllegalTransition(_("活动尚未开始，不能结束"))
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("请填写活动总结")})
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS}})
    for f in photos:
        mime = validate_upload(f)
        if not mime.startswith("image/"):
            raise ValidationError({"photos": _("“%(name)s”不是图片") % {"name": f.name}})
    event.status = ES.CLOSED
    event.summary = summary
    event.closed_at = clock.now()
    event.save(update_fields=["status", "summary", "closed_at", "updated_at"])
    for f in photos:
        EventPhoto.objects.create(event=event, file=f, name=(f.name or "")[:200], uploaded_by=actor)
    log(event, "closed", actor, from_status=ES.PUBLISHED, photos=len(photos))
    return event


# -- registrations -------------------------------------------------------------------------------------------


def _person(person: User | Resident | None, name: str, phone: str, organisation: str) -> dict[str, Any]:
    """Who registers: an account, a registry resident, or a named person — and the key that identifies them."""
    from minsheng.accounts.models import User
    from minsheng.org.models import Resident

    phone = (phone or "").strip()
    organisation = (organisation or "").strip()
    name = (name or "").strip()
    if isinstance(person, User):
        resident = Resident.objects.filter(user=person).first()
        return {
            "user": person,
            "resident": resident,
            "name": name or str(person),
            "phone": phone or person.phone or "",
            "organisation": organisation,
            "person_key": f"u:{person.pk}",
        }
    if isinstance(person, Resident):
        key = f"u:{person.user_id}" if person.user_id else f"r:{person.pk}"
        return {
            "user": person.user if person.user_id else None,
            "resident": person,
            "name": name or person.name,
            "phone": phone or person.phone,
            "organisation": organisation,
            "person_key": key,
        }
    if person is not None:
        raise ValidationError({"person": _("报名人必须是居民账号或居民档案")})
    if not name:
        raise ValidationError({"name": _("请填写报名人姓名")})
    key = f"p:{phone}" if phone else f"n:{name}|{organisation}"
    return {
        "user": None,
        "resident": None,
        "name": name,
        "phone": phone,
        "organisation": organisation,
        "person_key": key[:120],
    }


def _may_register_others(actor: User, event: Event) -> bool:
    return actor.has_cap(Cap.ACTIVITIES_MANAGE, node=event.node) or actor.has_cap(
        Cap.ACTIVITIES_CHECKIN, node=event.node
    )


def _seats_taken(event: Event) -> int:
    return event.registrations.filter(status=RS.CONFIRMED).count()


def _has_seat(event: Event) -> bool:
    return event.capacity is None or _seats_taken(event) < event.capacity


def _unique_token() -> str:
    while True:
        token = new_code()
        if not Registration.objects.filter(token=token).exists():
            return token


@transaction.atomic
def do_register(
    event: Event,
    *,
    actor: User | None,
    person: User | Resident | None = None,
    name: str = "",
    phone: str = "",
    organisation: str = "",
    source: str | None = None,
    note: str = "",
) -> Registration:
    event = _locked(event)
    who = _person(
        person if person is not None else (actor if not (name or phone) else None), name, phone, organisation
    )
    self_service = actor is not None and who["user"] is not None and who["user"].pk == actor.pk
    if self_service:
        if not event.public and not _hosted(event):
            raise PermissionDenied(_("该活动不接受居民自行报名"))
    elif actor is not None and not _hosted(event) and not _may_register_others(actor, event):
        raise PermissionDenied(_("您没有为他人报名的权限"))
    if event.status not in OPEN_EVENT_STATES:
        raise IllegalTransition(_("活动未发布、已结束或已取消，不能报名"))
    now = clock.now()
    if now > event.end:
        raise IllegalTransition(_("活动已经结束，不能报名"))
    existing = event.registrations.filter(
        person_key=who["person_key"], status__in=ACTIVE_REGISTRATION_STATES
    ).first()
    if existing is not None:
        return existing  # a double tap on 报名 is one registration
    if source is None:
        source = (
            RegistrationSource.H5
            if self_service
            else (RegistrationSource.HOST if _hosted(event) else RegistrationSource.STAFF)
        )
    status = RS.CONFIRMED if _has_seat(event) else RS.WAITLISTED
    registration = Registration.objects.create(
        event=event,
        status=status,
        source=source,
        token=_unique_token(),
        registered_at=now,
        note=(note or "")[:200],
        **who,
    )
    log(event, "registered", actor, note=registration.name, registration=registration.pk, status=status)
    if status == RS.CONFIRMED:
        title = _("报名成功：%(t)s") % {"t": event.title}
    else:
        title = _("名额已满，您已进入候补：%(t)s") % {"t": event.title}
    notify_after_commit([who["user"]], title=title, link=_h5_link(event), source=event)
    return registration


def _promote(event: Event, actor: User | None) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served (the caller holds the event lock)."""
    if event.status not in OPEN_EVENT_STATES:
        return []
    waiting = event.registrations.filter(status=RS.WAITLISTED).order_by("registered_at", "pk")
    if event.capacity is not None:
        free = event.capacity - _seats_taken(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    now = clock.now()
    for registration in promoted:
        registration.status = RS.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        log(event, "promoted", actor, note=registration.name, registration=registration.pk)
        notify_after_commit(
            [registration.user],
            title=_("候补转正：%(t)s") % {"t": event.title},
            body=_("有人取消报名，您已获得名额。"),
            link=_h5_link(event),
            source=event,
        )
    return promoted


@transaction.atomic
def do_cancel_registration(registration: Registration, *, actor: User | None, note: str = "") -> Registration:
    event = _locked(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    own = actor is not None and registration.user_id == actor.pk
    if not own:
        require(actor, Cap.ACTIVITIES_MANAGE, event.node, host_vouches=_hosted(event))
    if registration.status not in ACTIVE_REGISTRATION_STATES:
        raise IllegalTransition(_("该报名已取消"))
    if CheckIn.objects.filter(registration=registration).exists():
        raise IllegalTransition(_("已签到，不能取消报名"))
    before = registration.status
    registration.status = RS.CANCELLED
    registration.cancelled_at = clock.now()
    registration.note = (note or registration.note)[:200]
    registration.save(update_fields=["status", "cancelled_at", "note", "updated_at"])
    log(event, "registration_cancelled", actor, note=registration.name, registration=registration.pk)
    if before == RS.CONFIRMED:
        _promote(event, actor)
    return registration


# -- check-in ------------------------------------------------------------------------------------------------


@transaction.atomic
def do_check_in(
    event: Event,
    *,
    actor: User | None,
    token: str | None = None,
    registration: Registration | None = None,
    method: str | None = None,
) -> tuple[CheckIn, bool]:
    """Check one registration in: `(check_in, created)`. A second scan of the same code returns the first
    check-in with `created=False`, so person-times count each registration once."""
    event = _locked(event)
    require(actor, Cap.ACTIVITIES_CHECKIN, event.node, host_vouches=_hosted(event))
    if registration is None:
        code = normalise_code(token or "")
        if not code:
            raise ValidationError({"token": _("请扫码或输入签到码")})
        registration = Registration.objects.filter(token=code).first()
        if registration is None:
            raise ValidationError({"token": _("签到码 %(c)s 无效") % {"c": code}})
        method = method or CheckInMethod.SCAN
    else:
        registration = Registration.objects.get(pk=registration.pk)
        method = method or CheckInMethod.MANUAL
    if registration.event_id != event.pk:
        raise ValidationError({"token": _("该签到码不属于本活动（%(t)s）") % {"t": registration.event.title}})
    existing = CheckIn.objects.filter(registration=registration).first()
    if existing is not None:
        return existing, False
    if event.status != ES.PUBLISHED:
        raise IllegalTransition(_("活动未发布、已结束或已取消，不能签到"))
    now = clock.now()
    if now < event.start - CHECKIN_OPENS_BEFORE:
        raise IllegalTransition(_("签到尚未开始（活动开始前两小时开放）"))
    if registration.status == RS.CANCELLED:
        raise IllegalTransition(_("该报名已取消"))
    if registration.status == RS.WAITLISTED:
        if not _has_seat(event):
            raise IllegalTransition(_("候补中，名额已满，不能签到"))
        registration.status = RS.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at", "updated_at"])
        log(event, "promoted", actor, note=registration.name, registration=registration.pk, at_door=True)
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                event=event,
                registration=registration,
                person_key=registration.person_key,
                checked_in_at=now,
                method=method,
                by=actor,
            )
    except IntegrityError:  # the same code scanned at two doors at once
        return CheckIn.objects.get(registration=registration), False
    return checkin, True


# -- bulk attendance ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_record_attendance(
    event: Event,
    *,
    actor: User | None,
    people: Iterable[User | Resident | dict[str, Any]],
    method: str = CheckInMethod.BULK,
) -> int:
    """签到表补录: record a paper sign-in sheet (or a turnstile's list) after the fact — each person registered and
    checked in once, in a few statements however long the list. Capacity does not apply: these people came.

    `people` are accounts, registry residents or dicts {name, phone, organisation, at}; `at` is the check-in time
    (default now). A person already checked in is skipped, one registered but not checked in is checked in, so the
    same sheet recorded twice counts once. Returns the number of new check-ins.
    """
    event = _locked(event)
    require(actor, Cap.ACTIVITIES_CHECKIN, event.node, host_vouches=_hosted(event))
    if event.status != ES.PUBLISHED:
        raise IllegalTransition(_("活动未发布、已结束或已取消，不能补录签到"))
    now = clock.now()
    wanted: dict[str, tuple[dict[str, Any], dt.datetime]] = {}
    for person in people:
        if isinstance(person, dict):
            at = person.get("at") or now
            who = _person(
                None, person.get("name", ""), person.get("phone", ""), person.get("organisation", "")
            )
        else:
            at = now
            who = _person(person, "", "", "")
        wanted.setdefault(who["person_key"], (who, at))
    if not wanted:
        return 0
    existing = {
        r.person_key: r
        for r in event.registrations.filter(status__in=ACTIVE_REGISTRATION_STATES).select_related("checkin")
    }
    tokens = _fresh_tokens(sum(1 for key in wanted if key not in existing))
    new_regs = []
    for key, (who, at) in wanted.items():
        if key in existing:
            continue
        new_regs.append(
            Registration(
                event=event,
                status=RS.CONFIRMED,
                source=RegistrationSource.IMPORT,
                token=tokens.pop(),
                registered_at=min(at, now),
                created_at=now,
                updated_at=now,
                **who,
            )
        )
    Registration.objects.bulk_create(new_regs, batch_size=500)
    regs = {
        r.person_key: r
        for r in event.registrations.filter(
            person_key__in=list(wanted), status__in=ACTIVE_REGISTRATION_STATES
        )
    }
    done = set(CheckIn.objects.filter(event=event).values_list("registration_id", flat=True))
    checkins = []
    for key, (_who, at) in wanted.items():
        registration = regs.get(key)
        if registration is None or registration.pk in done:
            continue
        checkins.append(
            CheckIn(
                event=event,
                registration=registration,
                person_key=key,
                checked_in_at=at,
                method=method,
                by=actor,
                created_at=now,
                updated_at=now,
            )
        )
    CheckIn.objects.bulk_create(checkins, batch_size=500)
    waiting = [
        r.pk
        for r in regs.values()
        if r.status == RS.WAITLISTED and r.pk in {c.registration_id for c in checkins}
    ]
    if waiting:  # people on the waiting list who came anyway are no longer waiting
        Registration.objects.filter(pk__in=waiting).update(status=RS.CONFIRMED, promoted_at=now)
    log(event, "attendance", actor, note=_("补录签到 %(n)d 人次") % {"n": len(checkins)}, count=len(checkins))
    return len(checkins)


def _fresh_tokens(n: int) -> list[str]:
    tokens: set[str] = set()
    while len(tokens) < n:
        batch = {new_code() for _ in range(n - len(tokens))} - tokens
        taken = (
            set(Registration.objects.filter(token__in=list(batch)).values_list("token", flat=True))
            if batch
            else set()
        )
        tokens |= batch - taken
    return list(tokens)
