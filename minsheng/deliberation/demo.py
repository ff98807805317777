"""A year of deliberation for the demo 街道, replayed through the actions (loaded by `minsheng demo` after cases).

Every 社区 holds its 周一议事日 every Monday (a holiday Monday moves to the next workday), a 四方联席会议 each quarter
and 马扎议事会 now and then; every 小区 its 阳光开放日 on the 28th. Each meeting is opened, people sign in, items are
raised (most become cases, some stay suggestions), sometimes owners vote, and it closes with minutes that are then
published. Each item's case is then worked on the engine — accepted, dispatched, signed, replied, verified — days
later, or left open; a few are reopened. So the figures (about 1,100 suggestions at the 阳光开放日 with about 64 %
solved, as the article reports) are computed from the engine's states, not typed in.

Two visit campaigns (连心大走访: one finished in spring, one under way), 红色管家 teams, and 联户交心 contacts of the
party members with their linked households complete the picture. Everything made here is labelled 演示数据; the
random generator is seeded and a second load changes nothing.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership, User
from minsheng.cases import actions as case_actions
from minsheng.cases.choices import UnitKind
from minsheng.cases.models import Category, Unit
from minsheng.core import clock, notifications
from minsheng.core.calendar import TZ
from minsheng.core.context import acting
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node, PartyMember, ResidentTag

from . import actions
from .choices import HolidayPolicy, ItemKind, ParticipantRole, VisitOutcome, VoteMatter
from .models import Meeting, MeetingKind, RedTeam, VisitTarget

SEED = 20260528
DEMO = "（演示数据）"
DAYS = 365
#: The share of problems whose case is worked to 办结 (of those whose turn comes before today).
SOLVE_RATE = 0.78
SUGGESTION_RATE = 0.1
REOPEN_RATE = 0.02
MISSED_RATE = 0.02
CANCEL_RATE = 0.02

PROBLEMS = {
    "04": ["{p}停车位不够，晚上车停到消防通道", "{p}东门口电动车乱停", "{p}希望增设充电桩"],
    "07": ["{p}水压低，高层用水困难", "{p}楼道电线老化", "{p}暖气片不热"],
    "08": ["{p}楼道灯坏了", "{p}单元门禁损坏", "{p}保洁不及时，楼道有垃圾"],
    "05": ["{p}下水道返味", "{p}雨水井堵塞，下雨积水"],
    "01": ["{p}垃圾桶满溢没人清", "{p}绿化带里有建筑垃圾"],
    "02": ["{p}有人在楼道给电动车充电", "{p}消防栓没水"],
    "06": ["{p}电梯经常停", "{p}希望加装电梯"],
    "10": ["{p}广场舞声音太大", "{p}装修噪音中午不停"],
}
WEIGHTS = {"04": 18, "07": 22, "08": 20, "05": 10, "01": 10, "02": 8, "06": 6, "10": 6}
SUGGESTIONS = [
    "建议物业公示收支明细",
    "建议增设休闲座椅",
    "建议多组织邻里活动",
    "建议在小区门口设快递柜",
    "建议完善物业服务评价",
    "建议楼道张贴安全用电提示",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
CANCEL_REASONS = ["暴雨预警，改期召开", "社区疫苗接种集中日，暂停一次", "与街道集中培训冲突"]


def load(out=None) -> list:
    street = Node.objects.filter(kind=NodeKind.STREET, name__contains="演示").first()
    if street is None:
        return []
    if Meeting.objects.filter(node__path__startswith=street.path).exists():
        _say(out, "演示议事协商数据已存在，未做改动。")
        return []
    admin = Membership.objects.filter(role=Role.STREET_ADMIN, node=street).select_related("user").first()
    admin = admin.user if admin else User.objects.filter(is_superuser=True).first()
    year = Year(street, admin, timezone.now())
    with acting(admin), notifications.muted():
        year.run(out)
    _say(out, year.summary())
    return []


def _say(out, message: str) -> None:
    if out is not None:
        out.write(message + "\n")


class Year:
    def __init__(self, street, admin, now):
        self.street, self.admin, self.now = street, admin, now
        self.rng = random.Random(SEED)
        self.start = now - dt.timedelta(days=DAYS)
        self.kinds = {k.code: k for k in MeetingKind.objects.all()}
        self.categories = {
            code: list(Category.objects.filter(code__startswith=code, depth=3)) for code in PROBLEMS
        }
        self.counts = {"meetings": 0, "items": 0, "solved": 0, "visits": 0, "contacts": 0}
        self.pending: list[tuple[dt.datetime, object]] = []

    # -- people --------------------------------------------------------------------------------------------------

    def staff(self, role, node) -> list:
        return [
            m.user
            for m in Membership.objects.filter(
                role=role, node__path__startswith=node.path, user__is_active=True
            )
            .select_related("user")
            .order_by("pk")
        ]

    def desk(self, community):
        workers = self.staff(Role.COMMUNITY_WORKER, community)
        return workers[0] if workers else self.admin

    def unit(self, community, desk):
        """The community's 居委会 unit the cases engine dispatches to (the cases demo made it; else make one)."""
        unit = Unit.objects.filter(node=community, kind=UnitKind.COMMUNITY).first()
        if unit is None:
            unit = Unit.objects.create(
                name=f"{community.name}居委会{DEMO}", kind=UnitKind.COMMUNITY, node=community
            )
        if not unit.members.exists():
            unit.members.add(desk)
        return unit

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(["大爷", "阿姨", "师傅", "女士", "先生", "老师"])

    # -- the year ------------------------------------------------------------------------------------------------

    def run(self, out) -> None:
        communities = list(
            Node.objects.filter(path__startswith=self.street.path, kind=NodeKind.COMMUNITY).order_by("path")
        )
        plans = []
        for community in communities:
            desk = self.desk(community)
            unit = self.unit(community, desk)
            estates = list(
                Node.objects.filter(path__startswith=community.path, kind=NodeKind.ESTATE).order_by("path")
            )
            with clock.at(self.start), transaction.atomic():
                monday = actions.do_create_series(
                    actor=desk,
                    kind=self.kinds["monday"],
                    node=community,
                    title=f"{community.name}周一议事日",
                    place="社区党群服务中心议事厅",
                    convenor=desk,
                    frequency="weekly",
                    weekday=0,
                    start_time=dt.time(9),
                    end_time=dt.time(10, 30),
                    holiday_policy=HolidayPolicy.MOVE,
                    starts_on=self.start.astimezone(TZ).date(),
                    stamp_until=(self.now + dt.timedelta(days=28)).astimezone(TZ).date(),
                )
                plans.append((monday, community, desk, unit, 1, 3))
                for estate in estates:
                    open_day = actions.do_create_series(
                        actor=desk,
                        kind=self.kinds["open_day"],
                        node=estate,
                        title=f"{estate.name}阳光开放日",
                        place=f"{estate.name}物业服务中心",
                        convenor=desk,
                        frequency="monthly",
                        day_of_month=28,
                        start_time=dt.time(9),
                        end_time=dt.time(11, 30),
                        holiday_policy=HolidayPolicy.KEEP,
                        starts_on=self.start.astimezone(TZ).date(),
                        stamp_until=(self.now + dt.timedelta(days=40)).astimezone(TZ).date(),
                    )
                    plans.append((open_day, estate, desk, unit, 2, 6))  # plus one now and then: ≈ 4.4
                for quarter in range(4):
                    when = self.start + dt.timedelta(days=45 + 91 * quarter)
                    when = when.astimezone(TZ).replace(hour=15, minute=0, second=0, microsecond=0)
                    estate = self.rng.choice(estates) if estates else community
                    meeting = actions.do_create_meeting(
                        actor=desk,
                        kind=self.kinds["four_party"],
                        node=estate,
                        title=f"{estate.name}四方联席会议",
                        place=f"{estate.name}议事亭",
                        starts_at=when,
                        ends_at=when + dt.timedelta(hours=2),
                    )
                    plans.append((meeting, estate, desk, unit, 2, 4))
                for _n in range(self.rng.randint(3, 6)):
                    when = self.start + dt.timedelta(days=self.rng.randint(10, DAYS - 5))
                    when = when.astimezone(TZ).replace(hour=18, minute=30, second=0, microsecond=0)
                    estate = self.rng.choice(estates) if estates else community
                    meeting = actions.do_create_meeting(
                        actor=desk,
                        kind=self.kinds["mazha"],
                        node=estate,
                        title=f"{estate.name}马扎议事会",
                        place=f"{estate.name}{self.rng.choice(['中心广场', '3号楼前树荫下', '凉亭'])}",
                        starts_at=when,
                        ends_at=when + dt.timedelta(hours=1),
                    )
                    plans.append((meeting, estate, desk, unit, 1, 4))
        meetings = []
        for target, node, desk, unit, low, high in plans:
            if isinstance(target, Meeting):
                meetings.append((target, node, desk, unit, low, high))
            else:
                for meeting in target.meetings.filter(ends_at__lt=self.now):
                    meetings.append((meeting, node, desk, unit, low, high))
        meetings.sort(key=lambda row: row[0].starts_at)
        for n, (meeting, node, desk, unit, low, high) in enumerate(meetings):
            self.flush(meeting.starts_at)
            if meeting.ends_at >= self.now:
                continue
            self.hold(meeting, node, desk, unit, low, high)
            if out is not None and n % 200 == 0:
                out.write(f"  议事会议 {meeting.starts_at:%Y-%m}（已召开 {self.counts['meetings']} 场）\n")
                out.flush()
        self.flush(self.now)
        self.visits(communities)
        self.linked()

    def flush(self, until: dt.datetime) -> None:
        """Run the case steps due before `until`, in time order."""
        self.pending.sort(key=lambda step: step[0])
        while self.pending and self.pending[0][0] < min(until, self.now):
            when, step = self.pending.pop(0)
            with clock.at(when), transaction.atomic():
                step()

    # -- one meeting -----------------------------------------------------------------------------------------------

    def hold(self, meeting, node, desk, unit, low, high) -> None:
        rng = self.rng
        if meeting.series_id and rng.random() < MISSED_RATE:
            return  # never held: shows as 缺开
        if meeting.series_id and rng.random() < CANCEL_RATE:
            with clock.at(meeting.starts_at - dt.timedelta(days=2)):
                actions.do_cancel(meeting, actor=desk, reason=rng.choice(CANCEL_REASONS))
            return
        with clock.at(meeting.starts_at - dt.timedelta(days=3)):
            if rng.random() < 0.3:
                actions.do_add_topic(
                    meeting, actor=desk, title=rng.choice(["物业服务提升", "停车秩序整治", "楼道安全"])
                )
        start = meeting.starts_at + dt.timedelta(minutes=5)
        with clock.at(start), transaction.atomic():
            actions.do_open(meeting, actor=desk)
            actions.do_register_attendee(
                meeting, actor=desk, user=desk, name=str(desk), role=ParticipantRole.COMMUNITY_WORKER
            )
            for grid_worker in self.staff(Role.GRID_WORKER, node)[:1]:
                actions.do_sign_in(meeting, user=grid_worker)
            for manager in self.staff(Role.PROPERTY_STAFF, node)[:1]:
                actions.do_sign_in(meeting, user=manager)
            for role in (
                ParticipantRole.RESIDENT_REP,
                ParticipantRole.RESIDENT_REP,
                ParticipantRole.PARTY_MEMBER,
            ):
                if rng.random() < 0.8:
                    actions.do_register_attendee(meeting, actor=desk, name=self.name(), role=role)
            if meeting.kind.code == "four_party":
                actions.do_register_attendee(
                    meeting,
                    actor=desk,
                    name=self.name(),
                    role=ParticipantRole.OWNERS_COMMITTEE,
                )
            tally = {
                "resident": rng.randint(15, 40) if meeting.kind.code == "open_day" else rng.randint(3, 12)
            }
            actions.do_set_tally(meeting, actor=desk, counts=tally)
        raised = []
        extra = 1 if meeting.kind.code == "open_day" and rng.random() < 0.4 else 0
        for i in range(rng.randint(low, high) + extra):
            with clock.at(start + dt.timedelta(minutes=8 * (i + 1))), transaction.atomic():
                if rng.random() < SUGGESTION_RATE:
                    item = actions.do_raise_item(
                        meeting,
                        actor=desk,
                        kind=ItemKind.SUGGESTION,
                        text=rng.choice(SUGGESTIONS),
                        raised_by=self.name(),
                    )
                else:
                    code = rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
                    text = rng.choice(PROBLEMS[code]).format(p=node.name)
                    item = actions.do_raise_item(
                        meeting,
                        actor=desk,
                        kind=ItemKind.PROBLEM,
                        text=text,
                        raised_by=self.name(),
                        category=rng.choice(self.categories[code]),
                    )
                    self.schedule(item.case, desk, unit)
                raised.append(item)
                self.counts["items"] += 1
        end = meeting.ends_at - dt.timedelta(minutes=10)
        with clock.at(end), transaction.atomic():
            if meeting.kind.code == "four_party" and rng.random() < 0.5:
                total_owners = rng.randint(200, 600)
                area = Decimal(total_owners * rng.randint(85, 120))
                part = rng.uniform(0.6, 0.9)
                yes = rng.uniform(0.6, 0.95)
                actions.do_record_vote(
                    meeting,
                    actor=desk,
                    subject="使用专项维修资金维修屋面防水",
                    matter=VoteMatter.REPAIR_FUND,
                    total_area=area,
                    total_owners=total_owners,
                    participating_area=(area * Decimal(part)).quantize(Decimal("0.01")),
                    participating_owners=int(total_owners * part),
                    yes_area=(area * Decimal(part * yes)).quantize(Decimal("0.01")),
                    yes_owners=int(total_owners * part * yes),
                )
            lines = [f"本次{meeting.kind.name}收集意见建议{len(raised)}条。"]
            lines += [
                f"{n}. {item.text}（{'已立案交办' if item.case_id else '作为建议记录'}）"
                for n, item in enumerate(raised, start=1)
            ]
            lines.append("会议议定：问题事项按时限办理，下次会议通报落实情况。")
            actions.do_close(meeting, actor=desk, minutes="\n".join(lines))
            if rng.random() < 0.9:
                actions.do_publish(meeting, actor=desk)
        self.counts["meetings"] += 1

    def schedule(self, case, desk, unit) -> None:
        """The case's life on the engine: most worked to 办结 in a few days to weeks, the rest left open."""
        rng = self.rng
        t0 = clock.now()
        accept = t0 + dt.timedelta(hours=rng.uniform(1, 20))
        self.pending.append((accept, lambda: self.accept(case, desk, unit)))
        if rng.random() < SOLVE_RATE:
            done = accept + dt.timedelta(days=rng.uniform(2, 18))
            self.pending.append((done, lambda: self.resolve(case, desk)))
            if rng.random() < REOPEN_RATE:
                self.pending.append(
                    (done + dt.timedelta(days=rng.uniform(1, 10)), lambda: self.reopen(case, desk))
                )

    def accept(self, case, desk, unit) -> None:
        case = case_actions.do_accept(case, actor=desk)
        handler = unit.members.order_by("pk").first()
        case = case_actions.do_dispatch(case, actor=desk, unit=unit, handler=handler)
        case_actions.do_sign(case, actor=handler)

    def resolve(self, case, desk) -> None:
        case.refresh_from_db()
        if case.status != "handling":
            return
        case = case_actions.do_reply(case, actor=case.handler, note="已现场处理完毕，居民认可。")
        case_actions.do_verify(case, actor=desk, passed=True, note="核查属实")
        self.counts["solved"] += 1

    def reopen(self, case, desk) -> None:
        case.refresh_from_db()
        if case.status in ("resolved", "archived"):
            case_actions.do_reopen(case, actor=desk, reason="居民反映问题复发")

    # -- visits, teams, 联户 ------------------------------------------------------------------------------------

    def visits(self, communities) -> None:
        rng = self.rng
        alone = ResidentTag.objects.filter(code="alone").first()
        today = self.now.astimezone(TZ).date()
        for community in communities:
            buildings = list(Node.objects.filter(path__startswith=community.path, kind=NodeKind.BUILDING)[:6])
            members = self.staff(Role.GRID_WORKER, community) + self.staff(Role.PROPERTY_STAFF, community)
            members += [
                m.user
                for m in PartyMember.objects.filter(
                    party_org__node__path__startswith=community.path, user__isnull=False
                ).select_related("user")[:3]
            ]
            desk = self.desk(community)
            if members:
                with transaction.atomic():
                    actions.do_create_team(
                        actor=desk,
                        name=f"{community.name}红色管家服务队",
                        node=community,
                        leader=members[0],
                        members=members,
                        buildings=buildings,
                    )
        visitors_of = {t.node_id: list(t.members.all()) for t in RedTeam.objects.filter(node__in=communities)}
        communities_by_path = {c.path: c for c in communities}
        for title, start, end, share, tag in (
            ("春季连心大走访", today - dt.timedelta(days=240), today - dt.timedelta(days=200), 0.93, None),
            (
                "冬季连心大走访·独居老人",
                today - dt.timedelta(days=12),
                today + dt.timedelta(days=18),
                0.45,
                alone,
            ),
        ):
            with clock.at(dt.datetime.combine(start, dt.time(9), tzinfo=TZ)), transaction.atomic():
                campaign = actions.do_create_campaign(
                    actor=self.admin,
                    title=title,
                    node=self.street,
                    starts_on=start,
                    ends_on=end,
                    description="红色管家入户走访，问需于民" + DEMO,
                )
                for community in communities:
                    actions.do_add_targets(campaign, actor=self.admin, node=community, tag=tag)
                    visitors = visitors_of.get(community.pk) or []
                    targets = list(campaign.targets.filter(household__node__path__startswith=community.path))
                    for i, visitor in enumerate(visitors):
                        mine = targets[i :: len(visitors)]
                        actions.do_assign(campaign, actor=self.admin, visitor=visitor, targets=mine)
            span = (min(end, today) - start).days or 1
            for target in VisitTarget.objects.filter(campaign=campaign, visitor__isnull=False).select_related(
                "visitor", "household"
            ):
                if rng.random() > share:
                    continue
                attempts = 1 if rng.random() < 0.8 else 2
                for attempt in range(attempts):
                    day = start + dt.timedelta(days=rng.randint(0, span - 1))
                    moment = dt.datetime.combine(
                        day, dt.time(rng.randint(9, 19), rng.randint(0, 59)), tzinfo=TZ
                    )
                    if moment >= self.now:
                        continue
                    last = attempt == attempts - 1
                    outcome = (
                        VisitOutcome.NOT_HOME
                        if not last
                        else rng.choices(
                            [VisitOutcome.VISITED, VisitOutcome.NOT_HOME, VisitOutcome.REFUSED], [88, 9, 3]
                        )[0]
                    )
                    problems = []
                    if outcome == VisitOutcome.VISITED and rng.random() < 0.12:
                        code = rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
                        problems = [
                            {
                                "text": rng.choice(PROBLEMS[code]).format(p=target.household.node.name),
                                "category": rng.choice(self.categories[code]),
                            }
                        ]
                    with clock.at(moment), transaction.atomic():
                        target.refresh_from_db()
                        if target.status not in ("pending", "not_home"):
                            break
                        visit = actions.do_record_visit(
                            target,
                            actor=target.visitor,
                            outcome=outcome,
                            problems=problems,
                            notes=rng.choice(
                                ["身体健康，生活正常", "了解家庭情况，宣传政策", "老人独居，叮嘱注意安全"]
                            )
                            if outcome == VisitOutcome.VISITED
                            else "",
                        )
                    self.counts["visits"] += 1
                    for item in visit.items.exclude(case=None).select_related("case"):
                        community = communities_by_path[target.household.node.path[: 2 * Node.steplen]]
                        desk = self.desk(community)
                        with clock.at(moment):
                            self.schedule(item.case, desk, self.unit(community, desk))
            self.flush(self.now)

    def linked(self) -> None:
        rng = self.rng
        members = PartyMember.objects.filter(
            party_org__node__path__startswith=self.street.path
        ).prefetch_related("households__node")
        for member in members:
            households = list(member.households.all())
            if not households:
                continue
            every = rng.choice([30, 30, 30, 15])
            actions.do_set_contact_plan(member, actor=self.admin, every_days=every)
            for household in households:
                moment = self.now - dt.timedelta(days=rng.uniform(60, 90))
                while True:
                    moment += dt.timedelta(days=rng.uniform(every * 0.6, every * 1.5))
                    if moment >= self.now:
                        break
                    with clock.at(moment):
                        actions.do_record_contact(
                            member,
                            household,
                            actor=member.user or self.admin,
                            method=rng.choice(["door", "door", "phone", "wechat"]),
                            note=rng.choice(["家中一切正常", "宣传垃圾分类", "了解就业需求", ""]),
                        )
                    self.counts["contacts"] += 1

    def summary(self) -> str:
        c = self.counts
        return (
            f"议事协商：召开会议 {c['meetings']} 场，收集事项 {c['items']} 条（办结 {c['solved']} 件），"
            f"入户走访 {c['visits']} 次，联户交心 {c['contacts']} 次。"
        )
