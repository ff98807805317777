import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.cluster import actions, queries
from minsheng.cluster.choices import AgreementKind, Channel, Grade, OrgKind, Platform, TrainingKind, Variety
from minsheng.core.errors import IllegalTransition

from .conftest import make_enterprise

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 1)


def test_register_grower_from_registry_and_by_hand(cw):
    g = actions.do_register_grower(actor=cw.supervisor, name="李四", village=cw.yuezhuang)
    assert g.village == cw.yuezhuang and g.phone == ""
    from minsheng.org.models import Resident

    resident = Resident.objects.create(name="赵六", phone="13900000066", node=cw.yuezhuang)
    g2 = actions.do_register_grower(actor=cw.supervisor, name="", village=cw.yuezhuang, resident=resident)
    assert (g2.name, g2.phone, g2.resident) == ("赵六", "13900000066", resident)


def test_grower_outside_village_refused(cw):
    with pytest.raises(ValidationError) as e:
        actions.do_register_grower(actor=cw.cadre, name="张三", village=cw.w.community_a)
    assert "village" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        actions.do_register_grower(actor=cw.cadre, name="张三", village=cw.yuezhuang, phone="123")
    assert "phone" in e.value.message_dict


def test_supervisor_records_only_in_own_village(cw):
    with pytest.raises(PermissionDenied):
        actions.do_register_grower(actor=cw.supervisor_b, name="张三", village=cw.yuezhuang)
    with pytest.raises(PermissionDenied):
        actions.do_register_grower(actor=cw.leader, name="张三", village=cw.yuezhuang)


def test_orchard_validation(cw):
    bad = {"name": "x", "area_mu": "-1", "variety": "nope", "planted_year": 1800}
    with pytest.raises(ValidationError) as e:
        actions.do_add_orchard(cw.grower, actor=cw.supervisor, **bad)
    assert {"area_mu", "variety", "planted_year"} <= set(e.value.message_dict)
    with pytest.raises(ValidationError) as e:
        actions.do_add_orchard(
            cw.grower,
            actor=cw.cadre,
            name="x",
            area_mu="3",
            variety=Variety.HONGDENG,
            planted_year=2018,
            village=cw.w.street,
        )
    assert "village" in e.value.message_dict
    with pytest.raises(ValidationError):
        actions.do_add_orchard(
            cw.grower,
            actor=cw.supervisor,
            name="x",
            area_mu="abc",
            variety=Variety.HONGDENG,
            planted_year=2018,
        )


def test_orchard_from_iot_greenhouse(cw):
    from minsheng.iot.models import Gateway, Greenhouse, Sensor

    gh = Greenhouse.objects.create(name="1号棚", code="yz1", village=cw.yuezhuang, area_mu=Decimal("1.5"))
    o = actions.do_add_orchard(
        cw.grower,
        actor=cw.supervisor,
        name="1号棚",
        area_mu="1.5",
        variety=Variety.MEIZAO,
        planted_year=2019,
        iot_greenhouse_id=gh.pk,
    )
    assert o.kind == "greenhouse"
    with pytest.raises(ValidationError):  # registered twice
        actions.do_add_orchard(
            cw.grower,
            actor=cw.supervisor,
            name="again",
            area_mu="1",
            variety="meizao",
            planted_year=2019,
            iot_greenhouse_id=gh.pk,
        )
    smart = actions.do_add_technique(
        actor=None,
        code="smart_climate",
        name="智能温控",
        institution="山东农业大学",
        introduced_year=2021,
        by_data=True,
    )
    from minsheng.cluster.models import Orchard

    assert not queries.adopted_orchards(smart, Orchard.objects.all()).exists()
    gw = Gateway.objects.create(code="gwx", village=cw.yuezhuang)
    Sensor.objects.create(code="yz1-t", greenhouse=gh, gateway=gw, kind="air_temp", unit="Cel")
    assert list(queries.adopted_orchards(smart, Orchard.objects.all())) == [o]


def test_harvest_and_sales_never_exceed_yield(cw):
    h = actions.do_record_harvest(
        cw.orchard, actor=cw.supervisor, harvested_on=TODAY, yield_kg="1000", grade=Grade.FIRST
    )
    assert h.season == 2026
    s = actions.do_record_sale(
        h,
        actor=cw.supervisor,
        channel=Channel.DEALER,
        volume_kg="600",
        price="30",
        sold_on=TODAY,
        platform="jd",
    )
    assert s.amount == Decimal("18000.00") and s.platform == ""
    with pytest.raises(ValidationError) as e:
        actions.do_record_sale(
            h, actor=cw.supervisor, channel=Channel.DEALER, volume_kg="401", price="30", sold_on=TODAY
        )
    assert "volume_kg" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        actions.do_record_sale(
            h, actor=cw.supervisor, channel=Channel.PLATFORM, volume_kg="10", price="40", sold_on=TODAY
        )
    assert "platform" in e.value.message_dict
    actions.do_record_sale(
        h,
        actor=cw.supervisor,
        channel=Channel.PLATFORM,
        platform=Platform.TAOBAO,
        volume_kg="400",
        price="40",
        sold_on=TODAY,
    )


def test_harvest_bad_input(cw):
    with pytest.raises(ValidationError) as e:
        actions.do_record_harvest(
            cw.orchard,
            actor=cw.supervisor,
            harvested_on=TODAY + dt.timedelta(days=1),
            yield_kg="0",
            grade="x",
        )
    assert {"harvested_on", "yield_kg", "grade"} <= set(e.value.message_dict)
    with pytest.raises(ValidationError):
        actions.do_record_harvest(
            cw.orchard, actor=cw.supervisor, harvested_on=TODAY, yield_kg="999999", grade=Grade.FIRST
        )


def test_adoption_once(cw):
    actions.do_adopt(cw.technique, cw.orchard, actor=cw.supervisor, adopted_on=TODAY)
    with pytest.raises(IllegalTransition):
        actions.do_adopt(cw.technique, cw.orchard, actor=cw.supervisor, adopted_on=TODAY)
    with pytest.raises(ValidationError):
        actions.do_adopt(
            cw.technique, cw.orchard, actor=cw.supervisor, adopted_on=TODAY + dt.timedelta(days=3)
        )


def test_technique_needs_institution(cw):
    with pytest.raises(ValidationError) as e:
        actions.do_add_technique(
            actor=cw.cadre, code="x", name="冷链降温", institution="", introduced_year=2020
        )
    assert {"name", "institution"} <= set(e.value.message_dict)


def test_training_is_an_activities_event_and_attendance_is_checkins(cw):
    from minsheng.activities import queries as event_queries

    t = actions.do_schedule_training(
        actor=cw.cadre,
        kind=TrainingKind.EXPERT,
        title="大樱桃冷链降温技术",
        village=cw.yuezhuang,
        start=dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC),
        end=dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC),
        technique=cw.technique,
        institution="中国农科院",
        expert="刘教授",
    )
    assert list(event_queries.events_for_host(t)) == [t.event]
    actions.do_enrol(t, cw.grower, actor=cw.supervisor)
    assert actions.do_record_attendance(t, [cw.grower], actor=cw.supervisor) == 1
    assert actions.do_record_attendance(t, [cw.grower], actor=cw.supervisor) == 0
    from minsheng.cluster.models import Grower

    assert list(queries.trained_growers(Grower.objects.all())) == [cw.grower]
    assert not queries.trained_for_live(cw.grower)  # an expert class is not a live-selling class
    with pytest.raises(ValidationError):
        actions.do_schedule_training(
            actor=cw.cadre,
            kind=TrainingKind.EXPERT,
            title="x",
            village=cw.yuezhuang,
            start=dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC),
            end=dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC),
        )


def test_session_for_untrained_refused_then_seller(cw):
    kw = {
        "platform": Platform.DOUYIN,
        "held_on": TODAY,
        "products": "美早 5斤装",
        "orders": 120,
        "sales_yuan": "9600",
    }
    with pytest.raises(ValidationError) as e:
        actions.do_record_session(cw.grower, actor=cw.supervisor, **kw)
    assert "seller" in e.value.message_dict
    actions.do_record_attendance(cw.live_class, [cw.grower], actor=cw.cadre)
    assert not queries.is_seller(cw.grower)
    s = actions.do_record_session(cw.grower, actor=cw.supervisor, centre=cw.centre, **kw)
    assert s.orders == 120 and queries.is_seller(cw.grower)
    with pytest.raises(ValidationError) as e:
        actions.do_record_session(cw.grower, actor=cw.supervisor, **{**kw, "orders": -1, "platform": "x"})
    assert {"orders", "platform"} <= set(e.value.message_dict)


def test_organisation_members_and_agreement(cw):
    coop = actions.do_create_organisation(
        actor=cw.supervisor,
        kind=OrgKind.COOPERATIVE,
        name="月庄樱桃专业合作社",
        village=cw.yuezhuang,
        leader="王建国",
    )
    assert actions.do_add_members(coop, [cw.grower], actor=cw.supervisor) == 1
    with pytest.raises(ValidationError) as e:  # already a member: refused, not silently skipped
        actions.do_add_members(coop, [cw.grower], actor=cw.supervisor)
    assert "已是" in e.value.message_dict["members"][0]
    with pytest.raises(ValidationError):
        actions.do_create_organisation(
            actor=cw.supervisor, kind=OrgKind.COOPERATIVE, name="月庄樱桃专业合作社", village=cw.yuezhuang
        )
    ent = make_enterprise("第一春食品", "91370724MA0000001X", cw.w.street)
    a = actions.do_record_agreement(
        actor=cw.supervisor,
        enterprise=ent,
        kind=AgreementKind.PURCHASE,
        subject="收购加工级樱桃",
        signed_on=TODAY,
        organisation=coop,
        volume_kg="50000",
    )
    assert a.enterprise == ent and a.enterprise_name == "第一春食品" and a.village == cw.yuezhuang
    with pytest.raises(ValidationError) as e:
        actions.do_record_agreement(
            actor=cw.supervisor,
            enterprise=cw.grower,
            kind="x",
            subject="",
            signed_on=TODAY,
            organisation=coop,
            grower=cw.grower,
        )
    assert {"enterprise", "kind", "subject", "organisation"} <= set(e.value.message_dict)
