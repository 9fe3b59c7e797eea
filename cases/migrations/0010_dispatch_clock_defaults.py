"""Dispatch deadlines per colour, and the clock of every case already waiting to be dispatched.

Seed 002 (限时办结) names no figures, so the street is given what the department is given to
answer once the case reaches it: red 2 hours, orange 4, yellow 12, blue 24 (the response limits of
migration 0002, a working day read as 24 hours). A category's own time limit starts from its
colour's. Cases whistled before this migration get their clock from the moment they last came to
the street (their latest whistle, escalation or return); one already past it shows as overdue and
the next sweep records that, as for any other deadline.
"""

import datetime

from django.db import migrations

HOURS = {"red": 2, "orange": 4, "yellow": 12, "blue": 24}
REMIND_AT = 0.75  # cases.deadlines.REMIND_AT: a migration does not import app code


def seed(apps, schema_editor):
    TimeLimit = apps.get_model("cases", "TimeLimit")
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    for colour, hours in HOURS.items():
        TimeLimit.objects.filter(colour=colour).update(dispatch_hours=hours)
    limits = {(t.colour, t.category_id): t.dispatch_hours for t in TimeLimit.objects.all()}
    waiting = Case.objects.filter(status="whistled", dispatch_due__isnull=True).select_related("category")
    for case in waiting.iterator():
        arrived = (
            (
                CaseEvent.objects.filter(case=case, to_status="whistled", action__in=["whistle", "escalate", "return"])
                .order_by("-at", "-id")
                .values_list("at", flat=True)
                .first()
            )
            or case.accepted_at
            or case.created_at
        )
        hours = _hours(limits, case.category, case.colour, apps)
        case.dispatch_due = arrived + datetime.timedelta(hours=hours)
        case.dispatch_remind_at = arrived + datetime.timedelta(hours=hours * REMIND_AT)
        case.save(update_fields=["dispatch_due", "dispatch_remind_at"])


def _hours(limits, category, colour, apps):
    """The nearest category up the tree with its own limit for the colour, else the colour's default."""
    Category = apps.get_model("cases", "Category")
    up = Category.objects.filter(tree_id=category.tree_id, lft__lte=category.lft, rght__gte=category.rght)
    for pk in up.order_by("-level").values_list("pk", flat=True):
        if (colour, pk) in limits:
            return limits[(colour, pk)]
    return limits.get((colour, None), HOURS[colour])


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_dispatch_clock")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
