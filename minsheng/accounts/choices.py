from enum import StrEnum

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


class Cap(StrEnum):
    """Every capability a check may name (what each means: accounts/roles.py). Code says `Cap.AGRI_VIEW`, so a
    misspelt name fails when the module loads, not as a silent deny. A plain string still works where it names a
    declared capability; an undeclared one raises `core.capabilities.UnknownCapability`."""

    ORG_VIEW = "org.view"
    ORG_CHANGE = "org.change"
    ORG_VIEW_PII = "org.view_pii"
    ORG_IMPORT = "org.import"
    ORG_EXPORT = "org.export"
    ACCOUNTS_MANAGE = "accounts.manage"
    CORE_VIEW_AUDIT = "core.view_audit"
    CASES_VIEW = "cases.view"
    CASES_CREATE = "cases.create"
    CASES_ACCEPT = "cases.accept"
    CASES_DISPATCH = "cases.dispatch"
    CASES_HANDLE = "cases.handle"
    CASES_APPROVE = "cases.approve"
    CASES_VERIFY = "cases.verify"
    CASES_FOLLOWUP = "cases.followup"
    CASES_SUPERVISE = "cases.supervise"
    CASES_CONFIGURE = "cases.configure"
    AGRI_VIEW = "agri.view"
    AGRI_RECORD = "agri.record"
    AGRI_MANAGE = "agri.manage"
    AGRI_CONFIGURE = "agri.configure"
    IOT_VIEW = "iot.view"
    IOT_HANDLE = "iot.handle"
    IOT_CONFIGURE = "iot.configure"
    INSIGHTS_VIEW = "insights.view"
