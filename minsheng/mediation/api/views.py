"""/api/v1/mediation/: the centre's records and one POST per step. Every step goes through mediation.actions:
an illegal step answers 409, a missing right 403, bad input 400 with field messages."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.accounts.api.base import CapabilityViewMixin, HasCapability
from minsheng.accounts.choices import Cap
from minsheng.accounts.models import User
from minsheng.cases.models import Case
from minsheng.core import metrics as registry
from minsheng.core.audit import record
from minsheng.core.calendar import TZ
from minsheng.core.models import AuditLog
from minsheng.core.scoping import get_visible_or_404

from .. import actions, queries
from ..actions.weekly import this_week, week_of
from ..filtersets import DisputeFilterSet, PetitionFilterSet, ReferralFilterSet, VisitFilterSet
from ..models import Dispute, Petition, Referral, Visit, WeeklyReport
from . import serializers as s


def _payload(serializer_class, request):
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


UNMASKED = OpenApiParameter(
    "unmasked", bool, description="显示完整个人信息（须有 org.view_pii，记入审计日志）"
)


class _Base(CapabilityViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    capability = Cap.MEDIATION_VIEW

    def get_object(self):
        obj = get_visible_or_404(
            self.get_queryset(), self.request.user, self.capability, pk=self.kwargs["pk"]
        )
        self.check_object_permissions(self.request, obj)
        return obj

    def _unmasked(self, obj) -> bool:
        if self.request.query_params.get("unmasked") not in ("1", "true"):
            return False
        if not self.request.user.has_cap("org.view_pii", obj.node):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("没有查看个人信息的权限"))
        record(AuditLog.Action.VIEW_PII, obj, note=_("接口查看矛调中心记录的个人信息"))
        return True

    @extend_schema(parameters=[UNMASKED])
    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        context = {**self.get_serializer_context(), "unmasked": self._unmasked(obj)}
        return Response(self.detail_serializer(obj, context=context).data)

    def _detail(self, obj, code=status.HTTP_200_OK):
        obj = type(obj).objects.get(pk=obj.pk)
        return Response(self.detail_serializer(obj, context=self.get_serializer_context()).data, status=code)


class VisitViewSet(_Base):
    """来访登记 at the window; `route` sends a visit to mediation, petition, an appeal or a referral."""

    read_capability = Cap.MEDIATION_VIEW
    write_capability = Cap.MEDIATION_RECEIVE
    serializer_class = s.VisitSerializer
    detail_serializer = s.VisitSerializer
    filterset_class = VisitFilterSet

    def get_queryset(self):
        return Visit.objects.visible_to(self.request.user).select_related("receiver", "case", "node")

    @extend_schema(request=s.VisitCreateSerializer, responses={201: s.VisitSerializer})
    def create(self, request):
        d = _payload(s.VisitCreateSerializer, request)
        visit = actions.do_register_visit(actor=request.user, **d)
        return self._detail(visit, status.HTTP_201_CREATED)

    @extend_schema(request=s.VisitRouteSerializer, responses=s.VisitRouteResultSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        visit = self.get_object()
        d = _payload(s.VisitRouteSerializer, request)
        route = d["route"]
        details = {}
        if route == "dispute":
            respondent = d.get("respondent") or {}
            details = {
                "type": d.get("type") or "",
                "source": d.get("source") or "applied",
                "facts": visit.matter,
                "amount": d.get("amount") or 0,
                "parties": [
                    {
                        "role": "applicant",
                        "resident": visit.resident,
                        "name": visit.name,
                        "phone": visit.phone,
                        "id_number": visit.id_number,
                    },
                    {**respondent, "role": "respondent"},
                ],
            }
        elif route == "petition":
            details = {
                "kind": d.get("petition_kind") or "claim",
                "acknowledge_final": d.get("acknowledge_final"),
            }
        elif route == "referral":
            details = {
                "partner": d.get("partner") or "",
                "partner_name": d.get("partner_name") or "",
                "reason": visit.matter,
                "consent": d.get("consent"),
            }
        result = actions.do_route_visit(
            visit, actor=request.user, route=route, answer=d.get("answer") or "", **details
        )
        visit.refresh_from_db()
        return Response(
            s.VisitRouteResultSerializer(
                {
                    "route": route,
                    "case": visit.case_id,
                    "dispute": result.pk if isinstance(result, Dispute) else None,
                    "petition": result.pk if isinstance(result, Petition) else None,
                    "referral": result.pk if isinstance(result, Referral) else None,
                }
            ).data
        )


class DisputeViewSet(_Base):
    """矛盾纠纷 under 人民调解; each step a POST."""

    read_capability = Cap.MEDIATION_VIEW
    write_capability = Cap.MEDIATION_MEDIATE
    serializer_class = s.DisputeListSerializer
    detail_serializer = s.DisputeDetailSerializer
    filterset_class = DisputeFilterSet

    def get_queryset(self):
        return Dispute.objects.visible_to(self.request.user).select_related("case")

    @extend_schema(request=s.DisputeCreateSerializer, responses={201: s.DisputeDetailSerializer})
    def create(self, request):
        d = _payload(s.DisputeCreateSerializer, request)
        dispute = actions.do_open_dispute(actor=request.user, **d)
        return self._detail(dispute, status.HTTP_201_CREATED)

    def _user(self, pk):
        return get_object_or_404(User, pk=pk, is_active=True)

    @extend_schema(request=s.MediatorRefSerializer, responses=s.DisputeDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        dispute = self.get_object()
        d = _payload(s.MediatorRefSerializer, request)
        actions.do_assign_mediator(dispute, actor=request.user, user=self._user(d["user"]))
        return self._detail(dispute)

    @extend_schema(request=s.ObjectionCreateSerializer, responses=s.DisputeDetailSerializer)
    @action(detail=True, methods=["post"])
    def object(self, request, pk=None):
        dispute = self.get_object()
        d = _payload(s.ObjectionCreateSerializer, request)
        party = get_object_or_404(dispute.parties, pk=d["party"])
        mediator = get_object_or_404(dispute.mediators, pk=d["mediator"])
        actions.do_object(dispute, actor=request.user, party=party, mediator=mediator, reason=d["reason"])
        return self._detail(dispute)

    @extend_schema(request=s.ObjectionDecisionSerializer, responses=s.DisputeDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide_objection(self, request, pk=None):
        dispute = self.get_object()
        d = _payload(s.ObjectionDecisionSerializer, request)
        objection = get_object_or_404(dispute.objections, pk=d["objection"])
        replacement = self._user(d["replacement"]) if d.get("replacement") else None
        actions.do_decide_objection(
            objection, actor=request.user, uphold=d["uphold"], reason=d["reason"], replacement=replacement
        )
        return self._detail(dispute)

    @extend_schema(request=s.MediationSessionCreateSerializer, responses=s.DisputeDetailSerializer)
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        dispute = self.get_object()
        d = _payload(s.MediationSessionCreateSerializer, request)
        actions.do_record_session(dispute, actor=request.user, **d)
        return self._detail(dispute)

    @extend_schema(request=s.WrittenAgreementSerializer, responses=s.DisputeDetailSerializer)
    @action(detail=True, methods=["post"])
    def written_agreement(self, request, pk=None):
        dispute = self.get_object()
        actions.do_agree_written(
            dispute, actor=request.user, **_payload(s.WrittenAgreementSerializer, request)
        )
        return self._detail(dispute)

    @extend_schema(request=s.OralAgreementSerializer, responses=s.DisputeDetailSerializer)
    @action(detail=True, methods=["post"])
    def oral_agreement(self, request, pk=None):
        dispute = self.get_object()
        actions.do_agree_oral(dispute, actor=request.user, **_payload(s.OralAgreementSerializer, request))
        return self._detail(dispute)

    @extend_schema(request=s.MediationFailSerializer, responses=s.DisputeDetailSerializer)
    @action(detail=True, methods=["post"])
    def fail(self, request, pk=None):
        dispute = self.get_object()
        actions.do_fail(dispute, actor=request.user, **_payload(s.MediationFailSerializer, request))
        return self._detail(dispute)

    @extend_schema(request=s.MediationRefuseSerializer, responses=s.DisputeDetailSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        dispute = self.get_object()
        d = _payload(s.MediationRefuseSerializer, request)
        party = get_object_or_404(dispute.parties, pk=d["party"])
        actions.do_refuse(dispute, actor=request.user, party=party, note=d["note"])
        return self._detail(dispute)

    @extend_schema(request=s.JudicialApplicationSerializer, responses=s.DisputeDetailSerializer)
    @action(detail=True, methods=["post"])
    def judicial(self, request, pk=None):
        dispute = self.get_object()
        actions.do_record_judicial(
            dispute, actor=request.user, **_payload(s.JudicialApplicationSerializer, request)
        )
        return self._detail(dispute)

    @extend_schema(request=s.PerformanceVisitSerializer, responses=s.DisputeDetailSerializer)
    @action(detail=True, methods=["post"])
    def performance(self, request, pk=None):
        dispute = self.get_object()
        actions.do_follow_up_performance(
            dispute, actor=request.user, **_payload(s.PerformanceVisitSerializer, request)
        )
        return self._detail(dispute)


class PetitionViewSet(_Base):
    """信访: readable only with petition.view."""

    capability = Cap.PETITION_VIEW
    read_capability = Cap.PETITION_VIEW
    write_capability = Cap.PETITION_HANDLE
    serializer_class = s.PetitionSerializer
    detail_serializer = s.PetitionSerializer
    filterset_class = PetitionFilterSet

    def get_queryset(self):
        return Petition.objects.visible_to(self.request.user).select_related("case")

    @extend_schema(request=s.PetitionCreateSerializer, responses={201: s.PetitionSerializer})
    def create(self, request):
        petition = actions.do_register_petition(
            actor=request.user, **_payload(s.PetitionCreateSerializer, request)
        )
        return self._detail(petition, status.HTTP_201_CREATED)

    @extend_schema(request=s.PetitionAcceptSerializer, responses=s.PetitionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        petition = self.get_object()
        actions.do_accept_petition(
            petition, actor=request.user, **_payload(s.PetitionAcceptSerializer, request)
        )
        return self._detail(petition)

    @extend_schema(request=s.MediationReasonSerializer, responses=s.PetitionSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        petition = self.get_object()
        actions.do_extend_petition(
            petition, actor=request.user, **_payload(s.MediationReasonSerializer, request)
        )
        return self._detail(petition)

    @extend_schema(request=s.PetitionReplySerializer, responses=s.PetitionSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        petition = self.get_object()
        actions.do_reply_petition(
            petition, actor=request.user, **_payload(s.PetitionReplySerializer, request)
        )
        return self._detail(petition)

    @extend_schema(request=s.MediationReasonSerializer, responses={201: s.PetitionSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """复查 (after a reply) or 复核 (after a 复查): a new linked stage, within the window."""
        petition = self.get_object()
        nxt = actions.do_request_review(
            petition, actor=request.user, **_payload(s.MediationReasonSerializer, request)
        )
        return self._detail(nxt, status.HTTP_201_CREATED)


class ReferralViewSet(_Base):
    read_capability = Cap.MEDIATION_VIEW
    write_capability = Cap.MEDIATION_MEDIATE
    serializer_class = s.ReferralSerializer
    detail_serializer = s.ReferralSerializer
    filterset_class = ReferralFilterSet

    def get_queryset(self):
        return Referral.objects.visible_to(self.request.user).select_related("case")

    @extend_schema(request=s.ReferralCreateSerializer, responses={201: s.ReferralSerializer})
    def create(self, request):
        d = _payload(s.ReferralCreateSerializer, request)
        case = get_visible_or_404(Case.objects.all(), request.user, "cases.view", pk=d.pop("case"))
        return self._detail(actions.do_refer(case, actor=request.user, **d), status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._detail(actions.do_accept_referral(self.get_object(), actor=request.user))

    @extend_schema(request=s.MediationReasonSerializer, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        referral = self.get_object()
        return self._detail(
            actions.do_reject_referral(
                referral, actor=request.user, **_payload(s.MediationReasonSerializer, request)
            )
        )

    @extend_schema(request=s.MediationReasonSerializer, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        referral = self.get_object()
        return self._detail(
            actions.do_revoke_referral(
                referral, actor=request.user, **_payload(s.MediationReasonSerializer, request)
            )
        )

    @extend_schema(request=s.ReferralDoneSerializer, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        referral = self.get_object()
        return self._detail(
            actions.do_complete_referral(
                referral, actor=request.user, **_payload(s.ReferralDoneSerializer, request)
            )
        )


class WeeklyReportViewSet(_Base):
    read_capability = Cap.MEDIATION_VIEW
    write_capability = Cap.MEDIATION_REPORT
    serializer_class = s.WeeklyReportSerializer
    detail_serializer = s.WeeklyReportSerializer

    def get_queryset(self):
        return (
            WeeklyReport.objects.visible_to(self.request.user)
            .select_related("node")
            .prefetch_related("items")
        )

    @extend_schema(request=s.WeeklyCreateSerializer, responses={201: s.WeeklyReportSerializer})
    def create(self, request):
        d = _payload(s.WeeklyCreateSerializer, request)
        report = actions.do_submit_weekly(actor=request.user, **d)
        return self._detail(report, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("week", str, description="YYYY-MM-DD（任一天）")],
        responses=s.WeeklyMissingSerializer,
    )
    @action(detail=False, methods=["get"])
    def missing(self, request):
        """Communities and villages that have not reported for the week."""
        try:
            week = week_of(dt.date.fromisoformat(request.query_params.get("week", "")))
        except ValueError:
            week = this_week()
        data = queries.weekly_analysis(request.user, week, weeks_back=1)
        missing = [{"id": n.pk, "name": n.name} for n in data["missing"]]
        return Response(s.WeeklyMissingSerializer({"week": week, "missing": missing}).data)


class FiguresView(APIView):
    """The centre's registered figures over a period (default: the last twelve months)."""

    permission_classes = [HasCapability]
    read_capability = write_capability = Cap.MEDIATION_VIEW

    @extend_schema(
        parameters=[OpenApiParameter("start", str), OpenApiParameter("end", str)],
        responses=s.MediationMetricSerializer(many=True),
    )
    def get(self, request):
        today = timezone.localtime(timezone.now(), TZ).date()
        try:
            default_start = (today - dt.timedelta(days=364)).isoformat()
            start = dt.date.fromisoformat(request.query_params.get("start") or default_start)
            end = dt.date.fromisoformat(request.query_params.get("end") or today.isoformat())
        except ValueError:
            return Response({"detail": _("日期格式应为 YYYY-MM-DD")}, status=status.HTTP_400_BAD_REQUEST)
        if start > end:
            return Response({"detail": _("开始日期不能晚于结束日期")}, status=status.HTTP_400_BAD_REQUEST)
        scope = registry.Scope(viewer=request.user, start=start, end=end)
        petitions_ok = request.user.has_cap(Cap.PETITION_VIEW)
        rows = []
        for m in registry.all_metrics("mediation"):
            if m.code in ("mediation.first_petitions", "mediation.served_rate") and not petitions_ok:
                continue
            rows.append(
                {
                    "code": m.code,
                    "name": str(m.name),
                    "definition": str(m.definition),
                    "unit": m.unit,
                    "value": registry.as_number(m.compute(scope)),
                }
            )
        return Response(s.MediationMetricSerializer(rows, many=True).data)
