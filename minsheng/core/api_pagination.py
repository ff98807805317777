"""Page-number pagination whose page size a client may raise (a map needs all 60 grids in one call)."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
