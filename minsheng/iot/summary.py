"""Active alarms rolled up per greenhouse and per cluster (ThingsBoard's propagation, computed when read).

One GROUP BY over the active alarms (the (greenhouse, status) index) gives counts by severity and the unacknowledged
count for any number of greenhouses; nothing is stored, so nothing can drift out of step with the alarms.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from .choices import RANK, AlarmStatus, Severity
from .models import Alarm


@dataclass
class Summary:
    by_severity: dict[str, int] = field(default_factory=dict)
    unacknowledged: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())

    @property
    def highest(self) -> str | None:
        present = [s for s, n in self.by_severity.items() if n]
        return max(present, key=lambda s: RANK[s]) if present else None

    @property
    def highest_label(self) -> str:
        return Severity(self.highest).label if self.highest else ""

    def add(self, severity: str, n: int, unack: int) -> None:
        self.by_severity[severity] = self.by_severity.get(severity, 0) + n
        self.unacknowledged += unack

    def rows(self) -> list[tuple[str, str, int]]:
        """(severity, label, count) from the highest down, only severities present."""
        return [(s.value, s.label, self.by_severity[s]) for s in Severity if self.by_severity.get(s)]

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "by_severity": {s.value: self.by_severity.get(s, 0) for s in Severity},
            "highest": self.highest,
            "highest_label": self.highest_label,
            "unacknowledged": self.unacknowledged,
        }


def _grouped(alarms, key: str) -> dict:
    rows = (
        alarms.filter(status=AlarmStatus.ACTIVE)
        .order_by()
        .values(key, "severity")
        .annotate(n=Count("pk"), unack=Count("pk", filter=Q(acknowledged=False)))
    )
    result: dict = {}
    for row in rows:
        result.setdefault(row[key], Summary()).add(row["severity"], row["n"], row["unack"])
    return result


def by_greenhouse(greenhouse_ids) -> dict[int, Summary]:
    """Summary per greenhouse id (greenhouses without active alarms are absent: use `.get(pk, Summary())`)."""
    return _grouped(Alarm.objects.filter(greenhouse_id__in=greenhouse_ids), "greenhouse_id")


def by_cluster(greenhouses) -> dict[int | None, Summary]:
    """Summary per cluster id over the given greenhouses (a queryset, already scoped); None = no cluster."""
    return _grouped(Alarm.objects.filter(greenhouse__in=greenhouses), "greenhouse__cluster_id")


def of_alarms(alarms) -> Summary:
    """One summary over a (scoped) alarm queryset: the console's header."""
    total = Summary()
    for summary in _grouped(alarms, "status").values():
        for severity, n in summary.by_severity.items():
            total.add(severity, n, 0)
        total.unacknowledged += summary.unacknowledged
    return total
