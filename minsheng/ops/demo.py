"""`minsheng demo --streets N`: the demo as a county — 临朐县（演示数据） with the full demo 街道 and N − 1 more.

The demo command calls `prepare_county` before the apps' loaders (so the demo 街道 is built under the county) and
`add_streets` after them; `load` has nothing to add to the one-街道 demo.

The other 街道 are smaller than the full demo (four 社区 or 村 each, a desk and a grid worker per 社区, an office
unit) but carry their own case numbers and a recent history of appeals made through the real actions, so a county
user has 街道 to compare and the lists, metrics and maps have a county's volume. Labelled 演示数据 like the rest.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from minsheng.accounts import actions as accounts
from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.cases import actions as cases
from minsheng.cases.choices import Channel, UnitKind
from minsheng.cases.models import Case, Category, Unit
from minsheng.core import clock, notifications
from minsheng.core.calendar import TZ
from minsheng.core.context import acting
from minsheng.org import actions as org
from minsheng.org.choices import NodeKind
from minsheng.org.demo import COUNTY_CODE, COUNTY_NAME, PASSWORD, STREET_NAME
from minsheng.org.models import Node

SEED = 20261205
#: 临朐县's other 乡镇街道 (城关街道 is the full demo), with the prefixes their case numbers take.
STREETS = [
    ("东城街道", "DC"),
    ("冶源街道", "YY"),
    ("辛寨街道", "XZ"),
    ("寺头镇", "ST"),
    ("九山镇", "JS"),
    ("五井镇", "WJ"),
    ("龙岗镇", "LG"),
    ("上林镇", "SL"),
    ("柳山镇", "LS"),
]
COMMUNITIES = ["{}社区", "{}新村", "{}东村", "{}西村"]
TEXTS = [
    "{place}下水道堵塞，污水外溢",
    "{place}路灯不亮，晚上出行不便",
    "{place}垃圾桶满溢，气味很大",
    "{place}楼道堆放杂物堵塞消防通道",
    "{place}车辆乱停乱放，堵塞通道",
    "{place}突然停水，没有通知",
]
CATEGORY_CODES = ["050101", "010102", "020101", "040101", "070101"]


def load(out=None) -> list:
    return []


def prepare_county(out) -> Node:
    """The demo county, made before the demo 街道 so that the 街道 is built under it."""
    county = Node.objects.filter(kind=NodeKind.COUNTY, name=COUNTY_NAME).first()
    if county is not None:
        return county
    if Node.objects.filter(kind=NodeKind.STREET, name=STREET_NAME, depth=1).exists():
        raise ValueError("演示街道已作为顶层节点存在：请在空数据库上运行 minsheng demo --streets N")
    county = org.create_node(parent=None, kind=NodeKind.COUNTY, name=COUNTY_NAME, code=COUNTY_CODE)
    out.write(f"已创建演示县“{COUNTY_NAME}”\n")
    return county


def add_streets(out, streets: int, cases_per_street: int) -> list[tuple[str, str, str]]:
    """Make sure the county holds `streets` 街道 in all (the demo 街道 included); return the county logins."""
    county = prepare_county(out)
    rng = random.Random(SEED)
    logins = [(str(Role.COUNTY_LEADER.label), "county_leader", PASSWORD)]
    if not User.objects.filter(username="county_leader").exists():
        leader = accounts.create_user(
            username="county_leader", display_name="县领导（演示）", password=PASSWORD
        )
        accounts.grant_membership(user=leader, role=Role.COUNTY_LEADER, node=county)
        hotline = accounts.create_user(
            username="hotline", display_name="县12345热线（演示）", password=PASSWORD
        )
        accounts.grant_membership(user=hotline, role=Role.COUNTY_HOTLINE, node=county)
    logins.append((str(Role.COUNTY_HOTLINE.label), "hotline", PASSWORD))
    for i in range(1, streets):
        name, prefix = STREETS[i - 1] if i <= len(STREETS) else (f"第{i + 1}街道", f"S{i + 1:02d}")
        full = f"{name}（演示数据）"
        if Node.objects.filter(kind=NodeKind.STREET, name=full).exists():
            continue
        with transaction.atomic():
            made = build_street(county, i, full, prefix)
        with acting(made["admin"]), notifications.muted():
            count = _history(made, cases_per_street, rng)
        out.write(f"已加载演示街道“{full}”：4 个社区/村，{count} 件诉求（编号 {prefix}-）\n")
        logins.append((str(Role.STREET_ADMIN.label), made["admin"].username, PASSWORD))
    return logins


def build_street(county: Node, i: int, name: str, prefix: str) -> dict:
    """A small 街道 under `county`: four 社区/村 with three places each, a desk and a worker per 社区/村, an office
    unit, its own case prefix (also used by `python -m bench workbench` to build a county for load)."""
    code = f"370724{i + 1:03d}000" if i + 1 < 1000 else None
    if code and Node.objects.filter(code=code).exists():
        code = None
    street = org.create_node(parent=county, kind=NodeKind.STREET, name=name, code=code, case_prefix=prefix)
    admin = _person(f"admin_{prefix.lower()}", f"{name[:-6]}管理员", Role.STREET_ADMIN, street)
    office = Unit.objects.create(
        name=f"{name[:-6]}综合治理办公室", kind=UnitKind.STREET_OFFICE, node=street, leader=admin
    )
    office.members.set([admin])
    territories = []
    stem = name[:2]
    for j, pattern in enumerate(COMMUNITIES):
        kind = NodeKind.COMMUNITY if j == 0 else NodeKind.VILLAGE
        node = org.create_node(parent=street, kind=kind, name=pattern.format(stem))
        places = []
        for k in range(1, 4):
            if kind == NodeKind.COMMUNITY:
                estate = org.create_node(parent=node, kind=NodeKind.ESTATE, name=f"{stem}家园{k}期")
                places.append(org.create_node(parent=estate, kind=NodeKind.BUILDING, name=f"{k}号楼"))
            else:
                places.append(
                    org.create_node(parent=node, kind=NodeKind.NATURAL_VILLAGE, name=f"{stem}{k}组")
                )
        worker = _person(
            f"{prefix.lower()}_worker{j + 1}", f"{node.name}工作人员", Role.COMMUNITY_WORKER, node
        )
        unit = Unit.objects.create(
            name=f"{node.name}{'居委会' if kind == NodeKind.COMMUNITY else '村委会'}",
            kind=UnitKind.COMMUNITY,
            node=node,
            leader=worker,
        )
        unit.members.set([worker])
        territories.append({"node": node, "unit": unit, "worker": worker, "places": places})
    return {"street": street, "admin": admin, "office": office, "territories": territories}


def _person(username: str, display_name: str, role: str, node: Node) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = accounts.create_user(username=username, display_name=display_name, password=PASSWORD)
    accounts.grant_membership(user=user, role=role, node=node)
    return user


def _history(made: dict, count: int, rng: random.Random) -> int:
    """`count` appeals over the last 60 days: registered, accepted and dispatched to the 社区/村 where they
    happened; most are replied to and verified, the recent ones are still open."""
    categories = [Category.objects.get(code=code) for code in CATEGORY_CODES]
    now = timezone.now()
    admin = made["admin"]
    for _ in range(count):
        territory = rng.choice(made["territories"])
        place = rng.choice(territory["places"])
        at = now - dt.timedelta(days=rng.uniform(0, 60))
        at = at.astimezone(TZ).replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
        if at > now:
            at = now - dt.timedelta(minutes=rng.randint(1, 120))
        with clock.at(at):
            case = cases.do_register(
                actor=territory["worker"],
                kind="appeal",
                channel=rng.choice(
                    [Channel.GRID_PATROL, Channel.ONLINE, Channel.PHONE, Channel.HOTLINE_12345]
                ),
                category=rng.choice(categories),
                description=rng.choice(TEXTS).format(place=place.full_name.split(" ", 2)[-1]),
                node=place,
            )
        with clock.at(at + dt.timedelta(hours=1)):
            cases.do_accept(case, actor=admin)
            cases.do_dispatch(case, actor=admin, unit=territory["unit"])
        if now - at < dt.timedelta(days=3):
            continue
        with clock.at(at + dt.timedelta(hours=rng.randint(3, 30))):
            cases.do_sign(case, actor=territory["worker"])
            cases.do_reply(case, actor=territory["worker"], note="已到现场处理完毕（演示数据）")
        with clock.at(at + dt.timedelta(days=2)):
            cases.do_verify(case, actor=admin, passed=True, note="核查属实（演示数据）")
    return Case.objects.filter(node__path__startswith=made["street"].path).count()
