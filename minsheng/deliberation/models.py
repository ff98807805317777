"""Deliberation and outreach: meetings (马扎议事会, 四方联席会议, 周一议事日, 阳光开放日 …), their series, agenda,
attendance, items and votes; visit campaigns (连心大走访), 联户交心 contacts and 红色管家 teams.

An item raised at a meeting or on a visit that is a problem is a case of the engine (`Item.case`): its handling,
deadline and 回访 live there, and this app only keeps the link and reads the case's state back.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minsheng.cases.choices import Channel
from minsheng.core.models import BaseModel
from minsheng.core.scoping import ScopedManager

from .choices import (
    ContactMethod,
    Frequency,
    HolidayPolicy,
    ItemKind,
    MeetingStatus,
    ParticipantRole,
    SignInMethod,
    TargetStatus,
    TopicSource,
    VisitOutcome,
    VoteMatter,
    VoteResult,
)


def new_token() -> str:
    return secrets.token_urlsafe(12)


class MeetingKind(BaseModel):
    """马扎议事会, 四方联席会议, 周一议事日 … — data: a new local form of meeting is a row, not a release."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    channel = models.CharField(
        _("诉求来源渠道"),
        max_length=16,
        choices=Channel.choices,
        help_text=_("会上提出的问题立案时记入的来源渠道"),
    )
    default_roles = models.JSONField(_("默认应到角色"), default=list, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    scope_path = ""
    objects = ScopedManager()

    class Meta:
        verbose_name = _("会议类型")
        verbose_name_plural = _("会议类型")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class MeetingSeries(BaseModel):
    """A recurring meeting (周一议事日 every Monday, 阳光开放日 on the 28th) that stamps out its occurrences.

    Editing a series changes the occurrences still to come only; held ones keep what they were.
    """

    kind = models.ForeignKey(
        MeetingKind, on_delete=models.PROTECT, related_name="series", verbose_name=_("类型")
    )
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="meeting_series", verbose_name=_("社区/小区")
    )
    title = models.CharField(_("名称"), max_length=100)
    place = models.CharField(_("地点"), max_length=100)
    convenor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("召集人")
    )
    expected_roles = models.JSONField(_("应到角色"), default=list, blank=True)
    frequency = models.CharField(_("周期"), max_length=12, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(
        _("星期"), null=True, blank=True, help_text=_("每周举行时：0=周一 … 6=周日")
    )
    day_of_month = models.PositiveSmallIntegerField(_("每月几号"), null=True, blank=True)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    holiday_policy = models.CharField(
        _("遇节假日"), max_length=8, choices=HolidayPolicy.choices, default=HolidayPolicy.MOVE
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("例会")
        verbose_name_plural = _("例会")
        ordering = ["node__path", "kind__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency="weekly", weekday__isnull=False, weekday__lte=6)
                | Q(
                    frequency="monthly", day_of_month__isnull=False, day_of_month__gte=1, day_of_month__lte=31
                ),
                name="series_rule_complete",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="series_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rule_label(self) -> str:
        """每周一 09:00 / 每月28日 09:00 — the rule in the words of a notice board."""
        if self.frequency == Frequency.WEEKLY:
            day = str(WEEKDAYS[self.weekday]) if self.weekday is not None else ""
            return _("每%(d)s %(t)s") % {"d": day, "t": f"{self.start_time:%H:%M}"}
        return _("每月%(n)s日 %(t)s") % {"n": self.day_of_month, "t": f"{self.start_time:%H:%M}"}


WEEKDAYS = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))


class Meeting(BaseModel):
    kind = models.ForeignKey(
        MeetingKind, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("类型")
    )
    series = models.ForeignKey(
        MeetingSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("所属例会"),
    )
    #: The day the series' rule gave, before a holiday moved it (one occurrence per rule date and series).
    rule_date = models.DateField(_("规则日期"), null=True, blank=True)
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("社区/小区")
    )
    title = models.CharField(_("会议名称"), max_length=100)
    place = models.CharField(_("地点"), max_length=100)
    convenor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="convened_meetings",
        verbose_name=_("召集人"),
    )
    expected_roles = models.JSONField(_("应到角色"), default=list, blank=True)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    opened_at = models.DateTimeField(_("开会时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间（记录）"), null=True, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    minutes_published = models.BooleanField(_("纪要已向居民公开"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    token = models.CharField(_("签到码"), max_length=32, unique=True, default=new_token, editable=False)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "rule_date"],
                condition=Q(series__isnull=False),
                name="meeting_one_per_rule_date",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_times_ordered"
            ),
        ]
        indexes = [models.Index(fields=["node", "starts_at"], name="meeting_node_start")]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d}"


class AgendaTopic(BaseModel):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="topics", verbose_name=_("会议")
    )
    source = models.CharField(_("来源"), max_length=12, choices=TopicSource.choices)
    title = models.CharField(_("议题"), max_length=100)
    description = models.TextField(_("说明"), max_length=2000, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposer_name = models.CharField(_("提出人"), max_length=50, blank=True)
    carried_item = models.ForeignKey(
        "Item",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carried_to",
        verbose_name=_("遗留事项"),
    )

    scope_path = "meeting__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "carried_item"],
                condition=Q(carried_item__isnull=False),
                name="topic_carry_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(BaseModel):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("会议")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("身份"), max_length=20, choices=ParticipantRole.choices)
    organisation = models.CharField(_("单位"), max_length=100, blank=True)
    method = models.CharField(_("签到方式"), max_length=10, choices=SignInMethod.choices)
    signed_at = models.DateTimeField(_("签到时间"))

    scope_path = "meeting__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="attendance_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class Tally(models.Model):
    """People counted but not signed in one by one, by role (the passers-by of a 开放日)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tallies")
    role = models.CharField(_("身份"), max_length=20, choices=ParticipantRole.choices)
    count = models.PositiveIntegerField(_("人数"))

    class Meta:
        verbose_name = _("参会人数")
        verbose_name_plural = _("参会人数")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "role"], name="tally_once_per_role")]

    def __str__(self) -> str:
        return f"{self.role} {self.count}"


class Item(BaseModel):
    """One suggestion or problem raised at a meeting or on a visit; a problem is a case (`case`)."""

    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="items", verbose_name=_("会议")
    )
    visit = models.ForeignKey(
        "Visit", null=True, blank=True, on_delete=models.CASCADE, related_name="items", verbose_name=_("走访")
    )
    contact = models.ForeignKey(
        "LinkedContact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("联户交心"),
    )
    node = models.ForeignKey("org.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("地点"))
    kind = models.CharField(_("类型"), max_length=12, choices=ItemKind.choices)
    text = models.TextField(_("内容"), max_length=2000)
    raised_by = models.CharField(_("提出人"), max_length=50, blank=True)
    category = models.ForeignKey(
        "cases.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("分类"),
    )
    case = models.OneToOneField(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliberation_item",
        verbose_name=_("案件"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(_("提出时间"), db_index=True)

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("议事事项")
        verbose_name_plural = _("议事事项")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, visit__isnull=True, contact__isnull=True)
                | Q(meeting__isnull=True, visit__isnull=False, contact__isnull=True)
                | Q(meeting__isnull=True, visit__isnull=True, contact__isnull=False),
                name="item_has_one_origin",
            )
        ]

    def __str__(self) -> str:
        return self.text[:30]


class Vote(BaseModel):
    """An owners' vote on a matter (民法典 第278条). Only the counts are entered; the result is computed."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="votes", verbose_name=_("会议")
    )
    subject = models.CharField(_("表决事项"), max_length=200)
    matter = models.CharField(_("事项类别"), max_length=16, choices=VoteMatter.choices)
    total_area = models.DecimalField(_("专有部分总面积（㎡）"), max_digits=12, decimal_places=2)
    total_owners = models.PositiveIntegerField(_("业主总人数"))
    participating_area = models.DecimalField(_("参与表决面积（㎡）"), max_digits=12, decimal_places=2)
    participating_owners = models.PositiveIntegerField(_("参与表决人数"))
    yes_area = models.DecimalField(_("同意面积（㎡）"), max_digits=12, decimal_places=2)
    yes_owners = models.PositiveIntegerField(_("同意人数"))
    result = models.CharField(_("表决结果"), max_length=12, choices=VoteResult.choices, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "meeting__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.subject


class MeetingEvent(models.Model):
    """What happened to a meeting: who did what, from which state to which."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(_("时间"))
    verb = models.CharField(_("动作"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.verb}"


# -- visits ------------------------------------------------------------------------------------------------------


class RedTeam(BaseModel):
    """红色管家 team: party members, property managers and grid workers who cover some buildings."""

    name = models.CharField(_("名称"), max_length=100)
    node = models.ForeignKey(
        "org.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区/小区")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("队长"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="red_teams", verbose_name=_("队员")
    )
    buildings = models.ManyToManyField(
        "org.Node", blank=True, related_name="red_teams", verbose_name=_("包保楼栋")
    )

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("红色管家队伍")
        verbose_name_plural = _("红色管家队伍")
        ordering = ["node__path", "pk"]

    def __str__(self) -> str:
        return self.name


class VisitCampaign(BaseModel):
    title = models.CharField(_("名称"), max_length=100)
    node = models.ForeignKey("org.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("范围"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.CharField(_("说明"), max_length=300, blank=True)
    team = models.ForeignKey(
        RedTeam,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        verbose_name=_("走访队伍"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("走访活动")
        verbose_name_plural = _("走访活动")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title


class VisitTarget(BaseModel):
    """One household a campaign means to reach, and whose round it is on."""

    campaign = models.ForeignKey(VisitCampaign, on_delete=models.CASCADE, related_name="targets")
    household = models.ForeignKey(
        "org.Household", on_delete=models.PROTECT, related_name="+", verbose_name=_("户")
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_targets",
        verbose_name=_("走访人"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=TargetStatus.choices, default=TargetStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("走访次数"), default=0)
    last_visit_at = models.DateTimeField(_("最近走访"), null=True, blank=True)

    scope_path = "household__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("走访对象")
        verbose_name_plural = _("走访对象")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household"], name="target_once_per_campaign")
        ]
        indexes = [models.Index(fields=["visitor", "status"], name="target_visitor_status")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.household_id}"


class Visit(BaseModel):
    target = models.ForeignKey(VisitTarget, on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("结果"), max_length=12, choices=VisitOutcome.choices)
    notes = models.TextField(_("走访情况"), max_length=2000, blank=True)
    visited_at = models.DateTimeField(_("走访时间"), db_index=True)

    scope_path = "target__household__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.target_id} {self.get_outcome_display()}"


def visit_photo_path(instance, filename: str) -> str:
    return f"deliberation/visits/{instance.visit_id}/{filename}"


class VisitPhoto(BaseModel):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to=visit_photo_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ContactPlan(BaseModel):
    """联户交心: how often a party member is expected to reach each of his linked households (org's PartyMember
    households)."""

    party_member = models.OneToOneField(
        "org.PartyMember", on_delete=models.CASCADE, related_name="contact_plan", verbose_name=_("党员")
    )
    every_days = models.PositiveSmallIntegerField(_("联系周期（天）"), default=30)

    scope_path = "party_member__party_org__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("联户频次")
        verbose_name_plural = _("联户频次")

    def __str__(self) -> str:
        return f"{self.party_member} {self.every_days}"


class LinkedContact(BaseModel):
    """One contact of a party member with a linked household."""

    party_member = models.ForeignKey(
        "org.PartyMember", on_delete=models.CASCADE, related_name="linked_contacts", verbose_name=_("党员")
    )
    household = models.ForeignKey(
        "org.Household", on_delete=models.CASCADE, related_name="+", verbose_name=_("户")
    )
    method = models.CharField(_("方式"), max_length=10, choices=ContactMethod.choices)
    note = models.CharField(_("情况"), max_length=500, blank=True)
    contacted_at = models.DateTimeField(_("联系时间"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "household__node__path"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("联户记录")
        verbose_name_plural = _("联户记录")
        ordering = ["-contacted_at", "-pk"]
        indexes = [
            models.Index(fields=["party_member", "household", "contacted_at"], name="contact_member_hh")
        ]

    def __str__(self) -> str:
        return f"{self.party_member_id} {self.household_id}"
