"""Demonstration ledgers for the demo 街道: responsibility letters, publicity, packaging-waste recovery, the
"治违禁 控药残 促提升" campaign with its sampling tasks, and a holiday duty roster — made through agri.actions.ledgers, so
loading them exercises the same checks as the pages. Everything is labelled 演示; loading twice changes nothing.

`load_ledgers(out)` expects the demo 街道 (org.demo) and its 街道管理员 "admin"; producers, stores and samples of
the agri demo are used when they exist.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from minsheng.accounts.choices import Role
from minsheng.core import clock
from minsheng.core.calendar import holiday_periods
from minsheng.core.context import acting
from minsheng.org.choices import NodeKind
from minsheng.org.models import Node

from . import actions, queries
from .choices import LetterLevel, SampleLevel, TaskKind
from .models import AgriInputStore, Campaign, Commodity, Pesticide, Producer

CAMPAIGN_NAME = "治违禁 控药残 促提升（演示）"
DEMO = "演示数据"
#: The campaign's key products and high-risk pesticides as the project's research read them in the campaign
#: documents (豇豆, 韭菜, 芹菜); 辣椒 is the seed article's local addition, its pesticides left for staff to enter.
CAMPAIGN_PRODUCTS = [
    ("豇豆", ["克百威", "灭蝇胺", "氧乐果", "水胺硫磷"]),
    ("韭菜", ["腐霉利"]),
    ("芹菜", ["毒死蜱", "甲拌磷", "氯氟氰菊酯", "高效氯氟氰菊酯", "氧乐果"]),
    ("辣椒", []),
]
CAMPAIGN_SOURCE = "“治违禁 控药残 促提升”三年攻坚行动（农业农村部等七部门）"
MATERIALS = ["农药安全使用明白纸", "禁限用农药名录宣传单", "承诺达标合格证制度宣传册", "豇豆用药指导手册"]


def _say(out, message: str) -> None:
    if out is not None:
        out.write(message + "\n")


def load_ledgers(out=None) -> None:
    from minsheng.org.demo import STREET_NAME

    street = Node.objects.filter(kind=NodeKind.STREET, name=STREET_NAME).first()
    admin = get_user_model().objects.filter(username="admin", is_active=True).first()
    if street is None or admin is None:
        _say(out, "没有演示街道，未加载农业台账演示数据（请先加载演示街道）。")
        return
    if Campaign.objects.filter(name=CAMPAIGN_NAME).exists():
        _say(out, "农业台账演示数据已存在，未做改动。")
        return
    with transaction.atomic(), acting(admin):
        summary = _build(street, admin)
    _say(out, summary)


def _build(street, admin) -> str:
    today = timezone.localdate(clock.now())
    year = today.year
    villages = list(Node.objects.filter(kind=NodeKind.VILLAGE, path__startswith=street.path).order_by("path"))
    signed = min(today, dt.date(year, 1, 15))

    letters = 0
    for i, village in enumerate(villages):
        if i % 10 == 9:
            continue  # a few villages have not signed yet: the coverage is not 100 %
        actions.record_letter(
            actor=admin,
            level=LetterLevel.VILLAGE,
            year=year,
            signed_on=signed,
            village=village,
            party_a="城关街道办事处（演示）",
            party_b=f"{village.name.removesuffix('村')}村委会（演示）",
            note=DEMO,
        )
        letters += 1
    supervisors = (
        get_user_model()
        .objects.filter(
            memberships__role=Role.VILLAGE_SUPERVISOR, memberships__node__in=villages, is_active=True
        )
        .distinct()
        .order_by("username")
    )
    for supervisor in supervisors:
        actions.record_letter(
            actor=admin,
            level=LetterLevel.SUPERVISOR,
            year=year,
            signed_on=signed,
            supervisor=supervisor,
            village=queries.supervised_villages(supervisor)[0],
            party_a="城关街道办事处（演示）",
            party_b=supervisor.display_name or supervisor.username,
            note=DEMO,
        )
        letters += 1
    producers = list(Producer.objects.filter(village__path__startswith=street.path).select_related("village"))
    for i, producer in enumerate(producers):
        if i % 7 == 6:
            continue
        actions.record_letter(
            actor=admin,
            level=LetterLevel.PRODUCER,
            year=year,
            signed_on=signed,
            producer=producer,
            party_a=f"{producer.village.name}村级监管员（演示）",
            party_b=producer.contact_name or producer.name,
            note=DEMO,
        )
        letters += 1

    for i, village in enumerate(villages[:8]):
        actions.record_publicity(
            actor=admin,
            given_on=today - dt.timedelta(days=9 * i + 3),
            village=village,
            place=f"{village.name.removesuffix('村')}村委会广场",
            material=MATERIALS[i % len(MATERIALS)],
            quantity=120 + 15 * i,
            recipients="种植户（演示）",
        )

    stores = list(AgriInputStore.objects.filter(village__path__startswith=street.path).order_by("pk")[:12])
    waste_kg = Decimal(0)
    for month_back in range(6):
        day = (today.replace(day=1) - dt.timedelta(days=28 * month_back)).replace(day=10)
        if day > today:
            day = today
        places = [(s.village, s) for s in stores] or [(v, None) for v in villages[:6]]
        for j, (village, store) in enumerate(places):
            kg = Decimal(40 + (j * 7 + month_back * 11) % 60) + Decimal("0.5")
            actions.record_waste(
                actor=admin, recovered_on=day, village=village, store=store, kg=kg, note=DEMO
            )
            waste_kg += kg

    campaign = actions.create_campaign(
        actor=admin,
        name=CAMPAIGN_NAME,
        start=dt.date(year - 2, 1, 1),
        end=dt.date(year, 12, 31),
        basis=CAMPAIGN_SOURCE,
        description="重点品种“三棵菜”豇豆、韭菜、芹菜，本街道增加辣椒。（演示数据）",
    )
    for name, pesticide_names in CAMPAIGN_PRODUCTS:
        commodity = Commodity.objects.resolve(name)
        if commodity is None:
            continue
        actions.set_campaign_product(
            actor=admin,
            campaign=campaign,
            commodity=commodity,
            pesticides=Pesticide.objects.filter(name__in=pesticide_names),
            source=CAMPAIGN_SOURCE if pesticide_names else "本街道增加（演示）",
        )
    vegetables = Commodity.objects.filter(name="蔬菜").first()
    task = actions.create_task(
        actor=admin,
        name=f"{year}年街道蔬菜周抽检（演示）",
        level=SampleLevel.STREET,
        node=street,
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        kind=TaskKind.CAMPAIGN,
        campaign=campaign,
        commodity=vegetables,
        weekly_quota=10,
    )
    linked = actions.assign_matching(actor=admin, task=task)
    for suggestion in queries.pre_holiday_suggestions(today)[:1]:
        actions.create_pre_holiday_task(actor=admin, suggestion=suggestion, node=street, commodity=vegetables)

    staff = list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__node=street,
            memberships__role__in=[Role.STREET_ADMIN, Role.STREET_CADRE, Role.STREET_LEADER],
        )
        .distinct()
        .order_by("username")[:6]
    ) or [admin]
    shifts = 0
    for period in holiday_periods(year):
        for k, day in enumerate(period.days):
            person = staff[k % len(staff)]
            actions.assign_duty(actor=admin, day=day, node=street, person=person, leader=k == 0, note=DEMO)
            shifts += 1
    return (
        f"已加载农业台账演示数据：责任书 {letters} 份，宣传资料发放 8 次，包装废弃物回收 {waste_kg} kg，"
        f"专项行动 1 个（计入任务的样品 {linked} 批），节假日值班 {shifts} 班。"
    )
