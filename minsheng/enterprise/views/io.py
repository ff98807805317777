"""The enterprise tables' xlsx page: what may be exported and imported. The export, template and import themselves
are core's views, mounted in urls.py under the old names."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from minsheng.accounts.choices import Cap
from minsheng.core.permissions import require_cap
from minsheng.core.spreadsheet import MAX_FILE_BYTES, MAX_ROWS, resources
from minsheng.core.views import staff_required


@staff_required
@require_GET
def io_index(request):
    require_cap(request.user, Cap.ENTERPRISE_VIEW)
    user = request.user
    rows = []
    for cls in resources("enterprise").values():
        resource = cls(user)
        rows.append(
            {
                "resource": resource,
                "can_import": resource.importable and user.has_cap(resource.import_capability),
                "can_unmask": resource.has_pii and user.has_cap(resource.pii_capability),
            }
        )
    return render(
        request,
        "enterprise/io.html",
        {"rows": rows, "max_rows": MAX_ROWS, "max_mb": MAX_FILE_BYTES // (1024 * 1024)},
    )
