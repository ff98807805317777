import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from minsheng.agri import actions
from minsheng.agri.actions import certificates as certificate_actions
from minsheng.agri.choices import (
    CertificateBasis,
    CertificateStatus,
    CertificateStyle,
    ProducerKind,
    SampleLevel,
)
from minsheng.agri.metrics import certificate_share
from minsheng.agri.models import Certificate
from minsheng.core import clock

ISSUE_DAY = dt.datetime(2026, 5, 20, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def farm(aw):
    return actions.create_producer(
        actor=aw.supervisor, name="东关韭菜家庭农场", kind=ProducerKind.FAMILY_FARM, village=aw.village_1
    )


def issue(aw, farm, **kw):
    fields = {
        "actor": aw.supervisor,
        "producer": farm,
        "commodity": aw.commodity("韭菜"),
        "style": CertificateStyle.PRODUCER,
        "quantity": "250",
        "basis": CertificateBasis.SELF_TEST,
        "origin": "城关街道东关村",
        "contact_phone": "13912345678",
    }
    fields.update(kw)
    with clock.at(ISSUE_DAY):
        return actions.issue_certificate(**fields)


def test_numbers_run_per_day_and_batches_get_consecutive_numbers(aw, farm):
    first = issue(aw, farm)
    assert (first.number, first.product_name, first.issued_on) == (
        "HGZ20260520-0001",
        "韭菜",
        ISSUE_DAY.date(),
    )
    with clock.at(ISSUE_DAY):
        batch = actions.issue_batch(
            actor=aw.supervisor,
            count=3,
            producer=farm,
            commodity=aw.commodity("韭菜"),
            style=CertificateStyle.PRODUCER,
            quantity="10",
            basis=CertificateBasis.QUALITY_CONTROL,
            origin="东关村",
            contact_phone="13912345678",
        )
    assert [c.number[-4:] for c in batch] == ["0002", "0003", "0004"]
    with clock.at(ISSUE_DAY + dt.timedelta(days=1)):
        nxt = actions.issue_certificate(
            actor=aw.supervisor,
            producer=farm,
            commodity=aw.commodity("韭菜"),
            style=CertificateStyle.PURCHASER,
            quantity="1",
            basis=CertificateBasis.COMMISSIONED_TEST,
            origin="东关村",
            contact_phone="13912345678",
            upstream_numbers="HGZ20260520-0001",
        )
    assert nxt.number == "HGZ20260521-0001"
    assert len({c.token for c in Certificate.objects.all()}) == 5


def test_bad_input_and_foreign_village_are_refused(aw, farm):
    with pytest.raises(ValidationError) as err:
        issue(aw, farm, basis="trust_me", quantity="many")
    assert set(err.value.message_dict) == {"basis", "quantity"}
    with pytest.raises(ValidationError):
        issue(aw, farm, quantity="0")
    outsider = actions.create_producer(
        actor=aw.w.admin, name="西关合作社", kind=ProducerKind.COOPERATIVE, village=aw.village_2
    )
    with pytest.raises(PermissionDenied):
        issue(aw, outsider)


def test_correct_then_void_then_nothing_changes(aw, farm):
    cert = issue(aw, farm)
    cert = actions.correct_certificate(actor=aw.supervisor, certificate=cert, quantity="200")
    assert cert.quantity == Decimal("200")
    with pytest.raises(ValidationError):
        actions.correct_certificate(actor=aw.supervisor, certificate=cert, number="HGZ-FAKE")
    with pytest.raises(ValidationError):
        actions.void_certificate(actor=aw.supervisor, certificate=cert, reason=" ")
    voided = actions.void_certificate(actor=aw.supervisor, certificate=cert, reason="数量填错，重新开具")
    assert voided.status == CertificateStatus.VOID and voided.voided_at is not None
    with pytest.raises(ValidationError):
        actions.correct_certificate(actor=aw.supervisor, certificate=cert, quantity="100")
    with pytest.raises(ValidationError):
        actions.void_certificate(actor=aw.supervisor, certificate=cert, reason="再次作废")
    cert.refresh_from_db()
    assert cert.quantity == Decimal("200")


def test_public_verification_page_and_qr_code(aw, farm):
    cert = issue(aw, farm)
    anonymous = Client()
    url = reverse("agri:verify", args=[cert.token])
    page = anonymous.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert cert.number in body and "该合格证真实有效" in body
    assert "139****5678" in body and "13912345678" not in body
    # it names who stands behind the record, and looks like the residents' public pages
    assert "城关街道农产品质量安全监管站" in body and "监管单位" in body
    assert 'class="card cert"' in body
    qr = anonymous.get(reverse("agri:verify_qr", args=[cert.token]))
    assert qr["Content-Type"] == "image/png" and qr.content.startswith(b"\x89PNG")
    actions.void_certificate(actor=aw.supervisor, certificate=cert, reason="作废测试")
    assert "该合格证已作废" in anonymous.get(url).content.decode()
    assert anonymous.get(reverse("agri:verify", args=["not-a-token"])).status_code == 404


def test_pdf_is_for_staff_in_scope(aw, farm, client_for):
    cert = issue(aw, farm)
    url = reverse("agri:certificate_pdf", args=[cert.pk])
    response = client_for(aw.supervisor).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_for(aw.w.grid_b).get(url).status_code == 404  # 龙泉社区's grid worker: out of scope
    assert Client().get(url).status_code == 302  # to the login page


def test_share_of_sampled_batches_with_a_certificate(aw, farm):
    assert certificate_share() is None
    for shown in (True, False, False, True):
        actions.record_sample(
            actor=aw.supervisor,
            commodity=aw.commodity("韭菜"),
            village=aw.village_1,
            level=SampleLevel.STREET,
            producer=farm,
            certificate_shown=shown,
        )
    assert certificate_share() == 50.0


def test_a_number_drawn_twice_is_drawn_again(aw, farm, monkeypatch):
    """Two issuers at the same moment: the unique number refuses the second, which draws the next number."""
    first = issue(aw, farm)
    drawn = iter([first.number, "HGZ20260520-0002"])
    monkeypatch.setattr(certificate_actions, "_next_number", lambda day: next(drawn))
    second = issue(aw, farm)
    assert second.number == "HGZ20260520-0002"
    assert Certificate.objects.count() == 2
