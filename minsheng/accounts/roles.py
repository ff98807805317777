"""What each role may do. Capabilities are named "<app>.<verb>" (`accounts.choices.Cap`); a membership grants its
role's capabilities within the subtree of its org node. Later apps add their own capabilities to this table (and
to `Cap`); every name granted here or in `Cap` is declared to `core.capabilities`, and a check naming anything else
raises.

org.view        see the registries (nodes, grids, party, property, households, residents — personal data masked)
org.change      create and edit registry rows
org.view_pii    see personal data unmasked on a detail page (each view is audited)
org.import      import registries from xlsx
org.export      export registries to xlsx (masked unless the role also has org.view_pii and asks for it)
accounts.manage create accounts and memberships
core.view_audit read the audit log
cases.view      see cases located in the subtree (plus cases given to one's units)
cases.create    register a case (登记)
cases.accept    受理 / 不予受理 / 并单 / 重新打开
cases.dispatch  派遣, 改派, 催办, 改分类
cases.handle    签收, 退单, 办理, 办结反馈, 延期/挂账申请 (only as a member of the lead unit)
cases.approve   批准延期 / 挂账
cases.verify    核查 (通过 → 办结, 不通过 → 返工)
cases.followup  回访, 归档
cases.supervise 督办, 包案
cases.configure categories, time limits, routing rules, units
agri.view       see the agricultural supervision pages (samples, certificates, the dashboard)
agri.record     record samples and rapid tests in the field (村级监管员 in their villages)
iot.view        see greenhouses, sensors, charts, alarms and the greenhouse map in the subtree
iot.handle      acknowledge, assign, clear and comment on greenhouse alarms in the subtree
iot.configure   greenhouses, sensors, gateways and thresholds (the admin)
agri.manage     keep the agri office's ledgers: campaigns, sampling tasks, holiday duty, registry imports
agri.configure  import the reference data (limits, banned/restricted pesticides) from xlsx
deliberation.view    see meetings, agendas, minutes, visit campaigns, 联户交心 and their figures in the subtree
deliberation.manage  run meetings (series, agenda, sign-in, votes, closing, minutes), campaigns and teams
deliberation.record  record items raised at a meeting, sign people in, and record visits and 联户 contacts
activities.view     see activities, registrations, check-ins, volunteers, 双报到 records and their figures
activities.manage   publish, change, close and cancel activities; register people; 双报到 records and evaluations
activities.checkin  check people in at the door, register walk-ins, record an open-air head count
volunteers.manage   the volunteer registry, teams, shifts, hours confirmation, certificates and the 积分超市
enterprise.view       see the enterprise registry, investment projects, the problem ledger, plans, events, policies
enterprise.manage     keep them: enterprises and contacts, move projects through the pipeline, record visits,
                      problems and 销号 confirmations, 一企一策, events, policy deliveries (any staff member may
                      submit an investment lead without it)
enterprise.supervise  督办 overdue projects, record the 小微企业工作委员会's review of a 一企一策
mediation.view    see the centre's visits, disputes, referrals, weekly screening and its figures in the subtree
mediation.receive the reception window: find a person, register a visit (as 首问) and route it
mediation.mediate run a mediation: parties, mediators, 回避, sessions, agreements, case files, referrals
mediation.report  submit the weekly screening (排查) of one's community or village, or its zero report
petition.view     read petitions (信访) — and petition cases in the appeals engine; nobody else does
petition.handle   register, accept, reply to petitions and their 复查/复核; book residents onto 公开接访
petition.approve  approve a petition's 30-day extension (the head of the handling unit)
cluster.view    see the cherry cluster: growers, orchards, harvests and sales, techniques, trainings, sellers, figures
cluster.record  keep them: growers and orchards, harvests and sales (on a phone), adoptions, trainings, sessions,
                cooperatives and enterprise agreements (village supervisors in their villages, street cadres)
insights.view   the leaders' cockpit, every registered figure with its rows, the work report and the 效能 board

Roles above the 街道 (granted at a county or city node, so they reach every 街道 below): 县级管理员 has the
街道管理员's capabilities over the whole county; 县级领导 the 街道领导's; 县级12345热线 registers the hotline's
orders, dispatches them down to a 街道's unit, verifies and follows them up — it does not handle them.
"""

from minsheng.core import capabilities

from .choices import Cap, Role

R = Role

_CASE_ALL = {
    "cases.view",
    "cases.create",
    "cases.accept",
    "cases.dispatch",
    "cases.handle",
    "cases.approve",
    "cases.verify",
    "cases.followup",
    "cases.supervise",
    "cases.configure",
}
_CASE_DESK = {
    "cases.view",
    "cases.create",
    "cases.accept",
    "cases.dispatch",
    "cases.handle",
    "cases.verify",
    "cases.followup",
}
_CASE_FIELD = {"cases.view", "cases.create", "cases.handle"}
_DELIBERATION_ALL = {"deliberation.view", "deliberation.manage", "deliberation.record"}
_DELIBERATION_FIELD = {"deliberation.view", "deliberation.record"}
_MEDIATION_ALL = {
    "mediation.view",
    "mediation.receive",
    "mediation.mediate",
    "mediation.report",
    "petition.view",
    "petition.handle",
    "petition.approve",
}
_ACTIVITIES_ALL = {"activities.view", "activities.manage", "activities.checkin", "volunteers.manage"}

CAPABILITIES: dict[str, frozenset[str]] = {
    R.STREET_ADMIN: frozenset(
        {
            "org.view",
            "org.change",
            "org.view_pii",
            "org.import",
            "org.export",
            "accounts.manage",
            "core.view_audit",
            *_CASE_ALL,
            "agri.view",
            "agri.record",
            "agri.manage",
            "agri.configure",
            "iot.view",
            "iot.handle",
            "iot.configure",
            *_DELIBERATION_ALL,
            *_ACTIVITIES_ALL,
            "enterprise.view",
            "enterprise.manage",
            "enterprise.supervise",
            *_MEDIATION_ALL,
            "cluster.view",
            "cluster.record",
            "insights.view",
        }
    ),
    R.STREET_LEADER: frozenset(
        {
            "org.view",
            "org.view_pii",
            "org.export",
            "core.view_audit",
            "cases.view",
            "cases.approve",
            "cases.supervise",
            "agri.view",
            "iot.view",
            "deliberation.view",
            "activities.view",
            "enterprise.view",
            "enterprise.supervise",
            "mediation.view",
            "petition.view",
            "petition.approve",
            "cluster.view",
            "insights.view",
        }
    ),
    R.STREET_CADRE: frozenset(
        {
            "org.view",
            "org.export",
            *_CASE_DESK,
            "agri.view",
            "agri.record",
            "agri.manage",
            "iot.view",
            "iot.handle",
            *_DELIBERATION_ALL,
            *_ACTIVITIES_ALL,
            "enterprise.view",
            "cluster.view",
            "cluster.record",
        }
    ),
    R.COMMUNITY_WORKER: frozenset(
        {
            "org.view",
            "org.change",
            "org.view_pii",
            "org.import",
            "org.export",
            *_CASE_DESK,
            "iot.view",
            "iot.handle",
            *_DELIBERATION_ALL,
            *_ACTIVITIES_ALL,
            "mediation.view",
            "mediation.report",
        }
    ),
    R.GRID_WORKER: frozenset(
        {
            "org.view",
            "org.change",
            "org.view_pii",
            *_CASE_FIELD,
            "iot.view",
            "activities.view",
            "activities.checkin",
            *_DELIBERATION_FIELD,
        }
    ),
    # A village supervisor's work is their villages' produce and growers, not the population registries (0060).
    R.VILLAGE_SUPERVISOR: frozenset(
        {
            *_CASE_FIELD,
            "agri.view",
            "agri.record",
            "iot.view",
            "iot.handle",
            "cluster.view",
            "cluster.record",
        }
    ),
    # An officer names the 包靠干部 and 责任人 and the place of a project: the people and places pickers need org.view.
    R.ENTERPRISE_OFFICER: frozenset({"org.view", *_CASE_FIELD, "enterprise.view", "enterprise.manage"}),
    # Their work is their 小区's cases and meetings — not the population registries (decision 0060).
    R.PROPERTY_STAFF: frozenset({"cases.view", "cases.handle", *_DELIBERATION_FIELD}),
    R.RESIDENT: frozenset(),
    R.MEDIATION_STAFF: frozenset(
        {"org.view", "org.view_pii", *_CASE_DESK, *_MEDIATION_ALL} - {"petition.approve"}
    ),
}
CAPABILITIES[R.COUNTY_ADMIN] = CAPABILITIES[R.STREET_ADMIN]
CAPABILITIES[R.COUNTY_LEADER] = CAPABILITIES[R.STREET_LEADER]
CAPABILITIES[R.COUNTY_HOTLINE] = frozenset(
    {
        "org.view",
        "cases.view",
        "cases.create",
        "cases.accept",
        "cases.dispatch",
        "cases.verify",
        "cases.followup",
        "cases.supervise",
    }
)

#: Roles whose members count as staff (the workbench); residents use the H5 pages.
STAFF_ROLES = frozenset(set(Role) - {Role.RESIDENT})


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())


capabilities.declare(Cap)
capabilities.declare(name for granted in CAPABILITIES.values() for name in granted)
