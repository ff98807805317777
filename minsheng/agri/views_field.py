"""The village supervisor's phone flow: one page to record a sample and its first enzyme reading, then (on a
positive or suspect reading) the repeats on the next screen. Everything is written by agri.actions."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from . import actions
from .choices import RapidMethod, SampleStatus
from .forms import FieldTestForm, ReadingsForm, add_action_errors
from .models import Commodity, CommodityAlias, Producer, Sample


def recording_villages(user):
    """The villages the user may record in: a supervisor's own villages, else every village in his scope."""
    villages = Node.objects.visible_to(user).filter(kind=NodeKind.VILLAGE)
    supervised = actions.supervised_villages(user)
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


@require_http_methods(["GET", "POST"])
@staff_required
def field(request):
    villages = recording_villages(request.user)
    if not villages.exists():
        raise PermissionDenied(_("您没有负责的村，不能登记抽检"))
    producers = (
        Producer.objects.visible_to(request.user).filter(village__in=villages).select_related("village")
    )
    form = FieldTestForm(request.POST or None, villages=villages, producers=producers.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
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
                )
                actions.record_rapid_test(
                    actor=request.user,
                    sample=sample,
                    method=RapidMethod.ENZYME,
                    delta_a0=data["delta_a0"],
                    delta_at=data["delta_at"],
                )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("agri:field_sample", pk=sample.pk)
    return render(
        request,
        "agri/field.html",
        {"form": form, "lookup": commodity_lookup(), "thresholds": thresholds()},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def field_sample(request, pk: int):
    """The readings so far; while the sample awaits its repeats, the form for the next one."""
    sample = get_visible_or_404(
        Sample.objects.select_related("commodity", "village", "producer"), request.user, pk=pk
    )
    repeating = sample.status == SampleStatus.REPEATING
    form = ReadingsForm(request.POST or None) if repeating else None
    if request.method == "POST" and repeating and form.is_valid():
        try:
            actions.record_rapid_test(
                actor=request.user,
                sample=sample,
                method=RapidMethod.ENZYME,
                delta_a0=form.cleaned_data["delta_a0"],
                delta_at=form.cleaned_data["delta_at"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("agri:field_sample", pk=sample.pk)
    tests = list(sample.rapid_tests.order_by("repeat_index"))
    return render(
        request,
        "agri/field_sample.html",
        {
            "sample": sample,
            "tests": tests,
            "form": form,
            "repeat_number": len(tests),
            "repeats": actions.REPEATS,
            "thresholds": thresholds(),
            "prone": actions.false_positive_prone(sample.commodity),
        },
    )
