"""The activities engine's models, one module per area."""

from .dual import DualMember, DualUnit, Evaluation, NeedItem, Project, ResourceItem
from .events import CheckIn, Event, EventKind, EventLog, EventPhoto, Registration, Series, Venue
from .points import Exchange, MarketItem, PointAccount, PointMovement, PointRule, PointTransfer
from .volunteers import Certificate, ServiceRecord, Shift, ShiftSignup, Team, Volunteer

__all__ = [
    "Certificate",
    "CheckIn",
    "DualMember",
    "DualUnit",
    "Evaluation",
    "Event",
    "EventKind",
    "EventLog",
    "EventPhoto",
    "Exchange",
    "MarketItem",
    "NeedItem",
    "PointAccount",
    "PointMovement",
    "PointRule",
    "PointTransfer",
    "Project",
    "Registration",
    "ResourceItem",
    "Series",
    "ServiceRecord",
    "Shift",
    "ShiftSignup",
    "Team",
    "Venue",
    "Volunteer",
]
