"""Venues and event series set up by staff: the actions check rights and input, the pages write through them and
answer bad input with form errors, never a 500."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from minsheng.activities import actions
from minsheng.activities.models import Series, Venue

pytestmark = pytest.mark.django_db


def test_venue_actions(aw):
    venue = actions.do_create_venue(
        actor=aw.w.worker_a,
        node=aw.w.community_a,
        name=" 颐和文明实践站 ",
        kind="civilisation_station",
        capacity=40,
    )
    assert venue.name == "颐和文明实践站" and venue.is_active
    with pytest.raises(ValidationError) as dup:
        actions.do_create_venue(actor=aw.w.worker_a, node=aw.w.community_a, name="颐和文明实践站")
    assert "name" in dup.value.message_dict
    with pytest.raises(ValidationError) as half:
        actions.do_create_venue(actor=aw.w.worker_a, node=aw.w.community_a, name="甲", lat=36.1)
    assert "lat" in half.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.do_create_venue(actor=aw.w.grid_a, node=aw.w.community_a, name="乙")
    with pytest.raises(PermissionDenied):
        actions.do_create_venue(actor=aw.w.worker_a, node=aw.w.community_b, name="乙")

    actions.do_update_venue(venue, actor=aw.w.worker_a, capacity=60, is_active=False)
    venue.refresh_from_db()
    assert venue.capacity == 60 and not venue.is_active
    with pytest.raises(ValidationError) as retired:
        actions.do_create_event(
            actor=aw.w.worker_a,
            kind="market",
            title="市集",
            node=aw.w.community_a,
            start=aw.now,
            end=aw.now,
            venue=venue,
        )
    assert "venue" in retired.value.message_dict
    with pytest.raises(ValidationError):
        actions.do_update_venue(venue, actor=aw.w.worker_a, node=aw.w.community_b)
    with pytest.raises(ValidationError):
        actions.do_update_venue(venue, actor=aw.w.worker_a, name=aw.venue.name)


def test_series_actions(aw):
    series = actions.do_create_series(
        actor=aw.w.worker_a, node=aw.w.community_a, name="一村一年一场戏", kind="performance", year=2026
    )
    assert series.kind.code == "performance" and series.per_territory
    with pytest.raises(ValidationError) as bad:
        actions.do_create_series(actor=aw.w.worker_a, node=aw.w.community_a, name="", kind="nope", year=1)
    assert "kind" in bad.value.message_dict
    with pytest.raises(ValidationError) as bad_year:
        actions.do_create_series(
            actor=aw.w.worker_a, node=aw.w.community_a, name="戏", kind="performance", year=1
        )
    assert "year" in bad_year.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.do_create_series(
            actor=aw.w.grid_a, node=aw.w.community_a, name="戏", kind="performance", year=2026
        )
    actions.do_update_series(series, actor=aw.w.worker_a, year=2027, description="每村一场")
    series.refresh_from_db()
    assert series.year == 2027 and series.description == "每村一场"


def test_places_pages(aw, client_for):
    client = client_for(aw.w.worker_a)
    listing = client.get(reverse("activities:places"))
    assert listing.status_code == 200 and aw.venue.name in listing.content.decode()

    form = {"node": aw.w.community_a.pk, "name": "颐和书院", "kind": "school", "capacity": "120"}
    created = client.post(reverse("activities:venue_create"), form)
    assert created.status_code == 302
    venue = Venue.objects.get(name="颐和书院")
    assert venue.capacity == 120 and venue.kind == "school"
    again = client.post(reverse("activities:venue_create"), form)
    assert again.status_code == 200 and "本组织已有同名场地" in again.content.decode()
    wrong = client.post(reverse("activities:venue_create"), {**form, "capacity": "many", "lat": "x"})
    assert wrong.status_code == 200 and wrong.context["form"].errors.keys() >= {"capacity", "lat"}

    edit = reverse("activities:venue_edit", args=[venue.pk])
    assert client.get(edit).status_code == 200
    saved = client.post(edit, {"name": "颐和书院", "kind": "school", "capacity": "100", "is_active": ""})
    assert saved.status_code == 302
    venue.refresh_from_db()
    assert venue.capacity == 100 and not venue.is_active

    series_form = {"node": aw.w.community_a.pk, "name": "一村一年一场戏", "kind": "", "year": "2026"}
    missing_kind = client.post(reverse("activities:series_create"), series_form)
    assert missing_kind.status_code == 200 and "kind" in missing_kind.context["form"].errors
    from minsheng.activities.models import EventKind

    kind = EventKind.objects.get(code="performance")
    made = client.post(
        reverse("activities:series_create"), {**series_form, "kind": kind.pk, "per_territory": "on"}
    )
    series = Series.objects.get(name="一村一年一场戏")
    assert made.status_code == 302 and made.url == reverse("activities:series", args=[series.pk])
    page = client.get(made.url)
    assert reverse("activities:series_edit", args=[series.pk]) in page.content.decode()
    changed = client.post(
        reverse("activities:series_edit", args=[series.pk]),
        {"name": "一村一年一场戏", "kind": kind.pk, "year": "2027", "per_territory": "on"},
    )
    assert changed.status_code == 302
    series.refresh_from_db()
    assert series.year == 2027


def test_places_pages_refuse_the_wrong_people(aw, client_for):
    series = actions.do_create_series(
        actor=aw.w.worker_a, node=aw.w.community_a, name="戏", kind="performance", year=2026
    )
    grid = client_for(aw.w.grid_a)
    assert grid.get(reverse("activities:places")).status_code == 200
    assert grid.get(reverse("activities:venue_create")).status_code == 403
    other = client_for(aw.w.grid_b)
    for url in (
        reverse("activities:venue_edit", args=[aw.venue.pk]),
        reverse("activities:series_edit", args=[series.pk]),
    ):
        assert other.get(url).status_code in (403, 404)
    refused = client_for(aw.w.resident).get(reverse("activities:venue_create"))
    assert refused.status_code in (302, 403)
