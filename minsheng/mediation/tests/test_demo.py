"""The demo's year, scaled down to the test world: every kind of record comes out of the actions and the figures are
computed from them."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from minsheng.cases.models import CaseEvent
from minsheng.core import metrics
from minsheng.mediation import demo
from minsheng.mediation.models import Dispute, Petition, Referral, ScreeningItem, Visit, WeeklyReport
from minsheng.org import actions as org_actions

pytestmark = pytest.mark.django_db


def test_scaled_year(centre):
    w = centre.w
    for i in range(30):
        org_actions.register_resident(
            name=f"演示居民{i}", node=w.unit_a if i % 2 else w.unit_b, phone=f"1370000{i:04d}"
        )
    run = demo.CentreDemo(w.street, w.admin, timezone.now(), scale=0.03)
    run.accounts()
    run.run(io.StringIO())
    assert Visit.objects.exists() and Petition.objects.exists() and Referral.objects.exists()
    assert Dispute.objects.filter(outcome__in=["written", "oral"]).exists()
    assert WeeklyReport.objects.filter(is_zero=True).exists() and ScreeningItem.objects.exists()
    assert CaseEvent.objects.filter(verb="mediation_session").exists()
    assert not Dispute.objects.exclude(facts__endswith=demo.LABEL).exists()
    today = timezone.localdate()
    scope = metrics.Scope(viewer=w.admin, start=today - dt.timedelta(days=364), end=today)
    assert metrics.value("mediation.reception_count", scope) >= 5
    assert metrics.value("mediation.first_petitions", scope) >= 10
    assert metrics.value("mediation.one_time_rate", scope) is not None
    assert "矛调中心演示数据" in run.summary()
