"""Monthly agri-input store inspections: a tri-state checklist, findings to a rectification case, re-checks, and
the month's coverage (stores inspected / stores)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core import clock

from . import reference
from .actions import require_recorder
from .choices import STORE_CHECKLIST, CheckResult
from .models import AgriInputStore, InspectionItem, StoreInspection

CHECKLIST_CODES = [code for code, _question in STORE_CHECKLIST]


@transaction.atomic
def record_inspection(
    *, actor, store: AgriInputStore, answers: dict, notes: dict | None = None, recheck_of=None, note: str = ""
) -> StoreInspection:
    """`answers` maps every checklist code to 符合/不符合/不适用; a 不符合 needs a note and opens a case."""
    require_recorder(actor, store.village)
    notes = notes or {}
    errors = {}
    missing = [code for code in CHECKLIST_CODES if code not in answers]
    if missing or set(answers) - set(CHECKLIST_CODES):
        errors["answers"] = _("请逐项填写检查结果")
    elif any(value not in CheckResult.values for value in answers.values()):
        errors["answers"] = _("检查结果只能是符合、不符合或不适用")
    else:
        unexplained = [
            code for code, value in answers.items() if value == CheckResult.NO and not notes.get(code)
        ]
        if unexplained:
            errors["notes"] = _("不符合的检查项须说明问题")
    if recheck_of is not None and recheck_of.store_id != store.pk:
        errors["recheck_of"] = _("复查须针对同一门店")
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    today = timezone.localdate(now)
    inspection = StoreInspection.objects.create(
        store=store,
        month=today.replace(day=1),
        inspector=actor,
        inspected_at=now,
        recheck_of=recheck_of,
        note=note.strip()[:500],
    )
    InspectionItem.objects.bulk_create(
        InspectionItem(
            inspection=inspection, code=code, result=answers[code], note=str(notes.get(code, ""))[:200]
        )
        for code in CHECKLIST_CODES
    )
    findings = [code for code in CHECKLIST_CODES if answers[code] == CheckResult.NO]
    if findings:
        _open_case(inspection, findings, notes)
    return inspection


def _open_case(inspection: StoreInspection, findings: list[str], notes: dict) -> None:
    from minsheng.cases import actions as case_actions
    from minsheng.cases.models import Category

    questions = dict(STORE_CHECKLIST)
    problems = "；".join(f"{questions[code]}：{notes[code]}" for code in findings)
    store = inspection.store
    inspection.case = case_actions.do_register(
        actor=None,
        kind="rectification",
        channel="system",
        category=Category.objects.get(code=reference.STORE_CATEGORY),
        title=_("农资门店整改：%(store)s") % {"store": store.name},
        description=_("%(store)s检查发现问题：%(problems)s。请限期整改并复查。")
        % {"store": store.name, "problems": problems},
        node=store.village,
        source=inspection,
    )
    inspection.save(update_fields=["case", "updated_at"])


def coverage(year: int, month: int, *, stores=None) -> tuple[int, int]:
    """(stores inspected in the month, stores) — re-checks count as inspections too."""
    stores = AgriInputStore.objects.all() if stores is None else stores
    first = dt.date(year, month, 1)
    inspected = stores.filter(inspections__month=first).distinct().count()
    return inspected, stores.count()
