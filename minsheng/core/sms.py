"""Text messages to phones, and the one-time codes a resident proves a phone number with.

The backend is pluggable: settings.MINSHENG_SMS_BACKEND names a class with `send(phone, text)`. The default writes
the message to the log — what a demo or an intranet without an SMS gateway needs — and a real gateway (a
province's 政务短信平台 or a commercial one) is one small class elsewhere.

Verification codes live in the cache, never in the database: six digits kept only as an HMAC, valid for ten
minutes, gone after five wrong tries. Sending is rate-limited per phone and per client address, so the form cannot
be used to flood someone's phone or to run up the gateway's bill.
"""

import hmac
import logging
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .masking import mask_phone

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "minsheng.core.sms.LogBackend"

CODE_DIGITS = 6
CODE_TTL = 10 * 60
MAX_TRIES = 5
#: A phone may ask again after this many seconds …
RESEND_SECONDS = 60
#: … and at most this many times per hour; one client address at most IP_PER_HOUR times (a whole office may share
#: one address behind NAT, hence the larger number).
PHONE_PER_HOUR = 5
IP_PER_HOUR = 20
HOUR = 60 * 60


# -- backends -----------------------------------------------------------------------------------------------


class LogBackend:
    """Writes each message to the log (phone masked): the demo reads its verification codes there."""

    def send(self, phone: str, text: str) -> None:
        logger.info("短信 %s：%s", mask_phone(phone), text)


#: Messages sent through LocmemBackend, oldest first (tests read the codes here).
outbox: list[tuple[str, str]] = []


class LocmemBackend:
    """Keeps messages in `outbox`, like Django's locmem e-mail backend."""

    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    backend = import_string(getattr(settings, "MINSHENG_SMS_BACKEND", DEFAULT_BACKEND))
    backend().send(phone, text)


# -- verification codes -------------------------------------------------------------------------------------


class SendFailed(Exception):
    """The backend could not send the message (the gateway is down, refused the text …)."""


class RateLimited(Exception):
    """Too many codes asked for; the message says when to try again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _digest(purpose: str, phone: str, code: str) -> str:
    return salted_hmac("minsheng.core.sms", f"{purpose}:{phone}:{code}").hexdigest()


def _keys(purpose: str, phone: str) -> dict[str, str]:
    base = f"sms:{purpose}:{phone}"
    return {"code": f"{base}:code", "tries": f"{base}:tries", "wait": f"{base}:wait", "hour": f"{base}:hour"}


def _count(key: str, window: int) -> int:
    """One more event in a fixed window; the cache's atomic increment keeps parallel requests honest."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ran out between add() and incr()
        cache.set(key, 1, window)
        return 1


def send_code(phone: str, *, ip: str | None, purpose: str = "h5") -> None:
    """Send a fresh code to `phone` (the previous one stops working). Raises RateLimited or SendFailed."""
    keys = _keys(purpose, phone)
    if cache.get(keys["wait"]):
        raise RateLimited(
            _("验证码已发送，请 %(s)d 秒后再试") % {"s": RESEND_SECONDS}, retry_after=RESEND_SECONDS
        )
    if ip and _count(f"sms:ip:{ip}", HOUR) > IP_PER_HOUR:
        raise RateLimited(_("获取验证码过于频繁，请稍后再试"), retry_after=HOUR)
    if _count(keys["hour"], HOUR) > PHONE_PER_HOUR:
        raise RateLimited(_("该手机号获取验证码次数过多，请一小时后再试"), retry_after=HOUR)
    cache.set(keys["wait"], 1, RESEND_SECONDS)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    cache.set(
        keys["code"], {"digest": _digest(purpose, phone, code), "expires": time.time() + CODE_TTL}, CODE_TTL
    )
    cache.delete(keys["tries"])
    text = _("【民生诉求】您的验证码是 %(code)s，%(m)d 分钟内有效。如非本人操作，请忽略本短信。") % {
        "code": code,
        "m": CODE_TTL // 60,
    }
    try:
        send_sms(phone, text)
    except Exception as exc:  # a plug-in's failure, whatever its kind: the resident may try again at once
        logger.exception("短信发送失败 %s", mask_phone(phone))
        cache.delete_many([keys["code"], keys["wait"]])
        raise SendFailed(_("短信发送失败，请稍后再试")) from exc


def check_code(phone: str, code: str, *, purpose: str = "h5", consume: bool = True) -> bool:
    """Whether `code` is the live code of `phone`. A wrong guess counts; the fifth wrong one kills the code.

    `consume=False` leaves a right code usable, for a caller that may still fail afterwards (the form re-shows
    and the resident should not need a new code); call `consume_code` once the work is done.
    """
    keys = _keys(purpose, phone)
    record = cache.get(keys["code"])
    if not record or time.time() > record["expires"]:
        return False
    tries = _count(keys["tries"], CODE_TTL)
    if tries > MAX_TRIES:
        consume_code(phone, purpose=purpose)
        return False
    if not hmac.compare_digest(record["digest"], _digest(purpose, phone, (code or "").strip())):
        if tries == MAX_TRIES:
            consume_code(phone, purpose=purpose)
        return False
    if consume:
        consume_code(phone, purpose=purpose)
    else:
        cache.delete(keys["tries"])  # whoever knows the code needs no more guesses: checking again is free
    return True


def consume_code(phone: str, *, purpose: str = "h5") -> None:
    keys = _keys(purpose, phone)
    cache.delete_many([keys["code"], keys["tries"]])
