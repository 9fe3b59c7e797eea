"""Two years of cases and their events, day by day, each walked through the loop of
cases/workflow.py: reported → accepted (the community handles it) or whistled → dispatched →
in progress (a department), then resolved → closed (sometimes back for rework) and rated; a few
rejected. A step that would fall after the load time has not happened yet, so the last days'
cases are still open; a few older ones stalled at some step and are overdue.

Deadlines come from the app's own functions (cases.deadlines) with the time-limit table and
the working-day calendar; only the calendar's answers are memoised, since two years of cases ask
the same few thousand (day, length) questions a million times.
"""

import datetime
import functools
import random
import uuid

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from cases import deadlines
from cases.models import (
    COLOUR_OF,
    Action,
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    Level,
    RatedVia,
    Rating,
    Source,
    Status,
)
from cases.services.recording import RESIDENT
from demo.cases import DESCRIPTIONS, ROUTES
from demo.city.plan import Scale
from demo.city.skeleton import Skeleton
from demo.city.tables import Writer
from orgs.models import Role

CASE_COLUMNS = ["id", "number", "category_id", "area_id", "district_id", "street_id", "community_id", "grid_id",
                "location_note", "source", "description", "reporter_id", "reporter_phone", "importance", "urgency",
                "colour", "level", "status", "last_action", "department_id", "response_due", "resolution_due",
                "dispatch_due", "response_remind_at", "dispatch_remind_at", "resolution_remind_at", "due_provisional",
                "extension_days", "extension_reason", "supervised", "accepted_at", "dispatched_at", "signed_at",
                "resolved_at", "closed_at", "verifications", "reworks", "reopened", "rating", "rated_via",
                "tracking_code", "submission_key", "external_ref", "created_at", "updated_at"]  # fmt: skip
EVENT_COLUMNS = ["id", "case_id", "action", "actor_id", "actor_role", "actor_area_id", "actor_department_id", "at",
                 "from_status", "to_status", "department_id", "note", "data"]  # fmt: skip
SOURCES = [Source.GRID_PATROL, Source.RESIDENT_QR, Source.HOTLINE, Source.WALK_IN]
SOURCE_WEIGHTS = [55, 15, 20, 10]
REJECTED, IN_COMMUNITY = 0.03, 0.45  # the rest are whistled to the street
STALLED = 0.04  # of cases, stuck at some step however old they are
REWORK = 0.08
RATED = 0.6
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
DAYS_PER_COMMIT = 10


class _RememberingCalendar:
    """The app's WorkCalendar, asked once per (day, length): the answer depends on nothing else."""

    def __init__(self, calendar) -> None:
        self.calendar = calendar
        self._add = functools.cache(self._add_uncached)

    def _add_uncached(self, day: datetime.date, days: int, tzinfo) -> tuple[datetime.datetime, bool]:
        return self.calendar.add_working_days(datetime.datetime.combine(day, datetime.time(12), tzinfo=tzinfo), days)

    def add_working_days(self, start: datetime.datetime, days: int) -> tuple[datetime.datetime, bool]:
        return self._add(start.date(), days, start.tzinfo)


class _Loop:
    """One case's walk through the steps, stopping at the load time or where it stalls."""

    def __init__(self, row: dict, end: datetime.datetime, stall_after: int | None, event_id) -> None:
        self.case, self.end, self.stall_after, self.event_id = row, end, stall_after, event_id
        self.at = row["created_at"]
        self.events: list[tuple] = []
        self.stopped = False

    def step(self, action, who: tuple, to_status, hours, *, note="", data=None, moves=True) -> bool:
        """`who` is (user id, role, area id, department id): the actor and the post the step was taken in."""
        at = self.at + datetime.timedelta(hours=hours)
        if self.stopped or at >= self.end or (self.events and len(self.events) == self.stall_after):
            self.stopped = True
            return False
        self.at = at
        case = self.case
        self.events.append(
            (self.event_id(), case["id"], action, *who, at, case["status"] if self.events else "", to_status,
             case["department_id"], note, data or {})
        )  # fmt: skip
        if moves:
            case["status"], case["last_action"], case["updated_at"] = to_status, action, at
        return True


class CaseMaker:
    def __init__(self, writer: Writer, skeleton: Skeleton, scale: Scale, seed: int, today: datetime.date) -> None:
        self.writer, self.skeleton, self.scale = writer, skeleton, scale
        self.rng = random.Random(f"{seed}-cases")
        self.tz = timezone.get_current_timezone()
        self.end = datetime.datetime.combine(today, datetime.time(), tzinfo=self.tz)
        self.first_day = today - datetime.timedelta(days=scale.days)
        self.calendar = _RememberingCalendar(deadlines.work_calendar())
        roots = {c.tree_id: c.code for c in Category.objects.filter(parent__isnull=True)}
        self.categories = [
            (c, roots[c.tree_id]) for c in Category.objects.filter(children__isnull=True).order_by("code")
        ]
        self.limits: dict = {}
        self.routes = dict(ROUTES)
        self.tracking_codes: set[str] = set()
        self.users = skeleton.users

    def limit(self, category: Category, colour: str):
        key = (category.pk, colour)
        if key not in self.limits:
            self.limits[key] = deadlines.limit_for(category, colour)
        return self.limits[key]

    def build(self, *, progress: bool) -> int:
        per_day, extra = divmod(self.scale.cases, self.scale.days)
        made = 0
        bar = tqdm(total=self.scale.cases, desc="案件 cases", unit=" 件", disable=not progress)
        for start in range(0, self.scale.days, DAYS_PER_COMMIT):
            cases, events, counters = [], [], []
            for d in range(start, min(start + DAYS_PER_COMMIT, self.scale.days)):
                day = self.first_day + datetime.timedelta(days=d)
                n = per_day + (d < extra)
                self._day(day, n, cases, events, counters)
                bar.update(n)
            with transaction.atomic():
                self.writer.write(Case, CASE_COLUMNS, (tuple(c[k] for k in CASE_COLUMNS) for c in cases))
                self.writer.write(CaseEvent, EVENT_COLUMNS, events)
                self.writer.write(CaseCounter, ["id", "district_id", "day", "last"], counters)
            made += len(cases)
        bar.close()
        return made

    def _day(self, day: datetime.date, n: int, cases: list, events: list, counters: list) -> None:
        rng = self.rng
        midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=self.tz)
        moments = sorted(rng.uniform(6 * 3600, 22 * 3600) for _ in range(n))  # reports come in the daytime
        numbers: dict[int, int] = {}
        for seconds in moments:
            grid = rng.choice(self.skeleton.grids)
            district = grid["district"]
            numbers[district["id"]] = numbers.get(district["id"], 0) + 1
            at = midnight + datetime.timedelta(seconds=seconds)
            row, case_events = self._case(grid, at, f"{district['code'][:6]}{day:%Y%m%d}{numbers[district['id']]:04d}")
            cases.append(row)
            events.extend(case_events)
        counters.extend(
            (self.writer.next_id(CaseCounter), district, day, last) for district, last in sorted(numbers.items())
        )

    def _tracking_code(self) -> str:
        while True:
            code = "".join(self.rng.choices(TRACKING_ALPHABET, k=10))
            if code not in self.tracking_codes:
                self.tracking_codes.add(code)
                return code

    def _case(self, grid: dict, at: datetime.datetime, number: str) -> tuple[dict, list[tuple]]:
        rng = self.rng
        category, root_code = rng.choice(self.categories)
        importance = category.importance
        urgency = "high" if rng.random() < 0.1 else category.urgency
        colour = COLOUR_OF[(importance, urgency)]
        limit = self.limit(category, colour)
        due = deadlines.response_due(limit, at, self.calendar)
        source = rng.choices(SOURCES, SOURCE_WEIGHTS)[0]
        district, street, community = grid["district"], grid["street"], grid["community"]
        reporter = {
            Source.GRID_PATROL: (self.users[grid["worker"]], Role.GRID_WORKER, grid["id"], None),
            Source.RESIDENT_QR: (None, RESIDENT, None, None),
            Source.HOTLINE: (self.users[district["staff"]], Role.DISTRICT_STAFF, district["id"], None),
            Source.WALK_IN: (self.users[community["staff"]], Role.COMMUNITY_STAFF, community["id"], None),
        }[source]
        description = rng.choice(DESCRIPTIONS[category.code])
        row = dict.fromkeys(CASE_COLUMNS)
        row.update(
            id=self.writer.next_id(Case), number=number, category_id=category.pk,
            area_id=rng.choice(grid["children"])["id"], district_id=district["id"], street_id=street["id"],
            community_id=community["id"], grid_id=grid["id"], location_note="", source=source,
            description=description, reporter_id=reporter[0], importance=importance, urgency=urgency, colour=colour,
            level=Level.COMMUNITY, status=Status.REPORTED, last_action=Action.REPORT, response_due=due.at,
            response_remind_at=due.remind_at, due_provisional=due.provisional, extension_reason="", supervised=False,
            verifications=0, reworks=0, reopened=0, rating="", rated_via="", tracking_code=self._tracking_code(),
            submission_key=uuid.UUID(int=rng.getrandbits(128), version=4), external_ref="", created_at=at,
            updated_at=at,
        )  # fmt: skip
        stall_after = rng.randrange(1, 7) if rng.random() < STALLED else None
        loop = _Loop(row, self.end, stall_after, functools.partial(self.writer.next_id, CaseEvent))
        loop.step(Action.REPORT, reporter, Status.REPORTED, 0, note=description, data={"source": source})
        self._walk(loop, grid, category, root_code, colour)
        return row, loop.events

    def _walk(self, loop: _Loop, grid: dict, category: Category, root_code: str, colour: str) -> None:
        rng, case = self.rng, loop.case
        community_staff = (self.users[grid["community"]["staff"]], Role.COMMUNITY_STAFF, grid["community"]["id"], None)
        worker = (self.users[grid["worker"]], Role.GRID_WORKER, grid["id"], None)
        limit = self.limit(category, colour)
        path = rng.random()
        if path < REJECTED:
            if loop.step(Action.REJECT, community_staff, Status.REJECTED, rng.uniform(0.2, 4),
                         note="不属于受理范围"):  # fmt: skip
                case["closed_at"] = loop.at
            return
        if path < REJECTED + IN_COMMUNITY:
            handler = community_staff
            if not loop.step(Action.ACCEPT, community_staff, Status.ACCEPTED, rng.uniform(0.2, 3)):
                return
            case["accepted_at"] = loop.at
            self._resolution_clock(case, limit, loop.at)
        else:
            hours = rng.uniform(0.5, 4)
            waiting = deadlines.dispatch_due(limit, loop.at + datetime.timedelta(hours=hours))  # start_dispatch_clock
            if not loop.step(Action.WHISTLE, community_staff, Status.WHISTLED, hours, note="需职能部门处置",
                             data={"from_level": Level.COMMUNITY, "to_level": Level.STREET,
                                   "dispatch_due": waiting.at.isoformat()}):  # fmt: skip
                return
            case["level"], case["accepted_at"] = Level.STREET, loop.at  # move_up accepts a case still reported
            case.update(dispatch_due=waiting.at, dispatch_remind_at=waiting.remind_at)
            department = self.skeleton.departments[(grid["district"]["id"], self.routes[root_code])]
            hours = rng.uniform(0.5, 8)
            dispatch_at = loop.at + datetime.timedelta(hours=hours)
            previous = case["department_id"]
            case["department_id"] = department["id"]  # the dispatch event names its department
            street_staff = (self.users[grid["street"]["staff"]], Role.STREET_STAFF, grid["street"]["id"], None)
            if not loop.step(Action.DISPATCH, street_staff, Status.DISPATCHED, hours, data={"assisting": []}):
                case["department_id"] = previous
                return
            response = deadlines.response_due(limit, dispatch_at, self.calendar)
            case.update(dispatched_at=dispatch_at, response_due=response.at, response_remind_at=response.remind_at)
            self._resolution_clock(case, limit, dispatch_at, also=response.provisional)
            handler = (self.users[department["officer"]], Role.DEPARTMENT_OFFICER, None, department["id"])
            sign_hours = rng.uniform(0.5, 30)
            on_time = loop.at + datetime.timedelta(hours=sign_hours) <= case["response_due"]
            if not loop.step(Action.SIGN, handler, Status.IN_PROGRESS, sign_hours, data={"on_time": on_time}):
                return
            case["signed_at"] = loop.at
        self._finish(loop, handler, worker)

    def _finish(self, loop: _Loop, handler: tuple, worker: tuple) -> None:
        rng, case = self.rng, loop.case
        working = case["status"]  # where a rework sends it back: accepted or in progress
        for attempt in range(2):
            hours = rng.uniform(4, 120)
            on_time = loop.at + datetime.timedelta(hours=hours) <= case["resolution_due"]
            feedback = "已返工" if attempt else "已到现场处置完毕"
            if not loop.step(Action.RESOLVE, handler, Status.RESOLVED, hours, note=feedback,
                             data={"on_time": on_time}):  # fmt: skip
                return
            case["resolved_at"] = loop.at
            rework = attempt == 0 and rng.random() < REWORK
            action, to_status = (Action.VERIFY_REWORK, working) if rework else (Action.VERIFY_PASS, Status.CLOSED)
            if not loop.step(action, worker, to_status, rng.uniform(2, 24),
                             note="仍未整改到位" if rework else ""):  # fmt: skip
                return
            case["verifications"] += 1
            if not rework:
                case["closed_at"] = loop.at
                break
            case["reworks"] += 1
            case["resolved_at"] = None
        if rng.random() < RATED:
            rating = rng.choices(Rating.values, [7, 2, 1])[0]
            resident = (None, RESIDENT, None, None)
            if loop.step(Action.RATE, resident, Status.CLOSED, rng.uniform(2, 48), data={"rating": rating}):
                case["rating"], case["rated_via"] = rating, RatedVia.RESIDENT

    def _resolution_clock(self, case: dict, limit, at: datetime.datetime, also: bool = False) -> None:
        """cases.services.steps.start_resolution_clock, on the row instead of a locked case."""
        due = deadlines.resolution_due(limit, at, self.calendar)
        case.update(resolution_due=due.at, resolution_remind_at=due.remind_at, due_provisional=due.provisional or also)
