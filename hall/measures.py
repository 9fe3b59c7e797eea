"""便民服务 as a measure of the yearly evaluation: (worker ids, year) → {worker id: (count, the
requests)}, the shape appraisal.measures keeps; gridgov.apps registers it there, as the hall and
the evaluation sit on one floor and neither imports the other."""

from decimal import Decimal

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from hall import selectors
from hall.models import ServiceRequest


def services_handled(ids: list[int], year: int) -> dict:
    counts = selectors.handled_by(ids, year)
    rows = selectors.handled(ids, year).select_related("item")
    # Built on first use, as appraisal.measures builds its own: the ranking reads no records.
    return {w: (Decimal(counts[w]), SimpleLazyObject(lambda w=w: selectors.worked_by(rows, w))) for w in ids}


def request_link(request: ServiceRequest) -> tuple[str, str]:
    return f"{request.item.name} {request.finished_at:%Y-%m-%d}", reverse("hall:request", args=[request.pk])
