"""The certificate's public face: the page its QR code opens, the QR image, and the printable PDF (staff only)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from minsheng.core.masking import mask_phone
from minsheng.core.scoping import get_visible_or_404

from .. import printing
from ..models import Certificate


def verify_url(request, certificate: Certificate) -> str:
    return request.build_absolute_uri(reverse("agri:verify", args=[certificate.token]))


@require_GET
def verify(request, token: str):
    """查验: anyone holding the batch can check the certificate is genuine and still valid; the contact is masked."""
    certificate = get_object_or_404(Certificate.objects.select_related("producer", "commodity"), token=token)
    return render(
        request,
        "agri/verify.html",
        {
            "certificate": certificate,
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
        Certificate.objects.select_related("producer"), request.user, "agri.view", pk=pk
    )
    response = HttpResponse(
        printing.pdf(certificate, verify_url(request, certificate)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response
