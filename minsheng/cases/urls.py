from .urls_workbench import urlpatterns as workbench_urls

app_name = "cases"

urlpatterns = [*workbench_urls]
