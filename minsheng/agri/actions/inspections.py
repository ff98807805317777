"""Monthly agri-input store inspections: a tri-state checklist, findings to a rectification case, re-checks (the
month's coverage and schedule are queries.py's)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.cases.attachments import validate_upload
from minsheng.core import clock
from minsheng.core.calendar import add_working_days
from minsheng.core.context import site_language

from .. import reference
from ..choices import CHECKLIST_CODES, STORE_CHECKLIST, CheckResult
from ..models import AgriInputStore, InspectionItem, InspectionPhoto, StoreInspection
from .samples import require_recorder


@transaction.atomic
def record_inspection(
    *,
    actor,
    store: AgriInputStore,
    answers: dict,
    notes: dict | None = None,
    recheck_of=None,
    note: str = "",
    photos=(),
) -> StoreInspection:
    """`answers` maps every checklist code to 符合/不符合/不适用; a 不符合 needs a note and opens a case.

    `photos` is [(code, uploaded file), …] — code "" for a photo of the visit as a whole. Each is checked by its
    first bytes; one bad photo refuses the whole inspection, so nothing is half-written."""
    require_recorder(actor, store.village)
    notes = notes or {}
    errors = {}
    checked_photos = []
    for code, upload in photos:
        if code and code not in CHECKLIST_CODES:
            errors["photos"] = _("照片对应的检查项不存在")
            break
        try:
            mime = validate_upload(upload)
        except ValidationError as exc:
            errors["photos"] = exc.messages
            break
        if not mime.startswith("image/"):
            errors["photos"] = _("“%(name)s”不是照片，请上传 JPG、PNG 等图片") % {"name": upload.name}
            break
        checked_photos.append((code, upload, mime))
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
    for code, upload, mime in checked_photos:
        photo = InspectionPhoto(
            inspection=inspection, code=code, name=upload.name[:200], content_type=mime, size=upload.size
        )
        photo.file.save(upload.name, upload, save=False)
        photo.save()
    findings = [code for code in CHECKLIST_CODES if answers[code] == CheckResult.NO]
    if findings:
        inspection.rectify_by = add_working_days(now, rectify_days())
        _open_case(inspection, findings, notes)
    return inspection


def rectify_days() -> int:
    """Working days a store gets to put a finding right before the re-check (AGRI_STORE_RECTIFY_DAYS)."""
    return int(getattr(settings, "AGRI_STORE_RECTIFY_DAYS", 10))


@site_language()
def _open_case(inspection: StoreInspection, findings: list[str], notes: dict) -> None:
    from minsheng.cases import actions as case_actions
    from minsheng.cases.models import Category

    questions = dict(STORE_CHECKLIST)
    problems = "；".join(f"{questions[code]}：{notes[code]}" for code in findings)
    store = inspection.store
    due = timezone.localtime(inspection.rectify_by)
    inspection.case = case_actions.do_register(
        actor=None,
        kind="rectification",
        channel="system",
        category=Category.objects.get(code=reference.STORE_CATEGORY),
        title=_("农资门店整改：%(store)s") % {"store": store.name},
        description=_("%(store)s检查发现问题：%(problems)s。已告知门店于%(due)s前整改，到期复查。")
        % {"store": store.name, "problems": problems, "due": f"{due:%Y-%m-%d}"},
        node=store.village,
        source=inspection,
    )
    inspection.save(update_fields=["case", "rectify_by", "updated_at"])
