"""Events recorded before 0011 get the post their actor took the step in: the actor's post of the
recorded role in the event's department (department steps), else at or above the case's place.
A post since ended still counts (it was held then); an actor with no such post stays blank and the
timeline shows the role alone."""

from django.db import migrations

BATCH = 500


def backfill(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    Post = apps.get_model("orgs", "Post")
    events = (
        CaseEvent.objects.filter(actor__isnull=False, actor_area__isnull=True, actor_department__isnull=True)
        .select_related("case__area")
        .order_by("pk")
    )
    posts: dict[tuple[int, str], list] = {}
    changed = []
    for event in events.iterator(chunk_size=BATCH):
        key = (event.actor_id, event.actor_role)
        if key not in posts:
            posts[key] = list(Post.objects.filter(user_id=event.actor_id, role=event.actor_role).select_related("area"))
        post = _post_for(posts[key], event)
        if post is None:
            continue
        event.actor_area_id, event.actor_department_id = post.area_id, post.department_id
        changed.append(event)
        if len(changed) >= BATCH:
            CaseEvent.objects.bulk_update(changed, ["actor_area", "actor_department"])
            changed = []
    CaseEvent.objects.bulk_update(changed, ["actor_area", "actor_department"])


def _post_for(candidates, event):
    area = event.case.area
    for post in candidates:
        if post.department_id and post.department_id == event.department_id:
            return post
    for post in candidates:
        if post.area_id and post.area.tree_id == area.tree_id and post.area.lft <= area.lft <= post.area.rght:
            return post
    return None


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_event_capacity"), ("orgs", "0007_cobuilding_moves_to_its_app")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
