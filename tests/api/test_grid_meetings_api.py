"""The grid meetings API: the pages' services behind it, the pages' scope around it."""

from django.utils import timezone

from cases.models import Case, Category
from orgs.models import Post


def test_a_grid_worker_holds_a_meeting_and_raises_a_case_from_its_decision(world, client_for):
    client = client_for(world.users["grid_a"])
    worker = Post.objects.get(user=world.users["grid_a"])
    held = client.post(
        "/api/v1/grid-meetings/",
        {
            "grid": world.areas["A"].pk,
            "held_on": timezone.localdate().isoformat(),
            "topic": "例会",
            "minutes": "纪要",
            "attendees": [worker.pk],
        },
        content_type="application/json",
    )
    assert held.status_code == 201, held.content
    meeting = held.json()
    assert meeting["attendees"] == [worker.pk] and meeting["convener_role"] == "grid_worker"
    category = Category.objects.get(code="urban-events-clutter")
    decided = client.post(
        f"/api/v1/grid-meetings/{meeting['id']}/decide/",
        {"text": "楼道堆物,上报", "raises": "case", "category": category.pk},
        content_type="application/json",
    )
    assert decided.status_code == 201, decided.content
    case = Case.objects.get(pk=decided.json()["case"])
    assert case.meeting_decision.meeting_id == meeting["id"]
    listed = client.get(f"/api/v1/grid-meetings/{meeting['id']}/").json()
    assert [d["case"] for d in listed["decisions"]] == [case.pk]


def test_another_grids_meeting_and_people_are_unknown(world, client_for):
    client = client_for(world.users["grid_b"])
    other = Post.objects.get(user=world.users["grid_a"])
    held = client.post(
        "/api/v1/grid-meetings/",
        {"grid": world.areas["A"].pk, "held_on": timezone.localdate().isoformat(), "topic": "x", "minutes": "x"},
        content_type="application/json",
    )
    assert held.status_code == 400 and "grid" in held.json()["fields"]
    own = client.post(
        "/api/v1/grid-meetings/",
        {
            "grid": world.areas["B"].pk,
            "held_on": timezone.localdate().isoformat(),
            "topic": "x",
            "minutes": "x",
            "attendees": [other.pk],
        },
        content_type="application/json",
    )
    assert own.status_code == 400 and "attendees" in own.json()["fields"]
