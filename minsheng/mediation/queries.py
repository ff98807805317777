"""Shared reads: who is this person, what has the platform seen of them and their address, is this matter a repeat."""

import datetime as dt
from dataclasses import dataclass, field

import jieba
from django.db.models import Q
from rapidfuzz import fuzz

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
    if viewer.has_cap("petition.view") or viewer.is_superuser:
        h.petitions = list(
            Petition.objects.visible_to(viewer)
            .filter(person)
            .select_related("case")
            .order_by("-registered_at")[:50]
        )
    h.visits = list(Visit.objects.visible_to(viewer).filter(person).order_by("-visited_at")[:50])
    return h
