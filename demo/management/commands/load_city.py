import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from demo.builder import DEMO_PASSWORD
from demo.city import SEED, CityRefused, load_city
from demo.city.plan import SCALES


class Command(BaseCommand):
    help = "Generate a whole city to measure on (deterministic; a second run refuses). See docs/city-data.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="city-tenth")
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="the load day, YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bars")

    def handle(self, *args, scale: str, seed: int, today, no_progress: bool, **options) -> None:
        try:
            report = load_city(scale=scale, seed=seed, today=today or timezone.localdate(), progress=not no_progress)
        except CityRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(self.style.SUCCESS(f"城市数据已就绪 / city ready in {report.seconds:.0f} s"))
        for table, n in report.counts.items():
            self.stdout.write(f"  {table:<28} {n:>10,}")
        self.stdout.write(f"  database size {report.database_bytes / 2**20:,.0f} MiB")
        self.stdout.write(
            f"账号 log-ins (password / 密码: {DEMO_PASSWORD}): city-leader-1, city-district-1, "
            "city-street-970102001, city-community-970102001001, city-grid-970102001001001, city-officer-1-chengguan"
        )
