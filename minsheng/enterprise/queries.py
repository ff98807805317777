"""Shared reads: the scoped lists behind pages, the API and the figures, and policy matching."""

from django.db.models import Count, Q, QuerySet

from minsheng.core.scoping import subtree_condition

from .choices import PIPELINE, Stage
from .models import Enterprise, Policy, Problem, Project


def enterprises(user) -> QuerySet:
    return (
        Enterprise.objects.visible_to(user)
        .select_related("industry", "node", "cadre")
        .prefetch_related("tags")
    )


def projects(user) -> QuerySet:
    return Project.objects.visible_to(user).select_related(
        "node", "owner", "submitted_by", "industry", "enterprise"
    )


def problems(user) -> QuerySet:
    return Problem.objects.visible_to(user).select_related(
        "enterprise", "case", "case__lead_unit", "case__category", "visit"
    )


def in_node(qs: QuerySet, node, field: str) -> QuerySet:
    """Narrow a scoped queryset to an org subtree (the metric scope's optional node)."""
    if node is None:
        return qs
    return qs.filter(subtree_condition(qs.model, field, [node.path]))


def board(user) -> dict[str, list]:
    """The pipeline board's columns: live projects by stage, oldest in stage first."""
    rows = projects(user).filter(stage__in=PIPELINE).order_by("stage_entered_at")
    columns: dict[str, list] = {stage: [] for stage in PIPELINE}
    for project in rows:
        columns[project.stage].append(project)
    return columns


def stage_counts(user) -> dict[str, int]:
    counts = dict(projects(user).values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    return {stage: counts.get(stage, 0) for stage in [*PIPELINE, Stage.LOST]}


def matching_enterprises(policy: Policy, user) -> QuerySet:
    """Who should be told: an enterprise matches when it meets every criterion the policy sets — one of its tags,
    one of its industries, one of its sizes (a criterion left empty restricts nothing)."""
    qs = Enterprise.objects.visible_to(user)
    tag_ids = list(policy.tags.values_list("pk", flat=True))
    industry_ids = list(policy.industries.values_list("pk", flat=True))
    if tag_ids:
        qs = qs.filter(tags__in=tag_ids)
    if industry_ids:
        qs = qs.filter(industry_id__in=industry_ids)
    if policy.sizes:
        qs = qs.filter(size__in=policy.sizes)
    return qs.distinct()


def matching_policies(enterprise: Enterprise, user) -> QuerySet:
    """The policies an enterprise matches (the enterprise page's 匹配政策): the same rule seen from the other side."""
    tag_ids = list(enterprise.tags.values_list("pk", flat=True))
    qs = Policy.objects.visible_to(user).annotate(
        n_tags=Count("tags", distinct=True), n_ind=Count("industries", distinct=True)
    )
    qs = qs.filter(Q(n_tags=0) | Q(tags__in=tag_ids)).filter(
        Q(n_ind=0) | Q(industries=enterprise.industry_id)
    )
    candidates = [p.pk for p in qs.distinct() if not p.sizes or enterprise.size in p.sizes]
    return Policy.objects.filter(pk__in=candidates)
