app_name = "enterprise_h5"
urlpatterns = []
