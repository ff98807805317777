"""Counting that stays fast on a city's ledger: a page of a million cases must not cost a full COUNT(*)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000
BADGE_CAP = 999


def capped_count(queryset, cap: int = BADGE_CAP) -> int | str:
    """The number of rows, or "999+" past the cap: `SELECT COUNT(*) FROM (… LIMIT cap + 1)` stops early."""
    n = queryset[: cap + 1].count()
    return f"{cap}+" if n > cap else n


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows: past that the list says "10000+ 件" and the last pages are not offered —
    nobody pages through ten thousand cases; they filter."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_label(self) -> str:
        return f"{self.cap}+" if self.capped else str(self.count)
