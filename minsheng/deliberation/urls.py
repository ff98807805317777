"""Staff pages under /deliberation/ (the QR sign-in and the visit round also serve party-member volunteers)."""

from django.urls import path

from minsheng.core.views import spreadsheets

from .views import meetings, reports, visits

app_name = "deliberation"

urlpatterns = [
    path("", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/items/", meetings.meeting_item, name="meeting_item"),
    path("meetings/<int:pk>/act/<slug:verb>/", meetings.meeting_act, name="meeting_act"),
    path("meetings/<int:pk>/qr.png", meetings.meeting_qr, name="meeting_qr"),
    path("meetings/<int:pk>/minutes.docx", meetings.meeting_docx, name="meeting_docx"),
    path("meetings/<int:pk>/minutes.pdf", meetings.meeting_pdf, name="meeting_pdf"),
    path("signin/<str:token>/", meetings.sign_in, name="sign_in"),
    path("series/", meetings.series_list, name="series"),
    path("series/<int:pk>/edit/", meetings.series_edit, name="series_edit"),
    path("visits/mine/", visits.my_round, name="my_round"),
    path("visits/targets/<int:pk>/", visits.visit_log, name="visit_log"),
    path("visits/", visits.campaigns, name="campaigns"),
    path("visits/<int:pk>/", visits.campaign_detail, name="campaign"),
    path("linked/", visits.linked, name="linked"),
    path("linked/<int:member_pk>/contact/", visits.linked_contact, name="linked_contact"),
    path("teams/", visits.teams, name="teams"),
    path("figures/", reports.figures, name="figures"),
    path(
        "export/meetings.xlsx",
        spreadsheets.export,
        {"app_label": "deliberation", "slug": "meetings"},
        name="export_meetings",
    ),
    path(
        "export/visits.xlsx",
        spreadsheets.export,
        {"app_label": "deliberation", "slug": "visits"},
        name="export_visits",
    ),
]
