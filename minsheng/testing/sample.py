"""A row or two in every app on top of the personas' world, for tests that walk the whole site or API."""


def sample_rows(world) -> dict:
    """A row or two behind the lists and details of each app, so that answers with data are checked too."""
    from django.apps import apps

    from minsheng.agri import actions as agri_actions
    from minsheng.agri import reference
    from minsheng.agri.choices import ProducerKind
    from minsheng.cases import actions as case_actions
    from minsheng.cases.choices import UnitKind
    from minsheng.cases.models import Category, RoutingRule, Unit
    from minsheng.core import clock
    from minsheng.iot import actions as iot_actions
    from minsheng.iot import ingest
    from minsheng.iot.choices import AlarmType, GrowthStage, SensorKind, Severity
    from minsheng.iot.models import Cluster, Gateway, Greenhouse, Sensor
    from minsheng.org import actions as org_actions
    from minsheng.org.choices import NodeKind, PropertyStatus

    admin = world.admin
    company = org_actions.create_property_company(
        name="颐和物业（演示）", contact="王经理", phone="13911112222", actor=admin
    )
    org_actions.set_estate_property(
        world.estate_a, status=PropertyStatus.PROFESSIONAL, company=company, actor=admin
    )
    unit = Unit.objects.create(
        name="颐和社区居委会", kind=UnitKind.COMMUNITY, node=world.community_a, leader=world.worker_a
    )
    unit.members.set([world.worker_a, world.grid_a])
    RoutingRule.objects.create(territorial=True)
    case = case_actions.do_register(
        actor=world.grid_a,
        kind="appeal",
        channel="grid_patrol",
        category=Category.objects.get(code="050101"),
        description="颐和家园1号楼下水道堵塞",
        node=world.unit_a,
        reporter_name="高阿姨",
        reporter_phone="13912345678",
    )
    case_actions.do_accept(case, actor=world.worker_a)
    case_actions.do_dispatch(case, actor=world.worker_a, unit=unit)
    case_actions.do_sign(case, actor=world.grid_a)
    case_actions.do_reply(case, actor=world.grid_a, note="已疏通")
    case_actions.do_verify(case, actor=world.worker_a, passed=True)
    case_actions.do_follow_up(case, actor=world.worker_a, satisfaction="satisfied", resolved=True)
    reference.load(apps)
    village = org_actions.create_node(parent=world.street, kind=NodeKind.VILLAGE, name="樱桃村")
    agri_actions.create_producer(
        actor=admin, name="王家合作社", kind=ProducerKind.values[0], village=village, phone="13922223333"
    )
    agri_actions.create_store(actor=admin, name="东关农资店", village=village)
    cluster = Cluster.objects.create(name="樱悦田园", code="yingyue")
    cluster.villages.add(village)
    greenhouse = Greenhouse.objects.create(
        name="王家1号棚",
        code="gh1",
        owner_name="王某",
        village=village,
        cluster=cluster,
        stage=GrowthStage.BLOOM,
    )
    gateway = Gateway.objects.create(code="gw1", village=village)
    sensor = Sensor.objects.create(
        code="gh1-t1", greenhouse=greenhouse, gateway=gateway, kind=SensorKind.AIR_TEMP
    )
    iot_actions.raise_alarm(
        sensor, AlarmType.THRESHOLD, Severity.MAJOR, at=clock.now(), details={"value": 35}
    )
    # A case just registered: no unit, no handler, no deadlines met yet (the nulls an answer must allow).
    case_actions.do_register(
        actor=world.grid_a,
        kind="appeal",
        channel="grid_patrol",
        category=Category.objects.get(code="050101"),
        description="楼道灯坏了",
        node=world.unit_a,
    )
    ingest.ingest([{"bn": "gh1-", "n": "t1", "v": 35.0}, {"bn": "gh1-", "n": "t1", "t": -60, "v": 36.0}])
    return {"case": case, "greenhouse": greenhouse, "village": village, "company": company}
