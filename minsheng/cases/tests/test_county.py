"""Many 街道 in one deployment: a county above them, each 街道 numbering its own cases, the county comparing them
and sending a 12345 order down to one of them and seeing it come back (docs/decisions/0039)."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from minsheng.accounts import actions as accounts
from minsheng.accounts.choices import Role
from minsheng.cases import actions, metrics
from minsheng.cases.choices import Channel, Status, UnitKind
from minsheng.cases.models import Case, CaseSequence, Category, Unit
from minsheng.org import actions as org
from minsheng.org.choices import NodeKind
from minsheng.org.levels import street_depth
from minsheng.testing.fixtures import ensure_reference_data

pytestmark = pytest.mark.django_db


def person(username, role, node, password):
    user = accounts.create_user(username=username, display_name=username, password=password)
    accounts.grant_membership(user=user, role=role, node=node)
    return user


@pytest.fixture
def county(password):
    ensure_reference_data()
    root = org.create_node(parent=None, kind=NodeKind.COUNTY, name="临朐县", code="370724000000")
    streets = {}
    for name, code, prefix in (("城关街道", "370724001000", "CG"), ("东城街道", "370724002000", "DC")):
        street = org.create_node(parent=root, kind=NodeKind.STREET, name=name, code=code, case_prefix=prefix)
        community = org.create_node(parent=street, kind=NodeKind.COMMUNITY, name=f"{name[:2]}社区")
        estate = org.create_node(parent=community, kind=NodeKind.ESTATE, name=f"{name[:2]}小区")
        admin = person(f"admin_{prefix.lower()}", Role.STREET_ADMIN, street, password)
        office = Unit.objects.create(
            name=f"{name}办事处", kind=UnitKind.STREET_OFFICE, node=street, leader=admin
        )
        office.members.set([admin])
        streets[prefix] = SimpleNamespace(
            node=street, community=community, estate=estate, admin=admin, office=office
        )
    return SimpleNamespace(
        node=root,
        cg=streets["CG"],
        dc=streets["DC"],
        admin=person("county_admin", Role.COUNTY_ADMIN, root, password),
        leader=person("county_leader", Role.COUNTY_LEADER, root, password),
        hotline=person("hotline", Role.COUNTY_HOTLINE, root, password),
        sewer=Category.objects.get(code="050101"),
    )


def register(actor, node, category, text="下水道堵塞，污水外溢", channel=Channel.ONLINE):
    return actions.do_register(
        actor=actor, kind="appeal", channel=channel, category=category, description=text, node=node
    )


def test_the_tree_takes_a_county_or_a_city_above_the_street_and_nothing_else():
    city = org.create_node(parent=None, kind=NodeKind.CITY, name="潍坊市", code="370700000000")
    county = org.create_node(parent=city, kind=NodeKind.COUNTY, name="临朐县")
    street = org.create_node(parent=county, kind=NodeKind.STREET, name="城关街道")
    assert street.full_name == "潍坊市 临朐县 城关街道"
    assert street_depth() == 3
    for parent, kind in ((street, NodeKind.COUNTY), (county, NodeKind.COMMUNITY), (city, NodeKind.STREET)):
        with pytest.raises(ValidationError):
            org.create_node(parent=parent, kind=kind, name="错层")
    with pytest.raises(ValidationError):
        org.create_node(parent=county, kind=NodeKind.STREET, name="前缀错", case_prefix="c-1")


def test_each_street_numbers_its_own_cases_and_old_numbers_go_on(county):
    year = register(county.admin, county.cg.estate, county.sewer).reported_at.year
    assert register(county.cg.admin, county.cg.estate, county.sewer).number == f"CG-{year}-000002"
    assert register(county.dc.admin, county.dc.estate, county.sewer).number == f"DC-{year}-000001"
    # A place with no prefix on its way up takes the deployment's, continuing the counter it always had
    # (the migration moved the old per-year counter under that prefix; minsheng/ops/tests/test_upgrade.py).
    prefix = settings.MINSHENG_CASE_PREFIX
    CaseSequence.objects.update_or_create(prefix=prefix, year=year, defaults={"last": 41})
    assert register(county.admin, county.node, county.sewer).number == f"{prefix}-{year}-000042"
    org.update_node(county.node, case_prefix="lq")
    assert register(county.admin, county.node, county.sewer).number == f"LQ-{year}-000001"


def test_a_county_user_sees_and_compares_every_street_a_street_user_only_his_own(county, client_for):
    register(county.cg.admin, county.cg.estate, county.sewer)
    register(county.dc.admin, county.dc.estate, county.sewer)
    register(county.dc.admin, county.dc.community, county.sewer, text="路灯不亮，晚上出行不便")
    assert Case.objects.visible_to(county.leader).count() == 3
    assert set(Case.objects.visible_to(county.cg.admin).values_list("number", flat=True)) == {
        n for n in Case.objects.values_list("number", flat=True) if n.startswith("CG-")
    }
    rows = metrics.breakdown(Case.objects.visible_to(county.leader), by="street")
    assert [(r.label, r.metrics.reported) for r in rows] == [("城关街道", 1), ("东城街道", 2)]
    # "org" still means the 社区/村 level, counted from the 街道 down.
    rows = metrics.breakdown(Case.objects.visible_to(county.cg.admin), by="org")
    assert [r.label for r in rows] == ["城关社区"]

    page = client_for(county.leader).get(reverse("cases:metrics"), {"by": "street"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "城关街道" in html and "东城街道" in html and "街道/乡镇" in html
    assert client_for(county.leader).get(reverse("cases:efficiency")).status_code == 200
    assert client_for(county.leader).get(reverse("cases:map")).status_code == 200
    pins = client_for(county.leader).get(reverse("cases:map_data"))
    assert pins.status_code == 200
    own = client_for(county.cg.admin).get(reverse("cases:metrics"), {"by": "org"}).content.decode()
    assert "东城" not in own and "?by=street" not in own
    api = client_for(county.leader).get("/api/v1/cases/metrics/", {"by": "street"})
    assert api.status_code == 200, api.content


def test_a_county_hotline_order_goes_down_to_a_street_and_comes_back(county):
    order = register(
        county.hotline,
        county.dc.estate,
        county.sewer,
        text="12345转办：东城小区污水外溢",
        channel=Channel.HOTLINE_12345,
    )
    assert order.number.startswith("DC-") and order.first_receiver == county.hotline
    actions.do_accept(order, actor=county.hotline)
    actions.do_dispatch(order, actor=county.hotline, unit=county.dc.office)
    # Down at the 街道: its office signs, handles and replies; the other 街道 never sees it.
    assert not Case.objects.visible_to(county.cg.admin).filter(pk=order.pk).exists()
    assert Case.objects.visible_to(county.dc.admin).filter(pk=order.pk).exists()
    actions.do_sign(order, actor=county.dc.admin)
    actions.do_reply(order, actor=county.dc.admin, note="已疏通管道，清理污水")
    # Back at the county: the hotline sees the reply and verifies it.
    order = Case.objects.visible_to(county.hotline).get(pk=order.pk)
    assert order.status == Status.REPLIED
    actions.do_verify(order, actor=county.hotline, passed=True, note="回访核实已解决")
    order.refresh_from_db()
    assert order.status in (Status.RESOLVED, Status.ARCHIVED)
    verbs = list(order.events.values_list("verb", flat=True))
    assert verbs[:5] == ["register", "accept", "dispatch", "sign", "reply"]


def test_the_street_page_sets_its_case_prefix(county, client_for):
    client = client_for(county.admin)
    url = reverse("org:node_edit", args=[county.dc.node.pk])
    bad = client.post(url, {"name": "东城街道", "case_prefix": "1x"})
    assert bad.status_code == 200 and "以字母开头" in bad.content.decode()
    client.post(url, {"name": "东城街道", "case_prefix": "dcj"})
    county.dc.node.refresh_from_db()
    assert county.dc.node.case_prefix == "DCJ"
    assert register(county.dc.admin, county.dc.estate, county.sewer).number.startswith("DCJ-")


def test_a_scope_holding_every_root_reads_no_place_condition(county):
    """The county's people see every case of a county deployment: their list is not matched against every node
    (at ten million cases that match was most of a page's time); kinds they may not see stay out, and once a
    second root stands beside the county, the condition on place is back."""
    from minsheng.cases.models import CaseKind

    register(county.cg.admin, county.cg.estate, county.sewer)
    petition = register(county.dc.admin, county.dc.estate, county.sewer, text="楼道灯坏了")
    Case.objects.filter(pk=petition.pk).update(
        kind=CaseKind.objects.get(code="petition")
    )  # petition.view only
    assert "org_node" not in str(Case.objects.visible_to(county.leader).query)
    assert Case.objects.visible_to(county.leader).count() == 2
    # the county's 12345 desk holds no petition.view: the petition stays out of his list
    assert "org_node" not in str(Case.objects.visible_to(county.hotline).query)
    assert list(Case.objects.visible_to(county.hotline).values_list("number", flat=True)) == [
        n for n in Case.objects.values_list("number", flat=True) if n.startswith("CG-")
    ]
    assert "org_node" in str(Case.objects.visible_to(county.cg.admin).query)

    other = org.create_node(parent=None, kind=NodeKind.COUNTY, name="昌乐县", code="370725000000")
    street = org.create_node(parent=other, kind=NodeKind.STREET, name="宝城街道", code="370725001000")
    register(None, street, county.sewer, text="井盖缺失")  # registered by the system (a hotline order)
    assert "org_node" in str(Case.objects.visible_to(county.leader).query)
    assert not Case.objects.visible_to(county.leader).filter(node=street).exists()


def test_recurring_places_name_the_street_for_the_county_only(county, client_for):
    """未诉先办's places: a 街道's people read the 社区 (every row is in their 街道), the county's people, whose rows
    span 街道, read the 街道 and the 社区 — never the county every row shares."""
    for i in range(3):
        register(county.cg.admin, county.cg.estate, county.sewer, text=f"第{i}次反映下水道堵塞")
    own = client_for(county.cg.admin).get(reverse("cases:recurring"), {"days": 30, "min_count": 3})
    wide = client_for(county.leader).get(reverse("cases:recurring"), {"days": 30, "min_count": 3})
    assert [r["area"] for r in own.context["estate_rows"]] == ["城关社区"]
    assert [r["area"] for r in wide.context["estate_rows"]] == ["城关街道 城关社区"]
