"""What cases moves when a place is merged into a neighbour (grids.merging sends area_merging).

Decisions (issue 14): a case at the old place is at the merged place now (its `area` and `grid`
columns; street and community stay, the neighbours share them), and its log says so: one 区域合并
event per case, naming the old place, appended like any other step. The events that named the
old place as the post an actor stood in are re-pointed to the merged place — the only change to
an event ever made, because the row they named is removed; their action, words and times stay.
The old building's door plate goes to the merged building if that has none (the printed QR keeps
working); otherwise the old plate is retired and its QR no longer answers. Routing rules, reply
templates and chat hooks move, where the merged place has no rule of its own for the category;
visit plans move as they are.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Action, Case, CaseEvent, DoorPlate, ReplyTemplate, RoutingRule, VisitRule, WorkChatHook
from core.scope import SYSTEM


def move_area_holdings(sender, *, area, into, actor, capacity, **kwargs) -> dict[str, int]:
    cases = list(
        Case.objects.unscoped("the cases at a place being merged").filter(Q(area=area) | Q(grid=area)).order_by("pk")
    )
    for name in ("area", "grid"):
        Case.objects.unscoped("the cases being moved").filter(**{name: area}).update(**{name: into})
    CaseEvent.objects.filter(actor_area=area).update(actor_area=into)
    now = timezone.now()
    note = _("%(area)s并入%(into)s") % {"area": area.name, "into": into.name}
    user = actor if actor is not None and actor is not SYSTEM and actor.is_authenticated else None
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            action=Action.RELOCATE,
            actor=user,
            actor_role=capacity[:24],
            actor_area=into if user else None,
            at=now,
            from_status=case.status,
            to_status=case.status,
            department=case.department,
            note=note,
            data={"from": area.code, "into": into.code},
        )
        for case in cases
    )
    plates = 0
    if DoorPlate.objects.filter(building=area).exists():
        if DoorPlate.objects.filter(building=into).exists():
            DoorPlate.objects.filter(building=area).delete()
        else:
            plates = DoorPlate.objects.filter(building=area).update(building=into)
    ruled = RoutingRule.objects.filter(area=into).values("category")
    RoutingRule.objects.filter(area=area, category__in=ruled).delete()
    rules = RoutingRule.objects.filter(area=area).update(area=into)
    rules += ReplyTemplate.objects.filter(area=area).update(area=into)
    rules += WorkChatHook.objects.filter(area=area).update(area=into)
    rules += VisitRule.objects.unscoped("the visit plans of a place being merged").filter(area=area).update(area=into)
    return {"cases": len(cases), "door_plates": plates, "case_settings": rules}
