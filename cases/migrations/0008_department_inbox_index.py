from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_dashboard_closed_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.F("department"),
                models.Case(
                    models.When(status="dispatched", then=models.F("response_due")), default=models.F("resolution_due")
                ),
                models.F("id"),
                condition=models.Q(("status__in", ["dispatched", "in_progress"])),
                name="case_department_inbox",
            ),
        ),
    ]
