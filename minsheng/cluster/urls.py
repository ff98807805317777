from django.urls import include, path

from minsheng.core.views.spreadsheets import spreadsheet_urls

from . import views

app_name = "cluster"

urlpatterns = [
    path("", views.home, name="home"),
    path("growers/", views.growers, name="growers"),
    path("growers/new/", views.grower_new, name="grower_new"),
    path("entry/", views.entry, name="entry"),
    path("harvests/<int:pk>/sale/", views.sale_new, name="sale_new"),
    path("techniques/", views.techniques, name="techniques"),
    path("sellers/", views.sellers, name="sellers"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("trainings/new/", views.training_new, name="training_new"),
    path("adoptions/new/", views.adoption_new, name="adoption_new"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("centres/", views.centres, name="centres"),
    path("centres/new/", views.centre_new, name="centre_new"),
    path("centres/<int:pk>/edit/", views.centre_edit, name="centre_edit"),
    path("io/", views.io_index, name="io"),
    path("io/", include(spreadsheet_urls("cluster", namespace="cluster", index="io", prefix="io_"))),
]
