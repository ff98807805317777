"""The HTTP door for devices without MQTT: the same payloads as the broker's topics."""

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from ..devices import GatewayTokenAuthentication, IsGateway
from ..ingest import ingest

MAX_BODY = 1024 * 1024


class IngestView(APIView):
    """POST a SenML pack or plain JSON readings, authenticated as a gateway (`Authorization: Device <token>`).

    200 with counts when anything was accepted (the rejected records listed with reasons); 400 when nothing was.
    """

    authentication_classes = [GatewayTokenAuthentication]
    permission_classes = [IsGateway]

    def post(self, request):
        body = request.body
        if len(body) > MAX_BODY:
            return Response({"detail": _("数据包过大")}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        # The raw body, not request.data: the ingestion core decodes it and explains JSON errors itself.
        stats = ingest(body, gateway=request.auth)
        ok = stats.stored + stats.duplicates > 0 or not stats.rejected
        return Response(stats.as_dict(), status=status.HTTP_200_OK if ok else status.HTTP_400_BAD_REQUEST)
