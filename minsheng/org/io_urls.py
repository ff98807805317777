"""xlsx import and export of the registries (台账)."""

app_name = "org_io"

urlpatterns: list = []
