"""The HTTP door for devices without MQTT: the same payloads as the broker's topics."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..devices import GatewayTokenAuthentication, IsGateway
from ..ingest import ingest

MAX_BODY = 1024 * 1024


class GatewayTokenScheme(OpenApiAuthenticationExtension):
    """Documents the devices' `Authorization: Device <token>` header in the OpenAPI schema."""

    target_class = "minsheng.iot.devices.GatewayTokenAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Device <token>"}


class IngestView(APIView):
    """POST a SenML pack or plain JSON readings, authenticated as a gateway (`Authorization: Device <token>`).

    200 with counts when anything was accepted (the rejected records listed with reasons); 400 when nothing was.
    """

    authentication_classes = [GatewayTokenAuthentication]
    permission_classes = [IsGateway]

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT, "application/senml+json": OpenApiTypes.OBJECT},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 413: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        body = request.body
        if len(body) > MAX_BODY:
            return Response({"detail": _("数据包过大")}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        # The raw body, not request.data: the ingestion core decodes it and explains JSON errors itself.
        stats = ingest(body, gateway=request.auth)
        ok = stats.stored + stats.duplicates > 0 or not stats.rejected
        return Response(stats.as_dict(), status=status.HTTP_200_OK if ok else status.HTTP_400_BAD_REQUEST)
