"""Core endpoints under /api/v1/ (notifications, calendar)."""

urlpatterns: list = []
