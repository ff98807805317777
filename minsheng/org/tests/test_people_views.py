"""The people pages: scoping per persona, masking, audited reveal, forms with bad input, property rules, query counts."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.core.models import AuditLog
from minsheng.org import actions
from minsheng.org.choices import AssignmentKind, PartyOrgKind, PartyPost, PropertyStatus
from minsheng.org.models import Assignment, EstateProperty, Household, Resident
from minsheng.org.validators import id_check_digit

pytestmark = pytest.mark.django_db


def id_number(first17: str) -> str:
    return first17 + id_check_digit(first17)


ID_A = id_number("37072419580312002")  # born 1958-03-12, female
ID_B = id_number("37072419900101001")


@dataclass
class People:
    household_a: Any
    resident_a: Any
    household_b: Any
    resident_b: Any
    committee_a: Any
    branch_a: Any
    member_a: Any
    committee_b: Any
    member_b: Any
    street_led: Any
    professional: Any
    assignment_a: Any
    assignment_b: Any


@pytest.fixture
def people(world) -> People:
    """Community A's and community B's rows, built through the actions as the system."""
    household_a = actions.register_household(node=world.unit_a, room="甲705室", head_name="张秀兰")
    resident_a = actions.register_resident(
        name="张秀兰",
        node=world.unit_a,
        household=household_a,
        phone="13812345678",
        id_number=ID_A,
        tags=["elderly", "party"],
    )
    household_b = actions.register_household(node=world.unit_b, room="乙202室", head_name="李国强")
    resident_b = actions.register_resident(
        name="李国强", node=world.unit_b, household=household_b, phone="13987654321", id_number=ID_B
    )
    working = actions.create_party_org(
        parent=None, kind=PartyOrgKind.WORKING_COMMITTEE, name="城关街道党工委", node=world.street
    )
    committee_a = actions.create_party_org(
        parent=working, kind=PartyOrgKind.COMMITTEE, name="颐和社区党委", node=world.community_a
    )
    branch_a = actions.create_party_org(
        parent=committee_a, kind=PartyOrgKind.BRANCH, name="颐和家园党支部", node=world.estate_a
    )
    committee_b = actions.create_party_org(
        parent=working, kind=PartyOrgKind.COMMITTEE, name="龙泉社区党委", node=world.community_b
    )
    member_a = actions.add_party_member(
        party_org=branch_a,
        name="张秀兰",
        post=PartyPost.BUILDING_LEADER,
        led_node=world.building_a,
        resident=resident_a,
    )
    member_b = actions.add_party_member(party_org=committee_b, name="李国强")
    street_led = actions.create_property_company(name="城关街道物业服务中心", is_street_led=True)
    professional = actions.create_property_company(name="泰安物业有限公司")
    actions.set_estate_property(world.estate_a, status=PropertyStatus.STREET_FALLBACK, company=street_led)
    actions.set_estate_property(world.estate_b, status=PropertyStatus.PROFESSIONAL, company=professional)
    assignment_a = actions.assign_responsibility(
        kind=AssignmentKind.WORKER_TO_ESTATE, node=world.estate_a, user=world.worker_a, note="甲区包联"
    )
    assignment_b = actions.assign_responsibility(
        kind=AssignmentKind.WORKER_TO_ESTATE, node=world.estate_b, user=world.grid_b, note="乙区包联"
    )
    return People(
        household_a,
        resident_a,
        household_b,
        resident_b,
        committee_a,
        branch_a,
        member_a,
        committee_b,
        member_b,
        street_led,
        professional,
        assignment_a,
        assignment_b,
    )


@pytest.fixture
def cadre(world):
    """A 街道干部(科室): may view the registries everywhere, but not personal data unmasked."""
    user = account_actions.create_user(username="cadre", display_name="街道科室干部", password=None)
    account_actions.grant_membership(user=user, role=Role.STREET_CADRE, node=world.street)
    return user


# -- scoping ---------------------------------------------------------------------------------------

#: For each list page: a marker only community A's rows show, and one only community B's rows show.
LISTS = {
    "org:resident_list": ("张秀兰", "李国强"),
    "org:household_list": ("张秀兰", "李国强"),
    "org:party_list": ("颐和社区党委", "龙泉社区党委"),
    "org:property_list": ("颐和家园", "龙泉小区"),
    "org:assignment_list": ("甲区包联", "乙区包联"),
}


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize(
    ("persona", "sees_a", "sees_b"),
    [("admin", True, True), ("worker_a", True, False), ("grid_a", True, False), ("grid_b", False, True)],
)
def test_lists_show_only_rows_in_scope(world, people, client_for, url_name, persona, sees_a, sees_b):
    response = client_for(getattr(world, persona)).get(reverse(url_name))
    assert response.status_code == 200
    marker_a, marker_b = LISTS[url_name]
    content = response.content.decode()
    assert (marker_a in content) is sees_a
    assert (marker_b in content) is sees_b


def test_a_resident_account_gets_the_staff_only_notice(world, people, client_for):
    client = client_for(world.resident)
    for url in [reverse(name) for name in LISTS] + _a_detail_urls(world, people):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "工作台仅供工作人员使用" in response.content.decode()
        assert "张秀兰" not in response.content.decode()
    assert client.post(reverse("org:resident_reveal", args=[people.resident_a.pk])).status_code == 403
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_PII).exists()


def _a_detail_urls(world, people) -> list[str]:
    return [
        reverse("org:resident_detail", args=[people.resident_a.pk]),
        reverse("org:resident_edit", args=[people.resident_a.pk]),
        reverse("org:household_detail", args=[people.household_a.pk]),
        reverse("org:party_detail", args=[people.committee_a.pk]),
        reverse("org:party_detail", args=[people.branch_a.pk]),
        reverse("org:party_member_detail", args=[people.member_a.pk]),
        reverse("org:party_member_create", args=[people.branch_a.pk]),
        reverse("org:estate_property_edit", args=[world.estate_a.pk]),
    ]


def test_details_outside_scope_answer_404(world, people, client_for):
    client = client_for(world.grid_b)
    for url in _a_detail_urls(world, people):
        assert client.get(url).status_code == 404, url
    for name, pk in [
        ("org:resident_reveal", people.resident_a.pk),
        ("org:household_reveal", people.household_a.pk),
        ("org:assignment_end", people.assignment_a.pk),
    ]:
        assert client.post(reverse(name, args=[pk]), {"on": "2026-01-01"}).status_code == 404, name
    assert Assignment.objects.get(pk=people.assignment_a.pk).valid_to is None
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_PII).exists()


@pytest.mark.parametrize("persona", ["admin", "worker_a", "grid_a"])
def test_details_inside_scope_open(world, people, client_for, persona):
    client = client_for(getattr(world, persona))
    for url in _a_detail_urls(world, people):
        assert client.get(url).status_code == 200, url


def test_party_org_page_lists_members_of_its_own_scope_only(world, people, client_for):
    response = client_for(world.grid_a).get(reverse("org:party_detail", args=[people.committee_a.pk]))
    content = response.content.decode()
    assert "颐和家园党支部" in content  # a child org
    assert "城关街道党工委" not in content  # the parent lies outside grid_a's scope


# -- masking and the audited reveal ----------------------------------------------------------------


def test_resident_list_masks_personal_data_even_for_users_who_may_see_it(world, people, client_for):
    response = client_for(world.admin).get(reverse("org:resident_list"))
    content = response.content.decode()
    assert "138****5678" in content
    assert ID_A[:4] + "**********" + ID_A[-4:] in content
    assert "颐和社区 颐和家园 ****" in content
    for secret in ("13812345678", ID_A, "甲705室"):
        assert secret not in content
    assert 'class="badge badge-blue">老年人' in content


def test_detail_is_masked_and_reveal_is_audited(world, people, client_for):
    client = client_for(world.grid_a)
    reveal_url = reverse("org:resident_reveal", args=[people.resident_a.pk])
    detail = client.get(reverse("org:resident_detail", args=[people.resident_a.pk])).content.decode()
    assert "138****5678" in detail
    assert "颐和社区 颐和家园 ****" in detail
    assert "13812345678" not in detail and ID_A not in detail
    assert reveal_url in detail and "查看完整信息" in detail

    assert client.get(reveal_url).status_code == 405  # a reveal is a deliberate POST, never a link
    response = client.post(reveal_url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "13812345678" in content and ID_A in content and "甲705室" in content
    assert "no-store" in response["Cache-Control"]
    entry = AuditLog.objects.get(action=AuditLog.Action.VIEW_PII)
    assert entry.user == world.grid_a
    assert entry.object_id == str(people.resident_a.pk)
    assert entry.note

    assert "查看居民完整信息" in content  # the history, full values and all, comes with the audited reveal

    again = client.get(reverse("org:resident_detail", args=[people.resident_a.pk])).content.decode()
    assert "13812345678" not in again and ID_A not in again


def test_reveal_is_forbidden_without_view_pii(world, people, client_for, cadre):
    client = client_for(cadre)
    detail = client.get(reverse("org:resident_detail", args=[people.resident_a.pk]))
    assert detail.status_code == 200
    assert "查看完整信息" not in detail.content.decode()
    assert client.post(reverse("org:resident_reveal", args=[people.resident_a.pk])).status_code == 403
    assert client.post(reverse("org:household_reveal", args=[people.household_a.pk])).status_code == 403
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_PII).exists()


def test_household_reveal_shows_the_room_once_and_is_audited(world, people, client_for):
    client = client_for(world.worker_a)
    url = reverse("org:household_detail", args=[people.household_a.pk])
    assert "甲705室" not in client.get(url).content.decode()
    response = client.post(reverse("org:household_reveal", args=[people.household_a.pk]))
    assert "甲705室" in response.content.decode()
    assert AuditLog.objects.filter(
        action=AuditLog.Action.VIEW_PII, object_id=str(people.household_a.pk), user=world.worker_a
    ).exists()


# -- resident forms --------------------------------------------------------------------------------


def _resident_post(world, **overrides) -> dict:
    data = {
        "name": "王桂芳",
        "gender": "",
        "birth_date": "",
        "phone": "13700001111",
        "id_number": "",
        "node": world.unit_a.pk,
        "household": "",
        "relation": "",
        "tags": [],
        "note": "",
    }
    data.update(overrides)
    return data


def test_wrong_id_check_digit_is_a_chinese_error_and_nothing_is_written(world, client_for):
    wrong = ID_A[:17] + ("0" if ID_A[17] != "0" else "1")
    before = Resident.objects.count()
    response = client_for(world.worker_a).post(
        reverse("org:resident_create"), _resident_post(world, id_number=wrong)
    )
    assert response.status_code == 200
    assert "身份证号码校验位错误" in response.content.decode()
    assert Resident.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "1234", "请输入11位手机号码"),
        ("id_number", "3707241958", "身份证号码应为18位"),
        ("id_number", "370724195802300011", "出生日期无效"),
        ("name", "", "该字段是必填项"),
    ],
)
def test_bad_resident_input_gives_field_errors(world, client_for, field, value, message):
    response = client_for(world.worker_a).post(
        reverse("org:resident_create"), _resident_post(world, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resident.objects.filter(name="王桂芳").exists()


def test_duplicate_id_number_is_refused_by_the_action(world, people, client_for):
    response = client_for(world.admin).post(
        reverse("org:resident_create"), _resident_post(world, id_number=ID_A)
    )
    assert "该身份证号码已登记" in response.content.decode()
    assert Resident.objects.filter(id_number=ID_A).count() == 1


def test_household_must_be_at_the_residents_address(world, people, client_for):
    response = client_for(world.admin).post(
        reverse("org:resident_create"),
        _resident_post(world, node=world.unit_a.pk, household=people.household_b.pk),
    )
    assert response.status_code == 200
    assert not Resident.objects.filter(name="王桂芳").exists()
    assert "errorlist" in response.content.decode()


def test_a_node_outside_the_users_scope_cannot_be_posted(world, client_for):
    response = client_for(world.grid_b).post(
        reverse("org:resident_create"), _resident_post(world, node=world.unit_a.pk)
    )
    assert response.status_code == 200
    assert not Resident.objects.filter(name="王桂芳").exists()


def test_create_resident_through_the_form(world, people, client_for):
    response = client_for(world.grid_a).post(
        reverse("org:resident_create"),
        _resident_post(
            world,
            id_number=id_number("37072419800415002").lower(),
            household=people.household_a.pk,
            tags=["alone"],
        ),
    )
    resident = Resident.objects.get(name="王桂芳")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:resident_detail", args=[resident.pk])
    assert resident.birth_date == dt.date(1980, 4, 15)
    assert resident.gender == "F"
    assert resident.household == people.household_a
    assert [t.code for t in resident.tags.all()] == ["alone"]
    assert AuditLog.objects.filter(action=AuditLog.Action.CREATE, user=world.grid_a).exists()


def test_edit_form_never_prefills_personal_data_and_blank_keeps_it(world, people, client_for):
    client = client_for(world.worker_a)
    url = reverse("org:resident_edit", args=[people.resident_a.pk])
    page = client.get(url).content.decode()
    assert "13812345678" not in page and ID_A not in page
    assert 'placeholder="138****5678"' in page

    response = client.post(
        url,
        _resident_post(
            world,
            name="张秀兰",
            phone="",
            id_number="",
            household=people.household_a.pk,
            tags=["elderly"],
            relation="户主",
        ),
    )
    assert response.status_code == 302
    resident = Resident.objects.get(pk=people.resident_a.pk)
    assert (resident.phone, resident.id_number, resident.relation) == ("13812345678", ID_A, "户主")
    assert [t.code for t in resident.tags.all()] == ["elderly"]


def test_household_options_follow_the_chosen_address(world, people, client_for):
    client = client_for(world.admin)
    url = reverse("org:resident_household_options")
    assert "张秀兰" in client.get(url, {"node": world.unit_a.pk}).content.decode()
    assert "张秀兰" not in client.get(url, {"node": world.unit_b.pk}).content.decode()
    assert client_for(world.grid_b).get(url, {"node": world.unit_a.pk}).content.decode().count("<option") == 1


def test_household_create_refuses_a_duplicate_room(world, people, client_for):
    client = client_for(world.worker_a)
    data = {"node": world.unit_a.pk, "room": "甲705室", "head_name": "另一户", "note": ""}
    response = client.post(reverse("org:household_create"), data)
    assert response.status_code == 200
    assert "该地址下已登记这个门牌/房号" in response.content.decode()
    assert Household.objects.filter(node=world.unit_a).count() == 1
    response = client.post(reverse("org:household_create"), data | {"room": "甲706室"})
    assert response.status_code == 302


def test_malformed_filters_and_pages_do_not_break_lists(world, people, client_for):
    client = client_for(world.admin)
    for url_name in LISTS:
        response = client.get(reverse(url_name), {"node": "abc", "page": "zzz", "status": "x", "kind": "y"})
        assert response.status_code == 200, url_name


def test_resident_search_by_pinyin_initials_and_phone_tail(world, people, client_for):
    client = client_for(world.admin)
    url = reverse("org:resident_list")

    def names(**params):
        return [r.name for r, _ in client.get(url, params).context["rows"]]

    assert names(q="zxl") == ["张秀兰"]
    assert names(q="liguoqiang") == ["李国强"]
    assert names(q="4321") == ["李国强"]
    assert names(node=world.community_b.pk) == ["李国强"]
    assert names(tag="elderly") == ["张秀兰"]


def test_resident_list_query_count_does_not_grow_with_the_page(world, client_for):
    client = client_for(world.admin)
    url = reverse("org:resident_list")

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    household = actions.register_household(node=world.unit_a, room="1", head_name="户主")
    for i in range(5):
        actions.register_resident(
            name=f"居民{i}", node=world.unit_a, household=household, phone=f"1380000{i:04d}", tags=["elderly"]
        )
    with_five = count_queries()
    for i in range(5, 30):
        actions.register_resident(
            name=f"居民{i}", node=world.unit_a, household=household, phone=f"1380000{i:04d}", tags=["alone"]
        )
    assert count_queries() == with_five


# -- party -----------------------------------------------------------------------------------------


def test_party_tree_counts_members_per_org_and_subtree(world, people, client_for):
    orgs = client_for(world.admin).get(reverse("org:party_list")).context["orgs"]
    counts = {o.name: (o.member_count, o.total_count, o.level) for o in orgs}
    assert counts["城关街道党工委"] == (0, 2, 0)
    assert counts["颐和社区党委"] == (0, 1, 1)
    assert counts["颐和家园党支部"] == (1, 1, 2)


def test_link_member_households_through_the_form(world, people, client_for):
    client = client_for(world.worker_a)
    url = reverse("org:party_member_detail", args=[people.member_a.pk])
    response = client.post(url, {"households": [people.household_a.pk]})
    assert response.status_code == 302
    assert list(people.member_a.households.all()) == [people.household_a]
    assert (
        "张秀兰" in client.get(reverse("org:household_detail", args=[people.household_a.pk])).content.decode()
    )

    # A household of another community is not among the choices: refused, the previous links kept.
    response = client.post(url, {"households": [people.household_b.pk]})
    assert response.status_code == 200
    assert list(people.member_a.households.all()) == [people.household_a]


def test_viewers_without_change_cannot_link_households(world, people, client_for, cadre):
    url = reverse("org:party_member_detail", args=[people.member_a.pk])
    assert client_for(cadre).post(url, {"households": [people.household_a.pk]}).status_code == 403
    assert not people.member_a.households.exists()


def test_building_leader_needs_a_building(world, people, client_for):
    url = reverse("org:party_member_create", args=[people.branch_a.pk])
    client = client_for(world.worker_a)
    response = client.post(url, {"name": "赵楼长", "post": PartyPost.BUILDING_LEADER, "phone": ""})
    assert "楼长/单元长须指定负责的楼栋或单元" in response.content.decode()
    response = client.post(
        url, {"name": "赵楼长", "post": PartyPost.BUILDING_LEADER, "led_node": world.building_a.pk}
    )
    assert response.status_code == 302


# -- property --------------------------------------------------------------------------------------


def _property_post(**overrides) -> dict:
    data = {
        "status": PropertyStatus.PROFESSIONAL,
        "company": "",
        "committee_chair": "",
        "committee_phone": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("status", "company", "message"),
    [
        (PropertyStatus.STREET_FALLBACK, "professional", "街道兜底须由街道领办的物业企业承接"),
        (PropertyStatus.PROFESSIONAL, None, "请选择物业企业"),
        (PropertyStatus.STREET_FALLBACK, None, "请选择物业企业"),
    ],
)
def test_property_status_rules_give_chinese_errors(world, people, client_for, status, company, message):
    company_pk = getattr(people, company).pk if company else ""
    response = client_for(world.worker_a).post(
        reverse("org:estate_property_edit", args=[world.estate_a.pk]),
        _property_post(status=status, company=company_pk),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    profile = EstateProperty.objects.get(node=world.estate_a)
    assert (profile.status, profile.company) == (PropertyStatus.STREET_FALLBACK, people.street_led)


def test_property_profile_saved_and_summarised(world, people, client_for):
    client = client_for(world.worker_a)
    response = client.post(
        reverse("org:estate_property_edit", args=[world.estate_a.pk]),
        _property_post(
            status=PropertyStatus.NONE,
            company=people.professional.pk,  # dropped: a 小区 without service has no company
            is_red_property="on",
            has_owners_committee="on",
            committee_chair="周主任",
            committee_phone="13600001234",
        ),
    )
    assert response.status_code == 302
    profile = EstateProperty.objects.get(node=world.estate_a)
    assert profile.status == PropertyStatus.NONE and profile.company is None
    assert profile.is_red_property and profile.committee_phone == "13600001234"

    page = client.get(reverse("org:property_list"))
    summary = {item["value"]: item["count"] for item in page.context["summary"]}
    assert summary == {"professional": 0, "street_fallback": 0, "none": 1, "self_managed": 0, "unset": 0}
    assert page.context["red_count"] == 1
    assert "13600001234" not in page.content.decode()


def test_only_estates_have_a_property_profile_page(world, people, client_for):
    client = client_for(world.admin)
    assert client.get(reverse("org:estate_property_edit", args=[world.unit_a.pk])).status_code == 404


def test_viewer_without_change_cannot_edit_property(world, people, client_for, cadre):
    url = reverse("org:estate_property_edit", args=[world.estate_a.pk])
    assert client_for(cadre).get(url).status_code == 403


def test_company_page_lists_only_estates_in_scope(world, people, client_for):
    people_with_both = actions.set_estate_property(
        world.estate_a, status=PropertyStatus.PROFESSIONAL, company=people.professional
    )
    assert people_with_both.company == people.professional
    url = reverse("org:property_company_detail", args=[people.professional.pk])
    content_a = client_for(world.grid_a).get(url).content.decode()
    assert "颐和家园" in content_a and "龙泉小区" not in content_a
    assert "龙泉小区" in client_for(world.admin).get(url).content.decode()


# -- assignments -----------------------------------------------------------------------------------


def test_end_assignment_and_filters(world, people, client_for):
    client = client_for(world.worker_a)
    response = client.post(reverse("org:assignment_end", args=[people.assignment_a.pk]), {"on": "2020-01-01"})
    assert response.status_code == 302
    assert Assignment.objects.get(pk=people.assignment_a.pk).valid_to == dt.date(2020, 1, 1)

    url = reverse("org:assignment_list")
    assert "甲区包联" not in client.get(url).content.decode()
    assert "已结束" in client.get(url, {"include_ended": "on"}).content.decode()


def test_end_assignment_with_a_bad_date_changes_nothing(world, people, client_for):
    client = client_for(world.worker_a)
    url = reverse("org:assignment_end", args=[people.assignment_a.pk])
    assert client.post(url, {"on": "not-a-date"}).status_code == 302
    assert client.get(url).status_code == 405
    assert Assignment.objects.get(pk=people.assignment_a.pk).valid_to is None


def test_node_view_shows_who_answers_now(world, people, client_for):
    response = client_for(world.grid_a).get(reverse("org:assignment_list"), {"node": world.unit_a.pk})
    rows = response.context["responsible"]
    assert [(r["label"], [a.user for a in r["assignments"]], r["inherited"]) for r in rows] == [
        ("社区干部靠小区", [world.worker_a], True)
    ]
    assert "当前谁为" in response.content.decode()


def test_create_assignment_needs_a_person(world, people, client_for):
    client = client_for(world.worker_a)
    data = {
        "kind": AssignmentKind.MEMBER_TO_BUILDING,
        "node": world.building_a.pk,
        "valid_from": "2026-01-01",
    }
    response = client.post(reverse("org:assignment_create"), data)
    assert "请指定负责人（账号）或负责党员" in response.content.decode()
    response = client.post(
        reverse("org:assignment_create"),
        data | {"party_member": people.member_a.pk, "valid_to": "2025-01-01"},
    )
    assert "截止日期不能早于起始日期" in response.content.decode()
    response = client.post(reverse("org:assignment_create"), data | {"party_member": people.member_a.pk})
    assert response.status_code == 302
    assert Assignment.objects.filter(party_member=people.member_a, node=world.building_a).exists()
