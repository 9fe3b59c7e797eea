"""A calendar year in Asia/Shanghai: its bounds as aware datetimes, and the days of it counted."""

import datetime

from django.utils import timezone


def bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def days_counted(year: int, today: datetime.date | None = None) -> int:
    """The year's days up to today (all of a past year's, none of a future one's)."""
    today = today or timezone.localdate()
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return max(0, (min(today, last) - first).days + 1)
