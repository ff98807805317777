"""URLs of the staff workbench under /cases/ (the residents' H5 pages have their own list in urls_h5.py)."""

from django.urls import path

from .views import workbench, workbench_case, workbench_intake, workbench_map, workbench_reports

app_name = "cases"

urlpatterns = [
    path("", workbench.case_list, {"name": "todo"}, name="todo"),
    path("done/", workbench.case_list, {"name": "done"}, name="done"),
    path("supervised/", workbench.case_list, {"name": "supervised"}, name="supervised"),
    path("overdue/", workbench.case_list, {"name": "overdue"}, name="overdue"),
    path("all/", workbench.case_list, {"name": "all"}, name="all"),
    path("bulk-dispatch/", workbench.bulk_dispatch, name="bulk_dispatch"),
    path("new/", workbench_intake.create, name="create"),
    path("new/similar/", workbench_intake.similar, name="similar"),
    path("<int:pk>/", workbench_case.detail, name="detail"),
    path("<int:pk>/reveal/", workbench_case.reveal, name="reveal"),
    path("<int:pk>/act/<slug:verb>/", workbench_case.act, name="act"),
    path("attachments/<int:pk>/", workbench_case.attachment, name="attachment"),
    path("map/", workbench_map.case_map, name="map"),
    path("map/data/", workbench_map.map_data, name="map_data"),
    path("export/", workbench_reports.export, name="export"),
    path("recurring/", workbench_reports.recurring, name="recurring"),
    path("efficiency/", workbench_reports.efficiency_board, name="efficiency"),
    path("metrics/", workbench_reports.metrics_page, name="metrics"),
]
