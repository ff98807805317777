"""The residents' phone pages (H5): submit an appeal, follow it, rate it, reopen it."""

app_name = "h5"

urlpatterns: list = []
