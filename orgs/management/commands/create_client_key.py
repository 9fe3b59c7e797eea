"""Issues a client key from the command line (a first integration before anyone has signed in, or a
deployment script) and prints its secret, which is shown this once and stored nowhere."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.scope import SYSTEM
from grids.models import ROOT_KINDS, Area
from orgs import client_keys
from orgs.models import Department


class Command(BaseCommand):
    help = "Issue a client key for a district (--district CODE) or a department (--department CODE); prints it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the system that will use it, e.g. 12345热线平台")
        holder = parser.add_mutually_exclusive_group(required=True)
        holder.add_argument("--district", metavar="CODE", help="a district's, county's or county-level city's code")
        holder.add_argument("--department", metavar="CODE", help="a department's code")
        parser.add_argument("--days", type=int, default=client_keys.DEFAULT_DAYS, help="valid for this many days")

    def handle(self, *args, name: str, district: str | None, department: str | None, days: int, **options) -> None:
        holder = {}
        if district:
            holder["district"] = (
                Area.objects.unscoped("a command names the district by its code")
                .filter(kind__in=sorted(ROOT_KINDS), code=district)
                .first()
            )
            if holder["district"] is None:
                raise CommandError(f"no district, county or county-level city has the code {district!r}")
        else:
            holder["department"] = (
                Department.objects.unscoped("a command names the department by its code")
                .filter(code=department)
                .first()
            )
            if holder["department"] is None:
                raise CommandError(f"no department has the code {department!r}")
        try:
            key, secret = client_keys.create_client_key(
                actor=SYSTEM, name=name, expires_on=timezone.localdate() + timedelta(days=days), **holder
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(f"client key {key.prefix}… for {key.holder}, valid through {key.expires_on:%Y-%m-%d}:")
        self.stdout.write(secret)
