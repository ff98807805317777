"""The organisation registries through /api/v1/org/: scoping, masking, writes through actions, query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.core.models import AuditLog
from minsheng.org import actions
from minsheng.org.choices import AssignmentKind, NodeKind, PropertyStatus
from minsheng.org.models import Assignment, EstateProperty, Grid, Node, Resident
from minsheng.testing.world import square

pytestmark = pytest.mark.django_db

API = "/api/v1/org"
VALID_ID = "11010519491231002X"  # the GB 11643 standard's own example
BAD_CHECK_ID = "110105194912310021"


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def people(world):
    """One resident in each community, registered by the system."""
    a = actions.register_resident(
        name="张三", node=world.unit_a, phone="13912345678", id_number=VALID_ID, tags=["elderly"]
    )
    b = actions.register_resident(name="李四", node=world.unit_b, phone="13987654321")
    return a, b


def make_user(username, role, node):
    user = account_actions.create_user(username=username, password=None)
    account_actions.grant_membership(user=user, role=role, node=node)
    return user


# -- scoping ---------------------------------------------------------------------------------------


def test_grid_b_sees_none_of_community_a(world, people, api_for):
    a, b = people
    names = [r["name"] for r in results(api_for(world.grid_b).get(f"{API}/residents/"))]
    assert names == ["李四"]
    assert api_for(world.grid_b).get(f"{API}/residents/{a.pk}/").status_code == 404
    assert api_for(world.grid_b).patch(f"{API}/residents/{a.pk}/", {"note": "x"}).status_code == 404
    nodes = {n["name"] for n in results(api_for(world.grid_b).get(f"{API}/nodes/"))}
    assert "颐和社区" not in nodes and "龙泉社区" in nodes


def test_admin_sees_both_communities(world, people, api_for):
    names = {r["name"] for r in results(api_for(world.admin).get(f"{API}/residents/"))}
    assert names == {"张三", "李四"}


def test_a_resident_account_cannot_read_the_registries(world, people, api_for):
    assert api_for(world.resident).get(f"{API}/residents/").status_code == 403
    assert api_for(world.resident).get(f"{API}/nodes/").status_code == 403


def test_anonymous_is_refused(world, client):
    assert client.get(f"{API}/nodes/").status_code in (401, 403)


# -- masking and the audited unmask ----------------------------------------------------------------


def test_personal_data_is_masked_in_list_and_detail(world, people, api_for):
    a, _b = people
    row = next(r for r in results(api_for(world.grid_a).get(f"{API}/residents/")) if r["id"] == a.pk)
    assert row["phone"] == "139****5678"
    assert row["id_number"] == "1101**********002X"
    assert "1单元" not in row["address"]
    detail = api_for(world.grid_a).get(f"{API}/residents/{a.pk}/").json()
    assert detail["phone"] == "139****5678"
    assert detail["tags"] == ["elderly"]


def test_unmasked_detail_is_shown_and_audited(world, people, api_for):
    a, _b = people
    response = api_for(world.grid_a).get(f"{API}/residents/{a.pk}/?unmasked=1")
    assert response.status_code == 200
    assert response.json()["phone"] == "13912345678"
    assert response.json()["id_number"] == VALID_ID
    entry = AuditLog.objects.get(action=AuditLog.Action.VIEW_PII)
    assert entry.user == world.grid_a
    assert entry.object_id == str(a.pk)


def test_unmasking_without_the_capability_is_forbidden_and_not_logged(world, people, api_for):
    a, _b = people
    cadre = make_user("cadre", Role.STREET_CADRE, world.street)  # org.view, no org.view_pii
    assert api_for(cadre).get(f"{API}/residents/{a.pk}/").status_code == 200
    response = api_for(cadre).get(f"{API}/residents/{a.pk}/?unmasked=1")
    assert response.status_code == 403
    assert "个人信息" in response.json()["detail"]
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_PII).exists()


# -- writes ----------------------------------------------------------------------------------------


def test_grid_worker_registers_and_edits_a_resident(world, api_for):
    client = api_for(world.grid_a)
    response = client.post(
        f"{API}/residents/",
        {
            "name": "王五",
            "node": world.unit_a.pk,
            "phone": "13700001111",
            "id_number": VALID_ID,
            "tags": ["alone"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    person = Resident.objects.get(pk=response.json()["id"])
    assert person.birth_date == dt.date(1949, 12, 31)  # derived by the action from the ID number
    assert response.json()["phone"] == "137****1111"
    assert AuditLog.objects.filter(action="create", object_id=str(person.pk), user=world.grid_a).exists()

    response = client.patch(f"{API}/residents/{person.pk}/", {"note": "独居老人", "tags": []}, format="json")
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.note == "独居老人"
    assert list(person.tags.all()) == []


def test_bad_id_number_is_a_400_in_chinese_and_writes_nothing(world, api_for):
    response = api_for(world.grid_a).post(
        f"{API}/residents/",
        {"name": "赵六", "node": world.unit_a.pk, "id_number": BAD_CHECK_ID},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["id_number"] == ["身份证号码校验位错误"]
    assert not Resident.objects.exists()


def test_duplicate_id_number_is_a_400(world, people, api_for):
    response = api_for(world.grid_a).post(
        f"{API}/residents/", {"name": "张三", "node": world.unit_a.pk, "id_number": VALID_ID}, format="json"
    )
    assert response.status_code == 400
    assert "已" in response.json()["id_number"][0]
    assert Resident.objects.count() == 2


def test_writing_without_org_change_is_forbidden(world, api_for):
    cadre = make_user("cadre", Role.STREET_CADRE, world.street)
    response = api_for(cadre).post(
        f"{API}/residents/", {"name": "王五", "node": world.unit_a.pk}, format="json"
    )
    assert response.status_code == 403
    assert not Resident.objects.exists()


def test_org_change_is_checked_at_the_node(world, api_for):
    """Sees the whole street, may change only community A: writing in B is a 403 from the action."""
    user = make_user("mixed", Role.STREET_CADRE, world.street)
    account_actions.grant_membership(user=user, role=Role.GRID_WORKER, node=world.community_a)
    client = api_for(user)
    assert client.post(f"{API}/residents/", {"name": "甲", "node": world.unit_b.pk}).status_code == 403
    assert client.post(f"{API}/residents/", {"name": "乙", "node": world.unit_a.pk}).status_code == 201
    assert list(Resident.objects.values_list("name", flat=True)) == ["乙"]


def test_a_node_outside_the_scope_reads_as_missing(world, api_for):
    response = api_for(world.grid_a).post(f"{API}/residents/", {"name": "甲", "node": world.unit_b.pk})
    assert response.status_code == 400
    assert "node" in response.json()
    assert not Resident.objects.exists()


def test_residents_cannot_be_deleted_in_v1(world, people, api_for):
    a, _b = people
    assert api_for(world.admin).delete(f"{API}/residents/{a.pk}/").status_code == 405
    assert Resident.objects.filter(pk=a.pk).exists()


def test_resident_filters(world, people, api_for):
    a, b = people
    client = api_for(world.admin)
    assert [r["id"] for r in results(client.get(f"{API}/residents/?tag=elderly"))] == [a.pk]
    assert [r["id"] for r in results(client.get(f"{API}/residents/?search=zs"))] == [a.pk]
    assert [r["id"] for r in results(client.get(f"{API}/residents/?search=4321"))] == [b.pk]
    assert results(client.get(f"{API}/residents/?search=13987654321")) == []  # no full-phone probing
    assert [r["id"] for r in results(client.get(f"{API}/residents/?under={world.community_b.pk}"))] == [b.pk]


# -- the administrative tree -----------------------------------------------------------------------


def test_node_search_matches_pinyin_initials_and_code(world, api_for):
    client = api_for(world.admin)
    assert [n["name"] for n in results(client.get(f"{API}/nodes/?search=cgjd"))] == ["城关街道"]
    assert [n["name"] for n in results(client.get(f"{API}/nodes/?search=370724001002"))] == ["龙泉社区"]
    assert [n["name"] for n in results(client.get(f"{API}/nodes/?search=yihe"))] == ["颐和社区", "颐和家园"]


def test_node_subtree_parent_and_fields(world, api_for, django_assert_max_num_queries):
    client = api_for(world.admin)
    client.get(f"{API}/nodes/")  # warm the user's memberships
    with django_assert_max_num_queries(3):  # count + page (subtree and parent ids inline)
        under = results(client.get(f"{API}/nodes/?under={world.community_a.pk}"))
    assert [n["name"] for n in under] == ["颐和社区", "颐和家园", "1号楼", "1单元"]
    unit = under[-1]
    assert unit["parent"] == world.building_a.pk
    assert unit["kind"] == NodeKind.UNIT and unit["kind_label"] == "单元"
    assert unit["full_name"] == "城关街道 颐和社区 颐和家园 1号楼 1单元"
    assert unit["depth"] == 5
    children = results(client.get(f"{API}/nodes/?parent={world.street.pk}"))
    assert [n["name"] for n in children] == ["颐和社区", "龙泉社区"]
    assert results(client.get(f"{API}/nodes/{world.street.pk}/children/")) == children
    ancestors = client.get(f"{API}/nodes/{world.unit_a.pk}/ancestors/").json()
    assert [n["name"] for n in ancestors] == ["城关街道", "颐和社区", "颐和家园", "1号楼"]
    community = client.get(f"{API}/nodes/{world.community_a.pk}/").json()
    assert community["geometry"]["type"] == "Polygon" and community["parent"] == world.street.pk


def test_ancestors_stop_at_the_users_scope(world, api_for):
    ancestors = api_for(world.grid_a).get(f"{API}/nodes/{world.unit_a.pk}/ancestors/").json()
    assert [n["name"] for n in ancestors] == ["颐和社区", "颐和家园", "1号楼"]


def test_create_and_rename_a_node(world, api_for):
    client = api_for(world.worker_a)
    response = client.post(
        f"{API}/nodes/", {"parent": world.estate_a.pk, "kind": "building", "name": "2号楼"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == world.estate_a.pk
    assert response.json()["full_name"] == "城关街道 颐和社区 颐和家园 2号楼"
    node_id = response.json()["id"]
    response = client.patch(f"{API}/nodes/{node_id}/", {"name": "二号楼"}, format="json")
    assert response.status_code == 200
    assert Node.objects.get(pk=node_id).full_name.endswith("二号楼")
    response = client.patch(f"{API}/nodes/{node_id}/", {"kind": "unit"}, format="json")
    assert response.status_code == 400 and "kind" in response.json()


def test_tree_grammar_error_is_a_field_400(world, api_for):
    response = api_for(world.worker_a).post(
        f"{API}/nodes/", {"parent": world.unit_a.pk, "kind": "building", "name": "楼中楼"}, format="json"
    )
    assert response.status_code == 400
    assert "kind" in response.json()


# -- grids -----------------------------------------------------------------------------------------


@pytest.fixture
def grids(world):
    staffed = actions.create_grid(
        community=world.community_a,
        name="颐和一网格",
        boundary=square(118.50, 36.50, 0.005),
        worker=world.grid_a,
    )
    empty = actions.create_grid(
        community=world.community_b, name="龙泉一网格", boundary=square(118.51, 36.50, 0.005)
    )
    return staffed, empty


def test_locate_finds_the_grid_and_its_responsible(world, grids, api_for):
    staffed, empty = grids
    client = api_for(world.admin)
    found = client.get(f"{API}/grids/locate/?lat=36.502&lng=118.502").json()
    assert [g["code"] for g in found] == [staffed.code]
    assert found[0]["responsible"] == {
        "user": {"id": world.grid_a.pk, "name": "社区A网格员"},
        "node": world.community_a.pk,
        "node_name": "颐和社区",
        "fallback": False,
    }
    fallback = client.get(f"{API}/grids/locate/?lat=36.502&lng=118.512").json()
    assert fallback[0]["responsible"]["user"] is None
    assert fallback[0]["responsible"]["fallback"] is True  # 属地兜底: the community answers
    assert fallback[0]["responsible"]["node"] == world.community_b.pk
    assert client.get(f"{API}/grids/locate/?lat=30&lng=110").json() == []
    assert api_for(world.grid_a).get(f"{API}/grids/locate/?lat=36.502&lng=118.512").json() == []


def test_locate_rejects_missing_and_bad_numbers(world, api_for):
    client = api_for(world.admin)
    response = client.get(f"{API}/grids/locate/?lng=118.5")
    assert response.status_code == 400
    assert response.json() == {"lat": ["请提供纬度 lat"]}
    response = client.get(f"{API}/grids/locate/?lat=abc&lng=999")
    assert response.status_code == 400
    assert response.json() == {"lat": ["纬度 lat 必须是数字"], "lng": ["经度 lng 应在 -180 到 180 之间"]}


def test_grid_create_generates_the_code_and_checks_the_community(world, api_for):
    client = api_for(world.worker_a)
    response = client.post(
        f"{API}/grids/",
        {
            "community": world.community_a.pk,
            "name": "颐和二网格",
            "boundary": square(118.5, 36.5),
            "worker": world.grid_a.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "370724001001001"
    response = client.post(f"{API}/grids/", {"community": world.estate_a.pk, "name": "错网格"}, format="json")
    assert response.status_code == 400 and "community" in response.json()
    response = client.post(
        f"{API}/grids/",
        {
            "community": world.community_a.pk,
            "name": "坏边界",
            "boundary": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        },
        format="json",
    )
    assert response.status_code == 400 and "boundary" in response.json()
    assert Grid.objects.count() == 1


def test_grid_update_and_filters(world, grids, api_for):
    staffed, empty = grids
    client = api_for(world.admin)
    response = client.patch(f"{API}/grids/{empty.pk}/", {"worker": world.grid_b.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["responsible"]["user"]["id"] == world.grid_b.pk
    assert [g["id"] for g in results(client.get(f"{API}/grids/?worker={world.grid_b.pk}"))] == [empty.pk]
    assert [g["id"] for g in results(client.get(f"{API}/grids/?under={world.community_a.pk}"))] == [
        staffed.pk
    ]
    assert [g["id"] for g in results(client.get(f"{API}/grids/?search=lqywg"))] == [empty.pk]
    assert client.patch(f"{API}/grids/{empty.pk}/", {"code": "1"}, format="json").status_code == 400


# -- responsibility --------------------------------------------------------------------------------


def test_responsible_falls_back_to_the_nearest_ancestor(world, api_for):
    estate = actions.assign_responsibility(
        kind=AssignmentKind.WORKER_TO_ESTATE, node=world.estate_a, user=world.worker_a
    )
    actions.assign_responsibility(
        kind=AssignmentKind.CADRE_TO_COMMUNITY, node=world.community_a, user=world.admin
    )
    client = api_for(world.grid_a)
    found = client.get(f"{API}/assignments/responsible/?node={world.unit_a.pk}").json()
    assert [a["id"] for a in found] == [estate.pk]
    found = client.get(
        f"{API}/assignments/responsible/?node={world.unit_a.pk}&kind={AssignmentKind.CADRE_TO_COMMUNITY}"
    ).json()
    assert [a["person_name"] for a in found] == ["街道管理员"]
    response = client.get(f"{API}/assignments/responsible/?node={world.unit_b.pk}")
    assert response.status_code == 400 and "node" in response.json()


def test_assignment_create_end_and_current_filter(world, api_for):
    client = api_for(world.worker_a)
    response = client.post(
        f"{API}/assignments/",
        {
            "kind": AssignmentKind.WORKER_TO_ESTATE,
            "node": world.estate_a.pk,
            "user": world.grid_a.pk,
            "valid_from": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post(f"{API}/assignments/{pk}/end/", {"on": "2025-12-01"}, format="json")
    assert response.status_code == 400 and "valid_to" in response.json()
    response = client.post(f"{API}/assignments/{pk}/end/", {"on": "2026-02-01"}, format="json")
    assert response.status_code == 200
    assert Assignment.objects.get(pk=pk).valid_to == dt.date(2026, 2, 1)
    assert results(client.get(f"{API}/assignments/?current=true")) == []
    assert [a["id"] for a in results(client.get(f"{API}/assignments/?current=false"))] == [pk]
    assert (
        client.post(f"{API}/assignments/", {"kind": "worker_estate", "node": world.estate_a.pk}).status_code
        == 400
    )


# -- property --------------------------------------------------------------------------------------


def test_estate_property_rules_give_400s(world, api_for):
    client = api_for(world.admin)
    company = client.post(f"{API}/property-companies/", {"name": "城关物业"}, format="json").json()
    street_led = client.post(
        f"{API}/property-companies/", {"name": "城关街道物业服务中心", "is_street_led": True}, format="json"
    ).json()
    body = {"node": world.estate_a.pk, "status": PropertyStatus.STREET_FALLBACK, "company": company["id"]}
    response = client.post(f"{API}/estate-properties/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"company": ["街道兜底须由街道领办的物业企业承接"]}
    body["company"] = street_led["id"]
    body["committee_phone"] = "13611112222"
    response = client.post(f"{API}/estate-properties/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["committee_phone"] == "136****2222"
    response = client.patch(
        f"{API}/estate-properties/{response.json()['id']}/", {"status": PropertyStatus.NONE}, format="json"
    )
    assert response.status_code == 200
    assert EstateProperty.objects.get().company is None
    response = client.post(
        f"{API}/estate-properties/", {"node": world.unit_a.pk, "status": PropertyStatus.NONE}, format="json"
    )
    assert response.status_code == 400 and "node" in response.json()


# -- query counts ----------------------------------------------------------------------------------


def _add_rows(world, endpoint, n):
    """n more rows for one list endpoint, each with the relations its serializer shows."""
    household = actions.register_household(node=world.unit_a, room=f"{endpoint}-{n}")
    party = actions.create_party_org(parent=None, kind="committee", name=f"党委{n}", node=world.community_a)
    for i in range(n):
        name = f"{n}-{i}"
        if endpoint == "residents":
            actions.register_resident(
                name=name, node=world.unit_a, household=household, tags=["elderly", "alone"]
            )
        elif endpoint == "households":
            actions.register_household(node=world.unit_a, room=name)
        elif endpoint == "nodes":
            actions.create_node(parent=world.estate_a, kind=NodeKind.BUILDING, name=name)
        elif endpoint == "grids":
            actions.create_grid(
                community=world.community_a,
                name=name,
                worker=world.grid_a,
                deputies=[world.worker_a],
                nodes=[world.building_a],
            )
        elif endpoint == "party-orgs":
            actions.create_party_org(parent=party, kind="branch", name=name, node=world.estate_a)
        elif endpoint == "party-members":
            member = actions.add_party_member(party_org=party, name=name, phone="13900000000")
            actions.link_member_households(member, [household])
        elif endpoint == "assignments":
            actions.assign_responsibility(
                kind=AssignmentKind.WORKER_TO_ESTATE, node=world.estate_a, user=world.grid_a, note=name
            )


LIST_ENDPOINTS = ["residents", "households", "nodes", "grids", "party-members", "party-orgs", "assignments"]


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_list_query_count_does_not_grow_with_rows(world, api_for, endpoint):
    client = api_for(world.worker_a)
    url = f"{API}/{endpoint}/?page_size=200"

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    client.get(url)  # the user's memberships are cached after the first request
    _add_rows(world, endpoint, 5)
    few, rows_few = count()
    _add_rows(world, endpoint, 25)
    many, rows_many = count()
    assert rows_many > rows_few >= 1
    assert many == few


# -- party members and households ------------------------------------------------------------------


def test_party_member_phone_is_masked_and_household_links_stay_in_scope(world, api_for):
    committee = actions.create_party_org(
        parent=None, kind="committee", name="颐和社区党委", node=world.community_a
    )
    home_a = actions.register_household(node=world.unit_a, room="101", head_name="张三")
    home_b = actions.register_household(node=world.unit_b, room="202", head_name="李四")
    client = api_for(world.admin)
    response = client.post(
        f"{API}/party-members/",
        {"party_org": committee.pk, "name": "王党员", "phone": "13500001234", "post": "member"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["phone"] == "135****1234"
    member = response.json()["id"]
    response = client.post(
        f"{API}/party-members/{member}/households/", {"households": [home_b.pk]}, format="json"
    )
    assert response.status_code == 400 and "households" in response.json()
    response = client.post(
        f"{API}/party-members/{member}/households/", {"households": [home_a.pk]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["households"] == [home_a.pk]


def test_household_room_is_masked_and_duplicates_are_refused(world, api_for):
    client = api_for(world.grid_a)
    response = client.post(
        f"{API}/households/", {"node": world.unit_a.pk, "room": "301", "head_name": "张三"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["room"] != "301" and "301" not in response.json()["address"]
    detail = client.get(f"{API}/households/{response.json()['id']}/?unmasked=1").json()
    assert detail["room"] == "301"
    response = client.post(f"{API}/households/", {"node": world.unit_a.pk, "room": "301"})
    assert response.status_code == 400
    assert any("已经存在" in message for messages in response.json().values() for message in messages)
