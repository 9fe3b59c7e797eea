"""The load test's users: GridGov's roles working the case loop at once (see docs/load-test.md).

Run by bench/load/run.py, which sets LOAD_PLAN (the accounts, buildings and QR plates that
`manage.py load_test_users` wrote) and LOAD_LEDGER (where every acknowledged report and step is
written, one JSON object a line, for check.py to look for in the database afterwards).

Staff sign in through the log-in page and then work as the pages' scripts and the phone app do:
reads of the pages, writes through the API with the session and its CSRF token. Residents have
no account: they scan a plate and post its form, each from an address of their own as the
trusted proxy reports it (X-Forwarded-For). A refusal the product is meant to give (someone
else took the step first: 409; too many reports from one place: the QR page's message) is
counted as a refusal, not a failure; anything else unexpected is a failure, and every 5xx is
counted separately.
"""

import collections
import itertools
import json
import os
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.exception import StopUser
from pages import CASE_NUMBER, CATEGORY_OPTION, KEY_INPUT, TOO_OFTEN, csrf

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
# Open for the whole run, line-buffered so a crash keeps what was acknowledged; closed at quitting.
LEDGER = Path(os.environ["LOAD_LEDGER"]).open("a", buffering=1, encoding="utf-8")  # noqa: SIM115

SERVER_ERRORS: collections.Counter = collections.Counter()
REFUSED: collections.Counter = collections.Counter()
NUMBERS: dict[str, str] = {}  # submission key -> the case number it was acknowledged with


def acknowledge(**entry) -> None:
    LEDGER.write(json.dumps(entry, ensure_ascii=False) + "\n")


def acknowledge_report(key: str, number: str, *, via: str) -> None:
    """A report the app confirmed; the same key confirmed twice must name the same case."""
    earlier = NUMBERS.setdefault(key, number)
    acknowledge(t="report", key=key, number=number, via=via, same_as_before=earlier == number)


@events.request.add_listener
def _count_server_errors(request_type, name, response, exception, **kwargs):
    if response is not None and response.status_code is not None and response.status_code >= 500:
        SERVER_ERRORS[f"{request_type} {name} {response.status_code}"] += 1


@events.quitting.add_listener
def _write_summary(environment, **kwargs):
    acknowledge(t="summary", server_errors=dict(SERVER_ERRORS), refused=dict(REFUSED))
    LEDGER.close()


def log_in(user: HttpUser, username: str, password: str) -> None:
    """Sign in through the real log-in page, as a browser does. A second factor (TOTP) is one
    more form posted here, between the password and the first page."""
    page = user.client.get("/accounts/login/", name="log-in page")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": csrf(page.text), "next": ""}
    with user.client.post(
        "/accounts/login/", data=form, allow_redirects=False, name="log in", catch_response=True
    ) as response:
        if response.status_code != 302:
            response.failure(f"{username} not signed in: {response.status_code}")
            raise StopUser
    user.client.get("/", name="home")


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""
    _seats: Iterator

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.role:
            # Each simulated user takes the next account of its role (round the list if need be).
            cls._seats = itertools.cycle(PLAN["accounts"][cls.role])

    def on_start(self):
        seat = next(self._seats)
        self.username, self.place = seat["username"], seat["place"]
        log_in(self, self.username, PLAN["password"])

    def api_headers(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Accept": "application/json"}

    def cases(self, name: str, **filters) -> list[dict]:
        response = self.client.get("/api/v1/cases/", params=filters, headers=self.api_headers(), name=name)
        return response.json()["results"] if response.status_code == 200 else []

    def take(self, slug: str, case: dict, body: dict | None = None, *, action: str = "") -> None:
        """One step of the loop through the API; a 409 means someone else took it first. The event
        it records is named like the step (`action`: unless the answer decides it, as verify's)."""
        with self.client.post(
            f"/api/v1/cases/{case['id']}/{slug}/",
            json=body or {},
            headers=self.api_headers(),
            name=f"step {slug}",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                acknowledge(t="step", number=case["number"], action=action or slug, by=self.username)
            elif response.status_code == 409:
                REFUSED[f"{slug}: taken first by someone else"] += 1
                response.success()
            else:
                response.failure(f"{slug} {case['number']}: {response.status_code} {response.text[:200]}")


class GridWorker(Staff):
    """网格员: reports from the grid's buildings, verifies what was resolved there."""

    role = "grid"
    weight = 30

    @task(3)
    def report(self):
        key = str(uuid.uuid4())
        body = {
            "category": random.choice(PLAN["categories"]),
            "area": random.choice(PLAN["buildings"][str(self.place)]),
            "description": f"巡查发现问题 {key[:8]}",
            "source": "grid_patrol",
        }
        # One in ten is sent twice, as a phone on a bad line does: the second must be the same case.
        for _ in range(2 if random.random() < 0.1 else 1):
            headers = {**self.api_headers(), "Idempotency-Key": key}
            with self.client.post(
                "/api/v1/cases/", json=body, headers=headers, name="report (API)", catch_response=True
            ) as response:
                if response.status_code == 201:
                    acknowledge_report(key, response.json()["number"], via="api")
                else:
                    response.failure(f"report: {response.status_code} {response.text[:200]}")

    @task(2)
    def verify(self):
        resolved = self.cases("list resolved (API)", status="resolved", grid=self.place)
        if resolved:
            passed = random.random() < 0.9
            body = {"passed": passed, "note": "现场核查无误" if passed else "现场仍有问题,请返工"}
            self.take("verify", random.choice(resolved), body, action="verify_pass" if passed else "verify_rework")

    @task(1)
    def browse(self):
        self.client.get("/cases/queue/mine/", name="my cases page")


class CommunityStaff(Staff):
    """社区工作人员: accepts a report or blows the whistle to the street; resolves what it accepted."""

    role = "community"
    weight = 15

    @task(3)
    def triage(self):
        reported = self.cases("list reported (API)", status="reported", community=self.place)
        if reported:
            case = random.choice(reported)
            if random.random() < 0.5:
                self.take("accept", case, {"note": "社区受理"})
            else:
                self.take("whistle", case, {"note": "需街道协调职能部门"})

    @task(2)
    def resolve(self):
        accepted = self.cases("list accepted (API)", status="accepted", community=self.place)
        if accepted:
            self.take("resolve", random.choice(accepted), {"feedback": "社区已处置完毕"})

    @task(1)
    def browse(self):
        self.client.get("/cases/queue/triage/", name="triage page")


class StreetStaff(Staff):
    """街道工作人员: dispatches whistled cases to a bureau of the district."""

    role = "street"
    weight = 10

    @task(3)
    def dispatch(self):
        whistled = self.cases("list whistled (API)", status="whistled", street=self.place)
        if whistled:
            department = random.choice(PLAN["accounts"]["officer"])["place"]
            self.take("dispatch", random.choice(whistled), {"department": department, "note": "请报到办理"})

    @task(1)
    def board(self):
        self.client.get("/cases/board/", name="dispatch board page")


class Officer(Staff):
    """部门工作人员: signs for dispatched cases (报到) and resolves them."""

    role = "officer"
    weight = 15

    @task(2)
    def sign(self):
        dispatched = self.cases("list dispatched (API)", status="dispatched", department=self.place)
        if dispatched:
            self.take("sign", random.choice(dispatched))

    @task(2)
    def resolve(self):
        working = self.cases("list in progress (API)", status="in_progress", department=self.place)
        if working:
            self.take("resolve", random.choice(working), {"feedback": "部门已处置"})

    @task(1)
    def inbox(self):
        self.client.get("/cases/queue/inbox/", name="inbox page")


class Leader(Staff):
    """领导: the dashboard and the rankings, read only."""

    role = "leader"
    weight = 10

    @task(3)
    def dashboard(self):
        self.client.get("/cases/dashboard/", name="dashboard page")

    @task(1)
    def ranking(self):
        self.client.get("/cases/ranking/", name="ranking page")

    @task(1)
    def metrics(self):
        self.client.get("/api/v1/cases/metrics/", headers=self.api_headers(), name="metrics (API)")


_addresses = itertools.count(1)


class Resident(HttpUser):
    """居民: scans the QR plate on a building and reports, with no account."""

    weight = 20
    wait_time = between(2, 6)

    def on_start(self):
        n = next(_addresses)
        # The address the trusted proxy (gunicorn runs with TRUSTED_PROXIES=127.0.0.1) reports.
        self.client.headers["X-Forwarded-For"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"

    @task
    def report(self):
        token = random.choice(PLAN["plates"])
        url = f"/r/{token}/"
        page = self.client.get(url, name="QR report page")
        key_match, categories = KEY_INPUT.search(page.text), CATEGORY_OPTION.findall(page.text)
        if page.status_code != 200 or not key_match or not categories:
            return  # the GET itself is already counted as the failure it is
        form = {
            "csrfmiddlewaretoken": csrf(page.text),
            "submission_key": key_match.group(1),
            "category": random.choice(categories),
            "description": f"楼道灯不亮 {key_match.group(1)[:8]}",
            "phone": "",
        }
        # One in ten taps "submit" twice: the second must show the same case, or be refused.
        for _ in range(2 if random.random() < 0.1 else 1):
            with self.client.post(url, data=form, name="QR report", catch_response=True) as response:
                number = CASE_NUMBER.search(response.text)
                if response.status_code == 200 and number:
                    acknowledge_report(form["submission_key"], number.group(1).strip(), via="qr")
                elif response.status_code in (200, 429) and TOO_OFTEN in response.text:
                    REFUSED["QR report: over the rate limit"] += 1
                    response.success()
                else:
                    response.failure(f"QR report: {response.status_code}")
