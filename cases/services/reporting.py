"""How a case comes in: a staff report, a resident's QR report, and the QR door plates themselves."""

import datetime
import secrets
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines, tracking
from cases.models import COLOUR_OF, Action, Case, CaseCounter, Category, DoorPlate, Level, PhotoStage, Source, Status
from cases.photos import CleanPhoto
from cases.services.recording import RESIDENT, record, required_text
from core import audit
from core.capabilities import Capability
from core.identity import normalize_phone
from core.scope import scope_for
from core.scoping import full_clean
from grids.models import Area, AreaKind
from orgs.models import ClientKey

STAFF_SOURCES = {Source.GRID_PATROL, Source.HOTLINE, Source.WALK_IN, Source.REFERRAL}


class KeyReused(ValidationError):
    """The same reporter sent the same submission key with a different report."""


def _places(area: Area) -> dict[str, Area | None]:
    """The case's district, street, community and grid, from its location."""
    chain = list(area.get_ancestors(include_self=True))
    by_kind = {a.kind: a for a in chain}
    return {
        "district": chain[0],
        "street": by_kind.get(AreaKind.STREET) or by_kind.get(AreaKind.TOWN),
        "community": by_kind.get(AreaKind.COMMUNITY),
        "grid": by_kind.get(AreaKind.GRID),
    }


def _next_number(district: Area, day: datetime.date) -> int:
    """The district's next sequence number for the day, in one statement: the counter row is created
    or bumped by an upsert whose row lock lasts from here to the commit. The caller takes it as late
    as it can (just before the case's INSERT), so reports in one district queue only for the insert,
    the event and the audit entry, not for routing, deadlines and validation as before."""
    table = CaseCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (district_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608 (our table name)
            f"ON CONFLICT (district_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [district.pk, day],
        )
        return cursor.fetchone()[0]


def _tracking_code() -> str:
    # 10 characters from 31 (no 0/O, 1/I/L): about 2^50, and easy to read out on the phone.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def _resubmitted(key: uuid.UUID, reporter, category: Category, area: Area, description: str) -> Case | None:
    """The reporter's own case under this key, if they sent it before. A key is the reporter's: the
    same key from someone else is not theirs to replay (it makes a case of their own)."""
    earlier = Case.objects.unscoped("a reporter's own earlier report under their own submission key")
    earlier = earlier.filter(submission_key=key)
    earlier = earlier.filter(reporter=reporter) if reporter is not None else earlier.filter(reporter__isnull=True)
    existing = earlier.first()
    if existing is None:
        return None
    if (existing.category_id, existing.area_id, existing.description) != (category.pk, area.pk, description):
        raise KeyReused(_("该提交标识已用于另一份上报"), code="key_reused")
    return existing  # the same form again: its case, not a second one


def _create_case(
    *,
    category: Category,
    area: Area,
    description: str,
    source: str,
    reporter,
    role: str,
    importance: str,
    urgency: str,
    location_note: str,
    reporter_phone: str,
    photos: Iterable[CleanPhoto],
    submission_key: uuid.UUID | None,
    at: datetime.datetime,
    external_ref: str = "",
) -> Case:
    description = required_text(description, _("请描述问题"))
    if area.kind not in (AreaKind.GRID, AreaKind.COMPOUND, AreaKind.BUILDING, AreaKind.COMMUNITY):
        raise ValidationError({"area": [_("案件地点须为社区、网格、小区或楼栋")]})
    places = _places(area)
    day = timezone.localtime(at).date()
    if submission_key is not None:
        existing = _resubmitted(submission_key, reporter, category, area, description)
        if existing is not None:
            return existing
    colour = COLOUR_OF[(importance, urgency)]
    limit = deadlines.limit_for(category, colour)
    due = deadlines.response_due(limit, at, deadlines.work_calendar())
    case = Case(
        number="",  # given under the counter's lock, just before the insert
        category=category,
        area=area,
        **places,
        location_note=location_note.strip(),
        source=source,
        description=description,
        reporter=reporter,
        reporter_phone=normalize_phone(reporter_phone) if reporter_phone else None,
        importance=importance,
        urgency=urgency,
        colour=colour,
        level=Level.COMMUNITY,
        status=Status.REPORTED,
        response_due=due.at,
        response_remind_at=due.remind_at,
        due_provisional=due.provisional,
        tracking_code=_tracking_code(),
        submission_key=submission_key,
        external_ref=external_ref,
        created_at=at,
    )
    # Uniqueness is the database's to enforce here: the number comes from the locked counter, the
    # tracking code is random, and a submission key sent twice at once is caught by its constraint
    # below. The foreign keys are objects read a moment ago, so they are not read again either.
    full_clean(
        case,
        exclude=["number", "status", "reporter_phone", "submission_key", "category", "reporter", *places, "area"],
        validate_unique=False,
        validate_constraints=False,
    )

    def numbered() -> Case:
        district = places["district"]
        case.number = f"{district.code[:6]}{day:%Y%m%d}{_next_number(district, day):04d}"
        record(
            case,
            action=Action.REPORT,
            actor=reporter,
            role=role,
            to_status=Status.REPORTED,
            at=at,
            note=description,
            data={"source": source},
            photos=photos,
            stage=PhotoStage.REPORT,
        )
        tracking.send_code(case)  # a caller's code, by text message once this commits
        return case

    if submission_key is None:
        return numbered()
    try:
        with transaction.atomic():
            return numbered()
    except IntegrityError:
        # The same form, sent at the same moment, committed first: its case is this one.
        existing = _resubmitted(submission_key, reporter, category, area, description)
        if existing is None:
            raise
        return existing


@transaction.atomic
def report_case(
    *,
    actor,
    category: Category,
    area: Area,
    description: str,
    source: str = Source.GRID_PATROL,
    importance: str | None = None,
    urgency: str | None = None,
    location_note: str = "",
    reporter_phone: str = "",
    photos: Iterable[CleanPhoto] = (),
    submission_key: uuid.UUID | None = None,
    at: datetime.datetime | None = None,
    external_ref: str = "",
) -> Case:
    """A grid worker's patrol find, or a hotline, walk-in or referred case entered by staff."""
    role = scope_for(actor).capacity(Capability.REPORT_CASE, at=area)
    if role is None:
        raise PermissionDenied(_("只能在本人负责的区域上报案件"))
    if source not in STAFF_SOURCES:
        raise ValidationError({"source": [_("工作人员上报的来源须为网格巡查、12345转办、来访或上级交办")]})
    return _create_case(
        category=category,
        area=area,
        description=description,
        source=source,
        reporter=actor,
        role=role,
        importance=importance or category.importance,
        urgency=urgency or category.urgency,
        location_note=location_note,
        reporter_phone=reporter_phone,
        photos=photos,
        submission_key=submission_key,
        at=at or timezone.now(),
        external_ref=external_ref,
    )


def _referred(external_ref: str) -> Case | None:
    return (
        Case.objects.unscoped("a referral's reference is unique per source; the caller's scope is checked after")
        .filter(source=Source.HOTLINE, external_ref=external_ref)
        .first()
    )


def _same_referral(actor, case: Case) -> Case:
    """The case an earlier referral under this reference made, if the caller may see it; a
    reference another district's case holds is refused without showing that case."""
    if not Case.objects.within(scope_for(actor)).filter(pk=case.pk).exists():
        raise ValidationError({"external_ref": [_("该外部编号已被另一案件使用")]})
    return case


@transaction.atomic
def refer_case(
    *,
    actor,
    external_ref: str,
    category: Category,
    area: Area,
    description: str,
    reporter_phone: str = "",
    location_note: str = "",
    importance: str | None = None,
    urgency: str | None = None,
    photos: Iterable[CleanPhoto] = (),
    at: datetime.datetime | None = None,
) -> tuple[Case, bool]:
    """12345转办: the hotline platform refers a caller's case under its own reference (工单号).
    Sent again, by a platform unsure the first arrived, the reference is the case it made the
    first time: (case, False), never a second case, also when both arrive at the same moment."""
    external_ref = external_ref.strip()
    if not external_ref:
        raise ValidationError({"external_ref": [_("请填写外部编号")]})
    existing = _referred(external_ref)
    if existing is not None:
        return _same_referral(actor, existing), False
    try:
        with transaction.atomic():
            case = report_case(
                actor=actor,
                category=category,
                area=area,
                description=description,
                source=Source.HOTLINE,
                importance=importance,
                urgency=urgency,
                location_note=location_note,
                reporter_phone=reporter_phone,
                photos=photos,
                at=at,
                external_ref=external_ref,
            )
    except IntegrityError:
        # The same reference, sent at the same moment, committed first (we waited on its index).
        existing = _referred(external_ref)
        if existing is None:
            raise
        return _same_referral(actor, existing), False
    return case, True


@transaction.atomic
def report_by_resident(
    *,
    actor=None,
    plate: DoorPlate | None = None,
    app: ClientKey | None = None,
    area: Area | None = None,
    category: Category,
    description: str,
    phone: str = "",
    location_note: str = "",
    photos: Iterable[CleanPhoto] = (),
    submission_key: uuid.UUID | None = None,
    at: datetime.datetime | None = None,
) -> Case:
    """居民点单 through the QR door plate, or through a 311 app (cases.open311): no account, no ID
    number, only what they choose to give. `actor` is None: the resident is anonymous by design.
    On the QR form the plate's unguessable token is the only authority (the page limits reports
    per address, device and building: cases.resident_limits); through an app it is the app's
    client key, which reports only at places of its own district (`area`, found by the app's
    location), and is limited per key (core.throttling)."""
    if actor is not None:
        raise ValueError("a resident reports anonymously: actor must be None")
    if (plate is None) == (app is None) or (app is not None and area is None):
        raise ValueError("a resident reports through a door plate, or through an app's key at an area")
    if not category.resident_pickable:
        raise ValidationError({"category": [_("请选择列出的问题类别")]})
    if app is not None and (app.district_id is None or not scope_for(app.account).covers(area)):
        raise PermissionDenied(_("该接入密钥只能在本区县范围内上报"))
    return _create_case(
        category=category,
        area=plate.building if plate is not None else area,
        description=description,
        source=Source.RESIDENT_QR if plate is not None else Source.OPEN311,
        reporter=None,
        role=RESIDENT,
        importance=category.importance,
        urgency=category.urgency,
        location_note=location_note[:120],
        reporter_phone=phone,
        photos=photos,
        submission_key=submission_key,
        at=at or timezone.now(),
    )


def door_plates(community: Area) -> list[DoorPlate]:
    """The community's plates as they are, building by building: what the printable sheet shows."""
    buildings = community.get_descendants().filter(kind=AreaKind.BUILDING)
    return list(
        DoorPlate.objects.filter(building__in=buildings).select_related("building__parent").order_by("building__lft")
    )


@transaction.atomic
def issue_door_plates(*, actor, community: Area) -> list[DoorPlate]:
    """A plate for every building of the community that has none yet; existing plates keep their token."""
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationError(_("须为社区"), code="not_a_community")
    role = scope_for(actor).capacity(Capability.MANAGE_COMMUNITY, at=community)
    if role is None:
        raise PermissionDenied(_("您的岗位不能办理这一步"))
    buildings = community.get_descendants().filter(kind=AreaKind.BUILDING)
    without = buildings.filter(door_plate__isnull=True)
    missing = [DoorPlate(building=b, token=secrets.token_urlsafe(18)) for b in without]
    DoorPlate.objects.bulk_create(missing, ignore_conflicts=True)
    if missing:
        audit.record(actor=actor, action="door_plate.issue", target=community, fields=["token"], capacity=role)
    return door_plates(community)
