"""Shared reads of the activities engine: what pages, the API, metrics and other domains ask of events."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from .choices import EventStatus, RegistrationStatus
from .models import CheckIn, Event, Registration


def events_for_host(host):
    """The events another domain's record hosts (its trainings' sessions, a matchmaking's meetings)."""
    return Event.objects.filter(
        host_type=ContentType.objects.get_for_model(host), host_id=str(host.pk)
    ).order_by("start", "pk")


def event_figures(event: Event) -> dict:
    """Registered, waiting and checked-in counts of one event, and the open-air head count apart."""
    counts = event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
    )
    checked_in = CheckIn.objects.filter(event=event).count()
    free = None if event.capacity is None else max(event.capacity - counts["confirmed"], 0)
    return {**counts, "checked_in": checked_in, "free": free, "headcount": event.headcount}


def with_counts(queryset):
    """Events annotated with confirmed, waiting and checked-in counts (one query for a list page)."""
    return queryset.annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED), distinct=True
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED), distinct=True
        ),
        checkin_count=Count("checkins", distinct=True),
    )


def upcoming_public(now, node=None):
    """What residents see: published public events not yet ended, soonest first, nearest community first."""
    qs = Event.objects.filter(status=EventStatus.PUBLISHED, public=True, end__gte=now)
    if node is not None:
        qs = qs.filter(node__path__in=[node.path[: i * node.steplen] for i in range(1, node.depth + 1)])
    return qs.select_related("kind", "venue", "node").order_by("start", "pk")


def registrations_of(user):
    return Registration.objects.filter(user=user).select_related("event", "event__venue", "event__kind")
