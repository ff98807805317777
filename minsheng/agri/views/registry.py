"""The registries and what hangs off them: producers (the producer page), agri-input stores with their monthly
inspections (the schedule and the phone checklist), lab result entry and the follow-up sampling tasks.

Rows are read through `visible_to(user, "agri.view")`; every change goes through agri.actions / agri.inspections,
which check `agri.record` at the row's village (a 村级监管员 records only in his own villages)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from minsheng.core import clock
from minsheng.core.masking import mask_phone
from minsheng.core.scoping import get_visible_or_404

from .. import actions, queries
from ..choices import STORE_CHECKLIST, CertificateStatus, CheckResult, SampleStatus
from ..forms.common import add_action_errors
from ..forms.registry import (
    InspectionForm,
    LabResultFormSet,
    ProducerFilterForm,
    ProducerForm,
    StoreFilterForm,
    StoreForm,
)
from ..models import (
    AgriInputStore,
    Certificate,
    InspectionPhoto,
    Producer,
    ResponsibilityLetter,
    Sample,
    StoreInspection,
)
from .field import VIEW, agri_required, recording_villages
from .staff import page_of, visible_samples, visible_villages

# -- producers -------------------------------------------------------------------------------------------------


def producer_search(qs, q: str):
    q = (q or "").strip()
    if not q:
        return qs
    return qs.filter(
        Q(name__contains=q)
        | Q(search_key__contains=q.lower())
        | Q(credit_code__iexact=q)
        | Q(subject_code__iexact=q)
    )


@agri_required
def producer_list(request):
    form = ProducerFilterForm(request.GET or None, villages=visible_villages(request.user))
    qs = (
        Producer.objects.visible_to(request.user, VIEW)
        .select_related("village")
        .prefetch_related("crops")
        .annotate(
            sample_count=Count("samples", distinct=True),
            failed_count=Count("samples", filter=Q(samples__status=SampleStatus.FAILED), distinct=True),
        )
        .order_by("name", "pk")
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        qs = producer_search(qs, data["q"])
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["village"]:
            qs = qs.filter(village=data["village"])
    return render(
        request,
        "agri/producer_list.html",
        {
            "form": form,
            "page_obj": page_of(request, qs),
            "can_record": recording_villages(request.user).exists(),
        },
    )


@agri_required
def producer_detail(request, pk: int):
    """The producer page: the registry row, then everything the supervision knows of it — samples with their
    verdicts, the failed ones with their rectification case and follow-up, and the certificates it issued."""
    producer = get_visible_or_404(
        Producer.objects.select_related("village").prefetch_related("crops"), request.user, VIEW, pk=pk
    )
    samples = list(
        visible_samples(request.user)
        .filter(producer=producer)
        .select_related("case", "follow_up_of")
        .prefetch_related(
            Prefetch("follow_ups", queryset=Sample.objects.order_by("sampled_at")),
            "lab_results__pesticide",
        )
    )
    failed = [s for s in samples if s.status == SampleStatus.FAILED]
    for s in failed:
        s.follow_up = next((f for f in s.follow_ups.all() if f.status not in ("cancelled", "invalid")), None)
    certificates = Certificate.objects.visible_to(request.user, VIEW).filter(producer=producer)
    counted = [s for s in samples if s.status in (SampleStatus.PASSED, SampleStatus.FAILED)]
    return render(
        request,
        "agri/producer_detail.html",
        {
            "producer": producer,
            "phone": mask_phone(producer.phone),
            "samples": samples,
            "failed": failed,
            "passed_count": sum(1 for s in counted if s.status == SampleStatus.PASSED),
            "counted_count": len(counted),
            "certificates": certificates[:50],
            "certificate_count": certificates.count(),
            "valid_certificates": certificates.filter(status=CertificateStatus.VALID).count(),
            "can_edit": actions.can_record(request.user, producer.village),
            "letter": ResponsibilityLetter.objects.visible_to(request.user, VIEW)
            .filter(producer=producer, year=timezone.localdate(clock.now()).year)
            .first(),
            "year": timezone.localdate(clock.now()).year,
        },
    )


def _producer_values(data):
    return {
        "name": data["name"],
        "kind": data["kind"],
        "village": data["village"],
        "credit_code": data["credit_code"],
        "subject_code": data["subject_code"],
        "area_mu": data["area_mu"],
        "contact_name": data["contact_name"],
        "phone": data["phone"],
    }


@require_http_methods(["GET", "POST"])
@agri_required
def producer_edit(request, pk: int | None = None):
    villages = recording_villages(request.user)
    producer = None
    initial = {}
    if pk is not None:
        producer = get_visible_or_404(Producer, request.user, VIEW, pk=pk)
        if not actions.can_record(request.user, producer.village):
            raise PermissionDenied(_("您不负责该村，不能在此登记"))
        initial = {
            **{f: getattr(producer, f) for f in actions.PRODUCER_FIELDS},
            "crops": producer.crops.all(),
        }
    elif not villages.exists():
        raise PermissionDenied(_("您没有负责的村，不能登记生产经营主体"))
    form = ProducerForm(request.POST or None, initial=initial, villages=villages)
    if request.method == "POST" and form.is_valid():
        values = _producer_values(form.cleaned_data)
        try:
            if producer is None:
                producer = actions.create_producer(
                    actor=request.user, crops=form.cleaned_data["crops"], **values
                )
            else:
                actions.update_producer(
                    actor=request.user, producer=producer, crops=form.cleaned_data["crops"], **values
                )
        except ValidationError as exc:
            add_action_errors(form, exc)
            if pk is None:
                producer = None
        else:
            messages.success(request, _("已保存：%(name)s") % {"name": producer.name})
            return redirect("agri:producer_detail", pk=producer.pk)
    return render(request, "agri/registry_form.html", {"form": form, "object": producer, "kind": "producer"})


# -- stores ----------------------------------------------------------------------------------------------------


def _current_month() -> dt.date:
    return timezone.localdate(clock.now()).replace(day=1)


@agri_required
def store_list(request):
    form = StoreFilterForm(request.GET or None, villages=visible_villages(request.user))
    month = _current_month()
    qs = (
        AgriInputStore.objects.visible_to(request.user, VIEW)
        .select_related("village")
        .annotate(inspected_this_month=Count("inspections", filter=Q(inspections__month=month)))
        .order_by("village__path", "name", "pk")
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            q = data["q"].strip()
            qs = qs.filter(Q(name__contains=q) | Q(licence_no__icontains=q))
        if data["village"]:
            qs = qs.filter(village=data["village"])
        if data["designated"]:
            qs = qs.filter(designated_outlet=data["designated"] == "1")
    return render(
        request,
        "agri/store_list.html",
        {
            "form": form,
            "page_obj": page_of(request, qs),
            "can_record": recording_villages(request.user).exists(),
        },
    )


@agri_required
def store_detail(request, pk: int):
    store = get_visible_or_404(AgriInputStore.objects.select_related("village"), request.user, VIEW, pk=pk)
    history = (
        StoreInspection.objects.visible_to(request.user, VIEW)
        .filter(store=store)
        .select_related("inspector", "case", "recheck_of")
        .prefetch_related("items")
    )
    return render(
        request,
        "agri/store_detail.html",
        {
            "store": store,
            "history": history,
            "can_record": actions.can_record(request.user, store.village),
            "inspected_this_month": history.filter(month=_current_month()).exists(),
            "supervisors": queries.village_supervisors([store.village_id]).get(store.village_id, []),
        },
    )


@require_http_methods(["GET", "POST"])
@agri_required
def store_edit(request, pk: int | None = None):
    villages = recording_villages(request.user)
    store = None
    initial = {}
    if pk is not None:
        store = get_visible_or_404(AgriInputStore, request.user, VIEW, pk=pk)
        if not actions.can_record(request.user, store.village):
            raise PermissionDenied(_("您不负责该村，不能在此登记"))
        initial = {f: getattr(store, f) for f in actions.STORE_FIELDS}
    elif not villages.exists():
        raise PermissionDenied(_("您没有负责的村，不能登记农资门店"))
    form = StoreForm(request.POST or None, initial=initial, villages=villages)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            if store is None:
                store = actions.create_store(actor=request.user, **values)
            else:
                actions.update_store(actor=request.user, store=store, **values)
        except ValidationError as exc:
            add_action_errors(form, exc)
            if pk is None:
                store = None
        else:
            messages.success(request, _("已保存：%(name)s") % {"name": store.name})
            return redirect("agri:store_detail", pk=store.pk)
    return render(request, "agri/registry_form.html", {"form": form, "object": store, "kind": "store"})


# -- store inspections -----------------------------------------------------------------------------------------


def _month_param(value: str | None) -> dt.date:
    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return _current_month()


@agri_required
def inspection_schedule(request):
    """This month's due list: every store once a month, its 村级监管员, done or not, and the coverage."""
    month = _month_param(request.GET.get("month"))
    rows = queries.schedule(
        month.year, month.month, stores=AgriInputStore.objects.visible_to(request.user, VIEW)
    )
    only_mine = request.GET.get("mine") == "1"
    if only_mine:
        rows = [r for r in rows if request.user in r.supervisors]
    done = sum(1 for r in rows if r.done)
    # What still needs a visit comes first: open findings (a re-check is due), then the stores not yet inspected.
    rows = sorted(rows, key=lambda r: (not r.open_findings, r.done))
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    visible_stores = AgriInputStore.objects.visible_to(request.user, VIEW)
    trend, cursor = [], month
    for _i in range(6):
        inspected, total = queries.coverage(cursor.year, cursor.month, stores=visible_stores)
        trend.append(
            {
                "month": cursor,
                "text": f"{inspected * 100 / total:.0f}%" if total else "—",
                "full": inspected == total,
            }
        )
        cursor = (cursor - dt.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "agri/inspection_schedule.html",
        {
            "month": month,
            "rows": rows,
            "done": done,
            "total": len(rows),
            "coverage_text": f"{done * 100 / len(rows):.1f}%" if rows else "—",
            "previous": previous,
            "following": following if following <= _current_month() else None,
            "is_current": month == _current_month(),
            "can_inspect": recording_villages(request.user).exists(),
            "only_mine": only_mine,
            "trend": list(reversed(trend)),
        },
    )


@require_http_methods(["GET", "POST"])
@agri_required
def inspection_new(request, store_pk: int):
    """The phone checklist. `?recheck=<inspection>` makes it the re-check of an inspection with findings."""
    store = get_visible_or_404(
        AgriInputStore.objects.select_related("village"), request.user, VIEW, pk=store_pk
    )
    if not actions.can_record(request.user, store.village):
        raise PermissionDenied(_("您不负责该村，不能在此登记"))
    recheck_of = None
    recheck_pk = request.POST.get("recheck_of") or request.GET.get("recheck")
    if recheck_pk:
        recheck_of = get_visible_or_404(
            StoreInspection.objects.filter(store=store).prefetch_related("items"),
            request.user,
            VIEW,
            pk=recheck_pk,
        )
    form = InspectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = actions.record_inspection(
                actor=request.user,
                store=store,
                answers=form.answers(),
                notes=form.notes(),
                recheck_of=recheck_of,
                note=form.cleaned_data["note"],
                photos=form.uploaded(request.FILES),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if inspection.case_id:
                messages.warning(request, _("发现问题，已生成整改案件，请按时限复查。"))
            else:
                messages.success(request, _("检查已记录：全部符合。"))
            return redirect("agri:inspection_detail", pk=inspection.pk)
    previous_findings = {i.code: i for i in recheck_of.findings} if recheck_of else {}
    return render(
        request,
        "agri/inspection_form.html",
        {"form": form, "store": store, "recheck_of": recheck_of, "previous_findings": previous_findings},
    )


@agri_required
def inspection_list(request):
    qs = (
        StoreInspection.objects.visible_to(request.user, VIEW)
        .select_related("store__village", "inspector", "case")
        .annotate(finding_count=Count("items", filter=Q(items__result=CheckResult.NO)))
        .order_by("-inspected_at", "-pk")
    )
    if request.GET.get("findings") == "1":
        qs = qs.filter(case__isnull=False)
    return render(
        request,
        "agri/inspection_list.html",
        {"page_obj": page_of(request, qs), "findings_only": request.GET.get("findings") == "1"},
    )


@agri_required
def inspection_detail(request, pk: int):
    inspection = get_visible_or_404(
        StoreInspection.objects.select_related("store__village", "inspector", "case", "recheck_of"),
        request.user,
        VIEW,
        pk=pk,
    )
    questions = dict(STORE_CHECKLIST)
    photos = list(inspection.photos.all())
    items = [
        {
            "item": item,
            "question": questions.get(item.code, item.code),
            "photos": [p for p in photos if p.code == item.code],
        }
        for item in inspection.items.all()
    ]
    return render(
        request,
        "agri/inspection_detail.html",
        {
            "inspection": inspection,
            "items": items,
            "general_photos": [p for p in photos if not p.code],
            "rechecks": inspection.rechecks.select_related("inspector").order_by("inspected_at"),
            "can_recheck": bool(inspection.case_id)
            and actions.can_record(request.user, inspection.store.village),
        },
    )


# -- lab results -----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@agri_required
def lab_entry(request, pk: int):
    """定量确证 for a confirmed rapid-test positive: a row per pesticide the lab looked for (0 = not detected).
    The action judges each against the limit in force on the sample date, or the ban on that crop then."""
    sample = get_visible_or_404(visible_samples(request.user), request.user, VIEW, pk=pk)
    if not actions.can_record(request.user, sample.village):
        raise PermissionDenied(_("您不负责该村，不能在此登记"))
    formset = LabResultFormSet(request.POST or None, prefix="lab")
    error = None
    if sample.status != SampleStatus.CONFIRMING:
        error = _("只有速测阳性（复测确认）的样品可以录入定量结果")
    elif request.method == "POST" and formset.is_valid():
        rows = [
            (f.cleaned_data["pesticide"], f.cleaned_data["mg_per_kg"])
            for f in formset
            if f.cleaned_data.get("pesticide")
        ]
        try:
            actions.record_lab_results(actor=request.user, sample=sample, results=rows)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            sample.refresh_from_db()
            if sample.status == SampleStatus.FAILED:
                messages.warning(request, _("判定不合格，已生成整改案件；请安排跟踪复抽。"))
            else:
                messages.success(request, _("判定合格。"))
            return redirect("agri:sample_detail", pk=sample.pk)
    first = sample.rapid_tests.select_related("pesticide").order_by("repeat_index").first()
    return render(
        request,
        "agri/lab_entry.html",
        {"sample": sample, "formset": formset, "error": error, "first_test": first},
    )


# -- follow-up sampling ----------------------------------------------------------------------------------------


@agri_required
def follow_ups(request):
    """The 跟踪复抽 tasks: failed samples whose producer has not been sampled again since."""
    pending = (
        actions.awaiting_follow_up(visible_samples(request.user))
        .select_related("case")
        .order_by("sampled_at")
    )
    recording = set(recording_villages(request.user).values_list("pk", flat=True))
    done = (
        visible_samples(request.user)
        .filter(follow_up_of__isnull=False)
        .select_related("follow_up_of__commodity")
        .order_by("-sampled_at")[:20]
    )
    return render(
        request,
        "agri/follow_ups.html",
        {"pending": pending, "recording": recording, "done": done},
    )


@require_GET
@agri_required
def inspection_photo(request, pk: int):
    """An inspection photo, to those who may see the inspection (media files are never served publicly)."""
    visible = StoreInspection.objects.visible_to(request.user, VIEW).values("pk")
    photo = InspectionPhoto.objects.filter(pk=pk, inspection__in=visible).first()
    if photo is None or not photo.file:
        raise Http404
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type=photo.content_type, filename=photo.name)
