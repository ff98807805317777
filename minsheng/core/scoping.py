"""Row scoping: `Model.objects.visible_to(user)` is the one way views, the API and exports read rows.

A model declares `scope_path` — the lookup to the materialised path of the org node it belongs to (for example
"node__path"), or "" when its rows belong to no node (visible to anyone holding the capability). A user's scope is
the set of node paths of their memberships carrying the capability; a row is visible when its node lies in one of
those subtrees — one indexed prefix query, no Python walk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404

from . import capabilities

_M = TypeVar("_M", bound=models.Model)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from minsheng.accounts.models import User


class ScopedQuerySet(models.QuerySet[_M]):
    def visible_to(
        self, user: User | AnonymousUser | None, capability: str = "org.view"
    ) -> ScopedQuerySet[_M]:
        capabilities.check(capability)
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        paths = user.scope_paths(capability)
        if not paths:
            return self.none()
        field = getattr(self.model, "scope_path", None)
        if field is None:
            raise TypeError(f"{self.model.__name__} declares no scope_path")
        if field == "":
            return self
        return self.filter(subtree_condition(self.model, field, paths))


def subtree_condition(model: type[models.Model], field: str, paths: list[str]) -> Q:
    """Rows whose tree node lies under one of `paths`.

    For a related node ("node__path") this is `node_id IN (SELECT id FROM <tree> WHERE path LIKE 'p%' …)` rather
    than a join: the database can then walk another index (the newest cases first, say) and stop after a page,
    instead of joining and sorting every row in scope.
    """
    relation, _, column = field.rpartition("__")
    condition = Q()
    if not relation:
        for path in paths:
            condition |= Q(**{f"{column}__startswith": path})
        return condition
    tree: Any = model
    for part in relation.split("__"):
        tree = tree._meta.get_field(part).related_model
    inside = Q()
    for path in paths:
        inside |= Q(**{f"{column}__startswith": path})
    return Q(**{f"{relation}__in": tree._base_manager.filter(inside).values("pk")})


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def get_visible_or_404(
    queryset_or_model: Any, user: User | AnonymousUser | None, capability: str = "org.view", **lookup: Any
) -> Any:
    """Fetch one row through the user's scope: out of scope is indistinguishable from absent (404)."""
    capabilities.check(capability)
    qs = queryset_or_model
    if isinstance(qs, type):
        qs = qs.objects.all()  # type: ignore[attr-defined]  # a scoped model
    try:
        return qs.visible_to(user, capability).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError, ValidationError) as exc:
        raise Http404 from exc


class AnyOfSubquery(models.Lookup):
    """`fk__any_of=<values queryset>`, registered on every foreign key: `column = ANY(ARRAY(sub-select))` on PostgreSQL: the sub-select runs once, before the rest, and its ids are
    then matched on the column's indexes — inside an OR too, where `IN (sub-select)` can only be a filter applied to
    every row (decision 0066). Elsewhere a plain `IN (sub-select)`."""

    lookup_name = "any_of"

    def get_prep_lookup(self) -> Any:
        return self.rhs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)


models.ForeignKey.register_lookup(AnyOfSubquery)
