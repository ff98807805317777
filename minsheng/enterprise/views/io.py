"""xlsx import and export of the registry and exports of the ledger and the projects (core spreadsheet machinery,
the org import page)."""

import tempfile

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from minsheng.core.spreadsheet import MAX_FILE_BYTES, MAX_ROWS, export_workbook, template_workbook
from minsheng.core.views import staff_required
from minsheng.org.io_views import render_import

from ..spreadsheets import IMPORTABLE, TABLES
from ._common import require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table(request, slug):
    cls = TABLES.get(slug)
    if cls is None:
        raise Http404
    return cls(request.user)


def _xlsx_response(write, title: str) -> FileResponse:
    fileobj = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once it has been sent
    write(fileobj)
    fileobj.seek(0)
    return FileResponse(
        fileobj, as_attachment=True, filename=f"{title}-{timezone.localdate():%Y%m%d}.xlsx", content_type=XLSX
    )


@staff_required
@require_GET
def io_index(request):
    require(request.user, "enterprise.view")
    user = request.user
    rows = []
    for slug, cls in TABLES.items():
        resource = cls(user)
        rows.append(
            {
                "resource": resource,
                "can_import": slug in IMPORTABLE and user.has_cap(resource.import_capability),
                "can_unmask": resource.has_pii and user.has_cap(resource.pii_capability),
            }
        )
    return render(
        request,
        "enterprise/io.html",
        {"rows": rows, "max_rows": MAX_ROWS, "max_mb": MAX_FILE_BYTES // (1024 * 1024)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def io_export(request, slug):
    resource = _table(request, slug)
    require(request.user, resource.export_capability)
    enterprise = request.GET.get("enterprise", "")
    if slug == "enterprise-problems" and enterprise.isdigit():
        resource.enterprise_id = int(enterprise)  # still read through the user's scope
    unmasked = request.method == "POST" and request.POST.get("unmasked") == "1"
    return _xlsx_response(lambda out: export_workbook(resource, out, unmasked=unmasked), resource.sheet_title)


@staff_required
@require_GET
def io_template(request, slug):
    if slug not in IMPORTABLE:
        raise Http404
    resource = _table(request, slug)
    require(request.user, resource.import_capability)
    title = _("%(title)s导入模板") % {"title": resource.sheet_title}
    return _xlsx_response(lambda out: template_workbook(resource, out), title)


@staff_required
@require_http_methods(["GET", "POST"])
def io_import(request, slug):
    if slug not in IMPORTABLE:
        raise Http404
    resource = _table(request, slug)
    require(request.user, resource.import_capability)
    return render_import(
        request,
        resource,
        template_url=reverse("enterprise:io_template", args=[slug]),
        back_url=reverse("enterprise:io"),
    )
