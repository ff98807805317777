"""The personas plus the engine's event kinds (a transactional test's flush empties what the data migration put in)."""

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from minsheng.activities import actions
from minsheng.activities.models import Venue


def ensure_kinds() -> None:
    importlib.import_module("minsheng.activities.migrations.0002_event_kinds").add_kinds(apps, None)


@dataclass
class ActivityWorld:
    w: Any
    venue: Any
    square: Any
    now: dt.datetime

    def event(self, *, capacity=None, actor=None, open_air=False, start_in_hours=24, **kwargs):
        start = self.now + dt.timedelta(hours=start_in_hours)
        return actions.do_create_event(
            actor=actor or self.w.worker_a,
            kind=kwargs.pop("kind", "market"),
            title=kwargs.pop("title", "公益市集"),
            node=kwargs.pop("node", self.w.community_a),
            start=start,
            end=start + dt.timedelta(hours=3),
            capacity=capacity,
            venue=self.square if open_air else self.venue,
            **kwargs,
        )


@pytest.fixture
def aw(world) -> ActivityWorld:
    ensure_kinds()
    venue = Venue.objects.create(name="颐和社区党群服务中心", node=world.community_a, capacity=80)
    square = Venue.objects.create(name="颐和广场", node=world.community_a, open_air=True, kind="square")
    return ActivityWorld(w=world, venue=venue, square=square, now=timezone.now())


@pytest.fixture
def volunteer(aw):
    from minsheng.activities.actions import volunteers

    return volunteers.do_register_volunteer(
        actor=aw.w.worker_a,
        node=aw.w.community_a,
        name="居民小王",
        phone="13800000005",
        consent=True,
        id_number="370724199001011234",
        skills="急救",
        availability="周末",
        user=aw.w.resident,
    )
