"""Structure writes refuse whoever the org chain does not allow (posts, organisations) or who is
not the admin (members, points), change nothing when they refuse, and record who wrote which
fields (names only)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict

from core.models import AuditEntry
from core.scope import SYSTEM
from core.scoping import guard_on
from orgs import services
from orgs.models import Coverage, Organization, OrgKind, PartyMember, Post, Role, ServicePoints

DAY = datetime.date(2025, 3, 1)


@pytest.fixture
def written(world):
    """The audit entries written by the test itself (the shared world was built through services)."""
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return lambda: AuditEntry.objects.filter(pk__gt=last)


def _member(world) -> PartyMember:
    return PartyMember.objects.unscoped("the test's own look-up").get(name="在职党员丁")


STRUCTURE_WRITES = [
    ("appoint", lambda w, actor: services.appoint(
        actor=actor, post=Post(holder_name="新楼栋长", role=Role.BUILDING_HEAD, area=w.areas["A2"], start=DAY)
    )),
    ("end_post", lambda w, actor: services.end_post(
        actor=actor, post=Post.objects.unscoped("the test's own look-up").get(holder_name="总支书记"), end=DAY
    )),
    ("create_organization", lambda w, actor: services.create_organization(
        actor=actor, kind=OrgKind.GRID_BRANCH, name="网格B党支部", area=w.areas["B"], parent=w.orgs["K1"]
    )),
    ("update_organization", lambda w, actor: services.update_organization(
        actor=actor, organization=w.orgs["A"], name="网格A第一党支部"
    )),
    ("cover", lambda w, actor: services.cover(actor=actor, organization=w.orgs["A"], areas=[w.areas["B"]])),
    ("register_member", lambda w, actor: services.register_member(
        actor=actor,
        member=PartyMember(name="新党员", organization=w.orgs["A"], status="full", joined=DAY, kind="resident"),
        households=[w.households["A1b"]],
    )),
    ("award_points", lambda w, actor: services.award_points(
        actor=actor, member=_member(w), on=DAY, points=5, reason="义务巡逻"
    )),
]  # fmt: skip
IDS = [name for name, _ in STRUCTURE_WRITES]


def _snapshot() -> tuple:
    return (
        list(Post.objects.order_by("pk").values_list("pk", "end")),
        list(Organization.objects.order_by("pk").values_list("pk", "name", "lft", "rght")),
        Coverage.objects.count(),
        PartyMember.objects.count(),
        ServicePoints.objects.count(),
        AuditEntry.objects.count(),
    )


# Posts follow the org chain: A2's building head is K1's staff's to appoint, K1's secretary S1's.
# So do organisations: grid A's and grid B's branches are K1's, S1's and the district's to keep;
# the roll is kept at the organisation's seat and above, by the same three.
KEEPERS = {"community", "street", "district"}
APPOINTERS = {
    "appoint": {"community"},
    "end_post": {"street"},
    "create_organization": KEEPERS,
    "update_organization": KEEPERS,
    "cover": KEEPERS,
    "register_member": KEEPERS,
    "award_points": KEEPERS,
}
REFUSED = [
    (persona, name, write)
    for name, write in STRUCTURE_WRITES
    for persona in ["community", "street", "district", "leader", "grid_a", "officer"]
    if persona not in APPOINTERS.get(name, ())
]


@pytest.mark.parametrize(("persona", "name", "write"), REFUSED, ids=[f"{p}-{n}" for p, n, _ in REFUSED])
def test_structure_writes_refuse_a_restricted_actor_and_change_nothing(world, persona, name, write):
    before = _snapshot()
    with guard_on(), pytest.raises(PermissionDenied):
        write(world, world.users[persona])
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "write"), STRUCTURE_WRITES, ids=IDS)
def test_structure_writes_by_a_superuser_record_one_entry_with_field_names(world, written, name, write):
    admin = world.users["admin"]
    with guard_on():
        saved = write(world, admin)
    entry = written().get()
    assert (entry.actor, entry.capacity, entry.action) == (admin, "admin", f"orgs.{name}")
    assert entry.fields and all(field.isidentifier() for field in entry.fields)
    if saved is not None:
        assert entry.target_id == str(saved.pk)


def test_a_new_member_is_recorded_by_field_names_never_values(world, written):
    services.register_member(
        actor=SYSTEM,
        member=PartyMember(
            name="赵六",
            organization=world.orgs["A"],
            status="full",
            joined=DAY,
            kind="in_service",
            work_unit="区卫健委",
        ),
    )
    entry = written().get()
    assert (entry.actor, entry.capacity) == (None, "system")
    assert {"name", "organization", "work_unit"} <= set(entry.fields)
    recorded = repr(model_to_dict(entry))
    assert "赵六" not in recorded and "区卫健委" not in recorded


def test_an_organisation_created_records_one_entry_not_one_per_covered_area(world, written):
    services.create_organization(
        actor=SYSTEM,
        kind=OrgKind.GRID_BRANCH,
        name="网格B党支部",
        area=world.areas["B"],
        parent=world.orgs["K1"],
        covers=[world.areas["B1"]],
    )
    assert [entry.action for entry in written()] == ["orgs.create_organization"]
