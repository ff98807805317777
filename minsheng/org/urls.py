from .urls_people import urlpatterns as people_urls
from .urls_territory import urlpatterns as territory_urls

app_name = "org"

urlpatterns = [*territory_urls, *people_urls]
