"""PostgreSQL restarted under traffic: requests while it is down get the product's 503 (page and
API), and the app recovers by itself when it is back (issue 11, faults and load).

The test stops and starts the server it runs on, so it runs only where it is told it may:
GRIDGOV_PG_CTL is the pg_ctl command for that server's cluster (`.ci/run` sets it). Not with
pytest -n: the other workers' connections die with the server too."""

import json
import os
import shlex
import subprocess
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from gridgov.errors import RETRY_AFTER_SECONDS
from tests.faults.places import small_district

PG_CTL = os.environ.get("GRIDGOV_PG_CTL", "")

pytestmark = [
    pytest.mark.serial,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="restarts PostgreSQL"),
    pytest.mark.skipif(not PG_CTL, reason="GRIDGOV_PG_CTL not set: this test may not restart the server"),
    pytest.mark.django_db(transaction=True),
]


def _pg_ctl(*args: str) -> None:
    command = [*shlex.split(PG_CTL), *args]
    if os.geteuid() == 0:  # pg_ctl refuses to run as root
        command = ["su", "postgres", "-c", shlex.join(command)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def _start_options(data_directory: str) -> str:
    """The options the server was started with (port, address, socket directory), from the file
    PostgreSQL keeps for `pg_ctl restart`, minus the binary and the data directory."""
    with open(os.path.join(data_directory, "postmaster.opts")) as opts:
        words = shlex.split(opts.read())[1:]
    if "-D" in words:
        at = words.index("-D")
        del words[at : at + 2]
    return shlex.join(words)


class Cluster:
    def __init__(self):
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            self.data_directory = cursor.fetchone()[0]
        self.options = _start_options(self.data_directory)
        self.down = False

    def stop(self) -> None:
        _pg_ctl("stop", "-w", "-m", "fast")
        self.down = True

    def start(self) -> None:
        _pg_ctl("start", "-w", "-l", os.path.join(self.data_directory, "log"), "-o", self.options)
        self.down = False
        connection.close()  # the test's own connection died with the server


@pytest.fixture
def cluster():
    cluster = Cluster()
    yield cluster
    if cluster.down:  # a failed assertion must not leave the rest of the suite without a database
        cluster.start()


def _get(url: str, *, session: str, language: str = "zh-hans"):
    """A request from outside the process, through the live server's own handler: the test
    client keeps its connection across requests and would hide whether the app recovers."""
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}", "Accept-Language": language}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the live server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read().decode()


def test_requests_while_the_database_is_down_get_503_and_the_app_recovers_by_itself(cluster, live_server):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    place = small_district("980166000000")
    client = Client()
    client.force_login(place["grid_worker"])
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    home, api = f"{live_server.url}/", f"{live_server.url}/api/v1/cases/"
    assert _get(home, session=session)[0] == _get(api, session=session)[0] == 200

    cluster.stop()
    page, english, listed = (
        _get(home, session=session),
        _get(home, session=session, language="en"),
        _get(api, session=session),
    )
    assert page[0] == english[0] == listed[0] == 503
    assert page[1]["Retry-After"] == listed[1]["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in page[1]["Cache-Control"]
    assert "服务暂时不可用" in page[2] and "Traceback" not in page[2]
    assert "Service temporarily unavailable" in english[2]
    assert listed[1]["Content-Type"] == "application/json"
    assert json.loads(listed[2]) == {"code": "unavailable", "message": "服务暂时不可用,请稍后再试", "fields": {}}

    cluster.start()
    assert _get(home, session=session)[0] == _get(api, session=session)[0] == 200

    # Restarted with no request in between: the kept connection is dead and nothing has failed on
    # it yet. The health check (CONN_HEALTH_CHECKS) finds it so, and the first request gets a new one.
    cluster.stop()
    cluster.start()
    assert _get(home, session=session)[0] == 200
