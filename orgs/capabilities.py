"""Which roles may do what: every capability defined once, as the set of roles whose posts allow it.

Services authorise with these, selectors and navigation decide what to show with them, and the
sweep finds whom to tell with them. A post allows its capabilities at its own place (an area and
everything under it) or for its department, never elsewhere.
"""

from core.capabilities import Capability
from orgs.models import Role

# The grid worker posts (专职/兼职网格员): ranked on their grids' cases, counted in coverage.
GRID_WORKERS = frozenset({Role.GRID_WORKER, Role.GRID_WORKER_PART_TIME})
# Who handles cases at the community: its staff, the 两委 and the 网格总长.
COMMUNITY_HANDLERS = frozenset({Role.COMMUNITY_STAFF, Role.COMMITTEE_MEMBER, Role.GRID_CHIEF})
GRID_TEAM = GRID_WORKERS | {Role.GRID_GROUP_LEADER}
OFFICERS = frozenset({Role.DEPARTMENT_OFFICER, Role.SUNK_STAFF})

ROLES: dict[Capability, frozenset[str]] = {
    Capability.REPORT_CASE: GRID_TEAM | COMMUNITY_HANDLERS | {Role.STREET_STAFF, Role.DISTRICT_STAFF},
    Capability.HANDLE_IN_COMMUNITY: COMMUNITY_HANDLERS,
    Capability.DISPATCH_FOR_STREET: frozenset({Role.STREET_STAFF, Role.DISTRICT_STAFF}),
    Capability.DISPATCH_FOR_DISTRICT: frozenset({Role.DISTRICT_STAFF}),
    Capability.WORK_FOR_DEPARTMENT: OFFICERS,
    Capability.VERIFY_CASE: GRID_TEAM | COMMUNITY_HANDLERS,
    # 回访 is a call from the office that holds the place: the community, the street or the
    # district's command centre, never the department whose work is being rated.
    Capability.RECORD_CALLBACK: COMMUNITY_HANDLERS | {Role.STREET_STAFF, Role.DISTRICT_STAFF},
    # A system that hears of cases is run by the office that owns it: a district's command centre
    # for the district (its post is at the district), a department's officers for the department.
    # Sunk staff work in the grids for their department, not on its systems.
    Capability.MANAGE_WEBHOOKS: frozenset({Role.DISTRICT_STAFF, Role.DEPARTMENT_OFFICER}),
    # Keeping household cards and residents current is grid and community work (seed 002, 004).
    Capability.EDIT_PEOPLE: GRID_TEAM | COMMUNITY_HANDLERS,
    # Places inside a community are its staff's to keep; streets and communities the district's.
    Capability.KEEP_GRIDS: frozenset({Role.COMMUNITY_STAFF}),
    Capability.KEEP_STREETS: frozenset({Role.DISTRICT_STAFF}),
    # Each level appoints the level below it: community staff in the community, street staff the
    # community-level posts, district staff the street posts (strictly below their own place).
    Capability.APPOINT_POSTS: frozenset({Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_STAFF}),
    # The party structure follows the same chain: community staff keep the branches and groups
    # seated inside their community, street staff their street's tree (its community committees
    # too), district staff every street's; each strictly below the place of their own post.
    Capability.KEEP_PARTY_ORGS: frozenset({Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_STAFF}),
    # The party roll is kept by the offices: community staff for their community's organisations,
    # street staff their street's, district staff the district's.
    Capability.KEEP_PARTY_MEMBERS: frozenset({Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_STAFF}),
    # Another system's key acts for a whole district or one of its departments: issued by the
    # district's command centre, which runs the district's integrations (the 12345 hotline), not by
    # the departments themselves, whose officers must not mint a colleague's access.
    Capability.KEEP_CLIENT_KEYS: frozenset({Role.DISTRICT_STAFF}),
    # A copy of the roll leaves the system: the offices that answer for it, not the phones in the street.
    Capability.EXPORT_PEOPLE: COMMUNITY_HANDLERS | {Role.STREET_STAFF, Role.DISTRICT_STAFF},
    # Recording needs, claims and meetings is the community's and the street's work.
    Capability.MANAGE_COMMUNITY: COMMUNITY_HANDLERS | {Role.STREET_STAFF},
    Capability.FIELD_WORK: GRID_WORKERS | {Role.SUNK_STAFF, Role.BUILDING_HEAD, Role.UNIT_HEAD},
    Capability.VIEW_DASHBOARD: frozenset({Role.LEADER}),
    # Budget runs and new-unit costs are the finance office's work; re-division what-ifs also the street's.
    Capability.RUN_BUDGETS: frozenset({Role.FINANCE_OFFICER}),
    Capability.PLAN_REDIVISION: frozenset({Role.FINANCE_OFFICER, Role.STREET_STAFF}),
}

# The other way round, for the scope: what each role allows.
OF_ROLE: dict[str, frozenset[str]] = {
    role: frozenset(capability for capability, roles in ROLES.items() if role in roles) for role in Role
}


def roles_with(capability: Capability) -> frozenset[str]:
    return ROLES[capability]
