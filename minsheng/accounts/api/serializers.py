"""Accounts in the API: the caller's own profile, tokens, and — for managers — users and memberships.

Writes go through accounts.actions (which check accounts.manage at the node); a manager only sees and references
people who hold a role inside their scope, or who hold no role yet and are waiting for one.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from minsheng.accounts.choices import Cap
from minsheng.core.masking import mask_phone

from .. import actions
from ..models import Membership, User
from ..roles import CAPABILITIES
from .base import ScopedRelatedField


def managed_users(manager):
    """Users with a membership inside the manager's accounts.manage scope, plus users with no membership at all."""
    if not (manager.is_authenticated and manager.has_cap(Cap.ACCOUNTS_MANAGE)):
        return User.objects.none()
    in_scope = Membership.objects.visible_to(manager, Cap.ACCOUNTS_MANAGE).values("user_id")
    return User.objects.filter(Q(pk__in=in_scope) | ~Exists(Membership.objects.filter(user=OuterRef("pk"))))


class ManagedUserField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return managed_users(self.context["request"].user)


class MembershipSerializer(serializers.ModelSerializer):
    user = ManagedUserField()
    user_name = serializers.StringRelatedField(source="user")
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    node = ScopedRelatedField(
        capability=Cap.ACCOUNTS_MANAGE,
        queryset=Membership._meta.get_field("node").related_model.objects.all(),
    )
    node_name = serializers.CharField(source="node.full_name", read_only=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "user_name",
            "role",
            "role_label",
            "node",
            "node_name",
            "valid_from",
            "valid_to",
            "is_current",
        ]

    def get_validators(self):
        return []  # granting an existing role again is harmless: the action returns the existing membership

    def get_is_current(self, membership) -> bool:
        today = timezone.localdate()
        started = membership.valid_from is None or membership.valid_from <= today
        return started and (membership.valid_to is None or membership.valid_to >= today)

    def validate(self, attrs):
        if attrs.get("valid_from") and attrs.get("valid_to") and attrs["valid_to"] < attrs["valid_from"]:
            raise serializers.ValidationError({"valid_to": _("截止日期不能早于起始日期")})
        return attrs

    def create(self, validated_data):
        return actions.grant_membership(actor=self.context["request"].user, **validated_data)


class EndMembershipSerializer(serializers.Serializer):
    on = serializers.DateField(help_text=_("截止日期（含当天）"))


class UserSerializer(serializers.ModelSerializer):
    """A staff or resident account. The phone is masked: managers set it, they do not need to read it back."""

    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}, help_text=_("留空则账号暂不能登录")
    )

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "phone", "title", "is_active", "date_joined", "password"]
        read_only_fields = ["is_active", "date_joined"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["phone"] = mask_phone(data.get("phone"))
        return data

    def create(self, validated_data):
        try:
            return actions.create_user(actor=self.context["request"].user, **validated_data)
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            # Password validators speak in a list; the client needs to know which field they were about.
            raise serializers.ValidationError({"password": exc.messages}) from exc


class OwnMembershipSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    node_name = serializers.CharField(source="node.full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "role", "role_label", "node", "node_name", "valid_from", "valid_to"]


class MeSerializer(serializers.ModelSerializer):
    """The caller: who they are, their current roles at which nodes, and what those let them do."""

    roles = serializers.SerializerMethodField()
    memberships = OwnMembershipSerializer(source="active_memberships", many=True, read_only=True)
    capabilities = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "phone",
            "title",
            "is_superuser",
            "roles",
            "memberships",
            "capabilities",
        ]

    def get_roles(self, user) -> list[str]:
        return [str(label) for label in user.role_labels()]

    def get_capabilities(self, user) -> list[str]:
        if user.is_superuser:
            return sorted(set().union(*CAPABILITIES.values()))
        return sorted(user.capabilities())


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(help_text=_("手机号或用户名"))
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("请求头写 Authorization: Token <token>"))
    user = TokenUserSerializer()
