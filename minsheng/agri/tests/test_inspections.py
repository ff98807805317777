import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from minsheng.agri import actions, queries
from minsheng.agri.choices import CHECKLIST_CODES, CheckResult
from minsheng.cases.models import Case
from minsheng.core import clock

MAY = dt.datetime(2026, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ALL_YES = dict.fromkeys(CHECKLIST_CODES, CheckResult.YES)


@pytest.fixture
def stores(aw):
    return [
        actions.create_store(
            actor=aw.supervisor, name=f"东关农资{i}号店", village=aw.village_1, licence_no=f"L{i}"
        )
        for i in (1, 2, 3)
    ]


def inspect(aw, store, answers, **kw):
    with clock.at(kw.pop("at", MAY)):
        return actions.record_inspection(actor=aw.supervisor, store=store, answers=answers, **kw)


def test_a_clean_inspection_opens_nothing(aw, stores):
    answers = {**ALL_YES, "restricted_outlet": CheckResult.NA}
    inspection = inspect(aw, stores[0], answers)
    assert inspection.month == dt.date(2026, 5, 1)
    assert inspection.items.count() == len(CHECKLIST_CODES)
    assert inspection.findings == [] and inspection.case is None


def test_a_finding_needs_a_note_and_opens_a_rectification_case_then_a_recheck(aw, stores):
    answers = {**ALL_YES, "ledger": CheckResult.NO}
    with pytest.raises(ValidationError) as err:
        inspect(aw, stores[0], answers)
    assert "notes" in err.value.message_dict
    inspection = inspect(aw, stores[0], answers, notes={"ledger": "4月以来未记录销售台账"})
    case = Case.objects.get(pk=inspection.case_id)
    assert (case.kind.code, case.category.code, case.node, case.source) == (
        "rectification",
        "2002",
        aw.village_1,
        inspection,
    )
    assert "4月以来未记录销售台账" in case.description
    recheck = inspect(aw, stores[0], ALL_YES, recheck_of=inspection, at=MAY + dt.timedelta(days=10))
    assert list(inspection.rechecks.all()) == [recheck] and recheck.case is None
    with pytest.raises(ValidationError):
        inspect(aw, stores[1], ALL_YES, recheck_of=inspection)


def test_every_item_must_be_answered_with_a_tri_state_value(aw, stores):
    partial = dict(ALL_YES)
    partial.pop("waste_recovery")
    for answers in (partial, {**ALL_YES, "ledger": "maybe"}, {**ALL_YES, "extra": CheckResult.YES}):
        with pytest.raises(ValidationError):
            inspect(aw, stores[0], answers)


def test_only_the_village_supervisor_inspects(aw, stores):
    with pytest.raises(PermissionDenied):
        actions.record_inspection(actor=aw.w.grid_a, store=stores[0], answers=ALL_YES)


def test_monthly_coverage(aw, stores):
    inspect(aw, stores[0], ALL_YES)
    inspect(aw, stores[0], ALL_YES)  # twice in a month counts once
    inspect(aw, stores[1], ALL_YES)
    inspect(aw, stores[2], ALL_YES, at=MAY + dt.timedelta(days=30))  # June
    assert queries.coverage(2026, 5) == (2, 3)
    assert queries.coverage(2026, 6) == (1, 3)
