"""Every enum of the cherry cluster, with the colours the pages draw them in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Variety(models.TextChoices):
    MEIZAO = "meizao", _("美早")
    HONGDENG = "hongdeng", _("红灯")
    LAPINS = "lapins", _("拉宾斯")
    SATENIN = "satenin", _("萨米脱")
    TIELIHONG = "tielihong", _("黄蜜")
    OTHER = "other", _("其他")


class OrchardKind(models.TextChoices):
    OPEN_FIELD = "open_field", _("露地")
    GREENHOUSE = "greenhouse", _("大棚")


class OrgKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("合作社")
    FAMILY_FARM = "family_farm", _("家庭农场")


class AgreementKind(models.TextChoices):
    PURCHASE = "purchase", _("收购协议")
    SERVICE = "service", _("服务协议")


class Grade(models.TextChoices):
    PREMIUM = "premium", _("特级")
    FIRST = "first", _("一级")
    SECOND = "second", _("二级")
    MIXED = "mixed", _("统货")


class Channel(models.TextChoices):
    DEALER = "dealer", _("收购商")
    COOPERATIVE = "cooperative", _("合作社")
    ENTERPRISE = "enterprise", _("龙头企业")
    PLATFORM = "platform", _("电商平台")
    LIVE = "live", _("直播")
    OFFLINE = "offline", _("线下")


CHANNEL_COLORS = {
    Channel.DEALER: "gray",
    Channel.COOPERATIVE: "green",
    Channel.ENTERPRISE: "red",
    Channel.PLATFORM: "blue",
    Channel.LIVE: "orange",
    Channel.OFFLINE: "purple",
}

#: Channels on which the platform names where the cherries were sold.
ONLINE_CHANNELS = (Channel.PLATFORM, Channel.LIVE)


class Platform(models.TextChoices):
    TAOBAO = "taobao", _("淘宝")
    JD = "jd", _("京东")
    DOUYIN = "douyin", _("抖音")
    KUAISHOU = "kuaishou", _("快手")
    WECHAT = "wechat", _("微信视频号")
    OTHER = "other", _("其他平台")


class TechniqueKind(models.TextChoices):
    TECHNIQUE = "technique", _("技术")
    FACILITY = "facility", _("设施")


class TrainingKind(models.TextChoices):
    EXPERT = "expert", _("专家技术培训")
    ECOMMERCE = "ecommerce", _("电商直播培训")


class Package(models.TextChoices):
    """The incubation centres' three service packages (套餐)."""

    WAREHOUSE = "warehouse", _("仓播")
    VILLAGE = "village", _("村播")
    CLOUD = "cloud", _("云播")


PACKAGE_OFFERS = {
    Package.WAREHOUSE: _("在孵化中心的产地仓直播间开播：场地、灯光设备、选品与打包发货由中心提供"),
    Package.VILLAGE: _("到村到园开播：运营人员带设备进果园，现摘现播，适合有果园的农户"),
    Package.CLOUD: _("在自家手机开播：中心远程提供话术、脚本、流量投放与售后客服"),
}

#: The technique whose adoption a greenhouse proves by its own data (sensors reporting through a gateway).
SMART_CLIMATE = "smart_climate"
