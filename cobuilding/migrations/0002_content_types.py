"""Move the co-building content types from orgs to cobuilding, so the permissions granted on them
and the admin's log entries follow the models instead of pointing at models orgs no longer has.

On a fresh database there is nothing to move: the content types are made after the migrations."""

from django.db import migrations

MODELS = [
    "cobuildingunit",
    "agreement",
    "unitpoints",
    "pointsrule",
    "rating",
    "jointmeeting",
    "sharedresource",
    "need",
    "serviceproject",
]


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MODELS:
        moving = ContentType.objects.filter(app_label=source, model=model).first()
        if moving is None:
            continue
        # A migrate stopped between the two apps' migrations has already made an empty row for the
        # target (post_migrate): the source row is the one permissions and log entries point at.
        fresh = ContentType.objects.filter(app_label=target, model=model).first()
        if fresh is not None:
            Permission.objects.filter(content_type=fresh).delete()
            fresh.delete()
        moving.app_label = target
        moving.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _move(apps, "orgs", "cobuilding")


def backwards(apps, schema_editor):
    _move(apps, "cobuilding", "orgs")


class Migration(migrations.Migration):
    dependencies = [
        ("cobuilding", "0001_initial"),
        ("orgs", "0007_cobuilding_moves_to_its_app"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
