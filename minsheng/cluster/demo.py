"""Demonstration data of the cherry cluster 首朐一指·樱悦田园, loaded by `minsheng demo` after org, iot and enterprise.

One season replayed through the real actions so that the article's orders of magnitude come out of records, not
typed numbers: every iot greenhouse of the ten cluster villages becomes an orchard of its owner, and about 600
open-field orchards of growers, cooperatives and family farms make up the rest — about 1.1万亩 in all; one harvest
per orchard and its sales by channel add up to more than 4亿元; a catalogue of 32 techniques from 中国农科院,
山东农业大学 and others, adopted by orchards on dates (智能温控 by the greenhouses' own sensor data); 36 expert
trainings and 8 live-selling classes as activities events with their sign-in sheets; two 带货达人孵化中心 with
仓播/村播/云播; about 125 trainees who went live (带货达人) with their sessions; the leading enterprises of the
enterprise registry bound to cooperatives and growers by purchase and service agreements.

Labelled: every grower's note is 演示数据, orchard and centre names end in （演示数据）. Seeded; a second load changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from minsheng.accounts.models import User
from minsheng.core import clock, notifications
from minsheng.core.calendar import TZ
from minsheng.core.context import acting
from minsheng.org.choices import NodeKind
from minsheng.org.demo import CHERRY_CLUSTER, CHERRY_CLUSTER_VILLAGES, STREET_NAME
from minsheng.org.demo_data import FEMALE_GIVEN, MALE_GIVEN, SURNAMES
from minsheng.org.models import Node, Resident

from . import actions, queries
from .choices import (
    SMART_CLIMATE,
    AgreementKind,
    Channel,
    Grade,
    OrgKind,
    Package,
    Platform,
    TechniqueKind,
    TrainingKind,
    Variety,
)
from .models import Grower, Orchard

SEED = 20260520
DEMO_NOTE = "演示数据"
LABEL = "（演示数据）"
OPEN_FIELD_ORCHARDS = 600
TARGET_AREA = Decimal("11000")

#: (code, name, kind, institution, year introduced, share of orchards adopting) — the article's 30余项.
TECHNIQUES = [
    ("cold_chain", "冷链降温预冷", TechniqueKind.TECHNIQUE, "中国农科院", 2018, 0.35),
    ("auto_roller", "大棚自动卷帘", TechniqueKind.FACILITY, "山东农业大学", 2017, 0.0),
    (SMART_CLIMATE, "智能温控", TechniqueKind.FACILITY, "山东农业大学", 2021, 0.0),
    ("dwarf_stock", "矮化砧木密植", TechniqueKind.TECHNIQUE, "山东农业大学", 2015, 0.18),
    ("water_fert", "水肥一体化", TechniqueKind.FACILITY, "中国农科院", 2016, 0.3),
    ("rain_shelter", "避雨防裂栽培", TechniqueKind.FACILITY, "山东省果树研究所", 2017, 0.22),
    ("bee_pollination", "壁蜂授粉", TechniqueKind.TECHNIQUE, "山东农业大学", 2015, 0.4),
    ("frost_guard", "花期防霜冻", TechniqueKind.TECHNIQUE, "山东省果树研究所", 2016, 0.3),
    ("bird_net", "防鸟网覆盖", TechniqueKind.FACILITY, "临朐县农业技术推广中心", 2015, 0.35),
    ("green_control", "病虫害绿色防控", TechniqueKind.TECHNIQUE, "中国农科院", 2017, 0.45),
    ("sex_lure", "性诱剂杀虫", TechniqueKind.TECHNIQUE, "中国农科院", 2018, 0.2),
    ("grass_cover", "果园生草覆盖", TechniqueKind.TECHNIQUE, "山东农业大学", 2018, 0.25),
    ("organic_fert", "有机肥替代化肥", TechniqueKind.TECHNIQUE, "中国农科院", 2019, 0.3),
    ("soil_test", "测土配方施肥", TechniqueKind.TECHNIQUE, "临朐县农业技术推广中心", 2016, 0.35),
    ("shape_pruning", "纺锤形整形修剪", TechniqueKind.TECHNIQUE, "山东农业大学", 2015, 0.4),
    ("flower_thin", "疏花疏果", TechniqueKind.TECHNIQUE, "山东省果树研究所", 2016, 0.3),
    ("reflect_film", "铺反光膜增色", TechniqueKind.TECHNIQUE, "山东省果树研究所", 2019, 0.15),
    ("early_cover", "设施促早栽培", TechniqueKind.TECHNIQUE, "山东农业大学", 2017, 0.0),
    ("co2_supplement", "棚内二氧化碳补施", TechniqueKind.TECHNIQUE, "山东农业大学", 2020, 0.0),
    ("fill_light", "补光灯补光", TechniqueKind.FACILITY, "中国农科院", 2021, 0.0),
    ("drip_sensor", "土壤墒情监测", TechniqueKind.FACILITY, "中国农科院", 2021, 0.08),
    ("virus_free", "脱毒苗木繁育", TechniqueKind.TECHNIQUE, "山东省果树研究所", 2018, 0.1),
    ("new_variety", "美早、萨米脱等新品种改接", TechniqueKind.TECHNIQUE, "山东省果树研究所", 2016, 0.2),
    ("root_restrict", "限根栽培", TechniqueKind.TECHNIQUE, "山东农业大学", 2020, 0.06),
    ("crack_spray", "裂果防治叶面喷施", TechniqueKind.TECHNIQUE, "中国农科院", 2019, 0.2),
    ("grading_line", "光电分选分级", TechniqueKind.FACILITY, "中国农业大学", 2022, 0.05),
    ("precool_store", "产地预冷库", TechniqueKind.FACILITY, "中国农科院", 2020, 0.12),
    ("gift_pack", "礼盒包装与品牌标识", TechniqueKind.TECHNIQUE, "临朐县农业技术推广中心", 2021, 0.2),
    ("trace_code", "一果一码质量追溯", TechniqueKind.TECHNIQUE, "临朐县农业技术推广中心", 2022, 0.1),
    ("drone_spray", "植保无人机统防统治", TechniqueKind.FACILITY, "临朐县农业技术推广中心", 2022, 0.15),
    ("ridge_plant", "起垄栽培", TechniqueKind.TECHNIQUE, "山东农业大学", 2019, 0.12),
    ("hail_net", "防雹网", TechniqueKind.FACILITY, "山东省果树研究所", 2023, 0.08),
]
#: Techniques every sensed greenhouse uses as well (recorded adoptions, not data).
GREENHOUSE_TECHNIQUES = ("auto_roller", "early_cover")
#: Greenhouse techniques some houses use (share of greenhouses).
GREENHOUSE_OPTIONAL = {"co2_supplement": 0.3, "fill_light": 0.2}
EXPERTS = {
    "中国农科院": ["刘研究员", "孙研究员", "郑研究员"],
    "山东农业大学": ["王教授", "高教授", "李教授"],
    "山东省果树研究所": ["张研究员", "赵研究员"],
    "中国农业大学": ["陈教授"],
    "临朐县农业技术推广中心": ["马农艺师", "韩高级农艺师"],
}
#: Channels of the open-field and the greenhouse fruit (weights) and price ranges by grade (元/千克).
OPEN_CHANNELS = [
    (Channel.DEALER, 36),
    (Channel.COOPERATIVE, 20),
    (Channel.ENTERPRISE, 12),
    (Channel.PLATFORM, 12),
    (Channel.LIVE, 10),
    (Channel.OFFLINE, 10),
]
HOUSE_CHANNELS = [
    (Channel.DEALER, 20),
    (Channel.COOPERATIVE, 10),
    (Channel.PLATFORM, 25),
    (Channel.LIVE, 30),
    (Channel.OFFLINE, 15),
]
OPEN_PRICE = {Grade.PREMIUM: (46, 60), Grade.FIRST: (34, 44), Grade.SECOND: (24, 32), Grade.MIXED: (18, 26)}
HOUSE_PRICE = {
    Grade.PREMIUM: (120, 160),
    Grade.FIRST: (90, 118),
    Grade.SECOND: (66, 86),
    Grade.MIXED: (50, 66),
}
PLATFORMS = [
    (Platform.DOUYIN, 45),
    (Platform.TAOBAO, 25),
    (Platform.JD, 20),
    (Platform.KUAISHOU, 7),
    (Platform.WECHAT, 3),
]
LEADING_SUBJECTS = {
    AgreementKind.PURCHASE: [
        "收购鲜食樱桃",
        "收购加工级樱桃（果酱、果汁原料）",
        "订单收购特级大樱桃（礼盒）",
    ],
    AgreementKind.SERVICE: [
        "冷链仓储与物流服务",
        "樱桃乳品联名产品原料供应与品控服务",
        "统一包装与品牌营销服务",
    ],
}


def _say(out: Any, message: str) -> None:
    if out is not None:
        out.write(message + "\n")


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def season_year(today: dt.date) -> int:
    """The latest season already sold: cherries are picked in May and June."""
    return today.year if today >= dt.date(today.year, 7, 1) else today.year - 1


def load(out: Any = None) -> list:
    street = Node.objects.filter(kind=NodeKind.STREET, name=STREET_NAME).first()
    if street is None:
        _say(out, "樱桃产业：未找到演示街道，跳过。")
        return []
    if Grower.objects.filter(note=DEMO_NOTE).exists():
        _say(out, "樱桃产业演示数据已存在，未做改动。")
        return []
    villages = list(
        Node.objects.filter(
            path__startswith=street.path, kind=NodeKind.VILLAGE, name__in=CHERRY_CLUSTER_VILLAGES
        )
    )
    if not villages:
        _say(out, "樱桃产业：未找到樱桃片区的村，跳过。")
        return []
    villages.sort(key=lambda v: CHERRY_CLUSTER_VILLAGES.index(v.name))
    started = time.monotonic()
    admin = User.objects.filter(username="admin").first()
    with acting(admin), notifications.muted(), transaction.atomic():
        demo = ClusterDemo(villages, clock.now())
        demo.run()
    _say(out, demo.summary(time.monotonic() - started))
    return []


class ClusterDemo:
    def __init__(self, villages: list[Node], now: dt.datetime):
        self.villages = villages
        self.now = now
        self.today = timezone.localdate(now)
        self.season = season_year(self.today)
        self.rng = random.Random(SEED)
        self.growers: list[Grower] = []
        self.by_village: dict[int, list[Grower]] = {v.pk: [] for v in villages}
        self.orchards: list[Orchard] = []
        self.phones: set[str] = set()
        self.techniques: dict[str, Any] = {}
        self.sellers: list[Grower] = []
        self.counts = {
            "harvests": 0,
            "sales": 0,
            "adoptions": 0,
            "sessions": 0,
            "checkins": 0,
            "agreements": 0,
        }

    # -- people -------------------------------------------------------------------------------------

    def phone(self) -> str:
        while True:
            number = "1" + self.rng.choice("35789") + "".join(self.rng.choice("0123456789") for _ in range(9))
            if number not in self.phones:
                self.phones.add(number)
                return number

    def name(self) -> str:
        given = MALE_GIVEN if self.rng.random() < 0.7 else FEMALE_GIVEN
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(given) for _ in range(self.rng.choice((1, 2)))
        )

    def grower(self, village: Node, name: str = "", resident: Resident | None = None) -> Grower:
        g = actions.do_register_grower(
            actor=None,
            name=name or self.name(),
            phone="" if resident is not None else self.phone(),
            village=village,
            resident=resident,
            note=DEMO_NOTE,
        )
        if not g.phone and resident is not None and not resident.phone:
            g.phone = self.phone()  # the registry row has none: the grower gave one when registering
            g.save(update_fields=["phone", "updated_at"])
        self.growers.append(g)
        self.by_village[village.pk].append(g)
        return g

    # -- the run --------------------------------------------------------------------------------------

    def run(self) -> None:
        self.catalogue()
        self.greenhouse_orchards()
        self.open_field_orchards()
        self.organisations()
        self.adoptions()
        self.expert_trainings()
        self.incubation()
        self.harvests_and_sales()

    def catalogue(self) -> None:
        for code, name, kind, institution, year, _share in TECHNIQUES:
            self.techniques[code] = actions.do_add_technique(
                actor=None,
                code=code,
                name=name,
                kind=kind,
                institution=institution,
                introduced_year=min(year, self.today.year),
                description=DEMO_NOTE,
                by_data=code == SMART_CLIMATE,
            )

    def greenhouse_orchards(self) -> None:
        """Each iot greenhouse becomes an orchard of its owner (one grower per owner name and village)."""
        ids = [v.pk for v in self.villages]
        owners: dict[tuple[int, str], Grower] = {}
        village_of = {v.pk: v for v in self.villages}
        for gh in queries.iot_greenhouses(ids):
            village = village_of[gh["village_id"]]
            key = (village.pk, gh["owner_name"] or gh["name"])
            if key not in owners:
                owners[key] = self.grower(village, name=gh["owner_name"])
            self.orchards.append(
                actions.do_add_orchard(
                    owners[key],
                    actor=None,
                    name=f"{gh['name']}{LABEL}",
                    area_mu=gh["area_mu"] or Decimal("1.5"),
                    variety=self.rng.choice([Variety.MEIZAO] * 3 + [Variety.SATENIN, Variety.TIELIHONG]),
                    planted_year=self.rng.randint(2012, 2020),
                    iot_greenhouse_id=gh["pk"],
                )
            )

    def open_field_orchards(self) -> None:
        covered = sum((o.area_mu for o in self.orchards), Decimal("0"))
        left = TARGET_AREA - covered
        sizes = [Decimal(self.rng.randint(50, 300)) / 10 for _ in range(OPEN_FIELD_ORCHARDS)]
        scale = left / sum(sizes)
        residents = {
            v.pk: list(
                Resident.objects.filter(
                    node__path__startswith=v.path, relation__in=("户主", "本人")
                ).order_by("pk")[:12]
            )
            for v in self.villages
        }
        varieties = [
            (Variety.MEIZAO, 30),
            (Variety.HONGDENG, 30),
            (Variety.LAPINS, 15),
            (Variety.SATENIN, 15),
            (Variety.TIELIHONG, 5),
            (Variety.OTHER, 5),
        ]
        for n, size in enumerate(sizes):
            village = self.villages[n % len(self.villages)]
            pool = residents[village.pk]
            if pool and self.rng.random() < 0.5:
                grower = self.grower(village, resident=pool.pop())
            elif self.by_village[village.pk] and self.rng.random() < 0.25:
                grower = self.rng.choice(self.by_village[village.pk])  # a greenhouse owner's open field too
            else:
                grower = self.grower(village)
            self.orchards.append(
                actions.do_add_orchard(
                    grower,
                    actor=None,
                    name=f"{grower.name}家{self.rng.choice('东西南北')}坡果园{LABEL}",
                    area_mu=(size * scale).quantize(Decimal("0.1")),
                    variety=_pick(self.rng, varieties),
                    planted_year=self.rng.randint(2006, 2021),
                )
            )

    def organisations(self) -> None:
        self.orgs = []
        for village in self.villages:
            growers = self.by_village[village.pk]
            coop = actions.do_create_organisation(
                actor=None,
                kind=OrgKind.COOPERATIVE,
                name=f"临朐县{village.name.removesuffix('村')}大樱桃专业合作社{LABEL}",
                village=village,
                leader=growers[0].name,
            )
            actions.do_add_members(
                coop, self.rng.sample(growers, k=max(1, len(growers) * 2 // 3)), actor=None
            )
            self.orgs.append(coop)
            for _ in range(2):
                head = self.rng.choice(growers)
                farm = actions.do_create_organisation(
                    actor=None,
                    kind=OrgKind.FAMILY_FARM,
                    name=f"{head.name}家庭农场{LABEL}",
                    village=village,
                    leader=head.name,
                )
                actions.do_add_members(farm, [head], actor=None)
        leading = list(queries.leading_enterprises())
        for enterprise in leading:
            for coop in self.rng.sample(self.orgs, k=min(3, len(self.orgs))):
                kind = self.rng.choice(list(AgreementKind))
                actions.do_record_agreement(
                    actor=None,
                    enterprise=enterprise,
                    kind=kind,
                    subject=self.rng.choice(LEADING_SUBJECTS[kind]),
                    signed_on=dt.date(self.season, self.rng.randint(1, 4), self.rng.randint(1, 28)),
                    organisation=coop,
                    volume_kg=self.rng.randint(20, 200) * 1000 if kind == AgreementKind.PURCHASE else None,
                    amount_yuan=self.rng.randint(5, 60) * 10000,
                )
                self.counts["agreements"] += 1
            grower = self.rng.choice(self.growers)
            actions.do_record_agreement(
                actor=None,
                enterprise=enterprise,
                kind=AgreementKind.PURCHASE,
                subject=LEADING_SUBJECTS[AgreementKind.PURCHASE][0],
                signed_on=dt.date(self.season, 3, self.rng.randint(1, 28)),
                grower=grower,
                volume_kg=self.rng.randint(5, 20) * 1000,
            )
            self.counts["agreements"] += 1

    def adoptions(self) -> None:
        for orchard in self.orchards:
            greenhouse = orchard.iot_greenhouse_id is not None
            for code, _name, _kind, _inst, _year, share in TECHNIQUES:
                technique = self.techniques[code]
                wanted = (
                    (greenhouse and code in GREENHOUSE_TECHNIQUES)
                    or (greenhouse and self.rng.random() < GREENHOUSE_OPTIONAL.get(code, 0))
                    or self.rng.random() < share * 0.12
                )
                if not wanted or code == SMART_CLIMATE:
                    continue
                first = max(technique.introduced_year, orchard.planted_year)
                last = min(self.season, self.today.year)
                adopted_on = dt.date(self.rng.randint(min(first, last), last), self.rng.randint(1, 12), 1)
                actions.do_adopt(technique, orchard, actor=None, adopted_on=min(adopted_on, self.today))
                self.counts["adoptions"] += 1

    def _when(self, day: dt.date, hour: int = 9) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TZ)
        return start, start + dt.timedelta(hours=3)

    def expert_trainings(self) -> None:
        taught = [t for code, t in self.techniques.items() if code != SMART_CLIMATE]
        for n in range(36):
            technique = taught[n % len(taught)]
            institution = technique.institution
            village = self.villages[n % len(self.villages)]
            day = dt.date(
                self.season - 1 + (n >= 18),
                self.rng.choice((1, 2, 3, 8, 9, 10, 11, 12)),
                self.rng.randint(1, 27),
            )
            start, end = self._when(min(day, self.today - dt.timedelta(days=2)))
            training = actions.do_schedule_training(
                actor=None,
                kind=TrainingKind.EXPERT,
                title=f"{technique.name}技术培训",
                village=village,
                start=start,
                end=end,
                technique=technique,
                institution=institution,
                expert=self.rng.choice(EXPERTS.get(institution, ["特聘专家"])),
                place=f"{village.name}党群服务中心",
            )
            near = self.by_village[village.pk] + self.rng.sample(self.growers, k=15)
            people = self.rng.sample(near, k=min(len(near), self.rng.randint(35, 70)))
            self.counts["checkins"] += actions.do_record_attendance(training, people, actor=None)
            actions.do_close_training(
                training, actor=None, summary=f"{technique.name}现场讲解与答疑（{DEMO_NOTE}）"
            )

    def incubation(self) -> None:
        from minsheng.activities.models import Venue

        centres = []
        for village, packages in (
            (self.villages[0], list(Package)),
            (self.villages[1], [Package.VILLAGE, Package.CLOUD]),
        ):
            venue = Venue.objects.create(  # a configuration row, as the admin enters it
                name=f"{village.name}直播基地{LABEL}",
                node=village,
                address=f"{village.name}{LABEL}",
                capacity=60,
            )
            centres.append(
                actions.do_create_centre(
                    actor=None,
                    name=f"{CHERRY_CLUSTER}带货达人孵化中心（{village.name}）{LABEL}",
                    village=village,
                    venue=venue,
                    packages=packages,
                )
            )
        pool = self.rng.sample(self.growers, k=min(len(self.growers), 200))
        for n in range(8):
            centre = centres[n % 2]
            package = centre.packages[n % len(centre.packages)]
            day = dt.date(self.season, self.rng.randint(1, 4), self.rng.randint(1, 27))
            start, end = self._when(min(day, self.today - dt.timedelta(days=2)), hour=14)
            training = actions.do_schedule_training(
                actor=None,
                kind=TrainingKind.ECOMMERCE,
                title=f"直播带货“{Package(package).label}”实训第{n + 1}期",
                village=centre.village,
                start=start,
                end=end,
                centre=centre,
                package=package,
                capacity=40,
            )
            trainees = pool[n * 25 : (n + 1) * 25]
            self.counts["checkins"] += actions.do_record_attendance(training, trainees, actor=None)
            actions.do_close_training(training, actor=None, summary=f"实训结业（{DEMO_NOTE}）")
        self.sellers = self.rng.sample(pool, k=min(len(pool), 126))
        products = [
            "美早大樱桃 5斤礼盒",
            "红灯樱桃 3斤装",
            "萨米脱 2斤精品盒",
            "樱桃果酱",
            "樱桃鲜果 10斤家庭装",
        ]
        for seller in self.sellers:
            for _ in range(self.rng.randint(1, 5)):
                day = dt.date(self.season, self.rng.choice((5, 5, 6, 6, 7)), self.rng.randint(1, 28))
                orders = self.rng.randint(20, 600)
                actions.do_record_session(
                    seller,
                    actor=None,
                    platform=_pick(self.rng, PLATFORMS),
                    held_on=min(day, self.today),
                    products="、".join(self.rng.sample(products, k=2)),
                    orders=orders,
                    sales_yuan=Decimal(orders * self.rng.randint(60, 140)),
                    centre=self.rng.choice(centres),
                    package=self.rng.choice(list(Package)),
                )
                self.counts["sessions"] += 1

    def harvests_and_sales(self) -> None:
        for orchard in self.orchards:
            greenhouse = orchard.iot_greenhouse_id is not None
            per_mu = self.rng.randint(800, 1200) if greenhouse else self.rng.randint(850, 1150)
            total = Decimal(per_mu) * orchard.area_mu
            grades = [Grade.PREMIUM, Grade.FIRST] if self.rng.random() < 0.5 else [Grade.FIRST, Grade.SECOND]
            split = [Decimal("0.45"), Decimal("0.55")]
            for grade, share in zip(grades, split, strict=True):
                month, first_day = (4, 20) if greenhouse else (5, 18)
                picked = dt.date(self.season, month, first_day) + dt.timedelta(days=self.rng.randint(0, 30))
                harvest = actions.do_record_harvest(
                    orchard,
                    actor=None,
                    harvested_on=min(picked, self.today),
                    yield_kg=(total * share).quantize(Decimal("0.1")),
                    grade=grade,
                )
                self.counts["harvests"] += 1
                left = harvest.yield_kg * Decimal(self.rng.randint(94, 99)) / 100
                parts = 2 if left > 2000 else 1
                for p in range(parts):
                    volume = (left / parts).quantize(Decimal("0.1"))
                    channel = _pick(self.rng, HOUSE_CHANNELS if greenhouse else OPEN_CHANNELS)
                    lo, hi = (HOUSE_PRICE if greenhouse else OPEN_PRICE)[grade]
                    online = channel in (Channel.PLATFORM, Channel.LIVE)
                    actions.do_record_sale(
                        harvest,
                        actor=None,
                        channel=channel,
                        platform=_pick(self.rng, PLATFORMS) if online else "",
                        volume_kg=volume,
                        price=Decimal(self.rng.randint(lo * 10, hi * 10))
                        / 10
                        * (Decimal("1.15") if online else 1),
                        sold_on=min(
                            harvest.harvested_on + dt.timedelta(days=p + self.rng.randint(0, 3)), self.today
                        ),
                        seller=self.rng.choice(self.sellers)
                        if channel == Channel.LIVE and self.sellers
                        else None,
                    )
                    self.counts["sales"] += 1

    def summary(self, seconds: float) -> str:
        from django.db.models import Sum

        area = Orchard.objects.aggregate(s=Sum("area_mu"))["s"] or 0
        from .models import Sale

        value = Sale.objects.filter(harvest__season=self.season).aggregate(s=Sum("amount"))["s"] or 0
        return (
            f"樱桃产业：{len(self.villages)} 个村、种植户 {len(self.growers)} 户、果园 {len(self.orchards)} 个共 "
            f"{area:.0f} 亩；{self.season} 年产季采收 {self.counts['harvests']} 批、销售 {self.counts['sales']} 笔、"
            f"产值 {value / 100_000_000:.2f} 亿元；技术 {len(self.techniques)} 项、采用 {self.counts['adoptions']} 条；"
            f"培训签到 {self.counts['checkins']} 人次；带货达人 {len(self.sellers)} 人、直播 "
            f"{self.counts['sessions']} 场；带动协议 {self.counts['agreements']} 份（{seconds:.0f} 秒，演示数据）"
        )
