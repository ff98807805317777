"""The inbox over the API (/api/v1/notifications/): each person sees and marks only their own notifications."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from . import notifications
from .filtersets import FilterSet
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "title",
            "body",
            "link",
            "level",
            "level_display",
            "kind",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class PreferenceSerializer(serializers.Serializer[Any]):
    email_enabled = serializers.BooleanField(label=_("接收邮件"))
    email = serializers.EmailField(label=_("邮箱"), required=False, allow_blank=True, default="")
    quiet_start = serializers.TimeField(label=_("免打扰开始"), required=False, allow_null=True, default=None)
    quiet_end = serializers.TimeField(label=_("免打扰结束"), required=False, allow_null=True, default=None)


class NotificationFilter(FilterSet):
    unread = django_filters.BooleanFilter(method="filter_unread", label=_("仅未读"))

    class Meta:
        model = Notification
        fields = ["unread", "level", "kind"]

    def filter_unread(
        self, queryset: QuerySet[Notification], name: str, value: bool
    ) -> QuerySet[Notification]:
        return queryset.filter(read_at__isnull=value)


_count = inline_serializer("NotificationCount", {"count": serializers.IntegerField()})


class NotificationViewSet(viewsets.ReadOnlyModelViewSet[Notification]):
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.visible_to(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark one notification read (repeating it is harmless)."""
        notification = self.get_object()
        notifications.mark_read(notification, actor=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=_count)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification read; `count` is how many were unread."""
        return Response({"count": notifications.mark_all_read(actor=request.user)})

    @extend_schema(responses=_count)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"count": notifications.unread_count(request.user)})

    @extend_schema(methods=["GET"], responses=PreferenceSerializer)
    @extend_schema(methods=["PUT"], request=PreferenceSerializer, responses=PreferenceSerializer)
    @action(detail=False, methods=["get", "put"], serializer_class=PreferenceSerializer)
    def preferences(self, request: Request) -> Response:
        """The caller's own channel settings: email on/off and address, quiet hours (Asia/Shanghai)."""
        if request.method == "PUT":
            serializer = PreferenceSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            notifications.update_preferences(request.user, actor=request.user, **serializer.validated_data)
        return Response(PreferenceSerializer(notifications.preferences_for(request.user)).data)
