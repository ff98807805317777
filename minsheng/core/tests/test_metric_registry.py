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
