app_name = "agri"

urlpatterns: list = []
