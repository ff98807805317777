"""Poison messages: counted across deliveries, set aside after a few, so that one message never blocks the stream.

A message whose handling raises (a parser bug, a payload that breaks a rule, a constraint) is not acknowledged the
first times: it may be a passing fault, and the broker keeps it. Each failed delivery is counted in the database,
keyed by a digest of topic and payload, so the count survives a crash and a restart of the consumer (the broker
redelivers with the DUP flag). At `settings.IOT_POISON_DELIVERIES` deliveries (default 3) the message is set aside:
kept with its raw payload, its error and its count for the device-status page, and acknowledged.
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.db import transaction

from .models import DeadLetter

log = logging.getLogger(__name__)


def limit() -> int:
    return max(1, int(getattr(settings, "IOT_POISON_DELIVERIES", 3)))


def digest(topic: str, payload: bytes) -> str:
    return hashlib.sha256(topic.encode("utf-8", "replace") + b"\0" + bytes(payload)).hexdigest()


def note_failure(topic: str, payload: bytes, error: str) -> DeadLetter:
    """Count one failed delivery; set the message aside when it has failed `limit()` times."""
    now = dt.datetime.now(tz=dt.UTC)
    with transaction.atomic():
        letter = DeadLetter.objects.select_for_update().filter(digest=digest(topic, payload)).first()
        if letter is None:
            letter = DeadLetter(
                digest=digest(topic, payload), topic=topic[:255], payload=bytes(payload), first_seen=now
            )
        letter.deliveries += 1
        letter.error = error[:4000]
        letter.last_seen = now
        if letter.deliveries >= limit() and letter.set_aside_at is None:
            letter.set_aside_at = now
        letter.save()
    if letter.set_aside_at is not None:
        log.error(
            "iot mqtt: message on %s failed %d times; set aside and acknowledged: %s",
            topic,
            letter.deliveries,
            error[:200],
        )
    else:
        log.warning(
            "iot mqtt: message on %s failed (delivery %d of %d): %s",
            topic,
            letter.deliveries,
            limit(),
            error[:200],
        )
    return letter


def set_aside(topic: str, payload: bytes) -> bool:
    """Whether this message was already set aside (a redelivery of it is acknowledged without handling)."""
    return DeadLetter.objects.filter(digest=digest(topic, payload), set_aside_at__isnull=False).exists()
