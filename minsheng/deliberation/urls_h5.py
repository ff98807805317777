app_name = "delib_h5"
urlpatterns = []
