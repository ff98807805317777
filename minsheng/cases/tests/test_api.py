"""The cases REST API: intake, scoped lists, transitions with 409/403/400, events."""

import pytest

from minsheng.cases.choices import Status
from minsheng.cases.models import Case

pytestmark = pytest.mark.django_db


def create(api, cw, **kw):
    body = {
        "channel": "grid_patrol",
        "category": cw.cat_sewer.pk,
        "description": "颐和家园1号楼下水道堵塞",
        "node": cw.w.unit_a.pk,
        "reporter_name": "高阿姨",
        "reporter_phone": "13912345678",
    }
    body.update(kw)
    return api.post("/api/v1/cases/", body, format="json")


def test_full_loop_through_the_api(cw, api_for):
    w = cw.w
    grid = api_for(w.grid_a)
    worker = api_for(w.worker_a)
    r = create(grid, cw)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert grid.get(f"/api/v1/cases/{pk}/").json()["reporter_phone"] == "139****5678"
    assert worker.post(f"/api/v1/cases/{pk}/accept/", {}, format="json").status_code == 200
    r = worker.post(f"/api/v1/cases/{pk}/dispatch/", {}, format="json")
    assert r.status_code == 200 and r.json()["lead_unit"] == cw.unit_a.pk
    assert "sign" in grid.get(f"/api/v1/cases/{pk}/").json()["actions"]
    assert grid.post(f"/api/v1/cases/{pk}/sign/").status_code == 200
    assert grid.post(f"/api/v1/cases/{pk}/reply/", {"note": "已疏通"}, format="json").status_code == 200
    assert worker.post(f"/api/v1/cases/{pk}/verify/", {"passed": True}, format="json").status_code == 200
    r = worker.post(
        f"/api/v1/cases/{pk}/follow-up/", {"satisfaction": "satisfied", "resolved": True}, format="json"
    )
    assert r.json()["status"] == Status.ARCHIVED
    followups = worker.get(f"/api/v1/cases/{pk}/followups/").json()
    assert [(f["satisfaction"], f["reachable"]) for f in followups] == [("satisfied", True)]
    verbs = [e["verb"] for e in grid.get(f"/api/v1/cases/{pk}/events/").json()]
    assert verbs[0] == "register" and verbs[-1] == "follow_up"


def test_illegal_transition_is_409_and_wrong_person_403(cw, api_for):
    r = create(api_for(cw.w.grid_a), cw)
    pk = r.json()["id"]
    r = api_for(cw.w.worker_a).post(f"/api/v1/cases/{pk}/sign/")
    assert r.status_code == 409 and "登记" in r.json()["detail"]
    assert api_for(cw.w.grid_a).post(f"/api/v1/cases/{pk}/accept/", {}, format="json").status_code == 403


def test_bad_input_is_400_with_fields_and_writes_nothing(cw, api_for):
    r = create(api_for(cw.w.grid_a), cw, description="", channel="pigeon")
    assert r.status_code == 400
    assert {"description", "channel"} <= set(r.json())
    r = create(api_for(cw.w.grid_a), cw, node=None)
    assert r.status_code == 400 and "node" in r.json()
    assert Case.objects.count() == 0


def test_scoping_lists_and_details(cw, api_for):
    pk = create(api_for(cw.w.grid_a), cw).json()["id"]
    assert api_for(cw.w.grid_b).get(f"/api/v1/cases/{pk}/").status_code == 404
    assert api_for(cw.w.grid_b).get("/api/v1/cases/").json()["count"] == 0
    assert api_for(cw.w.admin).get("/api/v1/cases/").json()["count"] == 1
    r = api_for(cw.w.grid_b).post(f"/api/v1/cases/{pk}/accept/", {}, format="json")
    assert r.status_code == 404


def test_unmasked_reporter_phone_is_audited(cw, api_for):
    from minsheng.core.models import AuditLog

    pk = create(api_for(cw.w.grid_a), cw).json()["id"]
    r = api_for(cw.w.worker_a).get(f"/api/v1/cases/{pk}/?unmasked=1")
    assert r.json()["reporter_phone"] == "13912345678"
    assert AuditLog.objects.filter(action="view_pii").count() == 1
    assert api_for(cw.cadre).get(f"/api/v1/cases/{pk}/?unmasked=1").status_code == 403


def test_list_filters(cw, api_for):
    api = api_for(cw.w.grid_a)
    create(api, cw)
    create(api, cw, category=cw.cat_consult.pk, description="咨询低保")
    admin = api_for(cw.w.admin)
    assert admin.get("/api/v1/cases/?category=05").json()["count"] == 1
    assert admin.get("/api/v1/cases/?q=xiashuidao").json()["count"] == 1
    assert admin.get("/api/v1/cases/?status=registered").json()["count"] == 2
    assert admin.get(f"/api/v1/cases/?grid={cw.grid.pk}").json()["count"] == 2


# -- the intake's cost (docs/benchmarks.md, "Intake") ------------------------------------------------------


def test_intake_by_token_reads_only_what_it_must(cw):
    """A repeated intake by token: the node through the user's scope, the covering grid, the number, the case,
    its audit row and its event — the token, memberships, category and case-number prefixes come from caches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cw.w.grid_a).key}")
    assert create(api, cw).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        r = create(api, cw)
    assert r.status_code == 201, r.content
    sql = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert not any("authtoken_token" in q or "accounts_membership" in q or "cases_category" in q for q in sql)
    assert len(sql) == 6, sql
    case = Case.objects.get(pk=r.json()["id"])
    assert case.grid == cw.grid and case.number.startswith("CG-")


def test_intake_category_answers_as_before(cw, api_for):
    """The cached category field says what DRF's own primary-key field on active categories says."""
    from rest_framework import serializers

    from minsheng.cases.models import Category

    grid = api_for(cw.w.grid_a)
    retired = Category.objects.get(code="0901")
    retired.is_active = False
    retired.save()
    plain = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    for value in [retired.pk, 999999, 2**70, "x", "1.5", True, [1], {"id": 1}]:
        with pytest.raises(serializers.ValidationError) as expected:
            plain.run_validation(value)
        r = create(grid, cw, category=value)
        assert r.status_code == 400, (value, r.content)
        assert r.json()["category"] == expected.value.detail, value
    r = create(grid, cw, category=str(cw.cat_sewer.pk))
    assert r.status_code == 201 and r.json()["category"] == cw.cat_sewer.pk
    assert Case.objects.count() == 1
