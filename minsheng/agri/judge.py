"""Judging a detected residue: the limit in force on the sample date, and whether the pesticide was banned there.

Two rules from the standards and announcements:
- the most specific commodity node with a limit wins (辣椒 before 茄果类蔬菜 before 蔬菜), and within that node the
  newest standard version in force on the date (an amendment such as GB 2763.1-2022 replaces the row it amends);
- a pesticide banned on that crop on that date fails the sample whatever its concentration or limit.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from .choices import LabVerdict, RuleKind
from .models import Commodity, MaximumResidueLimit, Pesticide, PesticideRule


def limit_in_force(
    pesticide: Pesticide, commodity: Commodity, on_date: dt.date
) -> MaximumResidueLimit | None:
    rows = list(
        MaximumResidueLimit.objects.filter(
            pesticide=pesticide,
            commodity__in=commodity.lineage(),
            standard__effective_from__lte=on_date,
        )
        .filter(Q(standard__withdrawn_on__isnull=True) | Q(standard__withdrawn_on__gt=on_date))
        .select_related("standard", "commodity")
        .prefetch_related("excluded")
    )
    for node in commodity.lineage():
        candidates = [
            row
            for row in rows
            if row.commodity_id == node.pk and not any(commodity.is_within(ex) for ex in row.excluded.all())
        ]
        if candidates:
            return max(candidates, key=lambda row: row.standard.effective_from)
    return None


def banned_on(pesticide: Pesticide, commodity: Commodity, on_date: dt.date) -> PesticideRule | None:
    """The ban that applies, a full ban before a scoped one; None when the pesticide may be used there."""
    rules = [
        rule
        for rule in PesticideRule.objects.filter(pesticide=pesticide).prefetch_related("scopes")
        if rule.in_force(on_date)
    ]
    for rule in rules:
        if rule.kind == RuleKind.FULL_BAN:
            return rule
    for rule in rules:
        if any(commodity.is_within(scope) for scope in rule.scopes.all()):
            return rule
    return None


@dataclass
class Judgement:
    verdict: str
    limit: MaximumResidueLimit | None
    rule: PesticideRule | None

    @property
    def failed(self) -> bool:
        return self.verdict in (LabVerdict.OVER_LIMIT, LabVerdict.BANNED)


def judge(pesticide: Pesticide, commodity: Commodity, mg_per_kg: Decimal, on_date: dt.date) -> Judgement:
    """A zero reading means not detected: it passes, even for a banned pesticide."""
    limit = limit_in_force(pesticide, commodity, on_date)
    rule = banned_on(pesticide, commodity, on_date)
    if mg_per_kg <= 0:
        return Judgement(LabVerdict.PASS, limit, rule)
    if rule is not None:
        return Judgement(LabVerdict.BANNED, limit, rule)
    if limit is None:
        return Judgement(LabVerdict.NO_LIMIT, None, rule)
    verdict = LabVerdict.OVER_LIMIT if mg_per_kg > limit.mg_per_kg else LabVerdict.PASS
    return Judgement(verdict, limit, rule)
