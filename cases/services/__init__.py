"""Every write to cases. Pages, the API, admin, commands and tasks call these and nothing else.

Each step locks the case row, checks the status its row of the workflow table (cases.workflow)
starts from and the actor's capacity for it, changes the case and appends one `CaseEvent` and
one audit entry through the recorder, in one transaction. Two people acting on the same case at
once are serialised by the row lock: the second one finds the status moved and is told so.

Rooms: `recording` (lock, authorise, record), `reporting` (how cases and door plates come in),
`steps` (community and street), `department` (department, verification, rating), `config`,
`visits` (入户走访 and the visit plans).
"""

from cases.services.aids import clean_query, delete_filter, delete_reply_template, save_filter, save_reply_template
from cases.services.config import recount_case_days, save_category
from cases.services.department import (
    rate_by_callback,
    rate_case,
    request_extension,
    resolve_case,
    return_case,
    sign_case,
    verify_case,
)
from cases.services.recording import (
    RESIDENT,
    SYSTEM_ROLE,
    CaseConflict,
    SystemRecord,
    _lock,
    begin,
    lock_all,
    record,
    record_for_system,
)
from cases.services.reporting import (
    STAFF_SOURCES,
    KeyReused,
    door_plates,
    issue_door_plates,
    refer_case,
    report_by_resident,
    report_case,
)
from cases.services.steps import (
    accept_case,
    correct_case,
    decide_extension,
    dispatch_case,
    escalate_case,
    lift,
    merge_case,
    reject_case,
    whistle_case,
)
from cases.services.visits import add_visit_rule, end_visit_rule, record_visit
from cases.workflow import permitted_steps

__all__ = [
    "RESIDENT",
    "STAFF_SOURCES",
    "SYSTEM_ROLE",
    "CaseConflict",
    "KeyReused",
    "SystemRecord",
    "_lock",
    "accept_case",
    "add_visit_rule",
    "begin",
    "clean_query",
    "correct_case",
    "decide_extension",
    "delete_filter",
    "delete_reply_template",
    "dispatch_case",
    "door_plates",
    "end_visit_rule",
    "escalate_case",
    "issue_door_plates",
    "lift",
    "lock_all",
    "merge_case",
    "permitted_steps",
    "rate_by_callback",
    "rate_case",
    "record",
    "record_for_system",
    "record_visit",
    "recount_case_days",
    "refer_case",
    "reject_case",
    "report_by_resident",
    "report_case",
    "request_extension",
    "resolve_case",
    "return_case",
    "save_category",
    "save_filter",
    "save_reply_template",
    "sign_case",
    "verify_case",
    "whistle_case",
]
