"""agri's and iot's registered figures on small fixed data, against values counted by hand."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from minsheng.agri import actions
from minsheng.agri.tests.conftest import aw  # noqa: F401 - villages with a supervisor
from minsheng.agri.tests.test_sampling import MAY_2026, enzyme, sample_of
from minsheng.core import clock, metrics
from minsheng.core.metrics import Scope

MAY = (dt.date(2026, 5, 1), dt.date(2026, 5, 31))


@pytest.fixture
def may(aw):  # noqa: F811
    with clock.at(MAY_2026 + dt.timedelta(days=3)):
        enzyme(aw, sample_of(aw), "0.300", "0.250")  # passed
        enzyme(aw, sample_of(aw), "0.300", "0.260")  # passed
        enzyme(aw, sample_of(aw, "韭菜"), "0.303", "0.131")  # positive: repeating, not concluded
        sample_of(aw, sampled_at=MAY_2026 - dt.timedelta(days=30))  # April: outside the period
        actions.record_publicity(
            actor=aw.w.admin,
            given_on=dt.date(2026, 5, 10),
            village=aw.village_1,
            material="明白纸",
            quantity=120,
        )
        actions.record_publicity(
            actor=aw.w.admin,
            given_on=dt.date(2026, 5, 11),
            village=aw.village_2,
            material="挂图",
            quantity=30,
        )
        actions.record_waste(
            actor=aw.w.admin, recovered_on=dt.date(2026, 5, 12), kg="12.5", village=aw.village_1
        )
        actions.record_waste(
            actor=aw.w.admin, recovered_on=dt.date(2026, 4, 12), kg="3", village=aw.village_1
        )
    return aw


@pytest.mark.django_db
def test_agri_figures_by_hand(may):
    scope = Scope(may.w.admin, *MAY)
    with clock.at(MAY_2026 + dt.timedelta(days=3)):
        assert metrics.value("agri.samples", scope) == 3  # the April one left out
        assert metrics.value("agri.pass_rate", scope) == Fraction(2, 2)  # the repeating one not concluded
        assert metrics.value("agri.failed_samples", scope) == 0
        assert metrics.value("agri.publicity", scope) == 150
        assert metrics.value("agri.waste_kg", scope) == Decimal("12.5")
        village_2 = Scope(may.w.admin, *MAY, node=may.village_2)
        assert metrics.value("agri.publicity", village_2) == 30
        assert metrics.value("agri.samples", village_2) == 0
        assert metrics.get("agri.pass_rate").rows(scope).count() == 2


@pytest.mark.django_db
def test_agri_figures_keep_to_the_viewer(may):
    with clock.at(MAY_2026 + dt.timedelta(days=3)):
        assert metrics.value("agri.samples", Scope(may.w.resident, *MAY)) == 0


# -- iot -------------------------------------------------------------------------------------------------------

from minsheng.iot import actions as iot_actions  # noqa: E402
from minsheng.iot.choices import AlarmType, Severity  # noqa: E402
from minsheng.iot.tests.conftest import farm  # noqa: E402, F401

T = dt.datetime(2026, 4, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai
APRIL = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))


@pytest.mark.django_db
def test_iot_figures_by_hand(farm):  # noqa: F811
    with clock.at(T):
        critical = iot_actions.raise_alarm(
            farm.temp, AlarmType.THRESHOLD, Severity.CRITICAL, at=T, details={}
        )
        iot_actions.raise_alarm(farm.humidity, AlarmType.THRESHOLD, Severity.MAJOR, at=T, details={})
    with clock.at(T + dt.timedelta(hours=1)):
        iot_actions.acknowledge(critical, actor=farm.w.admin)  # within 2 h
    scope = Scope(farm.w.admin, *APRIL)
    with clock.at(T + dt.timedelta(hours=3)):
        assert metrics.value("iot.sensors", scope) == 2
        assert metrics.value("iot.alarms", scope) == 2
        assert metrics.value("iot.critical_alarms", scope) == 1
        # the humidity alarm is 3 h old and unacknowledged: late
        assert metrics.value("iot.ack_rate", scope) == Fraction(1, 2)
        assert (
            metrics.value("iot.alarms", Scope(farm.w.admin, dt.date(2026, 3, 1), dt.date(2026, 3, 31))) == 0
        )


@pytest.mark.django_db
def test_stores_not_inspected_in_a_finished_month_are_a_missed_duty(aw):  # noqa: F811
    from minsheng.agri.tests.test_inspections import ALL_YES, MAY, inspect
    from minsheng.core import duties

    with clock.at(MAY):
        first, second = (
            actions.create_store(actor=aw.supervisor, name=f"农资店{i}", village=aw.village_1) for i in (1, 2)
        )
    inspect(aw, first, ALL_YES)
    uninspected = next(d for d in duties.all_duties() if d.code == "agri.stores_uninspected")
    with clock.at(MAY):  # May not over yet: nothing missed
        assert uninspected.misses(Scope(aw.w.admin, dt.date(2026, 5, 1), dt.date(2026, 5, 31))) == []
    with clock.at(MAY + dt.timedelta(days=20)):  # 9 June: May is over, the second store was never inspected
        misses = uninspected.misses(Scope(aw.w.admin, dt.date(2026, 5, 1), dt.date(2026, 5, 31)))
        assert [(m.holder_label, m.count) for m in misses] == [("东关村", 1)]
        assert (
            metrics.value(
                "agri.stores_inspected", Scope(aw.w.admin, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
            )
            == 1
        )
    del second
