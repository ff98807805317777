"""Cases under /api/v1/cases/: intake, lists with the workbench's filters, detail, events, and one POST endpoint per
transition. Every change goes through cases.actions: an illegal transition answers 409, a missing right 403, bad
input 400 with field messages."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404  # an id that is no number is a 404, not a 500
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from minsheng.accounts.api.base import CapabilityViewMixin
from minsheng.accounts.choices import Cap
from minsheng.accounts.models import User
from minsheng.core import clock, parsing
from minsheng.core.audit import record
from minsheng.core.models import AuditLog
from minsheng.core.scoping import get_visible_or_404

from .. import actions, duplicates
from ..choices import RequestKind, Status
from ..filtersets import CaseFilter
from ..models import ApprovalRequest, Case, CaseKind, Category, Unit
from . import serializers as s


def _payload(serializer_class, request):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


#: 派遣 without `expected_status` is a first dispatch: a 改派 says so, so that a repeated request cannot be one.
FIRST_DISPATCH = (Status.ACCEPTED, Status.RETURNED)


class CaseViewSet(
    CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    read_capability = Cap.CASES_VIEW
    write_capability = Cap.CASES_VIEW  # each action checks its own right at the case's node
    filterset_class = CaseFilter
    ordering_fields = ["reported_at", "finish_due", "number"]
    ordering = ["-reported_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user).select_related(
            "category", "kind", "node", "lead_unit"
        )

    def get_serializer_class(self):
        if self.action == "list":
            return s.CaseListSerializer
        if self.action == "create":
            return s.CaseCreateSerializer
        return s.CaseDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": clock.now()}

    def get_object(self):
        case = get_visible_or_404(
            self.get_queryset(), self.request.user, Cap.CASES_VIEW, pk=self.kwargs["pk"]
        )
        self.check_object_permissions(self.request, case)
        return case

    @extend_schema(parameters=[OpenApiParameter("unmasked", bool, description="显示反映人完整电话（审计）")])
    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        unmasked = request.query_params.get("unmasked") in ("1", "true")
        if unmasked:
            if not request.user.has_cap(Cap.ORG_VIEW_PII, case.node):
                return Response({"detail": _("没有查看个人信息的权限")}, status=status.HTTP_403_FORBIDDEN)
            record(AuditLog.Action.VIEW_PII, case, note=_("接口查看反映人联系方式"))
        context = {**self.get_serializer_context(), "unmasked": unmasked}
        return Response(s.CaseDetailSerializer(case, context=context).data)

    @extend_schema(request=s.CaseCreateSerializer, responses={201: s.CaseListSerializer})
    def create(self, request, *args, **kwargs):
        data = _payload(s.CaseCreateSerializer, request)
        kind = data.get("kind") or CaseKind.by_code("appeal")
        case = actions.do_register(
            actor=request.user,
            kind=kind,
            channel=data["channel"],
            category=data["category"],
            title=data.get("title", ""),
            description=data["description"],
            urgency=data["urgency"],
            node=data.get("node"),
            lat=data.get("lat"),
            lng=data.get("lng"),
            address=data.get("address", ""),
            reporter_name=data.get("reporter_name", ""),
            reporter_phone=data.get("reporter_phone", ""),
            anonymous=data["anonymous"],
            files=data.get("files", []),
        )
        # The short form: a phone that just submitted needs the number and the state, not the whole file.
        return Response(
            s.CaseListSerializer(case, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses=s.FollowUpRecordSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def followups(self, request, pk=None):
        """回访 records: each attempt, reachable or not, with the verdict."""
        return Response(s.FollowUpRecordSerializer(self.get_object().followups.all(), many=True).data)

    @extend_schema(responses=s.EventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        case = self.get_object()
        events = case.events.prefetch_related("attachments")
        return Response(s.EventSerializer(events, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("description", str),
            OpenApiParameter("node", int),
            OpenApiParameter("category", int),
        ],
        responses=s.CaseListSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def duplicates(self, request):
        """Likely duplicates of a text about to be registered (same grid/小区, recent, similar words)."""
        from minsheng.org.models import Node

        node = get_visible_or_404(
            Node, request.user, Cap.CASES_VIEW, pk=request.query_params.get("node") or 0
        )
        category = Category.objects.filter(pk=request.query_params.get("category") or 0).first()
        matches = duplicates.suggest(
            description=request.query_params.get("description", ""), node=node, category=category
        )
        visible = set(
            Case.objects.visible_to(request.user)
            .filter(pk__in=[m.case.pk for m in matches])
            .values_list("pk", flat=True)
        )
        cases = [m.case for m in matches if m.case.pk in visible]
        return Response(s.CaseListSerializer(cases, many=True, context=self.get_serializer_context()).data)

    # -- transitions --------------------------------------------------------------------------------

    def _done(self, case):
        case.refresh_from_db()
        return Response(s.CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=s.NoteSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._done(
            actions.do_accept(
                self.get_object(), actor=request.user, note=_payload(s.NoteSerializer, request)["note"]
            )
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._done(
            actions.do_reject(self.get_object(), actor=request.user, **_payload(s.ReasonSerializer, request))
        )

    @extend_schema(request=s.MergeSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        data = _payload(s.MergeSerializer, request)
        ref = data["into"]
        lookup = Q(number=ref) | (Q(pk=int(ref)) if parsing.is_id(ref) else Q())
        into = Case.objects.visible_to(request.user).filter(lookup).first()
        if into is None:
            raise ValidationError({"into": _("找不到要并入的案件")})
        return self._done(
            actions.do_merge(self.get_object(), into=into, actor=request.user, note=data["note"])
        )

    @extend_schema(request=s.DispatchSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_case(self, request, pk=None):
        data = _payload(s.DispatchSerializer, request)
        handler = None
        if data.get("handler"):
            handler = User.objects.filter(pk=data["handler"], is_active=True).first()
            if handler is None:
                raise ValidationError({"handler": _("找不到承办人")})
        case = actions.do_dispatch(
            self.get_object(),
            actor=request.user,
            unit=data.get("unit"),
            handler=handler,
            co_units=data.get("co_units", []),
            note=data["note"],
            expected=[data["expected_status"]] if data.get("expected_status") else FIRST_DISPATCH,
        )
        return self._done(case)

    @extend_schema(request=None, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._done(actions.do_sign(self.get_object(), actor=request.user))

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._done(
            actions.do_return(self.get_object(), actor=request.user, **_payload(s.ReasonSerializer, request))
        )

    @extend_schema(request=s.RequestSerializer, responses=s.ApprovalRequestSerializer)
    @action(detail=True, methods=["post"], url_path="request")
    def request_approval(self, request, pk=None):
        data = _payload(s.RequestSerializer, request)
        req = actions.do_request(
            self.get_object(),
            actor=request.user,
            kind=data["kind"],
            reason=data["reason"],
            days=data.get("days") if data["kind"] == RequestKind.EXTENSION else None,
        )
        return Response(s.ApprovalRequestSerializer(req).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.NoteSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._done(
            actions.do_resume(
                self.get_object(), actor=request.user, note=_payload(s.NoteSerializer, request)["note"]
            )
        )

    @extend_schema(request=s.ReplySerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        data = _payload(s.ReplySerializer, request)
        return self._done(
            actions.do_reply(
                self.get_object(), actor=request.user, note=data["note"], files=data.get("files", [])
            )
        )

    @extend_schema(request=s.VerifySerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        data = _payload(s.VerifySerializer, request)
        case = actions.do_verify(
            self.get_object(),
            actor=request.user,
            passed=data["passed"],
            note=data["note"],
            files=data.get("files", []),
        )
        return self._done(case)

    @extend_schema(request=s.FollowUpSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        return self._done(
            actions.do_follow_up(
                self.get_object(), actor=request.user, **_payload(s.FollowUpSerializer, request)
            )
        )

    @extend_schema(request=s.NoteSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return self._done(
            actions.do_archive(
                self.get_object(), actor=request.user, note=_payload(s.NoteSerializer, request)["note"]
            )
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._done(
            actions.do_reopen(self.get_object(), actor=request.user, **_payload(s.ReasonSerializer, request))
        )

    @extend_schema(request=s.SuperviseSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        case = self.get_object()
        actions.do_supervise(case, actor=request.user, **_payload(s.SuperviseSerializer, request))
        return self._done(case)

    @extend_schema(request=s.NoteSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def remind(self, request, pk=None):
        case = self.get_object()
        actions.do_remind(case, actor=request.user, note=_payload(s.NoteSerializer, request)["note"])
        return self._done(case)

    @extend_schema(request=s.KeySerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="set-key")
    def set_key(self, request, pk=None):
        data = _payload(s.KeySerializer, request)
        leader = User.objects.filter(pk=data["leader"], is_active=True).first()
        if leader is None:
            raise ValidationError({"leader": _("找不到包案领导")})
        return self._done(
            actions.do_set_key(self.get_object(), actor=request.user, leader=leader, plan=data["plan"])
        )

    @extend_schema(request=s.RecategorizeSerializer, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def recategorize(self, request, pk=None):
        data = _payload(s.RecategorizeSerializer, request)
        return self._done(
            actions.do_recategorize(
                self.get_object(), actor=request.user, category=data["category"], note=data["note"]
            )
        )


class ApprovalRequestViewSet(CapabilityViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    read_capability = Cap.CASES_VIEW
    write_capability = Cap.CASES_VIEW
    serializer_class = s.ApprovalRequestSerializer

    def get_queryset(self):
        visible = Case.objects.visible_to(self.request.user).values("pk")
        return ApprovalRequest.objects.filter(case__in=visible).order_by("-pk")

    @extend_schema(request=s.DecideSerializer, responses=s.ApprovalRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        req = get_object_or_404(self.get_queryset(), pk=pk)
        data = _payload(s.DecideSerializer, request)
        req = actions.do_decide(req, actor=request.user, approve=data["approve"], note=data["note"])
        return Response(s.ApprovalRequestSerializer(req).data)


class CategoryViewSet(CapabilityViewMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = Cap.CASES_VIEW
    serializer_class = s.CategorySerializer
    queryset = Category.objects.filter(is_active=True).order_by("path")
    pagination_class = None


class KindViewSet(CapabilityViewMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = Cap.CASES_VIEW
    serializer_class = s.KindSerializer
    queryset = CaseKind.objects.filter(is_active=True)
    pagination_class = None


class UnitViewSet(CapabilityViewMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = Cap.CASES_VIEW
    serializer_class = s.UnitSerializer
    queryset = Unit.objects.filter(is_active=True)
