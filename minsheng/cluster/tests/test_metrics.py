import datetime as dt
from fractions import Fraction

import pytest

from minsheng.cluster import actions
from minsheng.cluster.choices import AgreementKind, Channel, Grade, OrgKind, Platform, TrainingKind
from minsheng.core import metrics as registry

from .conftest import make_enterprise

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 1)


def v(code, cw, node=None):
    scope = registry.Scope(viewer=cw.leader, start=dt.date(2026, 1, 1), end=TODAY, node=node)
    return registry.value(code, scope)


def test_every_figure_from_records(cw):
    other = actions.do_register_grower(
        actor=cw.supervisor_b, name="刘八", phone="13800000022", village=cw.henglilu
    )
    o2 = actions.do_add_orchard(
        other, actor=cw.supervisor_b, name="刘家园", area_mu="7.5", variety="hongdeng", planted_year=2012
    )
    assert v("cluster.area", cw) == 20 and v("cluster.growers", cw) == 2
    assert v("cluster.area", cw, node=cw.henglilu) == 7.5
    h = actions.do_record_harvest(
        cw.orchard, actor=None, harvested_on=TODAY, yield_kg="1000", grade=Grade.PREMIUM
    )
    actions.do_record_sale(
        h,
        actor=None,
        channel=Channel.LIVE,
        platform=Platform.DOUYIN,
        volume_kg="100",
        price="60",
        sold_on=TODAY,
    )
    actions.do_record_sale(
        h, actor=None, channel=Channel.ENTERPRISE, volume_kg="300", price="20", sold_on=TODAY
    )
    assert float(v("cluster.output_value", cw)) == 1.2
    assert v("cluster.sales_volume", cw) == 400
    assert v("cluster.online_share", cw) == Fraction(1, 2)
    assert v("cluster.enterprise_share", cw) == Fraction(1, 2)
    assert v("cluster.techniques", cw) == 1
    assert v("cluster.adoption_rate", cw) == 0
    actions.do_adopt(cw.technique, o2, actor=None, adopted_on=TODAY)
    assert v("cluster.adoption_rate", cw) == Fraction(1, 2)
    assert v("cluster.trainings", cw) == 1 and v("cluster.attendance", cw) == 0
    actions.do_record_attendance(cw.live_class, [cw.grower, other], actor=None)
    assert v("cluster.attendance", cw) == 2 and v("cluster.trained_growers", cw) == 2
    assert v("cluster.sellers", cw) == 0  # trained is not a seller
    actions.do_record_session(
        cw.grower,
        actor=None,
        platform=Platform.DOUYIN,
        held_on=TODAY,
        products="美早",
        orders=50,
        sales_yuan="25000",
    )
    assert v("cluster.sellers", cw) == 1 and float(v("cluster.stream_sales", cw)) == 2.5
    ent = make_enterprise("千喜鹤", "91370724MA0000002X", cw.w.street)
    coop = actions.do_create_organisation(
        actor=None, kind=OrgKind.COOPERATIVE, name="衡里炉樱桃合作社", village=cw.henglilu
    )
    actions.do_add_members(coop, [other], actor=None)
    actions.do_record_agreement(
        actor=None,
        enterprise=ent,
        kind=AgreementKind.SERVICE,
        subject="冷链仓储服务",
        signed_on=TODAY,
        organisation=coop,
    )
    assert v("cluster.agreements", cw) == 1 and v("cluster.driven_growers", cw) == 1
    assert v("cluster.organisations", cw) == 1 and v("cluster.centres", cw) == 1
    assert v("cluster.centres", cw, node=cw.henglilu) == 0  # the fixture's centre is 月庄's
    # a supervisor sees only their village
    scope = registry.Scope(viewer=cw.supervisor, start=dt.date(2026, 1, 1), end=TODAY)
    assert registry.value("cluster.area", scope) == 12.5
    for metric in registry.all_metrics("cluster"):
        metric.compute(scope)
        if metric.rows is not None:
            list(metric.rows(scope)[:1])
    assert TrainingKind.ECOMMERCE
