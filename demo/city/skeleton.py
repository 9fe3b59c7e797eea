"""The city's bones: the area trees, departments, routing rules, party organisations, posts and
the accounts that hold them. Small tables (tens of thousands of rows), numbered in Python."""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db.models import Max
from django.utils import timezone

from cases.models import Category, RoutingRule
from demo import geo
from demo.builder import DEMO_PASSWORD, DEPARTMENTS
from demo.cases import ROUTES
from demo.city.plan import CITY_CODE, CITY_NAME, COUNTY_NAMES, DISTRICT_NAMES, PLACE_CHARS, Scale
from demo.city.tables import Writer, number_tree, walk
from demo.names import person_name
from grids.models import Area, AreaKind, AreaShape, City
from orgs.models import Department, Organization, OrgKind, Post, Role, Slot
from orgs.services import COMMUNITY_TERM_YEARS

AREA_COLUMNS = ["id", "kind", "name", "code", "parent_id", "city_id", "declared_households", "address"]
SHAPE_COLUMNS = ["area_id", "boundary", "outline", "lng", "lat", "min_lng", "min_lat", "max_lng", "max_lat",
                 "updated_at"]  # fmt: skip
CENTRE = (106.45, 38.2)  # south of the demo's district (demo.geo.CENTRE), as big as a real city's
MPTT_COLUMNS = ["lft", "rght", "tree_id", "level"]
ORG_COLUMNS = ["id", "kind", "name", "parent_id", "area_id", "term_start", "term_end"]
POST_COLUMNS = ["id", "user_id", "holder_name", "role", "area_id", "department_id", "organization_id", "slot",
                "function", "start", "end"]  # fmt: skip
USER_COLUMNS = ["id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
                "is_active", "date_joined"]  # fmt: skip
BUILDING_GROUP_SHARE = 0.7  # buildings with a 楼栋党小组; the others' members sit in the grid's branch
TERM_START = datetime.date(2023, 3, 1)


@dataclass
class Skeleton:
    """What the people and the cases are hung on: ids only, all in memory (a few MB for the city)."""

    city_id: int
    roots: list[dict]
    grids: list[dict] = field(default_factory=list)  # each knows its district, street and community
    departments: dict[tuple[int, str], dict] = field(default_factory=dict)  # (root id, code) → {id, officer}
    users: dict[str, int] = field(default_factory=dict)  # username → id
    org_tree_ids: list[int] = field(default_factory=list)


def _place_name(rng: random.Random, used: set[str], suffix: str) -> str:
    while True:
        name = "".join(rng.sample(PLACE_CHARS, 2)) + suffix
        if name not in used:
            used.add(name)
            return name


def _area_trees(scale: Scale, rng: random.Random) -> list[dict]:
    used: set[str] = set()
    roots = []
    kinds = [(AreaKind.DISTRICT, n) for n in DISTRICT_NAMES[: scale.districts]]
    kinds += [(AreaKind.COUNTY, n) for n in COUNTY_NAMES[: scale.counties]]
    for r, ((kind, name), streets) in enumerate(zip(kinds, scale.streets, strict=True)):
        code = f"9701{2 + r:02d}000000" if kind == AreaKind.DISTRICT else f"9701{21 + r - scale.districts:02d}000000"
        root = {"kind": kind, "name": name, "code": code, "children": []}
        street_kind, suffix = (AreaKind.STREET, "街道") if kind == AreaKind.DISTRICT else (AreaKind.TOWN, "镇")
        for s in range(1, streets + 1):
            street = {"kind": street_kind, "name": _place_name(rng, used, suffix), "code": f"{code[:6]}{s:03d}000"}
            street["children"] = [_community(scale, rng, used, f"{street['code'][:9]}{c:03d}")
                                  for c in range(1, scale.communities_per_street + 1)]  # fmt: skip
            root["children"].append(street)
        roots.append(root)
    return roots


def _community(scale: Scale, rng: random.Random, used: set[str], code: str) -> dict:
    name = _place_name(rng, used, "社区")
    community = {"kind": AreaKind.COMMUNITY, "name": name, "code": code, "children": []}
    for g in range(1, scale.grids_per_community + 1):
        grid = {"kind": AreaKind.GRID, "name": f"{name}第{g}网格", "code": f"{code}{g:03d}", "children": []}
        for b in range(1, scale.buildings_per_grid + 1):
            grid["children"].append(
                {
                    "kind": AreaKind.BUILDING,
                    "name": f"{g}区{b}号楼",
                    "code": f"{grid['code']}{b:03d}",
                    "address": f"{name[:2]}路{g * 100 + b}号",
                    "floors": rng.randint(5, 8),  # two units, one dwelling a floor each
                }
            )
        community["children"].append(grid)
    households = sum(2 * b["floors"] for grid in community["children"] for b in grid["children"])
    community["declared_households"] = round(households * rng.uniform(0.95, 1.1))
    return community


def build(writer: Writer, scale: Scale, rng: random.Random, first_day: datetime.date) -> Skeleton:
    city = City.objects.create(code=CITY_CODE, name=CITY_NAME)
    roots = _area_trees(scale, rng)
    first_tree = (Area.tree.aggregate(m=Max("tree_id"))["m"] or 0) + 1
    number_tree(roots, first_tree)
    nodes = list(walk(roots))
    for (node, parent), pk in zip(nodes, writer.ids(Area, len(nodes)), strict=True):
        node["id"], node["parent_id"] = pk, parent["id"] if parent else None
    writer.write(
        Area,
        AREA_COLUMNS + MPTT_COLUMNS,
        (
            (n["id"], n["kind"], n["name"], n["code"], n["parent_id"], city.pk if p is None else None,
             n.get("declared_households"), n.get("address", ""), n["lft"], n["rght"], n["tree_id"], n["level"])
            for n, p in nodes
        ),
    )  # fmt: skip
    _shapes(writer, roots)
    skeleton = Skeleton(city_id=city.pk, roots=roots)
    for root in roots:
        for street in root["children"]:
            for community in street["children"]:
                for grid in community["children"]:
                    grid.update(district=root, street=street, community=community)
                    skeleton.grids.append(grid)
    _departments(writer, skeleton)
    _accounts_and_posts(writer, skeleton, rng, first_day)
    _party(writer, skeleton, rng)
    return skeleton


def _shapes(writer: Writer, roots: list[dict]) -> None:
    """A boundary for every place down to the grid and a point for every building (demo.geo), away
    from the demo's own so the two can share a database."""
    updated = timezone.now()
    laid_out = ((node, geo.shape_fields(shape)) for node, shape in geo.lay_out(roots, "city", CENTRE))
    writer.write(
        AreaShape,
        SHAPE_COLUMNS,
        ((node["id"], *(fields[column] for column in SHAPE_COLUMNS[1:-1]), updated) for node, fields in laid_out),
    )


def _departments(writer: Writer, skeleton: Skeleton) -> None:
    routes = dict(ROUTES)
    for r, root in enumerate(skeleton.roots, start=1):
        for code, name in DEPARTMENTS:
            dept = Department.objects.create(
                code=f"city{r}-{code}", name=f"{root['name']}{name}", jurisdiction_id=root["id"]
            )
            skeleton.departments[(root["id"], code)] = {"id": dept.pk}
        writer.counts["orgs_department"] = writer.counts.get("orgs_department", 0) + len(DEPARTMENTS)
        rules = RoutingRule.objects.bulk_create(
            RoutingRule(category=category, area_id=root["id"],
                        department_id=skeleton.departments[(root["id"], routes[category.code])]["id"])
            for category in Category.objects.filter(code__in=routes).order_by("code")
        )  # fmt: skip
        writer.counts["cases_routingrule"] = writer.counts.get("cases_routingrule", 0) + len(rules)


def _accounts_and_posts(writer: Writer, skeleton: Skeleton, rng: random.Random, first_day: datetime.date) -> None:
    """Accounts for the posts that work cases; the B posts are held by people without one."""
    start = first_day - datetime.timedelta(days=365)
    accounts: list[tuple[str, str, dict]] = []  # (username, full name, post fields)
    for r, root in enumerate(skeleton.roots, start=1):
        root["staff"] = f"city-district-{r}"
        accounts.append((root["staff"], person_name(rng), {"role": Role.DISTRICT_STAFF, "area_id": root["id"]}))
        accounts.append((f"city-leader-{r}", person_name(rng), {"role": Role.LEADER, "area_id": root["id"]}))
        for code, _ in DEPARTMENTS:
            dept = skeleton.departments[(root["id"], code)]
            dept["officer"] = f"city-officer-{r}-{code}"
            accounts.append(
                (dept["officer"], person_name(rng), {"role": Role.DEPARTMENT_OFFICER, "department_id": dept["id"]})
            )
        for street in root["children"]:
            street["staff"] = f"city-street-{street['code'][:9]}"
            accounts.append((street["staff"], person_name(rng), {"role": Role.STREET_STAFF, "area_id": street["id"]}))
            for community in street["children"]:
                community["staff"] = f"city-community-{community['code']}"
                accounts.append(
                    (community["staff"], person_name(rng), {"role": Role.COMMUNITY_STAFF, "area_id": community["id"]})
                )
    for grid in skeleton.grids:
        grid["worker"] = f"city-grid-{grid['code']}"
        post = {"role": Role.GRID_WORKER, "area_id": grid["id"], "slot": Slot.A}
        accounts.append((grid["worker"], person_name(rng), post))
    # One hash for every account: hashing a password takes a fifth of a second by design.
    password = make_password(DEMO_PASSWORD)
    joined = timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
    user_ids = writer.ids(User, len(accounts))
    writer.write(
        User,
        USER_COLUMNS,
        ((pk, password, False, username, name, "", "", False, True, joined)
         for pk, (username, name, _) in zip(user_ids, accounts, strict=True)),
    )  # fmt: skip
    skeleton.users = {username: pk for pk, (username, _, _) in zip(user_ids, accounts, strict=True)}
    posts = [({"user_id": skeleton.users[u], "holder_name": name, **fields}) for u, name, fields in accounts]
    posts += [{"holder_name": person_name(rng), "role": Role.GRID_WORKER, "area_id": g["id"], "slot": Slot.B}
              for g in skeleton.grids]  # fmt: skip
    _write_posts(writer, posts, start)


def _write_posts(writer: Writer, posts: list[dict], start: datetime.date) -> None:
    writer.write(
        Post,
        POST_COLUMNS,
        ((pk, p.get("user_id"), p["holder_name"], p["role"], p.get("area_id"), p.get("department_id"),
          p.get("organization_id"), p.get("slot", ""), "", p.get("start", start), None)
         for pk, p in zip(writer.ids(Post, len(posts)), posts, strict=True)),
    )  # fmt: skip


def _party(writer: Writer, skeleton: Skeleton, rng: random.Random) -> None:
    """Per street a 街道党工委 (its own tree), per community a 社区党委, per grid a 网格党支部 and in most
    buildings a 楼栋党小组, each with its secretary or group leader: the demo builder's shape."""
    term_end = TERM_START.replace(year=TERM_START.year + COMMUNITY_TERM_YEARS) - datetime.timedelta(days=1)
    trees = []
    for root in skeleton.roots:
        for street in root["children"]:
            org = {
                "kind": OrgKind.STREET_WORKING_COMMITTEE,
                "name": f"{street['name']}党工委",
                "area": street,
                "children": [],
            }
            for community in street["children"]:
                committee = {"kind": OrgKind.COMMUNITY_COMMITTEE, "name": f"{community['name']}党委",
                             "area": community, "term": True, "children": []}  # fmt: skip
                for grid in community["children"]:
                    branch = {
                        "kind": OrgKind.GRID_BRANCH,
                        "name": f"{grid['name']}党支部",
                        "area": grid,
                        "children": [],
                    }
                    for building in grid["children"]:
                        building["party"] = branch
                        if rng.random() < BUILDING_GROUP_SHARE:
                            name = f"{community['name']}{building['name']}党小组"
                            group = {"kind": OrgKind.BUILDING_GROUP, "name": name, "area": building}
                            branch["children"].append(group)
                            building["party"] = group
                    committee["children"].append(branch)
                org["children"].append(committee)
            trees.append(org)
    for _node, _parent in walk(trees):
        _node.get("children", []).sort(key=lambda child: child["name"])  # django-mptt's insertion order
    number_tree(trees, (Organization.tree.aggregate(m=Max("tree_id"))["m"] or 0) + 1)
    nodes = list(walk(trees))
    for (node, parent), pk in zip(nodes, writer.ids(Organization, len(nodes)), strict=True):
        node["id"], node["parent_id"] = pk, parent["id"] if parent else None
    writer.write(
        Organization,
        ORG_COLUMNS + MPTT_COLUMNS,
        ((n["id"], n["kind"], n["name"], n["parent_id"], n["area"]["id"], TERM_START if n.get("term") else None,
          term_end if n.get("term") else None, n["lft"], n["rght"], n["tree_id"], n["level"]) for n, _ in nodes),
    )  # fmt: skip
    skeleton.org_tree_ids = sorted({n["tree_id"] for n, _ in nodes})
    leaders = [
        {"holder_name": person_name(rng), "organization_id": n["id"], "start": TERM_START,
         "role": Role.GROUP_LEADER if n["kind"] == OrgKind.BUILDING_GROUP else Role.SECRETARY}
        for n, _ in nodes
    ]  # fmt: skip
    _write_posts(writer, leaders, TERM_START)
