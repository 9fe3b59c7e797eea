"""The API's PlainRows serialisers write every row exactly as DRF's own ModelSerializer would: over
every row each endpoint's queryset reads for the whole world (with its annotations and
prefetches; for cases it is the list's too), in two time zones."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import timezone
from rest_framework import serializers
from rest_framework.request import Request

from cases import services
from cases.models import Case
from cases.serializers import CaseSerializer
from core.drf import PlainRows
from core.scope import scope_for
from gridgov.api import router
from hall import services as hall_services
from hall.models import ServiceItem

PLAIN = [
    (prefix, viewset)
    for prefix, viewset, _ in router.registry
    if issubclass(getattr(viewset, "serializer_class", None) or object, PlainRows)
]


def drf(serializer_class, row) -> dict:
    """The row as DRF's ModelSerializer writes it, field by field."""
    return serializers.ModelSerializer.to_representation(serializer_class(), row)


def endpoint_rows(viewset, user) -> list:
    request = RequestFactory().get("/")
    request.user, request.scope = user, scope_for(user)
    view = viewset(request=Request(request), kwargs={}, action="retrieve", format_kwarg=None)
    return list(view.get_queryset())


@pytest.fixture
def cases_of_every_kind(world, dispatched, report, depts):
    """Open and closed, with and without deadlines, an assisting department and a rating; and a
    service-hall request, so that list has a row to compare too."""
    hall_services.receive_request(
        actor=world.users["community"],
        item=ServiceItem.objects.get(code="elderly-preferential-card"),
        community=world.areas["K1"],
        applicant_name="张阿姨",
        building=world.areas["A1"],
    )
    report(building="B1", by="grid_b")
    helped = report(building="A1")
    helped = services.whistle_case(case=helped, actor=world.users["community"], note="需要执法")
    services.dispatch_case(
        case=helped, actor=world.users["street"], department=depts["城管局"], assisting=[depts["民政局"]]
    )
    closed = dispatched()
    closed = services.sign_case(actor=world.users["officer"], case=closed)
    closed = services.resolve_case(actor=world.users["officer"], case=closed, feedback="已清理")
    closed = services.verify_case(actor=world.users["community"], case=closed, passed=True)
    services.rate_case(case=closed, rating="satisfied")
    rejected = report(building="A1", code="urban-events-clutter")
    services.reject_case(actor=world.users["community"], case=rejected, reason="重复上报")
    return Case.objects.unscoped("the test reads every case it made").count()


def test_the_case_list_and_most_lists_write_plain_rows():
    """The guard below compares what is listed here: the case list is among them, or it proves nothing."""
    prefixes = {prefix for prefix, _ in PLAIN}
    assert {"cases", "households", "areas", "service-requests", "posts", "party-members"} <= prefixes


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC"])
@pytest.mark.parametrize(("prefix", "viewset"), PLAIN, ids=[prefix for prefix, _ in PLAIN])
def test_every_row_is_written_as_drf_writes_it(world, cases_of_every_kind, prefix, viewset, zone):
    rows = endpoint_rows(viewset, world.users["admin"])
    assert rows
    with timezone.override(zone):
        plain = viewset.serializer_class(rows, many=True).data
        assert plain == [drf(viewset.serializer_class, row) for row in rows]


def test_a_case_list_holds_the_values_that_vary(world, cases_of_every_kind):
    """The comparison above would pass on rows that are all alike: these differ where it matters."""
    rows = endpoint_rows(router.registry[[p for p, _, _ in router.registry].index("cases")][1], world.users["admin"])
    written = CaseSerializer(rows, many=True).data
    assert {bool(row["assisting"]) for row in written} == {True, False}
    assert {row["resolution_due"] is None for row in written} == {True, False}
    assert len({row["status"] for row in written}) >= 4
    with timezone.override("UTC"):
        assert CaseSerializer(rows[0]).data["created_at"].endswith("Z")
    with timezone.override("Asia/Shanghai"):
        assert CaseSerializer(rows[0]).data["created_at"].endswith("+08:00")


class WithMethodField(PlainRows, serializers.ModelSerializer):
    label = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "label"]

    def get_label(self, case):
        return case.number


class WithInit(PlainRows, serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("number")


class WithFile(PlainRows, serializers.ModelSerializer):
    photo = serializers.ListField(child=serializers.FileField(), source="number", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "photo"]


class WithSlug(PlainRows, serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "category"]


@pytest.mark.parametrize(
    ("serializer", "refusal"),
    [
        (WithMethodField, r"WithMethodField\.label: PlainRows reads one plain attribute"),
        (WithSlug, r"WithSlug\.category: SlugRelatedField is not a plain field"),
        (WithFile, r"WithFile\.photo: ListField is not a plain field"),
        (WithInit, r"WithInit: PlainRows needs the same fields for every instance"),
    ],
)
def test_a_field_plain_rows_cannot_read_is_refused_by_name(db, serializer, refusal):
    with pytest.raises(ImproperlyConfigured, match=refusal):
        serializer().to_representation(Case(number="x"))
