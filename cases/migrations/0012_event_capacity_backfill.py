"""Events recorded before 0011 get the post their actor took the step in: the actor's post of the
recorded role in the event's department (department steps), else at or above the case's place.
A post since ended still counts (it was held then); an actor with no such post stays blank and the
timeline shows the role alone.

Two statements, each a correlated subquery the database runs over the whole table: a city's
millions of events are not read into Python (a row-by-row version took ten minutes for a tenth
of a city; these take about one)."""

from django.db import migrations


def backfill(apps, schema_editor):
    event = apps.get_model("cases", "CaseEvent")._meta.db_table
    case = apps.get_model("cases", "Case")._meta.db_table
    post = apps.get_model("orgs", "Post")._meta.db_table
    area = apps.get_model("grids", "Area")._meta.db_table
    blank = "{e}.actor_id IS NOT NULL AND {e}.actor_area_id IS NULL AND {e}.actor_department_id IS NULL"
    blank = blank.format(e=event)
    schema_editor.execute(
        f"UPDATE {event} SET actor_department_id = ("
        f" SELECT p.department_id FROM {post} p"
        f" WHERE p.user_id = {event}.actor_id AND p.role = {event}.actor_role"
        f" AND p.department_id = {event}.department_id ORDER BY p.id LIMIT 1)"
        f" WHERE {blank} AND {event}.department_id IS NOT NULL"
    )
    schema_editor.execute(
        f"UPDATE {event} SET actor_area_id = ("
        f" SELECT p.area_id FROM {post} p"
        f" JOIN {area} pa ON pa.id = p.area_id"
        f" JOIN {case} c ON c.id = {event}.case_id"
        f" JOIN {area} ca ON ca.id = c.area_id"
        f" WHERE p.user_id = {event}.actor_id AND p.role = {event}.actor_role"
        f" AND pa.tree_id = ca.tree_id AND pa.lft <= ca.lft AND ca.lft <= pa.rght ORDER BY p.id LIMIT 1)"
        f" WHERE {blank}"
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_event_capacity"), ("orgs", "0007_cobuilding_moves_to_its_app")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
