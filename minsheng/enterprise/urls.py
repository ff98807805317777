from django.urls import include, path

from minsheng.core.views.spreadsheets import spreadsheet_urls

from .views import events, io, ledger, pipeline, plans, registry

app_name = "enterprise"

urlpatterns = [
    path("overview/", registry.home, name="home"),
    path("", registry.enterprise_list, name="list"),
    path("new/", registry.enterprise_create, name="create"),
    path("<int:pk>/", registry.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", registry.enterprise_edit, name="edit"),
    path("<int:pk>/contacts/", registry.contact_add, name="contact_add"),
    path("contacts/<int:pk>/remove/", registry.contact_remove, name="contact_remove"),
    path("<int:pk>/visit/", ledger.visit_new, name="visit_new"),
    path("<int:pk>/problem/", ledger.problem_new, name="problem_new"),
    path("<int:pk>/plan/", plans.plan_new, name="plan_new"),
    # the investment pipeline
    path("projects/", pipeline.board, name="board"),
    path("projects/list/", pipeline.project_list, name="projects"),
    path("projects/lead/", pipeline.lead_new, name="lead_new"),
    path("projects/<int:pk>/", pipeline.project_detail, name="project"),
    path("projects/<int:pk>/<slug:verb>/", pipeline.project_action, name="project_action"),
    path("trips/", pipeline.trip_list, name="trips"),
    path("trips/new/", pipeline.trip_new, name="trip_new"),
    # the problem ledger
    path("ledger/", ledger.ledger, name="ledger"),
    path("ledger/<int:pk>/confirm/", ledger.problem_confirm, name="problem_confirm"),
    # 一企一策
    path("plans/", plans.plan_list, name="plans"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/<slug:verb>/", plans.plan_step, name="plan_step"),
    path("plan-actions/<int:pk>/progress/", plans.plan_progress, name="plan_progress"),
    # events and policies
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_new, name="event_new"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/outcome/", events.event_outcome, name="event_outcome"),
    path("events/policies/", events.policy_list, name="policies"),
    path("events/policies/new/", events.policy_new, name="policy_new"),
    path("events/policies/<int:pk>/", events.policy_detail, name="policy"),
    path(
        "events/policies/<int:pk>/deliver/<int:enterprise_pk>/", events.policy_deliver, name="policy_deliver"
    ),
    # spreadsheets
    path("io/", io.io_index, name="io"),
    path("io/", include(spreadsheet_urls("enterprise", namespace="enterprise", index="io", prefix="io_"))),
]
