"""The 街道's "today" is its own date (Asia/Shanghai), not UTC's. The clock is frozen at a moment given in UTC, as
timezone.now() gives it: 17:30 on 31 May in UTC is 01:30 on 1 June in Beijing, the first day of picking."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from minsheng.cluster import actions
from minsheng.cluster.choices import Channel, Grade
from minsheng.cluster.forms import HarvestForm, SaleForm
from minsheng.cluster.models import Orchard
from minsheng.core import clock

pytestmark = pytest.mark.django_db

BEFORE_DAWN = dt.datetime(2026, 5, 31, 17, 30, tzinfo=dt.UTC)  # 2026-06-01 01:30 in Beijing
JUNE_1 = dt.date(2026, 6, 1)


def test_a_harvest_and_its_sale_today_are_not_in_the_future(cw):
    with clock.at(BEFORE_DAWN):
        harvest = actions.do_record_harvest(
            cw.orchard, actor=cw.supervisor, harvested_on=JUNE_1, yield_kg="800", grade=Grade.FIRST
        )
        sale = actions.do_record_sale(
            harvest, actor=cw.supervisor, channel=Channel.DEALER, volume_kg="500", price="30", sold_on=JUNE_1
        )
        with pytest.raises(ValidationError) as exc:  # tomorrow still is
            actions.do_record_harvest(
                cw.orchard,
                actor=cw.supervisor,
                harvested_on=dt.date(2026, 6, 2),
                yield_kg="1",
                grade=Grade.FIRST,
            )
    assert harvest.harvested_on == sale.sold_on == JUNE_1
    assert "harvested_on" in exc.value.message_dict


def test_entry_forms_offer_the_streets_date(cw):
    with clock.at(BEFORE_DAWN):
        harvest_form = HarvestForm(orchards=Orchard.objects.all())
        sale_form = SaleForm()
    assert harvest_form["harvested_on"].value() == JUNE_1
    assert sale_form["sold_on"].value() == JUNE_1
    # the phone's date picker takes ISO dates only
    assert 'value="2026-06-01"' in str(harvest_form["harvested_on"])


def test_an_orchard_planted_this_year_just_after_new_year(cw):
    with clock.at(dt.datetime(2025, 12, 31, 16, 30, tzinfo=dt.UTC)):  # 2026-01-01 00:30 in Beijing
        orchard = actions.do_add_orchard(
            cw.grower, actor=cw.supervisor, name="王家新园", area_mu="3", variety="meizao", planted_year=2026
        )
    assert orchard.planted_year == 2026
