"""Every choice set of enterprise services, with its colours."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.core.badges import Colour


class SizeClass(models.TextChoices):
    """企业规模 (工信部联企业〔2011〕300号 划型): large, medium, small, micro."""

    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Stage(models.TextChoices):
    """招商项目 stages: one record from the first lead to operation, or lost on the way."""

    LEAD = "lead", _("线索")
    TALKS = "talks", _("洽谈")
    SIGNED = "signed", _("签约")
    LANDING = "landing", _("落地推进")
    PRODUCTION = "production", _("投产")
    OPERATING = "operating", _("运营")
    LOST = "lost", _("已流失")


#: The pipeline in order; a project moves one step at a time (or is lost), never skipping a stage.
PIPELINE = [Stage.LEAD, Stage.TALKS, Stage.SIGNED, Stage.LANDING, Stage.PRODUCTION, Stage.OPERATING]
#: Stages from which a project can still be lost (an operating enterprise that leaves is no longer a lead lost).
LOSABLE = frozenset(PIPELINE[:-1])
#: Stages at or past signing: the project counts as 签约项目 for 履约率 and 开工率.
SIGNED_OR_LATER = frozenset(PIPELINE[2:])

STAGE_COLOURS = {
    Stage.LEAD: Colour.GRAY,
    Stage.TALKS: Colour.BLUE,
    Stage.SIGNED: Colour.BLUE,
    Stage.LANDING: Colour.ORANGE,
    Stage.PRODUCTION: Colour.GREEN,
    Stage.OPERATING: Colour.GREEN,
    Stage.LOST: Colour.GRAY,
}


class Milestone(models.TextChoices):
    """落地推进 by the 专班: 立项 → 供地 → 开工; 开工 is what lets a project move on to 投产."""

    APPROVED = "approved", _("立项")
    LAND = "land", _("供地")
    STARTED = "started", _("开工")


class SigningKind(models.TextChoices):
    """How a signing counts toward 签约额 (三明 甄别 rules: first signing only, increments only)."""

    FIRST = "first", _("首次签约")
    RESIGN = "resign", _("续签/正式合同")
    INCREASE = "increase", _("增资")
    UPGRADE = "upgrade", _("升格")
    NEW_INVESTOR = "new_investor", _("变更投资方")


class Ageing(models.TextChoices):
    GREEN = "green", _("正常")
    YELLOW = "yellow", _("临期")
    RED = "red", _("超期")
    NONE = "none", _("—")


class RaisedVia(models.TextChoices):
    VISIT = "visit", _("组团式服务走访")
    H5 = "h5", _("企业自主提交")
    CADRE = "cadre", _("包靠干部反映")
    EVENT = "event", _("活动现场")


class LedgerState(models.TextChoices):
    """Where a ledger item stands, read from its case: the engine handles it, the enterprise closes it."""

    OPEN = "open", _("办理中")
    AWAITING = "awaiting", _("待企业确认")
    CLOSED = "closed", _("已销号")
    VOID = "void", _("不予受理/并单")


LEDGER_COLOURS = {
    LedgerState.OPEN: Colour.BLUE,
    LedgerState.AWAITING: Colour.ORANGE,
    LedgerState.CLOSED: Colour.GREEN,
    LedgerState.VOID: Colour.GRAY,
}


class ConfirmedBy(models.TextChoices):
    CONTACT = "contact", _("企业联系人在线确认")
    CADRE = "cadre", _("包靠干部代为记录")


class NeedKind(models.TextChoices):
    """一企一策: the four difficulties startups name (the article)."""

    RESOURCES = "resources", _("对接资源")
    REGISTRATION = "registration", _("注册手续")
    POLICY = "policy", _("扶持政策")
    FUNDING = "funding", _("资金")
    OTHER = "other", _("其他")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    REVIEWED = "reviewed", _("已审议")
    RETURNED = "returned", _("退回修改")
    DONE = "done", _("已完成")


PLAN_COLOURS = {
    PlanStatus.DRAFT: Colour.GRAY,
    PlanStatus.REVIEWED: Colour.GREEN,
    PlanStatus.RETURNED: Colour.ORANGE,
    PlanStatus.DONE: Colour.BLUE,
}


class EventKind(models.TextChoices):
    TRAINING = "training", _("企业培训")
    MATCHMAKING = "matchmaking", _("政银企对接")
    POLICY = "policy", _("送政策进企业")


class PolicyMode(models.TextChoices):
    AUTOMATIC = "automatic", _("免申即享")
    FAST = "fast", _("快申快享")
    APPLY = "apply", _("依申请")


class DeliveryMethod(models.TextChoices):
    VISIT = "visit", _("上门送达")
    EVENT = "event", _("活动宣讲")
    ONLINE = "online", _("线上推送")
