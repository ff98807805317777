"""Pages for importing and exporting the registries (台账) at /org/io/."""

import tempfile

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from minsheng.core.spreadsheet import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    export_workbook,
    import_workbook,
    template_workbook,
)

from ..spreadsheets import REGISTRIES, OrgResource

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("请选择要导入的文件"), "empty": _("文件是空的")},
    )
    dry_run = forms.BooleanField(
        label=_("仅校验"), required=False, help_text=_("只检查每一行是否正确，不写入任何数据")
    )


def _resource(request, slug: str) -> OrgResource:
    resource_class = REGISTRIES.get(slug)
    if resource_class is None:
        raise Http404
    return resource_class(request.user)


def _require(request, capability: str) -> None:
    if not request.user.has_cap(capability):
        raise PermissionDenied(_("没有权限执行此操作"))


def _xlsx_response(write, title: str) -> FileResponse:
    """`write(fileobj)` fills a temporary file on disk (not memory: exports can be large) that the response sends."""
    fileobj = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once it has been sent
    write(fileobj)
    fileobj.seek(0)
    name = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(fileobj, as_attachment=True, filename=name, content_type=XLSX)


@login_required
@require_GET
def index(request):
    user = request.user
    can_export, can_import = user.has_cap("org.export"), user.has_cap("org.import")
    if not (can_export or can_import):
        raise PermissionDenied(_("没有导入或导出台账的权限"))
    can_unmask = user.has_cap("org.view_pii")
    registries = [
        {"resource": resource, "can_unmask": can_unmask and resource.has_pii}
        for resource in (cls(user) for cls in REGISTRIES.values())
    ]
    return render(
        request,
        "org/io/index.html",
        {
            "registries": registries,
            "can_export": can_export,
            "can_import": can_import,
            "max_rows": MAX_ROWS,
            "max_mb": MAX_FILE_BYTES // (1024 * 1024),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def export(request, slug):
    """Masked by default; unmasked only when asked for by a POSTed form (never by a link) and allowed per row."""
    resource = _resource(request, slug)
    _require(request, resource.export_capability)
    unmasked = request.method == "POST" and request.POST.get("unmasked") == "1"
    return _xlsx_response(lambda out: export_workbook(resource, out, unmasked=unmasked), resource.sheet_title)


@login_required
@require_GET
def template(request, slug):
    resource = _resource(request, slug)
    _require(request, resource.import_capability)
    title = _("%(title)s导入模板") % {"title": resource.sheet_title}
    return _xlsx_response(lambda out: template_workbook(resource, out), title)


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request, slug):
    resource = _resource(request, slug)
    _require(request, resource.import_capability)
    return render_import(
        request,
        resource,
        template_url=reverse("org_io:template", args=[resource.slug]),
        back_url=reverse("org_io:index"),
    )


def render_import(request, resource, *, template_url: str, back_url: str, base_template: str = "base.html"):
    """The import page of any spreadsheet resource: the form, then the all-or-nothing import and its row-by-row
    report (400 when refused). Other apps' import pages (agri's tables) use it with their own links and layout."""
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
        "template_url": template_url,
        "back_url": back_url,
        "base_template": base_template,
    }
    return render(request, "org/io/import.html", context, status=status)
