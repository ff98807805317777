"""The activities engine's models, one module per area."""

from .events import CheckIn, Event, EventKind, EventLog, EventPhoto, Registration, Series, Venue

__all__ = ["CheckIn", "Event", "EventKind", "EventLog", "EventPhoto", "Registration", "Series", "Venue"]
