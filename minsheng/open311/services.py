"""Open311 services are the appeal categories a resident actually picks: the leaves of the category tree.

A leaf (小类, e.g. 下水道堵塞) is precise enough to route and to set the time limit; its top-level ancestor (大类,
e.g. 下水道/排水) is the Open311 `group`. A category counts as a leaf when it is active, has no active child and
every ancestor is active — so switching a branch off in the admin takes its services off the list, and switching
off all children of a 中类 makes the 中类 itself a service.
"""

import logging
import re
from dataclasses import dataclass

import jieba
from django.db.models import Max
from django.utils.translation import gettext as _

from minsheng.cases.choices import Urgency
from minsheng.cases.models import Category
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from .formats import Open311Error, w3c

jieba.setLogLevel(logging.WARNING)

#: The places offered in the `estate` attribute: the level where residents name where they live (decision 0002
#: also publishes addresses down to this level and no further).
PLACE_KINDS = (NodeKind.ESTATE, NodeKind.NATURAL_VILLAGE)
_WORD = re.compile(r"^\w{2,}$")


@dataclass
class Service:
    category: Category
    ancestors: list[Category]

    @property
    def group(self) -> Category:
        return self.ancestors[0] if self.ancestors else self.category

    def as_dict(self) -> dict:
        names = [c.name for c in (*self.ancestors, self.category)]
        return {
            "service_code": self.category.code,
            "service_name": self.category.name,
            "description": " / ".join(names),
            # Every service has at least the urgency attribute, so clients should read its definition.
            "metadata": True,
            "type": "realtime",
            "keywords": ",".join(self.keywords()),
            "group": self.group.name,
        }

    def keywords(self) -> list[str]:
        """The name, its parent's name and their words (jieba), so that a search for 堵塞 finds 下水道堵塞."""
        # The parent, unless it is the top level: that one is already the group.
        parent = [self.ancestors[-1]] if len(self.ancestors) > 1 else []
        words: list[str] = []
        for category in [self.category, *parent]:
            for word in [category.name, *jieba.lcut(category.name)]:
                if _WORD.match(word) and word not in words:
                    words.append(word)
        return words


def all_services() -> list[Service]:
    categories = list(Category.objects.order_by("path"))
    by_path = {c.path: c for c in categories}
    step = Category.steplen
    with_active_children = {c.path[:-step] for c in categories if c.is_active and c.depth > 1}
    services = []
    for category in categories:
        if not category.is_active or category.path in with_active_children:
            continue
        ancestors = [by_path.get(category.path[: i * step]) for i in range(1, category.depth)]
        if all(a is not None and a.is_active for a in ancestors):
            services.append(Service(category, ancestors))
    return services


def get_service(code: str) -> Service:
    for service in all_services():
        if service.category.code == code:
            return service
    raise Open311Error(404, _("未知的 service_code：%(code)s") % {"code": code})


def places():
    return Node.objects.filter(kind__in=PLACE_KINDS).order_by("path")


def attributes() -> list[dict]:
    """The service definition's attributes; the same for every service today (urgency, and the 小区 if any)."""
    result = [
        {
            "variable": True,
            "code": "urgency",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("不填时按“一般”办理"),
            "order": 1,
            "description": _("紧急程度"),
            "values": [{"key": value, "name": str(label)} for value, label in Urgency.choices],
        }
    ]
    values = [{"key": str(node.pk), "name": node.full_name or node.name} for node in places()]
    if values:
        result.append(
            {
                "variable": True,
                "code": "estate",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("选填；填写后按该小区（自然村）定位和派遣"),
                "order": 2,
                "description": _("所在小区/自然村"),
                "values": values,
            }
        )
    return result


def definition(service: Service) -> dict:
    return {"service_code": service.category.code, "attributes": attributes()}


def changeset() -> str:
    """When the service list or a definition last changed: clients refresh their cached copies when it moves."""
    stamps = [
        Category.objects.aggregate(at=Max("updated_at"))["at"],
        places().aggregate(at=Max("updated_at"))["at"],
    ]
    stamps = [s for s in stamps if s is not None]
    return w3c(max(stamps)) if stamps else ""
