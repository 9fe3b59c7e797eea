"""The names of what a post can allow. Which roles allow which is decided in one place, where
posts live (orgs.capabilities); the ground floor only names them so every app can ask."""

from enum import StrEnum


class Capability(StrEnum):
    # Cases (街道吹哨、部门报到)
    REPORT_CASE = "report_case"  # file a patrol find, a hotline or walk-in case
    HANDLE_IN_COMMUNITY = "handle_in_community"  # accept, reject, merge, whistle, resolve the community's own
    DISPATCH_FOR_STREET = "dispatch_for_street"  # dispatch, decide extensions, escalate at the street
    DISPATCH_FOR_DISTRICT = "dispatch_for_district"  # the same for cases escalated to the district
    WORK_FOR_DEPARTMENT = "work_for_department"  # sign, return, ask for more time, resolve for a department
    VERIFY_CASE = "verify_case"  # check a fix on site
    RECORD_CALLBACK = "record_callback"  # 回访: record a caller's rating on their behalf
    MANAGE_WEBHOOKS = "manage_webhooks"  # subscribe a district's or a department's own system to case events
    # Places, people and structure
    EDIT_PEOPLE = "edit_people"  # keep household cards and residents current
    KEEP_GRIDS = "keep_grids"  # create, rename, redraw grids, compounds and buildings in a community
    KEEP_STREETS = "keep_streets"  # the same for streets and communities in a district
    APPOINT_POSTS = "appoint_posts"  # appoint, end and hand over posts below one's own place
    KEEP_PARTY_ORGS = "keep_party_orgs"  # create, rename, re-term party organisations seated below one's place
    KEEP_PARTY_MEMBERS = "keep_party_members"  # register, transfer, 双报到, points and 包户 of party members
    KEEP_CLIENT_KEYS = "keep_client_keys"  # issue and revoke the keys other systems call the API with
    EXPORT_PEOPLE = "export_people"  # take a scope's residents away as an Excel file
    MANAGE_COMMUNITY = "manage_community"  # needs, claims, meetings, door plates
    FIELD_WORK = "field_work"  # works in the street: home page opens on the grids
    # Leaders and money
    VIEW_DASHBOARD = "view_dashboard"
    RUN_BUDGETS = "run_budgets"
    PLAN_REDIVISION = "plan_redivision"
