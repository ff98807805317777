"""The staff pages of activities, volunteers and 双报到 (/activities/)."""

from django.urls import path

from .views import dual, events, places, volunteers

app_name = "activities"

urlpatterns = [
    path("", events.event_list, name="events"),
    path("new/", events.event_create, name="event_create"),
    path("figures/", events.figures, name="figures"),
    path("series/<int:pk>/", events.series_detail, name="series"),
    path("places/", places.venue_list, name="places"),
    path("venues/new/", places.venue_create, name="venue_create"),
    path("venues/<int:pk>/edit/", places.venue_edit, name="venue_edit"),
    path("series/new/", places.series_create, name="series_create"),
    path("series/<int:pk>/edit/", places.series_edit, name="series_edit"),
    path("<int:pk>/", events.event_detail, name="event"),
    path("<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("<int:pk>/door/", events.door, name="door"),
    path("<int:pk>/close/", events.event_close, name="close"),
    path("<int:pk>/cancel/", events.event_cancel, name="cancel"),
    path("<int:pk>/headcount/", events.event_headcount, name="headcount"),
    path("<int:pk>/walk-in/", events.event_walk_in, name="walk_in"),
    path("<int:pk>/registrations/<int:rid>/cancel/", events.registration_cancel, name="registration_cancel"),
    path("<int:pk>/shifts/", events.shift_create, name="shift_create"),
    path("<int:pk>/shifts/<int:sid>/record/", events.shift_record, name="shift_record"),
    path("volunteers/", volunteers.volunteer_list, name="volunteers"),
    path("volunteers/new/", volunteers.volunteer_create, name="volunteer_create"),
    path("volunteers/<int:pk>/", volunteers.volunteer_detail, name="volunteer"),
    path("volunteers/<int:pk>/certificate/", volunteers.certificate_issue, name="certificate_issue"),
    path("certificates/<int:pk>.pdf", volunteers.certificate_pdf, name="certificate_pdf"),
    path("teams/", volunteers.team_list, name="teams"),
    path("records/", volunteers.record_list, name="records"),
    path("records/<int:pk>/decide/", volunteers.record_decide, name="record_decide"),
    path("market/", volunteers.market, name="market"),
    path("market/<int:pk>/exchange/", volunteers.market_exchange, name="market_exchange"),
    path("dual/", dual.index, name="dual"),
    path("dual/projects/", dual.project_create, name="project_create"),
    path("dual/units/<int:pk>/", dual.unit_detail, name="dual_unit"),
    path("dual/evaluations/", dual.evaluations, name="evaluations"),
    path("dual/evaluations.xlsx", dual.evaluations_xlsx, name="evaluations_xlsx"),
]
