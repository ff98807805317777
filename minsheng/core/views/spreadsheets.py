"""The xlsx export, template and import pages of every registered spreadsheet resource (core.spreadsheet).

An app lists its own resources on its own index page and mounts these three views with `spreadsheet_urls`, which
keeps its URL names; the views find the resource by slug among that app's registrations (another app's slug is
404), check the resource's capability, and answer the same way for every app.
"""

import tempfile
from collections.abc import Callable
from typing import Any, BinaryIO

from django import forms
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ..http import AuthedRequest
from ..permissions import require_cap
from ..spreadsheet import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    Resource,
    export_workbook,
    import_workbook,
    resources,
    template_workbook,
)
from .shell import staff_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": gettext_lazy("请选择要导入的文件"), "empty": gettext_lazy("文件是空的")},
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("仅校验"),
        required=False,
        help_text=gettext_lazy("只检查每一行是否正确，不写入任何数据"),
    )


def _resource(request: AuthedRequest, app_label: str, slug: str, *, importing: bool = False) -> Resource:
    resource_class = resources(app_label).get(slug)
    if resource_class is None or (importing and not resource_class.importable):
        raise Http404
    return resource_class(request.user)


def xlsx_response(write: Callable[[BinaryIO], object], title: str) -> FileResponse:
    """`write(fileobj)` fills a temporary file on disk (not memory: exports can be large) that the response sends."""
    fileobj = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once it has been sent
    write(fileobj)
    fileobj.seek(0)
    name = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(fileobj, as_attachment=True, filename=name, content_type=XLSX)


@require_http_methods(["GET", "POST"])
@staff_required
def export(request: AuthedRequest, slug: str, *, app_label: str, **_urls: Any) -> FileResponse:
    """Masked by default; unmasked only when asked for by a POSTed form (never by a link) and allowed per row."""
    resource = _resource(request, app_label, slug)
    require_cap(request.user, resource.export_capability)
    resource.narrow(request.GET)
    unmasked = request.method == "POST" and request.POST.get("unmasked") == "1"
    return xlsx_response(lambda out: export_workbook(resource, out, unmasked=unmasked), resource.sheet_title)


@require_GET
@staff_required
def template(request: AuthedRequest, slug: str, *, app_label: str, **_urls: Any) -> FileResponse:
    resource = _resource(request, app_label, slug, importing=True)
    require_cap(request.user, resource.import_capability)
    title = _("%(title)s导入模板") % {"title": resource.sheet_title}
    return xlsx_response(lambda out: template_workbook(resource, out), title)


@require_http_methods(["GET", "POST"])
@staff_required
def import_view(
    request: AuthedRequest,
    slug: str,
    *,
    app_label: str,
    template_url_name: str,
    back_url_name: str,
    base_template: str,
) -> HttpResponse:
    """The form, then the all-or-nothing import and its row-by-row report (400 when refused)."""
    resource = _resource(request, app_label, slug, importing=True)
    require_cap(request.user, resource.import_capability)
    report, status = None, 200
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound:
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_workbook(
                resource, upload, dry_run=form.cleaned_data["dry_run"], filename=upload.name
            )
            status = 200 if report.ok else 400
        else:
            status = 400
    context = {
        "resource": resource,
        "form": form,
        "report": report,
        "columns": [(c, "、".join(resource.allowed_values(c))) for c in resource.columns],
        "max_rows": MAX_ROWS,
        "max_mb": MAX_FILE_BYTES // (1024 * 1024),
        "template_url": reverse(template_url_name, args=[resource.slug]),
        "back_url": reverse(back_url_name),
        "base_template": base_template,
    }
    return render(request, "core/spreadsheets/import.html", context, status=status)


def spreadsheet_urls(
    app_label: str, *, namespace: str, index: str, prefix: str = "", base_template: str = "base.html"
) -> list[Any]:
    """The export, template and import URLs of an app's resources, named `<prefix>export`, `<prefix>template`
    and `<prefix>import` in the app's namespace; `index` is the name of the app's own list page."""
    options = {
        "app_label": app_label,
        "template_url_name": f"{namespace}:{prefix}template",
        "back_url_name": f"{namespace}:{index}",
        "base_template": base_template,
    }
    return [
        path("<slug:slug>/export/", export, options, name=f"{prefix}export"),
        path("<slug:slug>/template/", template, options, name=f"{prefix}template"),
        path("<slug:slug>/import/", import_view, options, name=f"{prefix}import"),
    ]
