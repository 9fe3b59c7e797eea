"""Households, residents, their key-group tags and party members, community by community.

Each community draws from its own seeded generator, so a community's people do not depend on
how many communities came before it; only the uniqueness of ID numbers looks across them.
"""

import datetime
import random

from django.db import transaction
from stdnum.cn import ric
from tqdm import tqdm

from core.blind_index import blind_index
from demo.builder import CONFLICTS, FACILITIES, HAZARDS, MOBILE_PREFIXES, _birth_places
from demo.city.skeleton import Skeleton
from demo.city.tables import Writer
from demo.names import person_name
from grids.models import Household, KeyGroup, Occupancy, Relation, ResidenceStatus, Resident, ResidentTag
from orgs.models import MemberKind, MemberStatus, PartyMember

HOUSEHOLD_COLUMNS = ["id", "building_id", "unit", "floor", "room", "occupancy", "family_situation", "facilities",
                     "hazards", "conflicts", "last_visited", "updated_at"]  # fmt: skip
RESIDENT_COLUMNS = ["id", "household_id", "name", "citizen_id", "citizen_id_hash", "phone", "phone_hash",
                    "residence_status", "relation", "created_at"]  # fmt: skip
MEMBER_COLUMNS = ["id", "name", "resident_id", "organization_id", "status", "joined", "kind", "work_unit", "left_to"]
TAG_COLUMNS = ["id", "group_id", "since", "until", "legal_basis", "note", "resident_id"]
HOUSEHOLD_SIZES = (1, 2, 2, 3, 3, 3, 4, 5)
MEMBER_SHARE = 0.1  # of adults
COMMUNITIES_PER_COMMIT = 10
# Birth places disjoint from the demo district's (which takes every 53rd county from the first).
BIRTH_PLACE_OFFSET = 26


class _Identities:
    """Valid (GB 11643 check digit, birth date in the past) and unique citizen ID numbers."""

    def __init__(self) -> None:
        self.places = _birth_places(offset=BIRTH_PLACE_OFFSET)
        self.used: set[int] = set()  # the first 17 digits as a number: a third of the memory of strings

    def new(self, rng: random.Random, birth: datetime.date, male: bool) -> str:
        while True:
            body = f"{rng.choice(self.places)}{birth:%Y%m%d}{rng.randrange(500) * 2 + male:03d}"
            if int(body) not in self.used:
                self.used.add(int(body))
                return body + ric.calc_check_digit(body + "0")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years, day=28 if (day.month, day.day) == (2, 29) else day.day)


def build(writer: Writer, skeleton: Skeleton, seed: int, today: datetime.date, *, progress: bool) -> None:
    identities = _Identities()
    groups = {g.code: g for g in KeyGroup.objects.filter(code__in=["floating-population", "empty-nest-elderly"])}
    communities = [c for root in skeleton.roots for s in root["children"] for c in s["children"]]
    bar = tqdm(total=len(communities), desc="居民 residents", unit=" 社区", disable=not progress)
    for start in range(0, len(communities), COMMUNITIES_PER_COMMIT):
        rows: dict[type, list[tuple]] = {Household: [], Resident: [], PartyMember: [], ResidentTag: []}
        for community in communities[start : start + COMMUNITIES_PER_COMMIT]:
            people = _Community(writer, random.Random(f"{seed}-{community['code']}"), identities, groups, today, rows)
            for building in (b for grid in community["children"] for b in grid["children"]):
                people.building(building)
            bar.update()
        with transaction.atomic():
            writer.write(Household, HOUSEHOLD_COLUMNS, rows[Household])
            writer.write(Resident, RESIDENT_COLUMNS, rows[Resident])
            writer.write(PartyMember, MEMBER_COLUMNS, rows[PartyMember])
            writer.write(ResidentTag, TAG_COLUMNS, rows[ResidentTag])
    bar.close()


class _Community:
    def __init__(self, writer, rng, identities, groups, today, rows) -> None:
        self.writer, self.rng, self.identities, self.groups, self.rows = writer, rng, identities, groups, rows
        self.today = today
        self.adult_born_by = _years_before(today, 18)
        self.elderly_born_by = _years_before(today, 66)
        self.loaded_at = datetime.datetime.combine(today, datetime.time(), tzinfo=datetime.UTC)

    def building(self, building: dict) -> None:
        """Two units, one dwelling a floor in each, as many floors as the skeleton gave the building."""
        rng = self.rng
        for unit in ("1", "2"):
            for floor in range(1, building["floors"] + 1):
                roll = rng.random()
                occupancy = Occupancy.VACANT if roll < 0.06 else Occupancy.RENTED if roll < 0.22 else Occupancy.OWNER
                size = 0 if occupancy == Occupancy.VACANT else rng.choice(HOUSEHOLD_SIZES)
                elderly_alone = size == 1 and rng.random() < 0.4
                household = self.writer.next_id(Household)
                self.rows[Household].append(
                    (household, building["id"], unit, floor, f"{floor}0{1 if unit == '1' else 3}", occupancy,
                     f"{size}口之家" + (",独居老人" if elderly_alone else "") if size else "",
                     "、".join(rng.sample(FACILITIES, 2)), rng.choice(HAZARDS) if rng.random() < 0.1 else "",
                     rng.choice(CONFLICTS) if rng.random() < 0.05 else "",
                     self.today - datetime.timedelta(days=rng.randrange(120)), self.loaded_at)
                )  # fmt: skip
                status = ResidenceStatus.FLOATING if occupancy == Occupancy.RENTED else ResidenceStatus.REGISTERED
                for position in range(size):
                    self.resident(household, position, status, elderly_alone, building)

    def resident(self, household: int, position: int, status: str, elderly_alone: bool, building: dict) -> None:
        rng = self.rng
        if position == 0:
            relation, ages = (Relation.TENANT if status == ResidenceStatus.FLOATING else Relation.HEAD), (25, 80)
        elif position == 1:
            relation, ages = Relation.SPOUSE, (25, 80)
        else:
            relation, ages = Relation.CHILD, (1, 30)
        if elderly_alone:
            ages = (66, 90)
        birth = self.today - datetime.timedelta(days=rng.randint(ages[0] * 365 + 1, ages[1] * 365 - 1))
        male = rng.random() < 0.5
        adult = birth <= self.adult_born_by
        citizen_id = self.identities.new(rng, birth, male)
        phone = f"+86{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}" if adult else ""
        name = person_name(rng)
        resident = self.writer.next_id(Resident)
        self.rows[Resident].append(
            (resident, household, name, citizen_id, blind_index(citizen_id), phone or None,
             blind_index(phone) if phone else "", status, relation, self.loaded_at)
        )  # fmt: skip
        since = self.today - datetime.timedelta(days=rng.randrange(30, 1500))
        if status == ResidenceStatus.FLOATING:
            self.tag(resident, "floating-population", since)
        if position == 0 and birth <= self.elderly_born_by and rng.random() < 0.3:
            self.tag(resident, "empty-nest-elderly", since)
        if adult and rng.random() < MEMBER_SHARE:
            probationary = rng.random() < 0.08
            joined = self.today - datetime.timedelta(
                days=rng.randrange(30, 360) if probationary else rng.randrange(400, 15000)
            )
            self.rows[PartyMember].append(
                (self.writer.next_id(PartyMember), name, resident, building["party"]["id"],
                 MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL, joined, MemberKind.RESIDENT, "", "")
            )  # fmt: skip

    def tag(self, resident: int, code: str, since: datetime.date) -> None:
        group = self.groups[code]
        self.rows[ResidentTag].append(
            (self.writer.next_id(ResidentTag), group.pk, since, None, group.default_legal_basis, "", resident)
        )
