"""The list of the registries (台账) to import and export at /org/io/; the export, template and import pages are
core's (core/views/spreadsheets.py), mounted in org/urls.py."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from minsheng.accounts.choices import Cap
from minsheng.core.spreadsheet import MAX_FILE_BYTES, MAX_ROWS, resources

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def index(request):
    user = request.user
    can_export, can_import = user.has_cap(Cap.ORG_EXPORT), user.has_cap(Cap.ORG_IMPORT)
    if not (can_export or can_import):
        raise PermissionDenied(_("没有导入或导出台账的权限"))
    can_unmask = user.has_cap(Cap.ORG_VIEW_PII)
    registries = [
        {"resource": resource, "can_unmask": can_unmask and resource.has_pii}
        for resource in (cls(user) for cls in resources("org").values())
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
