"""Baselines: the least a Django view can do to achieve the same effect, served by the same server."""

import json

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from minsheng.cases.models import Case, CaseKind


@csrf_exempt
def bare_intake(request):
    """Insert the same case row an API intake inserts: parse JSON, one INSERT, answer its id. No rules at all."""
    data = json.loads(request.body)
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            number=f"BARE-{now.timestamp():.6f}-{data['n']}",
            kind=CaseKind.objects.get(code="appeal"),
            channel=data["channel"],
            category_id=data["category"],
            title=data["description"][:30],
            description=data["description"],
            node_id=data["node"],
            reported_at=now,
        )
    return JsonResponse({"id": case.pk}, status=201)


BARE_PAGE = (
    "<!doctype html><html lang=zh-hans><head><meta charset=utf-8><title>民生</title></head>"
    "<body><main><h1>工作台</h1><p>基准页面</p></main></body></html>"
)


def bare_page(request):
    """The least a page can be: a constant HTML page from a plain view, through the whole middleware stack (the
    web load test's baseline, `python -m bench web`)."""
    return HttpResponse(BARE_PAGE)
