"""Every page answers for the people who may see it, and the steps work through the forms."""

import datetime as dt

import pytest

from minsheng.core import clock
from minsheng.core.calendar import TZ
from minsheng.mediation import actions
from minsheng.mediation.choices import Outcome
from minsheng.mediation.models import Dispute, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute(centre):
    c = centre
    return actions.do_open_dispute(
        actor=c.clerk,
        node=c.w.unit_a,
        type="neighbour",
        source="applied",
        facts="楼上漏水",
        parties=[
            {"role": "applicant", "resident": c.resident_a},
            {"role": "respondent", "resident": c.resident_b},
        ],
        mediators=[c.mediator],
    )


def test_pages_answer(centre, client_for, dispute):
    c = client_for(centre.clerk)
    for url in [
        "/mediation/desk/",
        "/mediation/desk/?q=王秀兰",
        f"/mediation/desk/?resident={centre.resident_a.pk}",
        "/mediation/visits/",
        "/mediation/disputes/",
        "/mediation/disputes/new/",
        f"/mediation/disputes/{dispute.pk}/",
        "/mediation/petitions/",
        "/mediation/petitions/new/",
        "/mediation/reception-days/",
        "/mediation/referrals/",
        "/mediation/weekly/",
        "/mediation/weekly/analysis/",
        "/mediation/figures/",
        "/mediation/weekly/report.docx",
        f"/mediation/disputes/{dispute.pk}/dossier.pdf",
    ]:
        response = c.get(url)
        assert response.status_code == 200, url


def test_desk_search_masks_and_reveal_is_audited(centre, client_for):
    from minsheng.core.models import AuditLog

    c = client_for(centre.clerk)
    page = c.get("/mediation/desk/?q=0001").content.decode()
    assert "王秀兰" in page and "139****0001" in page
    page = c.get(f"/mediation/desk/?q=wxl&resident={centre.resident_a.pk}").content.decode()
    assert "13955550001" not in page and "370724198001011238" not in page
    page = c.post(f"/mediation/desk/reveal/{centre.resident_a.pk}/").content.decode()
    assert "13955550001" in page
    assert AuditLog.objects.filter(
        action=AuditLog.Action.VIEW_PII, object_id=str(centre.resident_a.pk)
    ).exists()


def test_visit_register_and_route_through_pages(centre, client_for):
    c = client_for(centre.clerk)
    response = c.post(
        "/mediation/visits/new/",
        {"resident": centre.resident_a.pk, "name": "王秀兰", "visitors": 1, "matter": "邻居占用楼道堆放杂物"},
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and visit.receiver == centre.clerk
    response = c.post(
        f"/mediation/visits/{visit.pk}/",
        {"route": "dispute", "type": "neighbour", "source": "applied", "respondent_name": "张三"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dispute = Dispute.objects.get()
    assert dispute.visit == visit and dispute.parties.count() == 2


def test_bad_route_shows_chinese_error(centre, client_for):
    c = client_for(centre.clerk)
    visit = actions.do_register_visit(actor=centre.clerk, node=centre.w.unit_a, name="某人", matter="纠纷")
    response = c.post(f"/mediation/visits/{visit.pk}/", {"route": "dispute", "source": "applied"})
    assert response.status_code == 200
    assert "请选择纠纷类型" in response.content.decode()


def test_agreement_through_page_needs_every_consent(centre, client_for, dispute):
    c = client_for(centre.mediator)
    ids = [p.pk for p in dispute.parties.all()]
    url = f"/mediation/disputes/{dispute.pk}/do/written/"
    data = {"written-disputed_points": "漏水", "written-agreed_terms": "修好", "written-consents": [ids[0]]}
    response = c.post(url, data)
    assert response.status_code == 200 and "协议须经各方当事人同意" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.outcome == Outcome.PENDING
    data["written-consents"] = ids
    assert c.post(url, data).status_code == 302
    dispute.refresh_from_db()
    assert dispute.outcome == Outcome.WRITTEN
    for fmt in ("docx", "pdf"):
        r = c.get(f"/mediation/disputes/{dispute.pk}/agreement.{fmt}")
        assert r.status_code == 200 and len(r.content) > 1000
    assert c.get(f"/mediation/disputes/{dispute.pk}/dossier.pdf").content.startswith(b"%PDF")


def test_grid_worker_sees_no_petition_pages(centre, client_for):
    with clock.at(dt.datetime(2026, 3, 2, 9, tzinfo=TZ)):
        p = actions.do_register_petition(
            actor=centre.clerk, form="letter", node=centre.w.unit_a, petitioner="赵", matter="事项"
        )
    c = client_for(centre.w.grid_a)
    assert c.get("/mediation/petitions/").status_code == 403
    assert c.get(f"/mediation/petitions/{p.pk}/").status_code == 403
    assert c.get("/mediation/desk/").status_code == 403


def test_list_filters_ignore_bad_values(centre, client_for, dispute):
    c = client_for(centre.clerk)
    for url in (
        "/mediation/disputes/?type=bogus&risk=low",
        "/mediation/disputes/?outcome=pending&page=999",
        "/mediation/petitions/?stage=x&form=letter&open=1",
        "/mediation/referrals/?status=zzz",
        "/mediation/visits/?route=nope&repeat=1",
        "/mediation/weekly/analysis/?week=not-a-date",
        "/mediation/figures/?start=2026-13-01",
    ):
        assert c.get(url).status_code == 200, url
    assert dispute.case.number in c.get("/mediation/disputes/?risk=low").content.decode()
    assert dispute.case.number not in c.get("/mediation/disputes/?risk=high").content.decode()


def test_ledgers_export_masked_and_petitions_only_for_petition_roles(centre, client_for, dispute):
    import io

    from openpyxl import load_workbook

    actions.do_register_petition(
        actor=centre.clerk,
        form="letter",
        node=centre.w.unit_a,
        petitioner="赵",
        phone="13911112222",
        matter="事项",
    )
    c = client_for(centre.clerk)

    def xlsx(url):  # the ledger is streamed from a temporary file, like every export
        return io.BytesIO(b"".join(c.get(url).streaming_content))

    sheet = load_workbook(xlsx("/mediation/ledger/disputes.xlsx")).active
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert dispute.case.number in cells and "139****0001" in cells and "13955550001" not in cells
    sheet = load_workbook(xlsx("/mediation/ledger/petitions.xlsx")).active
    assert "139****2222" in [
        str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None
    ]
    assert client_for(centre.w.worker_a).get("/mediation/ledger/petitions.xlsx").status_code == 404
