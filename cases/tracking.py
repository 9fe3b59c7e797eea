"""The resident's way back to a case without an account: the 查询码, or the case number with the
last four digits of the phone they gave, and the text message that gives a caller their code.

A lookup answers a case or None and nothing in between, so a wrong code, a wrong pair of number
and digits and a number that is not one at all look the same to whoever is guessing."""

import hmac
import re
from dataclasses import dataclass

from django.db.models import Prefetch

from cases.models import Action, Case, CasePhoto, PhotoStage, Source
from cases.notifications import delivery
from core.capabilities import Capability
from core.logmask import mask_numbers

# Staff record these for someone who called or came in: that person gets the code by text message.
CALLER_SOURCES = frozenset({Source.HOTLINE, Source.WALK_IN})
CODE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$")
NUMBER = re.compile(r"^\d{18}$")
DIGITS = re.compile(r"^\d{4}$")
# The steps whose note is written for the resident: why it was taken up or turned down, what the
# department did, what the check on site found. Hand-over notes between offices stay inside.
PUBLIC_NOTES = frozenset(
    {Action.ACCEPT, Action.REJECT, Action.RESOLVE, Action.VERIFY_PASS, Action.VERIFY_REWORK, Action.REOPEN}
)
# The sweep's records are the offices' business, not a step of the case.
INTERNAL = (Action.REMIND, Action.OVERDUE, Action.SUPERVISE, Action.RELOCATE)


def normalized(text: str) -> str:
    """What people type: spaces, dashes and lower case are the same code."""
    return re.sub(r"[\s-]", "", text or "").upper()


def is_number(text: str) -> bool:
    return bool(NUMBER.match(normalized(text)))


def lookup(query: str, last_digits: str = "") -> Case | None:
    """The case the code names, or the case whose number and phone's last four digits both match."""
    query = normalized(query)
    cases = Case.objects.unscoped("the resident's tracking page: a code, or a number with the phone's digits")
    if CODE.match(query):
        return cases.select_related("category").filter(tracking_code=query).first()
    if not (NUMBER.match(query) and DIGITS.match(last_digits or "")):
        return None
    case = cases.select_related("category").filter(number=query).first()
    phone = (case.reporter_phone or "") if case else ""
    # Compared in constant time, and a case without a phone never matches.
    if not phone or not hmac.compare_digest(phone[-4:], last_digits):
        return None
    return case


@dataclass(frozen=True)
class PublicStep:
    action: str
    label: str
    at: object
    note: str
    photos: list[CasePhoto]


def progress(case: Case) -> list[PublicStep]:
    """The case's steps as the resident may read them: the public notes, with any ID or phone
    number in them masked, and the photos taken after the fix; two queries however long the case."""
    after = Prefetch("photos", queryset=CasePhoto.objects.filter(stage=PhotoStage.AFTER), to_attr="after_photos")
    events = case.events.exclude(action__in=INTERNAL).only("action", "at", "note").prefetch_related(after)
    return [
        PublicStep(
            action=event.action,
            label=event.get_action_display(),
            at=event.at,
            note=mask_numbers(event.note) if event.action in PUBLIC_NOTES else "",
            photos=event.after_photos,
        )
        for event in events
    ]


def after_photo(case: Case, pk: int) -> CasePhoto | None:
    """A photo of the fix, the only kind the tracking page shows: the report's may show people."""
    return case.photos.filter(pk=pk, stage=PhotoStage.AFTER).first()


def code_for_staff(scope, case: Case) -> str | None:
    """A caller's code, for whoever took the call and the offices that call back: never for the
    department whose work the caller will rate."""
    if case.source not in CALLER_SOURCES:
        return None
    took_it = scope.user is not None and case.reporter_id == scope.user.pk
    if took_it or scope.capacity(Capability.RECORD_CALLBACK, at=case.area):
        return case.tracking_code
    return None


def send_code(case: Case) -> None:
    """Tells the caller their 查询码 by text message through the SMS channel, once the case is
    committed (the delivery is queued in the reporting transaction and sent after it)."""
    if case.source in CALLER_SOURCES and case.reporter_phone:
        delivery.send_tracking_code(case)
