"""取消预约: a booking of a shared resource is called off by whoever keeps the community's
co-building records, never deleted; the day it held is free to book again, a day already past is
not cancelled, and the resource's page keeps called-off bookings apart, struck through."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cobuilding import services
from cobuilding.models import ResourceBooking, SharedResource
from core.models import AuditEntry
from core.scope import SYSTEM


def _room(unit, name="党群活动室") -> SharedResource:
    return services.list_resource(
        actor=SYSTEM,
        resource=SharedResource(community=unit.community, kind="venue", name=name, pricing="free"),
    )


def _book(room, unit, on, purpose="党日活动") -> ResourceBooking:
    return services.book_resource(
        actor=SYSTEM, booking=ResourceBooking(resource=room, unit=unit, on=on, purpose=purpose)
    )


def _next_week() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=7)


def test_community_staff_cancel_a_booking_on_the_resource_page_and_the_day_is_booked_again(world, units, client_for):
    staff = world.users["community"]
    room = _room(units["hospital"])
    booking = _book(room, units["hospital"], _next_week())
    client = client_for(staff)
    page = client.get(reverse("cobuilding:resource", args=[room.pk])).content.decode()
    assert reverse("cobuilding:resource_cancel_booking", args=[room.pk]) in page

    response = client.post(
        reverse("cobuilding:resource_cancel_booking", args=[room.pk]),
        {"booking": booking.pk, "cancel_reason": "活动改期"},
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    assert (booking.cancelled_by, booking.cancel_reason) == (staff, "活动改期")
    entry = AuditEntry.objects.get(action="cobuilding.cancel_booking", target_id=str(booking.pk))
    assert entry.actor == staff and set(entry.fields) == {"cancelled_at", "cancelled_by", "cancel_reason"}
    page = client.get(reverse("cobuilding:resource", args=[room.pk])).content.decode()
    assert f"<del>{booking.on:%Y-%m-%d} 医院(党日活动)</del> 取消原因:活动改期" in page
    # Nothing left to call off: the action is not offered.
    assert reverse("cobuilding:resource_cancel_booking", args=[room.pk]) not in page

    again = client.post(
        reverse("cobuilding:resource_book", args=[room.pk]),
        {"unit": units["shop"].pk, "on": f"{booking.on:%Y-%m-%d}", "purpose": "便民服务"},
    )
    assert again.status_code == 302
    live = ResourceBooking.objects.unscoped("test").get(resource=room, on=booking.on, cancelled_at__isnull=True)
    assert live.unit == units["shop"]
    assert ResourceBooking.objects.unscoped("test").filter(resource=room, on=booking.on).count() == 2


def test_a_booking_is_cancelled_once(world, units):
    booking = _book(_room(units["hospital"]), units["hospital"], _next_week())
    services.cancel_booking(actor=SYSTEM, booking=booking, reason="改期")
    with pytest.raises(ValidationError, match="该预约已取消"):
        services.cancel_booking(actor=SYSTEM, booking=booking, reason="再取消")
    booking.refresh_from_db()
    assert booking.cancel_reason == "改期"


def test_a_booking_whose_day_has_passed_is_not_cancelled_nor_offered(world, units, client_for):
    room = _room(units["hospital"])
    booking = _book(room, units["hospital"], timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="该预约的使用日期已过,不能取消"):
        services.cancel_booking(actor=world.users["community"], booking=booking, reason="改期")
    client = client_for(world.users["community"])
    assert (
        reverse("cobuilding:resource_cancel_booking", args=[room.pk])
        not in client.get(reverse("cobuilding:resource", args=[room.pk])).content.decode()
    )
    assert client.get(reverse("cobuilding:resource_cancel_booking", args=[room.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.cancelled_at is None


def test_a_booking_for_today_may_still_be_cancelled(world, units):
    booking = _book(_room(units["hospital"]), units["hospital"], timezone.localdate())
    assert services.cancel_booking(actor=SYSTEM, booking=booking, reason="临时停电").cancelled_at is not None


def test_a_cancellation_needs_a_reason(world, units):
    booking = _book(_room(units["hospital"]), units["hospital"], _next_week())
    with pytest.raises(ValidationError, match="请填写取消原因"):
        services.cancel_booking(actor=SYSTEM, booking=booking, reason="  ")


@pytest.mark.parametrize("persona", ["grid_a", "officer", "leader"])
def test_a_role_that_does_not_keep_the_records_cannot_cancel(world, units, client_for, persona):
    room = _room(units["hospital"])
    booking = _book(room, units["hospital"], _next_week())
    with pytest.raises(PermissionDenied):
        services.cancel_booking(actor=world.users[persona], booking=booking, reason="改期")
    posted = client_for(world.users[persona]).post(
        reverse("cobuilding:resource_cancel_booking", args=[room.pk]), {"booking": booking.pk, "cancel_reason": "改期"}
    )
    assert posted.status_code == 404
    booking.refresh_from_db()
    assert booking.cancelled_at is None


@pytest.mark.parametrize(("persona", "status"), [("community", 404), ("street", 302)])
def test_a_booking_of_the_neighbouring_community_is_the_streets_to_cancel(world, units, client_for, persona, status):
    room = _room(units["school"])
    booking = _book(room, units["school"], _next_week())
    posted = client_for(world.users[persona]).post(
        reverse("cobuilding:resource_cancel_booking", args=[room.pk]), {"booking": booking.pk, "cancel_reason": "改期"}
    )
    assert posted.status_code == status
    booking.refresh_from_db()
    assert (booking.cancelled_at is not None) == (status == 302)


def test_only_a_booking_of_the_resource_in_hand_is_offered(world, units, client_for):
    room, hall = _room(units["hospital"]), _room(units["shop"], name="会议室")
    other = _book(hall, units["shop"], _next_week())
    _book(room, units["hospital"], _next_week())
    response = client_for(world.users["community"]).post(
        reverse("cobuilding:resource_cancel_booking", args=[room.pk]), {"booking": other.pk, "cancel_reason": "改期"}
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.cancelled_at is None


def test_the_database_keeps_one_live_booking_a_day(world, units):
    room = _room(units["hospital"])
    booking = _book(room, units["hospital"], _next_week())
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceBooking.objects.create(resource=room, unit=units["shop"], on=booking.on, purpose="抢订")


def test_the_admin_neither_cancels_nor_changes_a_booking(world, units, client_for):
    booking = _book(_room(units["hospital"]), units["hospital"], _next_week())
    client = client_for(world.users["admin"])
    add = client.get(reverse("admin:cobuilding_resourcebooking_add")).content.decode()
    assert 'name="purpose"' in add and 'name="cancel_reason"' not in add and 'name="cancelled_at' not in add
    change = client.get(reverse("admin:cobuilding_resourcebooking_change", args=[booking.pk])).content.decode()
    assert 'name="cancel_reason"' not in change and 'name="purpose"' not in change
