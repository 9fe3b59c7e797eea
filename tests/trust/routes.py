"""What the route matrix (test_route_matrix.py) walks and fills its URLs with: every route the
URL resolver knows, and for each role an object of each kind at the role's own place and one at
a place no persona but the admin reaches (the county's building E1)."""

import datetime
import io
import re
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from PIL import Image

from alliances import services as alliance_services
from alliances.models import Alliance
from appraisal import services as appraisal_services
from appraisal.models import Training
from cases import services as case_services
from cases.models import Category, Notification, RoutingRule, WebhookDelivery
from cases.photos import clean_photo
from cases.webhooks import services as webhook_services
from cobuilding import services as cobuilding_services
from cobuilding.models import (
    Agreement,
    CoBuildingUnit,
    JointMeeting,
    Need,
    ResourceBooking,
    ServiceProject,
    SharedResource,
)
from core import api_tokens
from core.scope import SYSTEM
from estates import services as estate_services
from funding import services as funding_services
from funding import whatif
from grids.import_models import ImportKind, ImportRow, ImportRun, ImportStatus, RowOutcome
from grids.models import AreaKind
from gridwork import services as meeting_services
from hall import services as hall_services
from hall.models import ServiceItem
from orgs import client_keys
from orgs import services as org_services
from orgs.models import Department, DepartmentKind, OrgKind, PartyMember, Post, Role
from tests.factories import AreaFactory, department, user_with_posts
from tests.grids.workbooks import row, xlsx

# Not walked, by pattern. The admin has its own permission system (is_staff and model
# permissions, tests/test_admin.py) and hundreds of generated routes. DRF's format-suffix
# variants (`.json`) are the same view as the route they repeat. Static files and media are no
# routes here: WhiteNoise serves static files as middleware, and case photos go through a view.
EXCLUDED = [
    re.compile(r"^admin/"),
    re.compile(r"\(\?P<format>|<drf_format_suffix:format>"),
]

EXTRA_METHODS = ("PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    kwargs: tuple[str, ...]
    methods: tuple[str, ...]

    def path(self, values: dict[str, object]) -> str:
        path = "/" + self.pattern
        for kwarg in self.kwargs:
            value = str(values[kwarg])
            path, count = re.subn(rf"<(?:\w+:)?{kwarg}>|\(\?P<{kwarg}>[^)]*\)", value, path, count=1)
            assert count == 1, (self.name, kwarg)
        return path.replace("^", "").replace("$", "")


def _methods(callback) -> tuple[str, ...]:
    """GET and POST for every route, and PUT, PATCH or DELETE where the view has them."""
    if actions := getattr(callback, "actions", None):  # a DRF viewset route
        allowed = {method.upper() for method in actions}
    elif view_class := getattr(callback, "view_class", None):
        allowed = {method.upper() for method in view_class.http_method_names if hasattr(view_class, method)}
    else:
        allowed = set()
    return ("GET", "POST", *(method for method in EXTRA_METHODS if method in allowed))


def walk(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if any(rule.search(pattern) for rule in EXCLUDED):
            continue
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry, pattern, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name]))
            kwargs = tuple(entry.pattern.regex.groupindex)
            yield Route(name=name, pattern=pattern, kwargs=kwargs, methods=_methods(entry.callback))


def routes() -> dict[str, Route]:
    found = {}
    for route in walk():
        assert route.name, f"an unnamed route cannot have a row: {route.pattern}"
        found.setdefault(route.name, route)
    return found


# Each persona's own building: grid worker B's is B1, everybody else's A1 (where 城管局 has a case).
HOME = {"grid_b": "B1"}
OUTSIDE = "E1"
MISSING = 999_999_999
DAY = datetime.date(2026, 10, 1)


def _photo():
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "red").save(out, "PNG")
    return clean_photo(SimpleUploadedFile("a.png", out.getvalue()))


def _report(world, building: str):
    return case_services.report_case(
        actor=world.users["admin"],
        category=Category.objects.get(code="urban-events-clutter"),
        area=world.areas[building],
        description="楼道堆放杂物",
        photos=[_photo()],
    )


def _community_records(world, building: str, community) -> dict[str, dict[str, int]]:
    unit = cobuilding_services.register_unit(
        actor=SYSTEM, unit=CoBuildingUnit(name=f"单位{building}", kind="enterprise", community=community)
    )
    need = cobuilding_services.raise_need(
        actor=SYSTEM, need=Need(community=community, title=f"需求{building}", raised_on=DAY)
    )
    meeting = cobuilding_services.record_meeting(
        actor=SYSTEM,
        meeting=JointMeeting(level="community", area=community, held_on=DAY, title="联席会", minutes="纪要"),
    )
    agreement = cobuilding_services.sign_agreement(
        actor=SYSTEM,
        agreement=Agreement(
            unit=unit, community=community, signed_on=DAY, valid_until=DAY.replace(year=2029), content="协议"
        ),
    )
    resource = cobuilding_services.list_resource(
        actor=SYSTEM,
        resource=SharedResource(community=community, unit=unit, kind="venue", name="会议室", pricing="free"),
    )
    # A day still to come, so the booking may be called off (取消预约).
    cobuilding_services.book_resource(
        actor=SYSTEM,
        booking=ResourceBooking(
            resource=resource, unit=unit, on=timezone.localdate() + datetime.timedelta(days=30), purpose="活动"
        ),
    )
    project = cobuilding_services.start_project(
        actor=SYSTEM, project=ServiceProject(community=community, unit=unit, title="义诊", starts_on=DAY)
    )
    return {
        "unit": {"pk": unit.pk},
        "need": {"pk": need.pk},
        "meeting": {"pk": meeting.pk},
        "agreement": {"pk": agreement.pk},
        "resource": {"pk": resource.pk},
        "project": {"pk": project.pk},
    }


def _fixable_run(world, building: str) -> ImportRun:
    """An applied real run whose row 2 was refused, its upload kept for fixing it on the page."""
    run = ImportRun(
        owner=world.users["admin" if building == OUTSIDE else "community"],
        file_name=f"{building}-applied.xlsx",
        dry_run=False,
        status=ImportStatus.DONE,
        applied=True,
        refused=1,
        finished_at=timezone.now(),
    )
    sheet = xlsx([row(world.areas[building].code, "1", "电话错", "11010519491231002X", phone="1234")])
    run.source.save(f"route-{building}-applied.xlsx", ContentFile(sheet), save=False)
    run.save()
    ImportRow.objects.create(run=run, number=2, outcome=RowOutcome.REFUSED, reason="手机号:手机号无效,请核对位数和号段")
    return run


def _import_run(world, building: str, kind: str = "residents") -> ImportRun:
    """A finished dry run with refused rows: the community's own for its buildings, the admin's outside."""
    run = ImportRun(
        owner=world.users["admin" if building == OUTSIDE else "community"],
        kind=kind,
        file_name=f"{building}.xlsx",
        status=ImportStatus.DONE,
        refused=1,
    )
    run.source.save(f"route-{kind}-{building}.xlsx", ContentFile(b"unread"), save=False)
    run.refused_file.save(f"route-{kind}-{building}-refused.xlsx", ContentFile(b"refused"), save=False)
    run.save()
    return run


def _geometry_run(world, building: str) -> ImportRun:
    """A finished geometry dry run: the community's for K1, the admin's for K4."""
    community = world.areas["K4" if building == OUTSIDE else "K1"]
    run = ImportRun(
        owner=world.users["admin" if building == OUTSIDE else "community"],
        kind=ImportKind.GEOMETRY,
        area=community,
        file_name=f"{building}.geojson",
        status=ImportStatus.DONE,
        refused=1,
    )
    run.source.save(f"route-geometry-{building}.geo", ContentFile(b'{"type": "FeatureCollection"}'), save=False)
    run.save()
    return run


def build_targets(world) -> dict[str, dict[str, dict[str, object]]]:
    """{building: {kind: {kwarg: value}}} for A1, B1 and E1."""
    a, u = world.areas, world.users
    chengguan = Department.objects.get(name="城管局")
    county_department = department("测试县城管局", a["county"])
    cases = {b: _report(world, b) for b in ["A1", "B1", OUTSIDE]}
    cases["A1"] = case_services.whistle_case(case=cases["A1"], actor=u["community"], note="需要执法")
    cases["A1"] = case_services.dispatch_case(case=cases["A1"], actor=u["street"], department=chengguan)
    category = Category.objects.get(code="urban-events-clutter")
    rules = {
        "A1": RoutingRule.objects.create(category=category, area=a["district"], department=chengguan),
        OUTSIDE: RoutingRule.objects.create(category=category, area=a["county"], department=county_department),
    }
    organizations = {
        "A1": world.orgs["A"],
        "B1": world.orgs["K1"],  # grid B has no party organisation of its own
        OUTSIDE: org_services.create_organization(
            actor=SYSTEM,
            kind=OrgKind.COMMUNITY_BRANCH,
            name="四社区党支部",
            area=a["K4"],
            parent=org_services.create_organization(
                actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name="一镇党委", area=a["T"]
            ),
        ),
    }
    runs, scenarios = {}, {}
    proposal = [{"name": "新社区", "households": 1000, "party_members": 30, "grid_party_org_leaders": 1}]
    for side, root, community in [("A1", "district", "K1"), (OUTSIDE, "county", "K4")]:
        runs[side] = {
            "pk": funding_services.start_budget_run(actor=SYSTEM, year=2026, area=a[root]).pk,
            "other": funding_services.start_budget_run(actor=SYSTEM, year=2025, area=a[root]).pk,
        }
        scenarios[side] = whatif.save_scenario(
            actor=SYSTEM, name="试算", year=2026, communities=[a[community]], proposal=proposal
        )
    members = {
        b: org_services.register_member(
            actor=SYSTEM,
            member=PartyMember(name=f"党员{b}", organization=org, status="full", joined=DAY, kind="resident"),
        )
        for b, org in organizations.items()
    }
    posts = {
        b: org_services.appoint(
            actor=SYSTEM, post=Post(holder_name=f"网格员{b}", role=Role.GRID_WORKER, area=a[b[0]], start=DAY)
        )
        for b in ["A1", "B1", OUTSIDE]
    }
    # Each notification is one user's: the community's at A1 and B1, a stranger's at the outside one.
    stranger = User.objects.create_user("notified_elsewhere")
    notified = {
        b: Notification.objects.create(
            user=stranger if b == OUTSIDE else u["community"], case=cases[b], kind="reported", text=b
        )
        for b in ["A1", "B1", OUTSIDE]
    }
    # Each token too: the community's at A1 and B1, the stranger's at the outside one.
    expires_on = timezone.localdate() + datetime.timedelta(days=90)
    tokens = {
        b: api_tokens.create_api_token(
            actor=stranger if b == OUTSIDE else u["community"], name=b, expires_on=expires_on
        )[0]
        for b in ["A1", "B1", OUTSIDE]
    }
    # The district's client key, and the county's outside it (its command centre is nobody here).
    keys = {
        side: client_keys.create_client_key(actor=SYSTEM, name=side, district=a[root], expires_on=expires_on)[0]
        for side, root in [("A1", "district"), (OUTSIDE, "county")]
    }
    imports = {b: _import_run(world, b) for b in ["A1", "B1", OUTSIDE]}
    building_imports = {b: _import_run(world, b, "buildings") for b in ["A1", "B1", OUTSIDE]}
    fixable = {b: _fixable_run(world, b) for b in ["A1", "B1", OUTSIDE]}
    geometry_runs = {b: _geometry_run(world, b) for b in ["A1", "B1", OUTSIDE]}
    visits = {
        b: case_services.record_visit(actor=u["admin"], household=world.households[b], findings="走访", photo=_photo())
        for b in ["A1", "B1", OUTSIDE]
    }
    visit_rules = {
        side: case_services.add_visit_rule(actor=SYSTEM, area=a[community], group=None, every_days=30)
        for side, community in [("A1", "K1"), (OUTSIDE, "K4")]
    }
    # Event subscriptions: the district's (its command centre keeps it) and the county's, each with
    # a delivery of its cases' reports.
    hooks = {
        side: webhook_services.create_subscription(
            actor=SYSTEM, name=f"订阅{side}", url="https://receiver.example.org/h", kinds=["created"], district=a[root]
        )[0]
        for side, root in [("A1", "district"), (OUTSIDE, "county")]
    }
    hook_deliveries = {
        b: WebhookDelivery.objects.create(
            subscription=hooks[OUTSIDE if b == OUTSIDE else "A1"],
            event=cases[b].events.order_by("pk").first(),
            kind="created",
            body="{}",
        )
        for b in ["A1", "B1", OUTSIDE]
    }
    grid_meetings = {
        b: meeting_services.hold_grid_meeting(actor=SYSTEM, grid=a[b[0]], held_on=DAY, topic="例会", minutes="纪要")
        for b in ["A1", "B1", OUTSIDE]
    }
    meeting_rules = {
        side: meeting_services.add_meeting_rule(actor=SYSTEM, area=a[community], kind="grid", every_months=1)
        for side, community in [("A1", "K1"), (OUTSIDE, "K4")]
    }
    service_item = ServiceItem.objects.get(code="elderly-preferential-card")
    service_requests = {
        b: hall_services.receive_request(
            actor=SYSTEM, item=service_item, community=a[community], building=a[b], applicant_name="申请人"
        )
        for b, community in [("A1", "K1"), ("B1", "K1"), (OUTSIDE, "K4")]
    }
    appraisal = _appraisal_records(world)
    estates = _estates(world)
    # The street's alliance (一街道) and the town's (一镇, outside every persona's reach but the
    # admin's), each with a joint meeting; an in-service member of each side's organisation.
    alliances, joint_meetings, in_service = {}, {}, {}
    for side, street in [("A1", a["S1"]), (OUTSIDE, a["T"])]:
        alliances[side] = alliance_services.create_alliance(
            actor=SYSTEM, alliance=Alliance(name=f"联盟{side}", area=street, founded_on=DAY)
        )
        joint_meetings[side] = alliance_services.hold_joint_meeting(
            actor=SYSTEM,
            meeting=JointMeeting(
                alliance=alliances[side], level="street", area=street, held_on=DAY, title="联盟会", minutes="纪要"
            ),
        )
        in_service[side] = org_services.register_member(
            actor=SYSTEM,
            member=PartyMember(
                name=f"在职{side}",
                organization=organizations[side],
                status="full",
                joined=DAY,
                kind="in_service",
                work_unit="某单位",
            ),
        )
    targets = {}
    for building, community in [("A1", a["K1"]), ("B1", a["K1"]), (OUTSIDE, a["K4"])]:
        side = OUTSIDE if building == OUTSIDE else "A1"  # B1 shares K1's records and the district's runs
        plates = case_services.issue_door_plates(actor=SYSTEM, community=community)
        case = cases[building]
        targets[building] = {
            **_community_records(world, building, community),
            "area": {"pk": a[building[0]].pk},  # the building's grid
            "community": {"pk": community.pk},
            # The department the side's case went to: 城管局, and the county's for the outside one.
            "department": {"pk": (county_department if building == OUTSIDE else chengguan).pk},
            "household": {"pk": world.households[building].pk},
            "resident": {"pk": world.residents[building].pk},
            "organization": {"pk": organizations[building].pk},
            "member": {"pk": members[building].pk},
            "post": {"pk": posts[building].pk},
            "run": runs[side],
            "scenario": {"pk": scenarios[side].pk},
            "case": {"pk": case.pk},
            "import": {"pk": imports[building].pk},
            # The kinds' import pages, by the buildings import (community staff's and the admin's).
            "import_kind": {"kind": "buildings"},
            "kind_import": {"kind": "buildings", "pk": building_imports[building].pk},
            "import_row": {"pk": fixable[building].pk, "number": 2},
            "geometry_run": {"pk": geometry_runs[building].pk},
            "photo": {"pk": case.photos.get().pk},
            "category": {"pk": category.pk},
            "rule": {"pk": rules[side].pk},
            "plate": {"token": next(p.token for p in plates if p.building_id == a[building].pk)},
            "tracking": {"code": case.tracking_code},
            "open311_service": {"code": category.code},
            "open311_request": {"number": case.number},
            "open311_token": {"token": case.tracking_code},
            # The report's photo: the tracking page serves only the photos of the fix.
            "tracking_photo": {"code": case.tracking_code, "pk": case.photos.get().pk},
            "queue": {"queue": "triage"},
            "notification": {"pk": notified[building].pk},
            "api_token": {"pk": tokens[building].pk},
            "client_key": {"pk": keys[side].pk},
            "visit_photo": {"pk": visits[building].pk},
            "visit_rule": {"pk": visit_rules[side].pk},
            **estates[building],
            "webhook": {"pk": hooks[side].pk},
            "webhook_delivery": {"pk": hook_deliveries[building].pk},
            "grid_meeting": {"pk": grid_meetings[building].pk},
            "meeting_rule": {"pk": meeting_rules[side].pk},
            "service_request": {"pk": service_requests[building].pk},
            "service_item": {"pk": service_item.pk},
            **appraisal[building],
            "qr_ballot": {
                "token": next(p.token for p in plates if p.building_id == a[building].pk),
                "pk": appraisal[building]["evaluation_round"]["pk"],
            },
            "alliance": {"pk": alliances[side].pk},
            "joint_meeting": {"pk": joint_meetings[side].pk},
            "in_service": {"pk": in_service[side].pk},
        }
    return targets


def _appraisal_records(world) -> dict[str, dict[str, dict]]:
    """A round of K1 (and of K4, with a grid worker of grid E to name) with its report published,
    a ballot link per building's household, and each building's grid worker's training."""
    a = world.areas
    grid_e = user_with_posts("matrix_grid_e", dict(role=Role.GRID_WORKER, area=a["E"], slot="A"))
    workers = {"A1": world.users["grid_a"], "B1": world.users["grid_b"], OUTSIDE: grid_e}
    rounds = {}
    for side, community, worker in [("A1", "K1", "A1"), (OUTSIDE, "K4", OUTSIDE)]:
        post = workers[worker].posts.get(role=Role.GRID_WORKER)
        rounds[side] = appraisal_services.open_round(
            actor=SYSTEM,
            community=a[community],
            title="居民评议",
            period_start=DAY,
            period_end=DAY,
            opens_on=DAY,
            closes_on=DAY,
            evaluated=[post],
        )
        appraisal_services.publish_report(
            actor=SYSTEM, round=rounds[side], work="工作", finances="财务", suggestions="意见"
        )
    found = {}
    for building in ["A1", "B1", OUTSIDE]:
        side = OUTSIDE if building == OUTSIDE else "A1"
        round = rounds[side]
        training = Training.objects.create(
            worker=workers[building], grid=a[building[0]], held_on=DAY, topic="培训", hours=2, recorded_role="system"
        )
        token = appraisal_services.household_link_token(round, world.households[building])
        found[building] = {
            "evaluation_round": {"pk": round.pk},
            "report": {"pk": round.pk},
            "ballot": {"token": token},
            "training": {"pk": training.pk},
            "worker": {"pk": workers[building].pk},
        }
    return found


def _estates(world) -> dict[str, dict[str, object]]:
    """物业服务: a compound in grids A, B and E; one company serving A's and B's (the district's
    street S1), another E's (the town); a round at S1 and at the town, A's company under 整改
    (an inspection scored 10 brings it below the pass mark)."""
    a = world.areas
    compounds = {b: AreaFactory(kind=AreaKind.COMPOUND, name=f"{b}小区", parent=a[b[0]]) for b in ["A1", "B1", OUTSIDE]}
    for area in a.values():
        area.refresh_from_db()
    companies = {
        side: Department.objects.create(
            name=f"物业{side}", code=f"property-{side}", kind=DepartmentKind.PROPERTY, jurisdiction=a[where]
        )
        for side, where in [("A1", "S1"), (OUTSIDE, "T")]
    }
    terms = {
        b: estate_services.admit_company(
            actor=SYSTEM,
            compound=compounds[b],
            company=companies[OUTSIDE if b == OUTSIDE else "A1"],
            starts_on=DAY,
            admission_ref="准入",
        )
        for b in compounds
    }
    inspections = {
        b: estate_services.record_inspection(actor=SYSTEM, term=terms[b], inspected_on=DAY, items="保洁", score=10)
        for b in compounds
    }
    rounds = {
        side: estate_services.open_round(actor=SYSTEM, street=a[street], name="考核", period_start=DAY, period_end=DAY)
        for side, street in [("A1", "S1"), (OUTSIDE, "T")]
    }
    made = {}
    for b, term in terms.items():
        side = OUTSIDE if b == OUTSIDE else "A1"
        made[b] = {
            "property_term": {"pk": term.pk},
            "property_inspection": {"pk": inspections[b].pk},
            "property_round": {"pk": rounds[side].pk},
            "property_assessment": {"pk": term.assessments.get().pk},
            "property_company": {"pk": companies[side].pk},
        }
    return made


def missing(values: dict[str, object]) -> dict[str, object]:
    """The same kwargs naming nothing: the admin, who sees every place, gets these as the outside ones."""
    nothing = {"token": "x" * 32, "code": "ZZZZZZZZ", "queue": "nonesuch", "kind": "nonesuch"}
    return {key: nothing.get(key, MISSING) for key in values}
