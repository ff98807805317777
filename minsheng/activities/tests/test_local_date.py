"""The 街道's "today" is its own date (Asia/Shanghai), not UTC's. The clock is frozen at moments given in UTC, as
timezone.now() gives them: 17:30 on 28 February in UTC is 01:30 on 1 March in Beijing."""

import datetime as dt

import pytest
from django.urls import reverse

from minsheng.activities.actions import dual
from minsheng.activities.choices import ProjectStatus
from minsheng.core import clock

pytestmark = pytest.mark.django_db

BEFORE_DAWN = dt.datetime(2026, 2, 28, 17, 30, tzinfo=dt.UTC)  # 2026-03-01 01:30 in Beijing
NEW_YEAR = dt.datetime(2025, 12, 31, 16, 30, tzinfo=dt.UTC)  # 2026-01-01 00:30 in Beijing


def test_a_project_starting_today_is_ongoing_before_dawn(aw):
    with clock.at(BEFORE_DAWN):
        project = dual.do_create_project(
            actor=aw.w.worker_a, node=aw.w.community_a, title="政策明白人", start_on=dt.date(2026, 3, 1)
        )
        later = dual.do_create_project(
            actor=aw.w.worker_a, node=aw.w.community_a, title="明天开始", start_on=dt.date(2026, 3, 2)
        )
    assert project.status == ProjectStatus.ONGOING
    assert later.status == ProjectStatus.PLANNED


def test_figures_default_to_this_year_up_to_today_just_after_new_year(aw, client_for):
    with clock.at(NEW_YEAR):
        response = client_for(aw.w.admin).get(reverse("activities:figures"))
    assert response.status_code == 200
    assert (response.context["start"], response.context["end"]) == (dt.date(2026, 1, 1), dt.date(2026, 1, 1))
    body = response.content.decode()
    assert 'name="start" value="2026-01-01"' in body and 'name="end" value="2026-01-01"' in body


def test_evaluations_default_to_the_new_year(aw, client_for):
    with clock.at(NEW_YEAR):
        response = client_for(aw.w.admin).get(reverse("activities:evaluations"))
    assert response.context["year"] == 2026
    assert response.context["years"] == [2026, 2025, 2024, 2023]


def test_a_new_member_reports_today(aw):
    from minsheng.activities.forms import MemberForm
    from minsheng.activities.models import DualUnit
    from minsheng.org.models import Node

    with clock.at(BEFORE_DAWN):
        form = MemberForm(nodes=Node.objects.all(), units=DualUnit.objects.all())
        assert form["reported_on"].value() == dt.date(2026, 3, 1)
