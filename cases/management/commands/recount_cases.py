from django.core.management.base import BaseCommand

from cases import services
from core.scope import SYSTEM


class Command(BaseCommand):
    help = "Count the dashboard's figures per street and day again from every case (after a repair by hand)."

    def handle(self, *args, **options) -> None:
        days = services.recount_case_days(actor=SYSTEM)
        self.stdout.write(self.style.SUCCESS(f"{days} days counted"))
