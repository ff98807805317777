"""xlsx import and export of the registries (台账)."""

from django.urls import path

from . import io_views

app_name = "org_io"

urlpatterns = [
    path("", io_views.index, name="index"),
    path("<slug:slug>/export/", io_views.export, name="export"),
    path("<slug:slug>/template/", io_views.template, name="template"),
    path("<slug:slug>/import/", io_views.import_view, name="import"),
]
