"""Core's pages — the workbench shell (`shell`), the notification inbox (`notifications`), the xlsx import and
export every app's registries share (`spreadsheets`) — and what every app's views use: `staff_required` and the
audit history of an object."""

from .shell import (
    audit_entries_for,
    can_view_history,
    healthz,
    home,
    not_staff_response,
    scope_node,
    staff_required,
)

__all__ = [
    "audit_entries_for",
    "can_view_history",
    "healthz",
    "home",
    "not_staff_response",
    "scope_node",
    "staff_required",
]
