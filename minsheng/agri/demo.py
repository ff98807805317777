"""Demonstration data of the agricultural supervision for the demo 街道, loaded by `minsheng demo` after org and cases.

Producers in every agricultural village, the article's 54 agri-input stores, and about four months of work replayed
through the real actions, each inside `clock.at(the moment it happened)`: samples with enzyme-inhibition readings
and colloidal-gold cards, repeats of the positives, lab confirmations (a detected banned pesticide fails the sample
and opens its rectification case), follow-up samples of the failures, certificates, and the monthly store
inspections with their findings and re-checks. So every figure the dashboard shows is the engine's own.

Everything is invented and labelled: the stores' addresses end in "（演示数据）", the producers' contact is
"演示联系人". The random generator is seeded; a second load changes nothing.
"""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from minsheng.accounts.choices import Role
from minsheng.accounts.models import Membership, User
from minsheng.core import clock, notifications
from minsheng.core.calendar import TZ, WorkCalendar
from minsheng.core.context import acting
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from . import actions
from .choices import (
    STORE_CHECKLIST,
    CertificateBasis,
    CertificateStyle,
    CheckResult,
    ProducerKind,
    RapidMethod,
    SampleLevel,
    SampleStatus,
)
from .demo_ledgers import load_ledgers
from .models import AgriInputStore, Commodity, Pesticide, Producer, Sample

SEED = 20260601
DEMO_LABEL = "（演示数据）"
DEMO_CONTACT = "演示联系人"
STORES = 54  # the article: 54 农资门店 under monthly inspection
DESIGNATED = 8
WEEKS = 17
STREET_SAMPLES_PER_WEEK = (10, 14)  # the weekly quota is 10 vegetable batches
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
CHERRY_NAMES = ("月庄", "衡里炉", "西峪", "东峪", "石门坊", "樱桃岭", "南坡", "杨家庄", "朱家岭", "槐树岭")
VEGETABLES = ("豇豆", "韭菜", "芹菜", "番茄", "辣椒")
#: The campaign's high-risk pesticides per product (治违禁 控药残 促提升), all banned on vegetables: what the gold
#: cards look for and what a confirmed positive turns out to be.
HIGH_RISK = {
    "豇豆": ("克百威", "氧乐果", "水胺硫磷"),
    "韭菜": ("甲拌磷", "氧乐果"),
    "芹菜": ("甲拌磷", "氧乐果"),
    "番茄": ("克百威",),
    "辣椒": ("克百威", "氧乐果"),
}
FINDINGS = {
    "ledger": ("购销台账记录不全，缺本月进货记录", "台账未记录购买人信息"),
    "no_banned": ("货架发现已禁用的甲拌磷制剂", "库房存放过期禁用农药"),
    "restricted_outlet": ("非定点门店销售限制使用农药", "限用农药销售未实名登记"),
    "waste_recovery": ("未设置农药包装废弃物回收箱", "回收台账未登记"),
    "licence_displayed": ("经营许可证未上墙公示", "经营许可证已过有效期"),
}


def load(out=None) -> list:
    street = Node.objects.filter(kind=NodeKind.STREET, name__contains="演示").first()
    if street is None:
        return []
    if AgriInputStore.objects.filter(address__endswith=DEMO_LABEL).exists():
        _say(out, "农产品监管演示数据已存在，未做改动。")
    else:
        admin = User.objects.filter(username="admin").first()
        with acting(admin), notifications.muted():
            demo = AgriDemo(street, admin, clock.now())
            with transaction.atomic():
                demo.registries()
            demo.replay()
        _say(out, demo.summary())
    # The agri office's ledgers (letters, publicity, waste, the campaign and its tasks, holiday duty): idempotent.
    with notifications.muted():
        load_ledgers(out)
    return []


def _say(out, message: str) -> None:
    if out is not None:
        out.write(message + "\n")


class AgriDemo:
    def __init__(self, street: Node, admin, now: dt.datetime):
        self.street = street
        self.admin = admin
        self.now = now
        self.today = timezone.localdate(now)
        self.rng = random.Random(SEED)
        self.cal = WorkCalendar()
        self.villages = list(
            Node.objects.filter(kind=NodeKind.VILLAGE, path__startswith=street.path).order_by("path")
        )
        self.supervisor = {}
        for m in Membership.objects.filter(
            role=Role.VILLAGE_SUPERVISOR, node__in=self.villages
        ).select_related("user"):
            self.supervisor.setdefault(m.node_id, m.user)
        self.villages = [v for v in self.villages if v.pk in self.supervisor]
        self.lab_actor = User.objects.filter(username="cadre").first() or admin
        self.commodity = {c.name: c for c in Commodity.objects.filter(name__in=[*VEGETABLES, "水果"])}
        self.pesticide = {p.name: p for p in Pesticide.objects.all()}
        self.producers: dict[int, list[Producer]] = defaultdict(list)
        self.stores: list[AgriInputStore] = []
        self.counts: dict[str, int] = defaultdict(int)

    # -- registries ------------------------------------------------------------------------------------------

    def registries(self) -> None:
        rng = self.rng
        with clock.at(self.now - dt.timedelta(days=WEEKS * 7 + 14)):
            for village in self.villages:
                short = village.name.removesuffix("村")
                cherry = short in CHERRY_NAMES
                sup = self.supervisor[village.pk]
                for i in range(rng.randint(2, 4)):
                    crop = "水果" if cherry and i < 2 else rng.choice(VEGETABLES)
                    kind = rng.choice(
                        [
                            ProducerKind.GROWER,
                            ProducerKind.GROWER,
                            ProducerKind.FAMILY_FARM,
                            ProducerKind.COOPERATIVE,
                        ]
                    )
                    surname = rng.choice(SURNAMES)
                    label = "樱桃" if crop == "水果" else crop
                    name = {
                        ProducerKind.GROWER: f"{short}{surname}某{label}种植户",
                        ProducerKind.FAMILY_FARM: f"{short}{surname}氏家庭农场",
                        ProducerKind.COOPERATIVE: f"{short}{label}专业合作社",
                    }[kind]
                    if any(p.name == name for p in self.producers[village.pk]):
                        name = f"{name}{i + 1}"
                    producer = actions.create_producer(
                        actor=sup,
                        name=name,
                        kind=kind,
                        village=village,
                        crops=[self.commodity[crop]],
                        area_mu=Decimal(rng.randint(3, 30) * (8 if kind == ProducerKind.COOPERATIVE else 1)),
                        contact_name=DEMO_CONTACT,
                        phone=f"139{rng.randint(0, 99999999):08d}",
                    )
                    producer.crop_name = crop
                    self.producers[village.pk].append(producer)
                    self.counts["producers"] += 1
            homes = (list(self.villages) + rng.choices(self.villages, k=STORES))[:STORES]
            designated = set(rng.sample(range(STORES), DESIGNATED))
            for n, village in enumerate(homes):
                short = village.name.removesuffix("村")
                name = f"{short}{rng.choice(SURNAMES)}记农资店"
                if any(s.name == name for s in self.stores):
                    name = f"{short}农资服务部{n + 1}"
                self.stores.append(
                    actions.create_store(
                        actor=self.supervisor[village.pk],
                        name=name,
                        village=village,
                        licence_no=f"演示许可{n + 1:03d}",
                        designated_outlet=n in designated,
                        address=f"{village.name.removesuffix('村')}村委附近{DEMO_LABEL}",
                    )
                )

    # -- history ---------------------------------------------------------------------------------------------

    def moment(self, day: dt.date, hour_from: int = 8, hour_to: int = 17) -> dt.datetime:
        minute = self.rng.randint(hour_from * 60, hour_to * 60)
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=TZ)

    def workdays(self, start: dt.date, end: dt.date) -> list[dt.date]:
        days, day = [], start
        while day <= end:
            if self.cal.is_workday(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def replay(self) -> None:
        """Events in time order, each in its own transaction and at its own moment."""
        events = []
        monday = self.today - dt.timedelta(days=self.today.weekday())
        for week in range(WEEKS, -1, -1):
            start = monday - dt.timedelta(weeks=week)
            days = [d for d in self.workdays(start, start + dt.timedelta(days=6)) if d <= self.today] or [
                start
            ]
            for _ in range(self.rng.randint(*STREET_SAMPLES_PER_WEEK) if week else 6):
                events.append((self.moment(self.rng.choice(days)), "sample", SampleLevel.STREET))
            for _ in range(self.rng.randint(0, 2)):
                events.append((self.moment(self.rng.choice(days)), "sample", SampleLevel.COUNTY))
            if week % 4 == 0:
                events.append((self.moment(self.rng.choice(days)), "sample", SampleLevel.CITY))
            for _ in range(self.rng.randint(3, 7)):
                events.append((self.moment(self.rng.choice(days)), "certificate", None))
        first_month = (monday - dt.timedelta(weeks=WEEKS)).replace(day=1)
        month = first_month
        while month <= self.today:
            following = (month + dt.timedelta(days=32)).replace(day=1)
            days = [d for d in self.workdays(month, following - dt.timedelta(days=1)) if d <= self.today]
            current = month == self.today.replace(day=1)
            for store in self.stores:
                # Past months are nearly all done; the current one as far as the month has gone.
                share = min(0.95, len(days) / 21) if current else 0.95
                if days and self.rng.random() < share:
                    events.append((self.moment(self.rng.choice(days)), "inspection", store))
            month = following
        events.sort(key=lambda e: e[0])
        for when, kind, arg in events:
            if when > self.now:
                continue
            with clock.at(when), transaction.atomic():
                getattr(self, f"do_{kind}")(when, arg)
        self.follow_ups()

    def do_sample(self, when: dt.datetime, level: str) -> None:
        rng = self.rng
        village = rng.choice(self.villages)
        sup = self.supervisor[village.pk]
        growers = [p for p in self.producers[village.pk] if p.crop_name in VEGETABLES]
        producer = rng.choice(growers) if growers and rng.random() < 0.7 else None
        crop = producer.crop_name if producer else rng.choice(VEGETABLES)
        sample = actions.record_sample(
            actor=sup,
            commodity=self.commodity[crop],
            village=village,
            level=level,
            producer=producer,
            stall="" if producer else f"{village.name.removesuffix('村')}集市{rng.randint(1, 30)}号摊",
            certificate_shown=rng.random() < 0.72,
            sampled_at=when,
        )
        self.counts["samples"] += 1
        self.test(sample, sup, crop, when)

    def test(self, sample: Sample, sup, crop: str, when: dt.datetime) -> None:
        rng = self.rng
        gold = rng.random() < 0.2
        target = self.pesticide[rng.choice(HIGH_RISK[crop])]
        positive = rng.random() < (0.09 if crop in ("韭菜", "芹菜") else 0.05)
        confirms = positive and rng.random() < 0.45
        readings = [positive, False, confirms] if positive else [False]
        for i, hot in enumerate(readings):
            with clock.at(when + dt.timedelta(minutes=15 * (i + 1))):
                if gold:
                    actions.record_rapid_test(
                        actor=sup, sample=sample, method=RapidMethod.GOLD, pesticide=target, positive=hot
                    )
                else:
                    a0 = Decimal(rng.randint(280, 320)) / 1000
                    rate = Decimal(rng.randint(52, 80) if hot else rng.randint(3, 36)) / 100
                    actions.record_rapid_test(
                        actor=sup,
                        sample=sample,
                        method=RapidMethod.ENZYME,
                        delta_a0=a0,
                        delta_at=(a0 * (1 - rate)).quantize(Decimal("0.0001")),
                    )
        if not confirms:
            return
        lab_at = self.moment(self.cal.add_working_days(when, 2).date(), 9, 16)
        if lab_at > self.now:
            return  # still at the lab: stays 速测阳性待定量确证
        banned = rng.random() < 0.6
        value = Decimal(rng.choice(("0.012", "0.035", "0.06", "0.11"))) if banned else Decimal(0)
        with clock.at(lab_at):
            actions.record_lab_results(actor=self.lab_actor, sample=sample, results=[(target, value)])
        self.counts["failed" if banned else "lab_passed"] += 1

    def follow_ups(self) -> None:
        """Most failures older than a week got their follow-up sample 5–10 working days later."""
        for failed in actions.awaiting_follow_up(
            Sample.objects.filter(village__in=self.villages).select_related(
                "producer", "commodity", "village"
            )
        ).order_by("sampled_at"):
            when = self.moment(self.cal.add_working_days(failed.sampled_at, self.rng.randint(5, 10)).date())
            if when > self.now or self.rng.random() < 0.2:
                continue
            sup = self.supervisor[failed.village_id]
            with clock.at(when), transaction.atomic():
                sample = actions.record_sample(
                    actor=sup,
                    commodity=failed.commodity,
                    village=failed.village,
                    level=SampleLevel.STREET,
                    producer=failed.producer,
                    stall=failed.stall,
                    certificate_shown=True,
                    sampled_at=when,
                    follow_up_of=failed,
                )
                actions.record_rapid_test(
                    actor=sup, sample=sample, method=RapidMethod.ENZYME, delta_a0="0.300", delta_at="0.276"
                )
            self.counts["follow_ups"] += 1

    def do_certificate(self, when: dt.datetime, _arg) -> None:
        village = self.rng.choice(self.villages)
        if not self.producers[village.pk]:
            return
        producer = self.rng.choice(self.producers[village.pk])
        crop = producer.crop_name
        issued = actions.issue_batch(
            actor=self.supervisor[village.pk],
            count=self.rng.randint(1, 3),
            producer=producer,
            commodity=self.commodity[crop],
            product_name="樱桃" if crop == "水果" else crop,
            style=CertificateStyle.PRODUCER,
            basis=self.rng.choice(CertificateBasis.values),
            quantity=Decimal(self.rng.randint(2, 40) * 25),
            unit="kg",
            origin=f"{self.street.name}{village.name}",
            contact_phone=producer.phone,
        )
        self.counts["certificates"] += len(issued)

    def do_inspection(self, when: dt.datetime, store: AgriInputStore) -> None:
        rng = self.rng
        answers = {code: CheckResult.YES for code, _q in STORE_CHECKLIST}
        if not store.designated_outlet:
            answers["restricted_outlet"] = CheckResult.NA
        notes = {}
        if rng.random() < 0.08:
            code = rng.choice([c for c, _q in STORE_CHECKLIST if answers[c] == CheckResult.YES])
            answers[code] = CheckResult.NO
            notes[code] = rng.choice(FINDINGS[code])
        sup = self.supervisor[store.village_id]
        inspection = actions.record_inspection(actor=sup, store=store, answers=answers, notes=notes)
        self.counts["inspections"] += 1
        if not inspection.case_id:
            return
        self.counts["findings"] += 1
        recheck_at = self.moment(timezone.localdate(inspection.rectify_by))
        if recheck_at > self.now:
            return
        clean = {code: (CheckResult.YES if v == CheckResult.NO else v) for code, v in answers.items()}
        with clock.at(recheck_at):
            try:
                actions.record_inspection(actor=sup, store=store, answers=clean, recheck_of=inspection)
            except ValidationError:  # pragma: no cover - a demo must not stop on one row
                return
        self.counts["rechecks"] += 1

    def summary(self) -> str:
        c = self.counts
        passed = Sample.objects.filter(village__in=self.villages, status=SampleStatus.PASSED).count()
        return (
            f"农产品监管演示：{c['producers']} 个生产经营主体，{len(self.stores)} 家农资门店；"
            f"{c['samples'] + c['follow_ups']} 批抽检（合格 {passed}，不合格 {c['failed']}，复抽 {c['follow_ups']}），"
            f"{c['certificates']} 张合格证，{c['inspections']} 次门店检查（发现问题 {c['findings']}，复查 {c['rechecks']}）。"
        )
