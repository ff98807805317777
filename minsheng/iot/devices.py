"""Device credentials: a gateway posts readings with its own token, not a person's account.

The token is shown once when issued and stored only as a SHA-256 digest, so a leaked database does not let anyone
post readings. Requests carry it as `Authorization: Device <token>`.
"""

import hashlib
import secrets

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, permissions

from .models import Gateway

KEYWORD = "Device"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(gateway: Gateway) -> str:
    """A new token for the gateway (the old one stops working). Returns the token; only its digest is kept."""
    token = secrets.token_urlsafe(32)
    gateway.token_digest = digest(token)
    gateway.save(update_fields=["token_digest", "updated_at"])
    return token


class GatewayTokenAuthentication(authentication.BaseAuthentication):
    """Authenticates the gateway as `request.auth`; there is no user (request.user stays anonymous)."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("设备令牌格式错误"))
        try:
            token = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("设备令牌格式错误")) from None
        gateway = Gateway.objects.filter(token_digest=digest(token)).first()
        if gateway is None:
            raise exceptions.AuthenticationFailed(_("设备令牌无效"))
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), gateway

    def authenticate_header(self, request):
        return KEYWORD


class IsGateway(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, Gateway)
