"""Every choice set of the mediation and petition centre, with its colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.badges import Colour


class Route(models.TextChoices):
    """Where the window sends a visit (分流)."""

    DISPUTE = "dispute", _("矛盾纠纷调解")
    PETITION = "petition", _("信访事项")
    APPEAL = "appeal", _("民生诉求")
    REFERRAL = "referral", _("移交/转办")
    ANSWERED = "answered", _("当场解答")


class DisputeType(models.TextChoices):
    """司法部 2010 statistics categories, as 黄石市司法局 publishes them monthly."""

    FAMILY = "family", _("婚姻家庭")
    NEIGHBOUR = "neighbour", _("邻里")
    HOMESTEAD = "homestead", _("房屋宅基地")
    CONTRACT = "contract", _("合同")
    BUSINESS = "business", _("生产经营")
    DAMAGES = "damages", _("损害赔偿")
    LAND = "land", _("山林土地")
    LAND_ACQUISITION = "land_acquisition", _("征地拆迁")
    POLLUTION = "pollution", _("环境污染")
    LABOUR = "labour", _("劳动争议")
    CONSUMER = "consumer", _("消费")
    MEDICAL = "medical", _("医疗")
    TRAFFIC = "traffic", _("道路交通事故")
    PROPERTY_MGMT = "property", _("物业")
    OTHER = "other", _("其它")


class DisputeSource(models.TextChoices):
    """受理登记表 and 结案报告表 sources."""

    APPLIED = "applied", _("当事人申请")
    INITIATIVE = "initiative", _("主动调解")
    POLICE = "police", _("公安机关移交")
    COURT = "court", _("人民法院委托")
    GOVERNMENT = "government", _("政府部门指定")


class RiskGrade(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


RISK_COLOURS = {RiskGrade.LOW: Colour.GREEN, RiskGrade.MEDIUM: Colour.ORANGE, RiskGrade.HIGH: Colour.RED}


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


class Outcome(models.TextChoices):
    """How a mediation ended (the engine's case carries the handling state; this is the result)."""

    PENDING = "pending", _("调解中")
    WRITTEN = "written", _("达成书面协议")
    ORAL = "oral", _("达成口头协议")
    FAILED = "failed", _("调解不成")
    REFUSED = "refused", _("当事人拒绝调解（终止）")


OUTCOME_COLOURS = {
    Outcome.PENDING: Colour.BLUE,
    Outcome.WRITTEN: Colour.GREEN,
    Outcome.ORAL: Colour.GREEN,
    Outcome.FAILED: Colour.ORANGE,
    Outcome.REFUSED: Colour.GRAY,
}
SUCCESS_OUTCOMES = (Outcome.WRITTEN, Outcome.ORAL)
ENDED_OUTCOMES = (Outcome.WRITTEN, Outcome.ORAL, Outcome.FAILED, Outcome.REFUSED)


class OtherRoute(models.TextChoices):
    """第26条: the routes the parties are told of when mediation fails."""

    ARBITRATION = "arbitration", _("仲裁")
    ADMINISTRATIVE = "administrative", _("行政途径")
    LITIGATION = "litigation", _("诉讼")


class ObjectionDecision(models.TextChoices):
    PENDING = "pending", _("待决定")
    UPHELD = "upheld", _("回避（更换调解员）")
    DISMISSED = "dismissed", _("驳回")


OBJECTION_COLOURS = {
    ObjectionDecision.PENDING: Colour.ORANGE,
    ObjectionDecision.UPHELD: Colour.BLUE,
    ObjectionDecision.DISMISSED: Colour.GRAY,
}


class Performance(models.TextChoices):
    FULL = "full", _("已全部履行")
    PARTIAL = "partial", _("部分履行")
    NONE = "none", _("未履行")


class PetitionForm(models.TextChoices):
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    ONLINE = "online", _("网上信访")
    PHONE = "phone", _("来电")


class PetitionKind(models.TextChoices):
    """Unverified in the research (建议意见 / 检举控告 / 申诉求决): kept as data for the statistics."""

    SUGGESTION = "suggestion", _("建议意见")
    ACCUSATION = "accusation", _("检举控告")
    CLAIM = "claim", _("申诉求决")


class PetitionStage(models.TextChoices):
    ORIGINAL = "original", _("办理")
    REVIEW = "review", _("复查")
    RE_REVIEW = "re_review", _("复核")


class Acceptance(models.TextChoices):
    PENDING = "pending", _("待告知")
    ACCEPTED = "accepted", _("受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")


class Partner(models.TextChoices):
    COURT = "court", _("人民法院")
    POLICE = "police", _("公安机关")
    JUSTICE = "justice", _("司法所")
    DEPARTMENT = "department", _("其他部门")


class Direction(models.TextChoices):
    OUT = "out", _("移出")
    IN = "in", _("移入")


class ReferralStatus(models.TextChoices):
    """Primero's referral lifecycle: sent → accepted | rejected | revoked; accepted → done."""

    SENT = "sent", _("已发送")
    ACCEPTED = "accepted", _("已接收")
    REJECTED = "rejected", _("已拒收")
    REVOKED = "revoked", _("已撤回")
    DONE = "done", _("已办结")


REFERRAL_COLOURS = {
    ReferralStatus.SENT: Colour.BLUE,
    ReferralStatus.ACCEPTED: Colour.BLUE,
    ReferralStatus.REJECTED: Colour.ORANGE,
    ReferralStatus.REVOKED: Colour.GRAY,
    ReferralStatus.DONE: Colour.GREEN,
}


class NotSuccessful(models.TextChoices):
    REFUSED = "refused", _("当事人拒绝")
    CAPACITY = "capacity", _("接收方无力办理")
    UNREACHABLE = "unreachable", _("无法联系当事人")
    OTHER = "other", _("其他原因")


class ItemSource(models.TextChoices):
    SCREENING = "screening", _("排查发现")
    EARLY_WARNING = "early_warning", _("未诉先办预警")


ITEM_SOURCE_COLOURS = {ItemSource.SCREENING: Colour.GRAY, ItemSource.EARLY_WARNING: Colour.ORANGE}


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    RECEIVED = "received", _("已接待")
    CANCELLED = "cancelled", _("已取消")


class Clock(models.TextChoices):
    """The statutory clocks the reminder job watches."""

    PETITION_NOTICE = "petition_notice", _("信访受理告知")
    PETITION_HANDLE = "petition_handle", _("信访办理答复")
    MEDIATION = "mediation", _("调解期限")
    JUDICIAL = "judicial", _("司法确认申请期")
    PERFORMANCE = "performance", _("履行回访")
