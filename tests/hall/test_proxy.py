"""网格员代办: a grid worker takes a resident's request on the doorstep from the household's card;
it reaches the station to be handed out, a resend makes one request, and once it ends it counts
for the worker's 便民服务 in the yearly evaluation, once, beside the station's own handler."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from appraisal import measures
from core.models import AuditEntry
from hall import services
from hall.models import ServiceItem, ServiceRequest, Source, Status


@pytest.fixture
def service_item():
    return ServiceItem.objects.order_by("pk").first()


def take(world, service_item, *, persona="grid_a", household="A1", **kwargs):
    return services.take_for_resident(
        actor=world.users[persona],
        item=service_item,
        household=world.households[household],
        applicant_name="A1住户",
        **kwargs,
    )


def test_the_grid_worker_takes_a_request_for_a_household_of_their_grid(world, service_item):
    made = take(world, service_item, applicant_phone="13812345678", note="帮老人办")
    assert (made.source, made.status, made.received_by) == (Source.PROXY, Status.RECEIVED, world.users["grid_a"])
    assert (made.community, made.building, made.household) == (
        world.areas["K1"],
        world.areas["A1"],
        world.households["A1"],
    )
    assert made.due_at > made.received_at  # the item's time limit, in working days
    entry = AuditEntry.objects.get(action="service_request.take_for_resident")
    assert (entry.actor, entry.target_id) == (world.users["grid_a"], str(made.pk))


def test_another_grids_household_is_refused(world, service_item):
    with pytest.raises(PermissionDenied):
        take(world, service_item, household="B1")  # grid B's
    assert not ServiceRequest.objects.unscoped("test").exists()


def test_the_same_form_sent_twice_makes_one_request(world, service_item):
    key = uuid.uuid4()
    first = take(world, service_item, submission_key=key)
    assert take(world, service_item, submission_key=key) == first
    assert ServiceRequest.objects.unscoped("test").count() == 1


def test_the_page_takes_it_from_the_card_and_shows_it_back(world, service_item, client_for):
    client = client_for(world.users["grid_a"])
    card = client.get(reverse("grids:household", args=[world.households["A1"].pk])).content.decode()
    url = reverse("hall:proxy_request", args=[world.households["A1"].pk])
    assert url in card
    page = client.get(url)
    resident = world.residents["A1"]
    answer = client.post(
        url,
        {"item": service_item.pk, "applicant_name": resident.pk, "submission_key": uuid.uuid4()},
        follow=True,
    )
    made = ServiceRequest.objects.unscoped("test").get()
    assert page.status_code == 200 and answer.status_code == 200
    assert made.applicant_name == "A1住户"
    assert answer.redirect_chain[-1][0] == reverse("hall:request", args=[made.pk])
    card = client.get(reverse("grids:household", args=[world.households["A1"].pk])).content.decode()
    assert reverse("hall:request", args=[made.pk]) in card


def test_the_page_refuses_a_resident_of_another_household(world, service_item, client_for):
    client = client_for(world.users["grid_a"])
    url = reverse("hall:proxy_request", args=[world.households["A1"].pk])
    answer = client.post(
        url, {"item": service_item.pk, "applicant_name": world.residents["A1b"].pk, "submission_key": uuid.uuid4()}
    )
    assert answer.status_code == 400 and "applicant_name" in answer.context["form"].errors
    assert not ServiceRequest.objects.unscoped("test").exists()


@pytest.mark.parametrize("persona", ["grid_b", "officer", "leader"])
def test_the_page_is_not_found_outside_the_household_keepers(world, client_for, persona):
    url = reverse("hall:proxy_request", args=[world.households["A1"].pk])
    assert client_for(world.users[persona]).get(url).status_code == 404


def test_it_counts_for_the_worker_and_the_handler_once_each_when_it_ends(world, service_item):
    made = take(world, service_item)
    staff, worker = world.users["community"], world.users["grid_a"]
    year = timezone.localdate().year
    services_measure = measures.REGISTRY["services"]
    assert services_measure.compute([worker.pk], year)[worker.pk][0] == 0  # open: not yet
    services.assign_request(actor=staff, request=made, handler=staff)
    services.complete_request(actor=staff, request=made, result="已办")
    found = services_measure.compute([worker.pk, staff.pk], year)
    assert found[worker.pk][0] == 1 and list(found[worker.pk][1]) == [made]
    assert found[staff.pk][0] == 1 and list(found[staff.pk][1]) == [made]


def test_a_worker_who_also_handled_it_counts_it_once(world, service_item):
    worker = world.users["grid_a"]
    made = take(world, service_item)
    ServiceRequest.objects.unscoped("test").filter(pk=made.pk).update(
        handler=worker, status=Status.DONE, finished_at=timezone.now()
    )
    found = measures.REGISTRY["services"].compute([worker.pk], timezone.localdate().year)
    assert found[worker.pk][0] == 1 and list(found[worker.pk][1]) == [made]
