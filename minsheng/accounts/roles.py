"""What each role may do. Capabilities are strings "<app>.<verb>"; a membership grants its role's capabilities
within the subtree of its org node. Later apps add their own capabilities to this table.

org.view        see the registries (nodes, grids, party, property, households, residents — personal data masked)
org.change      create and edit registry rows
org.view_pii    see personal data unmasked on a detail page (each view is audited)
org.import      import registries from xlsx
org.export      export registries to xlsx (masked unless the role also has org.view_pii and asks for it)
accounts.manage create accounts and memberships
core.view_audit read the audit log
"""

from .choices import Role

R = Role

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
        }
    ),
    R.STREET_LEADER: frozenset({"org.view", "org.view_pii", "org.export", "core.view_audit"}),
    R.STREET_CADRE: frozenset({"org.view", "org.export"}),
    R.COMMUNITY_WORKER: frozenset({"org.view", "org.change", "org.view_pii", "org.import", "org.export"}),
    R.GRID_WORKER: frozenset({"org.view", "org.change", "org.view_pii"}),
    R.VILLAGE_SUPERVISOR: frozenset({"org.view"}),
    R.ENTERPRISE_OFFICER: frozenset({"org.view"}),
    R.PROPERTY_STAFF: frozenset({"org.view"}),
    R.RESIDENT: frozenset(),
}

#: Roles whose members count as staff (the workbench); residents use the H5 pages.
STAFF_ROLES = frozenset(set(Role) - {Role.RESIDENT})


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())
