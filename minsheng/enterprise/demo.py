"""Demonstration data of enterprise services for the demo 街道, loaded by `minsheng demo` after org and cases.

A year of work replayed through the real actions, each step inside `clock.at(the moment it happened)`: about 80
enterprises (the article's leading enterprises among them, as demonstration rows with invented credit codes), 40
investment projects from lead to operation whose first signings add up to the article's 28.6亿元, 组团式服务 visits
whose problems become 企业诉求 cases, are handled on the engine and are closed (销号) by the enterprises, 一企一策
plans reviewed by the 小微企业工作委员会, 13 trainings, 5 政银企对接 events with more than 30 enterprises and 12
送政策进企业 visits. So every figure the pages show is computed from these rows.

Everything is labelled: addresses end in "（演示数据）", notes say 演示数据. The random generator is seeded; a second
load changes nothing.
"""

import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership, User
from minsheng.cases import actions as case_actions
from minsheng.cases.choices import UnitKind
from minsheng.cases.models import Category, Unit
from minsheng.core import clock, notifications
from minsheng.core.calendar import TZ, WorkCalendar
from minsheng.core.context import acting
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from . import actions
from .choices import (
    DeliveryMethod,
    EventKind,
    Milestone,
    NeedKind,
    PolicyMode,
    RaisedVia,
    SigningKind,
    SizeClass,
    Stage,
)
from .models import Enterprise, EnterpriseTag, Industry, Problem
from .validators import ALPHABET, make_uscc

SEED = 20260915
DEMO_LABEL = "（演示数据）"
DEMO_NOTE = "演示数据：名称取自公开报道，统一社会信用代码、地址、联系人均为演示生成。"
#: The article: 签约项目总投资28.6亿元 — the first signings of the demo's projects add up to this (万元).
SIGNED_TOTAL = 286_000
#: 县级行政区划码 in the demo's credit codes.
DIVISION = "370724"

LEADING = [
    ("伊利乳业", "C", SizeClass.LARGE, ["龙头企业", "规上"], 1200),
    ("秦池酒业", "C", SizeClass.LARGE, ["龙头企业", "规上"], 860),
    ("千喜鹤", "C", SizeClass.LARGE, ["龙头企业", "规上"], 1500),
    ("广华肉制品", "C", SizeClass.MEDIUM, ["龙头企业", "规上"], 420),
    ("第一春食品", "C", SizeClass.MEDIUM, ["龙头企业", "规上"], 310),
    ("圣罗捷食品", "C", SizeClass.MEDIUM, ["龙头企业", "规上"], 260),
]
PREFIXES = [
    "东方",
    "鑫源",
    "华泰",
    "瑞丰",
    "恒通",
    "金穗",
    "宏达",
    "兴隆",
    "德盛",
    "永康",
    "佳和",
    "汇丰",
    "润泽",
    "泰和",
    "鼎盛",
    "安平",
    "福源",
    "丰源",
    "嘉禾",
    "盛世",
    "启明",
    "晨光",
    "绿源",
    "沂蒙",
    "齐鲁",
    "临川",
    "弥河",
    "樱都",
]
TRADES = [
    ("C", "食品"), ("C", "机械制造"), ("C", "包装材料"), ("C", "纺织"), ("C", "新材料"), ("C", "农产品加工"),
    ("F", "商贸"), ("F", "农资"), ("H", "餐饮管理"), ("A", "果蔬种植专业合作社"), ("A", "生态农业"),
    ("E", "建筑工程"), ("G", "物流"), ("I", "信息技术"), ("L", "企业管理咨询"), ("M", "检测技术"), ("O", "家政服务"),
]  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
PROJECT_NAMES = [
    "乳制品扩能", "白酒酿造技改", "中央厨房", "冷链物流园", "肉制品深加工", "休闲食品生产线", "果蔬冻干",
    "樱桃精深加工", "包装材料", "智能装备制造", "光伏屋顶", "预制菜产业园", "电商直播基地", "粮油加工",
    "饲料加工", "生物有机肥", "新型建材", "纺织服装", "汽车零部件", "医用耗材", "仓储配送中心", "农产品交易市场",
    "研学旅游", "健康养老", "数据服务中心", "精密铸造", "环保设备", "乡村民宿集群", "中药材加工", "食用菌工厂化",
    "种猪繁育", "花卉苗木", "面制品加工", "调味品生产", "饮用水灌装", "木制品加工", "农机装备", "印刷包装",
    "服装加工", "水产养殖",
]  # fmt: skip
INVESTORS = ["北京", "上海", "深圳", "杭州", "青岛", "济南", "苏州", "天津", "广州", "南京", "潍坊", "烟台"]
TRAININGS = [
    "安全生产主体责任培训", "企业用工与劳动合同培训", "增值税留抵退税政策解读", "小微企业财务规范培训",
    "电商直播运营培训", "食品安全管理员培训", "专精特新企业培育辅导", "出口退税与外贸实务", "知识产权保护培训",
    "企业消防安全培训", "数字化转型专题培训", "环保合规培训", "企业融资产品推介",
]  # fmt: skip
BANKS = ["农商银行", "农业银行", "邮储银行", "建设银行", "工商银行", "齐鲁银行"]
POLICIES = [
    (
        "小微企业贷款贴息",
        "县财政局",
        PolicyMode.FAST,
        ["小微", "初创"],
        [],
        [SizeClass.SMALL, SizeClass.MICRO],
    ),
    ("规上工业企业稳增长奖励", "县工信局", PolicyMode.AUTOMATIC, ["规上"], ["C"], []),
    ("农产品加工龙头企业扶持", "县农业农村局", PolicyMode.APPLY, ["龙头企业"], ["C", "A"], []),
    ("新落地项目固定资产投资补助", "县发改局", PolicyMode.APPLY, ["新落地"], [], []),
    ("创业担保贷款", "县人社局", PolicyMode.FAST, ["初创"], [], [SizeClass.MICRO, SizeClass.SMALL]),
    ("稳岗返还", "县人社局", PolicyMode.AUTOMATIC, [], [], []),
    ("高新技术企业认定奖励", "县科技局", PolicyMode.APPLY, ["高新技术", "专精特新"], [], []),
    ("外贸企业出口信用保险补贴", "县商务局", PolicyMode.FAST, ["外贸"], [], []),
    ("电商企业网络销售奖励", "县商务局", PolicyMode.APPLY, [], ["F", "I"], []),
    ("企业技术改造设备补助", "县工信局", PolicyMode.APPLY, ["规上"], ["C"], []),
]
PROBLEMS = [
    ("厂区周边道路破损", "厂区门前道路坑洼，货车进出困难，希望协调维修", "城市管理办公室"),
    ("扩建用地手续咨询", "计划扩建厂房，不清楚用地和规划手续如何办理", "经济发展办公室"),
    ("招工难", "旺季用工缺口约30人，希望帮助对接劳务资源", "社会事务办公室"),
    ("电力增容", "新增生产线需要电力增容，申请后进展缓慢", "经济发展办公室"),
    ("雨污管网不通", "厂区雨水排放不畅，雨季积水严重", "城市管理办公室"),
    ("周边治安", "夜间厂区周边有人员逗留，存在安全隐患", "平安建设办公室"),
    ("融资需求", "需流动资金约500万元，希望对接银行", "经济发展办公室"),
    ("政策兑现进度", "去年申报的技改补助尚未到位，希望了解进度", "经济发展办公室"),
    ("职工子女入学", "外地职工子女就近入学需要协调", "社会事务办公室"),
    ("消防验收", "新建仓库消防验收需要指导", "平安建设办公室"),
    ("路灯不亮", "通往厂区的道路路灯损坏，夜班职工出行不便", "城市管理办公室"),
    ("员工住宿", "希望协调周边闲置房屋作为员工宿舍", "党政综合办公室"),
]
VISIT_DEPARTMENTS = ["经济发展办公室", "城市管理办公室", "社会事务办公室", "平安建设办公室", "党政综合办公室"]
#: A tiny valid PNG: the signed confirmation a cadre photographs (demo stand-in).
EVIDENCE_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def load(out=None) -> list:
    street = Node.objects.filter(kind=NodeKind.STREET, name__contains="演示").first()
    if street is None:
        return []
    if Enterprise.objects.filter(address__endswith=DEMO_LABEL).exists():
        _say(out, "企业服务演示数据已存在，未做改动。")
        return []
    admin = User.objects.filter(username="admin").first()
    with acting(admin), notifications.muted():
        demo = EnterpriseDemo(street, admin, clock.now())
        with transaction.atomic():
            demo.registry()
        demo.replay()
    _say(out, demo.summary())
    return []


def _say(out, message: str) -> None:
    if out is not None:
        out.write(message + "\n")


class EnterpriseDemo:
    def __init__(self, street: Node, admin, now: dt.datetime):
        self.street = street
        self.admin = admin
        self.now = now
        self.today = timezone.localdate(now)
        self.start = self.today - dt.timedelta(days=365)
        self.rng = random.Random(SEED)
        self.cal = WorkCalendar()
        people = {}
        for m in Membership.objects.filter(node__path__startswith=street.path).select_related("user"):
            people.setdefault(m.role, []).append(m.user)
        self.officers = sorted(people.get(Role.ENTERPRISE_OFFICER, []), key=lambda u: u.pk) or [admin]
        self.leaders = sorted(people.get(Role.STREET_LEADER, []), key=lambda u: u.pk) or [admin]
        self.staff = sorted(
            {u for role, users in people.items() if role != Role.RESIDENT for u in users}, key=lambda u: u.pk
        )
        self.places = list(
            Node.objects.filter(
                path__startswith=street.path, kind__in=[NodeKind.COMMUNITY, NodeKind.VILLAGE]
            ).order_by("path")
        )
        self.units = {u.name: u for u in Unit.objects.filter(kind=UnitKind.STREET_OFFICE)}
        for name in VISIT_DEPARTMENTS:  # the cases demo makes these; without it, the same offices here
            if name not in self.units:
                unit = Unit.objects.create(
                    name=name, kind=UnitKind.STREET_OFFICE, node=street, leader=self.leaders[0]
                )
                unit.members.set([self.officers[0]])
                self.units[name] = unit
        self.industries = {i.code: i for i in Industry.objects.all()}
        self.tags = {t.name: t for t in EnterpriseTag.objects.all()}
        self.enterprises: list[Enterprise] = []
        self.counts = {"problems": 0, "closed": 0}
        self.code_n = 0

    # -- helpers ------------------------------------------------------------------------------------

    def at(self, day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
        """A working moment on `day` (moved to the next working day), never after now."""
        day = self.cal.next_workday(day) if not self.cal.is_workday(day) else day
        moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)
        return min(moment, self.now - dt.timedelta(minutes=5))

    def day(self, lo: int = 0, hi: int = 360) -> dt.date:
        return self.start + dt.timedelta(days=self.rng.randint(lo, hi))

    def credit_code(self) -> str:
        self.code_n += 1
        body = (
            "91"
            + DIVISION
            + "MA"
            + "".join(self.rng.choice(ALPHABET) for _ in range(6))
            + ALPHABET[self.code_n % 31]
        )
        return make_uscc(body[:17])

    def phone(self) -> str:
        self.phone_n = getattr(self, "phone_n", 0) + 1
        return f"1990100{self.phone_n:04d}"

    # -- the registry -------------------------------------------------------------------------------

    def registry(self) -> None:
        rng = self.rng
        officer_cycle = self.officers * 50
        used = set()
        rows = [(name, code, size, tags, staff) for name, code, size, tags, staff in LEADING]
        while len(rows) < 68:  # the projects that start production add their own companies
            prefix = rng.choice(PREFIXES)
            code, trade = rng.choice(TRADES)
            name = f"{prefix}{trade}" + ("" if trade.endswith("合作社") else "有限公司")
            if name in used:
                continue
            used.add(name)
            size = rng.choices([SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO], [2, 5, 4])[0]
            tags = ["小微"] if size in (SizeClass.SMALL, SizeClass.MICRO) else ["规上"]
            if rng.random() < 0.18:
                tags.append("初创")
            if rng.random() < 0.08:
                tags.append(rng.choice(["高新技术", "专精特新", "外贸"]))
            staff = {SizeClass.MEDIUM: rng.randint(100, 300), SizeClass.SMALL: rng.randint(15, 90)}.get(
                size, rng.randint(3, 12)
            )
            rows.append((name, code, size, tags, staff))
        for i, (name, code, size, tags, staff) in enumerate(rows):
            node = self.places[i % len(self.places)] if i >= 6 else self.places[min(i, len(self.places) - 1)]
            enterprise = actions.create_enterprise(
                actor=self.admin,
                credit_code=self.credit_code(),
                name=name,
                industry=self.industries[code],
                size=size,
                node=node,
                address=f"{node.name}工业路{rng.randint(1, 300)}号{DEMO_LABEL}",
                legal_rep=rng.choice(SURNAMES) + rng.choice("建国志强海燕丽华明军红梅永刚秀英"),
                founded_on=self.today - dt.timedelta(days=rng.randint(200, 9000)),
                employees=staff,
                cadre=officer_cycle[i],
                note=DEMO_NOTE,
                tags=[self.tags[t] for t in tags if t in self.tags],
            )
            actions.add_contact(
                enterprise,
                actor=self.admin,
                name=rng.choice(SURNAMES) + rng.choice(["经理", "主任", "会计", "总"]),
                phone=self.phone(),
                position=rng.choice(["总经理", "办公室主任", "财务负责人"]),
                is_primary=True,
            )
            self.enterprises.append(enterprise)
        self.banks = [actions.do_add_bank(actor=self.admin, name=name) for name in BANKS]
        self.policies = []
        for j, (title, issuer, mode, tags, industries, sizes) in enumerate(POLICIES):
            self.policies.append(
                actions.do_add_policy(
                    actor=self.admin,
                    title=title,
                    issuer=issuer,
                    doc_number=f"临政办发〔{self.start.year}〕{10 + j}号（演示）",
                    issued_on=self.start - dt.timedelta(days=120 - 10 * j),
                    summary=f"{title}：申报条件、标准和办理流程（演示数据）",
                    mode=mode,
                    tags=[self.tags[t] for t in tags if t in self.tags],
                    industries=[self.industries[c] for c in industries],
                    sizes=sizes,
                )
            )

    # -- the replay -----------------------------------------------------------------------------------

    def replay(self) -> None:
        self.projects()
        self.ledger()
        self.plans()
        self.events()
        with clock.at(self.now):
            actions.run_stage_clock(self.now)

    def _signing_amounts(self, n: int) -> list[int]:
        weights = [self.rng.lognormvariate(0, 0.9) for _ in range(n)]
        total = sum(weights)
        amounts = [max(500, int(round(SIGNED_TOTAL * w / total / 100)) * 100) for w in weights]
        amounts[amounts.index(max(amounts))] += SIGNED_TOTAL - sum(amounts)
        return amounts

    def projects(self) -> None:
        rng = self.rng
        plans = ["signed"] * 30 + ["early"] * 6 + ["lost"] * 4
        rng.shuffle(plans)
        amounts = iter(self._signing_amounts(plans.count("signed")))
        trips = []
        for k, city in enumerate(["上海", "深圳", "青岛", "北京", "杭州", "苏州"]):
            start = self.day(10 + 55 * k, 15 + 55 * k)
            with clock.at(self.at(start + dt.timedelta(days=4))):
                trips.append(
                    actions.do_record_trip(
                        actor=self.officers[0],
                        destination=city,
                        start=start,
                        end=start + dt.timedelta(days=3),
                        leader=str(self.leaders[k % len(self.leaders)]),
                        members=self.officers[:2],
                        visited=f"{city}食品、装备类企业及商会（演示）",
                        outcome="对接意向企业若干，带回项目线索（演示）",
                    )
                )
        officers = self.officers
        for i, plan in enumerate(plans):
            name = PROJECT_NAMES[i % len(PROJECT_NAMES)] + "项目"
            lead_day = self.day(0, 270) if plan == "signed" else self.day(200, 355)
            submitter = rng.choice(self.staff)
            node = rng.choice(self.places)
            planned = next(amounts) if plan == "signed" else rng.randint(20, 300) * 100
            signed_amount = planned
            with clock.at(self.at(lead_day, 9, 30)):
                project = actions.do_submit_lead(
                    actor=submitter,
                    name=name,
                    investor=f"{rng.choice(INVESTORS)}{rng.choice(PREFIXES)}集团（演示）",
                    industry=self.industries[rng.choice("CCCCAFGI")],
                    node=node,
                    planned_amount=int(planned * rng.choice([1, 1, 1.1, 1.2])),
                    source_note=rng.choice(["亲友介绍", "赴外招商", "商会推介", "以商招商", "展会洽谈"]),
                    owner=officers[i % len(officers)],
                    # the first projects are the leading enterprises' own expansions
                    enterprise=self.enterprises[i] if i < 3 else None,
                )
            if trips and rng.random() < 0.4:
                project.trips.add(rng.choice(trips))
            day = lead_day + dt.timedelta(days=rng.randint(1, 4))
            if day > self.today or (plan == "early" and rng.random() < 0.5):
                continue  # a fresh lead still being assessed
            with clock.at(self.at(day)):
                project = actions.do_advance(
                    project, actor=project.owner, to=Stage.TALKS, note="初步研判可行（演示）"
                )
            if plan == "early":
                continue
            day += dt.timedelta(days=rng.randint(15, 70))
            if plan == "lost" or day > self.today:
                if plan == "lost":
                    with clock.at(self.at(min(day, self.today))):
                        actions.do_lose(
                            project,
                            actor=project.owner,
                            reason=rng.choice(
                                ["投资方选择外省落地", "用地指标无法满足", "投资方资金链紧张", "环评条件不符"]
                            )
                            + "（演示）",
                        )
                continue
            with clock.at(self.at(day, 15)):
                actions.do_record_signing(
                    project,
                    actor=project.owner,
                    kind=SigningKind.FIRST,
                    amount=signed_amount,
                    signed_on=self.at(day).date(),
                )
            project.refresh_from_db()
            if rng.random() < 0.15 and day + dt.timedelta(days=20) <= self.today:
                with clock.at(self.at(day + dt.timedelta(days=20), 11)):
                    actions.do_record_signing(
                        project,
                        actor=project.owner,
                        kind=SigningKind.RESIGN,
                        amount=signed_amount,
                        signed_on=self.at(day + dt.timedelta(days=20)).date(),
                        note="框架协议转正式合同（演示）",
                    )
            self._carry_out(project, day)

    def _carry_out(self, project, day: dt.date) -> None:
        """签约 → 落地推进 (立项/供地/开工, funds) → 投产 → 运营, as far as the year allows."""
        rng = self.rng
        day += dt.timedelta(days=rng.randint(7, 25))
        if day > self.today or rng.random() < 0.12:
            return  # not started yet, or stalled after signing (the stage clock will 督办 it)
        with clock.at(self.at(day)):
            project = actions.do_advance(
                project, actor=project.owner, to=Stage.LANDING, note="成立项目专班（演示）"
            )
        funds_share = Decimal(str(rng.uniform(0.15, 0.35)))
        for milestone, gap in (
            (Milestone.APPROVED, (10, 30)),
            (Milestone.LAND, (15, 45)),
            (Milestone.STARTED, (10, 40)),
        ):
            day += dt.timedelta(days=rng.randint(*gap))
            if day > self.today:
                return
            with clock.at(self.at(day, 14)):
                actions.do_record_milestone(
                    project, actor=project.owner, milestone=milestone, on=self.at(day).date()
                )
            if milestone != Milestone.APPROVED:
                with clock.at(self.at(day, 16)):
                    actions.do_record_funds(
                        project,
                        actor=project.owner,
                        amount=(project.signed_amount * funds_share).quantize(Decimal("1")),
                        on=self.at(day).date(),
                        note="分期到位（演示）",
                    )
        for stage, gap in ((Stage.PRODUCTION, (60, 150)), (Stage.OPERATING, (30, 90))):
            day += dt.timedelta(days=rng.randint(*gap))
            if day > self.today:
                return
            with clock.at(self.at(day)):
                project = actions.do_advance(project, actor=project.owner, to=stage)
            if stage == Stage.PRODUCTION and project.enterprise_id is None:
                self._new_company(project, day)

    def _new_company(self, project, day: dt.date) -> None:
        """A project that starts production runs as a company of its own, registered and tagged 新落地."""
        name = project.name.removesuffix("项目") + "有限公司"
        with clock.at(self.at(day, 11)):
            enterprise = actions.create_enterprise(
                actor=project.owner,
                credit_code=self.credit_code(),
                name=name,
                industry=project.industry,
                size=SizeClass.SMALL,
                node=project.node,
                address=f"{project.node.name}园区路{self.rng.randint(1, 99)}号{DEMO_LABEL}",
                founded_on=self.at(day).date(),
                cadre=project.owner,
                note=DEMO_NOTE,
                tags=[self.tags["新落地"]],
            )
            actions.add_contact(
                enterprise, actor=project.owner, name="项目负责人", phone=self.phone(), is_primary=True
            )
            actions.do_link_enterprise(project, actor=project.owner, enterprise=enterprise)
        self.enterprises.append(enterprise)

    # -- visits and the ledger --------------------------------------------------------------------------

    def ledger(self) -> None:
        rng = self.rng
        verifier = self.admin
        categories = {c.code: c for c in Category.objects.filter(code__startswith="QY")}
        for v in range(60):
            enterprise = self.enterprises[v % 6] if v < 12 else rng.choice(self.enterprises)
            day = self.day(0, 358)
            units = [self.units[n] for n in rng.sample(VISIT_DEPARTMENTS, rng.randint(2, 4))]
            cadre = enterprise.cadre or self.officers[0]
            with clock.at(self.at(day, 9)):
                visit = actions.do_record_visit(
                    enterprise,
                    actor=cadre,
                    visited_on=self.at(day).date(),
                    findings=rng.choice(
                        [
                            "生产经营正常，反映用工和基础设施问题",
                            "现场办公，了解扩产计划和融资需求",
                            "座谈了解政策兑现情况",
                        ]
                    )
                    + "（演示）",
                    units=units,
                    members=[cadre],
                    on_site_office=rng.random() < 0.5,
                )
            for title, text, office in rng.sample(PROBLEMS, rng.choice([0, 1, 1, 1, 2])):
                lead = self.units.get(office) or units[0]
                category = (
                    categories["QY03"]
                    if rng.random() < 0.15
                    else categories["QY01"]
                    if "咨询" in title
                    else categories["QY02"]
                )
                with clock.at(self.at(day, 11)):
                    problem = actions.do_raise_problem(
                        enterprise,
                        actor=cadre,
                        title=title,
                        description=text + "（演示）",
                        raised_via=RaisedVia.VISIT,
                        visit=visit,
                        category=category,
                        unit=lead,
                    )
                self._handle(problem, day, verifier)
        contacts = [e.contacts.first() for e in self.enterprises[6:20]]
        for contact in contacts[:10]:
            day = self.day(200, 358)
            title, text, office = rng.choice(PROBLEMS)
            with clock.at(self.at(day, 10)):
                problem = actions.do_raise_problem(
                    contact.enterprise,
                    contact=contact,
                    title=title,
                    description=text + "（演示）",
                    raised_via=RaisedVia.H5,
                )
            with clock.at(self.at(day + dt.timedelta(days=1), 9)):
                case_actions.do_accept(problem.case, actor=verifier, note="企业线上反映，已核实（演示）")
                case_actions.do_dispatch(
                    problem.case, actor=verifier, unit=self.units.get(office) or self.units["经济发展办公室"]
                )
            problem.refresh_from_db()
            self._handle(problem, day, verifier)

    def _handle(self, problem: Problem, day: dt.date, verifier) -> None:
        """The department signs, replies, the desk verifies; the enterprise then confirms (销号) or not."""
        rng = self.rng
        self.counts["problems"] += 1
        case = problem.case
        handler = case.lead_unit.members.order_by("pk").first() if case.lead_unit else None
        if handler is None:
            return
        step = day + dt.timedelta(days=1)
        if step > self.today:
            return
        with clock.at(self.at(step, 9, 30)):
            case = case_actions.do_sign(case, actor=handler)
        step += dt.timedelta(days=rng.choice([3, 5, 8, 12, 18, 25]))
        if step > self.today:
            return
        with clock.at(self.at(step, 15)):
            case = case_actions.do_reply(case, actor=handler, note="已协调办理，情况已向企业反馈（演示）")
        step += dt.timedelta(days=1)
        if step > self.today:
            return
        with clock.at(self.at(step, 10)):
            case = case_actions.do_verify(case, actor=verifier, passed=True, note="核查通过（演示）")
        step += dt.timedelta(days=rng.randint(1, 6))
        if step > self.today or rng.random() < 0.08:
            return  # awaiting the enterprise's confirmation
        problem.refresh_from_db()
        contact = problem.raised_by_contact or problem.enterprise.contacts.first()
        with clock.at(self.at(step, 16)):
            if rng.random() < 0.06:
                actions.do_decline_close(problem, contact=contact, reason="问题仍未彻底解决（演示）")
                return
            if rng.random() < 0.5 and contact is not None:
                actions.do_confirm_close(problem, contact=contact, note="已解决，感谢（演示）")
            else:
                actions.do_confirm_close(
                    problem,
                    actor=problem.enterprise.cadre or self.officers[0],
                    note="企业负责人签字确认已解决（演示）",
                    evidence=ContentFile(EVIDENCE_PNG, name="confirmation.png"),
                )
        self.counts["closed"] += 1

    # -- 一企一策 ------------------------------------------------------------------------------------------

    def plans(self) -> None:
        rng = self.rng
        small = [e for e in self.enterprises if e.size in (SizeClass.SMALL, SizeClass.MICRO)]
        for k, enterprise in enumerate(small[:10]):
            day = self.day(30, 300)
            kinds = rng.sample(
                [NeedKind.RESOURCES, NeedKind.REGISTRATION, NeedKind.POLICY, NeedKind.FUNDING], 2
            )
            texts = {
                NeedKind.RESOURCES: "对接原料供应和销售渠道",
                NeedKind.REGISTRATION: "办理食品生产许可等手续",
                NeedKind.POLICY: "了解并申报小微企业扶持政策",
                NeedKind.FUNDING: "解决流动资金缺口约200万元",
            }
            owners = [enterprise.cadre or self.officers[0], *self.units["经济发展办公室"].members.all()[:1]]
            with clock.at(self.at(day)):
                plan = actions.do_create_plan(
                    enterprise,
                    actor=enterprise.cadre or self.officers[0],
                    year=self.at(day).year,
                    summary=f"{enterprise.name}成立不久，{texts[kinds[0]]}是当前主要困难（演示）",
                    needs=[(kind, texts[kind]) for kind in kinds],
                    actions=[
                        {
                            "title": f"协助{texts[kind]}",
                            "owner": owners[n % len(owners)],
                            "due": day + dt.timedelta(days=60 + 30 * n),
                            "need": n,
                        }
                        for n, kind in enumerate(kinds)
                    ],
                )
            if k >= 8:
                continue  # two still waiting for the committee
            review_day = day + dt.timedelta(days=rng.randint(7, 20))
            if review_day > self.today:
                continue
            with clock.at(self.at(review_day, 15)):
                actions.do_review_plan(
                    plan,
                    actor=self.leaders[0],
                    approve=True,
                    opinion="同意方案，按期推进（小微企业工作委员会，演示）",
                )
            for n, action in enumerate(plan.actions.all()):
                progress_day = review_day + dt.timedelta(days=30 * (n + 1))
                if progress_day > self.today:
                    break
                with clock.at(self.at(progress_day)):
                    actions.do_update_progress(
                        action, actor=None, progress=100 if k < 5 else 60, note="按计划推进（演示）"
                    )
            if k < 3 and not plan.actions.filter(done_on__isnull=True).exists():
                with clock.at(self.at(min(self.today, review_day + dt.timedelta(days=90)))):
                    actions.do_complete_plan(plan, actor=self.admin)

    # -- events and policies -----------------------------------------------------------------------------

    def events(self) -> None:
        rng = self.rng
        for k, title in enumerate(TRAININGS):
            day = self.start + dt.timedelta(days=14 + 26 * k)
            with clock.at(self.at(day, 14)):
                actions.do_record_event(
                    actor=self.officers[0],
                    kind=EventKind.TRAINING,
                    title=title + "（演示）",
                    held_on=self.at(day).date(),
                    node=self.street,
                    place="街道便民服务中心三楼会议室",
                    enterprises=rng.sample(self.enterprises, rng.randint(8, 25)),
                )
        pool = self.enterprises[:]
        rng.shuffle(pool)
        for k in range(5):
            day = self.start + dt.timedelta(days=40 + 68 * k)
            attending = pool[k * 7 : k * 7 + 9] + rng.sample(self.enterprises, 3)
            attending = list(dict.fromkeys(attending))
            banks = rng.sample(self.banks, rng.randint(3, 5))
            with clock.at(self.at(day, 16, 30)):
                event = actions.do_record_event(
                    actor=self.officers[0],
                    kind=EventKind.MATCHMAKING,
                    title=f"第{k + 1}期政银企对接会（演示）",
                    held_on=self.at(day).date(),
                    node=self.street,
                    place="街道会议中心",
                    enterprises=attending,
                    banks=banks,
                )
                for enterprise in rng.sample(attending, min(len(attending), rng.randint(5, 8))):
                    intent = rng.randint(5, 60) * 10
                    credit = intent * rng.choice([0, 0, 0.5, 0.8, 1]) // 10 * 10
                    loan = credit * rng.choice([0, 0.5, 1]) // 10 * 10
                    actions.do_record_outcome(
                        event,
                        actor=self.officers[0],
                        enterprise=enterprise,
                        bank=rng.choice(banks),
                        intent_amount=intent,
                        credit_amount=credit,
                        loan_amount=loan,
                        note="演示数据",
                    )
        for k in range(12):
            day = self.start + dt.timedelta(days=20 + 28 * k)
            policies = rng.sample(self.policies, rng.randint(1, 2))
            with clock.at(self.at(day, 15)):
                actions.do_record_event(
                    actor=self.officers[k % len(self.officers)],
                    kind=EventKind.POLICY,
                    title=f"送政策进企业（第{k + 1}次，演示）",
                    held_on=self.at(day).date(),
                    node=self.street,
                    place="企业现场",
                    enterprises=rng.sample(self.enterprises, rng.randint(3, 8)),
                    policies=policies,
                )
        with clock.at(self.at(self.today - dt.timedelta(days=3))):
            for enterprise in rng.sample(self.enterprises, 12):
                policy = rng.choice(self.policies)
                if not policy.deliveries.filter(enterprise=enterprise).exists():
                    actions.do_deliver_policy(
                        policy,
                        actor=enterprise.cadre or self.officers[0],
                        enterprise=enterprise,
                        delivered_on=self.at(self.today - dt.timedelta(days=3)).date(),
                        method=DeliveryMethod.VISIT,
                        note="已讲解申报条件（演示）",
                    )

    def summary(self) -> str:
        from .models import EnterpriseEvent, Project

        signed = sum(p.signed_amount for p in Project.objects.filter(first_signed_on__isnull=False))
        return (
            f"企业服务演示数据：企业 {len(self.enterprises)} 家，招商项目 {Project.objects.count()} 个"
            f"（签约额 {signed / 10000:.1f} 亿元），企业问题 {self.counts['problems']} 件（已销号 {self.counts['closed']}），"
            f"活动 {EnterpriseEvent.objects.count()} 场。"
        )
