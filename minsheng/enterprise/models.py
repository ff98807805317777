"""Enterprise services: the registry, the investment pipeline, the problem ledger, 一企一策, events and policies.

An enterprise belongs to the org node (社区/村) it sits in, so the registry is scoped like every other one. A
project keeps one record from the first lead to operation; its stage changes only through actions, each writing a
ProjectEvent. A ledger item (Problem) is an enterprise's problem handled as a case of kind 企业诉求 on the
appeals engine; this app keeps only what the engine does not: which enterprise, which visit, and the
enterprise's own confirmation that closes (销号) the item.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap
from minsheng.core.badges import BadgeOf
from minsheng.core.models import BaseModel
from minsheng.core.pinyin import pinyin_key
from minsheng.core.scoping import ScopedQuerySet

from .choices import (
    PLAN_COLOURS,
    STAGE_COLOURS,
    ConfirmedBy,
    DeliveryMethod,
    EventKind,
    Milestone,
    NeedKind,
    PlanStatus,
    PolicyMode,
    RaisedVia,
    SigningKind,
    SizeClass,
    Stage,
)

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 12, "decimal_places": 2}


class EnterpriseQuerySet(ScopedQuerySet):
    def visible_to(self, user, capability: str = Cap.ENTERPRISE_VIEW):
        return super().visible_to(user, capability)


class Scoped(BaseModel):
    objects = models.Manager.from_queryset(EnterpriseQuerySet)()

    class Meta:
        abstract = True


# -- the registry -----------------------------------------------------------------------------------------------


class Industry(models.Model):
    """国民经济行业分类 GB/T 4754-2017 门类 (sections A–T), loaded as data."""

    code = models.CharField(_("门类代码"), max_length=2, unique=True)
    name = models.CharField(_("门类名称"), max_length=40)

    class Meta:
        verbose_name = _("行业门类")
        verbose_name_plural = _("行业门类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EnterpriseTag(BaseModel):
    """龙头企业, 规上, 小微, 新落地 … — the labels policies are matched by."""

    name = models.CharField(_("标签"), max_length=20, unique=True)
    color = models.CharField(_("颜色"), max_length=10, default="blue")
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Enterprise(Scoped):
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=100)
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("行业门类")
    )
    size = models.CharField(_("企业规模"), max_length=10, choices=SizeClass.choices)
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("所在社区/村")
    )
    grid = models.ForeignKey(
        "org.Grid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        verbose_name=_("网格"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    legal_rep = models.CharField(_("法定代表人"), max_length=50, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)
    tags = models.ManyToManyField(
        EnterpriseTag, blank=True, related_name="enterprises", verbose_name=_("标签")
    )
    cadre = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cared_enterprises",
        verbose_name=_("包靠干部"),
    )
    note = models.TextField(_("备注"), blank=True)
    search_key = models.CharField(max_length=300, blank=True, editable=False)

    scope_path = "node__path"

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = f"{self.name} {pinyin_key(self.name)}"[:300]
        super().save(*args, **kwargs)


class Contact(Scoped):
    """A person at the enterprise. A contact with `h5_enabled` may sign in to the enterprise H5 by an SMS code."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("企业")
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, db_index=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)
    h5_enabled = models.BooleanField(_("可登录企业服务页"), default=True)

    scope_path = "enterprise__node__path"
    pii_fields = ("phone",)

    class Meta:
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")
        ordering = ["-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "phone"], name="enterprise_contact_phone_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.name}"


# -- the investment pipeline -----------------------------------------------------------------------------------


class StageLimit(BaseModel):
    """How long a project may stay in a stage, in working days; yellow from `warn_percent`, red and 督办 after."""

    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    warn_percent = models.PositiveSmallIntegerField(_("临期提醒（%）"), default=80)
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("阶段时限")
        verbose_name_plural = _("阶段时限")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.working_days}"


class Project(Scoped):
    number = models.CharField(_("项目编号"), max_length=20, unique=True)
    name = models.CharField(_("项目名称"), max_length=100)
    investor = models.CharField(_("投资方"), max_length=100)
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        verbose_name=_("落地企业"),
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="projects", verbose_name=_("行业门类")
    )
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="investment_projects", verbose_name=_("拟落地区域")
    )
    description = models.TextField(_("项目简介"), blank=True)
    planned_amount = models.DecimalField(_("计划投资（万元）"), **MONEY)
    signed_amount = models.DecimalField(_("签约额（万元，按甄别规则计）"), default=0, **MONEY)
    funds_in_place = models.DecimalField(_("到位资金（万元）"), default=0, **MONEY)
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices, default=Stage.LEAD)
    submitted_at = models.DateTimeField(_("线索提交时间"), db_index=True)
    stage_entered_at = models.DateTimeField(_("进入本阶段时间"))
    stage_due = models.DateTimeField(_("本阶段时限"), null=True, blank=True)
    stage_warn_at = models.DateTimeField(_("临期时间"), null=True, blank=True)
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="owned_projects", verbose_name=_("本阶段负责人")
    )
    submitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="submitted_projects", verbose_name=_("线索提供人")
    )
    source_note = models.CharField(_("线索来源"), max_length=200, blank=True)
    lost_reason = models.CharField(_("流失原因"), max_length=200, blank=True)
    lost_from = models.CharField(_("流失前阶段"), max_length=12, choices=Stage.choices, blank=True)
    first_signed_on = models.DateField(_("首次签约日期"), null=True, blank=True)
    approved_on = models.DateField(_("立项日期"), null=True, blank=True)
    land_on = models.DateField(_("供地日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    production_on = models.DateField(_("投产日期"), null=True, blank=True)
    operating_on = models.DateField(_("运营日期"), null=True, blank=True)
    is_supervised = models.BooleanField(_("督办中"), default=False)
    supervised_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    trips = models.ManyToManyField("Trip", blank=True, related_name="projects", verbose_name=_("赴外招商"))

    scope_path = "node__path"

    stage_badge = BadgeOf("stage", STAGE_COLOURS)

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["stage", "stage_due"], name="project_stage_due")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def milestone_date(self, milestone: str):
        return getattr(
            self, {"approved": "approved_on", "land": "land_on", "started": "started_on"}[milestone]
        )


class ProjectEvent(models.Model):
    """One step in a project's life: who moved it, from which stage to which, with a note."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="events", verbose_name=_("项目")
    )
    created_at = models.DateTimeField(_("时间"), db_index=True)
    verb = models.CharField(_("动作"), max_length=24)
    actor = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("操作人")
    )
    from_stage = models.CharField(_("原阶段"), max_length=12, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=12, blank=True)
    #: Working days spent in `from_stage`, on events that leave a stage (the 阶段停留 figure averages them).
    days_in_stage = models.PositiveIntegerField(_("阶段停留（工作日）"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    extra = models.JSONField(_("附加信息"), default=dict, blank=True)

    class Meta:
        verbose_name = _("项目动态")
        verbose_name_plural = _("项目动态")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.verb}"


class Signing(BaseModel):
    """A signing event. `counted` is what it adds to 签约额 under the counting rules, fixed when recorded."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="signings", verbose_name=_("项目")
    )
    kind = models.CharField(_("签约类型"), max_length=16, choices=SigningKind.choices)
    signed_on = models.DateField(_("签约日期"))
    amount = models.DecimalField(_("合同金额（万元）"), **MONEY)
    counted = models.DecimalField(_("计入签约额（万元）"), **MONEY)
    investor = models.CharField(_("投资方"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("记录人")
    )

    class Meta:
        verbose_name = _("签约记录")
        verbose_name_plural = _("签约记录")
        ordering = ["signed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_kind_display()} {self.amount}"


class FundsRecord(BaseModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="funds", verbose_name=_("项目")
    )
    on = models.DateField(_("到位日期"))
    amount = models.DecimalField(_("到位金额（万元）"), **MONEY)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("记录人")
    )

    class Meta:
        verbose_name = _("资金到位")
        verbose_name_plural = _("资金到位")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.amount}"


class MilestoneRecord(BaseModel):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("项目")
    )
    milestone = models.CharField(_("节点"), max_length=10, choices=Milestone.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("落地节点")
        verbose_name_plural = _("落地节点")
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "milestone"], name="project_milestone_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_milestone_display()}"


class Trip(Scoped):
    """赴外招商: who went where, when, whom they met, and which leads came of it."""

    destination = models.CharField(_("目的地"), max_length=100)
    start = models.DateField(_("出发日期"))
    end = models.DateField(_("返回日期"))
    leader = models.CharField(_("带队领导"), max_length=50, blank=True)
    members = models.ManyToManyField(
        USER, blank=True, related_name="investment_trips", verbose_name=_("成员")
    )
    visited = models.TextField(_("拜访企业/机构"), blank=True)
    outcome = models.TextField(_("成果"), blank=True)
    by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("记录人")
    )

    scope_path = ""

    class Meta:
        verbose_name = _("赴外招商")
        verbose_name_plural = _("赴外招商")
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} {self.destination}"


# -- the problem ledger -----------------------------------------------------------------------------------------


class Visit(Scoped):
    """组团式服务: a team from several departments visits (or holds an on-site office at) an enterprise."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="visits", verbose_name=_("企业")
    )
    visited_on = models.DateField(_("走访日期"))
    units = models.ManyToManyField(
        "cases.Unit", blank=True, related_name="enterprise_visits", verbose_name=_("参与部门")
    )
    members = models.ManyToManyField(
        USER, blank=True, related_name="enterprise_visits", verbose_name=_("走访人员")
    )
    on_site_office = models.BooleanField(_("现场办公"), default=False)
    findings = models.TextField(_("走访情况"))
    by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("记录人")
    )

    scope_path = "enterprise__node__path"

    class Meta:
        verbose_name = _("组团式服务走访")
        verbose_name_plural = _("组团式服务走访")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.enterprise}"


def evidence_path(instance, filename: str) -> str:
    return f"enterprise/problems/{instance.pk or 'new'}/{filename}"


class Problem(Scoped):
    """An item of the enterprise problem ledger: one case of kind 企业诉求, closed (销号) by the enterprise."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="problems", verbose_name=_("企业")
    )
    #: Set in the same transaction that creates the item (the case needs the item as its source first).
    case = models.OneToOneField(
        "cases.Case",
        null=True,
        on_delete=models.PROTECT,
        related_name="enterprise_problem",
        verbose_name=_("案件"),
    )
    visit = models.ForeignKey(
        Visit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        verbose_name=_("走访"),
    )
    event = models.ForeignKey(
        "EnterpriseEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
        verbose_name=_("活动"),
    )
    raised_via = models.CharField(_("来源"), max_length=10, choices=RaisedVia.choices)
    raised_by_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("提出人")
    )
    raised_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("登记人")
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True, db_index=True)
    confirmed_by = models.CharField(_("确认方式"), max_length=10, choices=ConfirmedBy.choices, blank=True)
    confirmed_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("确认人")
    )
    confirmed_user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("记录人")
    )
    confirmation_note = models.TextField(_("确认意见"), blank=True)
    evidence = models.FileField(_("确认凭证"), upload_to=evidence_path, blank=True)

    scope_path = "enterprise__node__path"

    class Meta:
        verbose_name = _("企业问题")
        verbose_name_plural = _("企业问题台账")
        ordering = ["-pk"]

    def __str__(self) -> str:
        if self.case_id is None:
            return f"{self.enterprise} #{self.pk}"
        return f"{self.case.number} {self.case.title}"

    @property
    def short_title(self) -> str:
        """The case title without the enterprise's name in front (shown where the enterprise is already said)."""
        return self.case.title.removeprefix(f"{self.enterprise.name}：")


# -- 一企一策 ----------------------------------------------------------------------------------------------------


class Plan(Scoped):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="plans", verbose_name=_("企业")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    summary = models.TextField(_("企业现状"))
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    drafted_by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("制定人")
    )
    reviewed_at = models.DateTimeField(_("审议时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("审议记录人")
    )
    review_opinion = models.TextField(_("小微企业工作委员会意见"), blank=True)

    scope_path = "enterprise__node__path"

    status_badge = BadgeOf("status", PLAN_COLOURS)

    class Meta:
        verbose_name = _("一企一策")
        verbose_name_plural = _("一企一策")
        ordering = ["-year", "-pk"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="one_plan_a_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class PlanNeed(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="needs", verbose_name=_("方案"))
    kind = models.CharField(_("需求类型"), max_length=14, choices=NeedKind.choices)
    description = models.TextField(_("需求描述"))

    class Meta:
        verbose_name = _("企业需求")
        verbose_name_plural = _("企业需求")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class PlanAction(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("方案"))
    need = models.ForeignKey(
        PlanNeed,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("对应需求"),
    )
    title = models.CharField(_("措施"), max_length=200)
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="plan_actions", verbose_name=_("责任人")
    )
    due = models.DateField(_("完成时限"))
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    progress_note = models.TextField(_("进展"), blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title


# -- events and policies ----------------------------------------------------------------------------------------


class Bank(BaseModel):
    name = models.CharField(_("金融机构"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("金融机构")
        verbose_name_plural = _("金融机构")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class EnterpriseEvent(Scoped):
    """A training, a 政银企对接 or a 送政策进企业 session with the enterprises (and banks) that took part.

    `activity` names the activities engine's event that carries registration and check-in, when there is one;
    this record keeps what only enterprise services needs (which enterprises, the banks' outcomes).
    """

    kind = models.CharField(_("类型"), max_length=12, choices=EventKind.choices)
    title = models.CharField(_("主题"), max_length=100)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="enterprise_events", verbose_name=_("举办单位")
    )
    summary = models.TextField(_("内容"), blank=True)
    enterprises = models.ManyToManyField(
        Enterprise, blank=True, related_name="events", verbose_name=_("参加企业")
    )
    banks = models.ManyToManyField(Bank, blank=True, related_name="events", verbose_name=_("参加金融机构"))
    policies = models.ManyToManyField("Policy", blank=True, related_name="events", verbose_name=_("宣讲政策"))
    activity_id = models.PositiveBigIntegerField(_("活动编号"), null=True, blank=True)
    by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("记录人")
    )

    scope_path = "node__path"

    class Meta:
        verbose_name = _("企业服务活动")
        verbose_name_plural = _("企业服务活动")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class MatchOutcome(BaseModel):
    """One enterprise–bank pair at a 政银企对接: 意向, 授信 and 放款 kept apart, never added together."""

    event = models.ForeignKey(
        EnterpriseEvent, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("活动")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="match_outcomes", verbose_name=_("企业")
    )
    bank = models.ForeignKey(
        Bank, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("金融机构")
    )
    intent_amount = models.DecimalField(_("意向金额（万元）"), default=0, **MONEY)
    credit_amount = models.DecimalField(_("授信金额（万元）"), default=0, **MONEY)
    loan_amount = models.DecimalField(_("放款金额（万元）"), default=0, **MONEY)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("对接成果")
        verbose_name_plural = _("对接成果")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "enterprise", "bank"], name="one_outcome_per_pair"),
            models.CheckConstraint(
                condition=Q(intent_amount__gte=0) & Q(credit_amount__gte=0) & Q(loan_amount__gte=0),
                name="outcome_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} × {self.bank}"


class Policy(Scoped):
    title = models.CharField(_("政策名称"), max_length=150)
    issuer = models.CharField(_("发文机关"), max_length=100)
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("发布日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    mode = models.CharField(
        _("兑现方式"), max_length=10, choices=PolicyMode.choices, default=PolicyMode.APPLY
    )
    summary = models.TextField(_("要点"))
    tags = models.ManyToManyField(
        EnterpriseTag, blank=True, related_name="policies", verbose_name=_("适用标签")
    )
    industries = models.ManyToManyField(
        Industry, blank=True, related_name="policies", verbose_name=_("适用行业")
    )
    sizes = models.JSONField(_("适用规模"), default=list, blank=True)

    scope_path = ""

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策库")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class PolicyDelivery(Scoped):
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("政策")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="policy_deliveries", verbose_name=_("企业")
    )
    delivered_on = models.DateField(_("送达日期"))
    method = models.CharField(_("方式"), max_length=10, choices=DeliveryMethod.choices)
    event = models.ForeignKey(
        EnterpriseEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        verbose_name=_("活动"),
    )
    note = models.CharField(_("反馈"), max_length=200, blank=True)
    by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("送达人")
    )

    scope_path = "enterprise__node__path"

    class Meta:
        verbose_name = _("政策送达")
        verbose_name_plural = _("政策送达")
        ordering = ["-delivered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise"], name="one_delivery_per_policy")
        ]

    def __str__(self) -> str:
        return f"{self.policy} → {self.enterprise}"
