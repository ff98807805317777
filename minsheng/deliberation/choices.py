"""Every choice set of deliberation and outreach, with the colours the pages draw them in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantRole(models.TextChoices):
    """Who sits at the table: the 四方 (社区·物业·业委会·居民) and the others the article names."""

    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    GRID_WORKER = "grid_worker", _("网格员")
    PROPERTY_MANAGER = "property_manager", _("物业经理")
    OWNERS_COMMITTEE = "owners_committee", _("业委会")
    RESIDENT_REP = "resident_rep", _("居民代表")
    PARTY_MEMBER = "party_member", _("党员")
    POLICE = "police", _("社区民警")
    RESIDENT = "resident", _("居民")
    OTHER = "other", _("其他")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class HolidayPolicy(models.TextChoices):
    """What a series does when an occurrence falls on a rest day of the working-day calendar."""

    MOVE = "move", _("顺延到下一个工作日")
    SKIP = "skip", _("跳过本次")
    KEEP = "keep", _("照常举行")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待召开")
    IN_PROGRESS = "in_progress", _("进行中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


MEETING_STATUS_COLORS = {
    MeetingStatus.SCHEDULED: "blue",
    MeetingStatus.IN_PROGRESS: "orange",
    MeetingStatus.CLOSED: "green",
    MeetingStatus.CANCELLED: "gray",
}

#: The transition table: verb → the states it may start from.
MEETING_TRANSITIONS = {
    "open": {MeetingStatus.SCHEDULED},
    "cancel": {MeetingStatus.SCHEDULED},
    "close": {MeetingStatus.IN_PROGRESS},
    "publish": {MeetingStatus.CLOSED},
}
#: States in which the meeting's record (attendance, items, votes, agenda) may still change.
EDITABLE_STATES = frozenset({MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS})


class TopicSource(models.TextChoices):
    STAFF = "staff", _("工作人员提出")
    RESIDENT = "resident", _("居民征集")
    CARRIED = "carried", _("上次遗留事项")


class SignInMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    CONVENOR = "convenor", _("召集人登记")
    GUEST = "guest", _("来宾登记")


class ItemKind(models.TextChoices):
    """A problem goes onto the engine as a case; advice only is kept and counted apart."""

    PROBLEM = "problem", _("问题诉求（立案跟踪）")
    SUGGESTION = "suggestion", _("意见建议（不立案）")


class VoteMatter(models.TextChoices):
    """民法典 第278条: the three special matters need ¾ of the participants; everything else a majority."""

    ORDINARY = "ordinary", _("一般事项")
    REPAIR_FUND = "repair_fund", _("筹集建筑物及其附属设施的维修资金")
    REBUILD = "rebuild", _("改建、重建建筑物及其附属设施")
    CHANGE_USE = "change_use", _("改变共有部分的用途或者利用共有部分从事经营活动")


SPECIAL_MATTERS = frozenset({VoteMatter.REPAIR_FUND, VoteMatter.REBUILD, VoteMatter.CHANGE_USE})


class VoteResult(models.TextChoices):
    PASSED = "passed", _("通过")
    REJECTED = "rejected", _("未通过")
    NOT_QUORATE = "not_quorate", _("参与表决不足三分之二，表决无效")


VOTE_RESULT_COLORS = {
    VoteResult.PASSED: "green",
    VoteResult.REJECTED: "red",
    VoteResult.NOT_QUORATE: "orange",
}


class VisitOutcome(models.TextChoices):
    VISITED = "visited", _("已走访")
    NOT_HOME = "not_home", _("不在家")
    REFUSED = "refused", _("拒绝走访")


class TargetStatus(models.TextChoices):
    PENDING = "pending", _("待走访")
    NOT_HOME = "not_home", _("不在家，待再访")
    VISITED = "visited", _("已走访")
    REFUSED = "refused", _("拒绝走访")


TARGET_STATUS_COLORS = {
    TargetStatus.PENDING: "blue",
    TargetStatus.NOT_HOME: "orange",
    TargetStatus.VISITED: "green",
    TargetStatus.REFUSED: "gray",
}
#: Targets still on the visitor's round.
OPEN_TARGET_STATES = frozenset({TargetStatus.PENDING, TargetStatus.NOT_HOME})


class ContactMethod(models.TextChoices):
    DOOR = "door", _("上门")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")
    MEETING = "meeting", _("见面交谈")
