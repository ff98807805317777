"""The activities engine's actions — the ONLY place its state changes. Other domains use this API.

Every function runs in one transaction, locks the event row where two people can act at once, writes an EventLog
row and notifies after commit. `actor=None` is the system. Errors: `django.core.exceptions.ValidationError` (bad
input, field messages → HTTP 400), `PermissionDenied` (→ 403), `minsheng.core.errors.IllegalTransition` (the event's
or registration's state forbids it → 409). Time comes from `minsheng.core.clock.now()`.

Events API for other domains (enterprise trainings and 政银企 matchmaking, agricultural and expert trainings)
----------------------------------------------------------------------------------------------------------------
    from minsheng.activities import actions as events
    from minsheng.activities import queries as event_queries

    event = events.do_create_event(
        actor=officer, kind="training", title="企业用工政策培训", node=street_node,
        start=start, end=end, capacity=60, venue=None, place="街道三楼会议室",
        host=my_training_row,               # any saved model row: stored as host_type/host_id (generic link)
        organiser_name="街道企业服务中心",   # organiser_kind defaults to "host" when host= is given
        audience="辖区企业", public=False,  # public=False: not listed on the residents' H5
    )
    reg = events.do_register(event, actor=officer, name="张三", phone="138…", organisation="某公司")
    reg = events.do_register(event, actor=resident_user)          # a resident registering themselves
    reg = events.do_register(event, actor=worker, person=resident_row_or_user)
    events.do_cancel_registration(reg, actor=officer)              # frees a seat: the waiting list moves up
    check_in, created = events.do_check_in(event, actor=officer, token="K7M2Q9XA")  # or registration=reg
    events.do_record_headcount(event, actor=worker, count=800, note="广场目测")      # open-air events only
    events.do_close_event(event, actor=officer, summary="…", photos=[uploaded_file, …])
    events.do_cancel_event(event, actor=officer, reason="…")
    events.do_record_attendance(event, actor=officer, people=[{"name": …, "phone": …, "at": …}, resident_row, …])
                                                                   # 签到表补录: a paper sheet in bulk, each once
    events.do_update_event(event, actor=officer, capacity=80)     # title/description/audience/start/end/
                                                                   # venue/place/capacity/public
    event_queries.events_for_host(my_training_row)                 # the events pointing at a host record
    event_queries.event_figures(event)                             # registered / waitlisted / checked in …

Rules every caller can rely on:
- `kind` is an EventKind row or its code. Kinds are data (EventKind); the engine ships among others `training`
  (培训), `matchmaking` (对接会), `agri_training` (农技培训), `expert_training` (专家培训).
- Capacity None = unlimited. Over capacity a registration is WAITLISTED; a cancellation or a larger capacity moves
  the waiting list up first come first served, and the promoted person is notified.
- A person has at most one active registration per event (`person_key`: account, registry resident, phone, or
  name + organisation); registering again returns the existing registration.
- Person-times are check-ins; a registration is checked in at most once (`created=False` on a repeat scan).
- Rights: without a host, the actor needs `activities.manage` (create, update, close, cancel, register others) or
  `activities.checkin` (check in, head count, register walk-ins) at the event's node; a resident may register
  and cancel for themselves on a public event. With `host=`, the calling domain has already checked the actor's
  rights over its host record and the engine does not check capabilities again (decision 0034).
"""

from __future__ import annotations

from .events import (
    CHECKIN_OPENS_BEFORE,
    do_cancel_event,
    do_cancel_registration,
    do_check_in,
    do_close_event,
    do_create_event,
    do_publish_event,
    do_record_attendance,
    do_record_headcount,
    do_register,
    do_update_event,
)
from .venues import do_create_series, do_create_venue, do_update_series, do_update_venue

__all__ = [
    "CHECKIN_OPENS_BEFORE",
    "do_create_series",
    "do_create_venue",
    "do_cancel_event",
    "do_cancel_registration",
    "do_check_in",
    "do_close_event",
    "do_create_event",
    "do_publish_event",
    "do_record_attendance",
    "do_record_headcount",
    "do_register",
    "do_update_event",
    "do_update_series",
    "do_update_venue",
]
