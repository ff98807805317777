"""Login by username or phone number, with throttling against password guessing.

Failures are counted per *account* and client address, whichever identifier was typed: a username and its phone
number share one counter (they used to have one each, which doubled the guesses). Identifiers that name no account
are counted per identifier and address. On top, every failure from one address counts towards a per-address limit,
against trying many accounts from one place (30 usernames in 7 seconds was possible on the web login). Both doors,
the web login and the API's token endpoint, go through this backend (docs/decisions/0018).
"""

import hashlib

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models import Q

from .models import User


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]


def _account(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return User.objects.filter(Q(username=identifier) | Q(phone=identifier)).first()


def _subject(identifier: str, user: User | None = None) -> str:
    user = user if user is not None else _account(identifier)
    if user is not None:
        return f"user{user.pk}"
    return "name" + _digest((identifier or "").strip().lower())


def _pair_key(subject: str, ip: str | None) -> str:
    return f"login-fail:{subject}:{_digest(ip or '-')}"


def _address_key(ip: str | None) -> str:
    return f"login-fail-address:{_digest(ip or '-')}"


def _address_limit() -> int:
    return getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 20)


def _incr(key: str) -> int:
    cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)
        return 1


def is_locked_out(identifier: str, ip: str | None, *, user: User | None = None) -> bool:
    if cache.get(_address_key(ip), 0) >= _address_limit():
        return True
    return cache.get(_pair_key(_subject(identifier, user), ip), 0) >= settings.LOGIN_FAILURE_LIMIT


def note_failure(identifier: str, ip: str | None, *, user: User | None = None) -> int:
    _incr(_address_key(ip))
    return _incr(_pair_key(_subject(identifier, user), ip))


def clear_failures(identifier: str, ip: str | None, *, user: User | None = None) -> None:
    """A successful login clears its account's counter at that address (not the address's own count)."""
    cache.delete(_pair_key(_subject(identifier, user), ip))


class PhoneOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        ip = request.META.get("REMOTE_ADDR") if request is not None else None
        user = _account(username)
        if is_locked_out(username, ip, user=user):
            return None
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle for unknown names
            note_failure(username, ip, user=None)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            clear_failures(username, ip, user=user)
            return user
        note_failure(username, ip, user=user)
        return None
