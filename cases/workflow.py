"""The case loop as one table: every step a case can take, declared once.

Per step: its slug (the URL path segment on the page and in the API, the name in the detail
page's `steps`), the statuses it may start from, who may take it (a capability, asked at the
case's place or for its department), its page form and API serializer, its service (dotted, so
this table can be read by the services themselves), how a form's data becomes the service's
keywords, and the event action it records. The services lock with `starts_from`, the detail page
offers `permitted_steps`, and the page views, URL patterns and API actions are generated from
`STEPS`.

Adding a step: one row here, one service (it starts with `recording.begin(slug, case, actor)`
and ends with `recording.record(...)`), one form in forms.py and a serializer in
serializers.py, and a block in templates/cases/case_detail.html.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.module_loading import import_string

from cases import forms, selectors, serializers
from cases.models import OPEN, Action, Case, Level, Status
from core.capabilities import Capability
from core.scope import Scope

PLACE = "place"  # a post at or above the case's place
DEPARTMENT = "department"  # a post in the case's lead department


def at_place(capability: Capability) -> Callable[[Case], tuple[Capability, str]]:
    return lambda case: (capability, PLACE)


def for_department(capability: Capability) -> Callable[[Case], tuple[Capability, str]]:
    return lambda case: (capability, DEPARTMENT)


def _dispatcher(case: Case) -> tuple[Capability | None, str]:
    """The level the case is at dispatches it: the street, or the district once escalated."""
    return {Level.STREET: Capability.DISPATCH_FOR_STREET, Level.DISTRICT: Capability.DISPATCH_FOR_DISTRICT}.get(
        case.level
    ), PLACE


def _resolver(case: Case) -> tuple[Capability, str]:
    """A department resolves what it signed for; the community what it accepted for itself."""
    if case.status == Status.IN_PROGRESS:
        return Capability.WORK_FOR_DEPARTMENT, DEPARTMENT
    return Capability.HANDLE_IN_COMMUNITY, PLACE


def _escalator(case: Case) -> tuple[Capability | None, str]:
    """Staff of the level the case is at move it one level up."""
    return {
        Level.COMMUNITY: Capability.HANDLE_IN_COMMUNITY,
        Level.STREET: Capability.DISPATCH_FOR_STREET,
    }.get(case.level), PLACE


def _corrector(case: Case) -> tuple[Capability | None, str]:
    """Whoever has the case in hand at intake: the community before it whistles, the dispatcher after."""
    if case.status == Status.WHISTLED:
        return _dispatcher(case)
    return Capability.HANDLE_IN_COMMUNITY, PLACE


def _always(case: Case) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    slug: str
    starts_from: frozenset[str]
    who: Callable[[Case], tuple[Capability | None, str]]
    action: str
    service: str
    form: type | None
    serializer: type | None
    args: Callable[[dict], dict] = field(default=lambda data: {})
    # Whether the detail page offers the step (the service checks its own rule again).
    offered: Callable[[Case], bool] = _always
    # Extra keywords the form and serializer need to offer their choices: (scope, case) -> kwargs.
    choices: Callable[[Scope, Case], dict] | None = None

    @property
    def name(self) -> str:
        """The slug as a Python name: URL names, view names, the page's form context."""
        return self.slug.replace("-", "_")

    @cached_property
    def run(self) -> Callable:
        return import_string(self.service)


def _note(key: str = "note") -> Callable[[dict], dict]:
    return lambda data: {key: data["note"]}


def _merge_choices(scope: Scope, case: Case) -> dict:
    return {"candidates": selectors.duplicate_candidates(scope, case)}


def _dispatch_choices(scope: Scope, case: Case) -> dict:
    return {"departments": selectors.departments_for(scope, case)}


def _correct_choices(scope: Scope, case: Case) -> dict:
    return {"case": case}


_S = "cases.services."
ROWS = [
    Step("accept", frozenset({Status.REPORTED}), at_place(Capability.HANDLE_IN_COMMUNITY), Action.ACCEPT,
         _S + "accept_case", forms.NoteForm, serializers.NoteSerializer, _note()),
    Step("reject", frozenset({Status.REPORTED}), at_place(Capability.HANDLE_IN_COMMUNITY), Action.REJECT,
         _S + "reject_case", forms.NoteForm, serializers.NoteSerializer, _note("reason")),
    Step("merge", frozenset({Status.REPORTED}), at_place(Capability.HANDLE_IN_COMMUNITY), Action.MERGE,
         _S + "merge_case", forms.MergeForm, serializers.MergeSerializer, lambda d: {"into": d["into"]},
         choices=_merge_choices),
    Step("whistle", frozenset({Status.REPORTED, Status.ACCEPTED}), at_place(Capability.HANDLE_IN_COMMUNITY),
         Action.WHISTLE, _S + "whistle_case", forms.NoteForm, serializers.NoteSerializer, _note()),
    Step("correct", frozenset({Status.REPORTED, Status.ACCEPTED, Status.WHISTLED}), _corrector, Action.CORRECT,
         _S + "correct_case", forms.CorrectForm, serializers.CorrectSerializer,
         lambda d: {"importance": d["importance"], "urgency": d["urgency"], "reason": d["note"]},
         choices=_correct_choices),
    Step("escalate", OPEN, _escalator, Action.ESCALATE, _S + "escalate_case", forms.NoteForm,
         serializers.NoteSerializer, _note("reason"), offered=lambda case: case.level == Level.STREET),
    Step("dispatch", frozenset({Status.WHISTLED}), _dispatcher, Action.DISPATCH, _S + "dispatch_case",
         forms.DispatchForm, serializers.DispatchSerializer,
         lambda d: {"department": d["department"], "assisting": d.get("assisting", []), "note": d["note"]},
         choices=_dispatch_choices),
    Step("sign", frozenset({Status.DISPATCHED}), for_department(Capability.WORK_FOR_DEPARTMENT), Action.SIGN,
         _S + "sign_case", None, None),
    Step("return", frozenset({Status.DISPATCHED}), for_department(Capability.WORK_FOR_DEPARTMENT), Action.RETURN,
         _S + "return_case", forms.NoteForm, serializers.NoteSerializer, _note("reason")),
    Step("extend", frozenset({Status.IN_PROGRESS}), for_department(Capability.WORK_FOR_DEPARTMENT),
         Action.REQUEST_EXTENSION, _S + "request_extension", forms.ExtensionForm, serializers.ExtensionSerializer,
         lambda d: {"days": d["days"], "reason": d["reason"]}, offered=lambda case: not case.extension_days),
    Step("decide-extension", frozenset({Status.IN_PROGRESS}), _dispatcher, Action.APPROVE_EXTENSION,
         _S + "decide_extension", forms.DecisionForm, serializers.DecisionSerializer,
         lambda d: {"approve": d["approve"], "note": d["note"]}, offered=lambda case: bool(case.extension_days)),
    Step("resolve", frozenset({Status.IN_PROGRESS, Status.ACCEPTED}), _resolver, Action.RESOLVE,
         _S + "resolve_case", forms.ResolveForm, serializers.ResolveSerializer,
         lambda d: {"feedback": d["feedback"], "photos": d.get("photos", [])}),
    Step("verify", frozenset({Status.RESOLVED}), at_place(Capability.VERIFY_CASE), Action.VERIFY_PASS,
         _S + "verify_case", forms.VerifyForm, serializers.VerifySerializer,
         lambda d: {"passed": d["passed"], "note": d["note"], "photos": d.get("photos", [])}),
    # 回访: the caller's rating, recorded for them by staff of the case's place.
    Step("callback", frozenset({Status.CLOSED}), at_place(Capability.RECORD_CALLBACK), Action.CALLBACK,
         _S + "rate_by_callback", forms.CallbackForm, serializers.CallbackSerializer,
         lambda d: {"rating": d["rating"], "reopen": d["reopen"], "note": d["note"]},
         offered=lambda case: not case.rating),
]  # fmt: skip
STEPS: dict[str, Step] = {step.slug: step for step in ROWS}


def capacity(step: Step, scope: Scope, case: Case) -> str | None:
    """The role in which the scope's user may take the step on this case, or None."""
    capability, where = step.who(case)
    if capability is None:
        return None
    if where == DEPARTMENT:
        if not case.department_id:
            return None
        return scope.capacity(capability, department_id=case.department_id)
    return scope.capacity(capability, at=case.area)


def permitted_steps(scope: Scope, case: Case) -> set[str]:
    """The steps the page offers this user on this case; each service checks again when taken."""
    return {
        step.slug
        for step in ROWS
        if case.status in step.starts_from and step.offered(case) and capacity(step, scope, case) is not None
    }
