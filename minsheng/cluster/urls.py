from django.urls import path

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
]
