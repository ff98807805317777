"""The demonstration 街道 "城关街道（演示数据）", loaded by `minsheng demo`.

It loosely follows the source article about 临朐县城关街道 (Shandong): urban 社区 with their 小区, the 51
agricultural villages of which ten form the cherry cluster “首朐一指·樱悦田园”, grids tiling the territory, the
party tree down to 楼长 and 单元长, staff for every role, property companies including the street-led 锦城物业,
and about 5,000 invented residents.

Everything is made through the same actions the UI, the API and the importer call, so loading the demo also
exercises them. One seeded random generator and one fixed reference date make every load the same 街道.
"""

import datetime as dt
import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import count

import shapely
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.functional import cached_property
from shapely.affinity import scale
from shapely.geometry import MultiPoint, Point
from shapely.ops import unary_union
from shapely.prepared import prep

from minsheng.accounts import actions as accounts
from minsheng.accounts.choices import Role
from minsheng.core.context import acting

from . import actions
from .choices import AssignmentKind, Gender, NodeKind, PartyOrgKind, PartyPost, PropertyStatus
from .demo_data import (
    CHERRY_VILLAGES,
    COMMUNITIES,
    FEMALE_GIVEN,
    MALE_GIVEN,
    NATURAL_VILLAGE_PREFIXES,
    OFFICES,
    OTHER_VILLAGES,
    PROPERTY_COMPANIES,
    STREET_LED_COMPANY,
    SURNAMES,
)
from .models import Node
from .validators import id_check_digit, uscc_check_char

STREET_NAME = "城关街道（演示数据）"
#: 临朐县 370724, 城关街道 001. Codes of the 社区 (0xx) and 村 (2xx) below it are demo sequence numbers.
STREET_CODE = "370724001000"
#: The county `minsheng demo --streets N` puts the demo 街道 and N − 1 more under (临朐县 370724).
COUNTY_NAME = "临朐县（演示数据）"
COUNTY_CODE = "370724000000"
PASSWORD = "Demo-2026"
SEED = 20260101
#: Ages, periods and contract dates are all counted from this date, never from the clock.
REFERENCE_DATE = dt.date(2026, 1, 1)
VALID_FROM = dt.date(2025, 1, 1)
DEMO_NOTE = "演示数据，虚构人物"

CHERRY_CLUSTER = "首朐一指·樱悦田园"
#: The cluster's villages by node name. There is no cluster model yet: later apps (agri …) find them here.
CHERRY_CLUSTER_VILLAGES = tuple(f"{name}村" for name in CHERRY_VILLAGES)

#: One memorable login per role, in the order `minsheng demo` prints them.
LOGINS = [
    (Role.STREET_ADMIN, "admin"),
    (Role.STREET_LEADER, "leader"),
    (Role.STREET_CADRE, "cadre"),
    (Role.COMMUNITY_WORKER, "worker_a"),
    (Role.GRID_WORKER, "grid_a"),
    (Role.VILLAGE_SUPERVISOR, "supervisor"),
    (Role.ENTERPRISE_OFFICER, "enterprise"),
    (Role.PROPERTY_STAFF, "property"),
    (Role.RESIDENT, "resident"),
    (Role.MEDIATION_STAFF, "centre"),
]

CENTRE = (118.54, 36.51)  # 临朐 city
LNG_SCALE = math.cos(
    math.radians(CENTRE[1])
)  # a degree of longitude is this much shorter than one of latitude
SUPERVISORS = 32  # the article: 32 村级监管员 for the 51 agricultural villages
UNSTAFFED_VILLAGE_GRIDS = 2


def logins() -> list[tuple[str, str, str]]:
    return [(str(role.label), username, PASSWORD) for role, username in LOGINS]


def load(out=None) -> list[tuple[str, str, str]]:
    """Build the demo 街道 unless it exists; either way return the demo logins."""
    if Node.objects.filter(kind=NodeKind.STREET, name=STREET_NAME).exists():
        _say(out, "演示街道已存在，未做改动。")
        return logins()
    with transaction.atomic():
        street = DemoStreet()
        admin = street.create_admin()
        with acting(admin):
            street.build()
    _say(out, street.summary())
    return logins()


def _say(out, message: str) -> None:
    if out is not None:
        out.write(message + "\n")


# -- geometry --------------------------------------------------------------------------------------


def _snap(geometry):
    """Round to 1e-6° (about 0.1 m): readable GeoJSON, and neighbouring grids keep their shared edges."""
    return shapely.set_precision(geometry, 1e-6)


def _geojson(geometry) -> dict:
    return json.loads(shapely.to_geojson(geometry))


def _distance(a: Point, b: Point) -> float:
    return math.hypot((a.x - b.x) * LNG_SCALE, a.y - b.y)


def _ellipse(radius: float):
    """A circle of `radius` degrees of latitude around the centre, drawn true to scale on the ground."""
    return scale(Point(CENTRE).buffer(radius), xfact=1 / LNG_SCALE, yfact=1)


def _scatter(rng, region, n: int, spacing: float, existing=()) -> list[Point]:
    """`n` random points in `region`, none closer than `spacing`; the spacing relaxes if it must."""
    points: list[Point] = []
    minx, miny, maxx, maxy = region.bounds
    inside = prep(region)
    attempts = 0
    while len(points) < n:
        attempts += 1
        if attempts % 500 == 0:
            spacing *= 0.9
        p = Point(round(rng.uniform(minx, maxx), 6), round(rng.uniform(miny, maxy), 6))
        if inside.contains(p) and all(_distance(p, q) >= spacing for q in (*existing, *points)):
            points.append(p)
    return points


def _voronoi(seeds: list[Point], region) -> list:
    """The Voronoi cells of `seeds` clipped to `region`, in seed order: they tile the region exactly."""
    cells = list(shapely.voronoi_polygons(MultiPoint(seeds), extend_to=region).geoms)
    ordered = [next(c for c in cells if c.contains(seed)) for seed in seeds]
    return [_snap(cell.intersection(region)) for cell in ordered]


def _inner(polygon):
    """The polygon shrunk by a margin, so a point placed in it is unambiguously inside one grid."""
    for margin in (0.0008, 0.0004, 0.0001):
        shrunk = polygon.buffer(-margin)
        if not shrunk.is_empty:
            return shrunk
    return polygon


def _street_boundary(rng):
    """A convex, irregular outline about 13 km across around 临朐 city."""
    lng0, lat0 = CENTRE
    corners = []
    for i in range(20):
        angle = 2 * math.pi * (i + rng.uniform(-0.3, 0.3)) / 20
        reach = rng.uniform(0.055, 0.064)
        corners.append((lng0 + reach / LNG_SCALE * math.cos(angle), lat0 + reach * math.sin(angle)))
    return _snap(MultiPoint(corners).convex_hull)


# -- invented people -------------------------------------------------------------------------------


@dataclass(eq=False)
class Person:
    name: str
    gender: str
    birth: dt.date
    relation: str
    tags: set[str] = field(default_factory=set)
    phone: str = ""
    id_number: str = ""
    user: object = None
    resident: object = None

    @property
    def age(self) -> int:
        return _age(self.birth)


def _age(birth: dt.date) -> int:
    r = REFERENCE_DATE
    return r.year - birth.year - ((r.month, r.day) < (birth.month, birth.day))


@dataclass(eq=False)
class Home:
    """A household to register: its address node (单元 or 自然村), room, and the people living there."""

    node: Node
    room: str
    place: Node  # the 小区 or 自然村: where its party branch sits
    territory: "Territory"
    building: Node | None
    people: list[Person]
    household: object = None


class People:
    """Invents people: common Shandong surnames, GB 11643 ID numbers (area 370724) and 199-0001… phones."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def name(self, gender: str, surname: str | None = None) -> str:
        rng = self.rng
        if surname is None:
            surname = rng.choice(SURNAMES[:20] if rng.random() < 0.6 else SURNAMES)
        chars = MALE_GIVEN if gender == Gender.MALE else FEMALE_GIVEN
        return surname + "".join(rng.choice(chars) for _ in range(1 if rng.random() < 0.25 else 2))

    def birth(self, age: int) -> dt.date:
        """A birth date giving exactly `age` on the reference date."""
        latest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age)
        return latest - dt.timedelta(days=self.rng.randrange(365))

    def id_number(self, birth: dt.date, gender: str) -> str:
        while True:
            sex_digit = self.rng.choice("13579" if gender == Gender.MALE else "02468")
            body = f"370724{birth:%Y%m%d}{self.rng.randrange(100):02d}{sex_digit}"
            if body not in self.ids:
                self.ids.add(body)
                return body + id_check_digit(body)

    def phone(self) -> str:
        while True:
            phone = f"1990{self.rng.randrange(10000, 100000):07d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def person(self, gender: str, age: int, relation: str, surname: str | None = None) -> Person:
        rng = self.rng
        age = max(1, min(age, 96))
        birth = self.birth(age)
        p = Person(self.name(gender, surname), gender, birth, relation)
        if rng.random() < 0.93:
            p.id_number = self.id_number(birth, gender)
        if age >= 16 and rng.random() < (0.9 if age < 75 else 0.5):
            p.phone = self.phone()
        if age >= 60:
            p.tags.add("elderly")
        if rng.random() < 0.02:
            p.tags.add("disabled")
        if gender == Gender.MALE and 40 <= age <= 75 and rng.random() < 0.06:
            p.tags.add("veteran")
        return p

    def family(self, rural: bool) -> list[Person]:
        """One household: who lives together, with relations to the head (户主) and the tags that follow."""
        rng = self.rng
        M, F = Gender.MALE, Gender.FEMALE
        roll = rng.random()
        if roll < 0.09:  # an old person living alone
            gender = rng.choice((M, F))
            people = [self.person(gender, rng.randint(66, 92), "户主")]
            people[0].tags.add("alone")
            if rural and rng.random() < 0.3:
                people[0].tags.add("tekun")
        elif rural and roll < 0.17:  # grandparents bringing up grandchildren whose parents work away
            head = self.person(M, rng.randint(58, 80), "户主")
            people = [head, self.person(F, head.age - rng.randint(0, 4), "配偶")]
            surname = head.name[0]
            for _ in range(rng.randint(1, 2)):
                kid = rng.choice((M, F))
                relation = "孙子" if kid == M else "孙女"
                people.append(self.person(kid, rng.randint(3, 14), relation, surname))
            for p in people:
                p.tags.add("left_behind")
        else:
            if roll < 0.24:  # an older couple
                husband_age = rng.randint(60, 85)
                children, grandparents = 0, 0
            elif roll < 0.36:  # a young couple
                husband_age = rng.randint(24, 38)
                children, grandparents = 0, 0
            elif roll < 0.80:  # parents and children
                husband_age = rng.randint(28, 55)
                children, grandparents = rng.randint(1, 2), 0
            else:  # three generations
                husband_age = rng.randint(30, 50)
                children, grandparents = rng.randint(1, 2), rng.randint(1, 2)
            husband = self.person(M, husband_age, "户主")
            wife = self.person(F, husband_age - rng.randint(-2, 5), "配偶")
            if not grandparents and rng.random() < 0.2:  # the wife is the registered head
                husband.relation, wife.relation = "配偶", "户主"
                people = [wife, husband]
            else:
                people = [husband, wife]
            surname = husband.name[0]
            for _ in range(children):
                kid = rng.choice((M, F))
                age = rng.randint(1, max(1, min(30, wife.age - 22)))
                people.append(self.person(kid, age, "儿子" if kid == M else "女儿", surname))
            for gender in (M, F)[:grandparents]:
                age = husband_age + rng.randint(24, 32)
                people.append(
                    self.person(
                        gender, age, "父亲" if gender == M else "母亲", surname if gender == M else None
                    )
                )
        if rng.random() < (0.06 if rural else 0.03):
            for p in people:
                p.tags.add("dibao")
        return people


# -- the 街道 ---------------------------------------------------------------------------------------


@dataclass(eq=False)
class Territory:
    """A 社区 or 村 being built: its cell of the map, its grids' shapes, and what is made for it."""

    kind: str
    name: str
    code: str
    cell: object
    grid_count: int
    places: list[str]  # the 小区 or 自然村 to create
    key: str  # short tag for usernames: a, b … for communities, v01 … for villages
    shapes: list = field(default_factory=list)
    node: Node | None = None
    place_nodes: list[Node] = field(default_factory=list)
    place_grid: dict = field(default_factory=dict)  # place node pk → index into shapes
    grid_workers: list = field(default_factory=list)  # per grid: a user or None
    workers: list = field(default_factory=list)  # 社区工作者
    grids: list = field(default_factory=list)
    homes: list[Home] = field(default_factory=list)


class DemoStreet:
    """Builds the demo in steps, each using what earlier ones made: nodes before grids, people first."""

    def __init__(self):
        self.rng = random.Random(SEED)
        self.people = People(self.rng)
        self.staff_phones = (f"1990000{n:04d}" for n in count(1))
        self.admin = None
        self.territories: list[Territory] = []
        self.buildings: dict[int, list[Node]] = defaultdict(list)  # 小区 pk → 楼栋
        self.units: dict[int, list[Node]] = defaultdict(list)  # 楼栋 pk → 单元
        self.homes: list[Home] = []
        self.users: dict[str, object] = {}
        self.party_plan: dict[int, list[tuple[str, Person, Node | None]]] = defaultdict(list)
        self.building_leaders: dict[int, object] = {}  # 楼栋 pk → its 楼长 (a PartyMember)
        self.members_created = 0

    # -- accounts ----------------------------------------------------------------------------------

    def create_admin(self):
        """The 街道管理员 exists first so that everything after it is attributed to them in the audit log."""
        self.admin = self.account("admin", Role.STREET_ADMIN, nodes=(), title="街道管理员")
        return self.admin

    @cached_property
    def password_hash(self) -> str:
        """The shared demo password, hashed once (hashing is slow on purpose)."""
        validate_password(PASSWORD)
        return make_password(PASSWORD)

    def account(self, username, role, nodes, *, title, name=None, phone=None):
        """A demo account (all share PASSWORD) with a membership at each node; staff phones: 1990000xxxx."""
        gender = self.rng.choice((Gender.MALE, Gender.FEMALE))
        user = accounts.create_user(
            username=username,
            password=None,
            password_hash=self.password_hash,
            display_name=name or self.people.name(gender),
            phone=phone or next(self.staff_phones),
            title=f"{title}（演示）",
            actor=self.admin,
        )
        for node in nodes:
            accounts.grant_membership(user=user, role=role, node=node, actor=self.admin)
        self.users[username] = user
        return user

    # -- the whole build ---------------------------------------------------------------------------

    def build(self) -> None:
        self.lay_out()
        # The admin holds no membership until the street exists, so these two run as the system (actor=None);
        # acting() still attributes them to the admin in the audit log.
        self.street = actions.create_node(
            # Under the demo county when `minsheng demo --streets N` made one (minsheng.ops.demo).
            parent=Node.objects.filter(kind=NodeKind.COUNTY, name=COUNTY_NAME).first(),
            kind=NodeKind.STREET,
            name=STREET_NAME,
            code=STREET_CODE,
            case_prefix="CG",
            geometry=_geojson(self.boundary),
        )
        accounts.grant_membership(user=self.admin, role=Role.STREET_ADMIN, node=self.street)
        self.create_places()
        self.create_staff()
        self.create_grids()
        self.create_property()
        self.plan_homes()
        self.plan_party()
        self.register_residents()
        self.create_party()
        self.assign_responsibility()
        # Last, so that the random names and places drawn above stay what they were.
        self.account("centre", Role.MEDIATION_STAFF, [self.street], title="矛调中心窗口")

    def summary(self) -> str:
        return (
            f"已加载演示街道“{STREET_NAME}”：{len(self.territories)} 个社区/村，"
            f"{sum(len(t.grids) for t in self.territories)} 个网格，{len(self.homes)} 户，"
            f"{sum(len(h.people) for h in self.homes)} 名居民，{self.members_created} 名党员，"
            f"{len(self.users)} 个账号。"
        )

    # -- map ---------------------------------------------------------------------------------------

    def lay_out(self) -> None:
        """Cut the street into 社区/村 cells (communities in the centre), then each cell into its grids."""
        rng = self.rng
        self.boundary = _street_boundary(rng)
        urban_seeds = _scatter(rng, _ellipse(0.018), len(COMMUNITIES), 0.009)
        rural_region = self.boundary.difference(_ellipse(0.028))
        rural_seeds = _scatter(rng, rural_region, 51, 0.0095, existing=urban_seeds)
        cells = _voronoi(urban_seeds + rural_seeds, self.boundary)

        for i, ((name, grids, estates), cell) in enumerate(
            zip(COMMUNITIES, cells[: len(COMMUNITIES)], strict=True)
        ):
            code = f"370724001{i + 1:03d}"
            key = "abcdefghijklmnopqrstuvwxyz"[i]
            self.territories.append(
                Territory(NodeKind.COMMUNITY, name, code, cell, grids, list(estates), key)
            )

        # The cherry cluster is one contiguous patch: the ten villages nearest the south-western-most one.
        rural = list(zip(rural_seeds, cells[len(COMMUNITIES) :], strict=True))
        anchor = min(rural_seeds, key=lambda p: p.x * LNG_SCALE + p.y)
        cluster = sorted(rural, key=lambda sc: _distance(sc[0], anchor))[: len(CHERRY_VILLAGES)]
        cluster_ids = {id(cell) for _seed, cell in cluster}
        # The two largest villages get two grids each.
        two_grid_ids = {id(cell) for _seed, cell in sorted(rural, key=lambda sc: -sc[1].area)[:2]}
        # Villages are numbered (and their codes given) going round the town.
        rural.sort(key=lambda sc: math.atan2(sc[0].y - CENTRE[1], (sc[0].x - CENTRE[0]) * LNG_SCALE))
        cherry, others = iter(CHERRY_VILLAGES), iter(OTHER_VILLAGES)
        for i, (_seed, cell) in enumerate(rural):
            base = next(cherry) if id(cell) in cluster_ids else next(others)
            grids = 2 if id(cell) in two_grid_ids else 1
            places = self.natural_villages(base, grids)
            code = f"370724001{201 + i:03d}"
            self.territories.append(
                Territory(NodeKind.VILLAGE, f"{base}村", code, cell, grids, places, f"v{i + 1:02d}")
            )

        for t in self.territories:
            if t.grid_count == 1:
                t.shapes = [t.cell]
            else:
                seeds = _scatter(rng, _inner(t.cell), t.grid_count, math.sqrt(t.cell.area) / 2)
                t.shapes = _voronoi(seeds, t.cell)

    def natural_villages(self, base: str, at_least: int) -> list[str]:
        n = self.rng.randint(max(1, at_least), 3)
        if n == 1:
            return [base]
        pair = self.rng.choice(NATURAL_VILLAGE_PREFIXES)
        names = [pair[0] + base, pair[1] + base]
        return names + [base + "新村"] if n == 3 else names

    # -- places ------------------------------------------------------------------------------------

    def create_places(self) -> None:
        """社区/村 nodes (their shape is the union of their grids), then 小区 with 楼栋 and 单元, and 自然村."""
        rng, admin = self.rng, self.admin
        for t in self.territories:
            t.node = actions.create_node(
                parent=self.street,
                kind=t.kind,
                name=t.name,
                code=t.code,
                geometry=_geojson(_snap(unary_union(t.shapes))),
                actor=admin,
            )
            inner = [_inner(s) for s in t.shapes]
            placed: list[list[Point]] = [[] for _ in t.shapes]
            urban = t.kind == NodeKind.COMMUNITY
            for i, name in enumerate(t.places):
                g = i % len(t.shapes)  # place i sits in grid i mod n: every grid covers a 小区 or 自然村
                point = _scatter(rng, inner[g], 1, 0.002, existing=placed[g])[0]
                placed[g].append(point)
                place = actions.create_node(
                    parent=t.node,
                    kind=NodeKind.ESTATE if urban else NodeKind.NATURAL_VILLAGE,
                    name=name,
                    geometry=_geojson(point),
                    actor=admin,
                )
                t.place_nodes.append(place)
                t.place_grid[place.pk] = g
                if urban:
                    self.create_buildings(place, point, inner[g])

    def create_buildings(self, estate: Node, point: Point, grid_inner) -> None:
        rng = self.rng
        n = rng.randint(3, 8)
        nearby = point.buffer(0.0015).intersection(grid_inner)
        for b, spot in enumerate(_scatter(rng, nearby, n, 0.0003), start=1):
            building = actions.create_node(
                parent=estate,
                kind=NodeKind.BUILDING,
                name=f"{b}号楼",
                geometry=_geojson(spot),
                actor=self.admin,
            )
            self.buildings[estate.pk].append(building)
            for u in range(1, rng.randint(2, 3) + 1):
                unit = actions.create_node(
                    parent=building, kind=NodeKind.UNIT, name=f"{u}单元", actor=self.admin
                )
                self.units[building.pk].append(unit)

    # -- staff -------------------------------------------------------------------------------------

    def create_staff(self) -> None:
        """Accounts for every role. Grid workers are made here too; the grids come next."""
        street = self.street
        self.account("leader", Role.STREET_LEADER, [street], title="党工委书记")
        self.account("leader2", Role.STREET_LEADER, [street], title="办事处主任")
        self.account("leader3", Role.STREET_LEADER, [street], title="党工委副书记")
        self.cadres = [
            self.account("cadre" if i == 0 else f"cadre{i + 1}", Role.STREET_CADRE, [street], title=office)
            for i, office in enumerate(OFFICES)
        ]
        communities = [t for t in self.territories if t.kind == NodeKind.COMMUNITY]
        villages = [t for t in self.territories if t.kind == NodeKind.VILLAGE]
        worker_titles = ["社区党委书记、居委会主任", "社区居委会副主任", "社区专职工作者"]
        for t in communities:
            for i in range(self.rng.randint(2, 3)):
                username = f"worker_{t.key}" + (str(i + 1) if i else "")
                t.workers.append(
                    self.account(username, Role.COMMUNITY_WORKER, [t.node], title=worker_titles[i])
                )

        # 2–3 grids stay deliberately unstaffed: one in 龙泉社区 (its third grid) and two village grids.
        unstaffed = {(communities[1].name, 2)}
        for t in self.rng.sample(villages, UNSTAFFED_VILLAGE_GRIDS):
            unstaffed.add((t.name, t.grid_count - 1))
        for t in self.territories:
            for g in range(t.grid_count):
                if (t.name, g) in unstaffed:
                    t.grid_workers.append(None)
                    continue
                suffix = "" if g == 0 else f"_{g + 1}" if t.key[-1].isdigit() else str(g + 1)
                username = f"grid_{t.key}{suffix}"  # grid_a, grid_a2 … grid_v07, grid_v07_2
                title = f"{self.grid_name(t, g)}网格员"
                t.grid_workers.append(self.account(username, Role.GRID_WORKER, [t.node], title=title))

        # The article: 32 村级监管员 for 51 villages, so most look after two villages and some after one.
        doubles = len(villages) - SUPERVISORS
        cursor = 0
        for i in range(SUPERVISORS):
            take = 2 if i < doubles else 1
            scope = [v.node for v in villages[cursor : cursor + take]]
            cursor += take
            username = "supervisor" if i == 0 else f"supervisor{i + 1:02d}"
            self.account(username, Role.VILLAGE_SUPERVISOR, scope, title="村级监管员（农产品质量安全）")
        self.account("enterprise", Role.ENTERPRISE_OFFICER, [street], title="企业服务专员")
        self.account("enterprise2", Role.ENTERPRISE_OFFICER, [street], title="企业服务专员")

    @staticmethod
    def grid_name(t: Territory, g: int) -> str:
        numerals = "一二三四五六七八九"
        return f"{t.name}第{numerals[g]}网格" if t.grid_count > 1 else f"{t.name}网格"

    # -- grids -------------------------------------------------------------------------------------

    def create_grids(self) -> None:
        """One grid per shape; the deputy is a 社区工作者 or, in a two-grid village, the other grid's worker."""
        for t in self.territories:
            for g, shape in enumerate(t.shapes):
                if t.kind == NodeKind.COMMUNITY:
                    deputies = [t.workers[1 + g % (len(t.workers) - 1)]]
                else:
                    deputies = [w for h, w in enumerate(t.grid_workers) if h != g and w is not None]
                covered = [n for n in t.place_nodes if t.place_grid[n.pk] == g]
                grid = actions.create_grid(
                    community=t.node,
                    name=self.grid_name(t, g),
                    boundary=_geojson(shape),
                    worker=t.grid_workers[g],
                    deputies=deputies,
                    nodes=covered,
                    actor=self.admin,
                )
                t.grids.append(grid)

    # -- property ----------------------------------------------------------------------------------

    def create_property(self) -> None:
        """Companies with valid credit codes, then each 小区's status: mostly 专业物业, some 街道兜底, a few none."""
        rng, admin = self.rng, self.admin
        companies = []
        for name, division in PROPERTY_COMPANIES:
            companies.append(
                actions.create_property_company(
                    name=name,
                    credit_code=self.credit_code(division),
                    contact=self.people.name(rng.choice((Gender.MALE, Gender.FEMALE))),
                    phone=next(self.staff_phones),
                    actor=admin,
                )
            )
        street_led = actions.create_property_company(
            name=STREET_LED_COMPANY,
            credit_code=self.credit_code("370724"),
            contact=self.people.name(Gender.MALE),
            phone=next(self.staff_phones),
            is_street_led=True,
            actor=admin,
        )
        estates = [e for t in self.territories for e in t.place_nodes if e.kind == NodeKind.ESTATE]
        statuses = (
            [PropertyStatus.STREET_FALLBACK] * 4
            + [PropertyStatus.NONE] * 2
            + [PropertyStatus.SELF_MANAGED] * 2
        )
        statuses += [PropertyStatus.PROFESSIONAL] * (len(estates) - 1 - len(statuses))
        rng.shuffle(statuses)
        statuses.insert(0, PropertyStatus.PROFESSIONAL)  # 颐和家园, the article's 红色物业 example
        for i, (estate, status) in enumerate(zip(estates, statuses, strict=True)):
            fields = {}
            company = None
            if status == PropertyStatus.PROFESSIONAL:
                company = companies[i % len(companies)]
                start = dt.date(rng.randint(2022, 2024), 1, 1)
                fields |= {
                    "contract_start": start,
                    "contract_end": start.replace(year=start.year + 3) - dt.timedelta(days=1),
                }
                fields["is_red_property"] = i == 0 or rng.random() < 0.4
            elif status == PropertyStatus.STREET_FALLBACK:
                company, fields["is_red_property"] = street_led, True
            if status in (PropertyStatus.PROFESSIONAL, PropertyStatus.SELF_MANAGED) and (
                i == 0 or rng.random() < 0.45
            ):
                fields |= {
                    "has_owners_committee": True,
                    "committee_established": dt.date(rng.randint(2019, 2024), rng.randint(1, 12), 1),
                    "committee_chair": self.people.name(rng.choice((Gender.MALE, Gender.FEMALE))),
                    "committee_phone": self.people.phone(),
                }
            actions.set_estate_property(estate, status=status, company=company, actor=admin, **fields)
        # 物业人员: the representative at 颐和家园, one more at a professional estate, one at a 兜底 estate.
        picks = [(estates[0], "property")]
        fallback = next(
            e for e, s in zip(estates, statuses, strict=True) if s == PropertyStatus.STREET_FALLBACK
        )
        other = next(
            e for e, s in zip(estates[1:], statuses[1:], strict=True) if s == PropertyStatus.PROFESSIONAL
        )
        picks += [(other, "property2"), (fallback, "property3")]
        for estate, username in picks:
            self.account(username, Role.PROPERTY_STAFF, [estate], title=f"{estate.name}物业项目经理")

    def credit_code(self, division: str) -> str:
        """GB 32100: 9 (工商) 1 (企业), the division, an invented organisation code, the check character."""
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        body = f"91{division}MA" + "".join(self.rng.choice(alphabet) for _ in range(7))
        return body + uscc_check_char(body)

    # -- households ------------------------------------------------------------------------------

    def plan_homes(self) -> None:
        """Who lives where: 2–4 flats a 单元 in town, 4–8 farmhouses a 自然村 in the villages."""
        rng = self.rng
        for t in self.territories:
            for place in t.place_nodes:
                if place.kind == NodeKind.ESTATE:
                    for building in self.buildings[place.pk]:
                        floors = rng.choice((6, 6, 11, 18))
                        for unit in self.units[building.pk]:
                            rooms = rng.sample(
                                [f"{f}0{d}" for f in range(1, floors + 1) for d in (1, 2)], rng.randint(2, 4)
                            )
                            for room in sorted(rooms, key=int):
                                self.add_home(t, place, unit, room, building, rural=False)
                else:
                    for number in sorted(rng.sample(range(1, 90), rng.randint(4, 8))):
                        self.add_home(t, place, place, f"{number}号", None, rural=True)

    def add_home(self, t, place, node, room, building, *, rural) -> None:
        home = Home(node, room, place, t, building, self.people.family(rural))
        t.homes.append(home)
        self.homes.append(home)

    # -- party -----------------------------------------------------------------------------------

    def pick(self, homes: list[Home], lo: int = 25, hi: int = 72) -> Person | None:
        """An adult from these homes who holds no party post yet; they become a party member (tag 党员)."""
        candidates = [p for h in homes for p in h.people if lo <= p.age <= hi and "party" not in p.tags]
        if not candidates:
            return None
        person = self.rng.choice(candidates)
        person.tags.add("party")
        return person

    def plan_party(self) -> None:
        """Posts are decided before anyone is registered, so party members carry the 党员 tag from the start."""
        rng = self.rng
        for t in self.territories:
            if t.kind == NodeKind.COMMUNITY:
                for _ in range(2):
                    self.plan_post(t.node, PartyPost.COMMITTEE_MEMBER, self.pick(t.homes))
                for estate in t.place_nodes:
                    homes = [h for h in t.homes if h.place is estate]
                    self.plan_post(estate, PartyPost.SECRETARY, self.pick(homes, 35, 70))
                    for _ in range(rng.randint(1, 2)):
                        self.plan_post(estate, PartyPost.COMMITTEE_MEMBER, self.pick(homes))
                    for building in self.buildings[estate.pk]:
                        in_building = [h for h in homes if h.building is building]
                        self.plan_post(estate, PartyPost.BUILDING_LEADER, self.pick(in_building), building)
                        for unit in self.units[building.pk]:
                            if rng.random() < 0.6:
                                in_unit = [h for h in in_building if h.node is unit]
                                self.plan_post(
                                    estate, PartyPost.UNIT_LEADER, self.pick(in_unit, 22, 75), unit
                                )
                    for _ in range(rng.randint(1, 3)):
                        self.plan_post(estate, PartyPost.MEMBER, self.pick(homes, 20, 85))
            else:
                self.plan_post(t.node, PartyPost.SECRETARY, self.pick(t.homes, 35, 65))
                for _ in range(2):
                    self.plan_post(t.node, PartyPost.COMMITTEE_MEMBER, self.pick(t.homes))
                for _ in range(rng.randint(2, 4)):
                    self.plan_post(t.node, PartyPost.MEMBER, self.pick(t.homes, 20, 85))

    def plan_post(self, org_node: Node, post: str, person: Person | None, led: Node | None = None) -> None:
        if person is not None:
            self.party_plan[org_node.pk].append((post, person, led))

    # -- residents -------------------------------------------------------------------------------

    def register_residents(self) -> None:
        """Households and their people, through the registry actions; a few residents get an account."""
        admin = self.admin
        with_account = {
            "resident": self.territories[0].homes[0],  # 颐和家园 1号楼 1单元
            "resident2": self.territories[1].homes[5],
            "resident3": next(t for t in self.territories if t.name == CHERRY_CLUSTER_VILLAGES[0]).homes[0],
        }
        for username, home in with_account.items():
            head = home.people[0]
            if not head.phone:
                head.phone = self.people.phone()
            head.user = self.account(
                username, Role.RESIDENT, [home.node], title="居民", name=head.name, phone=head.phone
            )
        for home in self.homes:
            home.household = actions.register_household(
                node=home.node, room=home.room, head_name=home.people[0].name, note="演示数据", actor=admin
            )
            for p in home.people:
                p.resident = actions.register_resident(
                    name=p.name,
                    node=home.node,
                    household=home.household,
                    relation=p.relation,
                    gender=p.gender,
                    birth_date=p.birth,
                    id_number=p.id_number,
                    phone=p.phone,
                    tags=sorted(p.tags),
                    user=p.user,
                    note=DEMO_NOTE,
                    actor=admin,
                )

    def create_party(self) -> None:
        """党工委 → 社区党委 / 村党组织 → 小区党支部, their members, and the households each member keeps in touch with."""
        admin = self.admin
        root = actions.create_party_org(
            parent=None,
            kind=PartyOrgKind.WORKING_COMMITTEE,
            name="城关街道党工委（演示）",
            node=self.street,
            actor=admin,
        )
        u = self.users
        officers = [
            (u["leader"], PartyPost.SECRETARY),
            (u["leader3"], PartyPost.DEPUTY_SECRETARY),
            (u["leader2"], PartyPost.COMMITTEE_MEMBER),
            (u["cadre"], PartyPost.COMMITTEE_MEMBER),
            (u["cadre2"], PartyPost.COMMITTEE_MEMBER),
        ]
        for user, post in officers:
            self.add_member(root, post, self.homes, user=user)
        for t in self.territories:
            if t.kind == NodeKind.COMMUNITY:
                org = actions.create_party_org(
                    parent=root, kind=PartyOrgKind.COMMITTEE, name=f"{t.name}党委", node=t.node, actor=admin
                )
                self.add_member(org, PartyPost.SECRETARY, t.homes, user=t.workers[0])
                self.add_member(org, PartyPost.DEPUTY_SECRETARY, t.homes, user=t.workers[1])
                for post, person, _led in self.party_plan[t.node.pk]:
                    self.add_member(org, post, t.homes, person=person)
                for estate in t.place_nodes:
                    branch = actions.create_party_org(
                        parent=org,
                        kind=PartyOrgKind.BRANCH,
                        name=f"{estate.name}党支部",
                        node=estate,
                        actor=admin,
                    )
                    homes = [h for h in t.homes if h.place is estate]
                    for post, person, led in self.party_plan[estate.pk]:
                        near = [h for h in homes if led is not None and led in (h.building, h.node)]
                        self.add_member(branch, post, homes, person=person, led=led, near=near)
            else:
                # A village with several 自然村 has a 党总支, a small one a 党支部.
                big = len(t.place_nodes) == 3
                org = actions.create_party_org(
                    parent=root,
                    kind=PartyOrgKind.GENERAL_BRANCH if big else PartyOrgKind.BRANCH,
                    name=f"{t.name}党总支" if big else f"{t.name}党支部",
                    node=t.node,
                    actor=admin,
                )
                for post, person, _led in self.party_plan[t.node.pk]:
                    self.add_member(org, post, t.homes, person=person)

    def add_member(self, org, post, homes, *, person=None, user=None, led=None, near=()):
        """One party member, linked to 3–10 households of their organisation (their own building's first)."""
        rng = self.rng
        if person is not None:
            name, phone, resident = person.name, person.phone, person.resident
            joined_from = person.birth.replace(year=person.birth.year + 20)
        else:
            name, phone, resident = user.display_name, user.phone, None
            joined_from = dt.date(1995, 1, 1)
        span = (REFERENCE_DATE - joined_from).days - 365
        joined = joined_from + dt.timedelta(days=rng.randrange(max(span, 1)))
        member = actions.add_party_member(
            party_org=org,
            name=name,
            post=post,
            phone=phone,
            led_node=led,
            resident=resident,
            user=user,
            joined_on=joined,
            actor=self.admin,
        )
        self.members_created += 1
        wanted = rng.randint(3, 10)
        chosen = rng.sample(near, min(wanted, len(near))) if near else []
        rest = [h for h in homes if h not in chosen]
        chosen += rng.sample(rest, min(wanted - len(chosen), len(rest)))
        actions.link_member_households(member, [h.household for h in chosen], actor=self.admin)
        if led is not None and led.kind == NodeKind.BUILDING:
            self.building_leaders[led.pk] = member
        return member

    # -- responsibility --------------------------------------------------------------------------

    def assign_responsibility(self) -> None:
        """街道干部挂社区/村, 社区干部靠小区, 居民党员包楼栋, and the leaders' contact points."""
        admin = self.admin
        for i, t in enumerate(self.territories):
            actions.assign_responsibility(
                kind=AssignmentKind.CADRE_TO_COMMUNITY,
                node=t.node,
                user=self.cadres[i % len(self.cadres)],
                valid_from=VALID_FROM,
                note="演示数据",
                actor=admin,
            )
            if t.kind == NodeKind.COMMUNITY:
                for j, estate in enumerate(t.place_nodes):
                    actions.assign_responsibility(
                        kind=AssignmentKind.WORKER_TO_ESTATE,
                        node=estate,
                        user=t.workers[j % len(t.workers)],
                        valid_from=VALID_FROM,
                        note="演示数据",
                        actor=admin,
                    )
        for member in self.building_leaders.values():
            actions.assign_responsibility(
                kind=AssignmentKind.MEMBER_TO_BUILDING,
                node=member.led_node,
                party_member=member,
                valid_from=VALID_FROM,
                note="演示数据",
                actor=admin,
            )
        by_name = {t.name: t for t in self.territories}
        contact_points = [
            ("leader", "颐和社区"),
            ("leader2", CHERRY_CLUSTER_VILLAGES[0]),
            ("leader3", "龙泉社区"),
        ]
        for username, place in contact_points:
            actions.assign_responsibility(
                kind=AssignmentKind.LEADER_CONTACT,
                node=by_name[place].node,
                user=self.users[username],
                valid_from=VALID_FROM,
                note="演示数据",
                actor=admin,
            )
