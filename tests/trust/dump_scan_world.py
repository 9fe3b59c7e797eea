"""Run by test_dump_has_no_personal_data in a database of its own, after migrate and load_demo: what
people do on a working day that writes rows (a sign-in with an ID typed as the user name, searches
by ID and by phone, a reveal, the deadline sweep's notifications), then every personal value the
dump must not show, written to the JSON file named by DUMP_SCAN_VALUES."""

import json
import os

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from cases.models import Case
from cases.sweep import sweep_deadlines
from core.scope import scope_for
from core.scoping import guard_off
from grids import selectors
from grids.models import Resident
from tests.sign_in import force_login_verified

with guard_off("the test's own list of the values the dump is scanned for"):
    residents = [
        {"pk": r.pk, "name": r.name, "citizen_id": r.citizen_id, "phone": r.phone or "", "birth": str(r.birth_date)}
        for r in Resident.objects.all()
    ]
    reporter_phones = [phone for phone in Case.objects.values_list("reporter_phone", flat=True) if phone]

staff = User.objects.get(username="community")
seen = selectors.residents(scope_for(staff)).exclude(phone_hash="").order_by("pk").first()
client = Client(SERVER_NAME="localhost")
failed = client.post(reverse("login"), {"username": seen.citizen_id, "password": "not-the-password"})
assert failed.status_code == 200, failed.status_code
force_login_verified(client, staff)  # community reveals, so signs in past the second step
for query in (seen.citizen_id, seen.phone, seen.phone.removeprefix("+86")):
    found = client.post(reverse("grids:resident_search"), {"q": query})
    assert found.status_code == 200 and seen.name in found.content.decode(), found.status_code
revealed = client.post(reverse("grids:resident_reveal", args=[seen.pk]), {"reason": "入户核实登记信息"})
assert revealed.status_code == 200 and seen.citizen_id in revealed.content.decode(), revealed.status_code
sweep_deadlines()

with open(os.environ["DUMP_SCAN_VALUES"], "w") as out:
    json.dump({"residents": residents, "reporter_phones": reporter_phones}, out, ensure_ascii=False)
