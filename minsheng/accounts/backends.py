"""Login by username or phone number, with throttling against password guessing."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models import Q

from .models import User


def _key(identifier: str, ip: str | None) -> str:
    return f"login-fail:{identifier.strip().lower()}:{ip or '-'}"


def is_locked_out(identifier: str, ip: str | None) -> bool:
    return cache.get(_key(identifier, ip), 0) >= settings.LOGIN_FAILURE_LIMIT


def note_failure(identifier: str, ip: str | None) -> int:
    key = _key(identifier, ip)
    cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)
        return 1


def clear_failures(identifier: str, ip: str | None) -> None:
    cache.delete(_key(identifier, ip))


class PhoneOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        ip = request.META.get("REMOTE_ADDR") if request is not None else None
        if is_locked_out(username, ip):
            return None
        user = User.objects.filter(Q(username=username) | Q(phone=username)).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle for unknown names
            note_failure(username, ip)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            clear_failures(username, ip)
            return user
        note_failure(username, ip)
        return None
