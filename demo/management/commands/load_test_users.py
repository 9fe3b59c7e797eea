"""Accounts for the load test (bench/load): many users per role in the demo's 金川区, and a plan
file telling the locustfile who they are, where they work and which QR plates residents scan."""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from cases import services as case_services
from cases.models import Category, DoorPlate
from core.scope import SYSTEM
from demo.builder import DEMO_PASSWORD
from grids.models import Area, AreaKind
from orgs import services as org_services
from orgs.models import Department, Post, Role

User = get_user_model()
PREFIX = "load_"
START = datetime.date(2024, 1, 1)


class Command(BaseCommand):
    help = "Create load-test users per role in the demo's 金川区 and write the load test's plan (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--per-role", type=int, default=40, help="accounts per role (default 40)")
        parser.add_argument("--plan", type=Path, required=True, help="where to write the plan (JSON)")

    def handle(self, *args, per_role: int, plan: Path, **options) -> None:
        district = Area.objects.unscoped("the load test's setup").get(kind=AreaKind.DISTRICT, name="金川区")
        places = Area.objects.unscoped("the load test's setup").filter(
            tree_id=district.tree_id, lft__gte=district.lft, rght__lte=district.rght
        )
        grids = list(places.filter(kind=AreaKind.GRID).order_by("lft"))
        communities = list(places.filter(kind=AreaKind.COMMUNITY).order_by("lft"))
        streets = list(places.filter(kind=AreaKind.STREET).order_by("lft"))
        # The district's own bureaus: the street may dispatch any case of the district to them.
        departments = list(
            Department.objects.unscoped("the load test's setup").filter(jurisdiction=district).order_by("code")
        )
        roles = {
            "grid": (Role.GRID_WORKER, [{"area": grid} for grid in grids]),
            "community": (Role.COMMUNITY_STAFF, [{"area": community} for community in communities]),
            "street": (Role.STREET_STAFF, [{"area": street} for street in streets]),
            "officer": (Role.DEPARTMENT_OFFICER, [{"department": department} for department in departments]),
            "leader": (Role.LEADER, [{"area": district}]),
        }
        # One hash for all: hashing the same password hundreds of times would only slow the setup.
        password = make_password(DEMO_PASSWORD)
        accounts = {}
        with transaction.atomic():
            for kind, (role, seats) in roles.items():
                accounts[kind] = [
                    self._account(f"{PREFIX}{kind}_{n:03d}", password, role, seats[n % len(seats)])
                    for n in range(per_role)
                ]
            for community in communities:
                case_services.issue_door_plates(actor=SYSTEM, community=community)
        plates = DoorPlate.objects.filter(building__in=places).order_by("pk").values_list("token", flat=True)
        # Buildings sit under a grid directly or under a compound in it.
        buildings = {
            grid.pk: list(grid.get_descendants().filter(kind=AreaKind.BUILDING).values_list("pk", flat=True))
            for grid in grids
        }
        categories = Category.objects.filter(resident_pickable=True).order_by("pk").values_list("pk", flat=True)
        content = {
            "password": DEMO_PASSWORD,
            "accounts": accounts,
            "buildings": buildings,
            "categories": list(categories),
            "plates": list(plates),
        }
        plan.write_text(json.dumps(content, ensure_ascii=False))
        self.stdout.write(f"{per_role} accounts per role, {len(plates)} QR plates; plan in {plan}")

    def _account(self, username: str, password: str, role: str, seat: dict) -> dict:
        user, created = User.objects.get_or_create(username=username, defaults={"password": password})
        if created:
            # A grid worker here holds no A/B slot: the demo's grid workers already fill them.
            org_services.appoint(actor=SYSTEM, post=Post(user=user, role=role, start=START, **seat))
        place = seat.get("area") or seat["department"]
        return {"username": username, "place": place.pk}
