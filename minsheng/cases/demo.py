"""Two years of appeals for the demo 街道, replayed through the real actions.

A small discrete-event simulation: every case gets a planned life (who reports it, when it is accepted and
dispatched, whether it is returned, extended, reworked, redone, reopened, merged, supervised …), and the steps of all
cases run in time order, each inside `clock.at(step time)`, through cases.actions — the same functions the
workbench and the API call. The deadline clock ticks twice a working day. So every figure the metrics, the
efficiency board and the lists show is the engine's own. Cases whose next step lies after "now" stay open, which
gives the workbench its 待办 and 超期.

The history ends at the moment of loading (so there is always recent work); the random generator is seeded, so two
loads on the same day produce the same history. Notifications are muted while replaying the past.
"""

import contextlib
import datetime as dt
import heapq
import itertools
import json
import os
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership, User
from minsheng.core import clock, notifications
from minsheng.core.calendar import TZ, WorkCalendar
from minsheng.core.context import acting
from minsheng.core.errors import IllegalTransition
from minsheng.org.choices import NodeKind, PropertyStatus
from minsheng.org.models import EstateProperty, Grid, Node, Resident

from . import actions, deadlines
from .choices import Channel, LimitUnit, RequestKind, Satisfaction, Status, UnitKind, Urgency
from .models import Case, Category, RoutingRule, Unit

SEED = 20260301
DAYS = int(os.environ.get("MINSHENG_DEMO_HISTORY_DAYS", 2 * 365))
CASES_PER_DAY = 34  # workdays; half on rest days: ≈ 20,500 over two years
MERGE_RATE = 0.04
REJECT_RATE = 0.03

#: What residents report, by top-level category code; {place} becomes a building or a village.
TEXTS = {
    "01": ["{place}附近垃圾桶满溢，气味很大", "{place}楼下有建筑垃圾堆放多日", "{place}路边暴露垃圾无人清理"],
    "02": [
        "{place}楼道堆放杂物堵塞消防通道",
        "{place}有居民在楼道给电动车充电",
        "{place}路面井盖缺失，存在安全隐患",
    ],
    "03": [
        "{place}楼上漏水，邻居协商不成",
        "{place}邻居占用楼道公共空间",
        "{place}因物业费问题与物业发生争执",
    ],
    "04": ["{place}车辆乱停乱放，堵塞通道", "{place}消防通道被私家车占用", "{place}停车位不足，希望规划"],
    "05": ["{place}下水道堵塞，污水外溢", "{place}化粪池满溢需要清掏", "{place}雨后路面积水严重"],
    "06": ["{place}电梯停运两天无人维修", "{place}电梯经常困人，维保不到位", "{place}老楼希望加装电梯"],
    "07": ["{place}突然停水，没有通知", "{place}线路老化，经常跳闸", "{place}暖气不热，室温偏低"],
    "08": ["{place}楼道灯坏了很久", "{place}门禁损坏，外来人员随意进出", "{place}保洁不到位，楼道脏乱"],
    "09": ["{place}有人私搭乱建彩钢棚", "{place}一楼住户占用绿地搭建"],
    "10": ["{place}夜间装修噪音扰民", "{place}广场舞音响声音过大", "{place}商铺音响噪音扰民"],
    "11": ["咨询{place}老人申请低保的条件", "咨询医保报销流程", "咨询{place}养老服务补贴政策"],
    "99": ["{place}其他问题，请社区协助处理"],
}
#: What residents report about each leaf category — a text always fits the category it is filed under.
LEAF_TEXTS = {
    "暴露垃圾": ["{place}路边暴露垃圾无人清理", "{place}空地上堆着生活垃圾，好几天没人管"],
    "垃圾桶满溢": ["{place}附近垃圾桶满溢，气味很大", "{place}垃圾桶早上就满了，垃圾散落一地"],
    "建筑垃圾": ["{place}楼下有建筑垃圾堆放多日", "{place}装修垃圾堆在路边没人清运"],
    "道路不洁": ["{place}门前道路泥土多，没人清扫", "{place}路面油污很滑，请安排保洁"],
    "积水积雪": ["{place}路面结冰，老人出行不安全", "{place}雪后道路没人清扫"],
    "绿化破坏": ["{place}绿化带被人踩出小路，草坪损毁", "{place}有人在绿地里种菜"],
    "树木修剪": ["{place}树枝挡住路灯和窗户，请修剪", "{place}大树枝条伸到电线上，有隐患"],
    "消防通道堵塞": ["{place}楼道堆放杂物堵塞消防通道", "{place}消防通道被杂物占用"],
    "电动车违规充电": ["{place}有居民在楼道给电动车充电", "{place}有人从窗户拉电线给电动车充电"],
    "消防设施损坏": ["{place}灭火器过期没有更换", "{place}消防栓箱门坏了"],
    "井盖缺失": ["{place}路面井盖缺失，存在安全隐患", "{place}井盖松动，车辆经过响声很大"],
    "墙体脱落": ["{place}外墙瓷砖脱落，怕砸到人", "{place}墙皮大面积脱落"],
    "护栏损坏": ["{place}路边护栏被撞坏了", "{place}河边护栏松动"],
    "漏水纠纷": ["{place}楼上漏水，邻居协商不成", "{place}楼上卫生间渗水到我家，沟通无果"],
    "占用公共空间": ["{place}邻居占用楼道公共空间", "{place}有住户在公共区域堆放杂物不清理"],
    "婚姻家庭": ["{place}一户家庭经常争吵，请社区调解", "{place}夫妻矛盾激化，请帮忙调解"],
    "赡养抚养": ["{place}老人子女不尽赡养义务，请社区协调", "{place}兄弟间赡养老人分摊有纠纷"],
    "物业费争议": ["{place}因物业费问题与物业发生争执", "{place}物业费涨价没有公示，居民有意见"],
    "占用消防通道停车": ["{place}消防通道被私家车占用", "{place}晚上车辆停在消防通道上"],
    "占用车位": ["{place}有人长期用地锁占用公共车位", "{place}僵尸车长期占用车位"],
    "车位不足": ["{place}停车位不足，希望规划", "{place}晚上停车难，希望增加车位"],
    "充电桩": ["{place}希望安装电动汽车充电桩", "{place}充电桩坏了没人修"],
    "下水道堵塞": ["{place}下水道堵塞，污水外溢", "{place}厨房下水管道堵塞返水"],
    "化粪池满溢": ["{place}化粪池满溢需要清掏", "{place}化粪池冒水，臭味很大"],
    "雨水井损坏": ["{place}雨水井篦子坏了", "{place}雨水井堵塞，下雨排水慢"],
    "路面积水": ["{place}雨后路面积水严重", "{place}路口低洼处一下雨就积水"],
    "电梯停运": ["{place}电梯停运两天无人维修", "{place}电梯坏了，老人上下楼困难"],
    "电梯困人": ["{place}电梯困人，物业很久才来", "{place}电梯运行中突然停住"],
    "维保不到位": ["{place}电梯经常出故障，维保不到位", "{place}电梯维保记录多月没有更新"],
    "加装电梯": ["{place}老楼希望加装电梯", "{place}居民想咨询加装电梯的补贴"],
    "停水": ["{place}突然停水，没有通知", "{place}停水一天了还没来水"],
    "水压不足": ["{place}高层水压不足，洗澡都困难", "{place}早晚用水高峰水压很低"],
    "水质问题": ["{place}自来水发黄有异味", "{place}水龙头出来的水浑浊"],
    "停电": ["{place}突然停电，没有通知", "{place}一个单元停电了"],
    "线路老化": ["{place}线路老化，经常跳闸", "{place}楼道电线裸露老化"],
    "燃气泄漏": ["{place}楼道里有燃气味，担心泄漏", "{place}燃气管道接口有异味"],
    "停气": ["{place}燃气停气，做不了饭", "{place}天然气停供没有通知"],
    "暖气不热": ["{place}暖气不热，室温偏低", "{place}供暖后屋里只有十几度"],
    "暖气漏水": ["{place}暖气管道漏水", "{place}暖气阀门滴水"],
    "保洁不到位": ["{place}保洁不到位，楼道脏乱", "{place}楼道很久没有打扫"],
    "保安不到位": ["{place}门岗经常没人值守", "{place}夜间没有保安巡逻，外来车辆随意进出"],
    "楼道灯损坏": ["{place}楼道灯坏了很久", "{place}楼道声控灯不亮"],
    "门禁损坏": ["{place}门禁损坏，外来人员随意进出", "{place}单元门门禁刷卡打不开"],
    "私搭乱建": ["{place}有人私搭乱建彩钢棚", "{place}楼顶私自加盖房屋"],
    "占用绿地": ["{place}一楼住户占用绿地搭建", "{place}有人圈占公共绿地种菜"],
    "装修噪音": ["{place}夜间装修噪音扰民", "{place}周末一早就装修，噪音很大"],
    "广场舞噪音": ["{place}广场舞音响声音过大", "{place}晚上广场舞放音乐到很晚"],
    "商铺噪音": ["{place}商铺音响噪音扰民", "{place}附近饭店排风扇噪音大"],
    "施工噪音": ["{place}附近工地夜间施工噪音大", "{place}工地早上六点就开工"],
    "社保医保": ["咨询医保报销流程", "咨询{place}居民医保怎么缴费"],
    "低保救助": ["咨询{place}老人申请低保的条件", "咨询{place}困难家庭临时救助怎么申请"],
    "养老服务": ["咨询{place}养老服务补贴政策", "咨询{place}老人助餐点的开放时间"],
    "证照办理": ["咨询居住证怎么办理", "咨询{place}老年优待证怎么办"],
    "其他咨询": ["咨询{place}老旧小区改造的安排", "咨询{place}适龄儿童入学政策"],
    "其他": ["{place}其他问题，请社区协助处理"],
}
#: Top-level categories a village does not have (lifts, property companies): its reports go elsewhere.
URBAN_ONLY = {"06", "08"}
#: Leaves that belong to 小区 with a property company and car parks, not to a village.
URBAN_LEAVES = {"物业费争议", "车位不足", "充电桩", "加装电梯"}
CATEGORY_WEIGHTS = {
    "01": 14, "02": 9, "03": 7, "04": 10, "05": 11, "06": 5, "07": 11, "08": 12, "09": 3, "10": 6, "11": 9, "99": 3,
}  # fmt: skip
CHANNEL_WEIGHTS = {
    Channel.GRID_PATROL: 30, Channel.DOOR_VISIT: 10, Channel.MAZHA_MEETING: 6, Channel.OPEN_DAY: 5,
    Channel.FOUR_PARTY: 3, Channel.MONDAY_MEETING: 4, Channel.HOTLINE_12345: 14, Channel.ONLINE: 16,
    Channel.PHONE: 8, Channel.VISIT: 4,
}  # fmt: skip
OFFICE_FOR = {"09": "城市管理办公室", "11": "社会事务办公室"}


@dataclass
class Territory:
    node: Node
    unit: Unit
    desk: list  # people who accept, dispatch, verify and follow up here
    grids: list
    places: list  # (node, label) where residents live


@dataclass(order=True)
class Step:
    when: dt.datetime
    seq: int
    run: object = field(compare=False)


def load(out=None) -> list:
    street = Node.objects.filter(kind=NodeKind.STREET, name__contains="演示").first()
    if street is None:
        return []
    # Appeals are this history's own kind; rectification and alarm cases other demos opened do not count.
    if Case.objects.filter(node__path__startswith=street.path, kind__code="appeal").exists():
        _say(out, "演示诉求已存在，未做改动。")
        return []
    admin = User.objects.get(username="admin")
    with acting(admin), notifications.muted():
        with transaction.atomic():
            history = History(street, admin, timezone.now())
            history.configure()
            history.plan()
        history.run(out)
    _say(out, history.summary())
    return []


class _Progress:
    """How far the replay is, in a small file under the var directory: `make run` serves while the history is
    written in the background, and the 工作台 shows this (cases.views.workbench.demo_progress_panel)."""

    @property
    def path(self):
        from django.conf import settings

        return Path(getattr(settings, "VAR_DIR", ".")) / "demo-history.json"

    def write(self, **state) -> None:
        state = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in state.items()}
        with contextlib.suppress(OSError):  # progress is a courtesy; the history goes on
            self.path.write_text(json.dumps({**state, "finished": False}))

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            self.path.write_text(json.dumps({"finished": True}))

    def read(self) -> dict | None:
        try:
            return json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None


progress = _Progress()


def _say(out, message: str) -> None:
    if out is not None:
        out.write(message + "\n")


class History:
    def __init__(self, street: Node, admin: User, now: dt.datetime):
        self.street = street
        self.admin = admin
        self.now = now
        self.rng = random.Random(SEED)
        self.cal = WorkCalendar()
        self.queue: list[Step] = []
        self.seq = itertools.count()
        self.counts: dict[str, int] = defaultdict(int)
        self.recent: dict[tuple, list[tuple[dt.datetime, int]]] = defaultdict(
            list
        )  # (grid, category) → cases
        self.users: dict[int, User] = {}
        self.unit_handlers: dict[int, int | None] = {}

    def user(self, pk: int) -> User:
        """One User object per person for the whole replay: their memberships are read once."""
        if pk not in self.users:
            self.users[pk] = User.objects.get(pk=pk)
        return self.users[pk]

    def first_member(self, unit_id: int | None):
        if unit_id is None:
            return None
        if unit_id not in self.unit_handlers:
            unit = Unit.objects.get(pk=unit_id)
            first = unit.members.order_by("pk").values_list("pk", flat=True).first() or unit.leader_id
            self.unit_handlers[unit_id] = first
        pk = self.unit_handlers[unit_id]
        return self.user(pk) if pk else None

    # -- configuration: units and routing, as an administrator would set them up ---------------------

    def configure(self) -> None:
        members = defaultdict(list)
        for m in Membership.objects.filter(node__path__startswith=self.street.path).select_related(
            "user", "node"
        ):
            members[(m.role, m.node_id)].append(m.user)
        leaders = members[(Role.STREET_LEADER, self.street.pk)]
        cadres = members[(Role.STREET_CADRE, self.street.pk)]
        self.leaders = leaders
        self.offices = {}
        for cadre in cadres:
            office = cadre.title.replace("（演示）", "")
            unit = Unit.objects.create(
                name=office,
                kind=UnitKind.STREET_OFFICE,
                node=self.street,
                leader=leaders[0] if leaders else None,
            )
            unit.members.set([cadre])
            self.offices[office] = unit
        governance = self.offices.get("基层治理办公室")
        self.territories = []
        grids = defaultdict(list)
        for grid in Grid.objects.filter(community__path__startswith=self.street.path).select_related(
            "worker"
        ):
            grids[grid.community_id].append(grid)
        homes = defaultdict(list)
        for node in Node.objects.filter(
            path__startswith=self.street.path, kind__in=[NodeKind.BUILDING, NodeKind.NATURAL_VILLAGE]
        ):
            homes[node.path[: len(self.street.path) + Node.steplen]].append(node)
        for node in Node.objects.filter(
            path__startswith=self.street.path, kind__in=[NodeKind.COMMUNITY, NodeKind.VILLAGE]
        ):
            workers = members[(Role.COMMUNITY_WORKER, node.pk)]
            field_staff = members[(Role.GRID_WORKER, node.pk)]
            suffix = "居委会" if node.kind == NodeKind.COMMUNITY else "村委会"
            unit = Unit.objects.create(
                name=f"{node.name}{suffix}",
                kind=UnitKind.COMMUNITY,
                node=node,
                leader=(workers or field_staff or [None])[0],
            )
            fallback = list(governance.members.all()[:1]) if governance else [self.admin]
            # 属地兜底: a village with no staff of its own is covered by the street's 基层治理办公室
            unit.members.set(workers + field_staff or fallback)
            desk = workers or fallback
            places = homes.get(node.path) or [node]
            self.territories.append(Territory(node, unit, list(desk), grids.get(node.pk, []), places))
        RoutingRule.objects.create(territorial=True, note="默认：属地办理（演示）")
        for code, office in OFFICE_FOR.items():
            if office in self.offices:
                RoutingRule.objects.create(
                    category=Category.objects.get(code=code), unit=self.offices[office], note="演示派遣规则"
                )
        property_category = Category.objects.get(code="08")
        for profile in EstateProperty.objects.filter(
            node__path__startswith=self.street.path, status=PropertyStatus.PROFESSIONAL
        ).select_related("company", "node"):
            unit, _ = Unit.objects.get_or_create(
                name=profile.company.name, defaults={"kind": UnitKind.PROPERTY, "node": self.street}
            )
            staff = [m.user for m in Membership.objects.filter(role=Role.PROPERTY_STAFF, node=profile.node)]
            if staff:
                unit.members.add(*staff)
                unit.leader = unit.leader or staff[0]
                unit.save(update_fields=["leader", "updated_at"])
                RoutingRule.objects.create(
                    category=property_category,
                    node=profile.node,
                    unit=unit,
                    note="物业服务由物业企业承办（演示）",
                )
        self.categories = defaultdict(list)
        for category in Category.objects.filter(depth=3, is_active=True):
            self.categories[category.code[:2]].append(category)
        self.reporters = defaultdict(list)  # territory path → (name, phone) of residents living there
        for name, phone, path in (
            Resident.objects.filter(node__path__startswith=self.street.path)
            .exclude(phone="")
            .values_list("name", "phone", "node__path")
        ):
            self.reporters[path[: len(self.street.path) + Node.steplen]].append((name, phone))

    # -- planning ------------------------------------------------------------------------------------

    def plan(self) -> None:
        start = self.now - dt.timedelta(days=DAYS)
        day = start.astimezone(TZ).date()
        last = self.now.astimezone(TZ).date()
        weights = list(CATEGORY_WEIGHTS.values())
        codes = list(CATEGORY_WEIGHTS)
        channels, channel_weights = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
        while day <= last:
            if self.cal.is_workday(day):
                for hour in (8, 14):
                    self.at(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TZ), self.tick)
            n = self.rng.randint(CASES_PER_DAY - 8, CASES_PER_DAY + 8)
            if not self.cal.is_workday(day):
                n //= 2
            for _ in range(n):
                minute = self.rng.randint(7 * 60, 21 * 60)
                when = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=TZ)
                if when >= self.now:
                    continue
                code = self.rng.choices(codes, weights)[0]
                channel = self.rng.choices(channels, channel_weights)[0]
                self.at(when, lambda code=code, channel=channel: self.register(code, channel))
            day += dt.timedelta(days=1)

    def at(self, when: dt.datetime, run) -> None:
        heapq.heappush(self.queue, Step(when, next(self.seq), run))

    def later(self, hours: float, run, *, working: bool = True) -> None:
        base = clock.now()
        when = self.cal.add_working_hours(base, hours) if working else base + dt.timedelta(hours=hours)
        self.at(when, run)

    def run(self, out=None) -> None:
        """Replay in time order, one transaction per simulated day: the server stays responsive meanwhile, and
        what is written is always a consistent history up to that day."""
        first = self.queue[0].when.astimezone(TZ).date() if self.queue else None
        total = (timezone.localdate(self.now) - first).days + 1 if first else 0
        while self.queue and self.queue[0].when < self.now:
            day = self.queue[0].when.astimezone(TZ).date()
            progress.write(
                day=day, done=(day - first).days, total=total, registered=self.counts["registered"]
            )
            if out is not None and day.day == 1:
                out.write(f"  回放 {day:%Y-%m}（已登记 {self.counts['registered']} 件）\n")
                out.flush()
            with transaction.atomic():
                while (
                    self.queue
                    and self.queue[0].when < self.now
                    and self.queue[0].when.astimezone(TZ).date() == day
                ):
                    step = heapq.heappop(self.queue)
                    with clock.at(step.when):
                        try:
                            step.run()
                        except IllegalTransition:
                            self.counts["skipped"] += 1
        progress.finish()

    def tick(self) -> None:
        result = actions.run_deadline_clock()
        self.counts["warned"] += result["warned"]
        self.counts["escalated"] += result["overdue"]

    # -- a case's life ---------------------------------------------------------------------------------

    def register(self, code: str, channel: str) -> None:
        rng = self.rng
        t = rng.choice(self.territories)
        place = rng.choice(t.places)
        village = t.node.kind == NodeKind.VILLAGE
        if village and code in URBAN_ONLY:  # no lifts or property companies in a village
            code = rng.choice(["01", "02", "05", "07", "10"])
        leaves = [c for c in self.categories[code] if not (village and c.name in URBAN_LEAVES)]
        category = rng.choice(leaves or self.categories[code])
        texts = LEAF_TEXTS.get(category.name) or TEXTS[code]
        text = rng.choice(texts).format(place=place.name)
        grid = rng.choice(t.grids) if t.grids else None
        field_channels = (Channel.GRID_PATROL, Channel.DOOR_VISIT)
        actor = grid.worker if channel in field_channels and grid and grid.worker_id else t.desk[0]
        neighbours = self.reporters.get(t.node.path)
        reporter = rng.choice(neighbours) if neighbours and channel != Channel.GRID_PATROL else None
        urgency = rng.choices([Urgency.NORMAL, Urgency.URGENT, Urgency.EMERGENCY], [90, 8, 2])[0]
        lat, lng = self.spot(place, grid)
        case = actions.do_register(
            actor=actor,
            kind="appeal",
            channel=channel,
            category=category,
            description=text,
            node=place,
            grid=grid,
            lat=lat,
            lng=lng,
            urgency=urgency,
            reporter_name=reporter[0] if reporter else "",
            reporter_phone=reporter[1] if reporter else "",
            anonymous=reporter is None and channel == Channel.ONLINE,
        )
        self.counts["registered"] += 1
        life = Life(self, case, t)
        key = (case.grid_id, code)
        earlier = [pk for when, pk in self.recent[key] if case.reported_at - when < dt.timedelta(days=7)]
        self.recent[key] = [(w, pk) for w, pk in self.recent[key][-5:]] + [(case.reported_at, case.pk)]
        if earlier and rng.random() < MERGE_RATE * 4:
            self.later(rng.uniform(0.2, 2), lambda: life.merge(earlier[-1]))
        elif rng.random() < REJECT_RATE:
            self.later(rng.uniform(0.2, 3), life.reject)
        else:
            life.wait(0.1, 3, life.accept)

    def spot(self, place, grid) -> tuple[float | None, float | None]:
        """Where the reporter stood: a few dozen metres from the building's or 小区's centre, else inside the grid."""
        rng = self.rng
        if place.lat is not None and place.lng is not None:
            return place.lat + rng.uniform(-0.0003, 0.0003), place.lng + rng.uniform(-0.0004, 0.0004)
        if grid is not None and grid.min_lat is not None:
            return (
                rng.uniform(grid.min_lat * 0.7 + grid.max_lat * 0.3, grid.min_lat * 0.3 + grid.max_lat * 0.7),
                rng.uniform(grid.min_lng * 0.7 + grid.max_lng * 0.3, grid.min_lng * 0.3 + grid.max_lng * 0.7),
            )
        return None, None

    def summary(self) -> str:
        open_count = (
            Case.objects.filter(node__path__startswith=self.street.path)
            .exclude(status__in=[Status.ARCHIVED, Status.REJECTED, Status.MERGED])
            .count()
        )
        c = self.counts
        return (
            f"已回放 {DAYS} 天的演示诉求：{c['registered']} 件（并单 {c['merged']}，不予受理 {c['rejected']}，退单 {c['returned']}，"
            f"延期 {c['extended']}，返工 {c['reworked']}，重办 {c['redone']}，重新打开 {c['reopened']}，包案 {c['key']}，"
            f"超期升级 {c['escalated']}），当前在办 {open_count} 件。"
        )


class Life:
    """One case's planned path; each method is a step that schedules the next."""

    def __init__(self, history: History, case: Case, territory: Territory):
        self.h = history
        self.rng = history.rng
        self.case = case
        self.t = territory
        self.desk = self.rng.choice(territory.desk)
        self.late = self.rng.random() < 0.04  # a working 街道: a few in a hundred run late
        self.fast = deadlines.limit_for(case.category, case.urgency).finish_unit == LimitUnit.HOURS

    def wait(self, lo: float, hi: float, step) -> None:
        """Schedule the next step lo–hi working hours on; cases with limits in natural hours (emergencies,
        水电气暖) move round the clock and five times faster, as a duty roster would."""
        hours = self.rng.uniform(lo, hi)
        if self.fast:
            self.h.later(hours / 5, step, working=False)
        else:
            self.h.later(hours, step)

    def fresh(self) -> Case:
        self.case.refresh_from_db()
        return self.case

    def merge(self, into_pk: int) -> None:
        try:
            actions.do_merge(
                self.case, into=Case.objects.get(pk=into_pk), actor=self.desk, note="同一问题，并单办理"
            )
        except (
            IllegalTransition
        ):  # the earlier case was itself merged or rejected: handle this one on its own
            return self.accept()
        self.h.counts["merged"] += 1

    def reject(self) -> None:
        actions.do_reject(self.case, actor=self.desk, reason="不属于受理范围，已告知反映人其他渠道（演示）")
        self.h.counts["rejected"] += 1

    def accept(self) -> None:
        case = self.case = actions.do_accept(self.case, actor=self.desk)
        if self.rng.random() < 0.01 and self.h.leaders:
            leader = self.rng.choice(self.h.leaders)
            actions.do_set_key(
                case, actor=leader, leader=leader, plan="一个案子、一名领导、一个方案、一抓到底（演示）"
            )
            self.h.counts["key"] += 1
        self.wait(0.1, 2, self.dispatch)

    def dispatch(self) -> None:
        case = self.case = actions.do_dispatch(self.case, actor=self.desk)
        if case.lead_unit_id != self.t.unit.pk and self.rng.random() < 0.06:
            self.h.later(self.rng.uniform(1, 4), self.give_back)
        else:
            self.wait(0.1, 2.5, self.sign)

    def give_back(self) -> None:
        member = self.h.first_member(self.case.lead_unit_id)
        if member is None:
            return self.sign()
        self.case = actions.do_return(self.case, actor=member, reason="经核实属于属地问题，请社区办理")
        self.h.counts["returned"] += 1
        self.h.later(self.rng.uniform(0.5, 2), self.redispatch)

    def redispatch(self) -> None:
        self.case = actions.do_dispatch(self.case, actor=self.desk, unit=self.t.unit, note="改派属地社区")
        self.wait(0.1, 2, self.sign)

    def handler(self):
        case = self.case
        if case.handler_id:
            return self.h.user(case.handler_id)
        return self.h.first_member(case.lead_unit_id)

    def sign(self) -> None:
        who = self.handler()
        if who is None:
            return
        self.case = actions.do_sign(self.case, actor=who)
        if self.rng.random() < 0.04:
            self.h.later(self.rng.uniform(4, 12), self.ask_extension)
        else:
            self.schedule_reply()

    def schedule_reply(self) -> None:
        case = self.fresh()
        cal = self.h.cal
        span = cal.working_hours_between(clock.now(), case.finish_due) if case.finish_due else 8
        span = max(span, 0.5)
        fraction = self.rng.uniform(1.05, 1.8) if self.late else self.rng.uniform(0.1, 0.9)
        if case.finish_due and case.finish_due - clock.now() < dt.timedelta(hours=26):  # natural-hour limits
            hours = max((case.finish_due - clock.now()).total_seconds() / 3600, 0.3) * fraction
            self.h.later(hours, self.reply, working=False)
        else:
            self.h.later(span * fraction, self.reply)

    def ask_extension(self) -> None:
        case = self.fresh()
        who = self.handler()
        request = actions.do_request(
            case, actor=who, kind=RequestKind.EXTENSION, days=3, reason="需协调相关部门，申请延期（演示）"
        )
        self.h.later(self.rng.uniform(0.5, 4), lambda: self.decide(request))

    def decide(self, request) -> None:
        approver = self.case.lead_unit.leader or (self.h.leaders[0] if self.h.leaders else None)
        approve = self.rng.random() < 0.8
        actions.do_decide(
            request, actor=approver, approve=approve, note="同意延期" if approve else "请按期办结"
        )
        if approve:
            self.h.counts["extended"] += 1
        self.schedule_reply()

    def reply(self) -> None:
        case = self.case
        who = self.handler()
        if self.late and case.is_key is False and self.rng.random() < 0.3 and self.h.leaders:
            actions.do_supervise(
                case, actor=self.rng.choice(self.h.leaders), comment="请加快办理，按时反馈（演示）"
            )
        self.case = actions.do_reply(case, actor=who, note="已到现场处理完毕（演示）")
        self.h.later(self.rng.uniform(1, 16), self.verify)

    def verify(self) -> None:
        case = self.fresh()
        passed = case.rework_count > 0 or self.rng.random() > 0.012
        actions.do_verify(
            case, actor=self.desk, passed=passed, note="" if passed else "现场核查问题仍未解决，请返工"
        )
        if not passed:
            self.h.counts["reworked"] += 1
            self.h.later(self.rng.uniform(3, 12), self.reply)
        else:
            self.h.later(self.rng.uniform(4, 24), self.follow_up)

    def follow_up(self) -> None:
        case = self.case
        if case.reporter_phone and self.rng.random() < 0.03:
            for _ in range(3):
                actions.do_follow_up(case, actor=self.desk, reachable=False, comment="电话无人接听")
            actions.do_archive(case, actor=self.desk, note="三次联系不上，归档")
            return
        # Believable outcomes: about 1 in 80 is redone after a 不满意, about 1 in 30 stays 不满意 because the request
        # was answered by policy (no redo, the verdict counts), and some are only 基本满意.
        draw = self.rng.random()
        redo = True
        comment = ""
        if case.redo_count == 0 and draw < 0.012:
            satisfaction = Satisfaction.UNSATISFIED
        elif draw < 0.045:
            satisfaction, redo = Satisfaction.UNSATISFIED, False
            comment = "已按政策解释说明，反映人仍不满意（演示）"
        else:
            satisfaction = self.rng.choices([Satisfaction.SATISFIED, Satisfaction.BASIC], [84, 16])[0]
        case = actions.do_follow_up(
            case,
            actor=self.desk,
            resolved=satisfaction != Satisfaction.UNSATISFIED,
            satisfaction=satisfaction,
            comment=comment,
            redo=redo,
        )
        if case.status == Status.HANDLING:
            self.h.counts["redone"] += 1
            self.late = False
            self.schedule_reply()
        elif case.reopen_count == 0 and self.rng.random() < 0.02:
            self.h.later(self.rng.uniform(8, 40), self.reopen)

    def reopen(self) -> None:
        self.case = actions.do_reopen(self.case, reason="问题再次出现（演示）", by_reporter=True)
        self.h.counts["reopened"] += 1
        self.late = False
        self.h.later(self.rng.uniform(0.2, 2), self.dispatch_again)

    def dispatch_again(self) -> None:
        self.case = actions.do_dispatch(self.case, actor=self.desk, unit=self.case.lead_unit or self.t.unit)
        self.wait(0.1, 2, self.sign)
