app_name = "enterprise"
urlpatterns = []
