"""The workbench pages of the supervision ledger: samples, certificates and the dashboard. Rows are read through
`visible_to`, so a village supervisor sees his villages and the 街道 sees them all; changes go through the actions."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.accounts.choices import Cap
from minsheng.cases.deadlines import overdue_q
from minsheng.cases.models import Case
from minsheng.core import clock, parsing
from minsheng.core.forms import apply_action_errors
from minsheng.core.masking import mask_phone
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from .. import actions, metrics, queries
from ..choices import LetterLevel, SampleLevel, SampleStatus
from ..forms.staff import CertificateFilterForm, CertificateForm, SampleFilterForm, VoidForm
from ..models import AgriInputStore, Certificate, Producer, Sample, StoreInspection, WasteRecovery
from .field import agri_required, recording_villages


def visible_villages(user):
    return Node.objects.visible_to(user, Cap.AGRI_VIEW).filter(kind=NodeKind.VILLAGE).order_by("path")


def visible_samples(user):
    return Sample.objects.visible_to(user, Cap.AGRI_VIEW).select_related(
        "commodity", "village", "producer", "sampler"
    )


# -- samples ---------------------------------------------------------------------------------------------------


@agri_required
def samples(request):
    form = SampleFilterForm(
        request.GET or None,
        villages=visible_villages(request.user),
        tasks=queries.visible_tasks(request.user).order_by("-start", "name"),
    )
    qs = visible_samples(request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["level"]:
            qs = qs.filter(level=data["level"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["village"]:
            qs = qs.filter(village=data["village"])
        if data["task"]:
            qs = qs.filter(task=data["task"])
        tz = timezone.get_current_timezone()
        if data["start"]:
            qs = qs.filter(sampled_at__gte=dt.datetime.combine(data["start"], dt.time.min, tzinfo=tz))
        if data["end"]:
            end = data["end"] + dt.timedelta(days=1)
            qs = qs.filter(sampled_at__lt=dt.datetime.combine(end, dt.time.min, tzinfo=tz))
    return render(
        request,
        "agri/sample_list.html",
        {
            "form": form,
            "page_obj": paginate(request, qs),
            "can_record": recording_villages(request.user).exists(),
        },
    )


@agri_required
def sample_detail(request, pk: int):
    sample = get_visible_or_404(
        visible_samples(request.user).select_related("follow_up_of", "task"),
        request.user,
        Cap.AGRI_VIEW,
        pk=pk,
    )
    lab_results = sample.lab_results.select_related(
        "pesticide", "limit__standard", "limit__commodity", "rule"
    )
    return render(
        request,
        "agri/sample_detail.html",
        {
            "sample": sample,
            "tests": sample.rapid_tests.select_related("tester", "pesticide").order_by("repeat_index"),
            "lab_results": lab_results,
            "follow_ups": visible_samples(request.user).filter(follow_up_of=sample).order_by("sampled_at"),
            "can_record": actions.can_record(request.user, sample.village),
        },
    )


# -- certificates ----------------------------------------------------------------------------------------------


@agri_required
def certificate_list(request):
    qs = Certificate.objects.visible_to(request.user, Cap.AGRI_VIEW).select_related("producer", "commodity")
    form = CertificateFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        q, state = form.cleaned_data["q"].strip(), form.cleaned_data["status"]
        if q:
            qs = qs.filter(
                Q(number__icontains=q) | Q(producer__name__icontains=q) | Q(product_name__icontains=q)
            )
        if state:
            qs = qs.filter(status=state)
    page = paginate(request, qs)
    for certificate in page:
        certificate.masked_phone = mask_phone(certificate.contact_phone)
    return render(
        request,
        "agri/certificate_list.html",
        {
            "form": form,
            "page_obj": page,
            "void_form": VoidForm(),
            "can_issue": recording_villages(request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
@agri_required
def certificate_issue(request):
    villages = recording_villages(request.user)
    if not villages.exists():
        raise PermissionDenied(_("您没有负责的村，不能开具合格证"))
    producers = (
        Producer.objects.visible_to(request.user, Cap.AGRI_VIEW).filter(village__in=villages).order_by("name")
    )
    # `?producer=<pk>` (the producer page's 开具合格证): that producer, its village as the origin.
    chosen = (
        producers.filter(pk=request.GET.get("producer", "")).first()
        if parsing.is_id(request.GET.get("producer", ""))
        else None
    )
    initial = (
        {"producer": chosen.pk, "origin": chosen.village.full_name or chosen.village.name} if chosen else {}
    )
    form = CertificateForm(request.POST or None, producers=producers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        count = data.pop("count")
        try:
            issued = actions.issue_batch(actor=request.user, count=count, **data)
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("已开具 %(count)d 张合格证：%(first)s 起")
                % {"count": len(issued), "first": issued[0].number},
            )
            return redirect("agri:certificates")
    return render(request, "agri/certificate_form.html", {"form": form})


@require_POST
@agri_required
def certificate_void(request, pk: int):
    certificate = get_visible_or_404(Certificate, request.user, Cap.AGRI_VIEW, pk=pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写作废原因"))
        return redirect("agri:certificates")
    try:
        actions.void_certificate(
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("合格证 %(number)s 已作废") % {"number": certificate.number})
    return redirect("agri:certificates")


# -- dashboard -------------------------------------------------------------------------------------------------


def _percent(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def weekly_series(samples_qs, today: dt.date, weeks: int = 8) -> list[dict]:
    rows = []
    for back in range(weeks - 1, -1, -1):
        year, week, _day = (today - dt.timedelta(weeks=back)).isocalendar()
        quota = metrics.weekly_quota(year, week, samples=samples_qs)
        rows.append({"label": f"{year % 100:02d}W{week:02d}", "count": quota.count, "minimum": quota.minimum})
    return rows


@agri_required
def dashboard(request):
    user = request.user
    now = clock.now()
    today = timezone.localdate(now)
    scoped = Sample.objects.visible_to(user, Cap.AGRI_VIEW)
    year, week, _day = today.isocalendar()
    quota = metrics.weekly_quota(year, week, samples=scoped)
    inspected, stores = queries.coverage(
        today.year, today.month, stores=AgriInputStore.objects.visible_to(user, Cap.AGRI_VIEW)
    )
    overdue = (
        Case.objects.visible_to(user, Cap.CASES_VIEW)
        .filter(overdue_q(now), kind__code="rectification")
        .order_by(Coalesce("finish_due", "accept_due"), "pk")
    )
    year_start = today.replace(month=1, day=1)
    # The weekly minimum is the street's: someone who sees only some villages sees their share of it.
    street_wide = any(user.has_cap(Cap.AGRI_VIEW, node) for node in Node.objects.filter(kind=NodeKind.STREET))
    overall = metrics.pass_rate(scoped, start=year_start, end=today)
    by_level = [
        {"label": label, "rate": metrics.pass_rate(scoped, level=value, start=year_start, end=today)}
        for value, label in SampleLevel.choices
    ]
    letters = [
        {"label": LetterLevel(level).label, "cov": cov, "text": _percent(cov.rate)}
        for level, cov in metrics.letter_coverage(today.year, user=user).items()
    ]
    waste = metrics.waste_totals(
        WasteRecovery.objects.visible_to(user, Cap.AGRI_VIEW), start=year_start, end=today
    )
    chart = {
        "street_wide": street_wide,
        "weeks": weekly_series(scoped, today),
        "levels": [
            {"label": str(row["label"]), "passed": row["rate"].passed, "failed": row["rate"].failed}
            for row in by_level
        ],
        "i18n": {"count": _("抽检批次"), "minimum": _("周任务"), "passed": _("合格"), "failed": _("不合格")},
    }
    return render(
        request,
        "agri/dashboard.html",
        {
            "pass_rate": overall,
            "pass_rate_text": _percent(overall.rate),
            "by_level": [{**row, "text": _percent(row["rate"].rate)} for row in by_level],
            "quota": quota,
            "street_wide": street_wide,
            "quota_percent": min(100, round(quota.count * 100 / quota.minimum)) if quota.minimum else 100,
            "inspected": inspected,
            "stores": stores,
            "coverage_text": _percent(inspected * 100 / stores if stores else None),
            "overdue_count": overdue.count(),
            "follow_up_count": actions.awaiting_follow_up(scoped).count(),
            "confirming_count": scoped.filter(status=SampleStatus.CONFIRMING).count(),
            "recheck_overdue_count": StoreInspection.objects.visible_to(user, Cap.AGRI_VIEW)
            .filter(case__isnull=False, rectify_by__lt=now, rechecks__isnull=True)
            .count(),
            "overdue": overdue[:10],
            "certificate_share": _percent(
                metrics.certificate_share(scoped.filter(sampled_at__date__gte=year_start))
            ),
            "year": today.year,
            "year_start": year_start,
            "today": today,
            "letters": letters,
            "waste_kg": waste.total_kg,
            "waste_tonnes": waste.total_kg / 1000,
            "chart": chart,
        },
    )
