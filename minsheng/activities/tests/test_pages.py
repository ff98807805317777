"""The staff pages, the door, the residents' H5 and the certificate: each answers, refuses the wrong people, and
turns bad input into a message rather than a 500."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from minsheng.activities import actions
from minsheng.activities.actions import dual, points, volunteers
from minsheng.activities.models import CheckIn, Exchange, Registration

pytestmark = pytest.mark.django_db


def test_staff_pages_answer(aw, client_for, volunteer):
    event = aw.event(capacity=2)
    volunteers.do_create_shift(
        actor=aw.w.worker_a, event=event, role="引导", start=event.start, end=event.end, slots=2
    )
    unit = dual.do_report_unit(
        actor=aw.w.worker_a,
        node=aw.w.community_a,
        name="县财政局",
        contact_name="刘",
        reported_on=aw.now.date(),
    )
    dual.do_evaluate_year(aw.w.community_a, aw.now.year, actor=aw.w.worker_a)
    points.do_add_market_item(actor=aw.w.worker_a, node=aw.w.community_a, name="毛巾", points=10, stock=5)
    c = client_for(aw.w.worker_a)
    for url in (
        reverse("activities:events"),
        reverse("activities:events") + "?kind=market&status=published&start_after=2020-01-01&search=市集",
        reverse("activities:events") + "?start_after=not-a-date",
        reverse("activities:event_create"),
        reverse("activities:event", args=[event.pk]),
        reverse("activities:door", args=[event.pk]),
        reverse("activities:figures"),
        reverse("activities:figures") + "?start=bad",
        reverse("activities:volunteers"),
        reverse("activities:volunteer_create"),
        reverse("activities:volunteer", args=[volunteer.pk]),
        reverse("activities:teams"),
        reverse("activities:records"),
        reverse("activities:market"),
        reverse("activities:dual"),
        reverse("activities:dual_unit", args=[unit.pk]),
        reverse("activities:evaluations"),
        reverse("activities:evaluations") + "?year=abc",
    ):
        response = c.get(url)
        assert response.status_code == 200, url
    xlsx = c.get(reverse("activities:evaluations_xlsx") + f"?year={aw.now.year}&unit={unit.pk}")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")


def test_scoping_and_roles(aw, client_for):
    event = aw.event()
    assert client_for(aw.w.grid_b).get(reverse("activities:event", args=[event.pk])).status_code == 404
    assert client_for(aw.w.grid_a).get(reverse("activities:event_create")).status_code == 403
    assert client_for(aw.w.resident).get(reverse("activities:events")).status_code == 403


def test_publish_through_the_form(aw, client_for):
    c = client_for(aw.w.worker_a)
    start = aw.now + dt.timedelta(days=2)
    data = {
        "title": "书画笔会",
        "kind": 2,
        "node": aw.w.community_a.pk,
        "venue": aw.venue.pk,
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "organiser_kind": "community",
        "public": "on",
    }
    from minsheng.activities.models import EventKind

    data["kind"] = EventKind.objects.get(code="calligraphy").pk
    response = c.post(reverse("activities:event_create"), data)
    assert response.status_code == 200 and "结束时间不能早于开始时间" in response.content.decode()
    data["end"] = (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = c.post(reverse("activities:event_create"), data)
    assert response.status_code == 302


def test_door_checks_in_once(aw, client_for):
    event = aw.event(start_in_hours=1)
    registration = actions.do_register(event, actor=aw.w.resident)
    c = client_for(aw.w.grid_a)
    url = reverse("activities:door", args=[event.pk])
    first = c.post(url, {"token": registration.token}, HTTP_ACCEPT="application/json").json()
    again = c.post(url, {"token": registration.token.lower()}, HTTP_ACCEPT="application/json").json()
    bad = c.post(url, {"token": "nope"}, HTTP_ACCEPT="application/json")
    assert first["ok"] and first["created"] and first["count"] == 1
    assert again["ok"] and not again["created"] and "已签到过" in again["message"]
    assert bad.status_code == 400 and not bad.json()["ok"]
    page = c.post(url, {"token": registration.token})
    assert page.status_code == 200 and "已签到过" in page.content.decode()
    walk_in = c.post(reverse("activities:walk_in", args=[event.pk]), {"name": "路过的老李", "back": "door"})
    assert walk_in.status_code == 302 and walk_in["Location"].endswith("/door/")
    assert CheckIn.objects.filter(event=event).count() == 2


def test_resident_h5_register_waitlist_and_ticket(aw, client_for):
    event = aw.event(capacity=1)
    actions.do_register(event, actor=aw.w.worker_a, name="先报名的", phone="13900000001")
    anonymous = client_for(aw.w.resident)
    anonymous.logout()
    assert anonymous.get(reverse("activities_h5:home")).status_code == 200
    c = client_for(aw.w.resident)
    home = c.get(reverse("activities_h5:home")).content.decode()
    assert event.title in home
    response = c.post(reverse("activities_h5:register", args=[event.pk]), follow=True)
    assert "候补" in response.content.decode()
    registration = Registration.objects.get(event=event, user=aw.w.resident)
    assert registration.status == "waitlisted"
    first = Registration.objects.get(event=event, name="先报名的")
    actions.do_cancel_registration(first, actor=aw.w.worker_a)
    page = c.get(reverse("activities_h5:detail", args=[event.pk])).content.decode()
    assert registration.token in page and "<svg" in page
    assert c.get(reverse("activities_h5:me")).status_code == 200
    assert c.get(reverse("activities_h5:detail", args=[999999])).status_code == 404


def test_resident_becomes_volunteer_and_exchanges(aw, client_for):
    c = client_for(aw.w.resident)
    response = c.post(reverse("activities_h5:volunteer"), {"name": "小王", "phone": "13800000005"})
    assert response.status_code == 200 and "同意" in response.content.decode()
    response = c.post(
        reverse("activities_h5:volunteer"), {"name": "小王", "phone": "13800000005", "consent": "on"}
    )
    assert response.status_code == 302
    volunteer = volunteers.own_volunteer(aw.w.resident)
    item = points.do_add_market_item(
        actor=aw.w.worker_a, node=aw.w.community_a, name="大米", points=20, stock=3
    )
    refused = c.post(reverse("activities_h5:exchange", args=[item.pk]), follow=True).content.decode()
    assert "积分不足" in refused and not Exchange.objects.exists()
    volunteers.do_record_service(
        volunteer, actor=aw.w.worker_a, content="助老", served_on=aw.now.date(), hours="2", confirm=True
    )
    ok = c.post(reverse("activities_h5:exchange", args=[item.pk]), follow=True).content.decode()
    assert "兑换成功" in ok and Exchange.objects.count() == 1
    assert c.get(reverse("activities_h5:market")).status_code == 200


def test_certificate_pdf_and_public_verification(aw, client_for, volunteer):
    volunteers.do_record_service(
        volunteer, actor=aw.w.worker_a, content="防溺水宣传", served_on=aw.now.date(), hours="2", confirm=True
    )
    c = client_for(aw.w.worker_a)
    response = c.post(
        reverse("activities:certificate_issue", args=[volunteer.pk]),
        {
            "period_start": (aw.now.date() - dt.timedelta(days=30)).isoformat(),
            "period_end": aw.now.date().isoformat(),
            "issuer": "颐和社区居民委员会",
            "person_in_charge": "王书记",
            "handler": "小李",
            "contact": "0536-1234567",
        },
    )
    assert response.status_code == 302
    certificate = volunteer.certificates.get()
    pdf = c.get(reverse("activities:certificate_pdf", args=[certificate.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    public = client_for(aw.w.grid_b)
    public.logout()
    page = public.get(reverse("activities_public:verify", args=[certificate.verify_code])).content.decode()
    assert certificate.number in page and "真实有效" in page and volunteer.id_number not in page
    assert public.get(reverse("activities_public:verify", args=["NOPE"])).status_code == 404


def test_close_and_cancel_pages(aw, client_for):
    event = aw.event(start_in_hours=1, open_air=True)
    c = client_for(aw.w.worker_a)
    c.post(reverse("activities:headcount", args=[event.pk]), {"count": "-5"})
    c.post(reverse("activities:headcount", args=[event.pk]), {"count": "300", "note": "目测"})
    with time_machine.travel(event.end + dt.timedelta(hours=1)):
        c.post(reverse("activities:close", args=[event.pk]), {"summary": "演出顺利"})
    event.refresh_from_db()
    assert event.status == "closed" and event.headcount == 300
    other = aw.event()
    response = c.post(reverse("activities:cancel", args=[other.pk]), {"reason": ""}, follow=True)
    assert "请说明取消原因" in response.content.decode()
