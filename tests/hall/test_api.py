"""The API through the same services: received, handed over, completed; outside the scope a 404."""

from django.urls import reverse

from hall.models import ServiceItem, Source, Status


def test_a_request_is_received_and_completed_through_the_api(world, client_for):
    client = client_for(world.users["community"])
    item = ServiceItem.objects.get(code="dog-registration")
    made = client.post(
        reverse("service-request-list"),
        {"item": item.pk, "community": world.areas["K1"].pk, "applicant_name": "赵女士"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["source"], body["status"]) == (Source.API, Status.RECEIVED)
    done = client.post(reverse("service-request-complete", args=[body["id"]]), {"result": "已登记"},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == Status.DONE


def test_another_communitys_station_is_not_found(world, client_for, receive):
    made = receive(community="K4", persona="admin")
    client = client_for(world.users["community"])
    assert client.get(reverse("service-request-detail", args=[made.pk])).status_code == 404
    refused = client.post(reverse("service-request-refuse", args=[made.pk]), {"reason": "x"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 404


def test_the_catalogue_is_listed(world, client_for):
    answer = client_for(world.users["grid_a"]).get(reverse("service-item-list"))
    assert answer.status_code == 200
    assert len(answer.json()["results"]) == 35
