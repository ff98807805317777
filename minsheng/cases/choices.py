"""Status, channels, urgency and the other choice sets of the appeals engine."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.badges import Colour


class Status(models.TextChoices):
    REGISTERED = "registered", _("登记")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    MERGED = "merged", _("已并单")
    DISPATCHED = "dispatched", _("已派遣")
    RETURNED = "returned", _("已退单")
    HANDLING = "handling", _("办理中")
    SHELVED = "shelved", _("挂账")
    REPLIED = "replied", _("待核查")
    RESOLVED = "resolved", _("已办结")
    ARCHIVED = "archived", _("已归档")


#: States in which the case is still being worked on (counts toward 应办结 and the deadline clock).
OPEN_STATES = frozenset(
    {
        Status.REGISTERED,
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.RETURNED,
        Status.HANDLING,
        Status.SHELVED,
        Status.REPLIED,
    }
)
#: States in which the 办结 clock runs against the handling side: warned at 80 %, escalated when overdue. A case in
#: 待核查 is the verifier's (it was late only if the reply was), one in 挂账 rests, one in 登记 has no deadline yet.
CLOCK_STATES = frozenset({Status.ACCEPTED, Status.DISPATCHED, Status.RETURNED, Status.HANDLING})
#: States in which the work is done (办结 and after).
DONE_STATES = frozenset({Status.RESOLVED, Status.ARCHIVED})
#: States that end the case without handling.
VOID_STATES = frozenset({Status.REJECTED, Status.MERGED})

#: Badge colour of each state on the staff pages.
STATUS_COLOURS = {
    Status.REGISTERED: Colour.GRAY,
    Status.ACCEPTED: Colour.BLUE,
    Status.REJECTED: Colour.GRAY,
    Status.MERGED: Colour.GRAY,
    Status.DISPATCHED: Colour.BLUE,
    Status.RETURNED: Colour.ORANGE,
    Status.HANDLING: Colour.BLUE,
    Status.SHELVED: Colour.ORANGE,
    Status.REPLIED: Colour.ORANGE,
    Status.RESOLVED: Colour.GREEN,
    Status.ARCHIVED: Colour.GREEN,
}


class Channel(models.TextChoices):
    GRID_PATROL = "grid_patrol", _("网格员巡查上报")
    DOOR_VISIT = "door_visit", _("连心大走访")
    MAZHA_MEETING = "mazha", _("马扎议事会")
    OPEN_DAY = "open_day", _("阳光开放日")
    FOUR_PARTY = "four_party", _("四方联席会议")
    MONDAY_MEETING = "monday", _("周一议事日")
    HOTLINE_12345 = "12345", _("12345转办")
    ONLINE = "online", _("居民线上")
    PHONE = "phone", _("来电")
    VISIT = "visit", _("来访")
    LETTER = "letter", _("来信")
    ENTERPRISE_VISIT = "enterprise", _("企业走访")
    SYSTEM = "system", _("系统生成")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    EMERGENCY = "emergency", _("特急（危及生命财产）")


class LimitUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("工作小时")
    WORKING_DAYS = "working_days", _("工作日")
    HOURS = "hours", _("自然小时")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class UnitKind(models.TextChoices):
    STREET_OFFICE = "street_office", _("街道科室")
    COMMUNITY = "community", _("社区/村")
    PROPERTY = "property", _("物业企业")
    EXTERNAL = "external", _("专业部门")


class RequestKind(models.TextChoices):
    EXTENSION = "extension", _("延期")
    SHELVE = "shelve", _("挂账")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    DENIED = "denied", _("已驳回")


class DeadlineState(models.TextChoices):
    NONE = "none", _("—")
    GREEN = "green", _("正常")
    YELLOW = "yellow", _("临期")
    RED = "red", _("超期")


#: Badge colour of each deadline state (none has no badge).
DEADLINE_COLOURS = {
    DeadlineState.GREEN: Colour.GREEN,
    DeadlineState.YELLOW: Colour.ORANGE,
    DeadlineState.RED: Colour.RED,
}

#: Colour of each event verb in a case's history (blue for the rest).
EVENT_COLOURS = {
    "reject": Colour.GRAY,
    "return": Colour.ORANGE,
    "verify_fail": Colour.RED,
    "redo": Colour.RED,
    "overdue": Colour.RED,
    "deadline_warning": Colour.ORANGE,
    "supervise": Colour.ORANGE,
    "remind": Colour.ORANGE,
    "verify_pass": Colour.GREEN,
    "follow_up": Colour.GREEN,
    "archive": Colour.GREEN,
}

#: Badge colour of each state on the residents' phone pages (blue for the rest): 办结 waits for their rating.
RESIDENT_STATUS_COLOURS = {
    Status.REGISTERED: Colour.GRAY,
    Status.REJECTED: Colour.GRAY,
    Status.MERGED: Colour.GRAY,
    Status.RESOLVED: Colour.ORANGE,
    Status.ARCHIVED: Colour.GREEN,
}
