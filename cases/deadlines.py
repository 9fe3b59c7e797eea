"""Deadlines from the time-limit table and the working-day calendar (限时办结, seed 002)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from cases.models import AnnouncedYear, CalendarDay, Category, LimitUnit, TimeLimit
from core.workdays import WorkCalendar

# The share of a period after which the sweep reminds whoever holds the case.
REMIND_AT = 0.75


def work_calendar() -> WorkCalendar:
    """The calendar as configured now: the setting, plus the admin table's years and days."""
    return WorkCalendar(
        official_through=settings.HOLIDAYS_OFFICIAL_THROUGH,
        announced_years=frozenset(AnnouncedYear.objects.values_list("year", flat=True)),
        overrides=dict(CalendarDay.objects.values_list("day", "working")),
    )


def limit_for(category: Category, colour: str) -> TimeLimit:
    """The limit of the nearest category up the tree that has one for this colour, else the colour's default."""
    up_the_tree = Q(
        category__tree_id=category.tree_id, category__lft__lte=category.lft, category__rght__gte=category.rght
    )
    # One query: the deepest category's row first, the default (no category) last.
    found = (
        TimeLimit.objects.filter(up_the_tree | Q(category__isnull=True), colour=colour)
        .order_by(F("category__level").desc(nulls_last=True))
        .first()
    )
    if found is None:
        raise TimeLimit.DoesNotExist(f"no time limit for colour {colour}: the defaults are seeded by a migration")
    return found


@dataclass(frozen=True)
class Due:
    at: datetime.datetime
    remind_at: datetime.datetime
    provisional: bool


def _due(start: datetime.datetime, end: datetime.datetime, provisional: bool) -> Due:
    return Due(at=end, remind_at=start + (end - start) * REMIND_AT, provisional=provisional)


def response_due(limit: TimeLimit, start: datetime.datetime, calendar: WorkCalendar) -> Due:
    if limit.response_unit == LimitUnit.HOURS:
        return _due(start, start + datetime.timedelta(hours=limit.response), False)
    return _due(start, *calendar.add_working_days(timezone.localtime(start), limit.response))


def dispatch_due(limit: TimeLimit, start: datetime.datetime) -> Due:
    """The street's (or district's) clock for a whistled or escalated case: hours, day and night."""
    return _due(start, start + datetime.timedelta(hours=limit.dispatch_hours), False)


def resolution_due(limit: TimeLimit, start: datetime.datetime, calendar: WorkCalendar) -> Due:
    return _due(start, *calendar.add_working_days(timezone.localtime(start), limit.resolution_working_days))


def extended(due: datetime.datetime, days: int, now: datetime.datetime, calendar: WorkCalendar) -> Due:
    """An approved extension: `days` more working days counted from the old deadline's day."""
    end, provisional = calendar.add_working_days(timezone.localtime(due), days)
    return _due(now, end, provisional)
