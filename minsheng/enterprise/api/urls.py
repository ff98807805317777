app_name = "enterprise-api"
urlpatterns = []
