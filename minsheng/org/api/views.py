"""The organisation registries under /api/v1/org/.

Reading needs org.view somewhere and returns only rows `visible_to` the user; a row outside the scope answers 404
exactly like a missing one. Writing needs org.change at the node concerned: the serializers hand every change to
org.actions, which check it (403), validate (400 with field messages) and write the audit trail. Deleting is not
offered in v1 — registry rows are ended or corrected, not erased — so DELETE answers 405.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.accounts.api.base import CapabilityViewMixin
from minsheng.accounts.choices import Cap
from minsheng.core.audit import record
from minsheng.core.models import AuditLog
from minsheng.core.scoping import get_visible_or_404

from .. import actions
from .. import filtersets as f
from ..models import (
    Assignment,
    EstateProperty,
    Grid,
    Household,
    Node,
    PartyMember,
    PartyOrg,
    PropertyCompany,
    Resident,
    ResidentTag,
)
from . import serializers as s

UNMASKED = OpenApiParameter(
    "unmasked",
    bool,
    description="1 = 显示完整个人信息（需在该节点有 org.view_pii 权限，每次查看记入审计日志）",
)


def with_parent_pk(queryset):
    """Annotate each tree row with its parent's id: a correlated lookup on the indexed path, not a query per row."""
    model = queryset.model
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - model.steplen)
    return queryset.annotate(
        parent_pk=Subquery(model.objects.filter(path=parent_path).values("pk")[:1]),
    )


class OrgViewSet(CapabilityViewMixin, viewsets.GenericViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]


class ReadCreateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, OrgViewSet
):
    """Registries whose actions create rows but offer no general edit yet."""


class ReadWriteViewSet(mixins.UpdateModelMixin, ReadCreateViewSet):
    pass


class UnmaskMixin:
    """`?unmasked=1` on a detail shows personal data in clear to users with org.view_pii at the row's node.

    Every such read is written to the audit log (PIPL); without the capability the answer is 403, not a quietly
    masked copy, so a client knows the difference.
    """

    def pii_node(self, obj) -> Node:
        return obj.node

    @extend_schema(parameters=[UNMASKED])
    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        context = self.get_serializer_context()
        if request.query_params.get("unmasked") in ("1", "true"):
            if not request.user.has_cap(Cap.ORG_VIEW_PII, self.pii_node(obj)):
                raise PermissionDenied(_("没有查看完整个人信息的权限"))
            record(AuditLog.Action.VIEW_PII, obj, note=_("通过接口查看完整个人信息"), user=request.user)
            context["unmasked"] = True
        return Response(self.get_serializer_class()(obj, context=context).data)


# -- administrative tree ---------------------------------------------------------------------------


class NodeViewSet(ReadWriteViewSet):
    """组织节点：街道 → 社区/村 → 小区/自然村 → 楼栋 → 单元。`search` 匹配名称、区划代码和拼音（如 cgjd）。"""

    serializer_class = s.NodeSerializer
    filterset_class = f.NodeFilterSet
    ordering_fields = ["path", "name", "code"]

    def get_queryset(self):
        return with_parent_pk(Node.objects.visible_to(self.request.user))

    @extend_schema(responses=s.NodeSerializer(many=True), summary="直接下级节点")
    @action(detail=True)
    def children(self, request, pk=None):
        node = get_visible_or_404(Node, request.user, pk=pk)
        children = self.get_queryset().filter(path__startswith=node.path, depth=node.depth + 1)
        page = self.paginate_queryset(self.filter_queryset(children))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=s.NodeSerializer(many=True), summary="上级节点（由上到下，仅本人可见范围）")
    @action(detail=True, pagination_class=None, filter_backends=[])
    def ancestors(self, request, pk=None):
        node = self.get_object()
        paths = [node.path[: i * Node.steplen] for i in range(1, node.depth)]
        return Response(self.get_serializer(self.get_queryset().filter(path__in=paths), many=True).data)


# -- grids -----------------------------------------------------------------------------------------


class GridViewSet(ReadWriteViewSet):
    """网格。`responsible` 为网格员，无人负责时为所属社区/村（属地兜底）。"""

    serializer_class = s.GridSerializer
    filterset_class = f.GridFilterSet
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return (
            Grid.objects.visible_to(self.request.user)
            .select_related("community", "worker")
            .prefetch_related("deputies", "nodes")
        )

    @extend_schema(
        parameters=[s.LocateQuerySerializer],
        responses=s.GridSerializer(many=True),
        summary="按经纬度查找所在网格",
    )
    @action(detail=False, pagination_class=None, filter_backends=[])
    def locate(self, request):
        query = s.LocateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        grids = self.get_queryset().containing(query.validated_data["lat"], query.validated_data["lng"])
        return Response(self.get_serializer(grids, many=True).data)


# -- party organisations ---------------------------------------------------------------------------


class PartyOrgViewSet(ReadCreateViewSet):
    """党组织：街道党工委 → 社区党委 → 小区党支部。"""

    serializer_class = s.PartyOrgSerializer
    filterset_class = f.PartyOrgFilterSet
    ordering_fields = ["path", "name"]

    def get_queryset(self):
        return with_parent_pk(PartyOrg.objects.visible_to(self.request.user).select_related("node"))


class PartyMemberViewSet(UnmaskMixin, ReadCreateViewSet):
    """党员及其职务；手机号脱敏。`households` 设置党员联户。"""

    serializer_class = s.PartyMemberSerializer
    filterset_class = f.PartyMemberFilterSet
    ordering_fields = ["name", "pk"]

    def get_queryset(self):
        return (
            PartyMember.objects.visible_to(self.request.user)
            .select_related("party_org")
            .prefetch_related("households")
        )

    def pii_node(self, obj):
        return obj.party_org.node

    @extend_schema(request=s.HouseholdLinkSerializer, responses=s.PartyMemberSerializer, summary="设置联系户")
    @action(detail=True, methods=["post"])
    def households(self, request, pk=None):
        member = self.get_object()
        body = s.HouseholdLinkSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        actions.link_member_households(member, body.validated_data["households"], actor=request.user)
        return Response(self.get_serializer(self.get_object()).data)


# -- responsibility --------------------------------------------------------------------------------


class AssignmentViewSet(ReadCreateViewSet):
    """包联责任（谁对哪个节点负责、何时起止）。结束用 `end`，不删除。"""

    serializer_class = s.AssignmentSerializer
    filterset_class = f.AssignmentFilterSet
    ordering_fields = ["valid_from", "valid_to", "pk"]

    def get_queryset(self):
        return Assignment.objects.visible_to(self.request.user).select_related("node", "user", "party_member")

    @extend_schema(request=s.EndSerializer, responses=s.AssignmentSerializer, summary="结束包联责任")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = self.get_object()
        body = s.EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ended = actions.end_assignment(assignment, on=body.validated_data["on"], actor=request.user)
        return Response(self.get_serializer(ended).data)

    @extend_schema(
        parameters=[s.ResponsibleQuerySerializer],
        responses=s.AssignmentSerializer(many=True),
        summary="节点的当前负责人（本节点没有则取最近的上级）",
    )
    @action(detail=False, pagination_class=None, filter_backends=[])
    def responsible(self, request):
        query = s.ResponsibleQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        rows = actions.responsible_for(query.validated_data["node"], query.validated_data.get("kind"))
        # The nearest answer may sit above the user's scope; they see only rows they could list anyway.
        visible = set(self.get_queryset().filter(pk__in=[a.pk for a in rows]).values_list("pk", flat=True))
        return Response(self.get_serializer([a for a in rows if a.pk in visible], many=True).data)


# -- property --------------------------------------------------------------------------------------


class PropertyCompanyViewSet(ReadCreateViewSet):
    """物业企业（含街道领办的兜底企业）。"""

    serializer_class = s.PropertyCompanySerializer
    filterset_fields = ["is_street_led"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return PropertyCompany.objects.visible_to(self.request.user)


class EstatePropertyViewSet(UnmaskMixin, ReadWriteViewSet):
    """小区物业状态。街道兜底须由街道领办企业承接；无物业/自管不填企业。业委会电话脱敏。"""

    serializer_class = s.EstatePropertySerializer
    filterset_class = f.EstatePropertyFilterSet
    ordering_fields = ["pk"]

    def get_queryset(self):
        return EstateProperty.objects.visible_to(self.request.user).select_related("node", "company")


# -- households and residents ---------------------------------------------------------------------


class HouseholdViewSet(UnmaskMixin, ReadCreateViewSet):
    """户。房号与详细地址脱敏。"""

    serializer_class = s.HouseholdSerializer
    filterset_class = f.HouseholdFilterSet
    ordering_fields = ["pk", "head_name"]

    def get_queryset(self):
        return (
            Household.objects.visible_to(self.request.user)
            .select_related("node")
            .annotate(member_count=Count("members"))
            .order_by("pk")  # the aggregate's GROUP BY drops the model's default ordering
        )


@extend_schema_view(
    create=extend_schema(description="登记居民。身份证号按 GB 11643 校验；出生日期和性别缺省取自身份证号。"),
    partial_update=extend_schema(description="修改居民信息（v1 不提供删除）。"),
)
class ResidentViewSet(UnmaskMixin, ReadWriteViewSet):
    """居民。手机号、身份证号和地址在列表与详情中脱敏；v1 不提供删除。"""

    serializer_class = s.ResidentSerializer
    filterset_class = f.ResidentFilterSet
    ordering_fields = ["pk", "name", "birth_date"]

    def get_queryset(self):
        return (
            Resident.objects.visible_to(self.request.user)
            .select_related("node", "household")
            .prefetch_related("tags")
        )


class ResidentTagViewSet(CapabilityViewMixin, viewsets.ReadOnlyModelViewSet):
    """人员标签（老年人、低保、党员、独居……）：全街道通用的字典，只读。"""

    serializer_class = s.ResidentTagSerializer
    queryset = ResidentTag.objects.all()
    ordering_fields = ["pk", "code"]
