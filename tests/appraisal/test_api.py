"""The API records training through the same service as the page and reads rounds and the yearly
evaluation through the caller's scope."""

from django.urls import reverse

from appraisal import services
from appraisal.models import Via
from tests.appraisal.conftest import TODAY, all_say, worker_post


def test_community_staff_record_training_and_a_grid_worker_cannot(world, client_for):
    body = {
        "worker_post": worker_post(world, "grid_a").pk,
        "held_on": TODAY().isoformat(),
        "topic": "调解",
        "hours": "2",
    }
    url = reverse("training-list")
    created = client_for(world.users["community"]).post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["worker"] == world.users["grid_a"].pk
    refused = client_for(world.users["grid_a"]).post(url, body, content_type="application/json")
    assert refused.status_code == 404
    assert world.users["grid_a"].trainings.count() == 1


def test_a_rounds_detail_gives_counts_per_person(world, client_for, evaluation_round):
    url = reverse("evaluation-round-detail", args=[evaluation_round.pk])
    services.cast_ballot(
        round=evaluation_round, household=world.households["A1"], via=Via.LINK, ratings=all_say(evaluation_round)
    )
    found = client_for(world.users["community"]).get(url).json()
    people = set(evaluation_round.evaluated.values_list("pk", flat=True))
    assert {r["post"] for r in found["results"]} == people
    assert {(r["satisfied"], r["basic"], r["dissatisfied"]) for r in found["results"]} == {(1, 0, 0)}
    assert "household" not in str(found)
    assert client_for(world.users["grid_a"]).get(url).status_code == 404


def test_the_yearly_evaluation_of_a_grid_worker_is_their_own(world, client_for):
    rows = client_for(world.users["grid_a"]).get(reverse("yearly-evaluation-list")).json()
    assert [r["worker"] for r in rows] == [world.users["grid_a"].pk]
    rows = client_for(world.users["street"]).get(reverse("yearly-evaluation-list"), {"year": TODAY().year}).json()
    assert {r["worker"] for r in rows} == {world.users["grid_a"].pk, world.users["grid_b"].pk}
    assert {f["measure"] for f in rows[0]["figures"]} >= {"cases_reported", "visits", "residents", "services"}
