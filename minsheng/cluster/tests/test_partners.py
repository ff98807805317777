"""Cooperatives and family farms with members, 龙头企业 带动 agreements, incubation centres: the actions, the staff
pages and the API, each with good and bad input and with users of another village and another 街道."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from minsheng.accounts import actions as account_actions
from minsheng.accounts.choices import Role
from minsheng.activities.models import Venue
from minsheng.cluster import actions
from minsheng.cluster.choices import AgreementKind, OrgKind, Package, Variety
from minsheng.cluster.models import Agreement, Centre, Organisation
from minsheng.org import actions as org_actions
from minsheng.org.choices import NodeKind

from .conftest import make_enterprise

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 1)


@pytest.fixture
def more(cw, password):
    """A second grower in 月庄, one in 衡里炉, a leading and an ordinary enterprise, a supervisor of another 街道."""

    class More:
        pass

    m = More()
    m.li = actions.do_register_grower(actor=None, name="李秀英", phone="13800000022", village=cw.yuezhuang)
    m.zhao = actions.do_register_grower(actor=None, name="赵四", phone="13800000033", village=cw.henglilu)
    m.leading = make_enterprise("千喜鹤", "91370724MA0000003X", cw.w.street)
    m.ordinary = make_enterprise("某五金店", "91370724MA0000004X", cw.w.street, leading=False)
    east = org_actions.create_node(parent=None, kind=NodeKind.STREET, name="东城街道")
    m.east_village = org_actions.create_node(parent=east, kind=NodeKind.VILLAGE, name="东村")
    m.east_sup = account_actions.create_user(
        username="east_sup", display_name="东村监管员", password=password
    )
    account_actions.grant_membership(user=m.east_sup, role=Role.VILLAGE_SUPERVISOR, node=m.east_village)
    return m


def _coop(cw, members=(), name="月庄樱桃专业合作社"):
    return actions.do_create_organisation(
        actor=cw.supervisor,
        kind=OrgKind.COOPERATIVE,
        name=name,
        village=cw.yuezhuang,
        leader="王建国",
        members=members,
    )


# -- actions ----------------------------------------------------------------------------------------------------


def test_organisation_actions(cw, more):
    coop = _coop(cw, members=[cw.grower])
    assert list(coop.members.all()) == [cw.grower]
    with pytest.raises(ValidationError) as e:
        actions.do_create_organisation(actor=cw.supervisor, kind="x", name=" ", village=cw.w.community_a)
    assert {"kind", "name", "village"} <= set(e.value.message_dict)
    with pytest.raises(PermissionDenied):  # another village's supervisor
        actions.do_create_organisation(
            actor=cw.supervisor_b, kind=OrgKind.FAMILY_FARM, name="王家农场", village=cw.yuezhuang
        )
    farm = actions.do_create_organisation(
        actor=cw.supervisor, kind=OrgKind.FAMILY_FARM, name="王建国家庭农场", village=cw.yuezhuang
    )
    with pytest.raises(ValidationError) as e:  # renaming onto another's name
        actions.do_update_organisation(
            farm,
            actor=cw.supervisor,
            kind=OrgKind.FAMILY_FARM,
            name="月庄樱桃专业合作社",
            village=cw.yuezhuang,
        )
    assert "同名" in e.value.message_dict["name"][0]
    farm = actions.do_update_organisation(
        farm,
        actor=cw.supervisor,
        kind=OrgKind.FAMILY_FARM,
        name="王氏家庭农场",
        village=cw.yuezhuang,
        leader="王",
    )
    assert Organisation.objects.get(pk=farm.pk).name == "王氏家庭农场"
    with pytest.raises(PermissionDenied):
        actions.do_update_organisation(
            farm, actor=cw.supervisor_b, kind=OrgKind.FAMILY_FARM, name="改名", village=cw.yuezhuang
        )
    # members: a second join is refused whole, a grower of another village needs the right there
    with pytest.raises(ValidationError) as e:
        actions.do_add_members(coop, [more.li, cw.grower], actor=cw.supervisor)
    assert "王建国 已是" in e.value.message_dict["members"][0] and coop.members.count() == 1
    with pytest.raises(PermissionDenied):
        actions.do_add_members(coop, [more.zhao], actor=cw.supervisor)
    assert actions.do_add_members(coop, [more.zhao], actor=cw.cadre) == 1
    with pytest.raises(ValidationError) as e:
        actions.do_remove_members(coop, [more.li], actor=cw.supervisor)
    assert "不是" in e.value.message_dict["members"][0]
    with pytest.raises(ValidationError):
        actions.do_add_members(coop, [], actor=cw.supervisor)
    # the form's set: the supervisor sees 王建国 and 李秀英 only; 赵四 (衡里炉) stays a member untouched
    offered = [cw.grower, more.li]
    assert actions.do_set_members(coop, [more.li], actor=cw.supervisor, within=offered) == (1, 1)
    assert set(coop.members.all()) == {more.li, more.zhao}


def test_agreement_actions(cw, more):
    coop = _coop(cw, members=[cw.grower])
    good = {
        "enterprise": more.leading,
        "kind": AgreementKind.PURCHASE,
        "subject": "收购加工级樱桃",
        "signed_on": TODAY,
        "organisation": coop,
        "volume_kg": "30000",
        "amount_yuan": "240000",
    }
    a = actions.do_record_agreement(actor=cw.supervisor, **good)
    assert a.enterprise_name == "千喜鹤" and a.volume_kg == 30000 and a.village == cw.yuezhuang
    for bad, field, words in (
        ({"enterprise": cw.grower}, "enterprise", "企业名录"),  # not an enterprise at all
        ({"enterprise": more.ordinary}, "enterprise", "龙头企业"),  # an enterprise, not a leading one
        ({"volume_kg": "-5"}, "volume_kg", "大于 0"),
        ({"volume_kg": None}, "volume_kg", "收购数量"),  # a purchase names its volume
        ({"signed_on": TODAY + dt.timedelta(days=1)}, "signed_on", "晚于今天"),
        ({"grower": cw.grower}, "organisation", "一个"),  # both partners
        ({"organisation": None}, "organisation", "一个"),  # neither
    ):
        with pytest.raises(ValidationError) as e:
            actions.do_record_agreement(actor=cw.supervisor, **{**good, **bad})
        assert words in e.value.message_dict[field][0], bad
    service = actions.do_record_agreement(
        actor=cw.supervisor, **{**good, "kind": AgreementKind.SERVICE, "volume_kg": None}
    )
    assert service.volume_kg is None
    with pytest.raises(PermissionDenied):
        actions.do_record_agreement(actor=cw.supervisor_b, **good)
    moved = actions.do_update_agreement(
        a, actor=cw.supervisor, **{**good, "organisation": None, "grower": cw.grower, "volume_kg": "5000"}
    )
    assert moved.grower == cw.grower and moved.organisation is None and moved.volume_kg == 5000
    with pytest.raises(PermissionDenied):
        actions.do_update_agreement(a, actor=cw.supervisor_b, **good)
    with pytest.raises(ValidationError):
        actions.do_update_agreement(a, actor=cw.supervisor, **{**good, "volume_kg": "-1"})
    assert Agreement.objects.get(pk=a.pk).volume_kg == 5000


def test_centre_actions(cw, more):
    centre = actions.do_create_centre(
        actor=cw.supervisor,
        name="月庄村播中心",
        village=cw.yuezhuang,
        packages=[Package.CLOUD, Package.VILLAGE],
        address="月庄村委东侧",
    )
    assert centre.packages == [Package.VILLAGE, Package.CLOUD]  # in the catalogue's order
    assert centre.venue.node == cw.yuezhuang and centre.venue.name == "月庄村播中心"
    for bad, field in (
        ({"name": "月庄村播中心"}, "name"),  # taken
        ({"packages": []}, "packages"),
        ({"packages": ["warehouse", "mars"]}, "packages"),
        ({"village": cw.w.community_a}, "village"),
        ({"venue": Venue.objects.create(name="衡里炉广场", node=cw.henglilu)}, "venue"),  # another village's
    ):
        kwargs = {"name": "新中心", "village": cw.yuezhuang, "packages": [Package.CLOUD], **bad}
        with pytest.raises(ValidationError) as e:
            actions.do_create_centre(actor=cw.supervisor, **kwargs)
        assert field in e.value.message_dict, bad
    with pytest.raises(PermissionDenied):
        actions.do_create_centre(actor=cw.supervisor_b, name="越界", village=cw.yuezhuang, packages=["cloud"])
    venue = Venue.objects.create(name="月庄产地仓", node=cw.yuezhuang)
    updated = actions.do_update_centre(
        centre, actor=cw.supervisor, name="月庄直播中心", packages=[Package.WAREHOUSE], venue=venue
    )
    assert (updated.name, updated.packages, updated.venue) == ("月庄直播中心", ["warehouse"], venue)
    with pytest.raises(ValidationError):  # the fixture's centre holds that name
        actions.do_update_centre(centre, actor=cw.supervisor, name=cw.centre.name, packages=["cloud"])
    with pytest.raises(PermissionDenied):
        actions.do_update_centre(centre, actor=cw.supervisor_b, name="改", packages=["cloud"])


# -- orchards against village boundaries ------------------------------------------------------------------------


def _square(lng, lat, size=0.02):
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_orchard_location_checked_against_the_village_boundary(cw):
    from minsheng.org.models import Node

    Node.objects.filter(pk=cw.yuezhuang.pk).update(geometry=_square(118.50, 36.50))
    cw.yuezhuang.refresh_from_db()
    grower = cw.grower
    grower.village = cw.yuezhuang
    kw = {"actor": cw.supervisor, "name": "", "area_mu": "3", "variety": Variety.MEIZAO, "planted_year": 2018}
    inside = actions.do_add_orchard(grower, lat=36.51, lng=118.51, **kw)
    assert (inside.lat, inside.lng) == (36.51, 118.51)
    with pytest.raises(
        ValidationError
    ) as e:  # outside 月庄 and outside every village: "an area outside any village"
        actions.do_add_orchard(grower, lat=36.60, lng=118.60, **kw)
    assert "边界之外" in e.value.message_dict["lat"][0] and "不在任何村" in e.value.message_dict["lat"][0]
    Node.objects.filter(pk=cw.henglilu.pk).update(geometry=_square(118.52, 36.50))
    with pytest.raises(ValidationError) as e:  # the point is in 衡里炉: the message says so
        actions.do_add_orchard(grower, lat=36.51, lng=118.53, **kw)
    assert "衡里炉村" in e.value.message_dict["lat"][0]
    for lat, lng in ((36.51, None), (95, 118.5), ("北纬", "东经")):
        with pytest.raises(ValidationError) as e:
            actions.do_add_orchard(grower, lat=lat, lng=lng, **kw)
        assert "lat" in e.value.message_dict
    # a village without a boundary (or with only a centre point) keeps today's rule: any point, no check
    plain = org_actions.create_node(parent=cw.w.street, kind=NodeKind.VILLAGE, name="大辛庄村")
    far = actions.do_add_orchard(grower, village=plain, lat=30.0, lng=110.0, **{**kw, "actor": cw.cadre})
    assert far.village == plain
    Node.objects.filter(pk=plain.pk).update(geometry={"type": "Point", "coordinates": [118.0, 36.0]})
    plain.refresh_from_db()
    assert actions.do_add_orchard(grower, village=plain, lat=30.0, lng=110.0, **{**kw, "actor": cw.cadre}).pk
    assert actions.do_add_orchard(grower, **kw).lat is None  # no location: nothing to check


def test_grower_page_refuses_an_orchard_outside_the_village(cw, client_for):
    from minsheng.org.models import Node

    Node.objects.filter(pk=cw.yuezhuang.pk).update(geometry=_square(118.50, 36.50))
    data = {
        "name": "孙七",
        "village": cw.yuezhuang.pk,
        "area_mu": "8",
        "variety": "hongdeng",
        "planted_year": "2016",
        "lat": "36.70",
        "lng": "118.70",
    }
    sup = client_for(cw.supervisor)
    r = sup.post(reverse("cluster:grower_new"), data)
    assert r.status_code == 400 and "不在任何村的范围内" in r.content.decode()
    assert (
        sup.post(reverse("cluster:grower_new"), {**data, "lat": "36.505", "lng": "118.505"}).status_code
        == 302
    )


# -- pages ------------------------------------------------------------------------------------------------------


def test_organisation_pages(cw, more, client_for):
    sup = client_for(cw.supervisor)
    r = sup.get(reverse("cluster:organisation_new"))
    assert r.status_code == 200 and "李秀英" in r.content.decode() and "赵四" not in r.content.decode()
    data = {
        "kind": "cooperative",
        "name": "月庄樱桃专业合作社",
        "village": cw.yuezhuang.pk,
        "leader": "王建国",
    }
    r = sup.post(reverse("cluster:organisation_new"), {**data, "members": [cw.grower.pk, more.li.pk]})
    assert r.status_code == 302
    coop = Organisation.objects.get()
    assert set(coop.members.all()) == {cw.grower, more.li}
    r = sup.post(reverse("cluster:organisation_new"), {**data, "members": [cw.grower.pk]})
    assert r.status_code == 400 and "已有同名" in r.content.decode() and Organisation.objects.count() == 1
    r = sup.post(reverse("cluster:organisation_new"), {**data, "name": "二社", "members": [more.zhao.pk]})
    assert r.status_code == 400  # 衡里炉's grower is not offered to 月庄's supervisor
    r = sup.get(reverse("cluster:organisations"))
    assert r.status_code == 200 and "月庄樱桃专业合作社" in r.content.decode()
    assert reverse("cluster:organisation_edit", args=[coop.pk]) in r.content.decode()
    edit = reverse("cluster:organisation_edit", args=[coop.pk])
    r = sup.post(edit, {**data, "leader": "李秀英", "members": [more.li.pk]})
    assert r.status_code == 302
    coop.refresh_from_db()
    assert coop.leader == "李秀英" and list(coop.members.all()) == [more.li]
    # another village's supervisor, another 街道's, and a leader who only reads
    assert client_for(cw.supervisor_b).get(edit).status_code == 404
    assert client_for(cw.supervisor_b).post(edit, data).status_code == 404
    r = client_for(more.east_sup).get(reverse("cluster:organisations"))
    assert r.status_code == 200 and "月庄樱桃专业合作社" not in r.content.decode()
    assert client_for(more.east_sup).get(edit).status_code == 404
    leader = client_for(cw.leader)
    r = leader.get(reverse("cluster:organisations"))
    assert "月庄樱桃专业合作社" in r.content.decode() and edit not in r.content.decode()
    assert leader.get(reverse("cluster:organisation_new")).status_code == 403
    assert leader.get(edit).status_code == 404


def test_agreement_pages(cw, more, client_for):
    coop = _coop(cw)
    sup = client_for(cw.supervisor)
    r = sup.get(reverse("cluster:agreement_new"))
    assert r.status_code == 200 and "千喜鹤" in r.content.decode() and "某五金店" not in r.content.decode()
    data = {
        "enterprise": more.leading.pk,
        "kind": "purchase",
        "organisation": coop.pk,
        "subject": "收购鲜果",
        "volume_kg": "-100",
        "signed_on": "2026-06-01",
    }
    r = sup.post(reverse("cluster:agreement_new"), data)
    assert r.status_code == 400 and "请填写大于 0 的数" in r.content.decode()
    r = sup.post(
        reverse("cluster:agreement_new"), {**data, "enterprise": more.ordinary.pk, "volume_kg": "100"}
    )
    assert r.status_code == 400 and not Agreement.objects.exists()
    assert sup.post(reverse("cluster:agreement_new"), {**data, "volume_kg": "20000"}).status_code == 302
    a = Agreement.objects.get()
    edit = reverse("cluster:agreement_edit", args=[a.pk])
    r = sup.post(
        edit, {**data, "organisation": "", "grower": cw.grower.pk, "kind": "service", "volume_kg": ""}
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.grower == cw.grower and a.kind == "service" and a.volume_kg is None
    r = sup.get(reverse("cluster:agreements"))
    assert r.status_code == 200 and "千喜鹤" in r.content.decode() and edit in r.content.decode()
    assert client_for(cw.supervisor_b).get(edit).status_code == 404
    assert "千喜鹤" not in client_for(more.east_sup).get(reverse("cluster:agreements")).content.decode()
    assert client_for(cw.leader).get(reverse("cluster:agreements")).status_code == 200
    assert (
        reverse("cluster:agreements") in client_for(cw.leader).get(reverse("cluster:home")).content.decode()
    )


def test_centre_pages(cw, more, client_for):
    sup = client_for(cw.supervisor)
    assert sup.get(reverse("cluster:centre_new")).status_code == 200
    data = {
        "name": "月庄云播中心",
        "village": cw.yuezhuang.pk,
        "packages": ["cloud", "village"],
        "address": "村委",
    }
    assert sup.post(reverse("cluster:centre_new"), data).status_code == 302
    centre = Centre.objects.get(name="月庄云播中心")
    assert centre.venue.name == "月庄云播中心" and centre.packages == ["village", "cloud"]
    r = sup.post(reverse("cluster:centre_new"), {**data, "packages": []})
    assert r.status_code == 400
    edit = reverse("cluster:centre_edit", args=[centre.pk])
    assert sup.get(edit).status_code == 200
    assert sup.post(edit, {"name": "月庄云播中心", "packages": ["warehouse"]}).status_code == 302
    centre.refresh_from_db()
    assert centre.packages == ["warehouse"]
    r = sup.get(reverse("cluster:centres"))
    assert r.status_code == 200 and "月庄云播中心" in r.content.decode() and edit in r.content.decode()
    assert reverse("cluster:centres") in sup.get(reverse("cluster:sellers")).content.decode()
    assert client_for(cw.supervisor_b).get(edit).status_code == 404
    assert client_for(more.east_sup).get(edit).status_code == 404
    assert "月庄云播中心" not in client_for(more.east_sup).get(reverse("cluster:centres")).content.decode()


# -- API --------------------------------------------------------------------------------------------------------

API = "/api/v1/cluster"


def test_organisation_api(cw, more, api_for):
    api = api_for(cw.supervisor)
    body = {
        "kind": "cooperative",
        "name": "月庄樱桃专业合作社",
        "village": cw.yuezhuang.pk,
        "members": [cw.grower.pk],
    }
    r = api.post(f"{API}/organisations/", body, format="json")
    assert r.status_code == 201 and r.json()["members"] == [cw.grower.pk], r.content
    pk = r.json()["id"]
    r = api.post(f"{API}/organisations/", body, format="json")
    assert r.status_code == 400 and "name" in r.json()
    r = api.post(
        f"{API}/organisations/", {**body, "name": "社区社", "village": cw.w.community_a.pk}, format="json"
    )
    assert r.status_code == 400 and "village" in r.json()
    r = api.post(f"{API}/organisations/{pk}/members/", {"growers": [cw.grower.pk]}, format="json")
    assert r.status_code == 400 and "已是" in r.json()["members"][0]
    r = api.post(f"{API}/organisations/{pk}/members/", {"growers": [more.zhao.pk]}, format="json")
    assert (
        r.status_code == 400 and "growers" in r.json()
    )  # 衡里炉's grower does not exist for this supervisor
    r = api.post(f"{API}/organisations/{pk}/members/", {"growers": [more.li.pk]}, format="json")
    assert r.status_code == 200 and sorted(r.json()["members"]) == sorted([cw.grower.pk, more.li.pk])
    r = api.delete(f"{API}/organisations/{pk}/members/{cw.grower.pk}/")
    assert r.status_code == 200 and r.json()["members"] == [more.li.pk]
    r = api.delete(f"{API}/organisations/{pk}/members/{cw.grower.pk}/")
    assert r.status_code == 400 and "不是" in r.json()["members"][0]
    r = api.patch(
        f"{API}/organisations/{pk}/", {"name": "月庄大樱桃合作社", "leader": "李秀英"}, format="json"
    )
    assert r.status_code == 200 and r.json()["name"] == "月庄大樱桃合作社" and r.json()["leader"] == "李秀英"
    r = api.patch(f"{API}/organisations/{pk}/", {"kind": "club"}, format="json")
    assert r.status_code == 400 and "kind" in r.json()
    r = api.get(f"{API}/organisations/")
    assert r.status_code == 200 and r.json()["count"] == 1 and "results" in r.json()
    assert (
        api_for(cw.supervisor_b).patch(f"{API}/organisations/{pk}/", {"name": "x"}, format="json").status_code
        == 404
    )
    assert api_for(cw.supervisor_b).get(f"{API}/organisations/").json()["count"] == 0
    assert api_for(more.east_sup).get(f"{API}/organisations/{pk}/").status_code == 404
    assert api_for(cw.leader).post(f"{API}/organisations/", body, format="json").status_code == 403
    assert api_for(cw.leader).get(f"{API}/organisations/{pk}/").json()["member_count"] == 1


def test_agreement_api(cw, more, api_for):
    coop = _coop(cw)
    api = api_for(cw.supervisor)
    r = api.get(f"{API}/leading-enterprises/")
    assert r.status_code == 200 and [e["name"] for e in r.json()["results"]] == ["千喜鹤"]
    body = {
        "enterprise": more.leading.pk,
        "kind": "purchase",
        "organisation": coop.pk,
        "subject": "收购鲜果",
        "volume_kg": "20000",
        "signed_on": "2026-06-01",
    }
    for bad, field in (
        ({"enterprise": 999999}, "enterprise"),  # no such enterprise
        ({"enterprise": more.ordinary.pk}, "enterprise"),  # not a 龙头企业
        ({"volume_kg": "-3"}, "volume_kg"),
        ({"organisation": None}, "organisation"),
        ({"kind": "loan"}, "kind"),
    ):
        r = api.post(f"{API}/agreements/", {**body, **bad}, format="json")
        assert r.status_code == 400 and field in r.json(), (bad, r.content)
    r = api.post(f"{API}/agreements/", body, format="json")
    assert (
        r.status_code == 201
        and r.json()["enterprise_name"] == "千喜鹤"
        and r.json()["volume_kg"] == "20000.0"
    )
    pk = r.json()["id"]
    r = api.patch(f"{API}/agreements/{pk}/", {"grower": cw.grower.pk}, format="json")
    assert r.status_code == 200 and r.json()["grower"] == cw.grower.pk and r.json()["organisation"] is None
    r = api.patch(f"{API}/agreements/{pk}/", {"volume_kg": "-1"}, format="json")
    assert r.status_code == 400 and "volume_kg" in r.json()
    assert api.get(f"{API}/agreements/").json()["count"] == 1
    assert api_for(cw.supervisor_b).patch(f"{API}/agreements/{pk}/", body, format="json").status_code == 404
    assert api_for(more.east_sup).get(f"{API}/agreements/").json()["count"] == 0
    assert api_for(cw.leader).post(f"{API}/agreements/", body, format="json").status_code == 403


def test_centre_api(cw, more, api_for):
    api = api_for(cw.supervisor)
    body = {"name": "月庄仓播中心", "village": cw.yuezhuang.pk, "packages": ["warehouse"]}
    r = api.post(f"{API}/centres/", {**body, "packages": ["moon"]}, format="json")
    assert r.status_code == 400 and "packages" in r.json()
    r = api.post(f"{API}/centres/", {**body, "packages": []}, format="json")
    assert r.status_code == 400 and "packages" in r.json()
    r = api.post(f"{API}/centres/", body, format="json")
    assert (
        r.status_code == 201
        and r.json()["packages"] == ["warehouse"]
        and r.json()["venue_name"] == "月庄仓播中心"
    )
    pk = r.json()["id"]
    r = api.patch(f"{API}/centres/{pk}/", {"packages": ["cloud", "warehouse"]}, format="json")
    assert r.status_code == 200 and r.json()["packages"] == ["warehouse", "cloud"]
    r = api.patch(f"{API}/centres/{pk}/", {"name": cw.centre.name}, format="json")
    assert r.status_code == 400 and "name" in r.json()
    r = api.get(f"{API}/centres/")
    assert r.json()["count"] == 2 and "results" in r.json()
    assert (
        api_for(cw.supervisor_b).patch(f"{API}/centres/{pk}/", {"name": "x"}, format="json").status_code
        == 404
    )
    assert api_for(more.east_sup).get(f"{API}/centres/").json()["count"] == 0


def test_member_removal_with_an_impossible_id_is_a_400(cw, api_for):
    coop = _coop(cw, members=[cw.grower])
    r = api_for(cw.supervisor).delete(f"{API}/organisations/{coop.pk}/members/{'9' * 30}/")
    assert r.status_code == 400 and "grower" in r.json()


def test_a_sale_names_the_live_seller_who_sold_it(cw, more, client_for, api_for):
    from minsheng.cluster.choices import Grade, Platform
    from minsheng.cluster.models import Sale

    harvest = actions.do_record_harvest(
        cw.orchard, actor=cw.supervisor, harvested_on=TODAY, yield_kg="500", grade=Grade.FIRST
    )
    sale = {
        "channel": "live",
        "platform": "douyin",
        "volume_kg": "10",
        "price": "50",
        "sold_on": "2026-07-01",
    }
    url = reverse("cluster:sale_new", args=[harvest.pk])
    sup = client_for(cw.supervisor)
    r = sup.post(url, {**sale, "seller": more.li.pk})
    assert r.status_code == 400  # 李秀英 never went live: not offered
    r = api_for(cw.supervisor).post(
        f"{API}/sales/", {**sale, "harvest": harvest.pk, "seller": more.li.pk}, format="json"
    )
    assert r.status_code == 400 and "seller" in r.json()
    actions.do_record_attendance(cw.live_class, [more.li], actor=None)
    actions.do_record_session(
        more.li,
        actor=None,
        platform=Platform.DOUYIN,
        held_on=TODAY,
        products="美早",
        orders=3,
        sales_yuan="150",
    )
    assert "李秀英" in sup.get(url).content.decode()
    assert sup.post(url, {**sale, "seller": more.li.pk}).status_code == 302
    r = api_for(cw.supervisor).post(
        f"{API}/sales/", {**sale, "harvest": harvest.pk, "seller": more.li.pk}, format="json"
    )
    assert r.status_code == 201 and r.json()["seller"] == more.li.pk
    assert Sale.objects.filter(seller=more.li).count() == 2
