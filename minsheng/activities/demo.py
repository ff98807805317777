"""A year of community activities, volunteers and 双报到 for the demo 街道, through the real actions.

Venues at every 社区 and village; 一村一年一场戏 in every village (a few still to come); markets, calligraphy,
clinics, drowning-prevention talks and festival activities in the 社区, some put on by 双报到 units, social
organisations and 驻区单位; volunteers in grid teams, party-member teams and unit teams, their shifts and confirmed
hours, points and 积分超市 exchanges; 上门服务 cases closed and confirmed by 回访; 双报到 units, members, needs,
projects and the annual evaluation.

Attendance — the article's "超过2万人次" of 一村一年一场戏 — is recorded with `do_record_attendance` (the
documented bulk action for a sign-in sheet): each person at most once per performance, in a few statements per
event. Everything else goes through the one-at-a-time actions. Everything is labelled 演示数据; the random generator
is seeded; the history ends now. Visitors who are not in the resident registry get phones in 19900100000–
19900199999, outside the residents' demo range, so a demo number never reaches a real person.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership, User
from minsheng.core import clock, notifications
from minsheng.core.context import acting
from minsheng.org.choices import NodeKind
from minsheng.org.demo import STREET_NAME
from minsheng.org.demo_data import FEMALE_GIVEN, MALE_GIVEN, SURNAMES
from minsheng.org.models import Grid, Node, Resident

from . import actions
from .actions import dual, points, volunteers
from .choices import Grade, TeamKind, VenueKind
from .models import CheckIn, Event, Series, Venue

SEED = 20260701
DEMO = "（演示数据）"
VISITORS = 9000

UNITS = [
    ("县人民医院", "institution", "县人民医院党委", ["健康义诊", "急救知识培训", "家庭医生签约"]),
    ("县税务局", "organ", "县税务局机关党委", ["办税政策宣讲", "会议室"]),
    ("县供电公司", "soe", "县供电公司党委", ["用电安全检查", "老旧线路改造咨询"]),
    ("县实验中学", "institution", "县实验中学党总支", ["防溺水宣传", "假期托管志愿者"]),
    ("县农商银行", "enterprise", "县农商银行党委", ["反诈宣传", "助老金融服务"]),
    ("县消防救援大队", "organ", "县消防救援大队党委", ["消防演练", "灭火器使用培训"]),
    ("县图书馆", "institution", "县图书馆党支部", ["图书捐赠", "亲子阅读"]),
    ("县司法局", "organ", "县司法局机关党委", ["法律咨询", "人民调解培训"]),
    ("县市场监管局", "organ", "县市场监管局机关党委", ["食品安全宣传", "计量器具检定"]),
    ("县自来水公司", "soe", "县自来水公司党支部", ["水管维修", "节水宣传"]),
    ("县邮政分公司", "soe", "县邮政分公司党支部", ["快递进社区", "助农直播"]),
    ("县文化馆", "institution", "县文化馆党支部", ["文艺辅导", "书画培训"]),
]
SOCIAL_ORGS = ["临朐县义工联合会", "朐阳社工服务中心", "县老年书画研究会", "县青年志愿者协会"]
RESIDENT_UNITS = ["临朐县第二小学", "城关中心幼儿园", "县中医院", "朐山花园物业服务中心"]

#: (kind, title, organiser kind, months, open-air, capacity range, attendance range)
COMMUNITY_ACTIVITIES = [
    ("market", "公益市集", "community", None, True, None, (40, 90)),
    ("calligraphy", "书画笔会", "social_org", None, False, (30, 40), (18, 36)),
    ("clinic", "健康义诊", "dual_unit", None, False, (60, 80), (30, 70)),
    ("publicity", "防溺水安全宣传", "dual_unit", (5, 6, 7, 8), False, (50, 80), (25, 60)),
    ("publicity", "急救知识宣讲", "dual_unit", None, False, (40, 60), (20, 45)),
    ("culture", "手绘涂鸦美化楼道", "social_org", (4, 5, 9, 10), True, (20, 30), (12, 28)),
    ("party", "党员志愿服务日", "community", None, False, (60, 80), (30, 60)),
]
FESTIVALS = [
    (5, 11, "母亲节送花", "resident_unit"),
    (6, 1, "儿童节捐赠图书", "dual_unit"),
    (6, 19, "端午节赠艾叶", "community"),
    (9, 29, "中秋邻里节", "community"),
    (10, 11, "重阳敬老宴", "social_org"),
    (12, 20, "冬至包饺子", "community"),
]
MARKET_ITEMS = [("毛巾", 20, 60), ("洗洁精", 30, 50), ("理发券", 30, 40), ("洗衣液", 50, 40), ("大米 5 千克", 120, 20),
                ("物业费抵扣券（10 元）", 100, 30), ("食用油 5 升", 150, 15)]  # fmt: skip
SHIFT_ROLES = ["秩序维护", "签到引导", "摊位服务", "物资搬运", "拍照宣传", "老人陪护"]
NEEDS = ["老旧小区楼道照明改造", "独居老人定期探访", "暑期少儿托管", "社区健康讲座", "反诈宣传进楼栋",
         "老年人智能手机培训", "小区停车秩序整治", "困难家庭助学"]  # fmt: skip
HOME_SERVICES = ["独居老人家中灯泡更换", "高龄老人代购药品", "帮助残疾人办理补贴申请", "为老人疏通下水道",
                 "空巢老人家中水龙头维修", "陪同高龄老人就医", "为困难家庭清理杂物"]  # fmt: skip


def load(out=None) -> list:
    street = Node.objects.filter(kind=NodeKind.STREET, name=STREET_NAME).first()
    if street is None:
        return []
    if Venue.objects.filter(node__path__startswith=street.path).exists():
        _say(out, "活动与志愿演示数据已存在，未做改动。")
        return []
    admin = User.objects.filter(username="admin").first()
    demo = ActivitiesDemo(street, admin, clock.now())
    with acting(admin), notifications.muted(), transaction.atomic():
        demo.run()
    _say(out, demo.summary())
    return []


def _say(out, message: str) -> None:
    if out is not None:
        out.write(message + "\n")


class ActivitiesDemo:
    def __init__(self, street: Node, admin, now: dt.datetime):
        self.street = street
        self.admin = admin
        self.now = now
        self.rng = random.Random(SEED)
        self.start = now - dt.timedelta(days=365)
        nodes = Node.objects.filter(
            path__startswith=street.path, kind__in=[NodeKind.COMMUNITY, NodeKind.VILLAGE]
        )
        self.communities = list(nodes.filter(kind=NodeKind.COMMUNITY).order_by("path"))
        self.villages = list(nodes.filter(kind=NodeKind.VILLAGE).order_by("path"))
        self.worker = {}
        for m in Membership.objects.filter(
            role=Role.COMMUNITY_WORKER, node__in=self.communities
        ).select_related("user"):
            self.worker.setdefault(m.node_id, m.user)
        self.grid_worker = {}
        for m in Membership.objects.filter(role=Role.GRID_WORKER, node__in=self.villages).select_related(
            "user"
        ):
            self.grid_worker.setdefault(m.node_id, m.user)
        self.cadre = User.objects.filter(username="cadre").first() or admin
        self.venues: dict[int, list[Venue]] = {}
        self.units: dict[int, list] = {}
        self.volunteers: dict[int, list] = {}
        self.counts = {"events": 0, "shifts": 0, "records": 0, "exchanges": 0, "cases": 0}

    # -- small tools ------------------------------------------------------------------------------------------

    def at(self, moment: dt.datetime):
        return clock.at(min(moment, self.now))

    def day(self, days_ago: float, hour: int = 9, minute: int = 0) -> dt.datetime:
        local = timezone.localtime(self.now - dt.timedelta(days=days_ago))
        return local.replace(hour=hour, minute=minute, second=0, microsecond=0)

    def name(self) -> str:
        rng = self.rng
        chars = MALE_GIVEN if rng.random() < 0.5 else FEMALE_GIVEN
        return rng.choice(SURNAMES[:20]) + "".join(rng.choice(chars) for _ in range(rng.choice((1, 2, 2))))

    def run(self) -> None:
        self.visitors = [{"name": self.name(), "phone": f"1990{100000 + i:07d}"} for i in range(VISITORS)]
        self.residents_by_territory: dict[int, list] = {}
        for resident in (
            Resident.objects.filter(node__path__startswith=self.street.path)
            .select_related("node")
            .only("pk", "name", "phone", "user_id", "node__path", "node__depth")
        ):
            territory = resident.node.path[: 2 * resident.node.steplen]
            self.residents_by_territory.setdefault(territory, []).append(resident)
        with self.at(self.start - dt.timedelta(days=20)):
            self.create_venues()
            self.create_units()
            self.create_volunteers()
            self.create_market()
        self.series_performances()
        self.community_activities()
        self.home_services()
        self.exchanges()
        self.dual_lists()
        self.upcoming()
        self.evaluations()

    # -- registries ------------------------------------------------------------------------------------------

    def create_venues(self) -> None:
        make = Venue.objects.create  # configuration rows, as the admin enters them
        street_venues = [
            make(
                name="城关街道惠民综合体",
                kind=VenueKind.COMPLEX,
                node=self.street,
                capacity=300,
                address="民主路 66 号",
            ),
            make(
                name="党群V立方",
                kind=VenueKind.PARTY_CENTRE,
                node=self.street,
                capacity=200,
                address="骈邑路 18 号",
            ),
            make(
                name="惠民综合体广场",
                kind=VenueKind.SQUARE,
                node=self.street,
                open_air=True,
                address="民主路 66 号",
            ),
        ]
        self.venues[self.street.pk] = street_venues
        for c in self.communities:
            short = c.name.removesuffix("社区")
            self.venues[c.pk] = [
                make(name=f"{c.name}党群服务中心", node=c, capacity=self.rng.choice((80, 100, 120))),
                make(
                    name=f"{short}新时代文明实践站", kind=VenueKind.CIVILISATION_STATION, node=c, capacity=60
                ),
                make(name=f"{short}小区广场", kind=VenueKind.SQUARE, node=c, open_air=True),
            ]
        for v in self.villages:
            self.venues[v.pk] = [make(name=f"{v.name}文化广场", kind=VenueKind.SQUARE, node=v, open_air=True)]

    def create_units(self) -> None:
        for i, (name, kind, party_org, resources) in enumerate(UNITS):
            community = self.communities[i % len(self.communities)]
            reported = (self.start - dt.timedelta(days=self.rng.randint(30, 700))).date()
            unit = dual.do_report_unit(
                actor=self.worker[community.pk],
                node=community,
                name=name,
                kind=kind,
                party_org_name=party_org,
                contact_name=self.name(),
                contact_phone=f"1990{190000 + i:07d}",
                agreement_no=f"GJ-{reported.year}-{i + 1:02d}",
                agreement_signed_on=reported,
                agreement_text="双方围绕社区需求清单开展共建，单位每季度至少组织一次进社区志愿服务。",
                reported_on=reported,
                resources=resources,
            )
            self.units.setdefault(community.pk, []).append(unit)

    def create_volunteers(self) -> None:
        rng = self.rng
        resident_account = User.objects.filter(username="resident").first()
        for territory in [*self.communities, *self.villages[:12]]:
            people = [r for r in self.residents_by_territory.get(territory.path, []) if r.phone]
            take = rng.sample(people, min(len(people), 26 if territory.kind == NodeKind.COMMUNITY else 8))
            actor = self.worker.get(territory.pk) or self.admin
            registered = []
            for r in take:
                registered.append(
                    volunteers.do_register_volunteer(
                        actor=actor,
                        node=territory,
                        name=r.name,
                        phone=r.phone,
                        consent=True,
                        resident=r,
                        user=r.user if r.user_id and not hasattr(r.user, "volunteer") else None,
                        skills=rng.choice(
                            ["", "医护", "法律咨询", "文艺", "水电维修", "摄影", "理发", "心理疏导", "书法"]
                        ),
                        availability=rng.choice(["周末全天", "工作日晚上", "周六上午", "随时"]),
                        is_party_member=rng.random() < 0.3,
                    )
                )
            self.volunteers[territory.pk] = registered
        if resident_account is not None and not hasattr(resident_account, "volunteer"):
            home = self.communities[0]
            self.me = volunteers.do_register_volunteer(
                actor=resident_account,
                node=home,
                name=str(resident_account),
                phone=resident_account.phone or "19900000000",
                consent=True,
                user=resident_account,
                skills="摄影",
                availability="周末",
            )
            self.volunteers[home.pk].append(self.me)
        # teams: one per community grid (its grid worker leads it), one of party members per 社区, one per unit
        grids = Grid.objects.filter(community__in=self.communities).select_related("worker", "community")
        self.case_teams = []
        for grid in grids:
            leader = None
            if grid.worker_id:
                leader = volunteers.do_register_volunteer(
                    actor=self.worker[grid.community_id],
                    node=grid.community,
                    name=str(grid.worker),
                    phone=grid.worker.phone or "",
                    consent=True,
                    user=grid.worker,
                    skills="网格服务",
                    is_party_member=True,
                )
            team = volunteers.do_create_team(
                actor=self.worker[grid.community_id],
                name=f"{grid.name}志愿服务队",
                node=grid.community,
                kind=TeamKind.GRID,
                grid=grid,
                leader=leader,
                visit_hours=Decimal("1.5"),
            )
            pool = [v for v in self.volunteers[grid.community_id] if not v.is_party_member]
            volunteers.do_add_team_members(
                team, actor=self.worker[grid.community_id], volunteers=pool[: rng.randint(5, 9)]
            )
            if leader is not None and len(self.case_teams) < 4:
                self.case_teams.append((team, leader))
        for c in self.communities:
            members = [v for v in self.volunteers[c.pk] if v.is_party_member]
            if members:
                team = volunteers.do_create_team(
                    actor=self.worker[c.pk],
                    name=f"{c.name}党员志愿者队",
                    node=c,
                    kind=TeamKind.PARTY,
                    leader=members[0],
                )
                volunteers.do_add_team_members(team, actor=self.worker[c.pk], volunteers=members)
        # 双报到: each unit's in-service party members report where they live, and serve as volunteers
        self.members = []
        for community_pk, units in self.units.items():
            for unit in units:
                actor = self.worker[community_pk]
                unit_volunteers = []
                for k in range(rng.randint(3, 6)):
                    home = rng.choice(self.communities)
                    v = volunteers.do_register_volunteer(
                        actor=self.worker[home.pk],
                        node=home,
                        name=self.name(),
                        phone=f"1990{180000 + len(self.members) * 7 + k:07d}",
                        consent=True,
                        unit=unit,
                        is_party_member=True,
                        skills=rng.choice(["医护", "法律咨询", "宣讲", "维修", "金融知识"]),
                    )
                    unit_volunteers.append(v)
                    member = dual.do_report_member(
                        actor=self.worker[home.pk],
                        node=home,
                        name=v.name,
                        phone=v.phone,
                        unit=unit,
                        reported_on=(self.start + dt.timedelta(days=rng.randint(0, 60))).date(),
                        volunteer=v,
                    )
                    self.members.append(member)
                    self.volunteers[home.pk].append(v)
                team = volunteers.do_create_team(
                    actor=actor,
                    name=f"{unit.name}志愿服务队",
                    node=unit.node,
                    kind=TeamKind.UNIT,
                    unit=unit,
                    leader=unit_volunteers[0],
                )
                volunteers.do_add_team_members(team, actor=actor, volunteers=unit_volunteers)

    def create_market(self) -> None:
        for c in self.communities:
            for name, cost, stock in MARKET_ITEMS:
                points.do_add_market_item(
                    actor=self.worker[c.pk],
                    node=c,
                    name=name,
                    points=cost,
                    stock=stock,
                    description="社区积分超市",
                )

    # -- activities --------------------------------------------------------------------------------------------

    def attendance(self, event: Event, actor, n: int, territory: Node, pool_index: int) -> int:
        """A sign-in sheet: residents of the place first, then neighbours from nearby."""
        rng = self.rng
        local = self.residents_by_territory.get(territory.path, [])
        people = rng.sample(local, min(len(local), int(n * 0.55)))
        window = self.visitors[max(0, pool_index - 700) : pool_index + 700]
        people += rng.sample(window, min(len(window), n - len(people)))
        sheet = []
        for person in people:
            at = event.start + dt.timedelta(minutes=rng.randint(-30, 40))
            if isinstance(person, dict):
                sheet.append({**person, "at": at})
            else:
                sheet.append(
                    {"name": person.name, "phone": person.phone, "at": at} if not person.user_id else person
                )
        with self.at(event.start + dt.timedelta(minutes=45)):
            return actions.do_record_attendance(event, actor=actor, people=sheet)

    def series_performances(self) -> None:
        """一村一年一场戏: one open-air performance per village; the last few still ahead."""
        rng = self.rng
        year = timezone.localtime(self.now - dt.timedelta(days=180)).year
        series = Series.objects.create(
            name="一村一年一场戏",
            kind_id=actions.events._kind("performance").pk,
            node=self.street,
            year=year,
            description="县文化馆与街道组织的送戏下乡：每个村每年一场吕剧/京剧演出。",
        )
        troupes = ["临朐县吕剧团", "县京剧票友协会", "县文化馆文艺小分队", "朐阳庄户剧团"]
        ahead = 4
        span = 330
        order = self.villages[:]
        rng.shuffle(order)
        for i, village in enumerate(order):
            if i >= len(order) - ahead:
                start = self.day(-(5 + 7 * (i - len(order) + ahead)), 19, 0)
            else:
                start = self.day(span - i * (span - 10) / (len(order) - ahead), 19, 0)
            actor = self.cadre
            with self.at(start - dt.timedelta(days=14)):
                event = actions.do_create_event(
                    actor=actor,
                    kind="performance",
                    title=f"一村一年一场戏·{village.name}",
                    node=village,
                    start=start,
                    end=start + dt.timedelta(hours=2, minutes=30),
                    venue=self.venues[village.pk][0],
                    series=series,
                    organiser_kind="street",
                    organiser_name=f"城关街道 · {rng.choice(troupes)}",
                    audience="全体村民",
                    description="送戏下乡，吕剧《墙头记》《姊妹易嫁》选段。",
                )
            self.counts["events"] += 1
            if start > self.now:
                continue
            n = rng.randint(330, 520)
            checked = self.attendance(
                event, self.grid_worker.get(village.pk) or actor, n, village, 300 + i * 165
            )
            with self.at(start + dt.timedelta(hours=2)):
                actions.do_record_headcount(
                    event,
                    actor=actor,
                    count=int(checked * rng.uniform(1.2, 1.6)),
                    note="演出现场目测（含未扫码观众）",
                )
            with self.at(start + dt.timedelta(hours=3)):
                actions.do_close_event(
                    event, actor=actor, summary=f"演出顺利，现场签到 {checked} 人次。{DEMO}"
                )

    def community_activities(self) -> None:
        rng = self.rng
        for ci, community in enumerate(self.communities):
            worker = self.worker[community.pk]
            venues = self.venues[community.pk]
            units = self.units.get(community.pk, []) or [u for us in self.units.values() for u in us]
            plan = []
            for month_back in range(12):
                for _ in range(rng.randint(1, 2)):
                    plan.append((month_back * 30 + rng.randint(1, 28), rng.choice(COMMUNITY_ACTIVITIES)))
            for month, day, title, organiser in FESTIVALS:
                local = timezone.localtime(self.now)
                when = local.replace(month=month, day=day, hour=9, minute=0, second=0, microsecond=0)
                if when > local:
                    when = when.replace(year=local.year - 1)
                plan.append(
                    ((self.now - when).days, ("festival", title, organiser, None, False, (40, 60), (25, 55)))
                )
            for days_ago, (kind, title, organiser, months, open_air, capacity, attend) in sorted(
                plan, reverse=True
            ):
                start = self.day(days_ago, rng.choice((9, 9, 14, 15)), rng.choice((0, 30)))
                if months and timezone.localtime(start).month not in months:
                    continue
                unit = rng.choice(units) if organiser == "dual_unit" else None
                organiser_name = (
                    unit.name if unit else rng.choice(SOCIAL_ORGS) if organiser == "social_org"
                    else rng.choice(RESIDENT_UNITS) if organiser == "resident_unit" else community.name
                )  # fmt: skip
                venue = venues[2] if open_air else rng.choice(venues[:2])
                with self.at(start - dt.timedelta(days=7)):
                    event = actions.do_create_event(
                        actor=worker,
                        kind=kind,
                        title=title,
                        node=community,
                        start=start,
                        end=start + dt.timedelta(hours=2),
                        venue=venue,
                        capacity=rng.randint(*capacity) if capacity else None,
                        organiser_kind=organiser,
                        organiser_name=organiser_name,
                        unit=unit,
                        audience=rng.choice(["全体居民", "老年人", "青少年及家长", "辖区居民"]),
                        description=f"{organiser_name}在{venue.name}举办{title}。",
                    )
                self.counts["events"] += 1
                # a few register ahead on their phones or at the desk; the rest sign the sheet on the day
                with self.at(start - dt.timedelta(days=3)):
                    for r in rng.sample(self.residents_by_territory.get(community.path, []), 3):
                        actions.do_register(event, actor=worker, person=r)
                shift = None
                pool = self.volunteers.get(community.pk, [])
                if pool and rng.random() < 0.65:
                    with self.at(start - dt.timedelta(days=5)):
                        shift = volunteers.do_create_shift(
                            actor=worker,
                            event=event,
                            role=rng.choice(SHIFT_ROLES),
                            start=start - dt.timedelta(minutes=30),
                            end=start + dt.timedelta(hours=2),
                            slots=rng.randint(3, 5),
                        )
                        for v in rng.sample(pool, min(len(pool), rng.randint(3, 6))):
                            volunteers.do_sign_up(shift, actor=worker, volunteer=v)
                    self.counts["shifts"] += 1
                self.attendance(event, worker, rng.randint(*attend), community, 4000 + ci * 600)
                if open_air:
                    with self.at(start + dt.timedelta(hours=1)):
                        actions.do_record_headcount(
                            event, actor=worker, count=rng.randint(80, 200), note="现场清点"
                        )
                end = start + dt.timedelta(hours=2, minutes=30)
                if shift is not None:
                    confirm = days_ago > 10  # the last week's hours still wait for the organiser
                    with self.at(end):
                        self.counts["records"] += len(
                            volunteers.do_record_shift(shift, actor=worker, confirm=confirm)
                        )
                with self.at(end + dt.timedelta(minutes=30)):
                    actions.do_close_event(event, actor=worker, summary=f"{title}顺利举办。{DEMO}")

    def home_services(self) -> None:
        """上门服务: cases dispatched to a grid volunteer team, closed, and confirmed by the resident's 回访."""
        from minsheng.cases import actions as cases
        from minsheng.cases.choices import Channel, Satisfaction, UnitKind
        from minsheng.cases.models import Category, Unit

        category = Category.objects.filter(code="110101").first() or Category.objects.filter(depth=3).first()
        if category is None:
            return
        rng = self.rng
        for team, leader in self.case_teams:
            unit = Unit.objects.create(
                name=team.name, kind=UnitKind.COMMUNITY, node=team.node, leader=leader.user
            )
            unit.members.set([leader.user])
            team.case_unit = unit
            team.save(update_fields=["case_unit"])
            worker = self.worker[team.node_id]
            residents = self.residents_by_territory.get(team.node.path, [])
            for _ in range(6):
                when = self.day(rng.randint(15, 300), rng.choice((9, 10, 15)))
                person = rng.choice(residents)
                with self.at(when):
                    case = cases.do_register(
                        actor=leader.user,
                        kind="appeal",
                        channel=Channel.DOOR_VISIT,
                        category=category,
                        description=f"{rng.choice(HOME_SERVICES)}（{person.name}家）",
                        node=team.grid.nodes.first() or team.node if team.grid_id else team.node,
                        reporter_name=person.name,
                        reporter_phone=person.phone,
                    )
                    case = cases.do_accept(case, actor=worker)
                    case = cases.do_dispatch(case, actor=worker, unit=unit, handler=leader.user)
                with self.at(when + dt.timedelta(hours=2)):
                    case = cases.do_sign(case, actor=leader.user)
                with self.at(when + dt.timedelta(hours=5)):
                    case = cases.do_reply(case, actor=leader.user, note="志愿服务队已上门处理完毕")
                with self.at(when + dt.timedelta(days=1)):
                    case = cases.do_verify(case, actor=worker, passed=True)
                with self.at(when + dt.timedelta(days=2)):
                    cases.do_follow_up(case, actor=worker, resolved=True, satisfaction=Satisfaction.SATISFIED)
                self.counts["cases"] += 1

    def exchanges(self) -> None:
        rng = self.rng
        from .models import MarketItem

        items = {}
        for item in MarketItem.objects.filter(node__in=self.communities):
            items.setdefault(item.node_id, []).append(item)
        for community in self.communities:
            worker = self.worker[community.pk]
            for v in self.volunteers.get(community.pk, []):
                balance = points.balance_of(points.account_of(v))
                affordable = [i for i in items[community.pk] if i.points <= balance]
                if affordable and rng.random() < 0.5:
                    with self.at(self.day(rng.randint(1, 20), 10)):
                        points.do_exchange(rng.choice(affordable), actor=worker, volunteer=v)
                    self.counts["exchanges"] += 1

    def dual_lists(self) -> None:
        rng = self.rng
        for i, title in enumerate(NEEDS):
            community = self.communities[i % len(self.communities)]
            worker = self.worker[community.pk]
            with self.at(self.day(300 - i * 20)):
                need = dual.do_add_need(
                    actor=worker, node=community, title=title, description=f"{community.name}居民议事会提出。"
                )
                units = self.units.get(community.pk)
                if units and i < 6:
                    unit = rng.choice(units)
                    dual.do_claim_need(need, actor=worker, unit=unit)
                    project = dual.do_create_project(
                        actor=worker, node=community, title=f"{title}共建项目", units=[unit], need=need,
                        start_on=clock.today(), end_on=clock.today() + dt.timedelta(days=120),
                    )  # fmt: skip
                    if i < 3:
                        dual.do_set_project_status(project, actor=worker, status="done")

    def upcoming(self) -> None:
        """What residents find on their phones today: activities in the coming weeks, one this afternoon."""
        rng = self.rng
        resident = User.objects.filter(username="resident").first()
        home = self.communities[0]
        worker = self.worker[home.pk]
        plan = [
            (0.0, "公益市集", "market", 120, None, True),
            (2, "健康义诊", "clinic", 40, None, False),
            (4, "老年人智能手机培训", "training", 12, None, False),
            (6, "书画笔会", "calligraphy", 30, None, False),
            (9, "反诈宣传进社区", "publicity", None, None, False),
            (13, "亲子阅读会", "culture", 25, None, False),
        ]
        for days_ahead, title, kind, capacity, _unit, open_air in plan:
            local = timezone.localtime(self.now)
            start = (local + dt.timedelta(days=days_ahead)).replace(
                hour=15 if days_ahead == 0 else 9, minute=0, second=0, microsecond=0
            )
            if start < self.now:
                start = self.now + dt.timedelta(hours=1)
            event = actions.do_create_event(
                actor=worker,
                kind=kind,
                title=title,
                node=home,
                start=start,
                end=start + dt.timedelta(hours=2),
                venue=self.venues[home.pk][2 if open_air else 0],
                capacity=capacity,
                audience="全体居民",
                description=f"{home.name}{title}，欢迎报名。{DEMO}",
            )
            self.counts["events"] += 1
            people = self.residents_by_territory.get(home.path, [])
            for r in rng.sample(
                people, min(len(people), (capacity or 20) + (3 if capacity and capacity <= 12 else 0))
            ):
                actions.do_register(event, actor=worker, person=r)
            if days_ahead in (2, 4) and resident is not None:
                actions.do_register(event, actor=resident)
            if days_ahead == 2 and self.volunteers.get(home.pk):
                shift = volunteers.do_create_shift(
                    actor=worker,
                    event=event,
                    role="义诊协助",
                    start=start,
                    end=start + dt.timedelta(hours=2),
                    slots=2,
                )
                for v in self.volunteers[home.pk][:3]:
                    volunteers.do_sign_up(shift, actor=worker, volunteer=v)
        for c in self.communities[1:]:
            start = (timezone.localtime(self.now) + dt.timedelta(days=rng.randint(1, 12))).replace(
                hour=9, minute=0, second=0, microsecond=0
            )
            actions.do_create_event(
                actor=self.worker[c.pk], kind="party", title="党员志愿服务日", node=c, start=start,
                end=start + dt.timedelta(hours=3), venue=self.venues[c.pk][0], capacity=60,
            )  # fmt: skip
            self.counts["events"] += 1
        me = getattr(self, "me", None)
        if me is not None:  # the demo resident helped at a market three weeks ago: the organiser records it
            with self.at(self.day(21, 17)):
                volunteers.do_record_service(
                    me, actor=worker, content="公益市集 · 签到引导", served_on=clock.today(), hours="3",
                    node=home, confirm=True,
                )  # fmt: skip
        # the demo resident's own certificate, issued by 颐和社区 over the confirmed hours
        if me is not None and me.records.filter(status="confirmed", node=home).exists():
            volunteers.do_issue_certificate(
                me, actor=worker, period_start=timezone.localdate(self.start), period_end=timezone.localdate(self.now),
                node=home,
                issuer=f"{home.name}居民委员会", person_in_charge="社区党委书记", handler=str(worker), contact="0536-3112345",
            )  # fmt: skip

    def evaluations(self) -> None:
        year = timezone.localtime(self.now).year
        for c in self.communities:
            worker = self.worker[c.pk]
            for evaluation in dual.do_evaluate_year(c, year, actor=worker):
                if self.rng.random() < 0.7:
                    dual.do_grade(
                        evaluation, actor=worker, grade=dual.suggested_grade(evaluation) or Grade.GOOD
                    )

    def summary(self) -> str:
        person_times = CheckIn.objects.filter(event__node__path__startswith=self.street.path).count()
        series = CheckIn.objects.filter(
            event__series__isnull=False, event__node__path__startswith=self.street.path
        ).count()
        c = self.counts
        return (
            f"活动与志愿：活动 {c['events']} 场，签到 {person_times} 人次（其中一村一年一场戏 {series} 人次），"
            f"志愿岗位 {c['shifts']} 个、服务记录 {c['records']} 条，上门服务诉求 {c['cases']} 件，积分兑换 {c['exchanges']} 次。"
        )
