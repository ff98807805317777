from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("samples", views.SampleViewSet, basename="sample")
router.register("commodities", views.CommodityViewSet, basename="commodity")

app_name = "agri-api"
urlpatterns = router.urls
