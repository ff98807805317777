"""Organisation: the administrative tree, grids, party organisations, responsibility, property, households.

The administrative tree is a materialised-path tree (django-treebeard): "everything under 某社区" is one indexed
`path LIKE '0001000A%'` query. Every registry row hangs off a node, which is what scoping keys on.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from shapely.geometry import Point, shape
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from minsheng.core.badges import Colour
from minsheng.core.models import BaseModel
from minsheng.core.pinyin import pinyin_key
from minsheng.core.scoping import ScopedManager, ScopedQuerySet

from .choices import (
    NODE_KIND_COLOURS,
    AssignmentKind,
    Gender,
    NodeKind,
    PartyOrgKind,
    PartyPost,
    PropertyStatus,
)
from .validators import (
    validate_credit_code,
    validate_division_code,
    validate_geojson_geometry,
    validate_id_number,
)


class NodeQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    def subtree_of(self, node: "Node"):
        return self.filter(path__startswith=node.path)


class NodeManager(MP_NodeManager.from_queryset(NodeQuerySet)):
    def get_queryset(self):
        return NodeQuerySet(self.model, using=self._db).order_by("path")


class Node(MP_Node, BaseModel):
    """A place in the administrative tree: 街道 → 社区/村 → 小区/自然村 → 楼栋 → 单元."""

    kind = models.CharField(_("类型"), max_length=20, choices=NodeKind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(
        _("统计用区划代码"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_division_code],
    )
    geometry = models.JSONField(
        _("几何"), null=True, blank=True, validators=[validate_geojson_geometry], help_text=_("GeoJSON")
    )
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    full_name = models.CharField(_("全称"), max_length=400, blank=True)
    search_key = models.CharField(_("拼音"), max_length=400, blank=True, editable=False)
    case_prefix = models.CharField(
        _("案件编号前缀"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]{0,7}$", _("用1–8位大写字母或数字，以字母开头"))],
        help_text=_(
            "街道/乡镇（或县、市）的案件编号前缀，如 CG → CG-2026-000123；留空则沿用上级或系统默认前缀"
        ),
    )

    scope_path = "path"
    objects = NodeManager()

    class Meta:
        verbose_name = _("组织节点")
        verbose_name_plural = _("组织节点")
        ordering = ["path"]

    @property
    def kind_colour(self) -> str:
        return NODE_KIND_COLOURS.get(self.kind, Colour.GRAY)

    def __str__(self) -> str:
        return self.name

    def refresh_derived(self, parent: "Node | None" = None) -> None:
        """Full name, pinyin key and centre point from name, parent and geometry (pass `parent` for a new node)."""
        if parent is None and self.depth and self.depth > 1:
            parent = Node.objects.get(path=self.path[: -self.steplen])
        self.full_name = f"{parent.full_name} {self.name}" if parent is not None else self.name
        self.search_key = pinyin_key(self.name)
        if self.geometry:
            centre = shape(self.geometry).representative_point()
            self.lng, self.lat = round(centre.x, 6), round(centre.y, 6)

    def number_prefix(self) -> str:
        """The case-number prefix of the nearest node at or above this one that has one, else the deployment's
        (docs/decisions/0039-county-and-city-levels.md)."""
        paths = [self.path[: i * self.steplen] for i in range(1, self.depth + 1)]
        found = (
            Node.objects.filter(path__in=paths)
            .exclude(case_prefix="")
            .order_by("-depth")
            .values_list("case_prefix", flat=True)
            .first()
        )
        return found or settings.MINSHENG_CASE_PREFIX

    def territory(self) -> "Node | None":
        """The 社区 or 村 this node belongs to (itself if it is one)."""
        from .choices import TERRITORIAL_KINDS

        if self.kind in TERRITORIAL_KINDS:
            return self
        prefixes = [self.path[: i * self.steplen] for i in range(1, self.depth)]
        ancestors = Node.objects.filter(path__in=prefixes, kind__in=TERRITORIAL_KINDS).defer("geometry")
        return ancestors.order_by("-depth").first()


class GridQuerySet(ScopedQuerySet):
    def containing(self, lat: float, lng: float):
        """Grids whose boundary contains the point: a bounding-box prefilter in SQL, then the exact polygon test."""
        candidates = self.filter(min_lat__lte=lat, max_lat__gte=lat, min_lng__lte=lng, max_lng__gte=lng)
        point = Point(lng, lat)
        ids = [g.pk for g in candidates if g.boundary and shape(g.boundary).covers(point)]
        return self.filter(pk__in=ids)


class Grid(BaseModel):
    """A 网格: a piece of one 社区/村 with one responsible grid worker (CJ/T 349-2010 style code)."""

    code = models.CharField(_("网格编码"), max_length=20, unique=True)
    name = models.CharField(_("网格名称"), max_length=100)
    community = models.ForeignKey(
        Node, on_delete=models.PROTECT, related_name="grids", verbose_name=_("所属社区/村")
    )
    boundary = models.JSONField(_("边界"), null=True, blank=True, validators=[validate_geojson_geometry])
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    min_lng = models.FloatField(null=True, blank=True, editable=False)
    max_lng = models.FloatField(null=True, blank=True, editable=False)
    nodes = models.ManyToManyField(
        Node, blank=True, related_name="covering_grids", verbose_name=_("覆盖范围")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grids",
        verbose_name=_("网格员"),
    )
    deputies = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="deputy_grids", verbose_name=_("协管员")
    )
    search_key = models.CharField(max_length=400, blank=True, editable=False)

    scope_path = "community__path"
    objects = ScopedManager.from_queryset(GridQuerySet)()

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["code"]
        indexes = [models.Index(fields=["min_lat", "max_lat", "min_lng", "max_lng"], name="grid_bbox")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def refresh_derived(self) -> None:
        self.search_key = pinyin_key(self.name)
        if self.boundary:
            self.min_lng, self.min_lat, self.max_lng, self.max_lat = shape(self.boundary).bounds
        else:
            self.min_lng = self.min_lat = self.max_lng = self.max_lat = None

    def responsible(self):
        """(user, node): the grid worker, or — nobody being responsible — the community answers (属地兜底)."""
        if self.worker_id and self.worker.is_active:
            return self.worker, self.community
        return None, self.community


class PartyOrgQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    pass


class PartyOrgManager(MP_NodeManager.from_queryset(PartyOrgQuerySet)):
    def get_queryset(self):
        return PartyOrgQuerySet(self.model, using=self._db).order_by("path")


class PartyOrg(MP_Node, BaseModel):
    """党组织: 街道党工委 → 社区党委 → 小区党支部 (→ 党小组)."""

    kind = models.CharField(_("类型"), max_length=24, choices=PartyOrgKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    node = models.ForeignKey(
        Node, on_delete=models.PROTECT, related_name="party_orgs", verbose_name=_("所在组织节点")
    )

    scope_path = "node__path"
    objects = PartyOrgManager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class ResidentTag(BaseModel):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("人员标签")
        verbose_name_plural = _("人员标签")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Household(BaseModel):
    """一户: where a family lives (a 单元/楼栋/自然村 node plus the room)."""

    node = models.ForeignKey(
        Node, on_delete=models.PROTECT, related_name="households", verbose_name=_("地址")
    )
    room = models.CharField(_("门牌/房号"), max_length=50, blank=True)
    head_name = models.CharField(_("户主"), max_length=50, blank=True)
    address = models.CharField(_("详细地址"), max_length=300, blank=True, editable=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_path = "node__path"
    pii_fields = ("address", "room")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["node", "room"], name="household_unique_room")]

    def __str__(self) -> str:
        return f"{self.head_name or '—'} {self.address}".strip()

    def refresh_derived(self) -> None:
        self.address = f"{self.node.full_name} {self.room}".strip()


class Resident(BaseModel):
    """A person in the minimal registry. Phone, ID number and address are personal data (masked, audited)."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    id_number = models.CharField(
        _("身份证号"), max_length=18, blank=True, validators=[validate_id_number], db_index=True
    )
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="residents", verbose_name=_("地址"))
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("所属户"),
    )
    relation = models.CharField(_("与户主关系"), max_length=20, blank=True)
    tags = models.ManyToManyField(ResidentTag, blank=True, related_name="residents", verbose_name=_("标签"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident",
        verbose_name=_("居民账号"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    search_key = models.CharField(max_length=400, blank=True, editable=False)

    scope_path = "node__path"
    pii_fields = ("phone", "id_number")
    objects = ScopedManager()

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="resident_unique_id_number"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return self.household.address if self.household_id else self.node.full_name

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = timezone.localdate()
        return (
            today.year
            - self.birth_date.year
            - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))
        )


class PartyMember(BaseModel):
    """A party member and their post; a 楼长/单元长 leads a building or unit; members keep in touch with households."""

    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    party_org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="members", verbose_name=_("所在党组织")
    )
    post = models.CharField(_("职务"), max_length=24, choices=PartyPost.choices, default=PartyPost.MEMBER)
    led_node = models.ForeignKey(
        Node,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leaders",
        verbose_name=_("负责楼栋/单元"),
    )
    resident = models.OneToOneField(
        Resident,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_member",
        verbose_name=_("对应居民"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_posts",
        verbose_name=_("账号"),
    )
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    households = models.ManyToManyField(
        Household, blank=True, related_name="contact_members", verbose_name=_("联系户（党员联户）")
    )

    scope_path = "party_org__node__path"
    pii_fields = ("phone",)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["party_org_id", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_post_display()}）"


class AssignmentQuerySet(ScopedQuerySet):
    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class Assignment(BaseModel):
    """Who answers for a node, for a period: 街道干部挂社区, 社区干部靠小区, 居民党员包楼栋."""

    kind = models.CharField(_("类型"), max_length=24, choices=AssignmentKind.choices)
    node = models.ForeignKey(
        Node, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("负责节点")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("负责人（账号）"),
    )
    party_member = models.ForeignKey(
        PartyMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("负责党员"),
    )
    valid_from = models.DateField(_("起始日期"), null=True, blank=True)
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scope_path = "node__path"
    objects = ScopedManager.from_queryset(AssignmentQuerySet)()

    class Meta:
        verbose_name = _("包联责任")
        verbose_name_plural = _("包联责任")
        ordering = ["node__path", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(party_member__isnull=False), name="assignment_has_person"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="assignment_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        who = self.user or self.party_member
        return f"{self.get_kind_display()}：{who} → {self.node}"


class PropertyCompany(BaseModel):
    """物业服务企业, including the street-led company that gives fallback service (街道领办兜底)."""

    name = models.CharField(_("企业名称"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_street_led = models.BooleanField(_("街道领办"), default=False)
    search_key = models.CharField(max_length=400, blank=True, editable=False)

    scope_path = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = _("物业企业")
        verbose_name_plural = _("物业企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EstateProperty(BaseModel):
    """A 小区's property-management status, its company, the 红色物业 flag and its 业委会."""

    node = models.OneToOneField(
        Node, on_delete=models.CASCADE, related_name="property_profile", verbose_name=_("小区")
    )
    status = models.CharField(_("物业状态"), max_length=20, choices=PropertyStatus.choices)
    company = models.ForeignKey(
        PropertyCompany,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="estates",
        verbose_name=_("物业企业"),
    )
    is_red_property = models.BooleanField(_("红色物业"), default=False)
    contract_start = models.DateField(_("合同起始"), null=True, blank=True)
    contract_end = models.DateField(_("合同截止"), null=True, blank=True)
    has_owners_committee = models.BooleanField(_("已成立业委会"), default=False)
    committee_established = models.DateField(_("业委会成立日期"), null=True, blank=True)
    committee_chair = models.CharField(_("业委会主任"), max_length=50, blank=True)
    committee_phone = models.CharField(_("业委会电话"), max_length=20, blank=True)

    scope_path = "node__path"
    pii_fields = ("committee_phone",)
    objects = ScopedManager()

    class Meta:
        verbose_name = _("小区物业")
        verbose_name_plural = _("小区物业")
        ordering = ["node__path"]

    def __str__(self) -> str:
        return f"{self.node} · {self.get_status_display()}"


class VillageRecord(BaseModel):
    """The shape of a row in a village's ledger: the village it belongs to (which decides who sees it, through
    `visible_to`) and who recorded it. A domain's ledger tables inherit it; one may redeclare `village` to give it
    its own reverse name or label."""

    village = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="%(app_label)s_%(class)s", verbose_name=_("村")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "village__path"
    objects = ScopedManager()

    class Meta(BaseModel.Meta):
        abstract = True
