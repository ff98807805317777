"""The agri office's ledgers in the workbench: responsibility letters with their coverage, publicity material,
packaging-waste recovery with totals, campaigns, sampling tasks with weekly compliance and the pre-holiday
suggestions, holiday duty rosters, pass rates by level/commodity/campaign, and the xlsx import/export of the agri
tables. Rows are read through `visible_to`; every change goes through agri.actions.ledgers (or the resources' actions)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minsheng.accounts.choices import Role
from minsheng.accounts.roles import STAFF_ROLES
from minsheng.core import clock
from minsheng.core.calendar import holiday_periods, is_covered
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.spreadsheet import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    export_workbook,
    template_workbook,
)
from minsheng.core.views import staff_required
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node
from minsheng.org.views.io import _xlsx_response, render_import

from .. import actions, metrics, queries
from ..choices import LetterLevel
from ..forms.common import add_action_errors
from ..forms.ledgers import (
    CampaignForm,
    DutyForm,
    LetterFilterForm,
    LetterForm,
    PeriodForm,
    ProductForm,
    PublicityForm,
    TaskForm,
    WasteFilterForm,
    WasteForm,
)
from ..models import (
    AgriInputStore,
    Campaign,
    CampaignProduct,
    DutyShift,
    Producer,
    PublicityRecord,
    ResponsibilityLetter,
    Sample,
    WasteRecovery,
)
from ..spreadsheets import AGRI_TABLES
from .staff import page_of

VILLAGE_KINDS = (NodeKind.VILLAGE, NodeKind.COMMUNITY)


def _today() -> dt.date:
    return timezone.localdate(clock.now())


def _require(user, capability: str) -> None:
    if not user.has_cap(capability):
        raise PermissionDenied(_("没有权限执行此操作"))


def recording_villages(user):
    return Node.objects.visible_to(user, "agri.record").filter(kind__in=VILLAGE_KINDS).order_by("path")


def managed_nodes(user):
    return (
        Node.objects.visible_to(user, "agri.manage")
        .filter(kind__in=(NodeKind.STREET, *VILLAGE_KINDS))
        .order_by("path")
    )


def _percent(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _form_page(request, form, title: str, back: str, *, multipart: bool = False, status: int = 200):
    return render(
        request,
        "agri/ledgers/form.html",
        {"form": form, "title": title, "back": back, "multipart": multipart},
        status=status,
    )


def _save(request, form, save, success: str, back: str, title: str, *, multipart=False):
    """Run `save(cleaned_data)` (an action) and redirect, or show the action's errors on the form with a 400."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(back)
    status = 400 if form.is_bound else 200
    return _form_page(request, form, title, back, multipart=multipart, status=status)


# -- responsibility letters -----------------------------------------------------------------------------------


def _letters_missing(user, year: int) -> dict[str, list[str]]:
    """Who has no letter of the year, per level, within the user's scope (the same populations as
    metrics.letter_coverage): the names the coverage cards list under 未签订."""
    villages = Node.objects.visible_to(user, "agri.view").filter(kind=NodeKind.VILLAGE)
    letters = ResponsibilityLetter.objects.visible_to(user, "agri.view").filter(year=year)
    supervisors = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Role.VILLAGE_SUPERVISOR,
            memberships__node__in=villages,
        )
        .exclude(memberships__valid_to__lt=_today())
        .exclude(pk__in=letters.filter(level=LetterLevel.SUPERVISOR).values("supervisor_id"))
        .distinct()
        .order_by("username")
    )
    return {
        LetterLevel.VILLAGE: [
            v.name
            for v in villages.exclude(
                pk__in=letters.filter(level=LetterLevel.VILLAGE).values("village_id")
            ).order_by("path")
        ],
        LetterLevel.SUPERVISOR: [u.display_name or u.username for u in supervisors],
        LetterLevel.PRODUCER: [
            p.name
            for p in Producer.objects.visible_to(user, "agri.view")
            .exclude(pk__in=letters.filter(level=LetterLevel.PRODUCER).values("producer_id"))
            .order_by("name")
        ],
    }


@staff_required
def letters(request):
    _require(request.user, "agri.view")
    form = LetterFilterForm(request.GET or None, initial={"year": _today().year})
    year = _today().year
    qs = ResponsibilityLetter.objects.visible_to(request.user, "agri.view").select_related(
        "village", "supervisor", "producer"
    )
    level = ""
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or year
        level = form.cleaned_data["level"]
    qs = qs.filter(year=year)
    if level:
        qs = qs.filter(level=level)
    coverage = metrics.letter_coverage(year, user=request.user)
    missing = _letters_missing(request.user, year)
    cards = [
        {"label": LetterLevel(lv).label, "cov": cov, "text": _percent(cov.rate), "missing": missing[lv]}
        for lv, cov in coverage.items()
    ]
    return render(
        request,
        "agri/ledgers/letters.html",
        {
            "form": form,
            "year": year,
            "cards": cards,
            "total": qs.count(),
            "page_obj": page_of(request, qs),
            "can_record": recording_villages(request.user).exists(),
        },
    )


def _letter_initial(request, producers) -> dict:
    """`?producer=<pk>` (the producer page's 登记责任书 link): a producer letter for that producer."""
    producer = (
        producers.filter(pk=request.GET.get("producer")).first()
        if request.GET.get("producer", "").isdigit()
        else None
    )
    return {"level": LetterLevel.PRODUCER, "producer": producer.pk} if producer else {}


@require_http_methods(["GET", "POST"])
@staff_required
def letter_new(request):
    user = request.user
    villages = recording_villages(user)
    if not villages.exists():
        raise PermissionDenied(_("您没有负责的村，不能登记责任书"))
    supervisors = (
        get_user_model()
        .objects.filter(
            memberships__role=Role.VILLAGE_SUPERVISOR, memberships__node__in=villages, is_active=True
        )
        .distinct()
        .order_by("username")
    )
    producers = Producer.objects.visible_to(user, "agri.view").filter(village__in=villages).order_by("name")
    form = LetterForm(
        request.POST or None,
        request.FILES or None,
        villages=villages,
        supervisors=supervisors,
        producers=producers,
        initial={"year": _today().year, "signed_on": _today(), **_letter_initial(request, producers)},
    )
    return _save(
        request,
        form,
        lambda data: actions.record_letter(actor=user, **data),
        _("责任书已登记"),
        "agri:letters",
        _("登记责任书"),
        multipart=True,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def letter_scan(request, pk: int):
    """GET: the scan, in scope only. POST: upload (or replace) the scan of a letter recorded without one."""
    if request.method == "POST":
        letter = get_visible_or_404(ResponsibilityLetter, request.user, "agri.record", pk=pk)
        try:
            actions.attach_scan(actor=request.user, letter=letter, scan=request.FILES.get("scan"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("扫描件已上传"))
        return redirect(f"{redirect('agri:letters').url}?year={letter.year}")
    letter = get_visible_or_404(ResponsibilityLetter, request.user, "agri.view", pk=pk)
    if not letter.scan:
        raise Http404
    return FileResponse(letter.scan.open("rb"), filename=letter.scan.name.rsplit("/", 1)[-1])


# -- publicity ---------------------------------------------------------------------------------------------------


@staff_required
def publicity(request):
    _require(request.user, "agri.view")
    form = PeriodForm(request.GET or None)
    qs = PublicityRecord.objects.visible_to(request.user, "agri.view").select_related("village")
    if form.is_bound and form.is_valid():
        if form.cleaned_data["start"]:
            qs = qs.filter(given_on__gte=form.cleaned_data["start"])
        if form.cleaned_data["end"]:
            qs = qs.filter(given_on__lte=form.cleaned_data["end"])
    return render(
        request,
        "agri/ledgers/publicity.html",
        {
            "form": form,
            "page_obj": page_of(request, qs),
            "total": qs.aggregate(n=Sum("quantity"))["n"] or 0,
            "can_record": recording_villages(request.user).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def publicity_new(request):
    villages = recording_villages(request.user)
    if not villages.exists():
        raise PermissionDenied(_("您没有负责的村，不能登记"))
    form = PublicityForm(request.POST or None, villages=villages, initial={"given_on": _today()})
    return _save(
        request,
        form,
        lambda data: actions.record_publicity(actor=request.user, **data),
        _("宣传资料发放已登记"),
        "agri:publicity",
        _("登记宣传资料发放"),
    )


# -- packaging waste ---------------------------------------------------------------------------------------------


@staff_required
def waste(request):
    _require(request.user, "agri.view")
    user = request.user
    villages = Node.objects.visible_to(user, "agri.view").filter(kind__in=VILLAGE_KINDS).order_by("path")
    form = WasteFilterForm(request.GET or None, villages=villages)
    qs = WasteRecovery.objects.visible_to(user, "agri.view").select_related("village", "store")
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if form.cleaned_data["village"]:
            qs = qs.filter(village=form.cleaned_data["village"])
    totals = metrics.waste_totals(qs, start=start, end=end)
    if start:
        qs = qs.filter(recovered_on__gte=start)
    if end:
        qs = qs.filter(recovered_on__lte=end)
    return render(
        request,
        "agri/ledgers/waste.html",
        {
            "form": form,
            "totals": totals,
            "tonnes": totals.total_kg / 1000 if totals.total_kg else 0,
            "page_obj": page_of(request, qs),
            "can_record": recording_villages(user).exists(),
            "can_export": True,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def waste_new(request):
    user = request.user
    villages = recording_villages(user)
    if not villages.exists():
        raise PermissionDenied(_("您没有负责的村，不能登记"))
    stores = (
        AgriInputStore.objects.visible_to(user, "agri.view").filter(village__in=villages).order_by("name")
    )
    form = WasteForm(
        request.POST or None, villages=villages, stores=stores, initial={"recovered_on": _today()}
    )
    return _save(
        request,
        form,
        lambda data: actions.record_waste(actor=user, **data),
        _("回收记录已登记"),
        "agri:waste",
        _("登记包装废弃物回收"),
    )


# -- campaigns ---------------------------------------------------------------------------------------------------


@staff_required
def campaigns(request):
    _require(request.user, "agri.view")
    rows = []
    scoped = Sample.objects.visible_to(request.user, "agri.view")
    for campaign in Campaign.objects.prefetch_related("products__commodity", "products__pesticides"):
        rate = metrics.pass_rate_by_campaign(campaign, scoped)
        rows.append({"campaign": campaign, "rate": rate, "text": _percent(rate.rate)})
    return render(
        request,
        "agri/ledgers/campaigns.html",
        {"rows": rows, "can_manage": request.user.has_cap("agri.manage")},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def campaign_new(request):
    _require(request.user, "agri.manage")
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.create_campaign(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("专项行动已创建，请添加重点品种"))
            return redirect("agri:campaign", pk=campaign.pk)
    return _form_page(
        request, form, _("新建专项行动"), "agri:campaigns", status=400 if form.is_bound else 200
    )


@require_http_methods(["GET", "POST"])
@staff_required
def campaign_detail(request, pk: int):
    _require(request.user, "agri.view")
    campaign = get_visible_or_404(Campaign, request.user, "agri.view", pk=pk)
    can_manage = request.user.has_cap("agri.manage")
    form = ProductForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _require(request.user, "agri.manage")
        if form.is_valid():
            actions.set_campaign_product(actor=request.user, campaign=campaign, **form.cleaned_data)
            messages.success(request, _("重点品种已保存"))
            return redirect("agri:campaign", pk=campaign.pk)
        status = 400
    scoped = Sample.objects.visible_to(request.user, "agri.view")
    rate = metrics.pass_rate_by_campaign(campaign, scoped)
    return render(
        request,
        "agri/ledgers/campaign_detail.html",
        {
            "campaign": campaign,
            "products": campaign.products.select_related("commodity").prefetch_related("pesticides"),
            "tasks": queries.visible_tasks(request.user).filter(campaign=campaign),
            "rate": rate,
            "rate_text": _percent(rate.rate),
            "form": form,
            "can_manage": can_manage,
        },
        status=status,
    )


@require_POST
@staff_required
def campaign_product_remove(request, pk: int):
    product = CampaignProduct.objects.filter(pk=pk).select_related("campaign").first()
    if product is None:
        raise Http404
    actions.remove_campaign_product(actor=request.user, product=product)
    messages.success(request, _("已移除重点品种"))
    return redirect("agri:campaign", pk=product.campaign_id)


# -- sampling tasks ----------------------------------------------------------------------------------------------


def _visible_tasks(user):
    return queries.visible_tasks(user).select_related("campaign", "node", "commodity")


@staff_required
def tasks(request):
    _require(request.user, "agri.view")
    today = _today()
    visible = _visible_tasks(request.user)
    scoped = Sample.objects.visible_to(request.user, "agri.view")
    rows = []
    for task in visible:
        counted = metrics.task_samples(task, scoped).count()
        weeks = metrics.task_compliance(task, samples=scoped, until=today)
        judged = [w for w in weeks if w.met is not None and w.end < today]
        rows.append(
            {
                "task": task,
                "counted": counted,
                "weeks_met": sum(1 for w in judged if w.met),
                "weeks_judged": len(judged),
            }
        )
    can_manage = request.user.has_cap("agri.manage")
    return render(
        request,
        "agri/ledgers/tasks.html",
        {
            "rows": rows,
            "suggestions": queries.pre_holiday_suggestions(today, tasks=visible) if can_manage else [],
            "pre_days": queries.pre_holiday_days(),
            "calendar_gap": None if is_covered(dt.date(today.year + 1, 1, 1)) else today.year + 1,
            "can_manage": can_manage,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def task_new(request):
    _require(request.user, "agri.manage")
    nodes = managed_nodes(request.user)
    form = TaskForm(
        request.POST or None,
        nodes=nodes,
        campaigns=Campaign.objects.all(),
        # The street (the highest node the user manages) is where most tasks are placed.
        initial={"start": _today(), "node": getattr(nodes.first(), "pk", None)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = actions.create_task(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("抽检任务已下达"))
            return redirect("agri:task", pk=task.pk)
    return _form_page(request, form, _("下达抽检任务"), "agri:tasks", status=400 if form.is_bound else 200)


@require_POST
@staff_required
def task_pre_holiday(request):
    """Create the suggested 节前抽检 task for the holiday period starting on POST['period']."""
    _require(request.user, "agri.manage")
    key = request.POST.get("period", "")
    suggestion = next(
        (s for s in queries.pre_holiday_suggestions(_today()) if s.period.key == key),
        None,
    )
    node = (
        managed_nodes(request.user).filter(kind=NodeKind.STREET).first()
        or managed_nodes(request.user).first()
    )
    if suggestion is None or node is None:
        messages.error(request, _("该节日不在建议范围内"))
        return redirect("agri:tasks")
    task = actions.create_pre_holiday_task(actor=request.user, suggestion=suggestion, node=node)
    messages.success(request, _("已下达“%(name)s”") % {"name": task.name})
    return redirect("agri:task", pk=task.pk)


@require_http_methods(["GET", "POST"])
@staff_required
def task_detail(request, pk: int):
    task = _visible_tasks(request.user).filter(pk=pk).first()
    if task is None:
        raise Http404
    scoped = Sample.objects.visible_to(request.user, "agri.view")
    if request.method == "POST":
        count = actions.assign_matching(actor=request.user, task=task)
        messages.success(request, _("已将 %(count)s 批样品计入本任务") % {"count": count})
        return redirect("agri:task", pk=task.pk)
    today = _today()
    weeks = metrics.task_compliance(task, samples=scoped)
    # Newest first and only the weeks begun: a year-long task would otherwise open on 50 rows of old or empty weeks.
    upcoming = sum(1 for w in weeks if w.start > today)
    weeks = [w for w in reversed(weeks) if w.start <= today]
    rate = metrics.pass_rate_by_task(task, scoped)
    counted = metrics.task_samples(task, scoped)
    return render(
        request,
        "agri/ledgers/task_detail.html",
        {
            "task": task,
            "weeks": weeks,
            "upcoming_weeks": upcoming,
            # A village supervisor sees his villages' share of a street task, not the street's figures.
            "partial": not request.user.has_cap("agri.view", task.node),
            "weeks_met": sum(1 for w in weeks if w.met),
            "today": today,
            "rate": rate,
            "rate_text": _percent(rate.rate),
            "counted": counted.count(),
            "samples": counted.select_related("commodity", "village").order_by("-sampled_at")[:50],
            "matching": queries.matching_samples(task, scoped).count(),
            "can_assign": request.user.has_cap("agri.record", task.node)
            or recording_villages(request.user).exists(),
        },
    )


# -- pass rates --------------------------------------------------------------------------------------------------


@staff_required
def pass_rates(request):
    _require(request.user, "agri.view")
    today = _today()
    form = PeriodForm(request.GET or None, initial={"start": today.replace(month=1, day=1), "end": today})
    start, end = today.replace(month=1, day=1), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    scoped = Sample.objects.visible_to(request.user, "agri.view")
    tables = [
        (_("按级别"), metrics.pass_rate_table(scoped, by="level", start=start, end=end)),
        (_("按品种"), metrics.pass_rate_table(scoped, by="commodity", start=start, end=end)),
        (_("按专项行动"), metrics.pass_rate_table(scoped, by="campaign", start=start, end=end)),
    ]
    tables = [(title, [(label, rate, _percent(rate.rate)) for label, rate in rows]) for title, rows in tables]
    return render(
        request, "agri/ledgers/pass_rates.html", {"form": form, "tables": tables, "start": start, "end": end}
    )


# -- holiday duty ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def duty(request):
    _require(request.user, "agri.view")
    user = request.user
    today = _today()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2004), 2100)
    can_manage = user.has_cap("agri.manage")
    nodes = managed_nodes(user)
    people = (
        get_user_model()
        .objects.filter(is_active=True, memberships__node__in=nodes, memberships__role__in=STAFF_ROLES)
        .distinct()
        .order_by("username")
        if can_manage
        else get_user_model().objects.none()
    )
    form = DutyForm(request.POST or None, nodes=nodes, people=people, initial={"node": nodes.first()})
    status = 200
    if request.method == "POST":
        _require(user, "agri.manage")
        if form.is_valid():
            try:
                shift = actions.assign_duty(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("已排班：%(day)s") % {"day": shift.day.isoformat()})
                return redirect(f"{request.path}?year={shift.day.year}")
        status = 400
    periods = holiday_periods(year)
    shifts = queries.visible_duty(user).select_related("person", "node")
    if periods:
        shifts = shifts.filter(day__gte=periods[0].start, day__lte=periods[-1].end)
    by_day: dict[dt.date, list] = {}
    for shift in shifts:
        by_day.setdefault(shift.day, []).append(shift)
    rows = [
        {
            "period": p,
            "days": [{"day": d, "shifts": by_day.get(d, [])} for d in p.days],
            "uncovered": sum(1 for d in p.days if not by_day.get(d)),
        }
        for p in periods
    ]
    return render(
        request,
        "agri/ledgers/duty.html",
        {
            "year": year,
            "rows": rows,
            "covered_year": is_covered(dt.date(year, 6, 1)),
            "form": form,
            "can_manage": can_manage,
            "today": today,
        },
        status=status,
    )


@require_POST
@staff_required
def duty_remove(request, pk: int):
    shift = get_visible_or_404(DutyShift, request.user, "agri.manage", pk=pk)
    try:
        actions.remove_duty(actor=request.user, shift=shift)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已取消该班次"))
    return redirect(f"{redirect('agri:duty').url}?year={shift.day.year}")


# -- xlsx import and export --------------------------------------------------------------------------------------


def _table(request, slug: str):
    resource_class = AGRI_TABLES.get(slug)
    if resource_class is None:
        raise Http404
    return resource_class(request.user)


@require_GET
@staff_required
def io_index(request):
    _require(request.user, "agri.view")
    user = request.user
    groups: dict[str, list] = {}
    for cls in AGRI_TABLES.values():
        resource = cls(user)
        groups.setdefault(_(cls.group), []).append(
            {
                "resource": resource,
                "can_export": user.has_cap(resource.export_capability),
                "can_import": user.has_cap(resource.import_capability),
                "can_unmask": resource.has_pii and user.has_cap(resource.pii_capability),
            }
        )
    return render(
        request,
        "agri/ledgers/io_index.html",
        {"groups": groups, "max_rows": MAX_ROWS, "max_mb": MAX_FILE_BYTES // (1024 * 1024)},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def io_export(request, slug):
    resource = _table(request, slug)
    _require(request.user, resource.export_capability)
    unmasked = request.method == "POST" and request.POST.get("unmasked") == "1"
    return _xlsx_response(lambda out: export_workbook(resource, out, unmasked=unmasked), resource.sheet_title)


@require_GET
@staff_required
def io_template(request, slug):
    resource = _table(request, slug)
    _require(request.user, resource.import_capability)
    title = _("%(title)s导入模板") % {"title": resource.sheet_title}
    return _xlsx_response(lambda out: template_workbook(resource, out), title)


@require_http_methods(["GET", "POST"])
@staff_required
def io_import(request, slug):
    resource = _table(request, slug)
    _require(request.user, resource.import_capability)
    return render_import(
        request,
        resource,
        template_url=reverse("agri:io_template", args=[resource.slug]),
        back_url=reverse("agri:io"),
        base_template="agri/ledgers/_layout.html",
    )
