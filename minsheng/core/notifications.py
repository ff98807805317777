"""Notifications: one call, `notify()`, tells people something on every channel they use.

The in-app inbox row is written in the caller's transaction, so it exists exactly when the change that caused it
does. Copies for email and outgoing webhooks are Delivery rows, sent after commit by a Celery task; a failure is
recorded on its row and retried later with backoff by the periodic sweep (`deliver_due`), so nothing a mail server
or a chat robot does can fail — or slow down the rollback of — the action that called `notify()`.
See docs/decisions/0004-notifications.md.
"""

import contextlib
import contextvars
import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Delivery, Notification, NotificationLevel, NotificationPreference, WebhookEndpoint

log = logging.getLogger(__name__)

Level = NotificationLevel

#: Quiet hours are wall-clock times in the 街道's time zone, whatever the server's zone is.
SHANGHAI = ZoneInfo("Asia/Shanghai")

#: The wait after the 1st, 2nd, … failed attempt; a delivery that fails once more after the last is given up.
RETRY_DELAYS = [
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

#: A worker that claims a delivery and then dies leaves it to be tried again after this long.
CLAIM_LEASE = dt.timedelta(minutes=5)

HTTP_TIMEOUT_SECONDS = 5
WECOM_MAX_BYTES = 4096  # the group robot rejects markdown content longer than this (UTF-8 bytes)
SIGNATURE_HEADER = "X-Minsheng-Signature"

_RANK: dict[str, int] = {Level.INFO: 0, Level.WARNING: 1, Level.URGENT: 2}

_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("minsheng_notifications_muted", default=False)


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """Write no notifications inside the block: for replaying history (the demo's two years of cases), where
    telling people today about events of last year would only fill their inboxes with noise."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


# -- writing notifications -------------------------------------------------------------------------------------


def notify(
    recipients: Any,
    *,
    title: str,
    body: str = "",
    link: str = "",
    level: str = Level.INFO,
    kind: str = "",
    source: Any = None,
    dedupe_key: str | None = None,
    node: Any = None,
    email: bool = True,
) -> list[Notification]:
    """Tell `recipients` (users, or one user) something; return the inbox rows written.

    `source` is the object the notification is about; its org node (found through the model's `scope_path`, or
    given as `node`) decides which node-scoped webhooks hear of it. With `dedupe_key`, a repeat call writes
    nothing for a recipient — or a webhook — that already had that key: the deadline clock and sensor alarms
    call this on every tick. `email=False` leaves out the email copies (an app's own preferences said no).
    """
    if level not in _RANK:
        raise ValueError(f"unknown notification level {level!r}")
    if _muted.get():
        return []
    if not title:
        raise ValueError("a notification needs a title")
    if len(link) > (Notification._meta.get_field("link").max_length or 0):
        raise ValueError("notification link is too long")
    if hasattr(recipients, "pk"):
        recipients = [recipients]
    users = list({u.pk: u for u in recipients if u is not None and u.is_active}.values())
    key = dedupe_key or ""
    node_path = node.path if node is not None else node_path_of(source)
    source_type = ContentType.objects.get_for_model(source) if source is not None else None
    now = timezone.now()

    inbox_fields = {
        "title": title[:200],
        "body": body,
        "link": link,
        "level": level,
        "kind": kind,
        "source_type": source_type,
        "source_id": str(source.pk) if source is not None else "",
        "node_path": node_path,
    }
    message = {
        "title": title,
        "body": body,
        "link": link,
        "level": level,
        "kind": kind,
        "node_path": node_path,
        "source": _source_ref(source_type, source),
        "created_at": now.isoformat(),
    }
    with transaction.atomic():
        written = _write_inbox(users, key, inbox_fields)
        preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=users)}
        deliveries = [_email_delivery(n, preferences.get(n.recipient_id), now) for n in written if email]
        deliveries += _webhook_deliveries(message, key, now)
        due = [
            d.pk
            for d in deliveries
            if d is not None and d.next_attempt_at is not None and d.next_attempt_at <= now
        ]
        if due:
            transaction.on_commit(partial(_enqueue, due), robust=True)
    return written


def _write_inbox(users: list[Any], key: str, fields: dict[str, Any]) -> list[Notification]:
    """One inbox row per user, skipping those who already hold the dedupe key."""
    already = set()
    if key:
        already = set(
            Notification.objects.filter(dedupe_key=key, recipient__in=users).values_list(
                "recipient_id", flat=True
            )
        )
    written = []
    for user in users:
        if user.pk not in already:
            notification = _create_once(Notification, recipient=user, dedupe_key=key, **fields)
            if notification is not None:
                written.append(notification)
    return written


def _webhook_deliveries(message: dict[str, Any], key: str, now: dt.datetime) -> list[Delivery]:
    """One delivery per interested endpoint that has not yet had this dedupe key."""
    deliveries = []
    for endpoint in endpoints_for(message["level"], message["node_path"]):
        if key and Delivery.objects.filter(endpoint=endpoint, dedupe_key=key).exists():
            continue
        delivery = _create_once(
            Delivery,
            channel=Delivery.Channel.WEBHOOK,
            endpoint=endpoint,
            message=message,
            dedupe_key=key,
            next_attempt_at=not_before(message["level"], endpoint.quiet_start, endpoint.quiet_end, now),
        )
        if delivery is not None:
            deliveries.append(delivery)
    return deliveries


def _create_once(model: type[Any], **fields: Any) -> Any:
    """Create a row, or return None when a concurrent twin with the same dedupe key got there first."""
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        if not fields.get("dedupe_key"):
            raise
        return None


def _email_delivery(
    notification: Notification, pref: NotificationPreference | None, now: dt.datetime
) -> Delivery | None:
    if pref is not None and not pref.email_enabled:
        return None
    address = (pref.email if pref else "") or notification.recipient.email
    if not address:
        return None
    return Delivery.objects.create(
        channel=Delivery.Channel.EMAIL,
        notification=notification,
        address=address,
        next_attempt_at=not_before(
            notification.level,
            pref.quiet_start if pref else None,
            pref.quiet_end if pref else None,
            now,
        ),
    )


def endpoints_for(level: str, node_path: str) -> list[WebhookEndpoint]:
    """Enabled webhooks that want a notification of this level about this place.

    A scoped endpoint hears only of notifications whose source lies in its subtree; one without a scope hears all.
    """
    levels = [lv for lv, rank in _RANK.items() if rank <= _RANK[level]]
    return [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(enabled=True, min_level__in=levels)
        if not endpoint.node_path or node_path.startswith(endpoint.node_path)
    ]


def node_path_of(obj: Any) -> str:
    """The materialised path of the org node `obj` belongs to, following its model's `scope_path` lookup."""
    lookup = getattr(obj, "scope_path", "") if obj is not None else ""
    if not lookup:
        return ""
    value = obj
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return value if isinstance(value, str) else ""


def _source_ref(source_type: ContentType | None, source: Any) -> dict[str, Any] | None:
    if source is None or source_type is None:
        return None
    return {"type": f"{source_type.app_label}.{source_type.model}", "id": str(source.pk)}


def _enqueue(delivery_ids: list[int]) -> None:
    from .tasks import deliver

    deliver.delay(delivery_ids)


# -- quiet hours -----------------------------------------------------------------------------------------------


def quiet_until(start: dt.time | None, end: dt.time | None, moment: dt.datetime) -> dt.datetime | None:
    """The end of the quiet period `moment` falls in (Asia/Shanghai wall clock), or None outside one.

    A period may cross midnight: 22:00–07:00 covers 23:30 tonight and 06:00 tomorrow.
    """
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(moment, SHANGHAI)
    today, now = local.date(), local.time()
    if start < end:
        inside, end_day = start <= now < end, today
    elif now >= start:
        inside, end_day = True, today + dt.timedelta(days=1)
    else:
        inside, end_day = now < end, today
    return dt.datetime.combine(end_day, end, tzinfo=SHANGHAI) if inside else None


def not_before(level: str, start: dt.time | None, end: dt.time | None, now: dt.datetime) -> dt.datetime:
    """When a copy on an interrupting channel may go out: urgent ones at once, others after quiet hours."""
    if level == Level.URGENT:
        return now
    return quiet_until(start, end, now) or now


# -- sending ---------------------------------------------------------------------------------------------------


class DeliveryError(Exception):
    """The receiving side answered, but not with success."""


class Abandon(Exception):
    """A delivery that no retry can help (its endpoint was switched off, its recipient deactivated)."""


def attempt_delivery(delivery_id: int) -> str | None:
    """Try one due delivery once and record the outcome; return its new status, or None if it was not ours.

    Claiming is a single conditional UPDATE that also pushes the next attempt one lease ahead, so two workers
    sweeping at once never both send, and a worker that dies mid-send leaves the delivery to be retried.
    """
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE)
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("notification__recipient", "endpoint").get(pk=delivery_id)
    try:
        _send(delivery)
    except Exception as exc:
        delivery.last_error = describe_error(exc)[:1000]
        if delivery.attempts >= MAX_ATTEMPTS or isinstance(exc, Abandon):
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = timezone.now() + RETRY_DELAYS[delivery.attempts - 1]
        log.warning(
            "notification delivery %s (%s) attempt %s failed: %s",
            delivery.pk,
            delivery,
            delivery.attempts,
            delivery.last_error,
        )
    else:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.last_error = ""
    delivery.save(update_fields=["status", "next_attempt_at", "last_error", "sent_at", "updated_at"])
    return delivery.status


def deliver_due(limit: int = 500) -> int:
    """Attempt every delivery whose time has come (deferred by quiet hours, or waiting to retry)."""
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if attempt_delivery(pk) == Delivery.Status.SENT)


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        _send_email(delivery)
    else:
        _post_webhook(delivery)


def _send_email(delivery: Delivery) -> None:
    notification = delivery.notification
    assert notification is not None  # an email delivery always copies a notification
    if not notification.recipient.is_active:
        raise Abandon(_("接收人账号已停用"))
    subject = _("[民生] %(level)s%(title)s") % {
        "level": _level_prefix(notification.level),
        "title": notification.title,
    }
    lines = [notification.body] if notification.body else []
    if notification.link:
        lines.append(_("查看详情：%(url)s") % {"url": absolute_url(notification.link)})
    lines += ["", _("此邮件由民生平台自动发送。可在“通知设置”中关闭邮件或设置免打扰时段。")]
    send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [delivery.address])


def _post_webhook(delivery: Delivery) -> None:
    endpoint = delivery.endpoint
    assert endpoint is not None  # a webhook delivery always has its endpoint
    if not endpoint.enabled:
        raise Abandon(_("该 Webhook 已停用"))
    if not endpoint.url.lower().startswith(("http://", "https://")):
        raise Abandon(_("Webhook 地址必须以 http:// 或 https:// 开头"))
    body = json.dumps(webhook_payload(endpoint, delivery), ensure_ascii=False).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Minsheng-Notify/1"}
    if endpoint.kind == WebhookEndpoint.Kind.GENERIC:
        headers["X-Minsheng-Delivery"] = str(delivery.pk)
        if endpoint.secret:
            headers[SIGNATURE_HEADER] = "sha256=" + sign(endpoint.secret, body)
    request = urllib.request.Request(endpoint.url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
        reply = response.read(64 * 1024)
    if endpoint.kind == WebhookEndpoint.Kind.WECOM:
        _check_wecom_reply(reply)


def _check_wecom_reply(reply: bytes) -> None:
    """The robot answers HTTP 200 even on failure; success is `{"errcode": 0}` in the body."""
    try:
        data = json.loads(reply)
    except ValueError as exc:
        raise DeliveryError(_("企业微信返回了无法识别的内容")) from exc
    if not isinstance(data, dict) or data.get("errcode") != 0:
        errcode = data.get("errcode") if isinstance(data, dict) else None
        errmsg = data.get("errmsg", "") if isinstance(data, dict) else ""
        raise DeliveryError(_("企业微信返回错误 %(code)s：%(msg)s") % {"code": errcode, "msg": errmsg})


def sign(secret: str, body: bytes) -> str:
    """HMAC-SHA256 of the exact request body, hex: what a generic receiver recomputes to trust a call."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def describe_error(exc: Exception) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        detail = exc.read(300).decode("utf-8", "replace") if exc.fp else ""
        return f"HTTP {exc.code} {exc.reason} {detail}".strip()
    if isinstance(exc, urllib.error.URLError):
        return _("无法连接：%(reason)s") % {"reason": exc.reason}
    if isinstance(exc, TimeoutError):
        return _("连接超时")
    if isinstance(exc, DeliveryError | Abandon):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# -- message formats -------------------------------------------------------------------------------------------


def webhook_payload(endpoint: WebhookEndpoint, delivery: Delivery) -> dict[str, Any]:
    message = delivery.message
    if endpoint.kind == WebhookEndpoint.Kind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": wecom_markdown(message)}}
    return {
        "id": delivery.pk,
        "event": "notification",
        "title": message.get("title", ""),
        "body": message.get("body", ""),
        "link": absolute_url(message.get("link", "")),
        "level": message.get("level", Level.INFO),
        "kind": message.get("kind", ""),
        "node_path": message.get("node_path", ""),
        "source": message.get("source"),
        "created_at": message.get("created_at", ""),
    }


def wecom_markdown(message: dict[str, Any]) -> str:
    """The group robot's markdown: a coloured level tag, the title in bold, the body, a link and the time.

    Only the body is shortened to fit the 4096-byte limit, so the title and the link always arrive.
    """
    level = message.get("level", Level.INFO)
    color = "info" if level == Level.INFO else "warning"
    head = f'<font color="{color}">【{Level(level).label}】</font>**{message.get("title", "")}**'
    tail = []
    if message.get("link"):
        tail.append(f"[{_('查看详情')}]({absolute_url(message['link'])})")
    created = message.get("created_at")
    if created:
        local = timezone.localtime(dt.datetime.fromisoformat(created), SHANGHAI)
        tail.append(f'<font color="comment">{local:%Y-%m-%d %H:%M}</font>')
    tail_text = "\n".join(tail)
    room = WECOM_MAX_BYTES - len(f"{head}\n\n{tail_text}".encode())
    body = truncate_utf8(message.get("body", ""), max(room, 0))
    content = "\n".join(part for part in (head, body, tail_text) if part)
    return truncate_utf8(content, WECOM_MAX_BYTES)


def truncate_utf8(text: str, max_bytes: int, ellipsis: str = "…") -> str:
    """Cut `text` to at most `max_bytes` of UTF-8 without splitting a character, marking the cut."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    mark = ellipsis.encode("utf-8")
    if max_bytes < len(mark):
        mark = b""
    return data[: max_bytes - len(mark)].decode("utf-8", "ignore") + mark.decode("utf-8")


def absolute_url(link: str) -> str:
    """Links inside the site are relative; mail and chat need the site's address in front (MINSHENG_SITE_URL)."""
    site = getattr(settings, "MINSHENG_SITE_URL", "")
    if not link or "://" in link or not site:
        return link
    return site.rstrip("/") + "/" + link.lstrip("/")


def _level_prefix(level: str) -> str:
    return "" if level == Level.INFO else f"【{Level(level).label}】"


# -- the inbox: actions and reads ------------------------------------------------------------------------------


def unread_count(user: Any) -> int:
    """How many unread notifications `user` has: the badge in the page shell."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.visible_to(user).filter(read_at__isnull=True).count()


def mark_read(notification: Notification, *, actor: Any) -> bool:
    """Mark one of the actor's own notifications read; return whether it was unread."""
    if actor is None or notification.recipient_id != actor.pk:
        raise PermissionDenied(_("只能处理自己的通知"))
    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
    if changed:
        notification.read_at = now
    return bool(changed)


def mark_all_read(*, actor: Any) -> int:
    """Mark everything in the actor's inbox read; return how many were unread."""
    now = timezone.now()
    return (
        Notification.objects.visible_to(actor)
        .filter(read_at__isnull=True)
        .update(read_at=now, updated_at=now)
    )


def preferences_for(user: Any) -> NotificationPreference:
    """The user's preferences, or the defaults (unsaved) for someone who never changed them."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


@transaction.atomic
def update_preferences(
    user: Any,
    *,
    actor: Any,
    email_enabled: bool,
    email: str = "",
    quiet_start: dt.time | None = None,
    quiet_end: dt.time | None = None,
) -> NotificationPreference:
    if actor is not None and actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("只能修改自己的通知设置"))
    errors = {}
    if (quiet_start is None) != (quiet_end is None):
        errors["quiet_end" if quiet_end is None else "quiet_start"] = _(
            "免打扰时段需要同时填写开始和结束时间"
        )
    elif quiet_start is not None and quiet_start == quiet_end:
        errors["quiet_end"] = _("免打扰结束时间不能与开始时间相同")
    if email_enabled and not (email or user.email):
        errors["email"] = _("开启邮件通知需要填写邮箱")
    if errors:
        raise ValidationError(errors)
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    pref.email_enabled = email_enabled
    pref.email = email or ""
    pref.quiet_start = quiet_start
    pref.quiet_end = quiet_end
    pref.full_clean()
    pref.save()
    return pref


# -- operator tools (the admin) --------------------------------------------------------------------------------


def send_test_message(endpoint: WebhookEndpoint) -> Delivery:
    """Send a test message to one endpoint right now and return the recorded delivery (for the admin)."""
    now = timezone.now()
    delivery = Delivery.objects.create(
        channel=Delivery.Channel.WEBHOOK,
        endpoint=endpoint,
        message={
            "title": _("测试消息"),
            "body": _("这是一条来自民生平台的测试推送，收到即表示配置正确。"),
            "link": "",
            "level": Level.INFO,
            "kind": "core.test",
            "node_path": endpoint.node_path,
            "source": None,
            "created_at": now.isoformat(),
        },
        next_attempt_at=now,
    )
    attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def retry_now(deliveries: Iterable[Delivery]) -> int:
    """Put unsent deliveries back in line for an immediate attempt; return how many."""
    ids = [d.pk for d in deliveries if d.status != Delivery.Status.SENT]
    count = Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.PENDING, next_attempt_at=timezone.now()
    )
    if ids:
        transaction.on_commit(partial(_enqueue, ids), robust=True)
    return count
