"""连心大走访 and 联户交心: teams, campaigns with target households and visitors, the visit log, linked contacts.

A problem met at a door is a case of the engine (channel 连心大走访), filed on the spot from the visit log.
Only the visitor a household is assigned to may log its visit: the round is his, and the coverage figure counts
households his visits reached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Cap
from minsheng.cases.attachments import MAX_FILES, validate_upload
from minsheng.cases.choices import Channel
from minsheng.core import clock
from minsheng.core.calendar import TZ
from minsheng.core.permissions import require_cap

from ..choices import ContactMethod, ItemKind, TargetStatus, VisitOutcome
from ..models import (
    ContactPlan,
    Item,
    LinkedContact,
    RedTeam,
    Visit,
    VisitCampaign,
    VisitPhoto,
    VisitTarget,
)
from .common import clean_item, open_item_case

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from minsheng.accounts.models import User
    from minsheng.org.models import Grid, Household, Node, PartyMember, ResidentTag


T = TargetStatus


@transaction.atomic
def do_create_team(
    *,
    actor: User | None,
    name: str,
    node: Node,
    leader: User | None = None,
    members: Iterable[User] = (),
    buildings: Iterable[Node] = (),
) -> RedTeam:
    """红色管家 team: party members, property managers and grid workers covering some buildings."""
    require_cap(actor, Cap.DELIBERATION_MANAGE, node)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写队伍名称")})
    buildings = list(buildings)
    outside = [b for b in buildings if not b.path.startswith(node.path)]
    if outside:
        raise ValidationError({"buildings": _("包保楼栋必须在队伍所在的社区/小区内")})
    team = RedTeam.objects.create(name=name[:100], node=node, leader=leader)
    team.members.set(list(members))
    team.buildings.set(buildings)
    return team


@transaction.atomic
def do_create_campaign(
    *,
    actor: User | None,
    title: str,
    node: Node,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str = "",
    team: RedTeam | None = None,
) -> VisitCampaign:
    require_cap(actor, Cap.DELIBERATION_MANAGE, node)
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写活动名称")
    if starts_on is None or ends_on is None or ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期")
    if errors:
        raise ValidationError(errors)
    return VisitCampaign.objects.create(
        title=title[:100],
        node=node,
        starts_on=starts_on,
        ends_on=ends_on,
        description=(description or "").strip()[:300],
        team=team,
        created_by=actor,
    )


@transaction.atomic
def do_add_targets(
    campaign: VisitCampaign,
    *,
    actor: User | None,
    node: Node | None = None,
    grids: Iterable[Grid] = (),
    tag: ResidentTag | None = None,
) -> int:
    """Target households: those under a node (社区, 小区, 楼栋), in some grids, and/or with a resident tagged (独居老人).

    Every filter given narrows the set; households outside the campaign's area are never added. Returns how many
    households were added (ones already targeted are left alone).
    """
    from minsheng.org.models import Household, Node

    require_cap(actor, Cap.DELIBERATION_MANAGE, campaign.node)
    households = Household.objects.filter(node__path__startswith=campaign.node.path)
    if node is not None:
        if not node.path.startswith(campaign.node.path):
            raise ValidationError({"node": _("所选范围不在活动范围内")})
        households = households.filter(node__path__startswith=node.path)
    grids = list(grids)
    if grids:
        # A grid reaches the nodes it covers (its 小区 and buildings), not its whole community.
        paths = Node.objects.filter(covering_grids__in=grids).values_list("path", flat=True)
        inside = Q()
        for path in set(paths):
            inside |= Q(node__path__startswith=path)
        households = households.filter(inside) if inside else households.none()
    if tag is not None:
        households = households.filter(members__tags=tag)
    already = campaign.targets.values("household_id")
    new = list(households.exclude(pk__in=already).distinct().values_list("pk", flat=True))
    VisitTarget.objects.bulk_create([VisitTarget(campaign=campaign, household_id=pk) for pk in new])
    return len(new)


@transaction.atomic
def do_assign(
    campaign: VisitCampaign,
    *,
    actor: User | None,
    visitor: User,
    targets: Iterable[VisitTarget] | None = None,
    node: Node | None = None,
) -> int:
    """Give households to a visitor: chosen targets, or every unvisited one under a node (a building)."""
    from minsheng.core import notifications

    require_cap(actor, Cap.DELIBERATION_MANAGE, campaign.node)
    if visitor is None or not visitor.is_active:
        raise ValidationError({"visitor": _("请选择走访人")})
    qs = campaign.targets.filter(status__in=(T.PENDING, T.NOT_HOME))
    if targets is not None:
        qs = qs.filter(pk__in=[t.pk if hasattr(t, "pk") else t for t in targets])
    if node is not None:
        qs = qs.filter(household__node__path__startswith=node.path)
    count = qs.update(visitor=visitor, updated_at=clock.now())
    if count:
        notifications.notify(
            visitor,
            title=_("走访任务：%(t)s，%(n)d户") % {"t": campaign.title, "n": count},
            link="/deliberation/visits/mine/",
            kind="deliberation",
            source=campaign,
        )
    return count


def _clean_problems(problems: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    clean = []
    for problem in problems or []:
        text = (problem.get("text") or "").strip()
        if text:
            clean.append({**problem, "text": clean_item(problem.get("kind") or ItemKind.PROBLEM, text)})
    return clean


@transaction.atomic
def do_record_visit(
    target: VisitTarget,
    *,
    actor: User | None,
    outcome: str,
    notes: str = "",
    photos: Iterable[UploadedFile[bytes]] = (),
    problems: Iterable[Mapping[str, Any]] = (),
) -> Visit:
    """One knock on the door. 不在家 keeps the household on the round; a problem becomes a case on the spot."""
    target = (
        VisitTarget.objects.select_for_update()
        .select_related("campaign", "household__node")
        .get(pk=target.pk)
    )
    if actor is None or target.visitor_id != actor.pk:
        raise PermissionDenied(_("这户不在您的走访名单上，只有分配的走访人可以记录"))
    errors = {}
    if outcome not in VisitOutcome.values:
        errors["outcome"] = _("请选择走访结果")
    notes = (notes or "").strip()
    if len(notes) > 2000:
        errors["notes"] = _("走访情况不能超过2000字")
    photos = list(photos or [])
    if len(photos) > MAX_FILES:
        errors["photos"] = _("一次最多上传 %(n)d 张照片") % {"n": MAX_FILES}
    if errors:
        raise ValidationError(errors)
    problems = _clean_problems(problems)
    if problems and outcome != VisitOutcome.VISITED:
        raise ValidationError({"problems": _("只有见到住户时才能记录反映的问题")})
    if target.status not in (T.PENDING, T.NOT_HOME):
        raise ValidationError({"outcome": _("这户已走访完毕")})
    today = clock.now().astimezone(TZ).date()
    campaign = target.campaign
    if not campaign.starts_on <= today <= campaign.ends_on:
        raise ValidationError(
            {
                "outcome": _("不在走访活动的时间内（%(s)s 至 %(e)s）")
                % {"s": campaign.starts_on, "e": campaign.ends_on}
            }
        )
    now = clock.now()
    visit = Visit.objects.create(target=target, visitor=actor, outcome=outcome, notes=notes, visited_at=now)
    for photo in photos:
        mime = validate_upload(photo)
        if not mime.startswith("image/"):
            raise ValidationError({"photos": _("只能上传照片")})
        VisitPhoto.objects.create(visit=visit, file=photo, name=(photo.name or "")[:200], content_type=mime)
    statuses: dict[str, TargetStatus] = {VisitOutcome.VISITED: T.VISITED, VisitOutcome.REFUSED: T.REFUSED}
    target.status = statuses.get(outcome, T.NOT_HOME)
    target.attempts += 1
    target.last_visit_at = now
    target.save(update_fields=["status", "attempts", "last_visit_at", "updated_at"])
    for problem in problems:
        item = Item.objects.create(
            visit=visit,
            node=target.household.node,
            kind=problem.get("kind") or ItemKind.PROBLEM,
            text=problem["text"],
            raised_by=target.household.head_name,
            category=problem.get("category"),
            recorded_by=actor,
            raised_at=now,
        )
        if item.kind == ItemKind.PROBLEM:
            open_item_case(item, actor=actor, channel=Channel.DOOR_VISIT)
    return visit


# -- 联户交心 ----------------------------------------------------------------------------------------------------


@transaction.atomic
def do_set_contact_plan(party_member: PartyMember, *, actor: User | None, every_days: int) -> ContactPlan:
    require_cap(actor, Cap.DELIBERATION_MANAGE, party_member.party_org.node)
    try:
        every_days = int(every_days)
    except (TypeError, ValueError):
        raise ValidationError({"every_days": _("联系周期必须是整数天")}) from None
    if not 1 <= every_days <= 366:
        raise ValidationError({"every_days": _("联系周期必须在1–366天之间")})
    plan, _created = ContactPlan.objects.update_or_create(
        party_member=party_member, defaults={"every_days": every_days}
    )
    return plan


@transaction.atomic
def do_record_contact(
    party_member: PartyMember,
    household: Household,
    *,
    actor: User | None,
    method: str,
    note: str = "",
    problems: Iterable[Mapping[str, Any]] = (),
) -> LinkedContact:
    """A party member reached one of his linked households; he records it himself, or a staff member for him."""
    if actor is None or not (
        party_member.user_id == actor.pk or actor.has_cap(Cap.DELIBERATION_RECORD, household.node)
    ):
        raise PermissionDenied(_("只有该党员本人或有权限的工作人员可以记录联户情况"))
    if not party_member.households.filter(pk=household.pk).exists():
        raise ValidationError({"household": _("该户不是这名党员的联系户")})
    if method not in ContactMethod.values:
        raise ValidationError({"method": _("请选择联系方式")})
    problems = _clean_problems(problems)
    now = clock.now()
    contact = LinkedContact.objects.create(
        party_member=party_member,
        household=household,
        method=method,
        note=(note or "").strip()[:500],
        contacted_at=now,
        recorded_by=actor,
    )
    for problem in problems:
        item = Item.objects.create(
            contact=contact,
            node=household.node,
            kind=problem.get("kind") or ItemKind.PROBLEM,
            text=problem["text"],
            raised_by=household.head_name,
            category=problem.get("category"),
            recorded_by=actor,
            raised_at=now,
        )
        if item.kind == ItemKind.PROBLEM:
            open_item_case(item, actor=actor, channel=Channel.DOOR_VISIT)
    return contact
