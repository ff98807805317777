"""Signals other apps listen to, so that `cases` never imports them.

`case_event` is sent for every event an action writes (a transition, a remark, a supervision …), inside the
action's transaction and after the case row is saved: a receiver sees the new status and its work commits or rolls
back with the case's. Arguments: `case`, `event` (the CaseEvent: verb, from_status, to_status, actor, note).
Receivers must be quick and must not fail for reasons of their own (log instead of raising).
"""

from django.dispatch import Signal

case_event = Signal()
