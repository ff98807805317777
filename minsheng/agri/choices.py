from django.db import models
from django.utils.translation import gettext_lazy as _


class ChemClass(models.TextChoices):
    ORGANOPHOSPHATE = "organophosphate", _("有机磷类")
    CARBAMATE = "carbamate", _("氨基甲酸酯类")
    OTHER = "other", _("其他")
    UNKNOWN = "unknown", _("未登记")


class RuleKind(models.TextChoices):
    FULL_BAN = "full_ban", _("全面禁用")
    SCOPED_BAN = "scoped_ban", _("在部分范围禁用")


class ProducerKind(models.TextChoices):
    GROWER = "grower", _("种植户")
    FAMILY_FARM = "family_farm", _("家庭农场")
    COOPERATIVE = "cooperative", _("合作社")
    ENTERPRISE = "enterprise", _("企业")
    NEW_OPERATOR = "new_operator", _("新型经营主体")


class SampleLevel(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    STREET = "street", _("街道")


class SampleStatus(models.TextChoices):
    SAMPLED = "sampled", _("待检测")
    REPEATING = "repeating", _("初筛阳性待复测")
    CONFIRMING = "confirming", _("速测阳性待定量确证")
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")
    CANCELLED = "cancelled", _("已取消")
    INVALID = "invalid", _("无效")


#: Samples that count in no pass rate and no quota.
EXCLUDED_STATES = {SampleStatus.CANCELLED, SampleStatus.INVALID}


class RapidMethod(models.TextChoices):
    ENZYME = "enzyme_inhibition", _("酶抑制率法")
    GOLD = "colloidal_gold", _("胶体金免疫层析")


class RapidResult(models.TextChoices):
    NEGATIVE = "negative", _("阴性")
    SUSPECT = "suspect", _("可疑")
    POSITIVE = "positive", _("阳性")


class LabVerdict(models.TextChoices):
    PASS = "pass", _("合格")
    OVER_LIMIT = "over_limit", _("超标")
    BANNED = "banned", _("检出禁用农药")
    NO_LIMIT = "no_limit", _("无限量标准")


class CertificateStyle(models.TextChoices):
    PRODUCER = "producer", _("生产者开具")
    PURCHASER = "purchaser", _("收购者开具")


class CertificateBasis(models.TextChoices):
    QUALITY_CONTROL = "quality_control", _("质量安全控制符合要求")
    SELF_TEST = "self_test", _("自行检测合格")
    COMMISSIONED_TEST = "commissioned_test", _("委托检测合格")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    VOID = "void", _("已作废")


class CheckResult(models.TextChoices):
    YES = "yes", _("符合")
    NO = "no", _("不符合")
    NA = "na", _("不适用")


#: The store-inspection checklist (code, question). Codes are stable; the wording may change.
STORE_CHECKLIST = [
    ("ledger", _("建立并如实记录农药购销台账")),
    ("no_banned", _("未经营禁用农药")),
    ("restricted_outlet", _("限制使用农药仅在定点经营门店销售并实名登记")),
    ("waste_recovery", _("开展农药包装废弃物回收")),
    ("licence_displayed", _("农药经营许可证在有效期内并公示")),
]


class LetterLevel(models.TextChoices):
    VILLAGE = "village", _("村级")
    SUPERVISOR = "supervisor", _("监管员")
    PRODUCER = "producer", _("生产经营主体")


class TaskKind(models.TextChoices):
    ROUTINE = "routine", _("日常抽检")
    CAMPAIGN = "campaign", _("专项抽检")
    PRE_HOLIDAY = "pre_holiday", _("节前抽检")


CHECKLIST_CODES = [code for code, _question in STORE_CHECKLIST]
