"""The REST API: the whole path over HTTP, bad input 400 with field messages, illegal steps 409, nothing written."""

import pytest

from minsheng.mediation.models import Dispute, Petition, Visit

pytestmark = pytest.mark.django_db


def test_visit_to_agreement_over_api(centre, api_for):
    api = api_for(centre.clerk)
    r = api.post(
        "/api/v1/mediation/visits/", {"resident": centre.resident_a.pk, "matter": "楼上漏水"}, format="json"
    )
    assert r.status_code == 201, r.json()
    assert r.json()["phone"] == "139****0001"
    visit_id = r.json()["id"]
    r = api.post(
        f"/api/v1/mediation/visits/{visit_id}/route/",
        {
            "route": "dispute",
            "type": "neighbour",
            "respondent": {"role": "respondent", "resident": centre.resident_b.pk},
        },
        format="json",
    )
    assert r.status_code == 200, r.json()
    dispute_id = r.json()["dispute"]
    detail = api.get(f"/api/v1/mediation/disputes/{dispute_id}/").json()
    party_ids = [p["id"] for p in detail["parties"]]
    assert all("****" in p["phone"] for p in detail["parties"])
    bad = api.post(
        f"/api/v1/mediation/disputes/{dispute_id}/written_agreement/",
        {"disputed_points": "漏水", "agreed_terms": "修复", "consents": party_ids[:1]},
        format="json",
    )
    assert bad.status_code == 400 and "consents" in bad.json()
    assert Dispute.objects.get(pk=dispute_id).number == ""
    ok = api.post(
        f"/api/v1/mediation/disputes/{dispute_id}/written_agreement/",
        {"disputed_points": "漏水", "agreed_terms": "修复", "consents": party_ids, "amount": "1500.00"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["outcome"] == "written"
    again = api.post(
        f"/api/v1/mediation/disputes/{dispute_id}/fail/",
        {"reason": "x", "routes": ["litigation"]},
        format="json",
    )
    assert again.status_code == 409
    figures = api.get("/api/v1/mediation/figures/").json()
    assert {f["code"] for f in figures} >= {
        "mediation.settle_rate",
        "mediation.one_time_rate",
        "mediation.reception_count",
    }


def test_petition_reply_without_acceptance_is_409(centre, api_for):
    api = api_for(centre.clerk)
    r = api.post(
        "/api/v1/mediation/petitions/",
        {"form": "letter", "node": centre.w.unit_a.pk, "petitioner": "赵大爷", "matter": "补贴"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    pid = r.json()["id"]
    r = api.post(f"/api/v1/mediation/petitions/{pid}/reply/", {"text": "答复"}, format="json")
    assert r.status_code == 409
    assert Petition.objects.get(pk=pid).replied_at is None


def test_bad_input_is_400_never_500(centre, api_for):
    api = api_for(centre.clerk)
    assert api.post("/api/v1/mediation/visits/", {"matter": ""}, format="json").status_code == 400
    assert (
        api.post(
            "/api/v1/mediation/visits/", {"node": 999999, "matter": "x", "name": "x"}, format="json"
        ).status_code
        == 400
    )
    assert api.post("/api/v1/mediation/disputes/", {"type": "nope"}, format="json").status_code == 400
    r = api.post(
        "/api/v1/mediation/disputes/",
        {
            "node": centre.w.unit_a.pk,
            "type": "neighbour",
            "source": "applied",
            "facts": "x",
            "parties": [{"role": "applicant", "name": "甲"}],
        },
        format="json",
    )
    assert r.status_code == 400 and "parties" in r.json()
    assert api.get("/api/v1/mediation/figures/?start=bad").status_code == 400
    assert Visit.objects.count() == 0 and Dispute.objects.count() == 0


def test_weekly_missing_and_zero_report(centre, api_for):
    api = api_for(centre.w.worker_a)
    r = api.post(
        "/api/v1/mediation/weekly-reports/",
        {"node": centre.w.community_a.pk, "week": "2026-03-02", "zero": True},
        format="json",
    )
    assert r.status_code in (201, 400), r.json()
    admin = api_for(centre.w.admin)
    missing = admin.get("/api/v1/mediation/weekly-reports/missing/?week=2026-03-02").json()["missing"]
    names = [m["name"] for m in missing]
    assert "龙泉社区" in names


def test_reply_document_and_review_window_over_api(centre, api_for, client_for):
    api = api_for(centre.clerk)
    pid = api.post(
        "/api/v1/mediation/petitions/",
        {"form": "online", "node": centre.w.unit_a.pk, "petitioner": "钱", "matter": "路灯不亮"},
        format="json",
    ).json()["id"]
    assert (
        api.post(
            f"/api/v1/mediation/petitions/{pid}/accept/",
            {"accept": True, "notice_text": "受理"},
            format="json",
        ).status_code
        == 200
    )
    r = api.post(f"/api/v1/mediation/petitions/{pid}/reply/", {"text": "已修复"}, format="json")
    assert r.status_code == 200 and r.json()["reply_number"]
    doc = client_for(centre.clerk).get(f"/mediation/petitions/{pid}/reply.docx")
    assert doc.status_code == 200 and doc.content[:2] == b"PK"
    r = api.post(f"/api/v1/mediation/petitions/{pid}/review/", {"reason": "不服"}, format="json")
    assert r.status_code == 201 and r.json()["stage"] == "review"
    assert (
        api.post(f"/api/v1/mediation/petitions/{pid}/review/", {"reason": "再次"}, format="json").status_code
        == 409
    )
