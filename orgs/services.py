"""Writes to departments and posts."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from orgs.models import Post


@transaction.atomic
def appoint(*, post: Post) -> Post:
    """Put someone in a post (an unsaved Post with its fields set)."""
    if post.user_id and not post.holder_name:
        post.holder_name = post.user.get_full_name() or post.user.get_username()
    post.full_clean()
    if post.slot and post.area_id:
        clash = (
            Post.objects.active(post.start).filter(area=post.area, role=post.role, slot=post.slot).exclude(pk=post.pk)
        )
        if clash.exists():
            raise ValidationError({"slot": [_("该区域此岗位的%(slot)s已有人在岗") % {"slot": post.get_slot_display()}]})
    post.save()
    return post


@transaction.atomic
def end_post(*, post: Post, end: datetime.date) -> Post:
    if end < post.start:
        raise ValidationError({"end": [_("离任日期不能早于任职日期")]})
    post.end = end
    post.save(update_fields=["end"])
    return post
