"""Deadlines at the edges of the calendar: 国庆 with its make-up days, a Friday evening, and the
turn into 2027, whose arrangement is not announced yet."""

import datetime

import pytest

from cases import services
from cases.models import AnnouncedYear, CalendarDay, TimeLimit
from core.workdays import WorkCalendar
from tests.cases.conftest import TZ, at

CAL = WorkCalendar(official_through=2026)


def end_of(*day) -> datetime.datetime:
    return datetime.datetime(*day, 23, 59, 59, tzinfo=TZ)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Dispatched the day before 国庆: 1–7 October off, the 8th is the first working day.
        (at(2026, 9, 30, 10), 1, end_of(2026, 10, 8)),
        # Saturday 10 October is a make-up working day (调休), so the third working day is that Saturday.
        (at(2026, 9, 30, 10), 3, end_of(2026, 10, 10)),
        # Sunday 20 September is a make-up working day too.
        (at(2026, 9, 18, 16), 1, end_of(2026, 9, 20)),
        # Friday evening: the weekend does not count.
        (at(2026, 11, 20, 19, 30), 1, end_of(2026, 11, 23)),
        (at(2026, 11, 20, 19, 30), 5, end_of(2026, 11, 27)),
        # The day of dispatch is not counted even when the dispatch is at one minute past midnight.
        (at(2026, 11, 23, 0, 1), 1, end_of(2026, 11, 24)),
    ],
)
def test_working_days_in_an_announced_year(start, days, expected):
    assert CAL.add_working_days(start, days) == (expected, False)


def test_into_an_unannounced_year_1_january_is_still_a_holiday_and_the_deadline_is_provisional():
    # 31 Dec 2026 is a Thursday; 1 Jan 2027 (元旦) is statutory, 2–3 Jan a weekend.
    assert CAL.add_working_days(at(2026, 12, 31, 9), 1) == (end_of(2027, 1, 4), True)


def test_an_unannounced_year_uses_only_the_statutory_days_not_the_packages_guesses():
    # The package guesses 2027's 国庆 runs to the 5th ("observed"); only 1–3 October are statutory.
    assert CAL.is_working_day(datetime.date(2027, 10, 4)) is True
    assert CAL.is_working_day(datetime.date(2027, 10, 1)) is False
    # 除夕 is statutory since 2025.
    assert CAL.is_working_day(datetime.date(2027, 2, 5)) is False


def test_a_deadline_inside_the_announced_year_is_not_provisional():
    assert CAL.add_working_days(at(2026, 12, 28, 9), 3) == (end_of(2026, 12, 31), False)


def test_overrides_win_over_the_package():
    calendar = WorkCalendar(official_through=2026, overrides={datetime.date(2026, 10, 8): False})
    assert calendar.add_working_days(at(2026, 9, 30, 10), 1) == (end_of(2026, 10, 9), False)


def test_a_year_announced_in_the_table_is_official():
    calendar = WorkCalendar(official_through=2026, announced_years=frozenset({2027}))
    assert calendar.add_working_days(at(2026, 12, 31, 9), 1) == (end_of(2027, 1, 4), False)


def test_no_date_crashes_the_calendar():
    for year in (1999, 2030, 2099):
        day, _provisional = CAL.add_working_days(at(year, 6, 1), 20)
        assert day.year == year
    with pytest.raises(ValueError, match="at least one day"):
        CAL.add_working_days(at(2026, 1, 5), 0)


# Through the services: the clocks start at dispatch, with the limits of the case's colour.


def test_deadlines_follow_the_dispatch_time_and_the_colour(world, report, depts):
    case = report(code="safety-fire", at=at(2026, 9, 30, 9))
    case = services.whistle_case(case=case, actor=world.users["community"], note="消防", at=at(2026, 9, 30, 9, 30))
    case = services.dispatch_case(
        case=case, actor=world.users["street"], department=depts["城管局"], at=at(2026, 9, 30, 10)
    )
    assert case.response_due == at(2026, 9, 30, 12)  # red: 2 clock hours
    assert case.resolution_due == end_of(2026, 10, 8)  # red: 1 working day
    assert case.due_provisional is False
    # The reminder falls at 75% of each period.
    assert case.response_remind_at == at(2026, 9, 30, 11, 30)


def test_a_blue_case_responds_within_a_working_day(world, report, depts):
    case = report(code="urban-events-clutter", at=at(2026, 11, 20, 18))
    case = services.whistle_case(case=case, actor=world.users["community"], note="执法", at=at(2026, 11, 20, 19))
    case = services.dispatch_case(
        case=case, actor=world.users["street"], department=depts["城管局"], at=at(2026, 11, 20, 19, 30)
    )
    assert case.colour == "blue"
    assert case.response_due == end_of(2026, 11, 23)
    assert case.resolution_due == end_of(2026, 12, 11)  # 15 working days


def test_a_deadline_reaching_into_2027_is_provisional_until_the_year_is_announced(world, report, depts):
    case = report(code="safety-fire", at=at(2026, 12, 31, 9))
    case = services.whistle_case(case=case, actor=world.users["community"], note="消防", at=at(2026, 12, 31, 9))
    case = services.dispatch_case(
        case=case, actor=world.users["street"], department=depts["城管局"], at=at(2026, 12, 31, 10)
    )
    assert (case.resolution_due, case.due_provisional) == (end_of(2027, 1, 4), True)

    AnnouncedYear.objects.create(year=2027, notice="国办发明电〔2026〕X号")
    CalendarDay.objects.create(day=datetime.date(2027, 1, 4), working=False, note="元旦调休(示例)")
    later = report(code="safety-fire", at=at(2026, 12, 31, 9))
    later = services.whistle_case(case=later, actor=world.users["community"], note="消防", at=at(2026, 12, 31, 9))
    later = services.dispatch_case(
        case=later, actor=world.users["street"], department=depts["城管局"], at=at(2026, 12, 31, 10)
    )
    assert (later.resolution_due, later.due_provisional) == (end_of(2027, 1, 5), False)


def test_a_category_limit_overrides_the_colour_default_for_its_children(world, report, depts):
    from cases.models import Category

    TimeLimit.objects.create(
        colour="blue",
        category=Category.objects.get(code="urban"),
        response=8,
        response_unit="hours",
        resolution_working_days=5,
    )
    case = report(code="urban-events-clutter", at=at(2026, 11, 23, 9))
    assert case.response_due == at(2026, 11, 23, 17)
    case = services.accept_case(case=case, actor=world.users["community"], at=at(2026, 11, 23, 10))
    assert case.resolution_due == end_of(2026, 11, 30)


def test_an_approved_extension_moves_the_deadline_by_working_days(world, dispatched):
    case = dispatched(at=at(2026, 9, 25, 9))
    case = services.sign_case(case=case, actor=world.users["officer"])
    before = case.resolution_due
    case = services.request_extension(case=case, actor=world.users["officer"], days=2, reason="需协调产权单位")
    case = services.decide_extension(case=case, actor=world.users["street"], approve=True)
    calendar = WorkCalendar(official_through=2026)
    assert case.resolution_due == calendar.add_working_days(before.astimezone(TZ), 2)[0]
    assert case.extension_days is None
    event = case.events.last()
    assert (event.action, event.data["days"]) == ("approve_extension", 2)
