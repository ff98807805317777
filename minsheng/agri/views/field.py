"""The village supervisor's phone flow: one page to record a sample and its first enzyme reading, then (on a
positive or suspect reading) the repeats on the next screen. Everything is written by agri.actions."""

import functools

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minsheng.core import clock
from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from .. import actions, queries
from ..choices import RapidMethod, SampleStatus
from ..forms.common import add_action_errors
from ..forms.field import CardForm, FieldTestForm, ReadingsForm
from ..models import Commodity, CommodityAlias, Producer, Sample

#: Reading the agri pages needs this capability at the row's node; recording needs RECORD (checked by the actions).
VIEW = "agri.view"
RECORD = "agri.record"


def agri_required(view):
    """A staff member holding agri.view somewhere; which rows he sees is `visible_to(user, VIEW)`'s business."""

    @functools.wraps(view)
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_cap(VIEW):
            raise PermissionDenied(_("您没有农产品质量安全监管的权限"))
        return view(request, *args, **kwargs)

    return wrapper


def recording_villages(user):
    """The villages the user may record in: a supervisor's own villages, else every village in his scope."""
    villages = Node.objects.visible_to(user, RECORD).filter(kind=NodeKind.VILLAGE)
    supervised = queries.supervised_villages(user)
    if supervised:
        villages = villages.filter(pk__in=[node.pk for node in supervised])
    allowed = [node.pk for node in villages if actions.can_record(user, node)]
    return Node.objects.filter(pk__in=allowed).order_by("path")


def commodity_lookup() -> dict:
    """What the page's script needs to name the commodity as it is typed and warn on false-positive-prone ones:
    every name and alias → its canonical name, and the canonical names prone to false positives."""
    names = {c.name: c.name for c in Commodity.objects.all()}
    for alias in CommodityAlias.objects.select_related("commodity"):
        names[alias.name] = alias.commodity.name
    prone = [c.name for c in Commodity.objects.select_related("parent") if actions.false_positive_prone(c)]
    return {"names": names, "prone": prone}


def thresholds() -> dict:
    return {
        "positive": float(getattr(settings, "AGRI_ENZYME_POSITIVE_FROM", 50)),
        "suspect": float(getattr(settings, "AGRI_ENZYME_SUSPECT_FROM", 40)),
    }


def gold_reading(pesticide, card: str) -> dict:
    return {
        "method": RapidMethod.GOLD,
        "pesticide": pesticide,
        "positive": card == "positive",
        "card_invalid": card == "invalid",
    }


def _follow_up_source(request, villages):
    """The failed sample a 跟踪复抽 is taken for (?follow_up=<pk>), when the user may record in its village."""
    raw = request.POST.get("follow_up_of") or request.GET.get("follow_up")
    if not raw:
        return None
    try:
        source = get_visible_or_404(
            Sample.objects.select_related("commodity", "producer"), request.user, VIEW, pk=raw
        )
    except Http404:
        return None
    return source if source.village_id in {v.pk for v in villages} else None


@require_http_methods(["GET", "POST"])
@agri_required
def field(request):
    villages = recording_villages(request.user)
    if not villages.exists():
        raise PermissionDenied(_("您没有负责的村，不能登记抽检"))
    producers = (
        Producer.objects.visible_to(request.user, VIEW).filter(village__in=villages).select_related("village")
    )
    follow_up_of = _follow_up_source(request, villages)
    village_list = list(villages)
    tasks = queries.open_tasks_for(request.user, village_list, timezone.localdate(clock.now()))
    default_village = village_list[0] if len(village_list) == 1 else None
    initial = {}
    if follow_up_of is not None:
        initial = {
            "commodity": follow_up_of.commodity.name,
            "village": follow_up_of.village_id,
            "producer": follow_up_of.producer_id,
            "stall": follow_up_of.stall,
            "follow_up_of": follow_up_of.pk,
        }
        default_village = follow_up_of.village
    routine = {
        village.pk: getattr(queries.routine_task(tasks, village), "pk", None) for village in village_list
    }
    default_task = routine.get(default_village.pk) if default_village else None
    if default_task is None and len(set(routine.values())) == 1:
        default_task = next(iter(routine.values()))
    initial.update({"task": default_task, "task_auto": True})
    form = FieldTestForm(
        request.POST or None,
        initial=initial,
        villages=villages,
        producers=producers.order_by("name"),
        tasks=tasks,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["method"] == RapidMethod.GOLD:
            reading = gold_reading(data["pesticide"], data["card"])
        else:
            reading = {
                "method": RapidMethod.ENZYME,
                "delta_a0": data["delta_a0"],
                "delta_at": data["delta_at"],
            }
        try:
            with transaction.atomic():
                sample = actions.record_sample(
                    actor=request.user,
                    commodity=data["commodity"],
                    village=data["village"],
                    level=data["level"],
                    producer=data["producer"],
                    stall=data["stall"],
                    certificate_shown=data["certificate_shown"],
                    follow_up_of=follow_up_of,
                )
                task = data["task"]
                if data["task_auto"]:
                    # Still the page's default: the village's weekly routine task, when the sample fits it.
                    task = next((t for t in tasks if t.pk == routine.get(sample.village_id)), None)
                    if task is not None and actions.task_accepts(task, sample):
                        task = None
                if task is not None:
                    actions.assign_sample(actor=request.user, sample=sample, task=task)
                actions.record_rapid_test(actor=request.user, sample=sample, **reading)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("agri:field_sample", pk=sample.pk)
    return render(
        request,
        "agri/field.html",
        {
            "form": form,
            "lookup": commodity_lookup(),
            "thresholds": thresholds(),
            "follow_up_of": follow_up_of,
            "routine_tasks": {str(k): v for k, v in routine.items()},
            "village_paths": {str(v.pk): v.path for v in village_list},
        },
    )


@require_http_methods(["GET", "POST"])
@agri_required
def field_sample(request, pk: int):
    """The readings so far; while the sample awaits its repeats, the form for the next one (same method, and for a
    gold card the same pesticide)."""
    sample = get_visible_or_404(
        Sample.objects.select_related("commodity", "village", "producer", "task"), request.user, VIEW, pk=pk
    )
    tests = list(sample.rapid_tests.select_related("pesticide").order_by("repeat_index"))
    first = tests[0] if tests else None
    gold = first is not None and first.method == RapidMethod.GOLD
    repeating = sample.status == SampleStatus.REPEATING
    form = None
    if repeating:
        form = (CardForm if gold else ReadingsForm)(request.POST or None)
    if request.method == "POST" and repeating and form.is_valid():
        if gold:
            reading = gold_reading(first.pesticide, form.cleaned_data["card"])
        else:
            reading = {
                "method": RapidMethod.ENZYME,
                "delta_a0": form.cleaned_data["delta_a0"],
                "delta_at": form.cleaned_data["delta_at"],
            }
        try:
            actions.record_rapid_test(actor=request.user, sample=sample, **reading)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("agri:field_sample", pk=sample.pk)
    return render(
        request,
        "agri/field_sample.html",
        {
            "sample": sample,
            "tests": tests,
            "form": form,
            "gold": gold,
            "gold_pesticide": first.pesticide if gold else None,
            "repeat_number": len(tests),
            "repeats": actions.REPEATS,
            "thresholds": thresholds(),
            "prone": actions.false_positive_prone(sample.commodity),
        },
    )
