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
    MEDIATION_STAFF = "mediation_staff", _("矛调中心工作人员")

    # Above the 街道 (a county or city deployment, docs/decisions/0039): granted at the county/city node.
    COUNTY_ADMIN = "county_admin", _("县级管理员")
    COUNTY_LEADER = "county_leader", _("县级领导")
    COUNTY_HOTLINE = "county_hotline", _("县级12345热线")


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
    DELIBERATION_VIEW = "deliberation.view"
    DELIBERATION_MANAGE = "deliberation.manage"
    DELIBERATION_RECORD = "deliberation.record"
    ACTIVITIES_VIEW = "activities.view"
    ACTIVITIES_MANAGE = "activities.manage"
    ACTIVITIES_CHECKIN = "activities.checkin"
    VOLUNTEERS_MANAGE = "volunteers.manage"
    ENTERPRISE_VIEW = "enterprise.view"
    ENTERPRISE_MANAGE = "enterprise.manage"
    ENTERPRISE_SUPERVISE = "enterprise.supervise"
    MEDIATION_VIEW = "mediation.view"
    MEDIATION_RECEIVE = "mediation.receive"
    MEDIATION_MEDIATE = "mediation.mediate"
    MEDIATION_REPORT = "mediation.report"
    PETITION_VIEW = "petition.view"
    PETITION_HANDLE = "petition.handle"
    PETITION_APPROVE = "petition.approve"
    CLUSTER_VIEW = "cluster.view"
    CLUSTER_RECORD = "cluster.record"
    INSIGHTS_VIEW = "insights.view"
