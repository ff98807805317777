"""The demo 街道: its size and shape, grids that tile the street, and a load that is idempotent and audited.

Loading takes seconds, so the module loads it once, inside a transaction rolled back at the end; each test
runs in its own savepoint on top of it.
"""

import io
from dataclasses import astuple
from itertools import combinations
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import override_settings
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership, User
from minsheng.core.models import AuditLog
from minsheng.org import demo
from minsheng.org.choices import TERRITORIAL_KINDS, AssignmentKind, NodeKind, PartyPost, PropertyStatus
from minsheng.org.models import (
    Assignment,
    EstateProperty,
    Grid,
    Household,
    Node,
    PartyMember,
    PartyOrg,
    PropertyCompany,
    Resident,
)
from minsheng.org.validators import validate_credit_code, validate_id_number

pytestmark = pytest.mark.django_db

COUNTED = [
    Node,
    Grid,
    Household,
    Resident,
    PartyOrg,
    PartyMember,
    Assignment,
    EstateProperty,
    User,
    Membership,
    AuditLog,
]


@pytest.fixture(scope="module")
def street(django_db_setup, django_db_blocker):
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        out = io.StringIO()
        logins = demo.load(out)
        yield SimpleNamespace(
            logins=logins,
            output=out.getvalue(),
            node=Node.objects.get(kind=NodeKind.STREET, name=demo.STREET_NAME),
            admin=User.objects.get(username="admin"),
        )
        transaction.set_rollback(True)


def children(node):
    return Node.objects.filter(path__startswith=node.path, depth=node.depth + 1)


def test_size_follows_the_article(street):
    kinds = Node.objects.subtree_of(street.node)
    assert street.node.code == "370724001000"
    assert kinds.filter(kind=NodeKind.COMMUNITY).count() >= 8
    assert kinds.filter(kind=NodeKind.VILLAGE).count() == 51
    assert set(
        kinds.filter(kind=NodeKind.VILLAGE, name__in=demo.CHERRY_CLUSTER_VILLAGES).values_list(
            "name", flat=True
        )
    ) == set(demo.CHERRY_CLUSTER_VILLAGES)
    assert {"月庄村", "衡里炉村"} <= set(demo.CHERRY_CLUSTER_VILLAGES)
    assert len(demo.CHERRY_CLUSTER_VILLAGES) == 10
    assert kinds.filter(kind=NodeKind.ESTATE, name="颐和家园").exists()
    assert 55 <= Grid.objects.count() <= 70
    assert Resident.objects.count() >= 4500
    for community in kinds.filter(kind=NodeKind.COMMUNITY):
        estates = children(community)
        assert 2 <= len(estates) <= 4
        for estate in estates:
            buildings = children(estate)
            assert 3 <= len(buildings) <= 8
            assert all(2 <= children(b).count() <= 3 for b in buildings)
    for village in kinds.filter(kind=NodeKind.VILLAGE):
        assert 1 <= children(village).filter(kind=NodeKind.NATURAL_VILLAGE).count() <= 3
        assert 1 <= village.grids.count() <= 2


def test_it_says_it_is_demonstration_data(street):
    assert "演示" in street.node.name
    assert not Resident.objects.exclude(note__contains="演示").exists()
    assert not Household.objects.exclude(note__contains="演示").exists()
    assert not PropertyCompany.objects.exclude(name__contains="演示").exists()
    assert not User.objects.exclude(title__contains="演示").exists()
    # Phones come from one fictional range.
    assert not User.objects.exclude(phone__startswith="1990").exists()
    assert not Resident.objects.exclude(phone="").exclude(phone__startswith="1990").exists()


def test_grids_tile_the_street_without_gaps_or_overlaps(street):
    boundary = shape(street.node.geometry)
    grids = list(Grid.objects.select_related("community"))
    shapes = [shape(g.boundary) for g in grids]
    assert all(s.is_valid for s in shapes)
    assert unary_union(shapes).area == pytest.approx(boundary.area, rel=0.005)
    overlap = sum(a.intersection(b).area for a, b in combinations(shapes, 2) if a.intersects(b))
    assert overlap < boundary.area * 1e-5
    # A 社区/村 is exactly the union of its grids.
    by_territory: dict[int, list] = {}
    for grid, s in zip(grids, shapes, strict=True):
        assert grid.community.kind in TERRITORIAL_KINDS
        by_territory.setdefault(grid.community_id, []).append(s)
    for territory in Node.objects.filter(pk__in=by_territory):
        union = unary_union(by_territory[territory.pk])
        assert shape(territory.geometry).symmetric_difference(union).area < union.area * 1e-4


def test_a_place_is_found_in_a_grid_of_its_own_community(street):
    for estate in Node.objects.filter(kind__in=[NodeKind.ESTATE, NodeKind.NATURAL_VILLAGE]):
        found = list(Grid.objects.containing(estate.lat, estate.lng))
        assert len(found) == 1, estate.full_name
        grid = found[0]
        assert estate.path.startswith(grid.community.path)
        assert grid.nodes.filter(pk=estate.pk).exists()
        assert shape(grid.boundary).contains(Point(estate.lng, estate.lat))


def test_every_grid_has_a_worker_or_falls_to_its_community(street):
    unstaffed = []
    for grid in Grid.objects.select_related("worker", "community"):
        user, node = grid.responsible()
        assert node == grid.community
        if user is None:
            unstaffed.append(grid)
        else:
            assert user.has_cap("org.change", grid.community)
            assert Membership.objects.filter(user=user, role=Role.GRID_WORKER, node=grid.community).exists()
    assert 2 <= len(unstaffed) <= 3
    assert Grid.objects.filter(deputies__isnull=False).distinct().count() >= 10
    assert Grid.objects.filter(code__startswith="370724001001").count() >= 1  # codes from next_grid_code


def test_every_role_has_someone_and_the_logins_work(street):
    # The roles above the 街道 come with `demo --streets N` (minsheng/ops/tests/test_county_demo.py).
    roles = [r for r in Role if r not in {Role.COUNTY_ADMIN, Role.COUNTY_LEADER, Role.COUNTY_HOTLINE}]
    for role in roles:
        assert Membership.objects.filter(role=role).exists(), role
    assert Membership.objects.filter(role=Role.VILLAGE_SUPERVISOR).values("user").distinct().count() == 32
    supervised = Membership.objects.filter(role=Role.VILLAGE_SUPERVISOR)
    assert supervised.values("node").distinct().count() == 51
    assert [label for label, _u, _p in street.logins] == [str(r.label) for r in roles]
    for role, (_label, username, password) in zip(roles, street.logins, strict=True):
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert user.memberships.filter(role=role).exists()
    resident = User.objects.get(username="resident")
    assert resident.resident.household is not None


def test_id_numbers_are_valid_and_match_the_person(street):
    people = Resident.objects.exclude(id_number="")
    assert people.count() > 0.85 * Resident.objects.count()
    for person in people:
        validate_id_number(person.id_number)
        assert person.id_number.startswith("370724")
        assert person.id_number[6:14] == person.birth_date.strftime("%Y%m%d")
        assert int(person.id_number[16]) % 2 == (1 if person.gender == "M" else 0)


def test_tags_follow_age_and_party_membership(street):
    ref = demo.REFERENCE_DATE
    for person in Resident.objects.prefetch_related("tags").select_related("party_member"):
        codes = {t.code for t in person.tags.all()}
        b = person.birth_date
        age = ref.year - b.year - ((ref.month, ref.day) < (b.month, b.day))
        assert ("elderly" in codes) == (age >= 60), person
        has_post = hasattr(person, "party_member")
        assert ("party" in codes) == has_post, person


def test_party_tree_and_responsibility(street):
    root = PartyOrg.objects.get(depth=1)
    assert root.node == street.node
    for community in Node.objects.filter(kind=NodeKind.COMMUNITY):
        committee = PartyOrg.objects.get(node=community)
        assert committee.depth == 2 and committee.path.startswith(root.path)
        for estate in children(community):
            branch = PartyOrg.objects.get(node=estate)
            assert branch.depth == 3 and branch.path.startswith(committee.path)
            assert branch.members.filter(post=PartyPost.SECRETARY).count() == 1
            assert Assignment.objects.filter(kind=AssignmentKind.WORKER_TO_ESTATE, node=estate).exists()
        assert Assignment.objects.filter(kind=AssignmentKind.CADRE_TO_COMMUNITY, node=community).exists()
    for building in Node.objects.filter(kind=NodeKind.BUILDING):
        leader = PartyMember.objects.get(post=PartyPost.BUILDING_LEADER, led_node=building)
        assert leader.resident.node.path.startswith(building.path)
        assert (
            Assignment.objects.get(kind=AssignmentKind.MEMBER_TO_BUILDING, node=building).party_member
            == leader
        )
    assert PartyMember.objects.filter(post=PartyPost.UNIT_LEADER).exists()
    assert Node.objects.filter(kind=NodeKind.VILLAGE, party_orgs__isnull=True).count() == 0
    for member in PartyMember.objects.select_related("party_org__node").prefetch_related("households__node"):
        households = list(member.households.all())
        assert 3 <= len(households) <= 10
        assert all(h.node.path.startswith(member.party_org.node.path) for h in households)


def test_property_statuses_and_companies(street):
    estates = Node.objects.filter(kind=NodeKind.ESTATE)
    assert EstateProperty.objects.count() == estates.count()
    statuses = set(EstateProperty.objects.values_list("status", flat=True))
    assert statuses == set(PropertyStatus.values)
    street_led = PropertyCompany.objects.get(is_street_led=True)
    assert street_led.name == "临朐县城关街道锦城物业服务有限公司（演示）"
    assert (
        EstateProperty.objects.filter(status=PropertyStatus.STREET_FALLBACK)
        .exclude(company=street_led)
        .count()
        == 0
    )
    assert EstateProperty.objects.filter(is_red_property=True).exists()
    assert EstateProperty.objects.filter(has_owners_committee=True).exists()
    assert PropertyCompany.objects.count() >= 4
    for company in PropertyCompany.objects.all():
        validate_credit_code(company.credit_code)


def test_every_change_is_attributed_to_the_demo_admin(street):
    assert AuditLog.objects.exclude(user=street.admin).count() == 0
    creations = AuditLog.objects.filter(action=AuditLog.Action.CREATE, user=street.admin)
    assert creations.filter(content_type__model="resident").count() == Resident.objects.count()
    assert creations.filter(content_type__model="grid").count() == Grid.objects.count()


def test_a_second_load_adds_nothing(street):
    before = {model.__name__: model.objects.count() for model in COUNTED}
    out = io.StringIO()
    assert demo.load(out) == street.logins
    assert {model.__name__: model.objects.count() for model in COUNTED} == before
    assert "已存在" in out.getvalue()


def test_the_layout_is_the_same_every_time():
    first, second = demo.DemoStreet(), demo.DemoStreet()
    first.lay_out()
    second.lay_out()
    assert [(t.name, t.code, t.cell.wkt, [s.wkt for s in t.shapes]) for t in first.territories] == [
        (t.name, t.code, t.cell.wkt, [s.wkt for s in t.shapes]) for t in second.territories
    ]
    families = [
        [[astuple(p) for p in street.people.family(rural=True)] for _ in range(20)]
        for street in (first, second)
    ]
    assert families[0] == families[1]
