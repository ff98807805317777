"""The centre's records. A dispute and a petition are cases in the appeals engine (their handling, deadlines, 督办
and 包案 live there); the rows here hold what the engine does not know: parties, mediators, sessions, agreements,
the statutory clocks, petition stages, referrals, visits at the window and the weekly screening.

Every row belongs to an org node (the place of the matter, or the visitor's address) and is read through
`visible_to(user, capability)`; petition rows need a 信访 capability.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.choices import Cap
from minsheng.core.badges import BadgeOf
from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedQuerySet

from .choices import (
    ITEM_SOURCE_COLOURS,
    OBJECTION_COLOURS,
    OUTCOME_COLOURS,
    REFERRAL_COLOURS,
    RISK_COLOURS,
    Acceptance,
    BookingStatus,
    Clock,
    Direction,
    DisputeSource,
    DisputeType,
    ItemSource,
    NotSuccessful,
    ObjectionDecision,
    Outcome,
    Partner,
    PartyRole,
    Performance,
    PetitionForm,
    PetitionKind,
    PetitionStage,
    ReferralStatus,
    RiskGrade,
    Route,
)

USER = settings.AUTH_USER_MODEL


class CentreQuerySet(ScopedQuerySet):
    def visible_to(self, user, capability: str = Cap.MEDIATION_VIEW):
        return super().visible_to(user, capability)


class PetitionQuerySet(ScopedQuerySet):
    def visible_to(self, user, capability: str = Cap.PETITION_VIEW):
        """Petitions need a 信访 capability at the place; without one a role sees none, whatever else it holds."""
        if capability.split(".", 1)[0] != "petition" and not getattr(user, "is_superuser", False):
            return self.none()
        return super().visible_to(user, capability)


CentreManager = models.Manager.from_queryset(CentreQuerySet)
PetitionManager = models.Manager.from_queryset(PetitionQuerySet)


class Visit(BaseModel):
    """来访登记 at the window. The receiver is the 首问 (first-asked) and owns intake to the reply; whether this is a
    初信初访 or a repeat is computed at registration from earlier visits, petitions and cases."""

    visited_at = models.DateTimeField(_("来访时间"), db_index=True)
    resident = models.ForeignKey(
        "org.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("居民"),
    )
    name = models.CharField(_("来访人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True, db_index=True)
    node = models.ForeignKey("org.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("住址"))
    visitors = models.PositiveSmallIntegerField(_("来访人数"), default=1)
    matter = models.TextField(_("反映事项"), max_length=2000)
    matter_words = models.CharField(max_length=500, blank=True, editable=False)
    receiver = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("首问接待人")
    )
    route = models.CharField(_("分流去向"), max_length=12, choices=Route.choices, blank=True)
    routed_at = models.DateTimeField(_("分流时间"), null=True, blank=True)
    answer = models.TextField(_("当场答复"), blank=True)
    is_first = models.BooleanField(_("初信初访"), default=True)
    repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
        verbose_name=_("重复于"),
    )
    related_case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("此前相同事项案件"),
    )
    similarity = models.PositiveSmallIntegerField(_("事项相似度"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("分流案件"),
    )

    scope_path = "node__path"
    pii_fields = ("phone", "id_number")
    objects = CentreManager()

    class Meta:
        verbose_name = _("来访登记")
        verbose_name_plural = _("来访登记")
        ordering = ["-visited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.visited_at:%Y-%m-%d}"


class Dispute(BaseModel):
    """One 矛盾纠纷 under 人民调解; `case` is its case in the engine (kind 矛盾纠纷)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("案件")
    )
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("纠纷发生地")
    )
    visit = models.ForeignKey(
        Visit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disputes",
        verbose_name=_("来访登记"),
    )
    type = models.CharField(_("纠纷类型"), max_length=20, choices=DisputeType.choices)
    source = models.CharField(_("案件来源"), max_length=12, choices=DisputeSource.choices)
    facts = models.TextField(_("纠纷简要情况"), max_length=4000)
    people = models.PositiveSmallIntegerField(_("涉及人数"), default=2)
    amount = models.DecimalField(_("争议金额（元）"), max_digits=12, decimal_places=2, default=0)
    risk = models.CharField(_("风险等级"), max_length=8, choices=RiskGrade.choices, default=RiskGrade.LOW)
    risk_badge = BadgeOf("risk", RISK_COLOURS)
    risk_reasons = models.JSONField(_("风险依据"), default=list, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), db_index=True)
    mediation_due = models.DateTimeField(_("调解期限"), null=True, blank=True)

    outcome = models.CharField(_("调解结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_badge = BadgeOf("outcome", OUTCOME_COLOURS)
    ended_at = models.DateTimeField(_("调解终结时间"), null=True, blank=True, db_index=True)
    end_note = models.TextField(_("终结说明"), blank=True)
    routes_told = models.JSONField(_("告知的其他途径"), default=list, blank=True)

    # 第29条: the written agreement
    number = models.CharField(_("协议书编号"), max_length=40, blank=True, db_index=True)
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    disputed_points = models.TextField(_("争议事项与各方责任"), blank=True)
    agreed_terms = models.TextField(_("协议内容"), blank=True)
    performance_method = models.CharField(_("履行方式"), max_length=200, blank=True)
    performance_by = models.DateField(_("履行期限"), null=True, blank=True)
    agreement_amount = models.DecimalField(
        _("协议涉及金额（元）"), max_digits=12, decimal_places=2, default=0
    )
    signed_scan = models.FileField(_("签字盖章扫描件"), upload_to="mediation/agreements/", blank=True)
    oral_record = models.TextField(_("口头协议内容记录"), blank=True)
    judicial_due = models.DateTimeField(_("司法确认申请截止"), null=True, blank=True)
    judicial_applied_on = models.DateField(_("申请司法确认日期"), null=True, blank=True)
    performance_due = models.DateTimeField(_("履行回访时限"), null=True, blank=True)
    performance = models.CharField(_("履行情况"), max_length=10, choices=Performance.choices, blank=True)
    satisfaction = models.CharField(_("回访满意度"), max_length=12, blank=True)
    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)

    scope_path = "node__path"
    objects = CentreManager()

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["-accepted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="dispute_unique_number")
        ]

    def __str__(self) -> str:
        return self.case.title if self.case_id else str(self.pk)

    @property
    def is_success(self) -> bool:
        return self.outcome in (Outcome.WRITTEN, Outcome.ORAL)


class Party(BaseModel):
    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="parties", verbose_name=_("纠纷")
    )
    role = models.CharField(_("当事人类别"), max_length=12, choices=PartyRole.choices)
    resident = models.ForeignKey(
        "org.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("居民"),
    )
    name = models.CharField(_("姓名/名称"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    refused = models.BooleanField(_("拒绝调解"), default=False)
    consented = models.BooleanField(_("同意协议"), default=False)

    pii_fields = ("phone", "id_number", "address")

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["role", "pk"]

    def __str__(self) -> str:
        return self.name


class Mediator(BaseModel):
    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="mediators", verbose_name=_("纠纷")
    )
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("调解员"))
    is_lead = models.BooleanField(_("主调解员"), default=False)
    active = models.BooleanField(_("在任"), default=True)
    assigned_at = models.DateTimeField(_("指派时间"))
    removed_at = models.DateTimeField(_("撤换时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("调解员")
        verbose_name_plural = _("调解员")
        ordering = ["-is_lead", "pk"]

    def __str__(self) -> str:
        return str(self.user)


class Objection(BaseModel):
    """回避: a party objects to a mediator; the decision and its reason are kept."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="objections")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+", verbose_name=_("提出人"))
    mediator = models.ForeignKey(
        Mediator, on_delete=models.CASCADE, related_name="+", verbose_name=_("调解员")
    )
    reason = models.TextField(_("申请回避理由"))
    raised_at = models.DateTimeField(_("提出时间"))
    decision = models.CharField(
        _("决定"), max_length=10, choices=ObjectionDecision.choices, default=ObjectionDecision.PENDING
    )
    decision_badge = BadgeOf("decision", OBJECTION_COLOURS)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("回避申请")
        verbose_name_plural = _("回避申请")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.party} → {self.mediator}"


class Session(BaseModel):
    """调解记录 (第27条)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("调解时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    attendees = models.CharField(_("参加人员"), max_length=300)
    record = models.TextField(_("调解记录"), max_length=8000)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人")
    )

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class AgreementCounter(models.Model):
    """Per-year counter for 人调字第N号, incremented under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Petition(BaseModel):
    """A 信访事项 at one stage: the original handling, or a 复查 / 复核 linked to the stage before."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("案件")
    )
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("事项发生地")
    )
    visit = models.ForeignKey(
        Visit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
        verbose_name=_("来访登记"),
    )
    stage = models.CharField(
        _("阶段"), max_length=10, choices=PetitionStage.choices, default=PetitionStage.ORIGINAL
    )
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_stage",
        verbose_name=_("上一阶段"),
    )
    form = models.CharField(_("信访形式"), max_length=8, choices=PetitionForm.choices)
    kind = models.CharField(
        _("信访类别"), max_length=12, choices=PetitionKind.choices, default=PetitionKind.CLAIM
    )
    petitioner = models.CharField(_("信访人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True, db_index=True)
    resident = models.ForeignKey(
        "org.Resident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("居民"),
    )
    people = models.PositiveSmallIntegerField(_("人数"), default=1)
    matter = models.TextField(_("信访事项"), max_length=4000)
    matter_words = models.CharField(max_length=500, blank=True, editable=False)
    is_first = models.BooleanField(_("初信初访"), default=True)
    related_case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("此前相同事项案件"),
    )
    repeats_final = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("与已终结事项相同"),
    )

    registered_at = models.DateTimeField(_("登记时间"), db_index=True)
    notice_due = models.DateTimeField(_("告知期限"))
    acceptance = models.CharField(
        _("受理情况"), max_length=12, choices=Acceptance.choices, default=Acceptance.PENDING
    )
    notice_text = models.TextField(_("告知内容"), blank=True)
    noticed_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    handle_due = models.DateTimeField(_("办理期限"), null=True, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    extension_reason = models.TextField(_("延期理由（已告知信访人）"), blank=True)
    extension_approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("延期批准人")
    )
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply_number = models.CharField(_("答复意见书编号"), max_length=40, blank=True)
    reply_text = models.TextField(_("答复意见"), blank=True)
    request_due = models.DateTimeField(_("复查/复核申请截止"), null=True, blank=True)
    final = models.BooleanField(_("终结"), default=False)

    scope_path = "node__path"
    pii_fields = ("phone", "id_number")
    objects = PetitionManager()

    class Meta:
        verbose_name = _("信访事项")
        verbose_name_plural = _("信访事项")
        ordering = ["-registered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.petitioner}"

    def root(self) -> "Petition":
        p = self
        while p.previous_id:
            p = p.previous
        return p


class ReceptionDay(BaseModel):
    """领导公开接访: a leader receives the public on a day; residents are booked onto it."""

    leader = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("接访领导"))
    node = models.ForeignKey("org.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属"))
    date = models.DateField(_("接访日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=100)
    topic = models.CharField(_("接访主题"), max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField(_("可预约人数"), default=10)

    scope_path = "node__path"
    objects = CentreManager()

    class Meta:
        verbose_name = _("领导公开接访")
        verbose_name_plural = _("领导公开接访")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.leader}"


class Booking(BaseModel):
    day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="bookings")
    resident = models.ForeignKey(
        "org.Resident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("预约人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    matter = models.CharField(_("反映事项"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    booked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    pii_fields = ("phone",)

    class Meta:
        verbose_name = _("接访预约")
        verbose_name_plural = _("接访预约")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Referral(BaseModel):
    """诉调·警调·访调对接: a matter handed to (or received from) 法院/公安/司法所/a department, on the case's timeline."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("案件"))
    node = models.ForeignKey("org.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属"))
    direction = models.CharField(_("方向"), max_length=4, choices=Direction.choices)
    partner = models.CharField(_("对接单位类别"), max_length=12, choices=Partner.choices)
    partner_name = models.CharField(_("对接单位"), max_length=100)
    reason = models.TextField(_("移交事由"))
    consent = models.BooleanField(_("当事人同意移交"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    status_badge = BadgeOf("status", REFERRAL_COLOURS)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("发送人"))
    sent_at = models.DateTimeField(_("发送时间"), db_index=True)
    decided_at = models.DateTimeField(_("接收/拒收时间"), null=True, blank=True)
    reject_reason = models.TextField(_("拒收理由"), blank=True)
    revoke_reason = models.TextField(_("撤回理由"), blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    successful = models.BooleanField(_("成功"), null=True, blank=True)
    not_successful_reason = models.CharField(
        _("未成功原因"), max_length=12, choices=NotSuccessful.choices, blank=True
    )
    outcome_note = models.TextField(_("办理结果"), blank=True)

    scope_path = "node__path"
    objects = CentreManager()

    class Meta:
        verbose_name = _("对接移交")
        verbose_name_plural = _("对接移交")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.partner_name}"


class WeeklyReport(BaseModel):
    """一周一排查、一周一上报: one per community or village per week (Monday), possibly an explicit zero report."""

    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区/村")
    )
    week = models.DateField(_("周（周一）"), db_index=True)
    is_zero = models.BooleanField(_("零报告"), default=False)
    note = models.TextField(_("说明"), blank=True)
    submitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("上报人")
    )
    submitted_at = models.DateTimeField(_("上报时间"))

    scope_path = "node__path"
    objects = CentreManager()

    class Meta:
        verbose_name = _("每周排查上报")
        verbose_name_plural = _("每周排查上报")
        ordering = ["-week", "node__path"]
        constraints = [models.UniqueConstraint(fields=["node", "week"], name="weekly_report_once_per_week")]

    def __str__(self) -> str:
        return f"{self.node} {self.week}"


class ScreeningItem(BaseModel):
    """A dispute found in screening (or proposed by the early warning), until it is taken up or dismissed."""

    report = models.ForeignKey(
        WeeklyReport, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    node = models.ForeignKey("org.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("地点"))
    week = models.DateField(_("周（周一）"), db_index=True)
    source = models.CharField(
        _("来源"), max_length=16, choices=ItemSource.choices, default=ItemSource.SCREENING
    )
    source_badge = BadgeOf("source", ITEM_SOURCE_COLOURS)
    type = models.CharField(_("纠纷类型"), max_length=20, choices=DisputeType.choices)
    risk = models.CharField(_("风险等级"), max_length=8, choices=RiskGrade.choices, default=RiskGrade.LOW)
    risk_badge = BadgeOf("risk", RISK_COLOURS)
    summary = models.CharField(_("简要情况"), max_length=300)
    people = models.PositiveSmallIntegerField(_("涉及人数"), default=2)
    resident = models.ForeignKey(
        "org.Resident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    dispute = models.ForeignKey(
        Dispute, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("转调解")
    )
    resolved_on_site = models.BooleanField(_("已就地化解"), default=False)

    scope_path = "node__path"
    objects = CentreManager()

    class Meta:
        verbose_name = _("排查事项")
        verbose_name_plural = _("排查事项")
        ordering = ["-week", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_key", "week"],
                condition=Q(source="early_warning"),
                name="early_warning_once_per_week",
            )
        ]

    def __str__(self) -> str:
        return self.summary


class Reminder(models.Model):
    """One reminder sent for one clock of one record at one due time: the periodic job's idempotence."""

    clock = models.CharField(max_length=20, choices=Clock.choices)
    object_id = models.PositiveIntegerField()
    due = models.DateTimeField()
    overdue = models.BooleanField(default=False)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clock", "object_id", "due", "overdue"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.clock} {self.object_id} {self.due}"
