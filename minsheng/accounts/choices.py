from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STREET_ADMIN = "street_admin", _("街道管理员")
    STREET_LEADER = "street_leader", _("街道领导")
    STREET_CADRE = "street_cadre", _("街道干部(科室)")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    GRID_WORKER = "grid_worker", _("网格员")
    VILLAGE_SUPERVISOR = "village_supervisor", _("村级监管员")
    ENTERPRISE_OFFICER = "enterprise_officer", _("企业服务专员")
    PROPERTY_STAFF = "property_staff", _("物业人员")
    RESIDENT = "resident", _("居民")
    # Above the 街道 (a county or city deployment, docs/decisions/0039): granted at the county/city node.
    COUNTY_ADMIN = "county_admin", _("县级管理员")
    COUNTY_LEADER = "county_leader", _("县级领导")
    COUNTY_HOTLINE = "county_hotline", _("县级12345热线")
