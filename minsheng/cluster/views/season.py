"""The cluster's pages: the figures page for leaders and staff, growers and orchards, the phone entry of harvests and
sales, techniques and trainings, the live-stream sellers. Reads go through `visible_to`, changes through actions."""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.core import clock
from minsheng.core import metrics as registry
from minsheng.core.errors import IllegalTransition
from minsheng.core.forms import apply_action_errors
from minsheng.core.masking import mask_phone
from minsheng.core.scoping import get_visible_or_404
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from .. import actions, queries
from ..choices import CHANNEL_COLORS, PACKAGE_OFFERS, Channel, Package, Platform, TrainingKind, Variety
from ..demo import DEMO_NOTE
from ..forms import AdoptionForm, GrowerForm, HarvestForm, SaleForm, SessionForm, TrainingForm
from ..metrics import METRICS
from ..models import Agreement, Centre, Grower, Harvest, Orchard, Sale, StreamSession, Technique, Training

VIEW = "cluster.view"
RECORD = "cluster.record"

GROUPS = [
    (
        gettext_lazy("面积与产值"),
        ["cluster.area", "cluster.growers", "cluster.output_value", "cluster.sales_volume"],
    ),
    (gettext_lazy("销售渠道"), ["cluster.online_share", "cluster.enterprise_share"]),
    (
        gettext_lazy("技术与培训"),
        [
            "cluster.techniques",
            "cluster.adoption_rate",
            "cluster.trainings",
            "cluster.attendance",
            "cluster.trained_growers",
        ],
    ),
    (gettext_lazy("电商直播"), ["cluster.sellers", "cluster.stream_sales", "cluster.centres"]),
    (
        gettext_lazy("龙头带动与合作社"),
        ["cluster.agreements", "cluster.driven_growers", "cluster.organisations"],
    ),
]


def _require(user: Any, capability: str) -> None:
    if not user.has_cap(capability):
        raise PermissionDenied(_("没有权限查看此页面"))


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, int]:
    """A calendar year (?year=), by default the year of the latest recorded sale: cherries are sold in May and
    June, so in spring "this year" would show an empty season."""
    today = clock.today()
    raw = request.GET.get("year") or ""
    if raw.isdigit():
        year = min(max(int(raw), 2000), today.year)
    else:
        latest = (
            Sale.objects.visible_to(request.user, VIEW).order_by("-sold_on").values_list("sold_on", flat=True)
        )
        year = latest[0].year if latest else today.year
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today), year


def _display(rows: list[dict], field: str, choices: Any) -> list[dict]:
    labels = dict(choices.choices) if choices is not None else {}
    total = sum((r["value"] or 0) for r in rows) or 1
    for r in rows:
        key = r[field]
        r["label"] = labels.get(key, key) or "—"
        r["share"] = float((r["value"] or 0) * 100 / total)
        r["wan"] = (r["value"] or 0) / 10000
        r["tons"] = (r.get("volume") or 0) / 1000
        if choices is Channel:
            r["color"] = CHANNEL_COLORS.get(key, "gray")
    return rows


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW)
    start, end, year = _period(request)
    scope = registry.Scope(viewer=request.user, start=start, end=end)
    by_code = {m.code: m for m in METRICS}
    groups = []
    for label, codes in GROUPS:
        items = []
        for code in codes:
            metric = by_code[code]
            value = registry.as_number(metric.compute(scope))
            yi = value / 10000 if metric.unit == registry.Unit.WAN_YUAN and value and value >= 10000 else None
            items.append({"metric": metric, "value": value, "yi": yi})
        groups.append({"label": label, "items": items})
    sales = Sale.objects.visible_to(request.user, VIEW).filter(sold_on__range=(start, end))
    orchards = Orchard.objects.visible_to(request.user, VIEW)
    context = {
        "groups": groups,
        "year": year,
        "years": list(range(clock.today().year, clock.today().year - 5, -1)),
        "start": start,
        "end": end,
        "by_channel": _display(queries.sales_breakdown(sales, "channel"), "channel", Channel),
        "by_platform": _display(
            queries.sales_breakdown(sales.exclude(platform=""), "platform"), "platform", Platform
        ),
        "by_village": _display(
            queries.sales_breakdown(sales, "harvest__orchard__village__name"),
            "harvest__orchard__village__name",
            None,
        ),
        "by_variety": _display(
            queries.sales_breakdown(sales, "harvest__orchard__variety"), "harvest__orchard__variety", Variety
        ),
        "area_by_village": list(
            orchards.values("village__name").annotate(area=Sum("area_mu"), n=Count("pk")).order_by("-area")
        ),
        "can_record": request.user.has_cap(RECORD),
        "demo": Grower.objects.filter(note=DEMO_NOTE).exists(),
        "agreements": Agreement.objects.visible_to(request.user, VIEW)
        .select_related("organisation", "grower")
        .order_by("-signed_on")[:12],
    }
    return render(request, "cluster/home.html", context)


@login_required
def growers(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW)
    q = (request.GET.get("q") or "").strip()
    qs = (
        Grower.objects.visible_to(request.user, VIEW)
        .select_related("village")
        .annotate(area=Sum("orchards__area_mu"), orchard_count=Count("orchards", distinct=True))
        .order_by("village__name", "name", "pk")
    )
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(village__name__contains=q))
    page_obj = Paginator(qs, 30).get_page(request.GET.get("page"))
    may_see_phone = request.user.has_cap("org.view_pii")
    for g in page_obj:
        g.shown_phone = g.phone if may_see_phone else mask_phone(g.phone)
    return render(
        request,
        "cluster/growers.html",
        {"page_obj": page_obj, "q": q, "can_record": request.user.has_cap(RECORD)},
    )


def _record_villages(user: Any) -> Any:
    return Node.objects.visible_to(user, RECORD).filter(kind=NodeKind.VILLAGE).order_by("name")


@login_required
def grower_new(request: HttpRequest) -> HttpResponse:
    _require(request.user, RECORD)
    form = GrowerForm(request.POST or None, villages=_record_villages(request.user))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                with transaction.atomic():
                    grower = actions.do_register_grower(
                        actor=request.user, name=d["name"], phone=d["phone"], village=d["village"]
                    )
                    actions.do_add_orchard(
                        grower,
                        actor=request.user,
                        name=d["orchard_name"],
                        area_mu=d["area_mu"],
                        variety=d["variety"],
                        planted_year=d["planted_year"],
                        lat=d["lat"],
                        lng=d["lng"],
                    )
                return redirect("cluster:growers")
            except (ValidationError, PermissionDenied) as exc:
                apply_action_errors(form, exc)
    return render(
        request,
        "cluster/form.html",
        {"form": form, "title": _("登记种植户"), "back": reverse_lazy("cluster:growers")},
        status=status,
    )


@login_required
def entry(request: HttpRequest) -> HttpResponse:
    """The phone page of the grower's or the village staff's season: record a harvest, then its sales."""
    _require(request.user, RECORD)
    q = (request.GET.get("q") or "").strip()
    orchards = (
        Orchard.objects.visible_to(request.user, RECORD).select_related("grower").order_by("grower__name")
    )
    if q:
        orchards = orchards.filter(Q(grower__name__contains=q) | Q(name__contains=q))
    form = HarvestForm(request.POST or None, orchards=orchards)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                harvest = actions.do_record_harvest(
                    d["orchard"],
                    actor=request.user,
                    harvested_on=d["harvested_on"],
                    yield_kg=d["yield_kg"],
                    grade=d["grade"],
                )
                return redirect("cluster:sale_new", pk=harvest.pk)
            except (ValidationError, PermissionDenied) as exc:
                apply_action_errors(form, exc)
    recent = (
        Harvest.objects.visible_to(request.user, RECORD)
        .select_related("orchard__grower")
        .annotate(sold=Sum("sales__volume_kg"))
        .order_by("-harvested_on", "-pk")[:10]
    )
    return render(request, "cluster/entry.html", {"form": form, "recent": recent, "q": q}, status=status)


@login_required
def sale_new(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request.user, RECORD)
    harvest = get_visible_or_404(
        Harvest.objects.select_related("orchard__grower"), request.user, RECORD, pk=pk
    )
    sellers = queries.sellers(Grower.objects.visible_to(request.user, VIEW).select_related("village"))
    form = SaleForm(request.POST or None, sellers=sellers.order_by("name", "pk"))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.do_record_sale(
                    harvest,
                    actor=request.user,
                    channel=d["channel"],
                    platform=d["platform"],
                    volume_kg=d["volume_kg"],
                    price=d["price"],
                    sold_on=d["sold_on"],
                    buyer=d["buyer"],
                    seller=d.get("seller"),
                )
                return redirect("cluster:sale_new", pk=harvest.pk)
            except (ValidationError, PermissionDenied) as exc:
                apply_action_errors(form, exc)
            except IllegalTransition as exc:
                form.add_error(None, str(exc))
    sales = harvest.sales.order_by("-sold_on", "-pk")
    sold = sales.aggregate(s=Sum("volume_kg"))["s"] or 0
    return render(
        request,
        "cluster/sale.html",
        {"form": form, "harvest": harvest, "sales": sales, "sold": sold, "left": harvest.yield_kg - sold},
        status=status,
    )


@login_required
def techniques(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW)
    orchards = Orchard.objects.visible_to(request.user, VIEW)
    trainings = queries.trainings_with_attendance(
        Training.objects.visible_to(request.user, VIEW).order_by("-event__start")
    )
    page_obj = Paginator(trainings, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "cluster/techniques.html",
        {
            "adoption": queries.adoption_table(orchards),
            "page_obj": page_obj,
            "expert": TrainingKind.EXPERT,
            "can_record": request.user.has_cap(RECORD),
        },
    )


@login_required
def sellers(request: HttpRequest) -> HttpResponse:
    _require(request.user, VIEW)
    sessions = StreamSession.objects.visible_to(request.user, VIEW)
    table = queries.seller_table(sessions)
    page_obj = Paginator(table, 30).get_page(request.GET.get("page"))
    centres = Centre.objects.visible_to(request.user, VIEW).select_related("venue", "village")
    for c in centres:
        c.package_rows = [(Package(p).label, PACKAGE_OFFERS[Package(p)]) for p in c.packages]
    by_platform = _display(
        list(
            sessions.values("platform")
            .annotate(value=Sum("sales_yuan"), count=Count("pk"))
            .order_by("-value")
        ),
        "platform",
        Platform,
    )
    return render(
        request,
        "cluster/sellers.html",
        {
            "page_obj": page_obj,
            "centres": centres,
            "by_platform": by_platform,
            "seller_count": len(table),
            "can_record": request.user.has_cap(RECORD),
        },
    )


# -- xlsx import and export (core spreadsheet machinery; the org import page) -----------------------------------


@login_required
def io_index(request: HttpRequest) -> HttpResponse:
    from minsheng.core.spreadsheet import MAX_FILE_BYTES, MAX_ROWS

    from ..spreadsheets import TABLES

    _require(request.user, VIEW)
    rows = []
    for cls in TABLES.values():
        resource = cls(request.user)
        rows.append({"resource": resource, "can_import": request.user.has_cap(resource.import_capability)})
    return render(
        request,
        "cluster/io.html",
        {
            "rows": rows,
            "max_rows": MAX_ROWS,
            "max_mb": MAX_FILE_BYTES // (1024 * 1024),
            "can_record": request.user.has_cap(RECORD),
        },
    )


# -- phone entry of live-stream sessions and adoptions --------------------------------------------------------


def _simple_entry(request: HttpRequest, form: Any, title: str, save: Any, done: str) -> HttpResponse:
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                save(form.cleaned_data)
                return redirect(done)
            except (ValidationError, PermissionDenied) as exc:
                apply_action_errors(form, exc)
            except IllegalTransition as exc:
                form.add_error(None, str(exc))
    return render(
        request,
        "cluster/form.html",
        {"form": form, "title": title, "back": reverse_lazy(done)},
        status=status,
    )


@login_required
def session_new(request: HttpRequest) -> HttpResponse:
    _require(request.user, RECORD)
    growers = queries.trained_growers(
        Grower.objects.visible_to(request.user, RECORD).select_related("village"), TrainingKind.ECOMMERCE
    ).order_by("name")
    form = SessionForm(request.POST or None, growers=growers)

    def save(d: dict) -> None:
        actions.do_record_session(
            d["seller"],
            actor=request.user,
            platform=d["platform"],
            held_on=d["held_on"],
            products=d["products"],
            orders=d["orders"],
            sales_yuan=d["sales_yuan"],
        )

    return _simple_entry(request, form, _("登记直播场次"), save, "cluster:sellers")


@login_required
def adoption_new(request: HttpRequest) -> HttpResponse:
    _require(request.user, RECORD)
    orchards = (
        Orchard.objects.visible_to(request.user, RECORD).select_related("grower").order_by("grower__name")
    )
    q = (request.GET.get("q") or "").strip()
    if q:
        orchards = orchards.filter(Q(grower__name__contains=q) | Q(name__contains=q))
    form = AdoptionForm(
        request.POST or None,
        orchards=orchards,
        techniques=Technique.objects.order_by("introduced_year", "pk"),
    )

    def save(d: dict) -> None:
        actions.do_adopt(d["technique"], d["orchard"], actor=request.user, adopted_on=d["adopted_on"])

    return _simple_entry(request, form, _("登记技术采用"), save, "cluster:techniques")


@login_required
def training_new(request: HttpRequest) -> HttpResponse:
    """Schedule a training: the activities event is created with it (registration and check-in are there)."""
    _require(request.user, RECORD)
    form = TrainingForm(
        request.POST or None,
        villages=_record_villages(request.user),
        techniques=Technique.objects.order_by("introduced_year", "pk"),
        centres=Centre.objects.visible_to(request.user, VIEW),
    )

    def save(d: dict) -> None:
        actions.do_schedule_training(
            actor=request.user,
            kind=d["kind"],
            title=d["title"],
            village=d["village"],
            start=d["start"],
            end=d["end"],
            technique=d["technique"],
            institution=d["institution"],
            expert=d["expert"],
            centre=d["centre"],
            package=d["package"],
            capacity=d["capacity"],
            place=d["place"],
        )

    return _simple_entry(request, form, _("安排培训"), save, "cluster:techniques")
