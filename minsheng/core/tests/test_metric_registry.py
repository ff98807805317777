"""The metric registry refuses what would make two pages disagree: a code twice, a code outside its domain."""

import datetime as dt
from fractions import Fraction

import pytest

from minsheng.core import metrics


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(metrics, "_registry", {})


def _metric(code="demo.visitors", domain="demo", compute=lambda scope: 3, unit=metrics.Unit.PERSON_TIMES):
    return metrics.Metric(
        code=code, name="来访", definition="来访人次", unit=unit, domain=domain, compute=compute
    )


def test_registered_metric_computes_for_a_scope(clean_registry):
    m = metrics.register(_metric(compute=lambda scope: (scope.end - scope.start).days + 1))
    scope = metrics.Scope(viewer=None, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    assert metrics.value("demo.visitors", scope) == 31
    assert metrics.get("demo.visitors") is m
    assert metrics.all_metrics("demo") == [m]
    assert metrics.all_metrics("other") == []


def test_same_code_twice_with_another_definition_is_refused(clean_registry):
    metrics.register(_metric())
    with pytest.raises(metrics.MetricError):
        metrics.register(_metric(compute=lambda scope: 4))


def test_code_must_carry_its_domain(clean_registry):
    with pytest.raises(metrics.MetricError):
        metrics.register(_metric(code="visitors"))
    with pytest.raises(metrics.MetricError):
        metrics.register(_metric(code="cases.visitors"))
    with pytest.raises(metrics.MetricError):
        metrics.register(_metric(unit="furlongs"))


def test_unknown_code_and_inverted_period_are_errors(clean_registry):
    with pytest.raises(metrics.MetricError):
        metrics.get("demo.nothing")
    with pytest.raises(ValueError):
        metrics.Scope(viewer=None, start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1))


def test_rates_read_as_percentages():
    assert metrics.as_number(Fraction(963, 1000)) == 96.3
    assert metrics.as_number(None) is None
    assert metrics.as_number(7) == 7


def test_a_count_of_things_says_what_it_counts_not_cases():
    """件 is for cases and the matters handled like them; every other count has its own word."""
    from django.utils import translation

    units = {m.code: m.unit for m in metrics.all_metrics()}
    assert {code: units[code] for code in THINGS} == THINGS
    case_like = {code for code, unit in units.items() if unit == metrics.Unit.COUNT}
    assert {code.split(".")[0] for code in case_like} == {"cases", "mediation", "deliberation", "enterprise"}
    assert {code for code in case_like if code.startswith(("deliberation.", "enterprise."))} == {
        "deliberation.items_raised",
        "deliberation.items_cases",
        "deliberation.items_solved",
        "enterprise.problems_raised",
        "enterprise.problems_closed",
    }
    sensors = metrics.get("iot.sensors")
    with translation.override("zh-hans"):
        assert sensors.get_unit_display() == "个"
        assert metrics.get("cluster.growers").get_unit_display() == "户"
    with translation.override("en"):
        assert sensors.get_unit_display() == "items"
        assert (
            metrics.get("cluster.growers").get_unit_display() == "households"
        )  # not the registry's "Households"
        assert metrics.get("cases.reported").get_unit_display() == "cases"


#: The counts of things, each with its word (hand-listed).
THINGS = {
    "iot.sensors": metrics.Unit.ITEMS,
    "iot.alarms": metrics.Unit.TIMES,
    "iot.critical_alarms": metrics.Unit.TIMES,
    "activities.points_earned": metrics.Unit.POINTS,
    "activities.points_spent": metrics.Unit.POINTS,
    "agri.samples": metrics.Unit.BATCHES,
    "agri.failed_samples": metrics.Unit.BATCHES,
    "agri.letters": metrics.Unit.COPIES,
    "agri.publicity": metrics.Unit.COPIES,
    "cluster.growers": metrics.Unit.HOUSEHOLDS,
    "cluster.driven_growers": metrics.Unit.HOUSEHOLDS,
    "cluster.agreements": metrics.Unit.COPIES,
    "cluster.centres": metrics.Unit.ITEMS,
    "cluster.organisations": metrics.Unit.ITEMS,
    "cluster.techniques": metrics.Unit.ITEMS,
    "deliberation.linked_overdue": metrics.Unit.HOUSEHOLDS,
    "enterprise.leads": metrics.Unit.ITEMS,
    "enterprise.signed_projects": metrics.Unit.ITEMS,
    "enterprise.plans_reviewed": metrics.Unit.ITEMS,
    "enterprise.matchmaking_enterprises": metrics.Unit.ENTERPRISES,
}
