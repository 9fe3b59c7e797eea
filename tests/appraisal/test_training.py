"""Training at least twice a year (seed 003): exactly the rule's number passes, one short is
flagged on the training page and the community's workbench; only the community records it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from appraisal import selectors, services
from appraisal.models import TrainingRule
from core.scope import scope_for
from tests.appraisal.conftest import TODAY, worker_post


def _train(world, persona: str, times: int, year: int | None = None):
    year = year or TODAY().year
    for i in range(times):
        services.record_training(
            actor=world.users["community"],
            worker_post=worker_post(world, persona),
            held_on=datetime.date(year, 1, 1) + datetime.timedelta(days=i),
            topic=f"专题培训{i + 1}",
            hours=Decimal("2.5"),
        )


def _short(world, persona="community") -> dict[int, int]:
    _rule, short = selectors.short_of_training(scope_for(world.users[persona]))
    return {s.worker.user_id: s.sessions for s in short}


def test_the_rule_is_seed_003s_with_its_clause(db):
    rule = TrainingRule.objects.get(ended_on__isnull=True)
    assert rule.min_sessions == 2
    assert "每年组织开展不少于两次的专题培训" in rule.clause


def test_exactly_two_sessions_pass_and_one_is_flagged(world):
    _train(world, "grid_a", 2)
    _train(world, "grid_b", 1)
    short = _short(world)
    assert world.users["grid_a"].pk not in short
    assert short[world.users["grid_b"].pk] == 1


def test_sessions_of_last_year_do_not_count_for_this_one(world):
    _train(world, "grid_a", 2, year=TODAY().year - 1)
    assert _short(world)[world.users["grid_a"].pk] == 0


def test_a_rule_asking_three_flags_two(world):
    TrainingRule.objects.filter(ended_on__isnull=True).update(min_sessions=3)
    _train(world, "grid_a", 2)
    assert _short(world)[world.users["grid_a"].pk] == 2


def test_the_training_page_and_the_workbench_flag_the_worker_short(world, client_for):
    _train(world, "grid_a", 2)
    _train(world, "grid_b", 1)
    client = client_for(world.users["community"])
    page = client.get(reverse("appraisal:training_due")).content.decode()
    assert f'data-testid="short-{world.users["grid_b"].pk}"' in page
    assert f'data-testid="short-{world.users["grid_a"].pk}"' not in page
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="todo-training-short"' in home


def test_a_grid_worker_cannot_record_training(world):
    with pytest.raises(PermissionDenied):
        services.record_training(
            actor=world.users["grid_a"],
            worker_post=worker_post(world, "grid_a"),
            held_on=TODAY(),
            topic="自学",
            hours=Decimal(1),
        )


def test_a_session_in_the_future_or_of_no_hours_is_refused(world):
    post = worker_post(world, "grid_a")
    with pytest.raises(ValidationError):
        services.record_training(
            actor=world.users["community"],
            worker_post=post,
            held_on=TODAY() + datetime.timedelta(days=1),
            topic="x",
            hours=1,
        )
    with pytest.raises(ValidationError):
        services.record_training(actor=world.users["community"], worker_post=post, held_on=TODAY(), topic="x", hours=0)


def test_community_staff_record_training_through_the_page(world, client_for):
    client = client_for(world.users["community"])
    post = worker_post(world, "grid_a")
    data = {"worker_post": post.pk, "held_on": TODAY().isoformat(), "topic": "矛盾调解", "hours": "3"}
    response = client.post(reverse("appraisal:training_create"), data)
    assert response.status_code == 302
    assert world.users["grid_a"].trainings.get().topic == "矛盾调解"
