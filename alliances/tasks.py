"""Each half-year (beat: 1 January and 1 July), the half-year just ended is reported to every unit
with in-service members (双报告). Safe to run twice: a member's report is recorded once."""

from celery import shared_task

from alliances import services


@shared_task
def send_dual_reports() -> int:
    return services.send_due_dual_reports()
