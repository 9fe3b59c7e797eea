"""评议 rounds opened and reported on by the community's staff, ballots cast by households, and
training recorded: every write of the room, each authorised, audited and all-or-nothing.

A household reaches its ballot two ways. A one-time link: the staff print one per household, a
token signed for (round, household), spent by the ballot it casts (the ballot's unique constraint
is what makes it one-time, so a copied link is refused like a second ballot). Or the building's QR
plate: the household picks its unit and room and proves it lives there with the last six
characters of the 公民身份号码 of someone living in it — what the household card already holds,
what a neighbour reading the plate does not know, and never stored or shown by this room; the
tries are counted per plate and address like the plate's reports."""

import datetime
from collections.abc import Iterable, Mapping

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import Answer, Evaluation, EvaluationRound, Training
from appraisal.selectors import evaluable_posts
from cases.models import Rating
from cases.services.recording import required_text
from core import audit
from core.capabilities import Capability
from core.scope import SYSTEM, scope_for
from core.scoping import full_clean
from grids.models import Area, AreaKind, Household
from orgs.capabilities import GRID_WORKERS
from orgs.models import Post

LINK_SALT = "appraisal.evaluation-link"
ALREADY = _("本户已参加过本轮评议,每户只能评议一次")


def _require_keeper(actor, area: Area, message: str) -> str:
    capacity = scope_for(actor).capacity(Capability.MANAGE_COMMUNITY, at=area)
    if capacity is None:
        raise PermissionDenied(message)
    return capacity


@transaction.atomic
def open_round(
    *,
    actor,
    community: Area,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    opens_on: datetime.date,
    closes_on: datetime.date,
    evaluated: Iterable[Post],
) -> EvaluationRound:
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationError({"community": [_("评议须在社区开展")]})
    capacity = _require_keeper(actor, community, _("您的岗位不能组织这个社区的评议"))
    people = list(evaluated)
    if not people:
        raise ValidationError({"evaluated": [_("请选择被评议人员")]})
    allowed = set(evaluable_posts(community, opens_on).values_list("pk", flat=True))
    if not {p.pk for p in people} <= allowed:
        raise ValidationError({"evaluated": [_("被评议人员须为本社区服务站工作人员或网格员")]})
    round = EvaluationRound(
        community=community,
        title=required_text(title, _("请填写评议名称")),
        period_start=period_start,
        period_end=period_end,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    full_clean(round, exclude=["community"])
    round.save()
    round.evaluated.set(people)
    audit.record(
        actor=actor,
        action="evaluation_round.open",
        target=round,
        fields=["community", "title", "period_start", "period_end", "opens_on", "closes_on", "evaluated"],
        capacity=capacity,
    )
    return round


@transaction.atomic
def publish_report(*, actor, round: EvaluationRound, work: str, finances: str, suggestions: str) -> EvaluationRound:
    """三报告: the station's yearly work, its finances and what it did with residents' suggestions,
    public from now on (published again, the page shows the new text)."""
    capacity = _require_keeper(actor, round.community, _("您的岗位不能发布这个社区的报告"))
    round.report_work = required_text(work, _("请填写年度工作报告"))
    round.report_finances = required_text(finances, _("请填写财务收支报告"))
    round.report_suggestions = required_text(suggestions, _("请填写居民意见办理情况"))
    round.report_published_at = timezone.now()
    round.save(update_fields=["report_work", "report_finances", "report_suggestions", "report_published_at"])
    audit.record(
        actor=actor,
        action="evaluation_round.report",
        target=round,
        fields=["report_work", "report_finances", "report_suggestions"],
        capacity=capacity,
    )
    return round


def household_link_token(round: EvaluationRound, household: Household) -> str:
    return signing.dumps([round.pk, household.pk], salt=LINK_SALT, compress=True)


def read_link_token(token: str) -> tuple[int, int] | None:
    try:
        round_id, household_id = signing.loads(token, salt=LINK_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return int(round_id), int(household_id)


def household_proved(household: Household, id_tail: str) -> bool:
    """The QR path's check: the last six characters of a living resident's 公民身份号码."""
    tail = id_tail.strip().upper()
    if len(tail) != 6:
        return False
    living = household.residents.living()
    return any((r.citizen_id or "").upper().endswith(tail) for r in living)


@transaction.atomic
def cast_ballot(*, round: EvaluationRound, household: Household, via: str, ratings: Mapping[int, str]) -> Evaluation:
    """A household's evaluation: a rating for every person the round names, one ballot per
    household per round (the database's constraint decides between two sent at once)."""
    today = timezone.localdate()
    if not round.opens_on <= today <= round.closes_on:
        raise ValidationError(_("本轮评议不在评议时间内"), code="closed")
    if household.building.tree_id != round.community.tree_id or not (
        round.community.lft <= household.building.lft <= round.community.rght
    ):
        raise ValidationError(_("该住户不在本社区"), code="outside")
    people = {p.pk for p in round.evaluated.all()}
    if set(ratings) != people:
        raise ValidationError(_("请对每位被评议人员作出评价"), code="incomplete")
    if any(r not in Rating.values for r in ratings.values()):
        raise ValidationError(_("无效的评价"), code="invalid")
    ballot = Evaluation(round=round, household=household, via=via)
    try:
        with transaction.atomic():
            ballot.save()
    except IntegrityError:
        raise ValidationError(ALREADY, code="already") from None
    # The answers hold the round, the person and the rating: no household, no time.
    Answer.objects.bulk_create(Answer(round=round, post_id=pk, rating=r) for pk, r in sorted(ratings.items()))
    audit.record(actor=None, action="evaluation.cast", target=round, fields=["ballots"], capacity=via)
    return ballot


def may_record_training(scope, grid: Area) -> bool:
    return scope.capacity(Capability.MANAGE_COMMUNITY, at=grid) is not None


@transaction.atomic
def record_training(*, actor, worker_post: Post, held_on: datetime.date, topic: str, hours) -> Training:
    """A session a grid worker attended, recorded at their grid by the community's staff."""
    if worker_post.role not in GRID_WORKERS or worker_post.user_id is None or worker_post.area_id is None:
        raise ValidationError({"worker_post": [_("请选择有账号的网格员")]})
    capacity = _require_keeper(actor, worker_post.area, _("您的岗位不能登记这个网格员的培训"))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": [_("培训日期不能晚于今天")]})
    training = Training(
        worker_id=worker_post.user_id,
        grid=worker_post.area,
        held_on=held_on,
        topic=required_text(topic, _("请填写培训主题")),
        hours=hours,
        recorded_by=None if actor is SYSTEM else actor,
        recorded_role=capacity,
    )
    full_clean(training, exclude=["worker", "grid", "recorded_by"])
    training.save()
    audit.record(
        actor=actor,
        action="training.record",
        target=training,
        fields=["worker", "grid", "held_on", "topic", "hours"],
        capacity=capacity,
    )
    return training
