"""The route matrix: every route the URL resolver knows (the API router's included) × every
persona of the world × GET, POST and whatever else the route allows has an expected status, in
ROWS below. A route without a row fails `test_every_route_has_a_row`, which prints the rows to
paste; a row without a route fails too.

Each persona asks for an object of the row's kind at its own place (tests/trust/routes.py: the
world's building A1, B1 for grid worker B) and for one at the county's building E1, which no
persona but the admin reaches (the admin asks for an id nobody has). The outside one is always
404, unless the request is refused before any lookup: not logged in, or the method not allowed.

How to read (and add) a row:

    "grids:household": page("household", get=PLACES),

`page`, `step`, `api` and `public` set the anonymous answer (→ log-in for pages, 401 for the API,
the same as everyone's for public pages). `get=` and `post=` give the signed-in answer: a status
for every persona, or a dict from personas (a name or a tuple of names, ALL for the rest) to
statuses. `post` defaults to `get` for pages, which answer a POST they do not handle as a GET.
"""

import copy
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from gridgov.tasks import beat_heartbeat
from tests.sign_in import force_login_verified
from tests.trust.routes import HOME, OUTSIDE, build_targets, missing, routes

ANON = "anonymous"
STAFF = ("grid_a", "grid_b", "community", "street", "sunk", "officer", "officer_mz", "district", "leader", "admin")
ROLES = (ANON, *STAFF)
ALL = "*"
LOGIN = "→log-in"  # a 302 to the log-in page

# Role groups the rows use.
DEPARTMENTS = ("officer", "officer_mz")  # department officers: the cases sent to them, no places
COMMUNITY_UP = ("community", "street", "district", "leader", "admin")
PLACES = {ALL: 200, DEPARTMENTS: 404}  # anyone with a place sees it; officers have none
COMMUNITY_PAGE = {ALL: 404, COMMUNITY_UP: 200}  # a community's records: community staff and above
ADMIN_ONLY = {ALL: 404, "admin": 200}
PEOPLE_EDITORS = ("grid_a", "grid_b", "community", "admin")  # keep households and residents
MEMBER_KEEPERS = ("community", "street", "district", "admin")  # keep the party roll
CO_BUILDERS = ("community", "street", "admin")  # keep co-building records (MANAGE_COMMUNITY)
WEBHOOK_KEEPERS = ("district", "officer", "officer_mz", "admin")  # keep event subscriptions (MANAGE_WEBHOOKS)
DECIDERS = ("street", "admin")  # the street's staff decide on property companies (estates)
DISTRICT_HOOK = {ALL: 404, ("district", "admin"): 200}
STATION = ("community", "admin")  # serve at the community's station (HANDLE_IN_COMMUNITY)
STREET_KEEPERS = ("street", "admin")  # keep a street's alliance (MANAGE_COMMUNITY at the street)
STREET_UP = {ALL: 404, ("street", "district", "leader", "admin"): 200}  # a street's own records
COMMUNITY_LINE = {ALL: 404, ("community", "street", "leader", "admin"): 200}  # who reads every worker
DEPARTMENT_LINE = {ALL: 404, ("officer", "district", "leader", "admin"): 200}  # 城管局's, a district department


def back_office(obj=None, *, may) -> "Row":
    """A back-office form: its page for those who may, a 400 for their empty POST, 404 for the rest."""
    return page(obj, get={ALL: 404, may: 200}, post={ALL: 404, may: 400})


OWN_RUN = {ALL: 404, "community": 200}
EXPORTERS = {ALL: 404, ("community", "street", "district", "admin"): 200}
A_CASE = {ALL: 200, "officer_mz": 404}  # the A1 case is 城管局's; 民政局 has nothing to do with it
# Objects nobody owns a copy of: the outside one is an id (or token) that names nothing.
# Open311's reads are public in every district: a request by its number or token, as a category.
GLOBAL_KINDS = {
    "category",
    "plate",
    "tracking",
    "tracking_photo",
    "queue",
    "import_kind",
    "open311_service",
    "open311_request",
    "open311_token",
    "service_item",
    "ballot",
    "qr_ballot",
    "report",
}


@dataclass(frozen=True)
class Row:
    obj: str | None
    anonymous: int | str | None  # None: as the signed-in default
    methods: dict = field(default_factory=dict)

    def expected(self, method: str, role: str) -> int | str:
        spec = self.methods[method]
        if role == ANON and self.anonymous is not None:
            return self.anonymous
        if not isinstance(spec, dict):
            return spec
        for roles, status in spec.items():
            if role == roles or (isinstance(roles, tuple) and role in roles):
                return status
        return spec[ALL]


def page(obj=None, *, get=200, post=None, **more) -> Row:
    return Row(obj, LOGIN, {"GET": get, "POST": get if post is None else post, **more})


def step(obj="case", *, post=302) -> Row:
    """A step of the case loop as a page: a POST only, answered with a redirect back to the case."""
    return Row(obj, LOGIN, {"GET": 405, "POST": {ALL: post, "officer_mz": 404}})


def api(obj=None, *, get=200, post=405, **more) -> Row:
    return Row(obj, 401, {"GET": get, "POST": post, **more})


def public(obj=None, *, get=200, post=200, **more) -> Row:
    return Row(obj, None, {"GET": get, "POST": post, **more})


ROWS: dict[str, Row] = {
    # The site ----------------------------------------------------------------------------------
    "home": page(),
    "login": public(PUT=200),  # the form re-rendered with its errors
    "logout": public(get=405, post=LOGIN),
    "password_change": page(PUT=200),
    "password_change_done": page(post=405),
    "set_language": public(get=302, post=302),
    # Two-factor: the world's community and admin hold a device (tests.sign_in); nobody else does.
    "two_factor": page(),
    "two_factor_verify": page(get=302),  # a verified session owes no code: home
    "two_factor_enrol": page(get={ALL: 200, ("community", "admin"): 302}),  # enrolled: to the status page
    # POST only (405 before the log-in check); new codes for a device holder, enrolment first otherwise.
    "two_factor_recovery_codes": Row(
        None, None, {"GET": 405, "POST": {ALL: 302, ANON: LOGIN, ("community", "admin"): 200}}
    ),
    # A user's own API tokens: an empty form is a 400; revoking reaches one's own token only.
    "api_tokens": page(post=400),
    "api_token_revoke": page("api_token", get=405, post={ALL: 404, "community": 302}),
    # Client keys: the district's command centre keeps its district's, the admin everyone's.
    "orgs:client_keys": back_office(may=("district", "admin")),
    "orgs:client_key_revoke": page("client_key", get=405, post={ALL: 404, ("district", "admin"): 302}),
    "core:audit": page(get=ADMIN_ONLY),  # the auditors' permission; the admin has every one
    # grids -------------------------------------------------------------------------------------
    "grids:tree": page(get=PLACES),
    "grids:area": page("area", get=PLACES),
    # 一张图 and its layers: whoever works with places; a layer holds their scope (tests/grids/test_map.py).
    "grids:map": page(get=PLACES),
    "grids:map_grids": page(get=PLACES),
    "grids:map_buildings": page(get=PLACES),
    "grids:area_children": page("area", get=PLACES),
    "grids:household": page("household", get=PLACES),
    "grids:household_edit": page("household", get={ALL: 404, ("grid_a", "grid_b", "community", "admin"): 200}),
    "grids:resident_create": page("household", get=405, post={ALL: 400, DEPARTMENTS: 404}),
    "grids:resident_search": page(get=PLACES),
    "grids:resident": page("resident", get=PLACES),
    "grids:expiring_tags": page(get={ALL: 404, ("community", "admin"): 200}),  # the community's work
    # Only those who may reveal (community staff with the sensitive permission, the admin);
    # an empty form is a 400.
    "grids:resident_reveal": page("resident", get=405, post={ALL: 404, ("community", "admin"): 400}),
    # The back office (core.backoffice): lists and histories for anyone with places; the forms for
    # who may write there. The grid's places: community staff; a new street: the district's staff.
    "grids:place_list": page(get=PLACES),
    "grids:place_create": back_office(may=("community", "district", "admin")),
    "grids:place_edit": back_office("area", may=("community", "admin")),
    "grids:place_move": back_office("area", may=("community", "admin")),
    "grids:place_remove": back_office("area", may=("community", "admin")),
    "grids:place_merge": back_office("area", may=("community", "admin")),  # tests/grids/test_merge.py
    "grids:place_history": page("area", get=PLACES),
    "grids:household_list": page(get=PLACES),
    "grids:household_create": back_office(may=PEOPLE_EDITORS),
    "grids:household_move_in": back_office("household", may=PEOPLE_EDITORS),
    "grids:household_head": back_office("household", may=PEOPLE_EDITORS),
    "grids:household_history": page("household", get=PLACES),
    "grids:resident_list": page(get=PLACES),
    "grids:resident_edit": back_office("resident", may=PEOPLE_EDITORS),
    "grids:resident_end": back_office("resident", may=PEOPLE_EDITORS),
    "grids:resident_tag": back_office("resident", may=PEOPLE_EDITORS),
    "grids:resident_untag": back_office("resident", may=PEOPLE_EDITORS),
    "grids:resident_history": page("resident", get=PLACES),
    # Posts follow the org chain: the grid's post is the community's to end; any level appoints below.
    "orgs:post_list": page(get=PLACES),
    "orgs:post_create": back_office(may=("community", "street", "district", "admin")),
    "orgs:post": page("post", get=PLACES),
    "orgs:post_end": back_office("post", may=("community", "admin")),
    # Only an A slot is handed over, and the matrix's posts hold none (tests/orgs/test_post_pages.py).
    "orgs:post_hand_over": page("post", get=404),
    "orgs:post_history": page("post", get=PLACES),
    # The import: those who keep people (an upload without a file is a 400); a run is its owner's
    # alone (the world's is the community's; the admin's outside one is the admin's, and missing).
    "grids:import_start": page(get={ALL: 404, PEOPLE_EDITORS: 200}, post={ALL: 404, PEOPLE_EDITORS: 400}),
    "grids:import_template": page(get={ALL: 404, PEOPLE_EDITORS: 200}),
    "grids:import_run": page("import", get=OWN_RUN),
    "grids:import_status": page("import", get=OWN_RUN),
    "grids:import_refused": page("import", get=OWN_RUN),
    "grids:import_apply": page("import", get=405, post={ALL: 404, "community": 302}),
    # Every kind's import pages (by the buildings import: community staff keep buildings); a kind
    # that names nothing is a 404 for everyone.
    "grids:kind_import_start": page(
        "import_kind", get={ALL: 404, ("community", "admin"): 200}, post={ALL: 404, ("community", "admin"): 400}
    ),
    "grids:kind_import_template": page("import_kind", get={ALL: 404, ("community", "admin"): 200}),
    "grids:kind_import_run": page("kind_import", get=OWN_RUN),
    "grids:kind_import_status": page("kind_import", get=OWN_RUN),
    "grids:kind_import_refused": page("kind_import", get=OWN_RUN),
    "grids:kind_import_apply": page("kind_import", get=405, post={ALL: 404, "community": 302}),
    # Fixing a refused row of an applied run: its owner's form; an empty one is refused by the check.
    "grids:import_fix": page("import_row", get=OWN_RUN, post={ALL: 404, "community": 400}),
    # Geometry (grids.geo_views): the import for who keeps grids or communities, its runs their
    # owner's (the route run's file is no FeatureCollection: its apply is refused back to the run);
    # the export of a street or community for whoever sees it; the 位置 page for the place's keeper;
    # the lookup a POST (an empty one a 400) for anyone with places.
    "grids:geometry_import": back_office(may=("community", "district", "admin")),
    "grids:geometry_import_run": page("geometry_run", get=OWN_RUN),
    "grids:geometry_import_apply": page("geometry_run", get=405, post={ALL: 404, "community": 302}),
    "grids:geometry_export": page("community", get=COMMUNITY_PAGE),
    "grids:area_shape": back_office("area", may=("community", "admin")),
    "grids:locate": page(get=405, post={ALL: 400, DEPARTMENTS: 404}),
    # The export: community staff and the offices above; an empty form is a 400.
    "grids:export_residents": page(
        get=EXPORTERS, post={**EXPORTERS, ("community", "street", "district", "admin"): 400}
    ),
    # orgs --------------------------------------------------------------------------------------
    "orgs:chart": page(get=PLACES),
    "orgs:organization": page("organization", get={**PLACES, "grid_b": 404}),  # grid B has no branch
    "orgs:members": page(get=PLACES),  # the roll's list under its older name
    # The party roll: read by anyone with places (grid B has no branch of its own), kept by the
    # offices above the organisation. The matrix's members are not in service (no 双报到 or points)
    # and look after no household (nothing to unassign): tests/orgs/test_member_pages.py has those.
    "orgs:member_list": page(get=PLACES),
    "orgs:member": page("member", get={**PLACES, "grid_b": 404}),
    "orgs:member_create": back_office(may=MEMBER_KEEPERS),
    "orgs:member_edit": back_office("member", may=MEMBER_KEEPERS),
    "orgs:member_transfer": back_office("member", may=MEMBER_KEEPERS),
    "orgs:member_dual": page("member", get=404),
    "orgs:member_points": page("member", get=404),
    "orgs:member_correct": page("member", get=404),
    "orgs:member_assign": back_office("member", may=MEMBER_KEEPERS),
    "orgs:member_unassign": page("member", get=404),  # they look after no household yet
    "orgs:member_history": page("member", get={**PLACES, "grid_b": 404}),
    "orgs:coverage": page(get=PLACES),
    "orgs:community_structure": page("community", get=COMMUNITY_PAGE),
    # Party organisations on pages: the world's is grid A's branch (K1's 总支 for grid B, outside
    # its scope). Its seat is inside K1, S1 and the district, so their staff keep it; its committee
    # follows the chain of posts, the community's to appoint (tests/orgs/test_organization_pages.py).
    "orgs:organization_list": page(get=PLACES),
    "orgs:organization_create": back_office(may=("community", "street", "district", "admin")),
    "orgs:organization_edit": back_office("organization", may=("community", "street", "district", "admin")),
    "orgs:organization_cover": back_office("organization", may=("community", "street", "district", "admin")),
    "orgs:organization_appoint": back_office("organization", may=("community", "admin")),
    "orgs:organization_end_post": back_office("organization", may=("community", "admin")),
    "orgs:organization_history": page("organization", get={**PLACES, "grid_b": 404}),
    # cobuilding --------------------------------------------------------------------------------
    "cobuilding:unit_list": page(get=PLACES),
    "cobuilding:unit": page("unit", get=COMMUNITY_PAGE),
    "cobuilding:community_lists": page("community", get=COMMUNITY_PAGE),
    "cobuilding:need_claim": page("need", get=405, post={ALL: 404, ("community", "street", "admin"): 302}),
    "cobuilding:need_complete": page("need", get=405, post={ALL: 404, ("community", "street", "admin"): 302}),
    "cobuilding:meeting_list": page(get=PLACES),
    "cobuilding:meeting": page("meeting", get=COMMUNITY_PAGE),
    # The co-building back office: community staff for their community, street staff for their street.
    "cobuilding:unit_create": back_office(may=CO_BUILDERS),
    "cobuilding:unit_edit": back_office("unit", may=CO_BUILDERS),
    "cobuilding:unit_agreement": back_office("unit", may=CO_BUILDERS),
    "cobuilding:unit_end_agreement": back_office("unit", may=CO_BUILDERS),
    "cobuilding:unit_points": back_office("unit", may=CO_BUILDERS),
    "cobuilding:unit_correct_points": back_office("unit", may=CO_BUILDERS),
    "cobuilding:unit_end": back_office("unit", may=CO_BUILDERS),
    "cobuilding:unit_rate": back_office("unit", may=CO_BUILDERS),
    "cobuilding:unit_history": page("unit", get=COMMUNITY_PAGE),
    "cobuilding:resource_list": page(get=PLACES),
    "cobuilding:resource_create": back_office(may=CO_BUILDERS),
    "cobuilding:resource": page("resource", get=COMMUNITY_PAGE),
    "cobuilding:resource_book": back_office("resource", may=CO_BUILDERS),
    "cobuilding:resource_cancel_booking": back_office("resource", may=CO_BUILDERS),
    "cobuilding:resource_history": page("resource", get=COMMUNITY_PAGE),
    # The world's need is the community's own, open: claimed by a unit, not answered, not yet finished.
    "cobuilding:need_list": page(get=PLACES),
    "cobuilding:need_create": back_office(may=CO_BUILDERS),
    "cobuilding:need": page("need", get=COMMUNITY_PAGE),
    "cobuilding:need_edit": back_office("need", may=CO_BUILDERS),
    "cobuilding:need_take": back_office("need", may=CO_BUILDERS),
    "cobuilding:need_answer": page("need", get=404),
    "cobuilding:need_finish": page("need", get=404),
    "cobuilding:need_history": page("need", get=COMMUNITY_PAGE),
    "cobuilding:meeting_create": back_office(may=CO_BUILDERS),
    "cobuilding:meeting_attendance": back_office("meeting", may=CO_BUILDERS),
    "cobuilding:meeting_history": page("meeting", get=COMMUNITY_PAGE),
    # The world's project is planned: it may start, not yet finish.
    "cobuilding:project_list": page(get=PLACES),
    "cobuilding:project_create": back_office(may=CO_BUILDERS),
    "cobuilding:project": page("project", get=COMMUNITY_PAGE),
    "cobuilding:project_begin": back_office("project", may=CO_BUILDERS),
    "cobuilding:project_finish": page("project", get=404),
    "cobuilding:project_history": page("project", get=COMMUNITY_PAGE),
    # funding -----------------------------------------------------------------------------------
    "funding:runs": page(get=PLACES, post=ADMIN_ONLY),  # starting a run: the admin here
    "funding:run": page("run", get=PLACES),
    "funding:run_status": page("run", get=PLACES),
    "funding:run_print": page("run", get=PLACES),
    "funding:run_export": page("run", get=PLACES),
    "funding:run_compare": page("run", get=PLACES),
    "funding:pay": page(get=PLACES),
    "funding:new_costs": page(get=ADMIN_ONLY),
    "funding:scenarios": page(get=PLACES),
    "funding:scenario_create": page(get={ALL: 404, ("street", "admin"): 200}),
    "funding:scenario": page("scenario", get={ALL: 404, ("community", "street", "district", "leader", "admin"): 200}),
    # cases -------------------------------------------------------------------------------------
    "cases:list": page(),
    "cases:queue": page("queue", get={ALL: 404, ("community", "admin"): 200}),  # 待受理: who triages
    "cases:board": page(get={ALL: 404, ("street", "district", "admin"): 200}),  # who dispatches
    "cases:ranking": page(),
    "cases:dashboard": page(),
    "cases:notifications": page(),
    "cases:notification_read": page("notification", get=405, post={ALL: 404, "community": 302}),  # one's own only
    "cases:notifications_read_all": page(get=405, post=302),
    "cases:notification_settings": page(),
    "cases:possible_duplicates": page(get={ALL: 400, DEPARTMENTS: 404}),  # no ?area=: a 400; officers have no places
    "cases:new": page(get={ALL: 200, ("sunk", "leader", *DEPARTMENTS): 404}),  # who reports
    "cases:detail": page("case", get=A_CASE),
    "cases:map_cases": page(get=PLACES),  # the map's case layer, as grids:map
    "cases:print": page("case", get=A_CASE),
    "cases:export": page(),  # the list as Excel, within each persona's scope
    "cases:saved_filter_create": page(get=405, post=302),  # an empty name: refused, back to the list
    # A saved filter is its owner's alone; no persona owns one with the case's id (tests/cases checks its owner).
    "cases:saved_filter_delete": page("case", get=405, post=404),
    "cases:accept": step(),
    "cases:reject": step(),
    "cases:merge": step(),
    "cases:whistle": step(),
    "cases:correct": step(),
    "cases:escalate": step(),
    "cases:dispatch": step(),
    "cases:sign": step(),
    "cases:return": step(),
    "cases:extend": step(),
    "cases:decide_extension": step(),
    "cases:resolve": step(),
    "cases:verify": step(),
    "cases:callback": step(),
    "cases:photo": page("photo", get=A_CASE),
    "cases:visit_new": back_office("household", may=PEOPLE_EDITORS),
    "cases:visits_due": page(get=PLACES),
    "cases:visit_photo": page("visit_photo", get=PLACES),
    "cases:visit_rule_list": page(get=PLACES),
    "cases:visit_rule_create": back_office(may=CO_BUILDERS),
    # A community's plan is read by those working under it, as their households follow it.
    "cases:visit_rule": page("visit_rule", get=PLACES),
    "cases:visit_rule_end": back_office("visit_rule", may=CO_BUILDERS),
    "cases:visit_rule_history": page("visit_rule", get=PLACES),
    # Event subscriptions: listed and created by who keeps an owner's (district staff, department
    # officers); the world's is the district's, so only its staff open it. It is on: no enable.
    "cases:webhook_list": page(get={ALL: 404, WEBHOOK_KEEPERS: 200}),
    "cases:webhook_create": back_office(may=WEBHOOK_KEEPERS),
    "cases:webhook": page("webhook", get=DISTRICT_HOOK),
    "cases:webhook_edit": back_office("webhook", may=("district", "admin")),
    "cases:webhook_disable": back_office("webhook", may=("district", "admin")),
    "cases:webhook_enable": page("webhook", get=404),
    "cases:webhook_replay": back_office("webhook", may=("district", "admin")),
    "cases:webhook_secret": back_office("webhook", may=("district", "admin")),
    "cases:webhook_history": page("webhook", get=DISTRICT_HOOK),
    "cases:webhook_delivery_list": page(get={ALL: 404, WEBHOOK_KEEPERS: 200}),
    "cases:webhook_delivery": page("webhook_delivery", get=DISTRICT_HOOK),
    "cases:webhook_delivery_replay": back_office("webhook_delivery", may=("district", "admin")),
    "cases:webhook_delivery_history": page("webhook_delivery", get=DISTRICT_HOOK),
    # gridwork: a grid's meetings, held by who keeps its work; the rules kept by community staff.
    "gridwork:due": page(get=PLACES),
    "gridwork:meeting_list": page(get=PLACES),
    "gridwork:meeting_create": back_office(may=PEOPLE_EDITORS),
    "gridwork:meeting": page("grid_meeting", get=PLACES),
    "gridwork:meeting_attendance": back_office("grid_meeting", may=PEOPLE_EDITORS),
    "gridwork:meeting_decide": back_office("grid_meeting", may=PEOPLE_EDITORS),
    "gridwork:meeting_history": page("grid_meeting", get=PLACES),
    "gridwork:meeting_rule_list": page(get=PLACES),
    "gridwork:meeting_rule_create": back_office(may=CO_BUILDERS),
    "gridwork:meeting_rule": page("meeting_rule", get=PLACES),
    "gridwork:meeting_rule_end": back_office("meeting_rule", may=CO_BUILDERS),
    "gridwork:meeting_rule_history": page("meeting_rule", get=PLACES),
    # estates: the lists for street and community staff, each object's page for anyone who sees
    # its compound; the street admits, ends, assesses and
    # decides, street and community staff inspect. A's company is under 整改 (re-assessed by the
    # street); the exit decision waits for a re-assessment still below the mark, so none here.
    "estates:company_list": page(get={ALL: 404, CO_BUILDERS: 200}),
    "estates:company": page("property_company", get=PLACES),
    "estates:company_history": page("property_company", get=PLACES),
    "estates:term_list": page(get={ALL: 404, CO_BUILDERS: 200}),
    "estates:term_create": back_office(may=DECIDERS),
    "estates:term": page("property_term", get=PLACES),
    "estates:term_exit": back_office("property_term", may=DECIDERS),
    "estates:term_history": page("property_term", get=PLACES),
    "estates:inspection_list": page(get={ALL: 404, CO_BUILDERS: 200}),
    "estates:inspection_create": back_office(may=CO_BUILDERS),
    "estates:inspection": page("property_inspection", get=PLACES),
    "estates:inspection_history": page("property_inspection", get=PLACES),
    "estates:round_list": page(get={ALL: 404, CO_BUILDERS: 200}),
    "estates:round_create": back_office(may=DECIDERS),
    "estates:round": page("property_round", get=PLACES),
    "estates:round_history": page("property_round", get=PLACES),
    "estates:assessment_list": page(get={ALL: 404, CO_BUILDERS: 200}),
    "estates:assessment": page("property_assessment", get=PLACES),
    "estates:assessment_reassess": back_office("property_assessment", may=DECIDERS),
    "estates:assessment_decide": page("property_assessment", get=404),
    "estates:assessment_history": page("property_assessment", get=PLACES),
    # alliances: a street's alliance is seen from every place under it and kept by the street; its
    # joint meeting (at the street) by the street and above; 双报告 by who keeps the party roll.
    "alliances:alliance_list": page(get=PLACES),
    "alliances:alliance_create": back_office(may=CO_BUILDERS),
    "alliances:alliance": page("alliance", get=PLACES),
    "alliances:alliance_committee": back_office("alliance", may=STREET_KEEPERS),
    "alliances:alliance_member": back_office("alliance", may=STREET_KEEPERS),
    "alliances:alliance_hand_over": back_office("alliance", may=STREET_KEEPERS),
    "alliances:alliance_history": page("alliance", get=PLACES),
    "alliances:meeting_list": page(get=PLACES),
    "alliances:meeting_create": back_office(may=CO_BUILDERS),
    "alliances:meeting": page("joint_meeting", get=STREET_UP),
    "alliances:meeting_committee": back_office("joint_meeting", may=STREET_KEEPERS),
    "alliances:meeting_decide": back_office("joint_meeting", may=STREET_KEEPERS),
    "alliances:meeting_history": page("joint_meeting", get=STREET_UP),
    "alliances:service_list": page(get=PLACES),
    "alliances:service": page("in_service", get={**PLACES, "grid_b": 404}),
    "alliances:service_record": back_office("in_service", may=MEMBER_KEEPERS),
    "alliances:service_history": page("in_service", get={**PLACES, "grid_b": 404}),
    "alliances:unit_report": page("unit", get=COMMUNITY_PAGE),
    "alliances:unit_report_export": page("unit", get=COMMUNITY_PAGE),
    # The world's unit has no e-mail: the keepers are sent back to the page with the reason.
    "alliances:unit_report_send": page("unit", get=405, post={ALL: 404, MEMBER_KEEPERS: 302}),
    # 挂牌上岗: a grid's plate for anyone who sees the grid; a post's card for who may appoint to it
    # (an empty card is a valid one), its photo public while the post is held (none here: 404).
    "gridwork:grid_plate": page("area", get=PLACES),
    "gridwork:post_card": page(
        "post", get={ALL: 404, ("community", "admin"): 200}, post={ALL: 404, ("community", "admin"): 302}
    ),
    "orgs:card_photo": public("post", get=404, post=404),
    # hall: the station's requests, seen by whoever sees their community or building; the steps by
    # the station's staff. Over the API an empty 办结 is a valid one (the result is optional).
    "hall:stats": page(get=PLACES),
    "hall:request_list": page(get=PLACES),
    "hall:request_create": back_office(may=STATION),
    "hall:request": page("service_request", get=PLACES),
    "hall:request_assign": back_office("service_request", may=STATION),
    "hall:request_complete": back_office("service_request", may=STATION),
    "hall:request_refuse": back_office("service_request", may=STATION),
    "hall:request_history": page("service_request", get=PLACES),
    "hall:plate_request": public("plate"),
    "hall:proxy_request": back_office("household", may=PEOPLE_EDITORS),  # 网格员代办  # an empty form re-rendered
    # appraisal: rounds kept by the community's staff, read by the community and above; a ballot's
    # link, a plate's entry and a published report are public (an empty ballot is a 400); training
    # for whoever sees the grid; a worker's year for the worker and who reads every worker.
    "appraisal:round_list": page(get=PLACES),
    "appraisal:round_create": back_office(may=CO_BUILDERS),
    "appraisal:round": page("evaluation_round", get=COMMUNITY_PAGE),
    "appraisal:round_links": page("evaluation_round", get={ALL: 404, CO_BUILDERS: 200}),
    "appraisal:round_report": back_office("evaluation_round", may=CO_BUILDERS),
    "appraisal:round_history": page("evaluation_round", get=COMMUNITY_PAGE),
    "appraisal:ballot": public("ballot", post=400),
    "appraisal:qr_ballot": public("qr_ballot", post=400),
    "appraisal:report": public("report"),
    "appraisal:training_due": page(get=PLACES),
    "appraisal:training_list": page(get=PLACES),
    "appraisal:training_create": back_office(may=CO_BUILDERS),
    "appraisal:training": page("training", get=PLACES),
    "appraisal:training_history": page("training", get=PLACES),
    "appraisal:ranking": page(get=PLACES),
    "appraisal:worker": page(
        "worker", get={ALL: 404, ("grid_a", "grid_b", "community", "street", "leader", "admin"): 200}
    ),
    "appraisal:assessment": page("community", get=COMMUNITY_LINE),
    "appraisal:assessment_export": page("community", get=COMMUNITY_LINE),
    # A department's line: its own officers, and the district's dispatchers and leaders above it.
    "appraisal:department_assessment": page("department", get=DEPARTMENT_LINE),
    "appraisal:department_assessment_export": page("department", get=DEPARTMENT_LINE),
    "cases:door_plates": page(
        "community",
        get={ALL: 404, ("community", "street", "admin"): 200},
        post={ALL: 404, ("community", "street", "admin"): 302},  # issues the missing plates
    ),
    "cases:plate_duplicates": public("plate"),
    "cases:resident_report": public("plate"),  # an empty form re-rendered
    "cases:track": public(),
    "cases:track_case": public("tracking"),
    "cases:track_photo": public("tracking_photo", get=404, post=404),
    # Open311 GeoReport v2: public reads, the same for everyone (a session is no Open311 caller).
    # A list needs its jurisdiction_id (two districts here): 400; a POST without api_key: 400.
    "open311:discovery": public(post=405),
    "open311:services": public(post=405),
    "open311:service": public("open311_service", post=405),
    "open311:requests": public(get=400, post=400),
    "open311:request": public("open311_request", post=405),
    "open311:token": public("open311_token", post=405),
    # The API -----------------------------------------------------------------------------------
    "api-root": api(),
    "schema": api(),  # the schema and its docs: signed-in users and token holders only
    "api-docs": api(),
    "health": public(post=405),  # the load balancer's, anonymous
    "health_full": public(post=405),  # monitoring's, anonymous like the probe
    "metrics": public(post=405),  # the test client talks from 127.0.0.1 directly (tests/test_ops.py: from elsewhere)
    "area-list": api(),
    "area-detail": api("area", get=PLACES),
    "household-list": api(get=400),  # ?building= is required
    "household-detail": api("household", get=PLACES),
    "resident-list": api(),
    "resident-search": api(get=405, post=400),  # an empty body
    "resident-detail": api("resident", get=PLACES),
    "organization-list": api(),
    "organization-detail": api("organization", get={**PLACES, "grid_b": 404}),
    "party-member-list": api(),
    "party-member-detail": api("member", get={**PLACES, "grid_b": 404}),
    "post-list": api(),
    "post-detail": api("post", get=PLACES),
    "co-building-unit-list": api(),
    "co-building-unit-detail": api("unit", get=COMMUNITY_PAGE),
    "need-list": api(),
    "need-detail": api("need", get=COMMUNITY_PAGE),
    "need-claim": api("need", get=405, post={ALL: 404, ("community", "street", "admin"): 400}),
    "need-complete": api("need", get=405, post={ALL: 404, ("community", "street", "admin"): 400}),
    "agreement-list": api(),
    "agreement-detail": api("agreement", get=COMMUNITY_PAGE),
    "shared-resource-list": api(),
    "shared-resource-detail": api("resource", get=COMMUNITY_PAGE),
    "service-project-list": api(),
    "service-project-detail": api("project", get=COMMUNITY_PAGE),
    "funding-estimate": api(get=405, post=400),
    "case-list": api(post=400),
    "training-list": api(post=400),  # an empty body is refused before anything is looked up
    "training-detail": api("training", get=PLACES),
    "evaluation-round-list": api(),
    "evaluation-round-detail": api("evaluation_round", get=COMMUNITY_PAGE),
    "yearly-evaluation-list": api(),
    "grid-meeting-list": api(post=400),  # an empty body is refused before anything is looked up
    # 物业服务: an empty body is refused before anything is looked up; an action finds its object
    # first. A re-assessment on the day of the round is refused (400) to the street, the only one
    # who may make it.
    "property-term-list": api(post=400),
    "property-term-detail": api("property_term", get=PLACES),
    "property-term-end": api("property_term", get=405, post={ALL: 400, DEPARTMENTS: 404}),
    "property-inspection-list": api(post=400),
    "property-inspection-detail": api("property_inspection", get=PLACES),
    "property-round-list": api(post=400),
    "property-round-detail": api("property_round", get=PLACES),
    "property-assessment-list": api(),
    "property-assessment-detail": api("property_assessment", get=PLACES),
    "property-assessment-reassess": api("property_assessment", get=405, post={ALL: 404, DECIDERS: 400}),
    "property-assessment-decide": api("property_assessment", get=405, post={ALL: 400, DEPARTMENTS: 404}),
    "grid-meeting-detail": api("grid_meeting", get=PLACES),
    "grid-meeting-decide": api("grid_meeting", get=405, post={ALL: 400, DEPARTMENTS: 404}),
    "service-item-list": api(),  # the catalogue: configuration, the same for everyone
    "service-item-detail": api("service_item"),
    "service-request-list": api(post=400),
    "service-request-detail": api("service_request", get=PLACES),
    "service-request-assign": api("service_request", get=405, post={ALL: 400, DEPARTMENTS: 404}),
    "service-request-complete": api("service_request", get=405, post={ALL: 404, STATION: 200}),
    "service-request-refuse": api("service_request", get=405, post={ALL: 400, DEPARTMENTS: 404}),
    "alliance-list": api(),  # an empty list for a department officer, like the other lists
    "alliance-detail": api("alliance", get=PLACES),
    # No chair has served and no member is in the rotation: the keepers are told so (400).
    "alliance-hand-over": api("alliance", get=405, post={ALL: 404, STREET_KEEPERS: 400}),
    "case-metrics": api(),
    # 12345转办 by a client key (or staff who may report): an empty body misses every field.
    "case-refer": api(get=405, post=400),
    # A resident's rating by the 查询码 in the body, without a log-in: an empty body is refused.
    "case-rate": public(get=405, post=400),
    "case-detail": api("case", get=A_CASE),
    "case-events": api("case", get=A_CASE),
    # Steps over the API, with an empty body, on the A1 case (dispatched to 城管局) or, for grid
    # worker B, the B1 case (just reported): 400 for the missing fields, 409 for the wrong status.
    "case-accept": api("case", get=405, post={ALL: 409, "grid_b": 403, "officer_mz": 404}),
    "case-reject": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-merge": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-whistle": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-correct": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-escalate": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-dispatch": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-sign": api("case", get=405, post={ALL: 403, ("officer", "admin"): 200, "grid_b": 409, "officer_mz": 404}),
    "case-return": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-extend": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-decide_extension": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-resolve": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-verify": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-callback": api("case", get=405, post={ALL: 400, "officer_mz": 404}),
    "case-category-list": api(),
    "case-category-detail": api("category"),
    "routing-rule-list": api(),
    # A list of what each keeps (empty for the rest); an empty POST is refused for its missing fields.
    "webhook-subscription-list": api(post=400),
    "webhook-subscription-detail": api("webhook", get=DISTRICT_HOOK),
    "routing-rule-detail": api("rule", get={ALL: 404, ("district", "leader", "admin"): 200}),  # a district's rule
}


# The kind of the areas the rows are parametrised by: a room's namespace, the API, or the site.
def _area(name: str) -> str:
    if ":" in name:
        return name.split(":")[0]
    return "api" if ROUTES[name].pattern.startswith("api/") else "site"


ROUTES = routes()
AREAS = sorted({_area(name) for name in ROUTES})


def test_every_route_has_a_row():
    missing_rows = [name for name in ROUTES if name not in ROWS]
    stale = [name for name in ROWS if name not in ROUTES]
    stubs = "\n".join(_stub(ROUTES[name]) for name in missing_rows)
    assert not missing_rows, f"routes without a row in ROWS (tests/trust/test_route_matrix.py):\n{stubs}"
    assert not stale, f"rows for routes that no longer exist: {stale}"


def _stub(route) -> str:
    helper = "api" if route.pattern.startswith("api/") else "page"
    obj = '"KIND", ' if route.kwargs else ""
    extra = "".join(f", {method}=..." for method in route.methods[2:])
    return f'    "{route.name}": {helper}({obj}get=..., post=...{extra}),  # /{route.pattern}'


def test_the_rows_name_a_kind_exactly_for_the_routes_that_take_an_object():
    wrong = [name for name, row in ROWS.items() if name in ROUTES and bool(row.obj) != bool(ROUTES[name].kwargs)]
    assert not wrong


@pytest.fixture
def clients(world):
    made = {}
    for role in ROLES:
        made[role] = Client(raise_request_exception=False)  # a 500 is a status to report, not a traceback
        if role != ANON:
            force_login_verified(made[role], world.users[role])
    return made


def _ask(client: Client, method: str, path: str) -> int | str:
    """One request, rolled back afterwards with the cookies it changed (a log-out ends the session)."""
    cookies = copy.deepcopy(client.cookies)
    cache.clear()  # the QR page's per-address and per-device counters are not rolled back with the rows
    beat_heartbeat()  # and /health/full/ answers 200 only with a recent beat heartbeat in the cache
    content_type = "application/json" if path.startswith("/api/") else "application/x-www-form-urlencoded"
    with transaction.atomic():
        response = client.generic(method, path, content_type=content_type)
        transaction.set_rollback(True)
    client.cookies = cookies
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


def _outside(expected: int | str, role: str) -> int | str:
    """Refused before any lookup (not signed in, the method not allowed): the same; else 404."""
    if expected in (LOGIN, 405) or (role == ANON and expected == 401):
        return expected
    return 404


@pytest.mark.parametrize("area", AREAS)
def test_every_route_answers_every_persona_as_its_row_says(world, clients, settings, tmp_path, area):
    settings.MEDIA_ROOT = tmp_path  # the case photos the targets carry
    targets = build_targets(world)
    wrong = []
    for name, route in ROUTES.items():
        if _area(name) != area or name not in ROWS:
            continue
        row = ROWS[name]
        for method in route.methods:
            for role in ROLES:
                expected = row.expected(method, role)
                if not route.kwargs:
                    asks = [(route.path({}), expected)]
                else:
                    own = targets[HOME.get(role, "A1")][row.obj]
                    other = targets[OUTSIDE][row.obj]
                    if role == "admin" or row.obj in GLOBAL_KINDS:
                        other = missing(other)
                    asks = [(route.path(own), expected), (route.path(other), _outside(expected, role))]
                for path, want in asks:
                    got = _ask(clients[role], method, path)
                    if got != want:
                        wrong.append(f"{name:28} {method:6} {role:11} {path:40} expected {want}, got {got}")
    assert not wrong, "\n".join(["", *wrong])
