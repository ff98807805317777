from rest_framework.routers import DefaultRouter

from . import ledgers, views

router = DefaultRouter()
router.register("samples", views.SampleViewSet, basename="sample")
router.register("commodities", views.CommodityViewSet, basename="commodity")
# ledgers, campaigns, sampling tasks, holiday duty, pass rates
ledgers.register(router)
# registries and store inspections
router.register("producers", views.ProducerViewSet, basename="producer")
router.register("stores", views.StoreViewSet, basename="store")
router.register("inspections", views.InspectionViewSet, basename="inspection")

app_name = "agri-api"
urlpatterns = router.urls
