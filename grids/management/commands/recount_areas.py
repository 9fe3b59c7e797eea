from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.scope import SYSTEM
from grids import services
from grids.models import Area


class Command(BaseCommand):
    help = "Count the area tree's figures again from the residents, for every building or those under one area."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", metavar="CODE", help="the area's code (编码); default: every building")

    def handle(self, *args, area: str | None, **options) -> None:
        under = None
        if area:
            under = Area.objects.unscoped("an operator names the area").filter(code=area).first()
            if under is None:
                raise CommandError(f"no area with code {area}")
        counted = services.recount_areas(actor=SYSTEM, area=under)
        self.stdout.write(self.style.SUCCESS(f"{counted} buildings counted"))
