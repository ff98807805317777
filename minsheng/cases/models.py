"""The appeals engine's data: cases and everything that happens to them.

A Case is one problem in the closed loop, whatever door it came through (a resident's phone, a grid worker's
patrol, a meeting, a failed pesticide test, a sensor alarm). Its kind says which rules apply; domain apps add detail
through their own models pointing at the case, and the case points back at its source through a generic link.
Only cases.actions changes a case; every change writes a CaseEvent.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager

from minsheng.accounts.choices import Cap
from minsheng.core import capabilities
from minsheng.core.models import BaseModel
from minsheng.core.pinyin import pinyin_key
from minsheng.core.scoping import ScopedQuerySet
from minsheng.org.levels import covers_tree

from .choices import (
    OPEN_STATES,
    Channel,
    LimitUnit,
    RequestKind,
    RequestStatus,
    Satisfaction,
    Status,
    UnitKind,
    Urgency,
)


class CaseKind(BaseModel):
    """诉求, 信访, 矛盾纠纷, 整改, 告警处置, 企业诉求 … — data, not code: a kind changes rules, not the engine."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    requires_follow_up = models.BooleanField(_("需要回访"), default=True)
    reopen_days = models.PositiveSmallIntegerField(_("可重新打开天数"), default=15)
    is_active = models.BooleanField(_("启用"), default=True)
    view_capability = models.CharField(
        _("查看所需权限"),
        max_length=40,
        blank=True,
        help_text=_("非空时，只有持有该权限的人（及反映人本人）能看到此类案件，例如信访需 petition.view"),
    )

    class Meta:
        verbose_name = _("案件类型")
        verbose_name_plural = _("案件类型")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def by_code(cls, code: str) -> "CaseKind":
        from minsheng.core.tablecache import cached_table

        kinds = cached_table("case-kinds", cls, lambda: {k.code: k for k in cls.objects.all()})
        try:
            return kinds[code]
        except KeyError:
            raise cls.DoesNotExist(code) from None


class Category(MP_Node, BaseModel):
    """The three-level category tree (大类 → 中类 → 小类), each with a code."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    is_active = models.BooleanField(_("启用"), default=True)
    search_key = models.CharField(max_length=200, blank=True, editable=False)

    objects = MP_NodeManager()

    class Meta:
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = pinyin_key(self.name)
        super().save(*args, **kwargs)

    @classmethod
    def active_by_pk(cls, pk: int) -> "Category":
        """An active category by id from the cached table (a few hundred rows of configuration, read by every
        intake): DoesNotExist for an unknown or retired one, as `objects.filter(is_active=True).get(pk=…)`."""
        from minsheng.core.tablecache import cached_table

        names = [f.attname for f in cls._meta.concrete_fields]

        def load() -> tuple[list[str], dict[int, tuple]]:
            rows = cls.objects.filter(is_active=True).values_list(*names)
            return names, {row[0]: row for row in rows}

        field_names, rows = cached_table("case-categories", cls, load)
        row = rows.get(pk)
        if row is None:
            raise cls.DoesNotExist(pk)
        return cls.from_db("default", field_names, row)


class Unit(BaseModel):
    """承办单位: a street office (科室), a community or village committee, a property company, an outside agency."""

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="units", verbose_name=_("所属组织节点")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_units",
        verbose_name=_("负责人"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="units", verbose_name=_("承办人员")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    search_key = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = pinyin_key(self.name)
        super().save(*args, **kwargs)


class TimeLimit(BaseModel):
    """Limits for 受理, 签收 and 办结 by category × urgency; the most specific category wins, blank = default."""

    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="limits",
        verbose_name=_("分类"),
    )
    urgency = models.CharField(_("紧急程度"), max_length=12, choices=Urgency.choices)
    accept_hours = models.DecimalField(_("受理时限（工作小时）"), max_digits=6, decimal_places=2, default=2)
    sign_hours = models.DecimalField(_("签收时限（工作小时）"), max_digits=6, decimal_places=2, default=2)
    finish_amount = models.DecimalField(_("办结时限"), max_digits=6, decimal_places=2)
    finish_unit = models.CharField(_("办结时限单位"), max_length=16, choices=LimitUnit.choices)
    needs_approval = models.BooleanField(
        _("需审批"), default=False, help_text=_("复杂诉求的长时限需领导批准")
    )

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["category_id", "urgency"]
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="timelimit_unique"),
            models.UniqueConstraint(
                fields=["urgency"], condition=Q(category__isnull=True), name="timelimit_default_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or _('默认')} · {self.get_urgency_display()}"


class RoutingRule(BaseModel):
    """Category subtree × org subtree → the lead unit. `territorial` routes to the case's own 社区/村 (属地)."""

    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routes",
        verbose_name=_("分类"),
    )
    node = models.ForeignKey(
        "org.Node",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routes",
        verbose_name=_("区域"),
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routes",
        verbose_name=_("主办单位"),
    )
    territorial = models.BooleanField(_("属地办理"), default=False)
    role = models.CharField(_("承办角色"), max_length=32, blank=True, help_text=_("单位内承办人的角色，可空"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("派遣规则")
        verbose_name_plural = _("派遣规则")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(territorial=True), name="route_has_target"
            )
        ]

    def __str__(self) -> str:
        target = self.unit or _("属地")
        return f"{self.category or _('全部分类')} @ {self.node or _('全部区域')} → {target}"


class CaseSequence(models.Model):
    """Counter per number prefix and year for human-readable numbers (CG-2026-000123); incremented under a row
    lock. The prefix is the 街道's (org.Node.case_prefix), so each 街道 of a county numbers its own cases; the
    system-wide default prefix keeps the counter a single-街道 deployment always had."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="case_sequence_unique_prefix_year")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


def in_subtrees(paths: list[str]) -> Q:
    """Cases located under one of `paths` (tree paths), in the form the database matches fastest."""
    from minsheng.org.models import Node

    inside = Q()
    for path in paths:
        inside |= Q(path__startswith=path)
    return Q(node__any_of=Node._base_manager.filter(inside).values("pk"))  # core.scoping.AnyOfSubquery


class CaseQuerySet(ScopedQuerySet):
    def visible_to(self, user, capability: str = Cap.CASES_VIEW):
        """Cases located in the user's subtrees, or given to a unit the user belongs to, or reported by them."""
        capabilities.check(capability)
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        condition = Q(reporter_user=user)
        paths = user.scope_paths(capability)
        if paths and covers_tree(paths):
            return self._of_kinds_seen_by(
                user
            )  # every place is his: only the kinds he may not see are left out
        if paths:
            condition |= in_subtrees(paths)
        if user.has_cap(capability):
            unit_ids = list(user.units.values_list("pk", flat=True))
            if unit_ids:
                co = Case.co_units.through.objects.filter(unit_id__in=unit_ids).values("case_id")
                condition |= Q(lead_unit_id__in=unit_ids) | Q(pk__in=co)
            condition |= Q(key_leader=user)
        return self._of_kinds_seen_by(user).filter(condition)

    def _of_kinds_seen_by(self, user):
        """Kinds that need a capability of their own (信访) left out unless he reported the case: one subquery, no
        extra round trip."""
        restricted = CaseKind.objects.exclude(view_capability="").exclude(
            view_capability__in=user.capabilities()
        )
        return self.filter(~Q(kind_id__in=restricted.values("pk")) | Q(reporter_user=user))

    def open(self):
        from .choices import OPEN_STATES

        return self.filter(status__in=OPEN_STATES)


class Case(BaseModel):
    """One problem in the closed loop (诉求/案件), from registration to closing, whatever its kind and channel.

    A domain that finds a problem (a failed sample, an alarm, a store finding) opens a case through
    `cases.actions.do_register` with `source=` its own row, and follows it here rather than keeping a state machine
    of its own. `status` moves only through cases.actions (workflow.py says which moves are legal); every move leaves
    a CaseEvent. Who sees a case is the node it happened at, the units handling it and their people (`visible_to`).
    """

    number = models.CharField(_("编号"), max_length=32, unique=True)
    kind = models.ForeignKey(CaseKind, on_delete=models.PROTECT, related_name="cases", verbose_name=_("类型"))
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("分类")
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("诉求内容"), max_length=4000)
    urgency = models.CharField(_("紧急程度"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REGISTERED)

    # where
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="cases", verbose_name=_("发生地点")
    )
    grid = models.ForeignKey(
        "org.Grid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("网格"),
    )
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    address = models.CharField(_("详细位置"), max_length=200, blank=True)

    # who reported
    reporter_name = models.CharField(_("反映人"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
        verbose_name=_("反映人账号"),
    )
    anonymous = models.BooleanField(_("匿名"), default=False)

    # who answers
    first_receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="first_received_cases",
        verbose_name=_("首问责任人"),
    )
    lead_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_cases",
        verbose_name=_("主办单位"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_cases",
        verbose_name=_("承办人"),
    )
    co_units = models.ManyToManyField(Unit, blank=True, related_name="co_cases", verbose_name=_("协办单位"))
    is_key = models.BooleanField(_("重点/疑难（包案）"), default=False)
    key_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_cases",
        verbose_name=_("包案领导"),
    )
    key_plan = models.TextField(_("包案方案"), blank=True)
    is_supervised = models.BooleanField(_("督办中"), default=False)

    # the clock
    reported_at = models.DateTimeField(_("登记时间"), db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("办结反馈时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    accept_due = models.DateTimeField(_("受理时限"), null=True, blank=True)
    sign_due = models.DateTimeField(_("签收时限"), null=True, blank=True)
    finish_due = models.DateTimeField(_("办结时限"), null=True, blank=True, db_index=True)
    finish_warn_at = models.DateTimeField(_("临期提醒时间"), null=True, blank=True)
    warned_at = models.DateTimeField(_("已临期提醒"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("超期时间"), null=True, blank=True)
    resolved_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)

    # counters for the efficiency metrics
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    redo_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("重新打开次数"), default=0)
    followup_attempts = models.PositiveSmallIntegerField(_("回访次数"), default=0)

    # the outcome
    satisfaction = models.CharField(
        _("满意度"), max_length=12, choices=Satisfaction.choices, blank=True, db_index=True
    )
    resolved_by_feedback = models.BooleanField(_("回访已解决"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_cases",
        verbose_name=_("并入案件"),
    )

    # where it came from: a meeting, a visit, a sample, an alarm …
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("来源类型")
    )
    source_id = models.CharField(_("来源记录"), max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    search_key = models.CharField(max_length=500, blank=True, editable=False)

    scope_path = "node__path"
    pii_fields = ("reporter_phone",)
    objects = models.Manager.from_queryset(CaseQuerySet)()

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["status", "finish_due"], name="case_status_due"),
            models.Index(fields=["node", "reported_at"], name="case_node_reported"),
            models.Index(fields=["lead_unit", "status"], name="case_unit_status"),
            models.Index(fields=["handler", "status"], name="case_handler_status"),
            models.Index(fields=["source_type", "source_id"], name="case_source"),
            # A community's open cases by state (the 待办 list and its badge; decision 0066).
            models.Index(fields=["node", "status"], name="case_node_status"),
            # the leaders' view (bench/insights.py): the few supervised cases, and open cases on the map by due
            # date, without scanning the ledger (docs/benchmarks.md, the insights section)
            models.Index(fields=["finish_due"], condition=Q(is_supervised=True), name="case_supervised"),
            models.Index(
                fields=["finish_due"],
                condition=Q(lat__isnull=False, lng__isnull=False, status__in=sorted(OPEN_STATES)),
                name="case_open_located",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CaseEvent(models.Model):
    """One step in a case's life: who did what, from which state to which, with a note and attachments."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("案件"))
    created_at = models.DateTimeField(_("时间"), db_index=True)
    verb = models.CharField(_("动作"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人"), max_length=100, blank=True)
    from_status = models.CharField(_("原状态"), max_length=12, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, blank=True)
    note = models.TextField(_("说明"), blank=True)
    extra = models.JSONField(_("附加信息"), default=dict, blank=True)
    public = models.BooleanField(_("对反映人可见"), default=True)

    class Meta:
        verbose_name = _("案件动态")
        verbose_name_plural = _("案件动态")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="caseevent_case_time")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.verb}"


def attachment_path(instance, filename: str) -> str:
    return f"cases/{instance.case_id}/{filename}"


class CaseAttachment(BaseModel):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("案件")
    )
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ApprovalRequest(BaseModel):
    """延期 or 挂账, asked by the handler and decided by a leader; at most one pending of each kind per case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests", verbose_name=_("案件"))
    kind = models.CharField(_("类型"), max_length=12, choices=RequestKind.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    days = models.PositiveSmallIntegerField(_("申请天数（工作日）"), null=True, blank=True)
    reason = models.TextField(_("理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("审批申请")
        verbose_name_plural = _("审批申请")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(status="pending"), name="one_pending_request_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()} {self.get_status_display()}"


class FollowUp(BaseModel):
    """回访: one attempt to reach the reporter; reachable attempts carry the verdict."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followups", verbose_name=_("案件"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("回访人"),
    )
    by_reporter = models.BooleanField(_("反映人自评"), default=False)
    reachable = models.BooleanField(_("联系上"), default=True)
    resolved = models.BooleanField(_("问题已解决"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    comment = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_satisfaction_display() or '—'}"


class Supervision(BaseModel):
    """督办 (a leader supervises with a comment) or 催办 (a reminder)."""

    class Kind(models.TextChoices):
        SUPERVISE = "supervise", _("督办")
        REMIND = "remind", _("催办")
        ESCALATE = "escalate", _("超期升级")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("案件")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisions",
        verbose_name=_("督办人"),
    )
    comment = models.TextField(_("督办意见"), blank=True)

    class Meta:
        verbose_name = _("督办催办")
        verbose_name_plural = _("督办催办")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"
