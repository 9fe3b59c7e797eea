from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from demo import beat


class Command(BaseCommand):
    help = (
        "Migrate, load the demo data, run the beat schedule once (reminders, overdue notices) and serve"
        " on 127.0.0.1:8000: everything a newcomer needs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--scale", type=int, default=1)

    def handle(self, *args, addrport: str, scale: int, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", scale=scale)
        for task, result in beat.run_once().items():
            self.stdout.write(f"  {task}: {result}")
        call_command("runserver", addrport, use_reloader=False)
