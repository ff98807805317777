"""Core endpoints under /api/v1/: the notification inbox."""

from rest_framework.routers import SimpleRouter

from .notification_api import NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
