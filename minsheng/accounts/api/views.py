"""Accounts under /api/v1/accounts/: `me`, `token`, and user and membership management."""

import math

import django_filters
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from minsheng.core.filtersets import FilterSet

from .. import actions
from ..backends import is_locked_out
from ..choices import Cap, Role
from ..models import Membership
from . import serializers as s
from .base import CapabilityViewMixin


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.MeSerializer, summary="当前用户、角色与权限")
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)


class TokenView(APIView):
    """Exchange a username-or-phone and password for an API token.

    It goes through django.contrib.auth.authenticate, so the login throttling of the web login applies here too:
    after too many failures for one identifier from one address, even the right password is refused (429) until the
    lockout expires. A rate limit per client address comes on top, against trying many identifiers.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=s.TokenRequestSerializer, responses=s.TokenSerializer, summary="获取接口令牌")
    def post(self, request):
        body = s.TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        identifier = body.validated_data["username"]
        ip = request.META.get("REMOTE_ADDR")
        if is_locked_out(identifier, ip):
            raise self.locked_out()
        user = authenticate(request._request, username=identifier, password=body.validated_data["password"])
        if user is None:
            if is_locked_out(identifier, ip):
                raise self.locked_out()
            raise exceptions.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [_("手机号/用户名或密码不正确。")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response(s.TokenSerializer({"token": token.key, "user": user}).data)

    @staticmethod
    def locked_out():
        minutes = math.ceil(settings.LOGIN_LOCKOUT_SECONDS / 60)
        message = _("尝试次数过多，请 %(minutes)s 分钟后再试。") % {"minutes": minutes}
        return exceptions.Throttled(detail=message)


class AccountsViewSet(CapabilityViewMixin, viewsets.GenericViewSet):
    read_capability = write_capability = Cap.ACCOUNTS_MANAGE
    http_method_names = ["get", "post", "head", "options"]


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, AccountsViewSet):
    """账号（需 accounts.manage）。可见：在本人管理范围内任职的账号，以及尚未任职的账号。"""

    serializer_class = s.UserSerializer
    filterset_fields = ["is_active"]
    ordering_fields = ["pk", "username"]

    def get_queryset(self):
        return s.managed_users(self.request.user)


class MembershipFilterSet(FilterSet):
    user = django_filters.NumberFilter(field_name="user_id", label=gettext_lazy("用户"))
    node = django_filters.NumberFilter(field_name="node_id", label=gettext_lazy("组织节点"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=gettext_lazy("角色"))

    class Meta:
        model = Membership
        fields = ["user", "node", "role"]


class MembershipViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, AccountsViewSet
):
    """任职：某人在某组织节点的角色（需在该节点有 accounts.manage）。结束用 `end`，不删除。"""

    serializer_class = s.MembershipSerializer
    filterset_class = MembershipFilterSet
    ordering_fields = ["pk", "valid_from"]

    def get_queryset(self):
        return Membership.objects.visible_to(self.request.user, Cap.ACCOUNTS_MANAGE).select_related(
            "user", "node"
        )

    @extend_schema(request=s.EndMembershipSerializer, responses=s.MembershipSerializer, summary="结束任职")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        membership = self.get_object()
        body = s.EndMembershipSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ended = actions.end_membership(membership, on=body.validated_data["on"], actor=request.user)
        return Response(self.get_serializer(ended).data)
