"""Every enum of the activities engine, with the colours the pages draw them in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


EVENT_STATUS_COLORS = {
    EventStatus.DRAFT: "gray",
    EventStatus.PUBLISHED: "blue",
    EventStatus.CANCELLED: "gray",
    EventStatus.CLOSED: "green",
}

#: States in which people may still register and be checked in.
OPEN_EVENT_STATES = {EventStatus.PUBLISHED}


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")


REGISTRATION_STATUS_COLORS = {
    RegistrationStatus.CONFIRMED: "green",
    RegistrationStatus.WAITLISTED: "orange",
    RegistrationStatus.CANCELLED: "gray",
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
