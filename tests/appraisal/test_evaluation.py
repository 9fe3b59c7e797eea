"""三报告一评议一监督 (seed 004): a household evaluates once per round (by its one-time link or the
building's QR plate and a check), the round shows counts per person and never who said what, and
the station's report is public once published."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from appraisal import services
from appraisal.models import Answer, Evaluation, Via
from cases import services as case_services
from cases.models import Rating
from core.scope import SYSTEM
from tests.appraisal.conftest import TODAY, all_say, worker_post


def _link(round, household) -> str:
    return reverse("appraisal:ballot", args=[services.household_link_token(round, household)])


def _form(round, rating=Rating.SATISFIED) -> dict:
    return {f"p{pk}": r for pk, r in all_say(round, rating).items()}


def test_a_household_evaluating_twice_in_a_round_is_refused(world, evaluation_round):
    household = world.households["A1"]
    services.cast_ballot(round=evaluation_round, household=household, via=Via.LINK, ratings=all_say(evaluation_round))
    with pytest.raises(ValidationError) as refused:
        services.cast_ballot(round=evaluation_round, household=household, via=Via.QR, ratings=all_say(evaluation_round))
    assert refused.value.code == "already"
    assert "每户只能评议一次" in refused.value.messages[0]
    assert Answer.objects.unscoped("test").filter(round=evaluation_round).count() == 2  # the first ballot's only


def test_the_database_holds_one_ballot_per_household_and_round(world, evaluation_round):
    Evaluation.objects.create(round=evaluation_round, household=world.households["A1"], via=Via.LINK)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(round=evaluation_round, household=world.households["A1"], via=Via.QR)


def test_the_one_time_link_is_spent_by_its_ballot(world, client, evaluation_round):
    url = _link(evaluation_round, world.households["A1"])
    assert client.get(url).status_code == 200
    done = client.post(url, _form(evaluation_round))
    assert 'data-testid="ballot-done"' in done.content.decode()
    again = client.post(url, _form(evaluation_round, Rating.DISSATISFIED))
    assert again.status_code == 400
    assert "每户只能评议一次" in again.content.decode()
    assert not Answer.objects.unscoped("test").filter(rating=Rating.DISSATISFIED).exists()


def test_a_tampered_link_names_nothing(world, client, evaluation_round):
    url = _link(evaluation_round, world.households["A1"])
    assert client.get(url[:-3] + "xyz/").status_code == 404


def test_every_person_must_be_rated(world, evaluation_round):
    ratings = all_say(evaluation_round)
    ratings.popitem()
    with pytest.raises(ValidationError):
        services.cast_ballot(round=evaluation_round, household=world.households["A1"], via=Via.LINK, ratings=ratings)


def test_a_household_outside_the_community_or_a_closed_round_is_refused(world, evaluation_round):
    with pytest.raises(ValidationError):  # C1 is in K2
        services.cast_ballot(
            round=evaluation_round, household=world.households["C1"], via=Via.LINK, ratings=all_say(evaluation_round)
        )
    evaluation_round.closes_on = evaluation_round.opens_on = TODAY() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.cast_ballot(
            round=evaluation_round, household=world.households["A1"], via=Via.LINK, ratings=all_say(evaluation_round)
        )


def test_the_qr_plate_path_needs_the_id_check(world, client, evaluation_round):
    plates = case_services.issue_door_plates(actor=SYSTEM, community=world.areas["K1"])
    plate = next(p for p in plates if p.building_id == world.areas["A1"].pk)
    url = reverse("appraisal:qr_ballot", args=[plate.token, evaluation_round.pk])
    household = world.households["A1"]
    tail = world.residents["A1"].citizen_id[-6:]
    wrong = client.post(url, {"household": household.pk, "id_tail": "000000", **_form(evaluation_round)})
    assert wrong.status_code == 400
    assert not Evaluation.objects.unscoped("test").exists()
    right = client.post(url, {"household": household.pk, "id_tail": tail, **_form(evaluation_round)})
    assert 'data-testid="ballot-done"' in right.content.decode()
    assert Evaluation.objects.unscoped("test").get().via == Via.QR


def test_a_plate_of_another_community_does_not_open_the_round(world, client, evaluation_round):
    plates = case_services.issue_door_plates(actor=SYSTEM, community=world.areas["K2"])
    url = reverse("appraisal:qr_ballot", args=[plates[0].token, evaluation_round.pk])
    assert client.get(url).status_code == 404


def test_results_count_per_person_and_never_show_who_said_what(world, client_for, evaluation_round):
    station, worker = evaluation_round.evaluated.order_by("role")
    for household, rating in [("A1", Rating.SATISFIED), ("A1b", Rating.BASIC), ("A2", Rating.DISSATISFIED)]:
        ratings = {station.pk: Rating.SATISFIED, worker.pk: rating}
        services.cast_ballot(
            round=evaluation_round, household=world.households[household], via=Via.LINK, ratings=ratings
        )
    page = client_for(world.users["community"]).get(reverse("appraisal:round", args=[evaluation_round.pk]))
    html = page.content.decode()
    row = html[html.index(f'data-testid="result-{worker.pk}"') :].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[2:]] == ["1", "1", "1", "66.7%"]
    for household in ["A1", "A1b", "A2"]:
        assert str(world.households[household]) not in html
    assert {f.name for f in Answer._meta.get_fields()} == {"id", "round", "post", "rating"}


def test_only_the_communitys_staff_open_a_round_for_its_people(world):
    kwargs = dict(
        community=world.areas["K1"],
        title="评议",
        period_start=TODAY(),
        period_end=TODAY(),
        opens_on=TODAY(),
        closes_on=TODAY(),
        evaluated=[worker_post(world, "grid_a")],
    )
    with pytest.raises(PermissionDenied):
        services.open_round(actor=world.users["grid_a"], **kwargs)
    outsider = world.users["sunk"].posts.get(area=world.areas["A"])  # a department's, not the station's
    with pytest.raises(ValidationError):
        services.open_round(
            actor=world.users["community"], **{**kwargs, "evaluated": [worker_post(world, "grid_a"), outsider]}
        )


def test_the_report_is_public_once_published(world, client, evaluation_round):
    url = reverse("appraisal:report", args=[evaluation_round.pk])
    assert client.get(url).status_code == 404
    services.publish_report(
        actor=world.users["community"],
        round=evaluation_round,
        work="全年办结居民诉求120件",
        finances="服务经费17万元,支出明细见附表",
        suggestions="居民提出的增设充电桩已建成",
    )
    page = client.get(url).content.decode()
    assert "全年办结居民诉求120件" in page and "增设充电桩已建成" in page


def test_a_grid_worker_cannot_publish_the_report(world, evaluation_round):
    with pytest.raises(PermissionDenied):
        services.publish_report(
            actor=world.users["grid_a"], round=evaluation_round, work="a", finances="b", suggestions="c"
        )
