"""/api/v1/enterprise/: scoped reads, masked phones, actions behind the endpoints (400 / 403 / 404 / 409)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.enterprise.models import Project

from .conftest import code
from .test_ledger import handle, visit_problem

pytestmark = pytest.mark.django_db
BASE = "/api/v1/enterprise"


def test_enterprises_are_scoped_and_phones_masked(ew, api_for):
    api = api_for(ew.officer_b)
    rows = api.get(f"{BASE}/enterprises/").json()["results"]
    assert [r["name"] for r in rows] == [ew.ent_b.name]
    assert api.get(f"{BASE}/enterprises/{ew.ent_a.pk}/").status_code == 404
    detail = api.get(f"{BASE}/enterprises/{ew.ent_b.pk}/").json()
    assert detail["contacts"][0]["phone"] == "139****0002"
    assert api_for(ew.w.grid_a).get(f"{BASE}/enterprises/").status_code == 403


def test_create_enterprise_validates_the_credit_code(ew, api_for):
    api = api_for(ew.officer)
    body = {
        "credit_code": "91370724MA00000099",
        "name": "甲公司",
        "industry": "C",
        "size": "micro",
        "node": ew.w.community_a.pk,
    }
    bad = api.post(f"{BASE}/enterprises/", body, format="json")
    assert bad.status_code == 400 and "credit_code" in bad.json()
    body["credit_code"] = code(99)
    ok = api.post(f"{BASE}/enterprises/", body, format="json")
    assert ok.status_code == 201, ok.json()
    again = api.post(f"{BASE}/enterprises/", body, format="json")
    assert again.status_code == 400 and "credit_code" in again.json()


def test_pipeline_over_the_api(ew, api_for):
    grid = api_for(ew.w.grid_a)
    lead = grid.post(
        f"{BASE}/projects/",
        {
            "name": "线索甲",
            "investor": "乙",
            "industry": "C",
            "node": ew.w.community_a.pk,
            "planned_amount": "1000",
        },
        format="json",
    )
    assert lead.status_code == 201, lead.json()
    pk = lead.json()["id"]
    api = api_for(ew.officer)
    skipped = api.post(f"{BASE}/projects/{pk}/advance/", {"to": "landing"}, format="json")
    assert skipped.status_code == 409 and skipped.json()["code"] == "illegal_transition"
    assert api.post(f"{BASE}/projects/{pk}/advance/", {"to": "talks"}, format="json").status_code == 200
    signed = api.post(
        f"{BASE}/projects/{pk}/signings/",
        {"kind": "first", "amount": "800", "signed_on": dt.date.today().isoformat()},
        format="json",
    )
    assert signed.status_code == 201 and signed.json()["stage"] == "signed"
    assert signed.json()["signed_amount"] == "800.00"
    assert api.post(f"{BASE}/projects/{pk}/supervise/", {"comment": "快"}, format="json").status_code == 403
    assert (
        api_for(ew.leader)
        .post(f"{BASE}/projects/{pk}/supervise/", {"comment": "加快"}, format="json")
        .status_code
        == 200
    )
    assert (
        api.post(
            f"{BASE}/projects/{pk}/funds/", {"amount": "-1", "on": "2026-01-01"}, format="json"
        ).status_code
        == 400
    )
    assert Project.objects.get(pk=pk).submitted_by == ew.w.grid_a


def test_ledger_confirm_needs_evidence(ew, api_for):
    problem = handle(ew, visit_problem(ew))
    api = api_for(ew.officer)
    rows = api.get(f"{BASE}/problems/?state=awaiting").json()["results"]
    assert [r["id"] for r in rows] == [problem.pk]
    missing = api.post(f"{BASE}/problems/{problem.pk}/confirm/", {"note": "已确认"}, format="multipart")
    assert missing.status_code == 400 and "evidence" in missing.json()
    evidence = SimpleUploadedFile("sign.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50, content_type="image/png")
    ok = api.post(
        f"{BASE}/problems/{problem.pk}/confirm/", {"note": "已确认", "evidence": evidence}, format="multipart"
    )
    assert ok.status_code == 200 and ok.json()["state"] == "closed"
    assert (
        api.post(f"{BASE}/problems/{problem.pk}/decline/", {"reason": "x"}, format="json").status_code == 409
    )


def test_figures(ew, api_for):
    rows = api_for(ew.leader).get(f"{BASE}/figures/").json()
    codes = {r["code"] for r in rows}
    assert {"enterprise.signed_total", "enterprise.performance_rate", "enterprise.close_rate"} <= codes
    assert api_for(ew.leader).get(f"{BASE}/figures/?start=2026-05-01&end=2026-01-01").status_code == 400


def test_the_schema_documents_the_enterprise_api(ew, api_for):
    response = api_for(ew.officer).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/enterprise/projects/{id}/advance/",
        "/api/v1/enterprise/problems/{id}/confirm/",
        "/api/v1/enterprise/events/{id}/outcomes/",
        "/api/v1/enterprise/figures/",
    ):
        assert path in paths, path
