"""The only place enterprise-services state changes (registry, pipeline, ledger, 一企一策, events and policies)."""

from __future__ import annotations

from .events import (
    do_add_bank,
    do_add_policy,
    do_deliver_policy,
    do_link_activity,
    do_record_event,
    do_record_outcome,
)
from .ledger import do_confirm_close, do_decline_close, do_raise_problem, do_record_visit, ledger_state
from .pipeline import (
    ageing,
    days_in_stage,
    do_advance,
    do_link_enterprise,
    do_lose,
    do_record_funds,
    do_record_milestone,
    do_record_signing,
    do_record_trip,
    do_set_owner,
    do_submit_lead,
    do_supervise,
    run_stage_clock,
)
from .plans import (
    do_add_action,
    do_complete_plan,
    do_create_plan,
    do_resubmit_plan,
    do_review_plan,
    do_update_progress,
)
from .registry import add_contact, create_enterprise, remove_contact, update_enterprise

__all__ = [
    "add_contact",
    "ageing",
    "create_enterprise",
    "days_in_stage",
    "do_add_action",
    "do_add_bank",
    "do_add_policy",
    "do_advance",
    "do_complete_plan",
    "do_confirm_close",
    "do_create_plan",
    "do_decline_close",
    "do_deliver_policy",
    "do_link_activity",
    "do_link_enterprise",
    "do_lose",
    "do_raise_problem",
    "do_record_event",
    "do_record_funds",
    "do_record_milestone",
    "do_record_outcome",
    "do_record_signing",
    "do_record_trip",
    "do_record_visit",
    "do_resubmit_plan",
    "do_review_plan",
    "do_set_owner",
    "do_submit_lead",
    "do_supervise",
    "do_update_progress",
    "ledger_state",
    "remove_contact",
    "run_stage_clock",
    "update_enterprise",
]
