"""A fictional city for the demo and for tests that want a living district.

Deterministic: every community draws from its own seeded generator, so the same scale gives
the same people. Idempotent: what exists is kept, a second run adds nothing. The province
code 99 is not a real one, so no demo code collides with a real division; citizen IDs use
real birth-place codes because the ID check (GB 11643, python-stdnum) verifies them.
"""

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

import stdnum.cn
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from stdnum.cn import ric
from tqdm import tqdm

from core.bulk import bulk_insert
from core.scope import SYSTEM
from demo import (
    alliances,
    appraisal,
    cases,
    client_keys,
    cobuilding,
    estates,
    funding,
    geo,
    hall,
    meetings,
    notifications,
    party,
    two_factor,
    visits,
)
from demo.names import person_name
from grids import rollup
from grids import services as grid_services
from grids.models import Area, AreaKind, AreaShape, City, Household, KeyGroup, Occupancy, Relation, ResidenceStatus
from orgs import services as org_services
from orgs.models import Department, DepartmentKind, Post, Role, Slot

DEMO_PASSWORD = "gridgov-demo"  # noqa: S105 - the demo's published log-in, printed by load_demo
# The A posts of these grids are held by the demo log-ins rather than by generated people.
RESERVED_FOR_DEMO_USERS = {("银湖社区", 1, "A"), ("银湖社区", 2, "A")}
# A grid still short-staffed: only a part-time worker, no B post (shows in the coverage report).
SHORT_STAFFED_GRID = ("东风社区", 3)
SENSITIVE_GROUP = "敏感信息查看"


@dataclass(frozen=True)
class CommunitySpec:
    name: str
    declared_households: int
    grids: int


# Declared households below, at and above the funding bands' edges (3,000 and 5,000).
DISTRICT = ("金川区", AreaKind.DISTRICT, "990102000000")
COUNTY = ("河西县", AreaKind.COUNTY, "990121000000")
LAYOUT = {
    DISTRICT: {
        ("滨河街道", AreaKind.STREET): [CommunitySpec("银湖社区", 2400, 3), CommunitySpec("丽景社区", 3000, 3)],
        ("文昌街道", AreaKind.STREET): [
            CommunitySpec("文苑社区", 4200, 3),
            CommunitySpec("书香社区", 5000, 4),
            CommunitySpec("新城社区", 6300, 4),
        ],
    },
    COUNTY: {
        ("河西镇", AreaKind.TOWN): [CommunitySpec("城关社区", 2800, 3), CommunitySpec("东风社区", 3500, 3)],
    },
}
DEPARTMENTS = [
    ("zongzhi", "综治中心"),
    ("minzheng", "民政局"),
    ("chengguan", "城市管理局"),
    ("xinfang", "信访局"),
    ("shichang", "市场监督管理局"),
    ("weijian", "卫生健康局"),
    ("yingji", "应急管理局"),
]
MOBILE_PREFIXES = ["138", "139", "150", "151", "158", "186", "187", "189"]
FACILITIES = ["燃气已安装报警器", "电梯运行正常", "楼道灭火器在有效期", "无障碍坡道", "电动车集中充电桩"]
HAZARDS = ["楼道堆放杂物", "电动车入户充电", "燃气软管老化", "阳台外挂物松动"]
CONFLICTS = ["与邻居因漏水有纠纷", "物业费争议", "噪音投诉"]


def _birth_places(offset: int = 0) -> list[str]:
    """County codes from python-stdnum's own table (current ones only), a fixed sample of them."""
    codes, province = [], ""
    for line in (Path(stdnum.cn.__file__).with_name("loc.dat")).read_text(encoding="utf-8").splitlines():
        if line[:2].isdigit():
            province = line[:2]
        elif line.startswith("  ") and "[" not in line:
            county = line.split()[0]
            if not county.endswith("00"):
                codes.append(province + county)
    return codes[offset::53][:60]


class _People:
    """Names, IDs and phones for one community, unique across the whole demo."""

    def __init__(self, rng: random.Random, birth_places: list[str], used_ids: set[str]):
        self.rng = rng
        self.birth_places = birth_places
        self.used_ids = used_ids

    def name(self) -> str:
        return person_name(self.rng)

    def citizen_id(self, birth: datetime.date, male: bool) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            body = f"{self.rng.choice(self.birth_places)}{birth:%Y%m%d}{seq:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def birth_at_age(self, age: int, today: datetime.date) -> datetime.date:
        """A birthday that makes someone `age` years old today."""
        latest = today.replace(year=today.year - age)
        earliest = latest.replace(year=latest.year - 1) + datetime.timedelta(days=1)
        return earliest + datetime.timedelta(days=self.rng.randrange((latest - earliest).days + 1))


def _family(rng: random.Random, elderly_alone: bool) -> list[tuple[str, int, bool]]:
    """(relation to the head, age, male) of a household's members, ages that fit the relations: a
    couple within a few years of each other and of opposite sex, children born when both parents
    were adults, a parent of the head a generation older. The citizen IDs encode these birth dates
    and sexes, so every age the pages derive from an ID fits too."""
    if elderly_alone:
        return [(Relation.HEAD, rng.randint(66, 90), rng.random() < 0.5)]
    size = rng.choice((1, 2, 2, 3, 3, 3, 4, 5))
    head_age = rng.randint(23, 80) if size <= 2 else rng.randint(30, 56)
    head_male = rng.random() < 0.5
    family = [(Relation.HEAD, head_age, head_male)]
    if size >= 2:
        family.append((Relation.SPOUSE, max(22, head_age + rng.randint(-6, 6)), not head_male))
    youngest_parent = min(age for _relation, age, _male in family)
    for _ in range(min(size - 2, 2)):
        # Born when the younger parent was 22 to 40.
        age = rng.randint(max(0, youngest_parent - 40), youngest_parent - 22)
        family.append((Relation.CHILD, age, rng.random() < 0.5))
    if size == 5:
        family.append((Relation.PARENT, head_age + rng.randint(22, 32), rng.random() < 0.5))
    return family


@transaction.atomic
def _shapes(trees: list[dict]) -> None:
    """Every place's boundary or point (demo.geo), in one bulk insert: made-up geometry needs
    none of set_shape's checks, which the layout meets by construction (tests/demo/test_geo.py)."""
    ids = dict(Area.objects.filter(code__startswith="99").values_list("code", "pk"))
    if AreaShape.objects.unscoped("the demo's own places, once").filter(area_id__in=ids.values()).exists():
        return
    bulk_insert([AreaShape(area_id=ids[node["code"]], **geo.shape_fields(shape)) for node, shape in geo.lay_out(trees)])


class DemoBuilder:
    def __init__(self, *, scale: int = 1, progress: bool = True):
        self.scale = scale
        self.progress = progress
        self.today = datetime.date(2026, 11, 1)
        self.birth_places = _birth_places()
        self.used_ids: set[str] = set()
        self.groups = {g.code: g for g in KeyGroup.objects.all()}

    def build(self) -> None:
        city, _ = City.objects.get_or_create(code="990100000000", defaults={"name": "新川市"})
        trees = [self._tree(city, root, streets) for root, streets in LAYOUT.items()]
        roots = [root for root, _data in trees]
        _shapes([data for _root, data in trees])
        departments = self._departments(roots)
        communities = list(Area.objects.filter(kind=AreaKind.COMMUNITY).order_by("code"))
        for community in tqdm(communities, desc="社区 communities", disable=not self.progress):
            self._people(community)
        streets = list(
            Area.objects.filter(kind__in=[AreaKind.STREET, AreaKind.TOWN], code__startswith="99").order_by("code")
        )
        party.build(streets, departments["property"])
        cobuilding.build(communities)
        self._users(roots, departments)
        two_factor.give_devices()
        client_keys.issue(roots[0])
        funding.build(roots)
        cases.build(roots[0], count=80 * self.scale)
        client_keys.subscribe(roots[0])
        visits.build()
        meetings.build()
        hall.build()
        appraisal.build()
        estates.build()
        alliances.build()
        notifications.tell()

    @transaction.atomic
    def _tree(self, city: City, root: tuple, streets: dict) -> tuple[Area, dict]:
        """The root's area and the tree as data (what demo.geo lays out), made if missing."""
        name, kind, code = root
        existing = Area.objects.filter(code=code).first()
        data = {"kind": kind, "name": name, "code": code, "children": []}
        for s_index, ((street_name, street_kind), specs) in enumerate(streets.items(), start=1):
            street_code = f"{code[:6]}{s_index:03d}000"
            street = {"kind": street_kind, "name": street_name, "code": street_code, "children": []}
            for c_index, spec in enumerate(specs, start=1):
                street["children"].append(self._community(spec, f"{street_code[:9]}{c_index:03d}"))
            data["children"].append(street)
        if existing:
            return existing, data
        nodes = grid_services.bulk_create_subtree(actor=SYSTEM, data=data, city=city)
        return nodes[0], data

    def _community(self, spec: CommunitySpec, code: str) -> dict:
        community = {
            "kind": AreaKind.COMMUNITY,
            "name": spec.name,
            "code": code,
            "declared_households": spec.declared_households,
            "children": [],
        }
        for g in range(1, spec.grids + 1):
            grid_code = f"{code}{g:03d}"  # GB/T 30428.1: 15 digits
            grid = {"kind": AreaKind.GRID, "name": f"{spec.name}第{g}网格", "code": grid_code, "children": []}
            # The last grid of each community is an estate with its own compound (小区).
            parent = grid
            if g == spec.grids:
                compound = {
                    "kind": AreaKind.COMPOUND,
                    "name": f"{spec.name[:2]}花园",
                    "code": f"{grid_code}01",
                    "children": [],
                }
                grid["children"].append(compound)
                parent = compound
            for b in range(1, 5 * self.scale + 1):
                parent["children"].append(
                    {
                        "kind": AreaKind.BUILDING,
                        "name": f"{parent['name'][-4:] if parent is not grid else ''}{g}区{b}号楼",
                        "code": f"{parent['code']}{b:03d}",
                        "address": f"{spec.name[:2]}路{g * 10 + b}号",
                    }
                )
            community["children"].append(grid)
        return community

    def _departments(self, roots: list[Area]) -> dict[str, Department]:
        departments = {}
        for root in roots:
            prefix = "jc" if root.kind == AreaKind.DISTRICT else "hx"
            for code, name in DEPARTMENTS:
                departments[f"{prefix}-{code}"], _ = Department.objects.get_or_create(
                    code=f"{prefix}-{code}", defaults={"name": f"{root.name}{name}", "jurisdiction": root}
                )
        street = Area.objects.get(name="滨河街道")
        departments["property"], _ = Department.objects.get_or_create(
            code="jc-binhe-property",
            defaults={"name": "滨河物业服务有限公司", "kind": DepartmentKind.PROPERTY, "jurisdiction": street},
        )
        return departments

    @transaction.atomic
    def _people(self, community: Area) -> None:
        buildings = list(community.get_descendants().filter(kind=AreaKind.BUILDING).order_by("lft"))
        if Household.objects.filter(building__in=buildings).exists():
            return
        rng = random.Random(community.code)
        people = _People(rng, self.birth_places, self.used_ids)
        with rollup.deferred():
            for building in buildings:
                for unit in ("1", "2"):
                    for floor in range(1, 7 + rng.randrange(3)):
                        if rng.random() < 0.35:
                            continue
                        self._household(building, unit, floor, rng, people)
        self._grid_posts(community, rng, people)

    def _household(self, building: Area, unit: str, floor: int, rng: random.Random, people: _People) -> None:
        roll = rng.random()
        occupancy = Occupancy.VACANT if roll < 0.06 else Occupancy.RENTED if roll < 0.22 else Occupancy.OWNER
        household = grid_services.register_household(
            actor=SYSTEM,
            building=building,
            unit=unit,
            floor=floor,
            room=f"{floor}0{rng.randint(1, 2)}" if unit == "1" else f"{floor}0{rng.randint(3, 4)}",
            occupancy=occupancy,
            facilities="、".join(rng.sample(FACILITIES, 2)),
            hazards=rng.choice(HAZARDS) if rng.random() < 0.1 else "",
            conflicts=rng.choice(CONFLICTS) if rng.random() < 0.05 else "",
            last_visited=self.today - datetime.timedelta(days=rng.randrange(120)),
        )
        if occupancy == Occupancy.VACANT:
            return
        if occupancy == Occupancy.RENTED:
            self._tag(household, "rented-housing", rng)
        elderly_alone = rng.random() < 0.1
        status = ResidenceStatus.FLOATING if occupancy == Occupancy.RENTED else ResidenceStatus.REGISTERED
        family = _family(rng, elderly_alone)
        size = len(family)
        members = []
        for relation, age, male in family:
            if relation == Relation.HEAD and status == ResidenceStatus.FLOATING:
                relation = Relation.TENANT
            members.append(
                grid_services.register_resident(
                    actor=SYSTEM,
                    household=household,
                    name=people.name(),
                    citizen_id=people.citizen_id(people.birth_at_age(age, self.today), male),
                    phone=people.phone() if age >= 18 else "",
                    residence_status=status,
                    relation=relation,
                )
            )
        household.family_situation = f"{size}口之家" + (",独居老人" if elderly_alone else "")
        grid_services.update_household_card(
            actor=SYSTEM, household=household, family_situation=household.family_situation
        )
        if elderly_alone:
            self._tag(members[0], "empty-nest-elderly", rng)
        for member in members:
            if status == ResidenceStatus.FLOATING:
                self._tag(member, "floating-population", rng)
            roll = rng.random()
            if roll < 0.02:
                self._tag(member, "disabled", rng)
            elif roll < 0.025:
                self._tag(member, "released-prisoner", rng)
            elif roll < 0.03:
                self._tag(member, "community-corrections", rng, until=self.today + datetime.timedelta(days=200))
        if rng.random() < 0.03:
            self._tag(household, "subsistence-allowance", rng)

    def _tag(self, subject, code: str, rng: random.Random, until: datetime.date | None = None) -> None:
        since = self.today - datetime.timedelta(days=rng.randrange(30, 1500))
        tag = grid_services.tag_household if isinstance(subject, Household) else grid_services.tag_resident
        key = "household" if isinstance(subject, Household) else "resident"
        tag(actor=SYSTEM, **{key: subject}, group=self.groups[code], since=since, until=until)

    def _grid_posts(self, community: Area, rng: random.Random, people: _People) -> None:
        start = datetime.date(2024, 1, 1)
        org_services.appoint(
            actor=SYSTEM, post=Post(holder_name=people.name(), role=Role.GRID_CHIEF, area=community, start=start)
        )
        for number, grid in enumerate(community.get_children().filter(kind=AreaKind.GRID), start=1):
            if (community.name, number) == SHORT_STAFFED_GRID:
                org_services.appoint(
                    actor=SYSTEM,
                    post=Post(
                        holder_name=people.name(), role=Role.GRID_WORKER_PART_TIME, area=grid, slot=Slot.A, start=start
                    ),
                )
                continue
            for slot in (Slot.A, Slot.B):
                if (community.name, number, slot) in RESERVED_FOR_DEMO_USERS:
                    continue
                org_services.appoint(
                    actor=SYSTEM,
                    post=Post(holder_name=people.name(), role=Role.GRID_WORKER, area=grid, slot=slot, start=start),
                )
            org_services.appoint(
                actor=SYSTEM, post=Post(holder_name=people.name(), role=Role.GRID_GROUP_LEADER, area=grid, start=start)
            )
            for building in grid.get_descendants().filter(kind=AreaKind.BUILDING):
                head = (
                    Household.objects.filter(building=building, residents__relation=Relation.HEAD)
                    .values_list("residents__pk", "residents__name")
                    .first()
                )
                if head:
                    org_services.appoint(
                        actor=SYSTEM,
                        post=Post(
                            holder_name=head[1],
                            resident_id=head[0],
                            role=Role.BUILDING_HEAD,
                            area=building,
                            start=start,
                        ),
                    )

    def _users(self, roots: list[Area], departments: dict[str, Department]) -> None:
        sensitive, _ = Group.objects.get_or_create(name=SENSITIVE_GROUP)
        sensitive.permissions.add(Permission.objects.get(codename="view_sensitive", content_type__app_label="grids"))
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "系统管理员"}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        yinhu = Area.objects.get(name="银湖社区")
        grid_1, grid_2 = yinhu.get_children()[:2]
        for username, full_name, post_kwargs, in_sensitive_group in [
            ("grid_a", "赵网格", [dict(role=Role.GRID_WORKER, area=grid_1, slot=Slot.A)], False),
            ("grid_b", "钱网格", [dict(role=Role.GRID_WORKER, area=grid_2, slot=Slot.A)], False),
            ("community", "孙社区", [dict(role=Role.COMMUNITY_STAFF, area=yinhu)], True),
            ("street", "李街道", [dict(role=Role.STREET_STAFF, area=yinhu.parent)], False),
            ("officer", "周城管", [dict(role=Role.DEPARTMENT_OFFICER, department=departments["jc-chengguan"])], False),
            (
                "sunk",
                "吴民政",
                [
                    dict(role=Role.SUNK_STAFF, area=grid_1, department=departments["jc-minzheng"]),
                    dict(role=Role.SUNK_STAFF, area=grid_2, department=departments["jc-minzheng"]),
                ],
                False,
            ),
            ("district", "王指挥", [dict(role=Role.DISTRICT_STAFF, area=roots[0])], False),
            ("leader", "郑领导", [dict(role=Role.LEADER, area=roots[0])], False),
            (
                "finance",
                "冯财政",
                [dict(role=Role.FINANCE_OFFICER, area=root) for root in roots],
                False,
            ),
        ]:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
            if not created:
                continue
            user.set_password(DEMO_PASSWORD)
            user.save()
            if in_sensitive_group:
                user.groups.add(sensitive)
            for kwargs in post_kwargs:
                org_services.appoint(actor=SYSTEM, post=Post(user=user, start=datetime.date(2024, 1, 1), **kwargs))


DEMO_LOGINS = [
    ("admin", "系统管理员 admin"),
    ("grid_a", "网格员(银湖社区第1网格)grid worker, grid 1"),
    ("grid_b", "网格员(银湖社区第2网格)grid worker, grid 2"),
    ("community", "社区工作人员(银湖社区,可查看敏感信息)community staff"),
    ("street", "街道工作人员(滨河街道)street staff"),
    ("officer", "部门工作人员(金川区城市管理局)department officer"),
    ("sunk", "下沉人员(民政局→银湖社区第1、2网格)sunk staff"),
    ("district", "区指挥中心(金川区,派遣升级到区的案件)district command centre"),
    ("leader", "领导(金川区)leader"),
    ("finance", "财政工作人员(金川区、河西县,经费测算)finance officer"),
]
