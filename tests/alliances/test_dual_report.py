"""双报告: an in-service member's half-year of service, the workbook the unit's contact receives
through a real SMTP server on loopback, sent once however often the half-yearly task runs, and
the same workbook from the unit's page, audited."""

import datetime
import email
import io
import os
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from alliances import services, tasks
from alliances.exports import COLUMNS
from alliances.models import DualReport
from cobuilding import services as cobuilding_services
from core.models import AuditEntry
from core.scope import SYSTEM
from orgs import member_services
from orgs.models import PartyMember

H1 = (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))


class Sink:
    def __init__(self, refuse: int = 0):
        self.received, self.refuse = [], refuse

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 try again later"
        self.received.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    port = 8036 + int(worker) % 5 if worker.isdecimal() else 8036
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield sink
    controller.stop()


@pytest.fixture
def member(world, units):
    """在职党员丁 (K1) reported through 医院, whose contact receives the reports; three activities,
    one in the second half-year."""
    hospital = units["hospital"]
    hospital.contact, hospital.email = "王主任", "contact@hospital.example.org"
    cobuilding_services.update_unit(actor=SYSTEM, unit=hospital)
    ding = PartyMember.objects.get(name="在职党员丁")
    member_services.report_dual(
        actor=SYSTEM,
        member=ding,
        work_unit="区人民医院",
        reported_on=datetime.date(2025, 12, 1),
        co_building_unit=hospital,
    )
    keeper = world.users["community"]
    for on, activity, hours in [
        (datetime.date(2026, 3, 5), "义诊", Decimal("3.5")),
        (datetime.date(2026, 6, 30), "健康讲座", Decimal("2")),
        (datetime.date(2026, 7, 1), "环境整治", Decimal("4")),
    ]:
        services.record_service(actor=keeper, member=ding, on=on, activity=activity, hours=hours)
    return ding


def _sheets(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return [list(row) for row in book.worksheets[0].values], [list(row) for row in book.worksheets[1].values]


def test_the_half_yearly_task_mails_the_units_contact_the_half_year_once(member, units, smtp, run_tasks_here):
    with run_tasks_here():
        result = tasks.send_dual_reports.apply(kwargs={}).get()
    # Run on 2026-12-02, the half-year just ended is January–June.
    assert result == 1
    [(recipients, raw)] = smtp.received
    assert recipients == ["contact@hospital.example.org"]
    message = email.message_from_bytes(raw)
    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert subject == "医院在职党员双报告(2026-01-01至2026-06-30)"
    [attachment] = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_filename() == f"dual-report-{units['hospital'].pk}-2026-h1.xlsx"
    summary, detail = _sheets(attachment.get_payload(decode=True))
    assert summary[4] == ["在职党员丁", "一社区党总支", 2, 5.5]  # 3.5 + 2 hours, the 1 July one not in it
    assert [row[1:] for row in detail[1:]] == [
        [datetime.datetime(2026, 3, 5), "义诊", 3.5],
        [datetime.datetime(2026, 6, 30), "健康讲座", 2.0],
    ]
    report = DualReport.objects.get()
    assert (report.period_start, report.activities, report.hours) == (H1[0], 2, Decimal("5.5"))
    # Run again: nothing more is sent.
    assert tasks.send_dual_reports.apply().get() == 0
    assert len(smtp.received) == 1


def test_a_refused_mail_records_nothing_and_the_next_run_sends_it(member, smtp):
    smtp.refuse = 1
    assert services.send_due_dual_reports(on=datetime.date(2026, 7, 1)) == 0
    assert not DualReport.objects.exists()
    assert services.send_due_dual_reports(on=datetime.date(2026, 7, 1)) == 1
    assert len(smtp.received) == 1


def test_a_unit_without_an_email_is_refused(world, member, units):
    units["hospital"].email = ""
    with pytest.raises(ValidationError) as refused:
        services.send_dual_report(actor=world.users["community"], unit=units["hospital"], start=H1[0], end=H1[1])
    assert refused.value.code == "no_email"


def test_the_unit_page_exports_the_same_workbook_and_the_export_is_audited(world, member, units, client_for):
    client = client_for(world.users["community"])
    page = client.get(reverse("alliances:unit_report", args=[units["hospital"].pk]), {"half": "2026-1"})
    [row] = page.context["rows"]
    assert (row.member, row.activities, row.hours, row.sent_at) == (member, 2, Decimal("5.5"), None)
    export = client.get(reverse("alliances:unit_report_export", args=[units["hospital"].pk]), {"half": "2026-1"})
    summary, _detail = _sheets(export.content)
    assert summary[4] == ["在职党员丁", "一社区党总支", 2, 5.5]
    entry = AuditEntry.objects.get(action="alliances.export_dual_report")
    assert (entry.actor, sorted(entry.fields)) == (world.users["community"], sorted(COLUMNS))


def test_the_member_page_shows_the_half_year(world, member, client_for):
    page = client_for(world.users["community"]).get(reverse("alliances:service", args=[member.pk]), {"half": "2026-2"})
    assert [a.activity for a in page.context["activities"]] == ["环境整治"]
    assert page.context["hours"] == Decimal("4")


def test_a_service_before_the_member_reported_is_refused(world, member):
    with pytest.raises(ValidationError) as refused:
        services.record_service(
            actor=world.users["community"], member=member, on=datetime.date(2025, 11, 30), activity="早了", hours=1
        )
    assert refused.value.code == "before_reported"


def test_the_workbench_counts_the_reports_owed(world, member, client_for):
    home = client_for(world.users["community"]).get(reverse("home"))
    [panel] = [p for p in home.context["panels"] if p.key == "alliances"]
    assert {i.testid: i.count for i in panel.items}["todo-dual-reports"] == 1
