"""Staff pages for the alarm thresholds of a greenhouse: what is in force per sensor kind and where it comes from
(greenhouse → cluster → the crop's default set for the stage), and the forms to set or remove an override at the
greenhouse or cluster level. Reading needs what the greenhouse pages need; changing goes through
`actions.save_threshold_override`, which checks `iot.configure`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.core.scoping import get_visible_or_404
from minsheng.core.views import staff_required

from .. import actions, rules
from ..choices import Comparison, Logic, SensorKind, Severity
from ..forms import CombinedRuleForm, ConditionFormSet, OverrideForm
from ..models import CombinedRule, Greenhouse, ThresholdOverride

CAP_VIEW = "iot.view"
LEVELS = ("greenhouse", "cluster")


def origin_label(origin: str) -> str:
    return {
        rules.ORIGIN_GREENHOUSE: _("本棚设置"),
        rules.ORIGIN_CLUSTER: _("片区设置"),
        rules.ORIGIN_DEFAULT: _("默认方案"),
    }[origin]


def _num(value) -> str:
    return "—" if value is None else f"{value:g}"


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f"{_num(low)} ~ {_num(high)}"
    if low is not None:
        return f"≥ {_num(low)}"
    if high is not None:
        return f"≤ {_num(high)}"
    return _("不限")


def describe(limits: "rules.Limits | ThresholdOverride") -> dict:
    """The threshold in words for the page: ranges, when it raises, when it clears, device checks."""
    raise_when = []
    if limits.duration_minutes:
        raise_when.append(_("持续%(n)d分钟") % {"n": limits.duration_minutes})
    if limits.repeat_count:
        raise_when.append(_("连续%(n)d条") % {"n": limits.repeat_count})
    clear_when = []
    if limits.hysteresis:
        clear_when.append(_("回差%(v)s") % {"v": _num(limits.hysteresis)})
    if limits.clear_minutes:
        clear_when.append(_("恢复%(n)d分钟后") % {"n": limits.clear_minutes})
    device = []
    if limits.stuck_readings:
        device.append(_("%(n)d条不变为卡滞") % {"n": limits.stuck_readings})
    if limits.stuck_minutes:
        device.append(_("%(n)d分钟不变为卡滞") % {"n": limits.stuck_minutes})
    if limits.spike_per_minute:
        device.append(_("每分钟变化超过%(v)s为突变") % {"v": _num(limits.spike_per_minute)})
    return {
        "day": _range(limits.day_min, limits.day_max),
        "night": _range(limits.night_min, limits.night_max),
        "critical": _num(limits.critical_delta),
        "severity": Severity(limits.severity).label,
        "raise_when": "，".join(raise_when) or _("立即"),
        "clear_when": "，".join(clear_when) or _("立即"),
        "device": "；".join(device) or "—",
    }


def combined_text(spec: "rules.CombinedSpec") -> str:
    joiner = _(" 且 ") if spec.logic == Logic.AND else _(" 或 ")
    parts = [
        f"{SensorKind(kind).label} {Comparison(cmp).label} {_num(value)}"
        for kind, cmp, value in spec.conditions
    ]
    when = []
    if spec.duration_minutes:
        when.append(_("持续%(n)d分钟") % {"n": spec.duration_minutes})
    if spec.repeat_count:
        when.append(_("连续%(n)d次") % {"n": spec.repeat_count})
    text = joiner.join(parts)
    if when:
        text += "（" + "，".join(when) + "）"
    return f"{text} → {Severity(spec.severity).label}"


def _greenhouse(request, pk: int) -> Greenhouse:
    return get_visible_or_404(
        Greenhouse.objects.select_related("village", "cluster"), request.user, CAP_VIEW, pk=pk
    )


@require_http_methods(["GET"])
@staff_required
def greenhouse_rules(request, pk: int):
    greenhouse = _greenhouse(request, pk)
    config = rules.load_config()
    sensor_kinds = set(greenhouse.sensors.filter(is_active=True).values_list("kind", flat=True))
    overrides = list(ThresholdOverride.objects.filter(greenhouse=greenhouse).order_by("kind", "stage")) + (
        list(ThresholdOverride.objects.filter(cluster=greenhouse.cluster).order_by("kind", "stage"))
        if greenhouse.cluster_id
        else []
    )
    rows = []
    for kind, label in SensorKind.choices:
        limits = rules.resolve(greenhouse, kind, config)
        has_override = any(o.kind == kind for o in overrides)
        if limits is None and kind not in sensor_kinds and not has_override:
            continue
        rows.append(
            {
                "kind": kind,
                "label": label,
                "limits": limits,
                "text": describe(limits) if limits else None,
                "origin": origin_label(limits.origin) if limits else "",
                "origin_code": limits.origin if limits else "",
                "has_sensor": kind in sensor_kinds,
            }
        )
    can_greenhouse = actions.can_configure(request.user, greenhouse=greenhouse)
    can_cluster = greenhouse.cluster_id is not None and actions.can_configure(
        request.user, cluster=greenhouse.cluster
    )
    return render(
        request,
        "iot/rules/greenhouse.html",
        {
            "greenhouse": greenhouse,
            "rows": rows,
            "override_groups": [
                (
                    _("本棚设置"),
                    [(o, describe(o)) for o in overrides if o.greenhouse_id],
                    can_greenhouse,
                ),
                (
                    _("片区设置（%(name)s）") % {"name": greenhouse.cluster.name}
                    if greenhouse.cluster_id
                    else _("片区设置（未加入片区）"),
                    [(o, describe(o)) for o in overrides if o.cluster_id],
                    can_cluster,
                ),
            ],
            "can_greenhouse": can_greenhouse,
            "can_cluster": can_cluster,
            "combined": [
                {
                    "id": spec.id,
                    "name": spec.name,
                    "text": combined_text(spec),
                    "level": _("本棚")
                    if spec.greenhouse_id
                    else (_("片区") if spec.cluster_id else _("全部大棚")),
                    "can": (spec.greenhouse_id and can_greenhouse) or (spec.cluster_id and can_cluster),
                }
                for spec in config.combined
                if spec.applies_to(greenhouse)
            ],
        },
    )


def _owner(greenhouse: Greenhouse, level: str) -> dict:
    if level == "greenhouse":
        return {"greenhouse": greenhouse, "cluster": None}
    if level == "cluster" and greenhouse.cluster_id:
        return {"greenhouse": None, "cluster": greenhouse.cluster}
    raise Http404


def _override(greenhouse: Greenhouse, override_pk: int) -> ThresholdOverride:
    """An override that applies to this greenhouse (its own or its cluster's); anything else is 404."""
    found = ThresholdOverride.objects.filter(pk=override_pk).first()
    if found is None or not (
        found.greenhouse_id == greenhouse.pk
        or (found.cluster_id is not None and found.cluster_id == greenhouse.cluster_id)
    ):
        raise Http404
    return found


def _initial(greenhouse: Greenhouse, kind: str) -> dict:
    """A new override starts from what is in force now, so only the differences need typing."""
    limits = rules.resolve(greenhouse, kind) if kind in SensorKind.values else None
    initial = {"kind": kind, "stage": greenhouse.stage}
    if limits is not None:
        initial.update({name: getattr(limits, name) for name in rules.LIMIT_FIELDS})
    return initial


@require_http_methods(["GET", "POST"])
@staff_required
def override_edit(request, pk: int, override_pk: int | None = None):
    greenhouse = _greenhouse(request, pk)
    if override_pk is None:
        level = request.GET.get("level", "greenhouse")
        instance = ThresholdOverride(**_owner(greenhouse, level))
    else:
        instance = _override(greenhouse, override_pk)
        level = "greenhouse" if instance.greenhouse_id else "cluster"
    if not actions.can_configure(request.user, greenhouse=instance.greenhouse, cluster=instance.cluster):
        raise PermissionDenied(_("没有权限设置该层级的阈值"))
    if request.method == "POST":
        form = OverrideForm(request.POST, instance=instance)
        if override_pk is not None:
            form.fields["kind"].disabled = True
        if form.is_valid():
            try:
                actions.save_threshold_override(form.instance, actor=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("阈值已保存"))
                return redirect("iot:rules", pk=greenhouse.pk)
    else:
        initial = _initial(greenhouse, request.GET.get("kind", "")) if override_pk is None else None
        form = OverrideForm(instance=instance, initial=initial)
        if override_pk is not None:
            form.fields["kind"].disabled = True
    return render(
        request,
        "iot/rules/form.html",
        {
            "greenhouse": greenhouse,
            "form": form,
            "level": level,
            "override": instance if override_pk else None,
        },
    )


@require_POST
@staff_required
def override_delete(request, pk: int, override_pk: int):
    greenhouse = _greenhouse(request, pk)
    override = _override(greenhouse, override_pk)
    try:
        actions.delete_threshold_override(override, actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除该阈值设置，改用上一级"))
    return redirect("iot:rules", pk=greenhouse.pk)


# --- combined (AND/OR) rules of a greenhouse or its cluster ------------------------------------------------------


def _combined_rule(greenhouse: Greenhouse, rule_pk: int) -> CombinedRule:
    found = CombinedRule.objects.filter(pk=rule_pk).first()
    if found is None or not (
        found.greenhouse_id == greenhouse.pk
        or (found.cluster_id is not None and found.cluster_id == greenhouse.cluster_id)
    ):
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
@staff_required
def combined_edit(request, pk: int, rule_pk: int | None = None):
    greenhouse = _greenhouse(request, pk)
    if rule_pk is None:
        level = request.GET.get("level", "greenhouse")
        rule = CombinedRule(**_owner(greenhouse, level))
        initial = []
    else:
        rule = _combined_rule(greenhouse, rule_pk)
        level = "greenhouse" if rule.greenhouse_id else "cluster"
        initial = [
            {"kind": c.kind, "comparison": c.comparison, "value": c.value}
            for c in rule.conditions.order_by("pk")
        ]
    if not actions.can_configure(request.user, greenhouse=rule.greenhouse, cluster=rule.cluster):
        raise PermissionDenied(_("没有权限设置该层级的告警规则"))
    if request.method == "POST":
        form = CombinedRuleForm(request.POST, instance=rule)
        formset = ConditionFormSet(request.POST, prefix="cond")
        if form.is_valid() and formset.is_valid():
            conditions = [
                (f.cleaned_data["kind"], f.cleaned_data["comparison"], f.cleaned_data["value"])
                for f in formset.forms
                if f.cleaned_data
            ]
            try:
                actions.save_combined_rule(form.instance, conditions, actor=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("组合规则已保存"))
                return redirect("iot:rules", pk=greenhouse.pk)
    else:
        form = CombinedRuleForm(instance=rule)
        formset = ConditionFormSet(initial=initial, prefix="cond")
    return render(
        request,
        "iot/rules/combined_form.html",
        {"greenhouse": greenhouse, "form": form, "formset": formset, "level": level, "rule": rule},
    )


@require_POST
@staff_required
def combined_delete(request, pk: int, rule_pk: int):
    greenhouse = _greenhouse(request, pk)
    rule = _combined_rule(greenhouse, rule_pk)
    try:
        actions.delete_combined_rule(rule, actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除组合规则"))
    return redirect("iot:rules", pk=greenhouse.pk)
