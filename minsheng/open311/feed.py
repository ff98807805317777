"""The public feed of service requests: appeal cases as Open311 shows them, and the GET requests filters.

The spec makes this feed public (no key), so what it may show is limited by field rather than by row scope:
only cases of kind 诉求, never the reporter (name, phone, account), the place only down to the 小区/村 (decision
0002: the free-text address and the 楼栋/单元 can point at someone's home), and phone or ID numbers that people
typed into free text are masked.
"""

import datetime as dt
import re

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.cases.choices import DONE_STATES, VOID_STATES, Status
from minsheng.cases.models import Case, CaseAttachment, CaseEvent, Category
from minsheng.core import clock, parsing
from minsheng.core.masking import mask_id_number, mask_phone
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from .formats import Open311Error, is_number, param, w3c
from .models import Submission

CLOSED_STATES = DONE_STATES | VOID_STATES
DEFAULT_WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000
MAX_PAGE = 100_000  # far beyond any real history, and keeps the SQL offset within the database's integers
#: Below the 小区/村: never published.
PRIVATE_KINDS = {NodeKind.BUILDING, NodeKind.UNIT}
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9Xx])\d{17}[0-9Xx](?![0-9Xx])")


def appeals():
    return Case.objects.filter(kind__code="appeal")


def open_or_closed(status: str) -> str:
    return "closed" if status in CLOSED_STATES else "open"


def scrub(text: str | None) -> str | None:
    """Mask mobile and ID numbers someone wrote into a description or a note."""
    if not text:
        return text
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group()), text)


# -- GET requests -----------------------------------------------------------------------------------


def search(params) -> list[Case]:
    """Apply the spec's filters and the page/page_size and updated_after/updated_before extensions.

    service_request_id overrides every other filter. Without any date filter the window is the last 90 days of
    requested_datetime; with one, exactly the dates asked for. Newest requests come first.
    """
    errors: list[str] = []
    numbers = _list(params, "service_request_id")
    queryset = appeals()
    if numbers:
        if len(numbers) > MAX_RESULTS:
            errors.append(_("service_request_id 最多 %(n)d 个") % {"n": MAX_RESULTS})
        queryset = queryset.filter(number__in=numbers)
        page, size = 1, MAX_RESULTS
    else:
        queryset = _filter(queryset, params, errors)
        page = _integer(params, "page", 1, MAX_PAGE, errors)
        size = _integer(params, "page_size", MAX_RESULTS, MAX_RESULTS, errors)
    if errors:
        raise Open311Error(400, *errors)
    queryset = with_details(queryset.order_by("-reported_at", "-pk"))
    return list(queryset[(page - 1) * size : page * size])


def _filter(queryset, params, errors: list[str]):
    codes = _list(params, "service_code")
    if codes:
        # A code may name any level of the tree: 05 is every 下水道/排水 request, 050101 only 下水道堵塞.
        paths = Category.objects.filter(code__in=codes).values_list("path", flat=True)
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(category__path__startswith=path)
        queryset = queryset.filter(condition)
    statuses = set(_list(params, "status"))
    if statuses - {"open", "closed"}:
        errors.append(_("status 只能是 open 或 closed"))
    elif statuses == {"open"}:
        queryset = queryset.exclude(status__in=CLOSED_STATES)
    elif statuses == {"closed"}:
        queryset = queryset.filter(status__in=CLOSED_STATES)
    dates = {name: _moment(params, name, errors) for name in _DATE_FILTERS}
    if not any(param(params, name) for name in _DATE_FILTERS):
        dates["start_date"] = clock.now() - DEFAULT_WINDOW
    for name, value in dates.items():
        if value is not None:
            queryset = queryset.filter(**{_DATE_FILTERS[name]: value})
    return queryset


_DATE_FILTERS = {
    "start_date": "reported_at__gte",
    "end_date": "reported_at__lte",
    "updated_after": "updated_at__gt",
    "updated_before": "updated_at__lt",
}


def _list(params, name: str) -> list[str]:
    return [item.strip() for item in param(params, name).split(",") if item.strip()]


def _integer(params, name: str, default: int, maximum: int, errors: list[str]) -> int:
    raw = param(params, name)
    if not raw:
        return default
    if not is_number(raw) or not 1 <= int(raw) <= maximum:
        errors.append(_("%(name)s 须为 1 至 %(max)d 的整数") % {"name": name, "max": maximum})
        return default
    return int(raw)


def _moment(params, name: str, errors: list[str]) -> dt.datetime | None:
    raw = param(params, name)
    if not raw:
        return None
    if "T" in raw:
        raw = raw.replace(" ", "+")  # an unencoded "+08:00" in a query string arrives as " 08:00"
    try:
        return parsing.parse_datetime(raw)
    except parsing.InvalidValue:
        errors.append(_("%(name)s 不是有效的 W3C 日期时间（例：2026-01-05T09:00:00+08:00）") % {"name": name})
        return None


# -- one request as Open311 sees it -----------------------------------------------------------------


def with_details(queryset):
    """Everything as_requests reads, in a fixed number of queries whatever the page size."""
    latest_public = (
        CaseEvent.objects.filter(case=OuterRef("pk"), public=True)
        .exclude(verb="register")  # its note is the description itself
        .exclude(note="")
        .order_by("-created_at", "-pk")
        .values("note")[:1]
    )
    images = CaseAttachment.objects.filter(content_type__startswith="image/").order_by("pk")
    return (
        queryset.select_related("category", "lead_unit", "node")
        .annotate(public_note=Subquery(latest_public))
        .prefetch_related(Prefetch("attachments", queryset=images, to_attr="images"))
    )


def as_requests(cases: list[Case], request) -> list[dict]:
    places = _public_places([case.node for case in cases])
    media = _submitted_media(cases)
    return [_as_request(case, places[case.node_id], media.get(case.pk), request) for case in cases]


def _as_request(case: Case, place: Node, submitted_media: str | None, request) -> dict:
    if case.images:
        media_url = request.build_absolute_uri(reverse("open311:media", args=[case.number]))
    else:
        media_url = submitted_media or None
    lat, lng = (case.lat, case.lng) if case.lat is not None else (place.lat, place.lng)
    return {
        "service_request_id": case.number,
        "status": open_or_closed(case.status),
        "status_notes": _status_notes(case),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": scrub(case.description),
        "agency_responsible": case.lead_unit.name if case.lead_unit_id else None,
        "service_notice": _notice(case),
        "requested_datetime": w3c(case.reported_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.finish_due),
        "address": place.full_name or place.name,
        "address_id": str(place.pk),
        "zipcode": None,
        "lat": lat,
        "long": lng,
        "media_url": media_url,
    }


def _status_notes(case: Case) -> str:
    """The engine's own status (finer than open/closed) and the latest note its reporter could read.

    Steps without a note (a verification that passed, a signature) keep the note before them, so a closed case
    shows what the handler reported doing.
    """
    label = str(Status(case.status).label)
    note = scrub((case.public_note or "").strip())
    return _("%(status)s：%(note)s") % {"status": label, "note": note} if note else label


def _notice(case: Case) -> str | None:
    if case.status in CLOSED_STATES or case.finish_due is None:
        return None
    due = timezone.localtime(case.finish_due).strftime("%Y-%m-%d %H:%M")
    return _("按时限应于 %(due)s 前办结") % {"due": due}


def _public_places(nodes: list[Node]) -> dict[int, Node]:
    """Each node, or for a 楼栋/单元 its nearest ancestor above them (one query for the whole page)."""
    wanted = set()
    for node in nodes:
        if node.kind in PRIVATE_KINDS:
            wanted.update(node.path[: i * node.steplen] for i in range(1, node.depth))
    ancestors = {n.path: n for n in Node.objects.filter(path__in=wanted)}
    places = {}
    for node in nodes:
        place = node
        while place.kind in PRIVATE_KINDS and place.depth > 1:
            place = ancestors[place.path[: -place.steplen]]
        places[node.pk] = place
    return places


def _submitted_media(cases: list[Case]) -> dict[int, str]:
    """The media_url a client gave when it posted the request, for cases without a photo of their own."""
    submission_type = ContentType.objects.get_for_model(Submission)
    by_submission = {
        int(case.source_id): case.pk
        for case in cases
        if case.source_type_id == submission_type.pk and not case.images and case.source_id.isdigit()
    }
    rows = (
        Submission.objects.filter(pk__in=by_submission).exclude(media_url="").values_list("pk", "media_url")
    )
    return {by_submission[pk]: url for pk, url in rows}


def first_image(number: str) -> CaseAttachment | None:
    """The one attachment the feed publishes for a request: its first photo."""
    return (
        CaseAttachment.objects.filter(
            case__number=number, case__kind__code="appeal", content_type__startswith="image/"
        )
        .order_by("pk")
        .first()
    )
