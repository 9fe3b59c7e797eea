"""Every page and endpoint reads the same number of queries whatever the size of what it shows.

One world, measured twice: with 3 of everything in K1 (cases with their events, households,
visits, residents, key-group tags, party members, co-building units, needs and meetings) and again
after growing it to 30. Every named route is either read here or listed in NOT_READ with the
reason; a new route fails `test_every_route_is_measured_or_says_why_not` until it is one or the other.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from alliances import services as alliance_services
from alliances.models import Alliance, CommitteeMember, DualReport
from appraisal import services as appraisal_services
from cases import services as case_services
from cases import workflow
from cases.models import Case, DoorPlate, WebhookDelivery, WebhookKind
from cases.webhooks import services as webhook_services
from cobuilding import services as cobuilding_services
from cobuilding.models import CoBuildingUnit, JointMeeting, Need, ResourceBooking, SharedResource
from core import api_tokens
from core.scope import SYSTEM
from estates import services as estate_services
from grids import services as grid_services
from grids.models import AreaKind
from gridwork import services as meeting_services
from gridwork.models import MeetingKind
from gridwork.services import Raise
from hall import services as hall_services
from hall.models import ServiceItem
from orgs import cards, client_keys
from orgs import services as org_services
from orgs.models import Department, DepartmentKind, PartyMember, Post, Role
from tests.cases.conftest import category
from tests.factories import AreaFactory, HouseholdFactory, ResidentFactory, key_group

SMALL, LARGE = 3, 30


def _chengguan() -> int:
    return Department.objects.get(name="城管局").pk


# (route, persona, the route's arguments from the world and what was grown, query string or how to make it)
READS = [
    ("home", "community", None, ""),
    ("home", "grid_a", None, ""),
    ("home", "street", None, ""),
    ("home", "officer", None, ""),
    ("home", "leader", None, ""),
    ("grids:tree", "community", None, ""),
    ("grids:area", "community", lambda w, g: [w.areas["A1"].pk], ""),
    ("grids:area", "community", lambda w, g: [w.areas["K1"].pk], ""),
    ("grids:area_children", "street", lambda w, g: [w.areas["S1"].pk], ""),
    # The world has no shapes: these pin the empty map; tests/grids/test_map.py grows a drawn one.
    ("grids:map", "community", None, ""),
    ("grids:map_grids", "community", None, "zoom=12&measure=open"),
    ("grids:map_buildings", "community", None, "zoom=17"),
    ("cases:map_cases", "community", None, "zoom=12"),
    ("cases:map_cases", "grid_a", None, "zoom=17&period=30"),
    ("grids:household", "community", lambda w, g: [w.households["A1"].pk], ""),
    ("grids:household_edit", "community", lambda w, g: [w.households["A1"].pk], ""),
    ("grids:resident_search", "community", None, "q=居民"),
    ("grids:resident", "community", lambda w, g: [w.residents["A1"].pk], ""),
    ("grids:place_list", "community", None, ""),
    ("grids:place_list", "community", None, "kind=building"),
    ("grids:place_create", "community", None, ""),
    ("grids:place_history", "community", lambda w, g: [w.areas["A"].pk], ""),
    ("grids:household_list", "community", None, ""),
    ("grids:household_list", "community", None, "occupancy=owner"),
    ("grids:household_create", "community", None, ""),
    ("grids:household_move_in", "community", lambda w, g: [w.households["A1"].pk], ""),
    ("grids:household_head", "community", lambda w, g: [w.households["A1"].pk], ""),
    ("grids:household_history", "community", lambda w, g: [w.households["A1"].pk], ""),
    ("grids:resident_list", "community", None, ""),
    ("grids:resident_list", "community", None, "living=true&name=居民"),
    ("grids:resident_edit", "community", lambda w, g: [w.residents["A1"].pk], ""),
    ("grids:resident_end", "community", lambda w, g: [w.residents["A1"].pk], ""),
    ("grids:resident_tag", "community", lambda w, g: [w.residents["A1"].pk], ""),
    ("grids:resident_untag", "community", lambda w, g: [w.residents["A1"].pk], ""),
    ("grids:resident_history", "community", lambda w, g: [w.residents["A1"].pk], ""),
    ("orgs:post_list", "community", None, ""),
    ("orgs:post_list", "street", None, "active=true"),
    ("orgs:post_create", "community", None, ""),
    ("grids:import_start", "community", None, ""),
    ("grids:kind_import_start", "community", lambda w, g: ["buildings"], ""),
    ("grids:kind_import_start", "community", lambda w, g: ["posts"], ""),
    ("grids:kind_import_start", "street", lambda w, g: ["members"], ""),
    ("grids:export_residents", "community", None, ""),
    ("grids:geometry_import", "community", None, ""),
    ("grids:geometry_export", "community", lambda w, g: [w.areas["K1"].pk], ""),
    ("grids:area_shape", "community", lambda w, g: [w.areas["A1"].pk], ""),
    ("grids:expiring_tags", "community", None, ""),
    ("orgs:chart", "community", None, ""),
    ("orgs:organization", "community", lambda w, g: [w.orgs["A"].pk], ""),
    ("orgs:members", "community", None, ""),
    ("orgs:organization_list", "community", None, ""),
    ("orgs:organization_list", "street", None, "kind=grid_branch"),
    ("orgs:organization_list", "district", None, lambda w, g: f"area={w.areas['K1'].pk}"),
    ("orgs:organization_create", "community", None, ""),
    ("orgs:organization_edit", "community", lambda w, g: [w.orgs["A"].pk], ""),
    ("orgs:organization_cover", "community", lambda w, g: [w.orgs["A"].pk], ""),
    ("orgs:organization_appoint", "community", lambda w, g: [w.orgs["A"].pk], ""),
    ("orgs:organization_end_post", "street", lambda w, g: [w.orgs["K1"].pk], ""),
    ("orgs:member_list", "community", None, ""),
    ("orgs:member_list", "street", None, "kind=floating&in_roll=true&dual=false"),
    ("orgs:member", "community", lambda w, g: [g["member"].pk], ""),
    ("orgs:member_create", "community", None, ""),
    ("orgs:member_transfer", "community", lambda w, g: [g["member"].pk], ""),
    ("orgs:member_assign", "community", lambda w, g: [g["member"].pk], ""),
    ("orgs:coverage", "street", None, ""),
    ("orgs:community_structure", "community", lambda w, g: [w.areas["K1"].pk], ""),
    ("cobuilding:unit_list", "community", None, ""),
    ("cobuilding:unit", "community", lambda w, g: [g["unit"].pk], ""),
    ("cobuilding:community_lists", "community", lambda w, g: [w.areas["K1"].pk], ""),
    ("cobuilding:meeting_list", "community", None, ""),
    ("cobuilding:unit_list", "street", None, "current=true&kind=enterprise"),
    ("cobuilding:unit_create", "street", None, ""),
    ("cobuilding:unit_history", "community", lambda w, g: [g["unit"].pk], ""),
    ("cobuilding:resource_list", "community", None, ""),
    ("cobuilding:resource_create", "community", None, ""),
    ("cobuilding:resource", "community", lambda w, g: [g["resource"].pk], ""),
    ("cobuilding:resource_book", "community", lambda w, g: [g["resource"].pk], ""),
    ("cobuilding:resource_cancel_booking", "community", lambda w, g: [g["resource"].pk], ""),
    ("cobuilding:need_list", "community", None, ""),
    ("cobuilding:need_list", "street", None, "direction=community&status=open"),
    ("cobuilding:need_create", "community", None, ""),
    ("cobuilding:need", "community", lambda w, g: [g["need"].pk], ""),
    ("cobuilding:need_take", "community", lambda w, g: [g["need"].pk], ""),
    ("cobuilding:meeting_create", "community", None, ""),
    ("cobuilding:meeting_attendance", "community", lambda w, g: [g["meeting"].pk], ""),
    ("cobuilding:project_list", "community", None, ""),
    ("cobuilding:project_create", "community", None, ""),
    ("cobuilding:meeting", "community", lambda w, g: [g["meeting"].pk], ""),
    ("funding:runs", "street", None, ""),
    ("funding:runs", "street", None, "status=active"),
    ("funding:pay", "street", None, ""),
    ("funding:scenarios", "street", None, ""),
    ("funding:scenario_create", "street", None, ""),
    ("cases:list", "community", None, ""),
    ("cases:list", "community", None, "q=楼道&sort=due"),
    ("cases:export", "community", None, "q=楼道&sort=due"),
    ("cases:print", "community", lambda w, g: [g["case"].pk], ""),
    ("cases:possible_duplicates", "community", None, lambda w, g: f"area={w.areas['A1'].pk}"),
    ("cases:plate_duplicates", None, lambda w, g: [g["plate"].token], ""),
    ("cases:queue", "community", lambda w, g: ["triage"], ""),
    ("cases:queue", "officer", lambda w, g: ["inbox"], ""),
    ("cases:queue", "community", lambda w, g: ["verify"], ""),
    ("cases:queue", "grid_a", lambda w, g: ["mine"], ""),
    ("cases:queue", "grid_a", lambda w, g: ["my-open"], ""),
    ("cases:queue", "community", lambda w, g: ["late"], ""),
    ("cases:queue", "street", lambda w, g: ["dispatch"], ""),
    ("cases:queue", "officer", lambda w, g: ["to-sign"], ""),
    ("cases:board", "street", None, ""),
    ("cases:ranking", "leader", None, ""),
    ("cases:dashboard", "leader", None, ""),
    ("cases:notifications", "officer", None, ""),
    ("cases:notification_settings", "officer", None, ""),
    ("cases:new", "grid_a", None, ""),
    ("cases:detail", "community", lambda w, g: [g["case"].pk], ""),
    ("cases:detail", "officer", lambda w, g: [g["case"].pk], ""),
    ("cases:door_plates", "community", lambda w, g: [w.areas["K1"].pk], ""),
    ("cases:visit_new", "grid_a", lambda w, g: [w.households["A1"].pk], ""),
    ("cases:visits_due", "grid_a", None, ""),
    ("cases:visits_due", "community", None, ""),
    ("cases:visit_rule_list", "community", None, ""),
    ("cases:visit_rule_list", "grid_a", None, "current=true"),
    ("cases:visit_rule_create", "community", None, ""),
    ("cases:visit_rule", "community", lambda w, g: [g["visit_rule"].pk], ""),
    ("cases:visit_rule_end", "community", lambda w, g: [g["visit_rule"].pk], ""),
    ("cases:visit_rule_history", "community", lambda w, g: [g["visit_rule"].pk], ""),
    ("cases:webhook_list", "district", None, ""),
    ("cases:webhook_list", "officer", None, ""),
    ("cases:webhook_create", "district", None, ""),
    ("cases:webhook", "district", lambda w, g: [g["webhook"].pk], ""),
    ("cases:webhook_delivery_list", "district", None, ""),
    ("cases:webhook_delivery", "district", lambda w, g: [g["webhook_delivery"].pk], ""),
    ("gridwork:meeting_list", "community", None, ""),
    ("gridwork:meeting_list", "grid_a", None, ""),
    ("gridwork:meeting_create", "grid_a", None, ""),
    ("gridwork:meeting", "community", lambda w, g: [g["grid_meeting"].pk], ""),
    ("gridwork:meeting_attendance", "grid_a", lambda w, g: [g["grid_meeting"].pk], ""),
    ("gridwork:meeting_decide", "community", lambda w, g: [g["grid_meeting"].pk], ""),
    ("gridwork:due", "grid_a", None, ""),
    ("gridwork:due", "community", None, ""),
    ("gridwork:meeting_rule_list", "community", None, ""),
    ("gridwork:meeting_rule_create", "community", None, ""),
    ("gridwork:meeting_rule", "community", lambda w, g: [g["meeting_rule"].pk], ""),
    ("gridwork:meeting_rule_end", "community", lambda w, g: [g["meeting_rule"].pk], ""),
    ("alliances:alliance_list", "street", None, ""),
    ("alliances:alliance", "street", lambda w, g: [g["alliance"].pk], ""),
    ("alliances:alliance", "community", lambda w, g: [g["alliance"].pk], ""),
    ("alliances:alliance_create", "street", None, ""),
    ("alliances:alliance_committee", "street", lambda w, g: [g["alliance"].pk], ""),
    ("alliances:alliance_member", "street", lambda w, g: [g["alliance"].pk], ""),
    ("alliances:alliance_hand_over", "street", lambda w, g: [g["alliance"].pk], ""),
    ("alliances:meeting_list", "street", None, ""),
    ("alliances:meeting_create", "street", None, ""),
    ("alliances:meeting", "street", lambda w, g: [g["joint_meeting"].pk], ""),
    ("alliances:meeting_committee", "street", lambda w, g: [g["joint_meeting"].pk], ""),
    ("alliances:meeting_decide", "street", lambda w, g: [g["joint_meeting"].pk], ""),
    ("alliances:service_list", "community", None, ""),
    ("alliances:service", "community", lambda w, g: [g["in_service"].pk], ""),
    ("alliances:service_record", "community", lambda w, g: [g["in_service"].pk], ""),
    ("alliances:unit_report", "community", lambda w, g: [g["report_unit"].pk], "half=2025-1"),
    ("alliances:unit_report_export", "community", lambda w, g: [g["report_unit"].pk], "half=2025-1"),
    ("gridwork:grid_plate", "community", lambda w, g: [w.areas["A"].pk], ""),
    ("gridwork:grid_plate", "grid_a", lambda w, g: [w.areas["A"].pk], "size=a5"),
    ("gridwork:post_card", "community", lambda w, g: [g["card_post"].pk], ""),
    ("cases:resident_report", None, lambda w, g: [g["plate"].token], ""),
    ("cases:track", None, None, ""),
    ("cases:track_case", None, lambda w, g: [g["case"].tracking_code], ""),
    # appraisal: a round's tallies, links and public pages; training; the yearly evaluation.
    ("appraisal:round_list", "community", None, ""),
    ("appraisal:round_create", "community", None, ""),
    ("appraisal:round", "community", lambda w, g: [g["round"].pk], ""),
    ("appraisal:round_links", "community", lambda w, g: [g["round"].pk], ""),
    ("appraisal:round_report", "community", lambda w, g: [g["round"].pk], ""),
    (
        "appraisal:ballot",
        None,
        lambda w, g: [appraisal_services.household_link_token(g["round"], w.households["A2"])],
        "",
    ),
    ("appraisal:qr_ballot", None, lambda w, g: [g["plate"].token, g["round"].pk], ""),
    ("appraisal:report", None, lambda w, g: [g["round"].pk], ""),
    ("appraisal:training_due", "community", None, ""),
    ("appraisal:training_list", "community", None, ""),
    ("appraisal:training_create", "community", None, ""),
    ("appraisal:training", "community", lambda w, g: [g["training"].pk], ""),
    ("appraisal:ranking", "street", None, ""),
    ("appraisal:ranking", "grid_a", None, ""),
    ("appraisal:worker", "community", lambda w, g: [w.users["grid_a"].pk], ""),
    ("appraisal:worker", "grid_a", lambda w, g: [w.users["grid_a"].pk], ""),
    ("appraisal:assessment", "community", lambda w, g: [w.areas["K1"].pk], ""),
    ("appraisal:assessment_export", "community", lambda w, g: [w.areas["K1"].pk], ""),
    # 城管局's line, which K1's growing cases are dispatched to, read by its officer and the district.
    ("appraisal:department_assessment", "officer", lambda w, g: [_chengguan()], ""),
    ("appraisal:department_assessment", "district", lambda w, g: [_chengguan()], ""),
    ("appraisal:department_assessment_export", "officer", lambda w, g: [_chengguan()], ""),
    # 物业服务 at a compound of grid C (K2), read by the street: its cases and inspections grow,
    # and each growth opens a round whose assessment counts them all.
    ("estates:company_list", "street", None, ""),
    ("estates:company", "street", lambda w, g: [g["property_company"].pk], ""),
    ("estates:term_list", "street", None, ""),
    ("estates:term_create", "street", None, ""),
    ("estates:term", "street", lambda w, g: [g["property_term"].pk], ""),
    ("estates:term_exit", "street", lambda w, g: [g["property_term"].pk], ""),
    ("estates:inspection_list", "street", None, ""),
    ("estates:inspection_create", "street", None, ""),
    ("estates:inspection", "street", lambda w, g: [g["property_inspection"].pk], ""),
    ("estates:round_list", "street", None, ""),
    ("estates:round_create", "street", None, ""),
    ("estates:round", "street", lambda w, g: [g["property_round"].pk], ""),
    ("estates:assessment_list", "street", None, ""),
    ("estates:assessment", "street", lambda w, g: [g["property_assessment"].pk], ""),
    ("property-term-list", "street", None, ""),
    ("property-inspection-list", "street", None, ""),
    ("property-round-list", "street", None, ""),
    ("property-assessment-list", "street", None, ""),
    ("property-assessment-detail", "street", lambda w, g: [g["property_assessment"].pk], ""),
    ("area-list", "community", None, ""),
    ("area-detail", "community", lambda w, g: [w.areas["K1"].pk], ""),
    ("household-list", "community", None, lambda w, g: f"area={w.areas['K1'].pk}"),
    ("household-detail", "community", lambda w, g: [w.households["A1"].pk], ""),
    ("resident-list", "community", None, "q=居民"),
    ("resident-detail", "community", lambda w, g: [w.residents["A1"].pk], ""),
    ("organization-list", "community", None, ""),
    ("organization-detail", "community", lambda w, g: [w.orgs["A"].pk], ""),
    ("party-member-list", "community", None, ""),
    ("party-member-detail", "community", lambda w, g: [g["member"].pk], ""),
    ("post-list", "community", None, ""),
    ("co-building-unit-list", "community", None, ""),
    ("co-building-unit-detail", "community", lambda w, g: [g["unit"].pk], ""),
    ("need-list", "community", None, ""),
    ("need-detail", "community", lambda w, g: [g["need"].pk], ""),
    ("agreement-list", "community", None, ""),
    ("shared-resource-list", "community", None, ""),
    ("service-project-list", "community", None, ""),
    ("grid-meeting-list", "community", None, ""),
    ("grid-meeting-detail", "community", lambda w, g: [g["grid_meeting"].pk], ""),
    ("training-list", "community", None, ""),
    ("evaluation-round-list", "community", None, ""),
    ("evaluation-round-detail", "community", lambda w, g: [g["round"].pk], ""),
    ("yearly-evaluation-list", "street", None, ""),
    ("alliance-list", "street", None, ""),
    ("alliance-detail", "street", lambda w, g: [g["alliance"].pk], ""),
    ("joint-meeting-list", "street", None, ""),
    ("joint-meeting-detail", "street", lambda w, g: [g["joint_meeting"].pk], ""),
    ("service-activity-list", "community", None, ""),
    ("dual-report-list", "community", None, ""),
    ("visit-list", "grid_a", None, ""),
    ("visit-list", "community", None, lambda w, g: f"grid={w.areas['A'].pk}"),
    ("visit-detail", "community", lambda w, g: [g["visit"].pk], ""),
    ("visit-rule-list", "community", None, ""),
    ("case-list", "community", None, ""),
    ("case-list", "community", None, "q=楼道&sort=due"),
    ("case-list", "leader", None, ""),
    ("case-list", "officer", None, ""),
    ("case-metrics", "leader", None, ""),
    ("case-detail", "community", lambda w, g: [g["case"].pk], ""),
    ("case-events", "community", lambda w, g: [g["case"].pk], ""),
    ("case-category-list", "community", None, ""),
    ("routing-rule-list", "street", None, ""),
    ("webhook-subscription-list", "district", None, ""),
    ("hall:request_list", "community", None, ""),
    ("hall:request_list", "community", None, "open=true&overdue=true&mine=true"),
    ("hall:request_list", "grid_a", None, ""),
    ("hall:request_create", "community", None, ""),
    ("hall:request", "community", lambda w, g: [g["service_request"].pk], ""),
    ("hall:request_assign", "community", lambda w, g: [g["service_request"].pk], ""),
    ("hall:request_complete", "community", lambda w, g: [g["service_request"].pk], ""),
    ("hall:request_refuse", "community", lambda w, g: [g["service_request"].pk], ""),
    ("hall:stats", "community", None, ""),
    ("hall:plate_request", None, lambda w, g: [g["plate"].token], ""),
    ("hall:proxy_request", "grid_a", lambda w, g: [w.households["A1"].pk], ""),
    ("service-item-list", "community", None, ""),
    ("service-request-list", "community", None, ""),
    ("service-request-detail", "community", lambda w, g: [g["service_request"].pk], ""),
    ("core:audit", "admin", None, ""),
    ("api_tokens", "community", None, ""),
    ("orgs:client_keys", "district", None, ""),
    ("open311:services", None, None, ""),
    ("open311:requests", None, None, "jurisdiction_id=980101000000"),
    ("open311:requests", None, None, "jurisdiction_id=980101000000&status=open&service_code=urban-events-clutter"),
    ("open311:requests", None, None, lambda w, g: f"api_key={_open311_key(w, g)}"),
]


def _open311_key(world, grown) -> str:
    """The district's client key for Open311's reads as the district sees them, made once."""
    if "open311_key" not in grown:
        expires_on = timezone.localdate() + datetime.timedelta(days=90)
        grown["open311_key"] = client_keys.create_client_key(
            actor=SYSTEM, name="311应用", district=world.areas["district"], expires_on=expires_on
        )[1]
    return grown["open311_key"]


# Routes not read here, and why.
NOT_READ = {
    "login": "no data: the sign-in form",
    "logout": "a POST that ends the session",
    "password_change": "no data: a form",
    "password_change_done": "no data",
    "set_language": "a POST that sets a cookie",
    "health": "no data: SELECT 1",
    "health_full": "no data: SELECT 1 and a cache probe",
    "metrics": "no data: the process's counters",
    "two_factor": "one user's own devices",
    "two_factor_verify": "no data: the code form",
    "two_factor_enrol": "no data: one new secret",
    "two_factor_recovery_codes": "a POST that replaces one user's codes",
    "api_token_revoke": "a POST about one of the user's own tokens",
    "orgs:client_key_revoke": "a POST about one client key",
    "grids:resident_reveal": "a logged POST about one resident",
    "grids:resident_create": "a POST: a new resident of one household",
    "grids:import_template": "a file; its buildings list grows with the scope by design (tests/grids/test_import.py)",
    "grids:import_run": "one run's rows, paginated; pinned with a small and a large run in tests/grids/test_import.py",
    "grids:import_status": "one run by id and its progress",
    "grids:import_refused": "one run's stored file",
    "grids:import_apply": "a POST: one new run",
    "grids:kind_import_template": "a file; what it lists grows with the scope by design, as grids:import_template",
    "grids:kind_import_run": "as grids:import_run, one kind's",
    "grids:kind_import_status": "as grids:import_status",
    "grids:kind_import_refused": "as grids:import_refused",
    "grids:kind_import_apply": "as grids:import_apply",
    "cobuilding:need_claim": "a write about one need",
    "cobuilding:need_complete": "a write about one need",
    "cobuilding:unit_edit": "one unit's form, as cobuilding:unit",
    "cobuilding:unit_agreement": "one unit's form, as cobuilding:unit",
    "cobuilding:unit_end_agreement": "one unit's form and its agreements not ended (a handful a unit)",
    "cobuilding:unit_points": "one unit's form, as cobuilding:unit",
    "cobuilding:unit_correct_points": "one unit's form and its ledger entries not yet corrected (a unit's own)",
    "cobuilding:unit_end": "one unit's form, as cobuilding:unit",
    "cobuilding:resource_history": "one resource's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "cobuilding:need_edit": "one need's form, as cobuilding:need",
    "cobuilding:need_answer": "one need's form, as cobuilding:need (a unit's need; the world's are the community's)",
    "cobuilding:need_finish": "one need's form, as cobuilding:need (a claimed one)",
    "cobuilding:need_history": "one need's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "cobuilding:unit_rate": "one unit's form, as cobuilding:unit",
    "cobuilding:meeting_history": "one meeting's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "cobuilding:project": "one row, as cobuilding:project_list (none grown in this world)",
    "cobuilding:project_begin": "one project's form, as cobuilding:project",
    "cobuilding:project_finish": "one project's form, as cobuilding:project",
    "cobuilding:project_history": "one project's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "funding:run": "a stored budget run: its cost is its snapshot's, not the city's (funding tests pin it)",
    "funding:run_status": "as funding:run",
    "funding:run_print": "as funding:run",
    "funding:run_export": "as funding:run",
    "funding:run_compare": "as funding:run",
    "funding:scenario": "as funding:run",
    "funding:new_costs": "finance staff only, whom the persona world has not (tests/funding reads it)",
    "funding-estimate": "a pure calculation over the policy rows",
    "cases:saved_filter_create": "a POST: one user's own named filter",
    "cases:saved_filter_delete": "a POST: one user's own named filter",
    "cases:photo": "one stored file through the case's scope",
    "cases:notification_read": "a POST about one of the user's own notifications",
    "cases:notifications_read_all": "a POST that marks the user's own notifications read in one statement",
    "cases:track_photo": "one stored file of one case, found by its tracking code",
    "cases:visit_photo": "one stored file through the visit's scope",
    "cases:webhook_edit": "one subscription's form, as cases:webhook",
    "cases:webhook_disable": "a confirmation for one subscription",
    "cases:webhook_enable": "a confirmation for one subscription",
    "cases:webhook_replay": "one subscription's form, as cases:webhook",
    "cases:webhook_secret": "a confirmation for one subscription",
    "cases:webhook_history": "one subscription's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "cases:webhook_delivery_replay": "a confirmation for one delivery",
    "cases:webhook_delivery_history": "one delivery's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "gridwork:meeting_history": "one meeting's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "alliances:alliance_history": "one alliance's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "alliances:meeting_history": "one meeting's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "alliances:service_history": "one member's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "alliances:unit_report_send": "a POST: one unit's half-year mailed (tests/alliances/test_dual_report.py)",
    "gridwork:meeting_rule_history": "one rule's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "orgs:card_photo": "one stored file of one post's card",
    "post-detail": "one row, as post-list",
    "orgs:post": "one row, as orgs:post_list",
    "orgs:post_end": "one row's form, as orgs:post",
    "orgs:post_hand_over": "one row's form, as orgs:post",
    "orgs:post_history": "one post's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "orgs:organization_history": "one organisation's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "orgs:member_edit": "one member's form, as orgs:member",
    "orgs:member_dual": "one member's form and their community's co-building units",
    "orgs:member_points": "one member's form, as orgs:member",
    "orgs:member_correct": "one member's form and their own entries",
    "orgs:member_unassign": "one member's form and the households they look after",
    "orgs:member_history": "one member's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "grids:import_fix": "one row of the user's own run, read from its upload (tests/grids/test_import_fix.py pins it)",
    "grids:geometry_import_run": "one run's features, paginated, as grids:import_run",
    "grids:geometry_import_apply": "a POST: the run's file written, one query per feature by design",
    "grids:locate": "a POST: a point's grid and buildings, bounded by the bounding boxes' index",
    "grids:place_edit": "one area's form, as grids:area",
    "grids:place_move": "one area's form and the parents of its kind (grids:place_create reads those)",
    "grids:place_remove": "a confirmation for one area",
    "grids:place_merge": "one area's form and its neighbours of the same kind under the same parent",
    "need-claim": "a write about one need",
    "need-complete": "a write about one need",
    "agreement-detail": "one row, as agreement-list (none in the world)",
    "shared-resource-detail": "one row, as shared-resource-list (none in the world)",
    "service-project-detail": "one row, as service-project-list (none in the world)",
    "case-category-detail": "configuration, not data that grows",
    "routing-rule-detail": "configuration, not data that grows",
    "webhook-subscription-detail": "one row, as webhook-subscription-list",
    "resident-search": "a POST: the search by number (tests/trust pins it)",
    "case-refer": "a POST: one referral, found again by its reference",
    "case-rate": "a POST: one case's rating, found by its tracking code",
    "grid-meeting-decide": "a POST: one decision of one meeting",
    "hall:request_history": "one request's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "service-item-detail": "configuration, not data that grows",
    "service-request-assign": "a POST: one step of one request",
    "service-request-complete": "a POST: one step of one request",
    "service-request-refuse": "a POST: one step of one request",
    "appraisal:round_history": "one round's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "appraisal:training_history": "one session's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "training-detail": "one row, as training-list",
    "estates:company_history": "one company's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "estates:term_history": "one term's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "estates:inspection_history": "one inspection's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "estates:round_history": "one round's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "estates:assessment_history": "one assessment's audit entries, at most a page (core.backoffice.HISTORY_ROWS)",
    "estates:assessment_reassess": "one assessment's form, offered only under 整改 (tests/estates/test_pages.py)",
    "estates:assessment_decide": "one assessment's form, offered only once exit is proposed",
    "property-term-detail": "one row, as property-term-list",
    "property-term-end": "a POST: the exit of one term",
    "property-inspection-detail": "one row, as property-inspection-list",
    "property-round-detail": "one row, as property-round-list",
    "property-assessment-reassess": "a POST: one assessment's re-assessment",
    "property-assessment-decide": "a POST: one assessment's exit decision",
    "alliance-hand-over": "a POST: one alliance's chair handed over",
    "joint-meeting-attendance": "a POST: one joint meeting's committee present",
    "joint-meeting-decide": "a POST: one joint meeting's decision",
    "api-root": "no data",
    "schema": "no data: the OpenAPI document",
    "api-docs": "no data",
    "open311:discovery": "no data: where the endpoint is and its formats",
    "open311:service": "one category's definition",
    "open311:request": "one request by its number, as open311:requests",
    "open311:token": "one request by its tracking code, as open311:requests",
}


def _routes(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # configuration screens, Django's own
            yield from _routes(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_route_is_measured_or_says_why_not():
    routes = {r for r in _routes(get_resolver().url_patterns) if not r.endswith("-format")}
    # The workflow's steps are writes about one case: their cost does not depend on the city.
    steps = {f"cases:{row.name}" for row in workflow.ROWS} | {f"case-{row.name}" for row in workflow.ROWS}
    covered = {name for name, *_ in READS} | set(NOT_READ) | steps
    assert routes - covered == set()
    assert set(NOT_READ) - routes == set()


def _grow(world, depts, n: int, grown: dict) -> dict:
    """n more of everything in K1; returns the objects the routes point at (the first ones made)."""
    area = world.areas
    since = datetime.date(2025, 1, 1)
    if "round" not in grown:  # K1's round: every new household casts a ballot, every session is grid A's
        grown["round"] = appraisal_services.open_round(
            actor=world.users["community"],
            community=area["K1"],
            title="居民评议",
            period_start=since,
            period_end=timezone.localdate(),
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
            evaluated=Post.objects.filter(user=world.users["grid_a"]),
        )
        appraisal_services.publish_report(
            actor=world.users["community"], round=grown["round"], work="工作", finances="财务", suggestions="意见"
        )
    if "webhook" not in grown:  # the district's system hears of every case: its deliveries grow
        grown["webhook"] = webhook_services.create_subscription(
            actor=SYSTEM, name="区指挥中心", url="https://receiver.example.org/h", kinds=WebhookKind.values,
            district=area["district"],
        )[0]  # fmt: skip
    for i in range(n):
        case = case_services.report_case(
            actor=world.users["grid_a"],
            category=category("urban-events-clutter"),
            area=area["A1" if i % 2 else "A2"],
            description="楼道堆放杂物",
        )
        if i % 3:
            case = case_services.whistle_case(case=case, actor=world.users["community"], note="需执法")
            case = case_services.dispatch_case(case=case, actor=world.users["street"], department=depts["城管局"])
            grown.setdefault("case", case)  # one the community, the street and 城管局 all see
        household = HouseholdFactory(building=area["A1" if i % 2 else "A2"])
        resident = ResidentFactory(household=household)
        # Every other tag ends within the month: the community's workbench counts and lists those.
        until = timezone.localdate() + datetime.timedelta(days=10) if i % 2 else None
        grid_services.tag_resident(
            actor=SYSTEM, resident=resident, group=key_group("empty-nest-elderly"), since=since, until=until
        )
        # The household card's visit history grows at A1, and every new household is due a visit.
        visit = case_services.record_visit(
            actor=world.users["grid_a"],
            household=world.households["A1"],
            findings="走访",
            on=timezone.localdate() - datetime.timedelta(days=i),
        )
        grown.setdefault("visit", visit)
        member = org_services.register_member(
            actor=SYSTEM,
            member=PartyMember(
                name=f"党员{len(grown)}-{i}", organization=world.orgs["A"], status="full", joined=since, kind="floating"
            ),
        )
        grown.setdefault("member", member)
        unit = cobuilding_services.register_unit(
            actor=SYSTEM, unit=CoBuildingUnit(name=f"单位{n}-{i}", kind="enterprise", community=area["K1"])
        )
        grown.setdefault("unit", unit)
        need = cobuilding_services.raise_need(
            actor=SYSTEM, need=Need(community=area["K1"], title=f"需求{n}-{i}", raised_on=since)
        )
        grown.setdefault("need", need)
        meeting = cobuilding_services.record_meeting(
            actor=SYSTEM,
            meeting=JointMeeting(level="community", area=area["K1"], held_on=since, title=f"会{n}-{i}", minutes="纪要"),
            units=[unit],
        )
        grown.setdefault("meeting", meeting)
        resource = cobuilding_services.list_resource(
            actor=SYSTEM,
            resource=SharedResource(community=area["K1"], unit=unit, kind="venue", name=f"场地{n}-{i}", pricing="free"),
        )
        grown.setdefault("resource", resource)
        expires_on = timezone.localdate() + datetime.timedelta(days=90)
        api_tokens.create_api_token(actor=world.users["community"], name=f"令牌{n}-{i}", expires_on=expires_on)
        client_keys.create_client_key(
            actor=SYSTEM, name=f"密钥{n}-{i}", district=area["district"], expires_on=expires_on
        )
        # Days still to come, some called off: the resource's page shows both, apart.
        booking = cobuilding_services.book_resource(
            actor=SYSTEM,
            booking=ResourceBooking(
                resource=grown["resource"],
                unit=unit,
                on=timezone.localdate() + datetime.timedelta(days=n * 10 + i),
                purpose="活动",
            ),
        )
        if i % 2:
            cobuilding_services.cancel_booking(actor=SYSTEM, booking=booking, reason="改期")
        # Grid A's card and its meetings grow: a 楼栋长 with a card, a meeting they attend, its
        # decision raising a need (the need's page names the meeting).
        head = org_services.appoint(
            actor=SYSTEM,
            post=Post(holder_name=f"楼栋长{n}-{i}", role=Role.BUILDING_HEAD, area=area["A1"], start=since),
        )
        cards.set_post_card(actor=SYSTEM, post=head, duties="联系住户", phone="0951-1")
        grown.setdefault("card_post", head)
        grid_meeting = meeting_services.hold_grid_meeting(
            actor=world.users["grid_a"],
            grid=area["A"],
            held_on=timezone.localdate() - datetime.timedelta(days=40 + i),
            topic=f"例会{n}-{i}",
            minutes="纪要",
            attendees=[*Post.objects.filter(area=area["A"]), head],
        )
        meeting_services.decide(
            actor=world.users["community"],
            meeting=grid_meeting,
            text="列入需求",
            raises=Raise.NEED,
            title=f"议定{n}-{i}",
        )
        grown.setdefault("grid_meeting", grid_meeting)
        # The station's requests grow at its windows: some handed over and done, one still open.
        if "windows" not in grown:
            grown["windows"] = hall_services.open_windows(actor=SYSTEM, community=area["K1"])
        service_request = hall_services.receive_request(
            actor=world.users["community"],
            item=ServiceItem.objects.order_by("pk")[i % 5],
            community=area["K1"],
            building=area["A1"],
            applicant_name=f"申请人{n}-{i}",
            applicant_phone="13812345678",
            received_at=timezone.now() - datetime.timedelta(days=i),
        )
        grown.setdefault("service_request", service_request)
        if i % 2:
            hall_services.assign_request(actor=SYSTEM, request=service_request, handler=world.users["community"])
            hall_services.complete_request(actor=world.users["community"], request=service_request)
        appraisal_services.cast_ballot(
            round=grown["round"],
            household=household,
            via="link",
            ratings={p.pk: "satisfied" for p in grown["round"].evaluated.all()},
        )
        training = appraisal_services.record_training(
            actor=world.users["community"],
            worker_post=Post.objects.get(user=world.users["grid_a"]),
            held_on=timezone.localdate() - datetime.timedelta(days=i),
            topic=f"培训{n}-{i}",
            hours=1,
        )
        grown.setdefault("training", training)
        _grow_alliance(world, grown, unit, f"{n}-{i}", since)
    _grow_estates(world, n, grown)
    grown.setdefault("webhook_delivery", WebhookDelivery.objects.order_by("pk").first())
    if "visit_rule" not in grown:
        grown["visit_rule"] = case_services.add_visit_rule(
            actor=SYSTEM, area=area["K1"], group=key_group("empty-nest-elderly"), every_days=30
        )
    if "meeting_rule" not in grown:
        grown["meeting_rule"] = meeting_services.add_meeting_rule(
            actor=SYSTEM, area=area["K1"], kind=MeetingKind.GRID, every_months=1, starts_on=since
        )
        meeting_services.add_meeting_rule(
            actor=SYSTEM, area=area["K1"], kind=MeetingKind.COMMUNITY_JOINT, every_months=1, starts_on=since
        )
    if "plate" not in grown:
        case_services.issue_door_plates(actor=world.users["community"], community=area["K1"])
        grown["plate"] = DoorPlate.objects.filter(building=area["A1"]).get()
    return grown


def _grow_alliance(world, grown, unit, tag: str, since) -> None:
    """一街道's alliance grows a member unit in the rotation, a committee seat, a joint meeting with a
    decision that raises a need; an in-service member reporting through one unit, a service a time."""
    area, street = world.areas, world.users["street"]
    if "alliance" not in grown:
        grown["alliance"] = alliance_services.create_alliance(
            actor=street, alliance=Alliance(name="一街道联盟", area=area["S1"], founded_on=since)
        )
        grown["report_unit"] = unit
        grown["in_service"] = org_services.register_member(
            actor=SYSTEM,
            member=PartyMember(
                name="在职党员", organization=world.orgs["K1"], status="full", joined=since, kind="in_service",
                work_unit="某单位", co_building_unit=unit, reported_on=since,
            ),
        )  # fmt: skip
    alliance = grown["alliance"]
    alliance_services.admit_member(
        actor=street, alliance=alliance, unit=unit, joined_on=since, rotation_order=alliance.members.count() + 1
    )
    alliance_services.appoint_to_committee(
        actor=street,
        member=CommitteeMember(alliance=alliance, name=f"委员{tag}", role="member", affiliation="单位", start=since),
    )
    meeting = alliance_services.hold_joint_meeting(
        actor=street,
        meeting=JointMeeting(
            alliance=alliance, level="street", area=area["S1"], held_on=since, title=f"联盟会{tag}", minutes="纪要"
        ),
        units=[unit],
        committee=list(alliance.committee.all()),
    )
    alliance_services.decide_joint(
        actor=street, meeting=grown.get("joint_meeting", meeting), text="列入需求", raises="need",
        title=f"联盟议定{tag}", place=area["K1"],
    )  # fmt: skip
    grown.setdefault("joint_meeting", meeting)
    other = org_services.register_member(
        actor=SYSTEM,
        member=PartyMember(
            name=f"在职{tag}", organization=world.orgs["K1"], status="full", joined=since, kind="in_service",
            work_unit="某单位", co_building_unit=grown["report_unit"], reported_on=since,
        ),
    )  # fmt: skip
    for member in (grown["in_service"], other):
        alliance_services.record_service(
            actor=SYSTEM, member=member, on=datetime.date(2025, 3, 1), activity=f"服务{tag}", hours=2
        )
    # The half-year sent for the new member: the unit's 双报告 grow one a member.
    DualReport.objects.create(
        member=other, unit=grown["report_unit"], period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 6, 30), activities=1, hours=2, sent_to="contact@example.org",
    )  # fmt: skip


def _measure(client_for, world, grown) -> dict[str, tuple[int, int]]:
    counts = {}
    for name, persona, args, query in READS:
        query = query(world, grown) if callable(query) else query
        url = reverse(name, args=args(world, grown) if args else None) + (f"?{query}" if query else "")
        client = client_for(world.users[persona] if persona else None)
        client.get(url)  # per-process caches (content types, translations) filled once
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        counts[f"{name} {persona} {query}".strip()] = (status, len(queries))
    return counts


def _grow_estates(world, n: int, grown: dict) -> None:
    """A compound in grid C served by one company: n more cases there and inspections, then a new
    round (so the assessment read is the one that counted them all)."""
    area = world.areas
    if "property_term" not in grown:
        compound = AreaFactory(kind=AreaKind.COMPOUND, name="丙小区", parent=area["C"])
        for place in area.values():
            place.refresh_from_db()
        area["CC1"] = AreaFactory(kind=AreaKind.BUILDING, name="CC1楼", parent=compound)
        for place in area.values():
            place.refresh_from_db()
        grown["property_company"] = Department.objects.create(
            name="丙物业", code="property-flat", kind=DepartmentKind.PROPERTY, jurisdiction=area["S1"]
        )
        grown["property_term"] = estate_services.admit_company(
            actor=SYSTEM, compound=compound, company=grown["property_company"], starts_on=datetime.date(2025, 1, 1),
            admission_ref="准入",
        )  # fmt: skip
    today = timezone.localdate()
    for i in range(n):
        case_services.report_case(
            actor=world.users["street"],
            category=category("urban-events-clutter"),
            area=area["CC1"],
            description="楼道堆放杂物",
        )
        inspection = estate_services.record_inspection(
            actor=SYSTEM, term=grown["property_term"], inspected_on=today, items="保洁", score=50 + i
        )
        grown.setdefault("property_inspection", inspection)
    grown["property_round"] = estate_services.open_round(
        actor=SYSTEM, street=area["S1"], name=f"考核{n}", period_start=datetime.date(2025, 1, 1), period_end=today
    )
    grown["property_assessment"] = grown["property_round"].assessments.get()


@pytest.mark.django_db
def test_no_page_or_endpoint_reads_more_queries_for_more_data(world, depts, client_for):
    grown = _grow(world, depts, SMALL, {})
    small = _measure(client_for, world, grown)
    _grow(world, depts, LARGE - SMALL, grown)
    assert Case.objects.unscoped("test: the world grew").filter(community=world.areas["K1"]).count() == LARGE
    large = _measure(client_for, world, grown)
    refused = {key: status for key, (status, _) in large.items() if status != 200}
    assert refused == {}
    growing = {key: (small[key][1], large[key][1]) for key in small if small[key] != large[key]}
    assert growing == {}
