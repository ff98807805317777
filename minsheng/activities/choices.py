"""Every enum of the activities engine, with the colours the pages draw them in."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.badges import Colour


class VenueKind(models.TextChoices):
    PARTY_CENTRE = "party_centre", _("党群服务中心")
    CIVILISATION_STATION = "civilisation_station", _("新时代文明实践站")
    COMPLEX = "complex", _("惠民综合体")
    SQUARE = "square", _("广场/户外")
    SCHOOL = "school", _("学校/场馆")
    OTHER = "other", _("其他")


class OrganiserKind(models.TextChoices):
    """Who puts the event on. `HOST` means another domain's record (a training, a matchmaking) owns it."""

    COMMUNITY = "community", _("社区/村")
    STREET = "street", _("街道")
    DUAL_UNIT = "dual_unit", _("双报到单位")
    SOCIAL_ORG = "social_org", _("社会组织")
    RESIDENT_UNIT = "resident_unit", _("驻区单位")
    HOST = "host", _("业务部门")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")
    CLOSED = "closed", _("已结束")


EVENT_STATUS_COLOURS = {
    EventStatus.DRAFT: Colour.GRAY,
    EventStatus.PUBLISHED: Colour.BLUE,
    EventStatus.CANCELLED: Colour.GRAY,
    EventStatus.CLOSED: Colour.GREEN,
}

#: States in which people may still register and be checked in.
OPEN_EVENT_STATES = {EventStatus.PUBLISHED}


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")


REGISTRATION_STATUS_COLOURS = {
    RegistrationStatus.CONFIRMED: Colour.GREEN,
    RegistrationStatus.WAITLISTED: Colour.ORANGE,
    RegistrationStatus.CANCELLED: Colour.GRAY,
}

ACTIVE_REGISTRATION_STATES = {RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED}


class RegistrationSource(models.TextChoices):
    H5 = "h5", _("居民端报名")
    STAFF = "staff", _("工作人员代报")
    HOST = "host", _("业务部门报名")
    WALK_IN = "walk_in", _("现场登记")
    IMPORT = "import", _("批量导入")


class CheckInMethod(models.TextChoices):
    SCAN = "scan", _("扫码")
    TYPED = "typed", _("输入签到码")
    MANUAL = "manual", _("名单勾选")
    BULK = "bulk", _("批量补录")


# -- volunteers ----------------------------------------------------------------------------------------------


class IdType(models.TextChoices):
    ID_CARD = "id_card", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MO_TW = "hmt", _("港澳台居民居住证/通行证")
    OTHER = "other", _("其他")


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    INACTIVE = "inactive", _("已注销")


class TeamKind(models.TextChoices):
    GRID = "grid", _("网格志愿服务队")
    PARTY = "party", _("党员志愿者队")
    UNIT = "unit", _("单位志愿服务队")
    SOCIAL = "social", _("社会组织志愿服务队")
    OTHER = "other", _("其他")


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已确认")
    WAITLISTED = "waitlisted", _("候补")
    OFFERED = "offered", _("待确认递补")
    CANCELLED = "cancelled", _("已取消")
    DECLINED = "declined", _("放弃递补")


SIGNUP_STATUS_COLOURS = {
    SignupStatus.CONFIRMED: Colour.GREEN,
    SignupStatus.WAITLISTED: Colour.ORANGE,
    SignupStatus.OFFERED: Colour.BLUE,
    SignupStatus.CANCELLED: Colour.GRAY,
    SignupStatus.DECLINED: Colour.GRAY,
}

#: Signups that hold a slot: a confirmed one, and an offer not yet answered.
SLOT_HOLDING = {SignupStatus.CONFIRMED, SignupStatus.OFFERED}


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未通过")


RECORD_STATUS_COLOURS = {
    RecordStatus.PENDING: Colour.ORANGE,
    RecordStatus.CONFIRMED: Colour.GREEN,
    RecordStatus.REJECTED: Colour.GRAY,
}


class RecordSource(models.TextChoices):
    SHIFT = "shift", _("活动岗位")
    CASE = "case", _("上门服务（诉求）")
    MANUAL = "manual", _("补录")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已作废")


# -- points --------------------------------------------------------------------------------------------------


class AccountKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("志愿者积分账户")
    ISSUANCE = "issuance", _("积分发放账户")
    MARKET = "market", _("积分超市")


class TransferReason(models.TextChoices):
    EARN = "earn", _("服务时长兑换积分")
    EXCHANGE = "exchange", _("积分超市兑换")
    REFUND = "refund", _("兑换撤销退回")
    ADJUST = "adjust", _("人工调整")


class ExchangeStatus(models.TextChoices):
    DONE = "done", _("已兑换")
    CANCELLED = "cancelled", _("已撤销")


# -- 双报到 ----------------------------------------------------------------------------------------------------


class UnitKind(models.TextChoices):
    ORGAN = "organ", _("机关")
    INSTITUTION = "institution", _("事业单位")
    STATE_ENTERPRISE = "soe", _("国有企业")
    ENTERPRISE = "enterprise", _("非公企业")
    SOCIAL_ORG = "social_org", _("社会组织")
    OTHER = "other", _("其他")


class ReportStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    ENDED = "ended", _("已退出")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待认领")
    CLAIMED = "claimed", _("已认领")
    DONE = "done", _("已完成")


NEED_STATUS_COLOURS = {
    NeedStatus.OPEN: Colour.ORANGE,
    NeedStatus.CLAIMED: Colour.BLUE,
    NeedStatus.DONE: Colour.GREEN,
}


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ONGOING = "ongoing", _("实施中")
    DONE = "done", _("已完成")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("合格")
    BASIC = "basic", _("基本合格")
    POOR = "poor", _("不合格")


GRADE_COLOURS = {
    Grade.EXCELLENT: Colour.GREEN,
    Grade.GOOD: Colour.BLUE,
    Grade.BASIC: Colour.ORANGE,
    Grade.POOR: Colour.RED,
}


#: What the event log's verbs say on the page.
EVENT_LOG_VERBS = {
    "created": _("发布"),
    "published": _("发布草稿"),
    "updated": _("修改"),
    "cancelled": _("取消活动"),
    "registered": _("报名"),
    "registration_cancelled": _("取消报名"),
    "promoted": _("候补转正"),
    "headcount": _("登记现场估算人数"),
    "attendance": _("补录签到"),
    "closed": _("结束并总结"),
}
