"""Walks the audit chain from the first row and names the first one that does not follow from the row before."""

from django.core.management.base import BaseCommand, CommandError

from core import chain
from core.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the SHA-256 chain over the audit log; exits non-zero and names the first broken row."

    def handle(self, *args, **options):
        broken = chain.first_broken(AuditEntry)
        if broken is not None:
            # A row edited in place breaks at itself; a row removed breaks at the one after the gap.
            when = f"{broken.at:%Y-%m-%d %H:%M:%S}"
            raise CommandError(f"audit chain broken at entry {broken.pk} ({when} {broken.action})")
        self.stdout.write(f"audit chain intact: {AuditEntry.objects.count()} entries")
