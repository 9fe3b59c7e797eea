"""Chinese working days, for resolution deadlines counted in 工作日.

A period of N working days from a moment does not count that moment's day; it ends at the end
(24:00) of the N-th working day after it (Civil Code arts. 201, 203). Non-working days are
weekends and public holidays; 调休 make-up working days fall on weekends.

For years whose arrangement the State Council has announced (through `official_through`, or
listed in `announced_years`), the `holidays` package's China calendar gives the days off and the
make-up working days. For later years only the statutory holidays are certain — 元旦, 春节 from
除夕, 清明, 劳动节, 端午, 中秋, 国庆 — and the package's guesses at the extra days ("observed")
are left out: a deadline reaching into such a year is computed from weekends and the statutory
days and is marked provisional. Local or newly announced days in `overrides` win over both.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import holidays


@cache
def _days_off(year: int, announced: bool) -> frozenset[datetime.date]:
    # For an unannounced year the package's "observed" days are its guesses at the arrangement.
    return frozenset(holidays.China(years=year, observed=announced))


@cache
def _make_up_days(year: int) -> frozenset[datetime.date]:
    calendar = holidays.China(years=year)
    return frozenset(day for day in calendar.weekend_workdays if day.year == year)


@dataclass(frozen=True)
class WorkCalendar:
    official_through: int
    announced_years: frozenset[int] = frozenset()
    # date → True for a working day, False for a day off; wins over everything else.
    overrides: Mapping[datetime.date, bool] = field(default_factory=dict)

    def is_official(self, year: int) -> bool:
        return year <= self.official_through or year in self.announced_years

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        # A year announced only through the admin table has its extra days there, not in the package.
        in_package = day.year <= self.official_through
        if day in _days_off(day.year, in_package):
            return False
        if in_package and day in _make_up_days(day.year):
            return True
        return day.weekday() < 5

    def add_working_days(self, start: datetime.datetime, days: int) -> tuple[datetime.datetime, bool]:
        """The end of the `days`-th working day after `start`'s day, and whether that is provisional.

        `start` is an aware datetime; the result is in its time zone, at 23:59:59 of the last day.
        """
        if days < 1:
            raise ValueError(f"a period of working days needs at least one day, not {days}")
        day = start.date()
        provisional = False
        counted = 0
        while counted < days:
            day += datetime.timedelta(days=1)
            provisional = provisional or not self.is_official(day.year)
            if self.is_working_day(day):
                counted += 1
        end = datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=start.tzinfo)
        return end, provisional
