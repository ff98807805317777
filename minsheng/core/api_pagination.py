"""Page-number pagination whose page size a client may raise (a map needs all 60 grids in one call)."""

from rest_framework.pagination import PageNumberPagination

from .pagination import PAGE_SIZE


class Pagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 500
