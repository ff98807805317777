import datetime as dt

import pytest
from django.urls import reverse

from minsheng.cluster import actions
from minsheng.cluster.choices import Grade
from minsheng.cluster.models import Harvest, Sale

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 1)


def _harvest(cw, kg="500"):
    return actions.do_record_harvest(
        cw.orchard, actor=cw.supervisor, harvested_on=TODAY, yield_kg=kg, grade=Grade.FIRST
    )


def test_pages_render_for_leader_and_supervisor(cw, client_for):
    _harvest(cw)
    leader = client_for(cw.leader)
    for name in ("home", "growers", "techniques", "sellers"):
        r = leader.get(reverse(f"cluster:{name}"))
        assert r.status_code == 200, name
    assert leader.get(reverse("cluster:entry")).status_code == 403
    sup = client_for(cw.supervisor)
    r = sup.get(reverse("cluster:entry"))
    assert r.status_code == 200 and "王家东园" in r.content.decode()
    r = sup.get(reverse("cluster:growers"))
    assert "138****0011" in r.content.decode()


def test_phone_entry_harvest_then_sale_and_refusals(cw, client_for):
    sup = client_for(cw.supervisor)
    r = sup.post(
        reverse("cluster:entry"),
        {"orchard": cw.orchard.pk, "harvested_on": "2026-07-01", "grade": "first", "yield_kg": "300"},
    )
    harvest = Harvest.objects.get()
    assert r.status_code == 302 and r.url == reverse("cluster:sale_new", args=[harvest.pk])
    url = reverse("cluster:sale_new", args=[harvest.pk])
    r = sup.post(url, {"channel": "dealer", "volume_kg": "200", "price": "32", "sold_on": "2026-07-01"})
    assert r.status_code == 302
    r = sup.post(url, {"channel": "dealer", "volume_kg": "200", "price": "32", "sold_on": "2026-07-01"})
    assert r.status_code == 400 and "销量超过" in r.content.decode()
    r = sup.post(url, {"channel": "live", "volume_kg": "10", "price": "32", "sold_on": "2026-07-01"})
    assert r.status_code == 400 and "请选择平台" in r.content.decode()
    r = sup.post(reverse("cluster:entry"), {"orchard": cw.orchard.pk, "harvested_on": "x", "yield_kg": "-3"})
    assert r.status_code == 400
    # another village's supervisor sees neither the orchard nor the harvest
    other = client_for(cw.supervisor_b)
    assert other.get(url).status_code == 404


def test_grower_new_page_refuses_non_village(cw, client_for):
    cadre = client_for(cw.cadre)
    data = {
        "name": "孙七",
        "phone": "13700000001",
        "village": cw.henglilu.pk,
        "area_mu": "8",
        "variety": "hongdeng",
        "planted_year": "2016",
    }
    assert cadre.post(reverse("cluster:grower_new"), data).status_code == 302
    r = cadre.post(reverse("cluster:grower_new"), {**data, "village": cw.w.community_a.pk})
    assert r.status_code == 400


def test_api_lists_creates_and_refuses(cw, api_for):
    harvest = _harvest(cw)
    api = api_for(cw.supervisor)
    r = api.get("/api/v1/cluster/growers/")
    assert r.status_code == 200 and r.json()["results"][0]["phone"] == "138****0011"
    r = api.post(
        "/api/v1/cluster/sales/",
        {
            "harvest": harvest.pk,
            "channel": "enterprise",
            "volume_kg": "400",
            "price": "20",
            "sold_on": "2026-07-01",
        },
        format="json",
    )
    assert r.status_code == 201 and r.json()["amount"] == "8000.00"
    r = api.post(
        "/api/v1/cluster/sales/",
        {
            "harvest": harvest.pk,
            "channel": "enterprise",
            "volume_kg": "101",
            "price": "20",
            "sold_on": "2026-07-01",
        },
        format="json",
    )
    assert r.status_code == 400 and "volume_kg" in r.json()
    r = api.post(
        "/api/v1/cluster/sessions/",
        {
            "seller": cw.grower.pk,
            "platform": "douyin",
            "held_on": "2026-07-01",
            "products": "美早",
            "orders": 3,
            "sales_yuan": "300",
        },
        format="json",
    )
    assert r.status_code == 400 and "seller" in r.json()
    r = api.post(
        "/api/v1/cluster/harvests/",
        {"orchard": 999999, "harvested_on": "2026-07-01", "yield_kg": "1", "grade": "first"},
        format="json",
    )
    assert r.status_code == 400
    assert api_for(cw.supervisor_b).get(f"/api/v1/cluster/harvests/{harvest.pk}/").status_code == 404
    assert api_for(cw.leader).post("/api/v1/cluster/harvests/", {}, format="json").status_code == 403
    r = api_for(cw.leader).get("/api/v1/cluster/figures/?start=2026-01-01&end=2026-12-31")
    figures = {f["code"]: f["value"] for f in r.json()}
    assert figures["cluster.output_value"] == 0.8 and figures["cluster.area"] == 12.5
    assert api_for(cw.leader).get("/api/v1/cluster/figures/?start=bad").status_code == 400
    assert Sale.objects.count() == 1
    for path in ("orchards", "techniques", "trainings", "sessions", "agreements", "harvests", "sales"):
        assert api_for(cw.leader).get(f"/api/v1/cluster/{path}/").status_code == 200, path


def test_session_and_adoption_pages(cw, client_for):
    from minsheng.cluster.models import Adoption, StreamSession

    sup = client_for(cw.supervisor)
    r = sup.post(
        reverse("cluster:session_new"),
        {
            "seller": cw.grower.pk,
            "platform": "douyin",
            "held_on": "2026-07-01",
            "products": "美早",
            "orders": "10",
            "sales_yuan": "800",
        },
    )
    assert r.status_code == 400  # not trained: not even offered
    actions.do_record_attendance(cw.live_class, [cw.grower], actor=cw.cadre)
    assert sup.get(reverse("cluster:session_new")).status_code == 200
    r = sup.post(
        reverse("cluster:session_new"),
        {
            "seller": cw.grower.pk,
            "platform": "douyin",
            "held_on": "2026-07-01",
            "products": "美早",
            "orders": "10",
            "sales_yuan": "800",
        },
    )
    assert r.status_code == 302 and StreamSession.objects.count() == 1
    data = {"orchard": cw.orchard.pk, "technique": cw.technique.pk, "adopted_on": "2026-06-01"}
    assert sup.post(reverse("cluster:adoption_new"), data).status_code == 302
    r = sup.post(reverse("cluster:adoption_new"), data)
    assert r.status_code == 400 and "已采用" in r.content.decode() and Adoption.objects.count() == 1


def test_training_page_creates_an_activities_event(cw, client_for):
    from minsheng.cluster.models import Training

    cadre = client_for(cw.cadre)
    assert cadre.get(reverse("cluster:training_new")).status_code == 200
    data = {
        "kind": "expert",
        "title": "大樱桃花期防霜冻",
        "village": cw.henglilu.pk,
        "start": "2026-07-03T09:00",
        "end": "2026-07-03T11:00",
        "technique": cw.technique.pk,
        "institution": "山东农业大学",
        "expert": "王教授",
    }
    assert cadre.post(reverse("cluster:training_new"), data).status_code == 302
    training = Training.objects.get(title="大樱桃花期防霜冻")
    assert training.event.host == training and training.event.kind.code == "expert_training"
    r = cadre.post(reverse("cluster:training_new"), {**data, "institution": "", "end": "2026-07-03T08:00"})
    assert r.status_code == 400
    assert (
        client_for(cw.supervisor).post(reverse("cluster:training_new"), data).status_code == 400
    )  # other village
