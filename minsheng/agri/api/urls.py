from rest_framework.routers import DefaultRouter

from . import ledgers, views

router = DefaultRouter()
router.register("samples", views.SampleViewSet, basename="sample")
router.register("commodities", views.CommodityViewSet, basename="commodity")
# ledgers, campaigns, sampling tasks, holiday duty, pass rates
ledgers.register(router)

app_name = "agri-api"
urlpatterns = router.urls
