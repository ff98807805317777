"""The in-app inbox."""

app_name = "notifications"

urlpatterns: list = []
