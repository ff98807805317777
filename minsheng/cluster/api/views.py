"""/api/v1/cluster/: growers, orchards, harvests and sales, techniques, trainings, live-stream sessions, agreements
and the figures.

Reads go through `visible_to`; changes go through the actions, so a refused input answers 400 with field messages
(a sale larger than its harvest, a session for someone never trained), a row outside the caller's scope 404 and a
missing capability 403.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.accounts.api.base import CapabilityViewMixin
from minsheng.core import clock
from minsheng.core import metrics as registry

from .. import actions, queries
from ..metrics import METRICS
from ..models import (
    Agreement,
    Centre,
    Grower,
    Harvest,
    Orchard,
    Organisation,
    Sale,
    StreamSession,
    Technique,
    Training,
)
from . import serializers as s

VIEW = "cluster.view"
RECORD = "cluster.record"


class _Base(CapabilityViewMixin):
    read_capability = VIEW
    write_capability = RECORD


class GrowerViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """种植户. Phones are masked unless the caller may see personal data."""

    serializer_class = s.CherryGrowerSerializer
    filterset_fields = ["village"]

    def get_queryset(self):
        return Grower.objects.visible_to(self.request.user, VIEW).select_related("village").order_by("pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["unmasked"] = self.request.user.has_cap("org.view_pii")
        return context


class OrchardViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CherryOrchardSerializer
    filterset_fields = ["village", "variety", "kind", "grower"]

    def get_queryset(self):
        return (
            Orchard.objects.visible_to(self.request.user, VIEW)
            .select_related("village", "grower")
            .order_by("pk")
        )


class HarvestViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    filterset_fields = ["orchard", "season", "grade"]

    def get_queryset(self):
        return Harvest.objects.visible_to(self.request.user, VIEW).order_by("-pk")

    def get_serializer_class(self):
        return s.CherryHarvestInputSerializer if self.action == "create" else s.CherryHarvestSerializer

    @extend_schema(request=s.CherryHarvestInputSerializer, responses={201: s.CherryHarvestSerializer})
    def create(self, request: Request) -> Response:
        data = s.CherryHarvestInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        harvest = actions.do_record_harvest(
            d["orchard"],
            actor=request.user,
            harvested_on=d["harvested_on"],
            yield_kg=d["yield_kg"],
            grade=d["grade"],
        )
        return Response(s.CherryHarvestSerializer(harvest).data, status=status.HTTP_201_CREATED)


class SaleViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    filterset_fields = ["harvest", "channel", "platform"]

    def get_queryset(self):
        return Sale.objects.visible_to(self.request.user, VIEW).order_by("-pk")

    def get_serializer_class(self):
        return s.CherrySaleInputSerializer if self.action == "create" else s.CherrySaleSerializer

    @extend_schema(request=s.CherrySaleInputSerializer, responses={201: s.CherrySaleSerializer})
    def create(self, request: Request) -> Response:
        data = s.CherrySaleInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        sale = actions.do_record_sale(
            d["harvest"],
            actor=request.user,
            channel=d["channel"],
            platform=d["platform"],
            volume_kg=d["volume_kg"],
            price=d["price"],
            sold_on=d["sold_on"],
            buyer=d["buyer"],
            seller=d["seller"],
        )
        return Response(s.CherrySaleSerializer(sale).data, status=status.HTTP_201_CREATED)


class TechniqueViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CherryTechniqueSerializer

    def get_queryset(self):
        return Technique.objects.visible_to(self.request.user, VIEW).order_by("pk")


class TrainingViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Trainings; registration and check-in are the activities engine's (/api/v1/activities/)."""

    serializer_class = s.CherryTrainingSerializer
    filterset_fields = ["kind", "village"]

    def get_queryset(self):
        return (
            Training.objects.visible_to(self.request.user, VIEW)
            .select_related("event")
            .annotate(
                checkins=Count("event__checkins", distinct=True),
                registered=Count("event__registrations", distinct=True),
            )
            .order_by("-pk")
        )


class SessionViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    filterset_fields = ["seller", "platform"]

    def get_queryset(self):
        return (
            StreamSession.objects.visible_to(self.request.user, VIEW).select_related("seller").order_by("-pk")
        )

    def get_serializer_class(self):
        return s.CherrySessionInputSerializer if self.action == "create" else s.CherrySessionSerializer

    @extend_schema(request=s.CherrySessionInputSerializer, responses={201: s.CherrySessionSerializer})
    def create(self, request: Request) -> Response:
        data = s.CherrySessionInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        session = actions.do_record_session(
            d["seller"],
            actor=request.user,
            platform=d["platform"],
            held_on=d["held_on"],
            products=d["products"],
            orders=d["orders"],
            sales_yuan=d["sales_yuan"],
        )
        return Response(s.CherrySessionSerializer(session).data, status=status.HTTP_201_CREATED)


class AgreementViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """带动 agreements of the 龙头企业: POST records one, PATCH corrects one (400 for a non-leading enterprise, a
    negative volume, a purchase without volume, both or neither partner)."""

    filterset_fields = ["kind", "village", "organisation", "grower"]

    def get_queryset(self):
        return Agreement.objects.visible_to(self.request.user, VIEW).order_by("-pk")

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return s.CherryAgreementInputSerializer
        return s.CherryAgreementSerializer

    def _fields(self, d: dict[str, Any]) -> dict[str, Any]:
        return {
            "enterprise": queries.enterprise(d["enterprise"]),
            "kind": d["kind"],
            "subject": d["subject"],
            "signed_on": d["signed_on"],
            "organisation": d["organisation"],
            "grower": d["grower"],
            "volume_kg": d["volume_kg"],
            "amount_yuan": d["amount_yuan"],
        }

    @extend_schema(request=s.CherryAgreementInputSerializer, responses={201: s.CherryAgreementSerializer})
    def create(self, request: Request) -> Response:
        data = s.CherryAgreementInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        agreement = actions.do_record_agreement(actor=request.user, **self._fields(data.validated_data))
        return Response(s.CherryAgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.CherryAgreementInputSerializer(partial=True), responses=s.CherryAgreementSerializer
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        agreement = self.get_object()
        data = s.CherryAgreementInputSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        merged = {
            "enterprise": agreement.enterprise_id,
            "kind": agreement.kind,
            "subject": agreement.subject,
            "signed_on": agreement.signed_on,
            "organisation": agreement.organisation,
            "grower": agreement.grower,
            "volume_kg": agreement.volume_kg,
            "amount_yuan": agreement.amount_yuan,
        }
        if "organisation" in d or "grower" in d:  # naming one partner replaces the other
            merged["organisation"] = merged["grower"] = None
        merged.update(d)
        agreement = actions.do_update_agreement(agreement, actor=request.user, **self._fields(merged))
        return Response(s.CherryAgreementSerializer(agreement).data)


class LeadingEnterpriseViewSet(_Base, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The 龙头企业 of the enterprise registry an agreement may name (id and name only)."""

    serializer_class = s.CherryLeadingEnterpriseSerializer

    def get_queryset(self):
        return queries.leading_enterprises()


class OrganisationViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """合作社 and 家庭农场 with their members. POST creates one (with members), PATCH corrects it, POST
    `members/` adds growers (400 for one already a member), DELETE `members/<grower>/` removes one."""

    filterset_fields = ["kind", "village"]

    def get_queryset(self):
        return (
            Organisation.objects.visible_to(self.request.user, VIEW)
            .select_related("village")
            .prefetch_related(Prefetch("members", queryset=Grower.objects.only("pk")))
            .order_by("pk")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return s.CherryOrganisationInputSerializer
        if self.action == "partial_update":
            return s.CherryOrganisationPatchSerializer
        if self.action == "members":
            return s.CherryMembersInputSerializer
        return s.CherryOrganisationSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["visible_growers"] = set(
            Grower.objects.visible_to(self.request.user, VIEW).values_list("pk", flat=True)
        )
        return context

    def _answer(self, organisation: Organisation, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=organisation.pk)
        return Response(
            s.CherryOrganisationSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(
        request=s.CherryOrganisationInputSerializer, responses={201: s.CherryOrganisationSerializer}
    )
    def create(self, request: Request) -> Response:
        data = s.CherryOrganisationInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        with transaction.atomic():
            organisation = actions.do_create_organisation(
                actor=request.user,
                kind=d["kind"],
                name=d["name"],
                village=d["village"],
                leader=d["leader"],
                members=d["members"],
            )
        return self._answer(organisation, status.HTTP_201_CREATED)

    @extend_schema(request=s.CherryOrganisationPatchSerializer, responses=s.CherryOrganisationSerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        organisation = self.get_object()
        data = s.CherryOrganisationPatchSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        organisation = actions.do_update_organisation(
            organisation,
            actor=request.user,
            kind=d.get("kind", organisation.kind),
            name=d.get("name", organisation.name),
            village=d.get("village", organisation.village),
            leader=d.get("leader", organisation.leader),
        )
        return self._answer(organisation)

    @extend_schema(request=s.CherryMembersInputSerializer, responses=s.CherryOrganisationSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request: Request, pk: Any = None) -> Response:
        organisation = self.get_object()
        data = s.CherryMembersInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        actions.do_add_members(organisation, data.validated_data["growers"], actor=request.user)
        return self._answer(organisation)

    @extend_schema(request=None, responses=s.CherryOrganisationSerializer)
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<grower_id>\d+)", url_name="member")
    def remove_member(self, request: Request, pk: Any = None, grower_id: Any = None) -> Response:
        organisation = self.get_object()
        try:
            grower = Grower.objects.visible_to(request.user, RECORD).filter(pk=int(grower_id)).first()
        except (TypeError, ValueError, OverflowError):  # an id no database column can hold
            grower = None
        if grower is None:
            return Response({"grower": [_("没有这个种植户")]}, status=status.HTTP_400_BAD_REQUEST)
        actions.do_remove_members(organisation, [grower], actor=request.user)
        return self._answer(organisation)


class CentreViewSet(
    _Base, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """带货达人孵化中心 and their packages (仓播/村播/云播). POST creates one (its venue too when none is named),
    PATCH renames it, changes its packages or its venue."""

    filterset_fields = ["village"]

    def get_queryset(self):
        return (
            Centre.objects.visible_to(self.request.user, VIEW)
            .select_related("village", "venue")
            .order_by("pk")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return s.CherryCentreInputSerializer
        if self.action == "partial_update":
            return s.CherryCentrePatchSerializer
        return s.CherryCentreSerializer

    @extend_schema(request=s.CherryCentreInputSerializer, responses={201: s.CherryCentreSerializer})
    def create(self, request: Request) -> Response:
        data = s.CherryCentreInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        centre = actions.do_create_centre(
            actor=request.user,
            name=d["name"],
            village=d["village"],
            venue=d["venue"],
            packages=d["packages"],
            address=d["address"],
        )
        return Response(s.CherryCentreSerializer(centre).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CherryCentrePatchSerializer, responses=s.CherryCentreSerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        centre = self.get_object()
        data = s.CherryCentrePatchSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        centre = actions.do_update_centre(
            centre,
            actor=request.user,
            name=d.get("name", centre.name),
            packages=d.get("packages", centre.packages),
            venue=d.get("venue"),
        )
        return Response(s.CherryCentreSerializer(centre).data)


class FiguresView(_Base, APIView):
    """GET /api/v1/cluster/figures/: every figure of the cluster for a period (this year by default)."""

    pagination_class = None  # a short list answered whole

    @extend_schema(parameters=[s.CherryFigureQuery], responses=s.CherryFigureSerializer(many=True))
    def get(self, request: Request) -> Response:
        query = s.CherryFigureQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = clock.today()
        start = query.validated_data.get("start") or dt.date(today.year, 1, 1)
        end = query.validated_data.get("end") or today
        if start > end:
            start = end
        scope = registry.Scope(viewer=request.user, start=start, end=end)
        rows = [
            {
                "code": m.code,
                "name": str(m.name),
                "definition": str(m.definition),
                "unit": m.unit,
                "value": registry.as_number(m.compute(scope)),
            }
            for m in METRICS
        ]
        return Response(s.CherryFigureSerializer(rows, many=True).data)
