"""The one way a page lists rows a page at a time, and counting that stays fast on a city's ledger: a page of a
million cases must not cost a full COUNT(*).

Staff lists show PAGE_SIZE rows (the API's page too); the residents' phone pages PHONE_PAGE_SIZE; the workbench lets
the user choose the page size and counts at most COUNT_CAP rows.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator  # not subscriptable at run time

COUNT_CAP = 10_000
BADGE_CAP = 999
PAGE_SIZE = 50
PHONE_PAGE_SIZE = 20


def _countable(rows: Any) -> Any:
    """What to count of a queryset: its keys alone, in no order — the annotations and the sort of the rows shown
    (a sub-query per row, a sort of every row in scope) change nothing in how many there are."""
    if not isinstance(rows, QuerySet):
        return rows
    query = rows.query
    grouped = query.group_by is not None or any(
        getattr(a, "contains_aggregate", False) for a in query.annotations.values()
    )
    if query.combinator or query.distinct or grouped or getattr(rows, "_fields", None):
        return rows  # rows that are groups, unions or distinct values are counted as they are
    return rows.order_by().values("pk")


def capped_count(queryset: QuerySet[Any], cap: int = BADGE_CAP) -> int | str:
    """The number of rows, or "999+" past the cap: `SELECT COUNT(*) FROM (… LIMIT cap + 1)` stops early."""
    n = _countable(queryset)[: cap + 1].count()
    return f"{cap}+" if n > cap else n


class CappedPaginator(_Paginator):
    """Counts at most COUNT_CAP rows: past that the list says "10000+ 件" and the last pages are not offered —
    nobody pages through ten thousand cases; they filter."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        return int(_countable(self.object_list)[: self.cap + 1].count())

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_label(self) -> str:
        return f"{self.cap}+" if self.capped else str(self.count)


def paginate(
    request: HttpRequest,
    object_list: Sequence[Any] | QuerySet[Any],
    *,
    per_page: int = PAGE_SIZE,
    capped: bool = False,
) -> Page[Any]:
    """One page of `object_list` for `?page=`; a missing, malformed or too large page number falls back to a valid
    page (never a 500). `capped` counts at most COUNT_CAP rows (the page then says "10000+")."""
    paginator_class = CappedPaginator if capped else Paginator
    return paginator_class(object_list, per_page).get_page(request.GET.get("page"))
