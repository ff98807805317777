"""Shared reads: who is this person, what has the platform seen of them and their address, is this matter a repeat."""

import datetime as dt
from dataclasses import dataclass, field

import jieba
from django.db.models import Q
from rapidfuzz import fuzz

from minsheng.accounts.choices import Cap
from minsheng.cases.models import Case
from minsheng.core import clock

from . import conf
from .models import Dispute, Party, Petition, Visit

jieba.setLogLevel(60)

_STOP = set("的了和与在是有我他她们你这那就都也还及并对把被给从到向为因而但或等个")


def matter_words(text: str) -> str:
    """The matter as a bag of words (jieba), stop characters and punctuation dropped: what similarity compares."""
    words = [w.strip() for w in jieba.lcut(text or "")]
    words = [w for w in words if w and (len(w) > 1 or w not in _STOP) and any(ch.isalnum() for ch in w)]
    return " ".join(words)[:500]


def similarity(a_words: str, b_words: str) -> int:
    if not a_words or not b_words:
        return 0
    return int(fuzz.token_set_ratio(a_words, b_words))


@dataclass
class Match:
    """An earlier record on the same matter by the same person or at the same address."""

    kind: str
    obj: object
    score: int
    at: dt.datetime
    case: Case | None = None


def _person_q(prefix: str, *, resident=None, phone="", id_number="", name_field="name") -> Q:
    q = Q(pk__in=[])
    if resident is not None:
        q |= Q(**{f"{prefix}resident": resident})
    if phone:
        q |= Q(**{f"{prefix}phone": phone})
    if id_number:
        q |= Q(**{f"{prefix}id_number": id_number})
    return q


def find_repeat(
    *,
    matter: str,
    node=None,
    resident=None,
    phone: str = "",
    id_number: str = "",
    before=None,
    exclude_visit=None,
) -> Match | None:
    """The best earlier match within the window: same person (registry row, phone or ID number) or same address
    (the same org node), and a similar matter (jieba words, rapidfuzz token-set ratio ≥ the threshold)."""
    before = before or clock.now()
    since = before - dt.timedelta(days=conf.get("repeat_window_days"))
    threshold = conf.get("similarity_threshold")
    words = matter_words(matter)
    person = _person_q("", resident=resident, phone=phone, id_number=id_number)
    place = Q(node=node) if node is not None else Q(pk__in=[])
    best: Match | None = None

    def consider(kind, obj, other_words, at, case=None):
        nonlocal best
        score = similarity(words, other_words)
        if score >= threshold and (best is None or score > best.score):
            best = Match(kind, obj, score, at, case)

    visits = Visit.objects.filter(person | place, visited_at__gte=since, visited_at__lt=before)
    if exclude_visit is not None:
        visits = visits.exclude(pk=exclude_visit.pk)
    for v in visits.order_by("-visited_at")[:200]:
        consider("visit", v, v.matter_words, v.visited_at, v.case)
    petitions = Petition.objects.filter(person | place, registered_at__gte=since, registered_at__lt=before)
    for p in petitions.select_related("case").order_by("-registered_at")[:200]:
        consider("petition", p, p.matter_words, p.registered_at, p.case)
    case_person = Q(pk__in=[])
    if phone:
        case_person |= Q(reporter_phone=phone)
    if resident is not None and resident.user_id:
        case_person |= Q(reporter_user_id=resident.user_id)
    cases = Case.objects.filter(case_person | place, reported_at__gte=since, reported_at__lt=before)
    for c in cases.order_by("-reported_at")[:200]:
        consider("case", c, matter_words(c.description), c.reported_at, c)
    return best


def finalized_match(*, matter: str, resident=None, phone: str = "", id_number: str = "") -> Petition | None:
    """A petition chain ended (终结, after 复核) on the same facts by the same person: not accepted again."""
    person = _person_q("", resident=resident, phone=phone, id_number=id_number)
    words = matter_words(matter)
    threshold = conf.get("similarity_threshold")
    for p in Petition.objects.filter(person, final=True).order_by("-registered_at")[:50]:
        if similarity(words, p.matter_words) >= threshold:
            return p
    return None


@dataclass
class PersonHistory:
    """Everything the platform knows of a person and their address, as the viewer may see it."""

    cases: list = field(default_factory=list)
    address_cases: list = field(default_factory=list)
    disputes: list = field(default_factory=list)
    petitions: list = field(default_factory=list)
    visits: list = field(default_factory=list)


def person_history(
    viewer, *, resident=None, phone: str = "", id_number: str = "", node=None
) -> PersonHistory:
    h = PersonHistory()
    case_person = Q(pk__in=[])
    if phone:
        case_person |= Q(reporter_phone=phone)
    if resident is not None and resident.user_id:
        case_person |= Q(reporter_user_id=resident.user_id)
    visible_cases = Case.objects.visible_to(viewer).select_related("kind")
    h.cases = list(visible_cases.filter(case_person).order_by("-reported_at")[:50])
    if node is not None:
        h.address_cases = list(
            visible_cases.filter(node=node)
            .exclude(pk__in=[c.pk for c in h.cases])
            .order_by("-reported_at")[:20]
        )
    person = _person_q("", resident=resident, phone=phone, id_number=id_number)
    party_disputes = Party.objects.filter(person).values("dispute_id")
    h.disputes = list(
        Dispute.objects.visible_to(viewer)
        .filter(Q(pk__in=party_disputes) | (Q(node=node) if node is not None else Q(pk__in=[])))
        .select_related("case")
        .order_by("-accepted_at")[:50]
    )
    if viewer.has_cap(Cap.PETITION_VIEW) or viewer.is_superuser:
        h.petitions = list(
            Petition.objects.visible_to(viewer)
            .filter(person)
            .select_related("case")
            .order_by("-registered_at")[:50]
        )
    h.visits = list(Visit.objects.visible_to(viewer).filter(person).order_by("-visited_at")[:50])
    return h


def reporting_nodes(viewer):
    """The communities and villages the viewer oversees: the ones expected to report each week."""
    from minsheng.org.choices import NodeKind
    from minsheng.org.models import Node

    return Node.objects.visible_to(viewer, Cap.MEDIATION_VIEW).filter(
        kind__in=[NodeKind.COMMUNITY, NodeKind.VILLAGE]
    )


def weekly_analysis(viewer, week: dt.date, weeks_back: int = 8) -> dict:
    """一周一分析: who reported, what was found (by type, area, risk), the trend, repeat people and places, and the
    week's resolution list — read through the viewer's scope."""
    from django.db.models import Count

    from minsheng.core.calendar import TZ

    from .choices import ENDED_OUTCOMES, DisputeType, RiskGrade
    from .models import ScreeningItem, WeeklyReport

    start = dt.datetime.combine(week, dt.time(0), tzinfo=TZ)
    end = start + dt.timedelta(days=7)
    nodes = list(reporting_nodes(viewer).order_by("path"))
    reports = {r.node_id: r for r in WeeklyReport.objects.visible_to(viewer).filter(week=week)}
    missing = [n for n in nodes if n.pk not in reports]
    items = ScreeningItem.objects.visible_to(viewer).filter(week=week)
    disputes = Dispute.objects.visible_to(viewer)
    accepted = disputes.filter(accepted_at__gte=start, accepted_at__lt=end)
    ended = disputes.filter(ended_at__gte=start, ended_at__lt=end, outcome__in=ENDED_OUTCOMES)
    type_labels = dict(DisputeType.choices)
    by_type: dict[str, int] = {}
    for row in items.values("type").annotate(n=Count("pk")):
        by_type[row["type"]] = by_type.get(row["type"], 0) + row["n"]
    for row in accepted.values("type").annotate(n=Count("pk")):
        by_type[row["type"]] = by_type.get(row["type"], 0) + row["n"]
    by_area: dict[str, int] = {}
    community_of = {n.path: n.name for n in nodes}

    def area(path: str) -> str:
        for p, name in community_of.items():
            if path.startswith(p):
                return name
        return "—"

    for path in list(items.values_list("node__path", flat=True)) + list(
        accepted.values_list("node__path", flat=True)
    ):
        by_area[area(path)] = by_area.get(area(path), 0) + 1
    risk_labels = dict(RiskGrade.choices)
    by_risk: dict[str, int] = {}
    for row in items.values("risk").annotate(n=Count("pk")):
        by_risk[row["risk"]] = by_risk.get(row["risk"], 0) + row["n"]
    for row in accepted.values("risk").annotate(n=Count("pk")):
        by_risk[row["risk"]] = by_risk.get(row["risk"], 0) + row["n"]
    trend = []
    for i in range(weeks_back - 1, -1, -1):
        w = week - dt.timedelta(days=7 * i)
        a = dt.datetime.combine(w, dt.time(0), tzinfo=TZ)
        trend.append(
            {
                "week": w,
                "found": ScreeningItem.objects.visible_to(viewer).filter(week=w).count(),
                "accepted": disputes.filter(
                    accepted_at__gte=a, accepted_at__lt=a + dt.timedelta(days=7)
                ).count(),
            }
        )
    window_start = start - dt.timedelta(days=7 * (weeks_back - 1))
    repeats = Visit.objects.visible_to(viewer).filter(
        is_first=False, visited_at__gte=window_start, visited_at__lt=end
    )
    repeat_people = [
        (r["name"], r["n"])
        for r in repeats.values("name").annotate(n=Count("pk")).order_by("-n", "name")[:10]
    ]
    repeat_places = [
        (r["node__full_name"], r["n"])
        for r in repeats.values("node__full_name").annotate(n=Count("pk")).order_by("-n")[:10]
    ]
    zero = sum(1 for r in reports.values() if r.is_zero)
    return {
        "week": week,
        "week_end": week + dt.timedelta(days=6),
        "nodes": nodes,
        "reports": reports,
        "missing": missing,
        "items": items.select_related("node", "dispute"),
        "by_type": sorted(((type_labels.get(k, k), n) for k, n in by_type.items()), key=lambda x: -x[1]),
        "by_area": sorted(by_area.items(), key=lambda x: -x[1]),
        "by_risk": [
            (risk_labels[k], by_risk.get(k, 0)) for k in (RiskGrade.HIGH, RiskGrade.MEDIUM, RiskGrade.LOW)
        ],
        "trend": trend,
        "repeat_people": repeat_people,
        "repeat_places": repeat_places,
        "resolved": list(ended.select_related("case").order_by("ended_at")),
        "totals": {
            "due": len(nodes),
            "done": len(reports),
            "zero": zero,
            "missing": len(missing),
            "items": items.count(),
            "accepted": accepted.count(),
            "ended": ended.count(),
            "settled": ended.filter(outcome__in=["written", "oral"]).count(),
        },
    }
