"""The case loop is one table: pages, URLs, API actions and locks all come from its rows."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from PIL import Image

from cases import services, workflow
from cases.models import CasePhoto, PhotoStage
from core.models import AuditEntry
from core.scope import scope_for

PATHS = {
    "accept": "accept", "reject": "reject", "merge": "merge", "whistle": "whistle", "correct": "correct",
    "escalate": "escalate", "dispatch": "dispatch", "sign": "sign", "return": "return", "extend": "extend",
    "decide-extension": "decide-extension", "resolve": "resolve", "verify": "verify", "callback": "callback",
}  # fmt: skip


def jpeg(name="p.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_every_row_has_its_page_and_api_path_and_nothing_else_does():
    assert set(workflow.STEPS) == set(PATHS)
    for slug, step in workflow.STEPS.items():
        assert reverse(f"cases:{step.name}", args=[7]) == f"/cases/7/{PATHS[slug]}/"
        assert resolve(f"/api/v1/cases/7/{PATHS[slug]}/").url_name == f"case-{step.name}"
        assert callable(step.run) and step.starts_from


def test_the_api_takes_resolve_and_verify_photos_like_the_page(world, dispatched, client_for):
    case = services.sign_case(case=dispatched(), actor=world.users["officer"])
    resolved = client_for(world.users["officer"]).post(
        f"/api/v1/cases/{case.pk}/resolve/", {"feedback": "已清理", "photos": [jpeg(), jpeg("q.jpg")]}
    )
    assert resolved.status_code == 200, resolved.content
    assert CasePhoto.objects.filter(case=case, stage=PhotoStage.AFTER).count() == 2
    verified = client_for(world.users["grid_a"]).post(
        f"/api/v1/cases/{case.pk}/verify/", {"passed": "true", "photos": [jpeg()]}
    )
    assert verified.status_code == 200 and verified.json()["status"] == "closed"
    assert CasePhoto.objects.filter(case=case, stage=PhotoStage.VERIFY).count() == 1


def test_a_bad_photo_over_the_api_names_the_field(world, dispatched, client_for):
    case = services.sign_case(case=dispatched(), actor=world.users["officer"])
    bad = SimpleUploadedFile("virus.jpg", b"MZ not a picture", content_type="image/jpeg")
    response = client_for(world.users["officer"]).post(
        f"/api/v1/cases/{case.pk}/resolve/", {"feedback": "已清理", "photos": [bad]}
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"photos"}


def test_each_step_writes_one_audit_entry_naming_fields_not_values(world, report):
    case = report()
    last = AuditEntry.objects.order_by("pk").last().pk
    services.accept_case(case=case, actor=world.users["community"], note="社区处理")
    entry = AuditEntry.objects.get(pk__gt=last)
    assert (entry.action, entry.actor, entry.capacity) == ("case.accept", world.users["community"], "community_staff")
    assert {"status", "accepted_at", "resolution_due"} <= set(entry.fields)
    assert "社区处理" not in str(entry.fields)


def test_the_page_offers_what_the_table_permits(world, dispatched):
    case = dispatched()
    scope_of = {p: world.users[p] for p in ["officer", "street", "grid_a"]}
    offered = {p: workflow.permitted_steps(scope_for(u), case) for p, u in scope_of.items()}
    assert offered == {"officer": {"sign", "return"}, "street": {"escalate"}, "grid_a": set()}


def test_a_step_that_moves_the_case_out_of_scope_still_answers_with_its_result(world, dispatched, client_for):
    case = dispatched()
    response = client_for(world.users["officer"]).post(
        f"/api/v1/cases/{case.pk}/return/", {"note": "非本部门职责"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "whistled"
    assert client_for(world.users["officer"]).get(f"/api/v1/cases/{case.pk}/").status_code == 404
