"""Households and residents from rows of the workbook, checked a chunk at a time against the
database with one query per kind of fact (IDs taken, households there, their heads), so the
queries grow with the number of chunks, never with the rows.

Each chunk is written before the next is checked, inside the caller's transaction: a later row
sees what an earlier one made (its household, its 户主) exactly as the database will hold it."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.blind_index import blind_index
from core.bulk import bulk_insert
from core.capabilities import Capability
from core.identity import normalize_phone, parse_citizen_id
from grids.imports.columns import BY_KEY, choice_values
from grids.models import Area, AreaKind, Household, Occupancy, Relation, ResidenceStatus, Resident
from grids.rollup import recount_buildings
from grids.services import DUPLICATE_ID_MESSAGE

CHUNK = 2000
RESIDENT_UPDATES = ["name", "phone", "phone_hash", "residence_status", "relation"]
CHOICES = {
    "occupancy": choice_values(Occupancy),
    "residence_status": choice_values(ResidenceStatus),
    "relation": choice_values(Relation),
}
MAX_LENGTH = {"name": 50, "unit": 10, "room": 10}


@dataclass
class Outcome:
    number: int
    outcome: str  # a grids.import_models.RowOutcome value
    reason: str = ""
    cells: dict[str, str] | None = None  # kept for refused rows only, for the workbook of them


@dataclass
class HouseholdState:
    pk: int | None
    floor: int
    occupancy: str
    head: object = None  # the 户主's pk, or the row (Parsed) that brings one in this import
    set_by: int | None = None  # the row of this import that gave floor and occupancy
    changed: bool = False


@dataclass
class Parsed:
    number: int
    cells: dict[str, str]
    building: Area
    unit: str
    floor: int
    room: str
    occupancy: str
    name: str
    citizen_id: str
    id_hash: str
    phone: str
    residence_status: str
    relation: str
    resident: Resident | None = field(default=None, repr=False)

    @property
    def household_key(self) -> tuple[int, str, str]:
        return (self.building.pk, self.unit, self.room)


def _field_error(key: str, message) -> str:
    return f"{BY_KEY[key].heading}:{message}"


class ResidentImport:
    """One import's checks and writes, as `actor` with `scope`. Call `chunk(rows)` in order."""

    def __init__(self, *, actor, scope):
        self.actor = actor
        self.scope = scope
        self.buildings = {
            building.code: building
            for building in Area.objects.within(scope)
            .filter(kind=AreaKind.BUILDING)
            .only("pk", "code", "tree_id", "lft", "rght", "level", "kind", "name")
            if scope.capacity(Capability.EDIT_PEOPLE, at=building) is not None
        }
        self.building_pks = {building.pk for building in self.buildings.values()}
        self.households: dict[tuple[int, str, str], HouseholdState] = {}
        self.seen_ids: dict[str, int] = {}
        self.to_recount: set[int] = set()  # buildings that gained someone, or whose household changed occupancy

    # Reading a row ------------------------------------------------------------------------------
    def _parse(self, number: int, cells: dict[str, str]) -> Parsed | Outcome:
        errors = []
        for key, column in BY_KEY.items():
            if column.required and not cells[key]:
                errors.append(_field_error(key, _("不能为空")))
        for key, limit in MAX_LENGTH.items():
            if len(cells[key]) > limit:
                errors.append(_field_error(key, _("不能超过%(n)d个字") % {"n": limit}))
        building = self.buildings.get(cells["building"])
        if cells["building"] and building is None:
            # The same words for a code that names nothing and one in another community.
            errors.append(_field_error("building", _("楼栋不存在或不在您的辖区内")))
        floor = None
        if cells["floor"]:
            try:
                floor = int(cells["floor"])
            except ValueError:
                floor = None
            if floor is None or not -10 <= floor <= 200:
                errors.append(_field_error("floor", _("应为-10到200之间的整数")))
        values = {}
        for key, choices in CHOICES.items():
            text = cells[key] or (Occupancy.OWNER.value if key == "occupancy" else "")
            values[key] = choices.get(text)
            if text and values[key] is None:
                errors.append(_field_error(key, _("“%(value)s”不是可选的值") % {"value": text[:20]}))
        number_text = ""
        if cells["citizen_id"]:
            try:
                number_text = parse_citizen_id(cells["citizen_id"]).number
            except ValidationError as exc:
                errors.append(_field_error("citizen_id", exc.messages[0]))
        phone = ""
        try:
            phone = normalize_phone(cells["phone"])
        except ValidationError as exc:
            errors.append(_field_error("phone", exc.messages[0]))
        if errors:
            return Outcome(number, "refused", ";".join(errors), cells)
        return Parsed(
            number=number,
            cells=cells,
            building=building,
            unit=cells["unit"],
            floor=floor,
            room=cells["room"],
            occupancy=values["occupancy"],
            name=cells["name"],
            citizen_id=number_text,
            id_hash=blind_index(number_text),
            phone=phone,
            residence_status=values["residence_status"],
            relation=values["relation"],
        )

    # Facts from the database, one query each per chunk -------------------------------------------
    def _existing_residents(self, rows: list[Parsed]) -> dict[str, Resident]:
        hashes = [row.id_hash for row in rows]
        found = (
            Resident.objects.unscoped(
                "an ID taken elsewhere refuses the row without saying where; only in-scope rows are used"
            )
            .filter(citizen_id_hash__in=hashes)
            .select_related("household")
        )
        return {
            resident.citizen_id_hash: resident
            for resident in found.only(
                "pk",
                "citizen_id_hash",
                "name",
                "phone_hash",
                "residence_status",
                "relation",
                "household__id",
                "household__building_id",
            )
        }

    def _load_households(self, rows: list[Parsed]) -> None:
        wanted = {row.household_key for row in rows} - set(self.households)
        if not wanted:
            return
        found = (
            Household.objects.within(self.scope)
            .filter(building_id__in={key[0] for key in wanted}, room__in={key[2] for key in wanted})
            .values_list("pk", "building_id", "unit", "room", "floor", "occupancy")
        )
        states = {}
        for pk, building_id, unit, room, floor, occupancy in found:
            if (building_id, unit, room) in wanted:
                states[pk] = self.households[(building_id, unit, room)] = HouseholdState(pk, floor, occupancy)
        heads = Resident.objects.within(self.scope).living().filter(household_id__in=states, relation=Relation.HEAD)
        for household_id, pk in heads.values_list("household_id", "pk"):
            states[household_id].head = pk

    # Deciding each row ------------------------------------------------------------------------------
    def chunk(self, raw: Iterable[tuple[int, dict[str, str]]]) -> list[Outcome]:
        outcomes: dict[int, Outcome] = {}
        parsed: list[Parsed] = []
        for number, cells in raw:
            row = self._parse(number, cells)
            if isinstance(row, Outcome):
                outcomes[number] = row
            elif row.id_hash in self.seen_ids:
                reason = _("与第%(n)d行的身份证号重复") % {"n": self.seen_ids[row.id_hash]}
                outcomes[number] = Outcome(number, "refused", _field_error("citizen_id", reason), cells)
            else:
                self.seen_ids[row.id_hash] = number
                parsed.append(row)
        existing = self._existing_residents(parsed) if parsed else {}
        self._load_households(parsed)
        new_households, new_residents, changed_residents = [], [], []
        for row in parsed:
            outcome = self._decide(row, existing.get(row.id_hash), new_households, new_residents, changed_residents)
            outcomes[row.number] = outcome
        self._write(new_households, new_residents, changed_residents)
        return [outcomes[number] for number in sorted(outcomes)]

    def _decide(self, row: Parsed, resident, new_households, new_residents, changed_residents) -> Outcome:
        def refuse(key: str, message) -> Outcome:
            return Outcome(row.number, "refused", _field_error(key, message), row.cells)

        if resident is not None and resident.household.building_id not in self.building_pks:
            return refuse("citizen_id", DUPLICATE_ID_MESSAGE)
        state = self.households.get(row.household_key)
        if state is None:
            state = HouseholdState(None, row.floor, row.occupancy)
        elif state.set_by is not None and (state.floor, state.occupancy) != (row.floor, row.occupancy):
            return refuse("floor", _("同一住户的楼层或居住状态与第%(n)d行不一致") % {"n": state.set_by})
        if resident is not None and resident.household_id != state.pk:
            return refuse("room", _("此人已登记在本辖区的其他住户,迁入迁出请在住户页面办理"))
        own = resident.pk if resident is not None else row
        if row.relation == Relation.HEAD and state.head is not None and state.head != own:
            return refuse("relation", _("该住户已有户主,每户只能有一位户主"))

        household_changed = state.pk is not None and (state.floor, state.occupancy) != (row.floor, row.occupancy)
        if row.household_key not in self.households:
            self.households[row.household_key] = state
            if state.pk is None:
                new_households.append((state, row))
        if state.set_by is None:
            state.set_by = row.number
            state.floor, state.occupancy = row.floor, row.occupancy
            state.changed = state.changed or household_changed
        if row.relation == Relation.HEAD:
            state.head = own
        elif state.head == own:
            state.head = None

        if resident is None:
            new_residents.append((state, row))
            return Outcome(row.number, "created")
        wanted = {"name": row.name, "residence_status": row.residence_status, "relation": row.relation}
        if row.phone:  # an empty cell keeps the phone on record, as the resident's page does
            wanted["phone_hash"] = blind_index(row.phone)
        resident_changed = any(getattr(resident, key) != value for key, value in wanted.items())
        if resident_changed:
            for key, value in wanted.items():
                setattr(resident, key, value)
            if row.phone:
                resident.phone = row.phone
            changed_residents.append(resident)
        return Outcome(row.number, "updated" if resident_changed or household_changed else "unchanged")

    # Writing ----------------------------------------------------------------------------------------------
    def _write(self, new_households, new_residents, changed_residents) -> None:
        if new_households:
            made = [
                Household(
                    building=row.building, unit=row.unit, floor=state.floor, room=row.room, occupancy=state.occupancy
                )
                for state, row in new_households
            ]
            bulk_insert(made)
            for (state, _row), household in zip(new_households, made, strict=True):
                state.pk = household.pk
        if new_residents:
            made = [
                Resident(
                    household_id=state.pk,
                    name=row.name,
                    citizen_id=row.citizen_id,
                    citizen_id_hash=row.id_hash,
                    phone=row.phone or None,
                    phone_hash=blind_index(row.phone) if row.phone else "",
                    residence_status=row.residence_status,
                    relation=row.relation,
                )
                for state, row in new_residents
            ]
            bulk_insert(made)
            for (state, row), resident in zip(new_residents, made, strict=True):
                if state.head is row:
                    state.head = resident.pk
        if changed_residents:
            # A row without a phone leaves the phone as it was: those are written without it.
            kept = [r for r in changed_residents if "phone" in r.get_deferred_fields()]
            phoned = [r for r in changed_residents if "phone" not in r.get_deferred_fields()]
            residents = Resident.objects.within(self.scope)
            residents.bulk_update(phoned, RESIDENT_UPDATES, batch_size=500)
            residents.bulk_update(kept, [f for f in RESIDENT_UPDATES if not f.startswith("phone")], batch_size=500)
        changed = {key: state for key, state in self.households.items() if state.changed and state.pk is not None}
        if changed:
            Household.objects.within(self.scope).bulk_update(
                [Household(pk=state.pk, floor=state.floor, occupancy=state.occupancy) for state in changed.values()],
                ["floor", "occupancy"],
                batch_size=500,
            )
            for state in changed.values():
                state.changed = False
        self.to_recount.update(row.building.pk for _state, row in (*new_households, *new_residents))
        self.to_recount.update(building_id for building_id, _unit, _room in changed)  # counted by occupancy

    def done(self) -> None:
        """The buildings to recount are counted again once, at the end: per chunk, a run that fills
        2,000 buildings recounted each of them once in three chunks (a fifth of the run). What the
        rows change besides (names, phones, floors) is not counted."""
        recount_buildings(self.to_recount)
