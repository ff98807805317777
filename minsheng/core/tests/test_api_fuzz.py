"""The OpenAPI schema fuzzed against the live application: no input answers 500, every answer matches the schema.

schemathesis generates requests from the schema drf-spectacular produces and sends them through the WSGI
application (the whole middleware stack, the real database), signed in as the 街道 admin. A fixed seed and a
bounded number of examples per operation keep it repeatable and short; it runs in the SQLite pass only (the
`fuzz` marker: the PostgreSQL pass leaves it out).
"""

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
)

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

#: Examples per operation (CI's bound; raise it locally for a deeper search).
EXAMPLES = int(os.environ.get("MINSHENG_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def seed_rows(world) -> None:
    """A row or two behind the lists and details of each app, so that answers with data are checked too."""
    from django.apps import apps

    from minsheng.agri import actions as agri_actions
    from minsheng.agri import reference
    from minsheng.agri.choices import ProducerKind
    from minsheng.cases import actions as case_actions
    from minsheng.cases.choices import UnitKind
    from minsheng.cases.models import Category, RoutingRule, Unit
    from minsheng.iot import ingest
    from minsheng.iot.choices import GrowthStage, SensorKind
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
    Sensor.objects.create(code="gh1-t1", greenhouse=greenhouse, gateway=gateway, kind=SensorKind.AIR_TEMP)
    ingest.ingest([{"bn": "gh1-", "n": "t1", "v": 35.0}, {"bn": "gh1-", "n": "t1", "t": -60, "v": 36.0}])


def test_no_server_error_and_answers_match_the_schema(world):
    from rest_framework.authtoken.models import Token

    from minsheng.wsgi import application

    seed_rows(world)
    token, _created = Token.objects.get_or_create(user=world.admin)
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @seed(20261205)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # each operation's first failure, all reported at once
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1200]}")
    assert not failures, f"{len(failures)} operation(s) failed:\n\n" + "\n\n".join(failures)
