from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_notification_unsent_index"),
        ("grids", "0003_tag_legal_basis_default"),
        ("orgs", "0007_cobuilding_moves_to_its_app"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "closed")), fields=["district", "closed_at"], name="case_district_closed"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "closed")), fields=["street", "closed_at"], name="case_street_closed"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "closed")), fields=["community", "closed_at"], name="case_community_closed"
            ),
        ),
    ]
