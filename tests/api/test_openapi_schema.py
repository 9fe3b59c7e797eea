"""The OpenAPI schema is committed (docs/openapi.yaml): a client's author reads it without an
account, and a change to the API shows in review as a change to that file. It must match what the
code generates, and the app serves it only to a signed-in user or a token holder."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from core import api_tokens

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
COMMAND = "DEBUG=1 uv run manage.py spectacular --file docs/openapi.yaml --validate --fail-on-warn"


def generated() -> str:
    """What the command writes: it fails on any warning and on a schema that does not validate."""
    out = io.StringIO()
    with translation.override(settings.LANGUAGE_CODE):  # the command runs in the default language
        call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return out.getvalue()


def drift(committed: str, current: str) -> str | None:
    if committed == current:
        return None
    return f"docs/openapi.yaml is not the schema the code generates; update it with\n    {COMMAND}"


def test_the_committed_schema_is_the_generated_one(db):
    current = generated()
    assert "/api/v1/areas/" in current
    message = drift(COMMITTED.read_text(encoding="utf-8"), current)
    assert message is None, message


def test_a_changed_schema_fails_with_the_command_to_update_it():
    committed = COMMITTED.read_text(encoding="utf-8")
    message = drift(committed.replace("/api/v1/areas/", "/api/v1/places/", 1), committed)
    assert message is not None and COMMAND in message


def test_the_schema_names_the_token_scheme():
    assert "    tokenAuth:\n      type: http\n      scheme: bearer\n" in COMMITTED.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["schema", "api-docs"])
def test_the_schema_and_its_docs_are_refused_to_anonymous_callers(db, client, name):
    assert client.get(reverse(name)).status_code == 401


def test_a_token_holder_reads_the_schema(world):
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    _, secret = api_tokens.create_api_token(actor=world.users["officer"], name="客户端", expires_on=expires_on)
    response = Client(headers={"Authorization": f"Bearer {secret}"}).get(reverse("schema"))
    assert response.status_code == 200 and b"/api/v1/areas/" in response.content
