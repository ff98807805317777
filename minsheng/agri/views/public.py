"""The certificate's public face: the page its QR code opens, the QR image, and the printable PDF (staff only)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from minsheng.accounts.choices import Cap
from minsheng.core.masking import mask_phone
from minsheng.core.scoping import get_visible_or_404

from .. import printing
from ..models import Certificate


def verify_url(request, certificate: Certificate) -> str:
    return request.build_absolute_uri(reverse("agri:verify", args=[certificate.token]))


def issuing_authority(certificate: Certificate) -> str:
    """Who stands behind the record: settings.AGRI_CERTIFICATE_AUTHORITY, else the 街道's 农产品质量安全监管站."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    from minsheng.org.models import Node

    configured = getattr(settings, "AGRI_CERTIFICATE_AUTHORITY", "")
    if configured:
        return configured
    village = certificate.producer.village
    street = Node.objects.filter(path=village.path[: Node.steplen]).first() if village else None
    return _("%(street)s农产品质量安全监管站") % {"street": street.name if street else ""}


@require_GET
def verify(request, token: str):
    """查验: anyone holding the batch can check the certificate is genuine and still valid; the contact is masked."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("producer", "producer__village", "commodity"), token=token
    )
    return render(
        request,
        "agri/verify.html",
        {
            "certificate": certificate,
            "authority": issuing_authority(certificate),
            "village": certificate.producer.village.full_name if certificate.producer.village_id else "",
            "phone": mask_phone(certificate.contact_phone),
            "commitment": printing.COMMITMENT,
        },
    )


@require_GET
def qr(request, token: str):
    certificate = get_object_or_404(Certificate, token=token)
    return HttpResponse(printing.qr_png(verify_url(request, certificate)), content_type="image/png")


@login_required
@require_GET
def certificate_pdf(request, pk: int):
    certificate = get_visible_or_404(
        Certificate.objects.select_related("producer"), request.user, Cap.AGRI_VIEW, pk=pk
    )
    response = HttpResponse(
        printing.pdf(certificate, verify_url(request, certificate)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response
