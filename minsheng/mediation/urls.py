from django.urls import path

from .views import desk, disputes, petitions, referrals, weekly

app_name = "mediation"

urlpatterns = [
    path("desk/", desk.desk, name="desk"),
    path("desk/reveal/<int:pk>/", desk.desk_reveal, name="desk_reveal"),
    path("visits/", desk.visit_list, name="visits"),
    path("visits/new/", desk.visit_create, name="visit_create"),
    path("visits/<int:pk>/", desk.visit_detail, name="visit"),
    path("disputes/", disputes.dispute_list, name="disputes"),
    path("disputes/new/", disputes.dispute_create, name="dispute_create"),
    path("disputes/<int:pk>/", disputes.dispute_detail, name="dispute"),
    path("disputes/<int:pk>/do/<slug:verb>/", disputes.dispute_act, name="dispute_act"),
    path("disputes/<int:pk>/agreement.<str:fmt>", disputes.agreement_file, name="agreement"),
    path("disputes/<int:pk>/signed/", disputes.signed_scan, name="signed_scan"),
    path("disputes/<int:pk>/dossier.pdf", disputes.dossier, name="dossier"),
    path("petitions/", petitions.petition_list, name="petitions"),
    path("petitions/new/", petitions.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", petitions.petition_detail, name="petition"),
    path("petitions/<int:pk>/do/<slug:verb>/", petitions.petition_act, name="petition_act"),
    path("petitions/<int:pk>/reply.docx", petitions.petition_reply_file, name="petition_reply"),
    path("reception-days/", petitions.reception_days, name="reception_days"),
    path("reception-days/<int:pk>/book/", petitions.reception_book, name="reception_book"),
    path("bookings/<int:pk>/", petitions.booking_mark, name="booking_mark"),
    path("referrals/", referrals.referral_list, name="referrals"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral"),
    path("referrals/<int:pk>/do/<slug:verb>/", referrals.referral_act, name="referral_act"),
    path("weekly/", weekly.weekly, name="weekly"),
    path("weekly/analysis/", weekly.analysis, name="analysis"),
    path("weekly/report.docx", weekly.weekly_docx, name="weekly_docx"),
    path("weekly/early-warning/", weekly.early_warning, name="early_warning"),
    path("weekly/items/<int:pk>/resolve/", weekly.item_resolve, name="item_resolve"),
    path("figures/", weekly.figures, name="figures"),
    path("ledger/<slug:which>.xlsx", disputes.ledger, name="ledger"),
]
