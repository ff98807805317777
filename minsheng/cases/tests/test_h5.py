"""The residents' phone pages: verification codes, submitting, following, rating, reopening, my appeals."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minsheng.cases import actions
from minsheng.cases.choices import Channel, RequestKind, Satisfaction, Status
from minsheng.cases.models import Case, CaseEvent, Category, FollowUp
from minsheng.cases.views.h5 import NOT_FOUND
from minsheng.core import sms

PHONE = "13912345678"
OTHER_PHONE = "13987654321"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
#: A point inside 颐和一网格 (the cw fixture's grid: lng 118.50–118.51, lat 36.50–36.51).
INSIDE = {"lat": "36.505", "lng": "118.505"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded photos go to a scratch folder, not the installation's media."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.MINSHENG_SMS_BACKEND = "minsheng.core.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def last_code(phone: str) -> str:
    texts = [text for to, text in sms.outbox if to == phone]
    assert texts, f"no message to {phone}"
    return re.search(r"\d{6}", texts[-1]).group()


def ask_code(client, phone: str = PHONE, ip: str = "10.0.0.1"):
    return client.post(reverse("h5:send_code"), {"phone": phone}, REMOTE_ADDR=ip)


def code_for(client, phone: str = PHONE) -> str:
    assert ask_code(client, phone).status_code == 200
    return last_code(phone)


def photo(name="photo.jpg", content=JPEG):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def pipes():
    """管道堵塞: the second level under 下水道/排水, which is what a resident picks."""
    return Category.objects.get(code="0501")


def form_data(cw, code: str, **changes) -> dict:
    data = {
        "category": pipes().pk,
        "description": "3号楼东侧下水道堵塞，污水漫到路面",
        "estate": cw.w.estate_a.pk,
        "building": cw.w.building_a.pk,
        "address": "2单元门口",
        "reporter_name": "王女士",
        "phone": PHONE,
        "code": code,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, cw, code: str = "", **changes):
    return client.post(reverse("h5:submit"), form_data(cw, code, **changes))


def register(cw, phone: str = PHONE, **kwargs) -> Case:
    return actions.do_register(
        actor=None,
        kind="appeal",
        channel=Channel.ONLINE,
        category=cw.cat_sewer,
        description="小区下水道堵塞",
        node=cw.w.building_a,
        reporter_phone=phone,
        **kwargs,
    )


def resolve(cw, case: Case) -> Case:
    """The staff's part of the loop: accept, dispatch (routing picks 颐和社区居委会), sign, reply, verify."""
    w = cw.w
    actions.do_accept(case, actor=w.worker_a)
    actions.do_dispatch(case, actor=w.worker_a)
    actions.do_sign(case, actor=w.grid_a)
    actions.do_reply(case, actor=w.grid_a, note="已疏通下水道，路面已清理")
    actions.do_verify(case, actor=w.worker_a, passed=True)
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    return case


def following(cw, case: Case) -> Client:
    """A browser that proved the phone of `case` (number + phone + code)."""
    client = Client()
    code = code_for(client, case.reporter_phone)
    response = client.post(
        reverse("h5:track"), {"number": case.number, "phone": case.reporter_phone, "code": code}
    )
    assert response.status_code == 302
    return client


# -- verification codes ---------------------------------------------------------------------------------------


def test_a_code_is_six_digits_sent_through_the_backend_and_stored_only_hashed(db, client):
    response = ask_code(client)
    assert response.status_code == 200
    assert "验证码已发送" in response.json()["message"]
    code = last_code(PHONE)
    assert re.fullmatch(r"\d{6}", code)
    record = cache.get(f"sms:h5:{PHONE}:code")
    assert record is not None and code not in str(record)
    assert sms.check_code(PHONE, code)
    assert not sms.check_code(PHONE, code), "a code works once"


def test_the_default_backend_writes_the_code_to_the_log_with_the_phone_masked(db, client, settings, caplog):
    del settings.MINSHENG_SMS_BACKEND
    with caplog.at_level("INFO", logger="minsheng.core.sms"):
        ask_code(client)
    assert "139****5678" in caplog.text
    assert PHONE not in caplog.text
    assert re.search(r"验证码是 \d{6}", caplog.text)


class BrokenGateway:
    def send(self, phone, text):
        raise ConnectionError("gateway down")


def test_a_failing_gateway_is_a_clear_503_and_the_phone_may_ask_again(db, client, settings):
    settings.MINSHENG_SMS_BACKEND = f"{__name__}.BrokenGateway"
    response = ask_code(client)
    assert response.status_code == 503
    assert response.json()["error"] == "短信发送失败，请稍后再试"
    settings.MINSHENG_SMS_BACKEND = "minsheng.core.sms.LocmemBackend"
    assert ask_code(client).status_code == 200, "no 60-second wait after a message that never left"


def test_asking_a_code_for_a_bad_number_is_a_clear_400(db, client):
    response = ask_code(client, phone="12345")
    assert response.status_code == 400
    assert response.json()["error"] == "请输入11位手机号码"
    assert sms.outbox == []


def test_a_wrong_code_does_not_submit_and_the_right_one_does(cw, client):
    code = code_for(client)
    wrong = "000000" if code != "000000" else "111111"
    response = submit(client, cw, wrong)
    assert response.status_code == 400
    assert "验证码不正确或已过期" in response.content.decode()
    assert not Case.objects.exists()
    response = submit(client, cw, code)
    assert response.status_code == 302
    assert Case.objects.count() == 1


def test_a_code_expires_after_ten_minutes(cw, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        code = code_for(client)
    with time_machine.travel(start + dt.timedelta(minutes=10, seconds=1), tick=False):
        response = submit(client, cw, code)
    assert response.status_code == 400
    assert "验证码不正确或已过期" in response.content.decode()
    assert not Case.objects.exists()


def test_a_code_still_works_just_before_it_expires(cw, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        code = code_for(client)
    with time_machine.travel(start + dt.timedelta(minutes=9, seconds=50), tick=False):
        assert submit(client, cw, code).status_code == 302


def test_the_form_can_check_a_code_before_sending_without_using_it_up(db, client):
    code = code_for(client)
    url = reverse("h5:check_code")
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(url, {"phone": PHONE, "code": wrong})
    assert response.status_code == 400
    assert response.json()["error"] == "验证码不正确或已过期，请重新获取"
    assert client.post(url, {"phone": PHONE, "code": "12"}).json()["error"] == "验证码是6位数字"
    assert client.post(url, {"phone": PHONE, "code": code}).json() == {"ok": True}
    assert sms.check_code(PHONE, code), "checking did not use the code up"


def test_five_wrong_tries_kill_the_code(db, client):
    code = code_for(client)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        assert not sms.check_code(PHONE, wrong)
    assert sms.check_code(PHONE, code, consume=False), "the fifth try may still be the right one"
    assert sms.check_code(PHONE, code), (
        "a right code spends no tries: the form checks it, then the server does"
    )

    cache.clear()
    code = code_for(client)
    for _ in range(sms.MAX_TRIES):
        assert not sms.check_code(PHONE, wrong)
    assert not sms.check_code(PHONE, code), "after five wrong tries the right code is dead too"


def test_one_phone_waits_a_minute_between_codes_and_gets_five_an_hour(db, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert ask_code(client).status_code == 200
        again = ask_code(client)
        assert again.status_code == 429
        assert "60 秒后再试" in again.json()["error"]
        for _ in range(sms.PHONE_PER_HOUR - 1):
            traveller.shift(dt.timedelta(seconds=sms.RESEND_SECONDS + 1))
            assert ask_code(client).status_code == 200
        traveller.shift(dt.timedelta(seconds=sms.RESEND_SECONDS + 1))
        response = ask_code(client)
        assert response.status_code == 429
        assert "一小时后再试" in response.json()["error"]
        traveller.shift(dt.timedelta(hours=1))
        assert ask_code(client).status_code == 200
    assert len(sms.outbox) == sms.PHONE_PER_HOUR + 1


def test_one_client_address_gets_at_most_twenty_codes_an_hour(db, client):
    for i in range(sms.IP_PER_HOUR):
        assert ask_code(client, phone=f"1390000{i:04d}", ip="10.0.0.9").status_code == 200
    response = ask_code(client, phone="13911110000", ip="10.0.0.9")
    assert response.status_code == 429
    assert "过于频繁" in response.json()["error"]
    assert ask_code(client, phone="13911110000", ip="10.0.0.10").status_code == 200


# -- submitting ------------------------------------------------------------------------------------------------


def test_submit_with_photos_and_a_building(cw, client):
    code = code_for(client)
    data = form_data(cw, code)
    data["photos"] = [photo("a.jpg"), photo("b.jpg")]
    response = client.post(reverse("h5:submit"), data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("h5:submitted", args=[case.number])
    assert re.fullmatch(r"CG-\d{4}-\d{6}", case.number)
    assert case.kind.code == "appeal" and case.channel == Channel.ONLINE
    assert case.status == Status.REGISTERED
    assert case.node == cw.w.building_a and case.grid == cw.grid
    assert case.category == pipes()
    assert (case.reporter_name, case.reporter_phone, case.address) == ("王女士", PHONE, "2单元门口")
    assert case.reporter_user is None and not case.anonymous
    assert sorted(a.name for a in case.attachments.all()) == ["a.jpg", "b.jpg"]
    assert {a.content_type for a in case.attachments.all()} == {"image/jpeg"}

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert case.number in page.content.decode()
    # The same browser may now follow the case without another code.
    assert client.get(reverse("h5:case", args=[case.number])).status_code == 200


def test_submit_with_the_current_position_finds_the_grid(cw, client):
    code = code_for(client)
    response = submit(client, cw, code, estate="", building="", **INSIDE)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.grid == cw.grid
    assert case.node == cw.w.community_a
    assert (case.lat, case.lng) == (36.505, 118.505)


def test_a_position_outside_every_grid_asks_for_the_estate_and_keeps_the_code(cw, client):
    code = code_for(client)
    response = submit(client, cw, code, estate="", building="", lat="30.0", lng="110.0")
    assert response.status_code == 400
    assert "不在本街道的网格范围内" in response.content.decode()
    assert not Case.objects.exists()
    assert submit(client, cw, code).status_code == 302, "the code was not used up by the failed attempt"


def test_a_place_is_required_and_the_building_must_be_in_the_estate(cw, client):
    code = code_for(client)
    response = submit(client, cw, code, estate="", building="")
    assert "请选择小区，或使用当前位置" in response.content.decode()
    response = submit(client, cw, code, estate=cw.w.estate_b.pk)
    assert "楼栋不属于所选小区" in response.content.decode()
    assert not Case.objects.exists()


def test_the_top_level_alone_is_not_a_category(cw, client):
    code = code_for(client)
    top = Category.objects.get(code="05")
    response = submit(client, cw, code, category=top.pk)
    assert "请选择具体的问题类别" in response.content.decode()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("note.pdf", b"%PDF-1.4 test", content_type="application/pdf"), "不是照片"),
        (SimpleUploadedFile("fake.jpg", b"just some text", content_type="image/jpeg"), "类型不支持"),
        (SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg"), "是空文件"),
    ],
)
def test_photos_are_checked_by_the_engine_rules(cw, client, upload, message):
    code = code_for(client)
    data = form_data(cw, code)
    data["photos"] = [upload]
    response = client.post(reverse("h5:submit"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "照片需要重新选择" in response.content.decode()
    assert not Case.objects.exists()


def test_at_most_nine_photos(cw, client):
    code = code_for(client)
    data = form_data(cw, code)
    data["photos"] = [photo(f"{i}.jpg") for i in range(10)]
    response = client.post(reverse("h5:submit"), data)
    assert "最多上传 9 张照片" in response.content.decode()


def test_anonymous_keeps_no_name(cw, client):
    code = code_for(client)
    submit(client, cw, code, anonymous="on")
    case = Case.objects.get()
    assert case.anonymous and case.reporter_name == ""
    assert case.reporter_phone == PHONE


@pytest.mark.parametrize(
    "changes",
    [
        {"category": "abc"},
        {"category": "999999"},
        {"estate": "999999"},
        {"estate": "x", "building": "y"},
        {"lat": "nan", "lng": "118.5", "estate": ""},
        {"lat": "91", "lng": "118.5", "estate": ""},
        {"phone": "not-a-phone"},
        {"code": "12"},
        {"description": "x" * 4001},
        {"description": ""},
    ],
)
def test_bad_input_gets_a_form_error_never_a_500(cw, client, changes):
    data = {"code": "123456", **changes}
    response = submit(client, cw, **data)
    assert response.status_code == 400
    assert "请检查下面标红的内容" in response.content.decode()
    assert not Case.objects.exists()


def test_buildings_of_an_estate_and_where_a_position_falls(cw, client):
    response = client.get(reverse("h5:buildings", args=[cw.w.estate_a.pk]))
    assert response.json() == {"buildings": [{"id": cw.w.building_a.pk, "name": "1号楼"}]}
    assert client.get(reverse("h5:buildings", args=[cw.w.building_a.pk])).status_code == 404
    assert client.get(reverse("h5:locate"), INSIDE).json() == {
        "found": True,
        "place": "颐和社区 · 颐和一网格",
        "grid": "颐和一网格",
        "estate": "",
        "estate_id": None,
    }
    # with the 小区's centre known, "use my location" names it too
    estate = cw.w.estate_a
    estate.lat, estate.lng = 36.5052, 118.5049
    estate.save(update_fields=["lat", "lng"])
    found = client.get(reverse("h5:locate"), INSIDE).json()
    assert found["place"] == "颐和社区 · 颐和一网格 · 颐和家园" and found["estate_id"] == estate.pk
    assert client.get(reverse("h5:locate"), {"lat": "30", "lng": "110"}).json()["found"] is False
    assert client.get(reverse("h5:locate"), {"lat": "abc"}).status_code == 400


def test_the_form_offers_estates_grouped_by_community_and_categories(cw, client):
    page = client.get(reverse("h5:submit")).content.decode()
    assert '<optgroup label="颐和社区">' in page and '<optgroup label="龙泉社区">' in page
    assert "颐和家园" in page and "龙泉小区" in page
    assert "下水道/排水" in page and "管道堵塞" in page
    assert 'accept="image/*" capture="environment" multiple' in page


# -- following --------------------------------------------------------------------------------------------------


def test_follow_with_the_right_phone_and_code(cw):
    case = register(cw)
    client = Client()
    assert client.get(reverse("h5:case", args=[case.number])).status_code == 302
    code = code_for(client)
    response = client.post(reverse("h5:track"), {"number": case.number.lower(), "phone": PHONE, "code": code})
    assert response["Location"] == reverse("h5:case", args=[case.number])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "小区下水道堵塞" in page.content.decode()
    assert "139****5678" in page.content.decode()
    assert PHONE not in page.content.decode()
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]


def test_every_failure_to_follow_reads_the_same(cw):
    mine = register(cw)
    someone_else = register(cw, phone=OTHER_PHONE)
    client = Client()
    code = code_for(client)
    wrong = "000000" if code != "000000" else "111111"
    attempts = [
        {"number": someone_else.number, "phone": PHONE, "code": code},  # someone else's number
        {"number": "CG-2026-999999", "phone": PHONE, "code": code},  # an unknown number
        {"number": mine.number, "phone": PHONE, "code": wrong},  # a wrong code
    ]
    for data in attempts:
        response = client.post(reverse("h5:track"), data)
        assert response.status_code == 400
        assert str(NOT_FOUND) in response.content.decode()
    # The code was not used up by the mismatches: the right number still opens.
    assert (
        client.post(reverse("h5:track"), {"number": mine.number, "phone": PHONE, "code": code}).status_code
        == 302
    )
    assert client.get(reverse("h5:case", args=[someone_else.number])).status_code == 302


def test_an_expired_code_reads_the_same_too(cw):
    case = register(cw)
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        code = code_for(client)
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        response = client.post(reverse("h5:track"), {"number": case.number, "phone": PHONE, "code": code})
    assert str(NOT_FOUND) in response.content.decode()


def test_without_proof_an_existing_and_an_unknown_number_look_alike(cw, client):
    case = register(cw)
    known = client.get(reverse("h5:case", args=[case.number]))
    unknown = client.get(reverse("h5:case", args=["CG-2026-999999"]))
    assert known.status_code == unknown.status_code == 302
    assert known["Location"].startswith(reverse("h5:track"))
    assert unknown["Location"].startswith(reverse("h5:track"))


def test_the_timeline_shows_public_events_in_plain_words_and_no_staff_names(cw):
    case = register(cw)
    w = cw.w
    actions.do_accept(case, actor=w.worker_a, note="内部：请尽快处理")
    actions.do_dispatch(case, actor=w.worker_a, note="内部：派给网格员")
    actions.do_supervise(case, actor=cw.leader, comment="督办意见：领导批示")
    actions.do_sign(case, actor=w.grid_a)
    actions.do_request(case, actor=w.grid_a, kind=RequestKind.EXTENSION, reason="延期理由：等配件", days=3)
    actions.do_reply(case, actor=w.grid_a, note="已疏通下水道，路面已清理", files=[photo("after.jpg")])
    assert CaseEvent.objects.filter(case=case, public=False).count() == 2

    page = following(cw, case).get(reverse("h5:case", args=[case.number])).content.decode()
    for words in [
        "已受理",
        "已派给颐和社区居委会办理",
        "颐和社区居委会已接单，正在办理",
        "已疏通下水道，路面已清理",
    ]:
        assert words in page
    for secret in ["内部", "督办意见", "延期理由", "社区A工作者", "社区A网格员", "街道领导"]:
        assert secret not in page
    assert "after.jpg" in page, "the photo of the result is shown"


def test_a_rejected_case_gives_its_reason_and_a_merged_one_the_progress_of_the_joint_case(cw):
    rejected = register(cw)
    actions.do_reject(rejected, actor=cw.w.worker_a, reason="属于物业合同纠纷，请通过法律途径解决")
    page = following(cw, rejected).get(reverse("h5:case", args=[rejected.number])).content.decode()
    assert "不予受理" in page and "属于物业合同纠纷，请通过法律途径解决" in page

    earlier = register(cw, phone=OTHER_PHONE)
    actions.do_accept(earlier, actor=cw.w.worker_a)
    cache.clear()  # the same phone asks for a second code at once
    merged = register(cw)
    actions.do_merge(merged, into=earlier, actor=cw.w.worker_a, note="内部：同一处下水道")
    page = following(cw, merged).get(reverse("h5:case", args=[merged.number])).content.decode()
    assert "与其他居民反映的同一问题合并办理" in page
    assert "合并后的办理进度：已受理" in page
    assert earlier.number not in page and "内部" not in page


def test_photos_are_served_to_the_follower_only(cw, client):
    code = code_for(client)
    data = form_data(cw, code)
    data["photos"] = [photo("a.jpg")]
    client.post(reverse("h5:submit"), data)
    case = Case.objects.get()
    attachment = case.attachments.get()
    url = reverse("h5:attachment", args=[case.number, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == JPEG
    assert Client().get(url).status_code == 404


def test_a_signed_link_opens_the_case_in_another_browser_and_a_forged_one_does_not(cw, client):
    code = code_for(client)
    submit(client, cw, code)
    case = Case.objects.get()
    page = client.get(reverse("h5:submitted", args=[case.number])).content.decode()
    link = re.search(r'value="http://testserver(/h5/t/[^"]+)"', page).group(1)

    other = Client()
    assert other.get(link)["Location"] == reverse("h5:case", args=[case.number])
    assert other.get(reverse("h5:case", args=[case.number])).status_code == 200

    forged = Client().get(link[:-3] + "xx/")
    assert forged.status_code == 404
    assert str(NOT_FOUND) in forged.content.decode()


def test_a_tampered_cookie_grants_nothing(cw, client):
    case = register(cw)
    client.cookies["minsheng_h5"] = str(case.pk)
    assert client.get(reverse("h5:case", args=[case.number])).status_code == 302


# -- rating and reopening ---------------------------------------------------------------------------------------


def test_rating_satisfied_archives_the_case(cw):
    case = resolve(cw, register(cw))
    client = following(cw, case)
    page = client.get(reverse("h5:case", args=[case.number])).content.decode()
    assert "请您评价办理结果" in page
    response = client.post(
        reverse("h5:rate", args=[case.number]),
        {"satisfaction": "satisfied", "resolved": "yes", "comment": "很及时"},
        follow=True,
    )
    assert "感谢您的评价" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ARCHIVED
    assert case.satisfaction == Satisfaction.SATISFIED and case.resolved_by_feedback is True
    followup = FollowUp.objects.get(case=case)
    assert followup.by_reporter and followup.by is None and followup.comment == "很及时"


def test_unsatisfied_sends_the_case_back_for_redo(cw):
    case = resolve(cw, register(cw))
    client = following(cw, case)
    response = client.post(
        reverse("h5:rate", args=[case.number]),
        {"satisfaction": "unsatisfied", "resolved": "no", "comment": "还是堵"},
        follow=True,
    )
    page = response.content.decode()
    assert "我们会重新办理" in page
    assert "评价为“不满意”，已安排重新办理" in page
    case.refresh_from_db()
    assert case.status == Status.HANDLING and case.redo_count == 1


def test_rating_needs_both_answers_and_a_resolved_case(cw):
    case = resolve(cw, register(cw))
    client = following(cw, case)
    response = client.post(reverse("h5:rate", args=[case.number]), {"satisfaction": "great"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请选择满意程度" in page and "请告诉我们问题是否已解决" in page

    fresh = register(cw, phone=OTHER_PHONE)
    client = following(cw, fresh)
    response = client.post(
        reverse("h5:rate", args=[fresh.number]), {"satisfaction": "satisfied", "resolved": "yes"}, follow=True
    )
    assert "案件办结后才能评价" in response.content.decode()
    assert not FollowUp.objects.filter(case=fresh).exists()


def test_a_stranger_cannot_rate(cw, client):
    case = resolve(cw, register(cw))
    response = client.post(
        reverse("h5:rate", args=[case.number]), {"satisfaction": "unsatisfied", "resolved": "no"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RESOLVED


def test_reopen_inside_the_window(cw):
    case = resolve(cw, register(cw))
    client = following(cw, case)
    with time_machine.travel(timezone.now() + dt.timedelta(days=14), tick=False):
        response = client.post(reverse("h5:reopen", args=[case.number]), {"reason": "又堵了"}, follow=True)
    assert "已重新提交办理" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.reopen_count == 1
    assert "您申请重新办理：又堵了" in response.content.decode()


def test_reopen_outside_the_window_is_refused_clearly(cw):
    case = resolve(cw, register(cw))
    client = following(cw, case)
    with time_machine.travel(timezone.now() + dt.timedelta(days=16), tick=False):
        page = client.get(reverse("h5:case", args=[case.number])).content.decode()
        assert "办结已超过 15 天，不能再申请重新办理" in page
        response = client.post(reverse("h5:reopen", args=[case.number]), {"reason": "又堵了"}, follow=True)
    assert "已超过 15 天的重新打开期限" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.reopen_count == 0


def test_reopen_needs_a_reason(cw):
    case = resolve(cw, register(cw))
    response = following(cw, case).post(reverse("h5:reopen", args=[case.number]), {"reason": ""})
    assert response.status_code == 400
    assert "请说明问题哪里还没有解决" in response.content.decode()


# -- residents with accounts ------------------------------------------------------------------------------------


def test_my_appeals_lists_the_account_s_cases_and_those_under_its_phone(cw, client_for):
    resident = cw.w.resident
    by_account = register(cw, phone=OTHER_PHONE, reporter_user=resident)
    by_phone = register(cw, phone=resident.phone)
    not_mine = register(cw, phone=OTHER_PHONE)
    client = client_for(resident)
    page = client.get(reverse("h5:mine")).content.decode()
    assert by_account.number in page and by_phone.number in page
    assert not_mine.number not in page
    assert client.get(reverse("h5:case", args=[by_phone.number])).status_code == 200
    assert client.get(reverse("h5:case", args=[not_mine.number])).status_code == 302


def test_my_appeals_asks_a_resident_to_sign_in_by_phone(db, client):
    response = client.get(reverse("h5:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("h5:login"))


def test_a_resident_signs_in_by_phone_and_code_and_sees_all_their_appeals(cw, client):
    earlier = register(cw, phone=PHONE)
    other = register(cw, phone=OTHER_PHONE)
    page = client.get(reverse("h5:login"), {"next": reverse("h5:mine")})
    assert page.status_code == 200 and "短信验证码" in page.content.decode()
    wrong = client.post(reverse("h5:login"), {"phone": PHONE, "code": "000000"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    code = code_for(client)
    response = client.post(reverse("h5:login"), {"phone": PHONE, "code": code, "next": reverse("h5:mine")})
    assert response.status_code == 302 and response["Location"] == reverse("h5:mine")
    mine = client.get(reverse("h5:mine")).content.decode()
    assert earlier.number in mine and other.number not in mine
    assert "我要反映" in mine  # on every H5 page
    # the account was made on the first login, and is a resident's: no workbench
    user = get_user_model().objects.get(phone=PHONE)
    assert not user.is_staff_member and not user.has_usable_password()
    assert client.get("/cases/").status_code in (302, 403)


def test_a_staff_phone_cannot_sign_in_by_code(cw, client):
    staff = cw.w.worker_a
    staff.phone = "13900000001"
    staff.save(update_fields=["phone"])
    code = code_for(client, staff.phone)
    response = client.post(reverse("h5:login"), {"phone": staff.phone, "code": code})
    assert response.status_code == 400 and "工作人员" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_signed_in_resident_submits_with_the_account_phone_and_no_code(cw, client_for):
    resident = cw.w.resident
    client = client_for(resident)
    page = client.get(reverse("h5:submit")).content.decode()
    assert resident.phone in page
    response = client.post(reverse("h5:submit"), form_data(cw, "", phone=resident.phone))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.reporter_user == resident and case.reporter_phone == resident.phone
    # Another number still has to be proved.
    response = client.post(reverse("h5:submit"), form_data(cw, "", phone=OTHER_PHONE))
    assert "请填写短信验证码" in response.content.decode()


@pytest.mark.django_db
def test_home_links_to_the_residents_meetings_and_activities():
    """The phone home is the residents' one door: deliberation and activities are reached from it."""
    body = Client().get(reverse("h5:home")).content.decode()
    assert 'href="/h5/meetings/"' in body and "议事协商" in body
    assert 'href="/h5/activities/"' in body and "社区活动" in body
