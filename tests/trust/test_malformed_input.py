"""Finding 9: a malformed id, integer or date in a URL or query is a 400 or 404, never a 500."""

import pytest
from drf_spectacular.generators import SchemaGenerator

MALFORMED = ["abc", "-1", "99999999999999999999", "9223372036854775808", "2026-13-45", "1.5", "%00"]


def _get_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        if "get" in operations:
            params = [p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"]
            yield path, params


OPERATIONS = list(_get_operations())
DETAIL = [path for path, _ in OPERATIONS if "{id}" in path]
FILTERED = [(path, name) for path, params in OPERATIONS for name in params if name not in {"page", "format"}]


@pytest.fixture
def street(world, client_for):
    client = client_for(world.users["street"])
    client.raise_request_exception = False  # a 500 should be seen as a status, not a traceback
    return client


@pytest.mark.parametrize("value", MALFORMED)
@pytest.mark.parametrize("path", DETAIL)
def test_a_malformed_id_in_a_path_is_404_or_400(street, path, value):
    response = street.get(path.replace("{id}", value, 1).replace("{id}", "1"))
    assert response.status_code in (400, 404), response.content[:300]


@pytest.mark.parametrize("value", MALFORMED)
@pytest.mark.parametrize(("path", "name"), FILTERED)
def test_a_malformed_query_value_is_400_or_ignored_never_500(world, street, path, name, value):
    url = path.replace("{id}", str(world.areas["A"].pk))
    response = street.get(url, {name: value})
    assert response.status_code in (200, 400, 404), response.content[:300]


def test_the_matrix_covers_the_api():
    assert len(DETAIL) >= 10
    assert len(FILTERED) >= 5
