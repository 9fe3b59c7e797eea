"""Both ways tasks run: in-process without a broker, and through Redis to a real worker."""

import time
from importlib import import_module

import pytest
from celery.contrib.testing.worker import start_worker
from django.apps import apps
from django.conf import settings

from gridgov.celery import app


def test_celery_runs_tasks_in_process_without_a_broker():
    if settings.REDIS_URL:
        pytest.skip("REDIS_URL is set: tasks go to the broker")
    assert app.conf.task_always_eager is True
    assert app.conf.broker_url == "memory://"


@pytest.mark.serial
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
@pytest.mark.django_db(transaction=True)
def test_a_budget_run_goes_through_redis_to_a_real_worker():
    """The production path: the page's service commits, the task travels through Redis, a worker
    thread (with its own database connection) computes the run."""
    from core.scope import SYSTEM
    from funding import services
    from funding.models import BudgetRun, RunStatus
    from orgs import services as org_services
    from orgs.models import OrgKind
    from tests.factories import AreaFactory

    assert app.conf.task_always_eager is False
    # A transactional test may follow another that emptied the tables: load seed 000's policy
    # with the data migration's own function.
    import_module("funding.migrations.0002_yinchuan_policy").create(apps, None)
    district = AreaFactory(kind="district", name="队列区")
    street = AreaFactory(kind="street", name="队列街道", parent=district)
    community = AreaFactory(kind="community", name="队列社区", parent=street, declared_households=3001)
    root = org_services.create_organization(
        actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name="党工委", area=street
    )
    org_services.create_organization(
        actor=SYSTEM, kind=OrgKind.COMMUNITY_BRANCH, name="队列社区党支部", area=community, parent=root
    )

    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        run = services.start_budget_run(year=2026, area=district, actor=SYSTEM)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status in (RunStatus.DONE, RunStatus.FAILED):
                break
            time.sleep(0.2)
    assert run.status == RunStatus.DONE
    assert str(run.amount) == "220000.00"  # 党支部 40,000 + 3,001 households 180,000
    assert BudgetRun.objects.filter(pk=run.pk, progress=100).exists()


@pytest.mark.serial
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")
@pytest.mark.django_db(transaction=True)
def test_the_deadline_sweep_runs_on_a_worker_and_its_notifications_are_delivered_once():
    """Beat's task on a real worker: the sweep commits its overdue records, then the delivery task
    queued after the commit sends each of their e-mails once."""
    import datetime

    from cases import services
    from cases.models import CaseAlert, Category, Delivery, Notification
    from cases.tasks import sweep_deadlines
    from orgs.models import Role
    from tests.factories import AreaFactory, department, user_with_posts

    if not Category.objects.exists():
        import_module("cases.migrations.0002_categories_and_limits").create(apps, None)
    district = AreaFactory(kind="district", name="提醒区", code="980188000000")
    street = AreaFactory(kind="street", parent=district)
    community = AreaFactory(kind="community", parent=street)
    building = AreaFactory(kind="building", parent=AreaFactory(kind="grid", parent=community))
    dept = department("城管局", district)
    staff = user_with_posts("w_staff", dict(role=Role.COMMUNITY_STAFF, area=community))
    street_staff = user_with_posts("w_street", dict(role=Role.STREET_STAFF, area=street))
    officer = user_with_posts("w_officer", dict(role=Role.DEPARTMENT_OFFICER, department=dept))
    officer.email = "officer@example.org"
    officer.save()
    long_ago = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    case = services.report_case(
        actor=staff,
        category=Category.objects.get(code="safety-fire"),
        area=building,
        description="通道堵塞",
        at=long_ago,
    )
    case = services.whistle_case(case=case, actor=staff, note="消防", at=long_ago)
    services.dispatch_case(case=case, actor=street_staff, department=dept, at=long_ago)

    def settled() -> bool:
        overdue = Delivery.objects.filter(kind__in=["overdue", "supervision"])
        return overdue.exists() and not Delivery.objects.filter(sent_at__isnull=True).exists()

    with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
        sweep_deadlines.delay()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not settled():
            time.sleep(0.2)
    # Neither signed nor resolved in time: two overdue records and a supervision flag.
    assert sorted(CaseAlert.objects.values_list("kind", flat=True)) == ["overdue", "overdue", "supervision"]
    assert settled()
    supervised = Notification.objects.filter(kind="supervision").values_list("user__username", flat=True)
    assert set(supervised) == {"w_officer", "w_street"}
    from django.core import mail

    assert len(mail.outbox) == Delivery.objects.count()  # each e-mail once
