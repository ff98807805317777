"""Notifications: the inbox, dedupe, quiet hours, email, webhooks (against a real local HTTP server), the API."""

import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from minsheng.core import notifications
from minsheng.core.models import Delivery, Notification, WebhookEndpoint
from minsheng.core.notifications import MAX_ATTEMPTS, RETRY_DELAYS, notify
from minsheng.core.tasks import deliver_due

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Run Celery tasks in-process, as the embedded setup does, whatever broker the environment names."""
    from minsheng.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """notify() as a committed action would call it: the after-commit delivery runs when the block ends."""

    def call(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(*args, **kwargs)

    return call


def with_email(user, address, **quiet):
    notifications.update_preferences(user, actor=user, email_enabled=True, email=address, **quiet)


@dataclass
class Hook:
    """A real HTTP server on 127.0.0.1 that records what it is sent and answers as told."""

    url: str = ""
    status: int = 200
    reply: bytes = b'{"errcode":0,"errmsg":"ok"}'
    requests: list = field(default_factory=list)

    def json(self, index: int = -1) -> dict:
        return json.loads(self.requests[index]["body"])


@pytest.fixture
def hook():
    state = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append({"path": self.path, "headers": self.headers, "body": body})
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(state.reply)))
            self.end_headers()
            self.wfile.write(state.reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}"
    yield state
    server.shutdown()
    server.server_close()


def endpoint(url, **fields) -> WebhookEndpoint:
    fields.setdefault("name", "测试群")
    fields.setdefault("min_level", "info")
    return WebhookEndpoint.objects.create(url=url, **fields)


def refused_url() -> str:
    """An address where nothing listens: bind an ephemeral port, then let it go."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


# -- the inbox -------------------------------------------------------------------------------------------------


def test_notify_writes_one_inbox_row_per_recipient_and_the_inbox_lists_unread_first(world, send, client_for):
    send([world.worker_a, world.grid_a], title="新派遣案件 CG001", body="井盖缺失", link="/cases/1/")
    newer = send([world.worker_a], title="案件 CG002 已签收")[0]
    notifications.mark_read(newer, actor=world.worker_a)

    assert Notification.objects.filter(recipient=world.grid_a).count() == 1
    assert notifications.unread_count(world.worker_a) == 1

    page = client_for(world.worker_a).get(reverse("notifications:inbox"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("新派遣案件 CG001") < html.index("案件 CG002 已签收")  # unread first, though older
    assert "井盖缺失" in html

    other = client_for(world.grid_b).get(reverse("notifications:inbox")).content.decode()
    assert "CG001" not in other and "还没有消息" in other


def test_inbox_filters_unread_and_marks_all_read(world, send, client_for):
    send([world.worker_a], title="甲")
    send([world.worker_a], title="乙")
    notifications.mark_read(Notification.objects.get(title="甲"), actor=world.worker_a)
    client = client_for(world.worker_a)

    unread_page = client.get(reverse("notifications:inbox") + "?unread=1").content.decode()
    assert "乙" in unread_page and "甲" not in unread_page

    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert notifications.unread_count(world.worker_a) == 0


def test_opening_a_notification_marks_it_read_and_follows_its_link(world, send, client_for):
    mine = send([world.worker_a], title="请核查", link="/cases/7/")[0]
    response = client_for(world.worker_a).get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/cases/7/"
    mine.refresh_from_db()
    assert mine.read_at is not None

    outside = send([world.worker_a], title="外链", link="https://evil.example/")[0]
    response = client_for(world.worker_a).get(reverse("notifications:open", args=[outside.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_nobody_reads_or_marks_another_persons_notification(world, send, client_for):
    theirs = send([world.grid_a], title="网格任务")[0]
    client = client_for(world.grid_b)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    client_for(world.admin).post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_rolled_back_action_leaves_no_notification_and_sends_nothing(
    world, django_capture_on_commit_callbacks
):
    with_email(world.worker_a, "a@example.org")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify([world.worker_a], title="不会发生", level="urgent")
        raise RuntimeError("the action failed after notifying")
    assert not Notification.objects.exists()
    assert mail.outbox == []


# -- dedupe ----------------------------------------------------------------------------------------------------


def test_a_repeat_with_the_same_dedupe_key_writes_nothing_for_the_same_recipient(world, send, hook):
    with_email(world.worker_a, "a@example.org")
    endpoint(hook.url)

    first = send([world.worker_a], title="案件即将到期", level="warning", dedupe_key="warn:1")
    again = send([world.worker_a], title="案件即将到期", level="warning", dedupe_key="warn:1")
    widened = send([world.worker_a, world.grid_a], title="案件即将到期", level="warning", dedupe_key="warn:1")

    assert len(first) == 1 and again == []
    assert [n.recipient for n in widened] == [world.grid_a]
    assert Notification.objects.filter(recipient=world.worker_a).count() == 1
    assert len(mail.outbox) == 1
    assert len(hook.requests) == 1  # the group hears of it once


# -- quiet hours and email -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, local_now, expected_end",
    [
        ("22:00", "07:00", "2026-03-10 23:30", "2026-03-11 07:00"),
        ("22:00", "07:00", "2026-03-11 06:59", "2026-03-11 07:00"),
        ("22:00", "07:00", "2026-03-11 07:00", None),
        ("22:00", "07:00", "2026-03-11 12:00", None),
        ("12:00", "14:00", "2026-03-11 13:00", "2026-03-11 14:00"),
        ("12:00", "14:00", "2026-03-11 14:30", None),
    ],
)
def test_quiet_until_handles_periods_across_midnight(start, end, local_now, expected_end):
    def moment(text):
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)

    result = notifications.quiet_until(
        dt.time.fromisoformat(start), dt.time.fromisoformat(end), moment(local_now)
    )
    assert result == (moment(expected_end) if expected_end else None)


def test_quiet_hours_defer_email_to_their_end_while_the_inbox_row_is_written_at_once(
    world, send, time_machine
):
    time_machine.move_to(dt.datetime(2026, 3, 10, 23, 30, tzinfo=SHANGHAI))
    with_email(world.worker_a, "a@example.org", quiet_start=dt.time(22), quiet_end=dt.time(7))

    send([world.worker_a], title="新派遣案件 CG009", link="/cases/9/")

    assert Notification.objects.filter(recipient=world.worker_a, title="新派遣案件 CG009").exists()
    assert mail.outbox == []
    delivery = Delivery.objects.get(channel=Delivery.Channel.EMAIL)
    assert delivery.next_attempt_at == dt.datetime(2026, 3, 11, 7, 0, tzinfo=SHANGHAI)

    time_machine.move_to(dt.datetime(2026, 3, 11, 6, 59, tzinfo=SHANGHAI))
    deliver_due()
    assert mail.outbox == []

    time_machine.move_to(dt.datetime(2026, 3, 11, 7, 0, 30, tzinfo=SHANGHAI))
    deliver_due()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["a@example.org"]
    assert "新派遣案件 CG009" in mail.outbox[0].subject


def test_urgent_notifications_ignore_quiet_hours(world, send, time_machine, settings):
    settings.MINSHENG_SITE_URL = "https://minsheng.example.gov.cn"
    time_machine.move_to(dt.datetime(2026, 3, 10, 23, 30, tzinfo=SHANGHAI))
    with_email(world.worker_a, "a@example.org", quiet_start=dt.time(22), quiet_end=dt.time(7))

    send([world.worker_a], title="案件 CG010 已超期", body="已超期 2 小时", link="/cases/10/", level="urgent")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[民生] 【紧急】案件 CG010 已超期"
    assert "已超期 2 小时" in message.body
    assert "https://minsheng.example.gov.cn/cases/10/" in message.body
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_email_respects_the_switch_and_needs_an_address(world, send):
    notifications.update_preferences(world.worker_a, actor=world.worker_a, email_enabled=False)
    send([world.worker_a, world.grid_a], title="提示")  # worker_a switched email off; grid_a has no address
    assert mail.outbox == []
    assert not Delivery.objects.exists()
    assert Notification.objects.count() == 2


# -- webhooks --------------------------------------------------------------------------------------------------


def test_wecom_robot_receives_the_markdown_message_within_4096_bytes(world, send, hook, settings):
    settings.MINSHENG_SITE_URL = "https://minsheng.example.gov.cn"
    endpoint(hook.url + "/cgi-bin/webhook/send?key=robot-key", kind=WebhookEndpoint.Kind.WECOM)
    long_body = "颐和社区1号楼下水道堵塞，污水外溢。" * 300  # far beyond 4096 bytes of UTF-8

    send([world.worker_a], title="案件 CG011 即将到期", body=long_body, link="/cases/11/", level="warning")

    assert len(hook.requests) == 1
    request = hook.requests[0]
    assert request["path"] == "/cgi-bin/webhook/send?key=robot-key"
    payload = hook.json()
    assert set(payload) == {"msgtype", "markdown"}
    assert payload["msgtype"] == "markdown"
    assert set(payload["markdown"]) == {"content"}
    content = payload["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096
    assert content.startswith('<font color="warning">【警告】</font>**案件 CG011 即将到期**\n颐和社区')
    assert "…\n[查看详情](https://minsheng.example.gov.cn/cases/11/)" in content  # body cut, link kept
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_generic_webhook_gets_json_with_a_valid_hmac_signature(world, send, hook):
    hook.reply = b"{}"
    endpoint(hook.url + "/minsheng", kind=WebhookEndpoint.Kind.GENERIC, secret="s3cret-值")

    send(
        [], title="温室 3 号棚温度过低", body="2.1℃", level="urgent", kind="iot.alarm", source=world.estate_a
    )

    request = hook.requests[0]
    expected = hmac.new("s3cret-值".encode(), request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Minsheng-Signature"] == f"sha256={expected}"
    payload = hook.json()
    assert payload["title"] == "温室 3 号棚温度过低"
    assert payload["level"] == "urgent" and payload["kind"] == "iot.alarm"
    assert payload["node_path"] == world.estate_a.path
    assert payload["source"] == {"type": "org.node", "id": str(world.estate_a.pk)}
    assert payload["id"] == Delivery.objects.get().pk
    assert request["headers"]["X-Minsheng-Delivery"] == str(payload["id"])


def test_a_refused_connection_is_recorded_and_retried_with_backoff_without_raising(world, send, time_machine):
    ten = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI)
    time_machine.move_to(ten, tick=False)
    endpoint(refused_url())

    written = send([world.worker_a], title="告警", level="warning")

    assert len(written) == 1  # the caller got its answer; the failure stayed inside the delivery
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1
    assert "无法连接" in delivery.last_error
    assert delivery.next_attempt_at == ten + RETRY_DELAYS[0]

    time_machine.move_to(ten + dt.timedelta(seconds=59), tick=False)
    deliver_due()
    delivery.refresh_from_db()
    assert delivery.attempts == 1  # not due yet

    time_machine.move_to(ten + RETRY_DELAYS[0], tick=False)
    deliver_due()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at == ten + RETRY_DELAYS[0] + RETRY_DELAYS[1]


def test_an_endpoint_answering_500_is_given_up_after_the_last_retry(world, send, hook, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI), tick=False)
    hook.status, hook.reply = 500, b"internal error"
    endpoint(hook.url)

    send([world.worker_a], title="告警", level="warning")
    for delay in RETRY_DELAYS:
        time_machine.shift(delay)
        deliver_due()

    delivery = Delivery.objects.get()
    assert len(hook.requests) == MAX_ATTEMPTS
    assert delivery.attempts == MAX_ATTEMPTS
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.next_attempt_at is None
    assert delivery.last_error.startswith("HTTP 500")

    time_machine.shift(dt.timedelta(days=1))
    deliver_due()
    assert len(hook.requests) == MAX_ATTEMPTS  # given up means no more calls


def test_a_wecom_error_code_counts_as_a_failure(world, send, hook):
    hook.reply = json.dumps({"errcode": 93000, "errmsg": "invalid webhook url"}).encode()
    endpoint(hook.url, kind=WebhookEndpoint.Kind.WECOM)

    send([world.worker_a], title="提示")

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    assert "93000" in delivery.last_error


def test_node_scoped_webhooks_hear_only_of_their_subtree_and_their_levels(world, send, hook):
    scoped = endpoint(hook.url + "/community-a", node_path=world.community_a.path)
    everything = endpoint(hook.url + "/all")
    loud_only = endpoint(hook.url + "/urgent", min_level="urgent")

    send([], title="A 小区的事", source=world.estate_a)
    send([], title="B 小区的事", source=world.estate_b)
    send([], title="不属于任何节点")
    send([], title="A 单元紧急", source=world.unit_a, level="urgent")

    heard = {}
    for request in hook.requests:
        heard.setdefault(request["path"], []).append(json.loads(request["body"])["markdown"]["content"])
    assert [c.split("**")[1] for c in heard["/community-a"]] == ["A 小区的事", "A 单元紧急"]
    assert len(heard["/all"]) == 4
    assert [c.split("**")[1] for c in heard["/urgent"]] == ["A 单元紧急"]
    assert {d.endpoint for d in Delivery.objects.all()} == {scoped, everything, loud_only}


def test_switching_an_endpoint_off_abandons_its_waiting_deliveries(world, send, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 10, 0, tzinfo=SHANGHAI), tick=False)
    broken = endpoint(refused_url())
    send([], title="告警")
    broken.enabled = False
    broken.save()

    time_machine.shift(dt.timedelta(minutes=2))
    deliver_due()

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_error == "该 Webhook 已停用"
    send([], title="再次告警")
    assert Delivery.objects.count() == 1  # a disabled endpoint is not scheduled at all


def test_the_admin_test_message_reports_the_outcome(db, hook):
    good = endpoint(hook.url, kind=WebhookEndpoint.Kind.WECOM)
    assert notifications.send_test_message(good).status == Delivery.Status.SENT
    assert "测试消息" in hook.json()["markdown"]["content"]

    bad = endpoint(refused_url(), name="坏的")
    delivery = notifications.send_test_message(bad)
    assert delivery.status == Delivery.Status.PENDING and "无法连接" in delivery.last_error


def test_truncate_utf8_never_splits_a_character():
    text = "民生诉求" * 2000
    cut = notifications.truncate_utf8(text, 4096)
    assert len(cut.encode("utf-8")) <= 4096
    assert cut.endswith("…") and text.startswith(cut[:-1])
    assert notifications.truncate_utf8("短", 4096) == "短"
    assert notifications.truncate_utf8("民生", 2) == ""  # no room for a whole character, nor the mark


# -- preferences -----------------------------------------------------------------------------------------------


def test_preferences_page_saves_quiet_hours_and_rejects_half_a_period(world, client_for):
    client = client_for(world.worker_a)
    url = reverse("notifications:preferences")

    bad = client.post(url, {"email_enabled": "on", "email": "a@example.org", "quiet_start": "22:00"})
    assert bad.status_code == 200
    assert "免打扰时段需要同时填写开始和结束时间" in bad.content.decode()
    assert notifications.preferences_for(world.worker_a).pk is None

    good = client.post(
        url, {"email_enabled": "on", "email": "a@example.org", "quiet_start": "22:00", "quiet_end": "07:00"}
    )
    assert good.status_code == 302
    pref = notifications.preferences_for(world.worker_a)
    assert (pref.email, pref.quiet_start, pref.quiet_end) == ("a@example.org", dt.time(22), dt.time(7))


# -- the API ---------------------------------------------------------------------------------------------------


def test_api_lists_only_the_callers_notifications_and_filters_unread(world, send, api_for):
    send([world.worker_a], title="甲")
    send([world.worker_a, world.grid_a], title="乙")
    notifications.mark_read(
        Notification.objects.get(recipient=world.worker_a, title="甲"), actor=world.worker_a
    )
    api = api_for(world.worker_a)

    everything = api.get("/api/v1/notifications/").json()
    assert sorted(n["title"] for n in everything["results"]) == ["乙", "甲"]
    unread = api.get("/api/v1/notifications/?unread=true").json()
    assert [n["title"] for n in unread["results"]] == ["乙"]
    assert api.get("/api/v1/notifications/unread-count/").json() == {"count": 1}

    admin_view = api_for(world.admin).get("/api/v1/notifications/").json()
    assert admin_view["count"] == 0  # the superuser's inbox is theirs alone, too


def test_api_marks_read_and_answers_404_for_someone_elses(world, send, api_for):
    mine = send([world.worker_a], title="我的")[0]
    theirs = send([world.grid_b], title="别人的")[0]
    api = api_for(world.worker_a)

    response = api.post(f"/api/v1/notifications/{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True

    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None

    send([world.worker_a], title="又一条")
    assert api.post("/api/v1/notifications/read-all/").json() == {"count": 1}


def test_api_needs_a_signed_in_user(world, send, client):
    send([world.worker_a], title="我的")
    assert client.get("/api/v1/notifications/").status_code in (401, 403)


def test_api_preferences_validate_and_save(world, api_for):
    api = api_for(world.worker_a)
    bad = api.put(
        "/api/v1/notifications/preferences/", {"email_enabled": True, "quiet_start": "22:00"}, format="json"
    )
    assert bad.status_code == 400
    assert "quiet_end" in bad.json()
    assert api.put(
        "/api/v1/notifications/preferences/",
        {"email_enabled": True, "email": "not-an-address"},
        format="json",
    ).json() == {"email": ["请输入合法的邮件地址。"]}

    good = api.put(
        "/api/v1/notifications/preferences/",
        {"email_enabled": True, "email": "a@example.org", "quiet_start": "22:00", "quiet_end": "07:00"},
        format="json",
    )
    assert good.status_code == 200
    assert api.get("/api/v1/notifications/preferences/").json() == {
        "email_enabled": True,
        "email": "a@example.org",
        "quiet_start": "22:00:00",
        "quiet_end": "07:00:00",
    }
