"""A case, its append-only events and photos, its counters, alerts and door plates."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from cases.models.config import (
    AWAITING_DISPATCH,
    AWAITING_RESPONSE,
    OPEN,
    WORKING,
    Category,
    Colour,
    Importance,
    Level,
    RatedVia,
    Rating,
    Source,
    Status,
    Urgency,
)
from core.scoping import ScopedQuerySet
from grids.models import Area, AreaKind
from orgs.models import Department

_COLUMN_OF_KIND = {
    AreaKind.DISTRICT: "district",
    AreaKind.COUNTY: "district",
    AreaKind.COUNTY_CITY: "district",
    AreaKind.STREET: "street",
    AreaKind.TOWN: "street",
    AreaKind.COMMUNITY: "community",
    AreaKind.GRID: "grid",
}


# 部门待办: what a department holds, and the deadline each is running against (signing for a
# dispatched case, resolving once signed): the inbox lists the most urgent first.
INBOX = frozenset({Status.DISPATCHED, Status.IN_PROGRESS})
INBOX_DUE = models.Case(models.When(status=Status.DISPATCHED, then=F("response_due")), default=F("resolution_due"))
# The deadline any case runs against now, as `Case.current_due` computes it; a case without a clock
# sorts after every one with a clock, so "time left" lists put the overdue first and the ended last.
NO_CLOCK = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)
CURRENT_DUE = Coalesce(
    models.Case(
        models.When(status__in=sorted(AWAITING_RESPONSE), then=F("response_due")),
        models.When(status__in=sorted(AWAITING_DISPATCH), then=F("dispatch_due")),
        models.When(status__in=sorted(WORKING), then=F("resolution_due")),
        default=None,
        output_field=models.DateTimeField(),
    ),
    models.Value(NO_CLOCK),
)


def case_column(area: Area) -> str | None:
    """The case's column an area of this kind is copied to ("district", "street", "community" or
    "grid"); None for a place below a grid."""
    return _COLUMN_OF_KIND.get(area.kind)


def area_case_q(area: Area) -> Q:
    """Cases located in the area, through the case's own column for the area's kind where it has one."""
    column = case_column(area)
    if column:
        return Q(**{column: area})
    return Q(area__tree_id=area.tree_id, area__lft__gte=area.lft, area__lft__lte=area.rght)


def _scope_q(scope) -> Q:
    if scope.unrestricted:
        return Q()
    q = Q(pk__in=[])
    for area in scope.areas:
        q |= area_case_q(area)
    if scope.department_ids:
        ids = sorted(scope.department_ids)
        q |= Q(department_id__in=ids) | Q(
            pk__in=Case.assisting.through.objects.filter(department_id__in=ids).values("case_id")
        )
    return q


class Case(models.Model):
    number = models.CharField(_("案件编号"), max_length=32, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("类别"))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="cases", verbose_name=_("地点"), help_text=_("楼栋或区域")
    )
    # Where the case is, copied from `area` by the service so that every list filters on one
    # indexed column instead of walking the area tree. These, the department and the reporter
    # lead composite indexes (Meta), which serve their lookups too: an index of their own would
    # be one more for every write of a case to keep.
    district = models.ForeignKey(
        Area, on_delete=models.PROTECT, db_index=False, related_name="+", verbose_name=_("区县")
    )
    street = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="+", verbose_name=_("街道")
    )
    community = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="+", verbose_name=_("社区")
    )
    grid = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, db_index=False, related_name="+", verbose_name=_("网格")
    )
    location_note = models.CharField(_("具体位置"), max_length=120, blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    description = models.TextField(_("问题描述"), max_length=2000)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="reported_cases",
        verbose_name=_("上报人"),
    )
    reporter_phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, null=True)
    importance = models.CharField(_("重要程度"), max_length=8, choices=Importance.choices)
    urgency = models.CharField(_("紧急程度"), max_length=8, choices=Urgency.choices)
    colour = models.CharField(_("颜色"), max_length=8, choices=Colour.choices)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, default=Level.COMMUNITY)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    last_action = models.CharField(_("最近操作"), max_length=20, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="lead_cases",
        verbose_name=_("主办部门"),
    )
    assisting = models.ManyToManyField(
        Department, blank=True, related_name="assisting_cases", verbose_name=_("协办部门")
    )
    response_due = models.DateTimeField(_("响应期限"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("办结期限"), null=True, blank=True)
    dispatch_due = models.DateTimeField(_("派遣期限"), null=True, blank=True)
    response_remind_at = models.DateTimeField(null=True, blank=True, editable=False)
    dispatch_remind_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_remind_at = models.DateTimeField(null=True, blank=True, editable=False)
    due_provisional = models.BooleanField(
        _("期限待定"), default=False, help_text=_("期限落在尚未公布放假安排的年份,按法定节假日暂算")
    )
    extension_days = models.PositiveSmallIntegerField(_("申请延期(工作日)"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=300, blank=True)
    supervised = models.BooleanField(_("督办"), default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name=_("合并到")
    )
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    verifications = models.PositiveSmallIntegerField(_("核查次数"), default=0)
    reworks = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    reopened = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rated_via = models.CharField(_("评价方式"), max_length=8, choices=RatedVia.choices, blank=True)
    # For the resident: follows the case without a log-in; never the case's id.
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    # A resubmitted form carries the same key and gets the same case back: the key is the
    # reporter's own, so someone else sending it gets a case of their own, never this one.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)
    # The referring system's own number for the case (the 12345 platform's 工单号): one case per
    # reference and source, so a referral sent again is the case it made the first time.
    external_ref = models.CharField(_("外部编号"), max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("上报时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "submission_key"], name="case_one_per_reporter_key"),
            # Residents have no account: their keys are unique among themselves.
            models.UniqueConstraint(
                fields=["submission_key"], condition=Q(reporter__isnull=True), name="case_one_per_resident_key"
            ),
            models.UniqueConstraint(
                fields=["source", "external_ref"], condition=~Q(external_ref=""), name="case_one_per_external_ref"
            ),
        ]
        indexes = [
            models.Index(fields=["district", "status", "-created_at"], name="case_district_status"),
            models.Index(fields=["street", "status", "-created_at"], name="case_street_status"),
            models.Index(fields=["community", "status", "-created_at"], name="case_community_status"),
            models.Index(fields=["grid", "status", "-created_at"], name="case_grid_status"),
            models.Index(fields=["department", "status", "-created_at"], name="case_department_status"),
            models.Index(fields=["district", "-created_at"], name="case_district_created"),
            models.Index(fields=["community", "-created_at"], name="case_community_created"),
            models.Index(fields=["street", "-created_at"], name="case_street_created"),
            models.Index(fields=["grid", "-created_at"], name="case_grid_created"),
            models.Index(fields=["department", "-created_at"], name="case_department_created"),
            # The yearly evaluation counts each worker's reports in a year by status and category
            # tree: carrying both lets the count read the index alone.
            models.Index(
                fields=["reporter", "created_at"], include=["status", "category"], name="case_reporter_created"
            ),
            # The QR page's per-building ceiling counts a building's recent anonymous reports.
            models.Index(
                fields=["area", "created_at"], condition=Q(source=Source.RESIDENT_QR), name="case_resident_area"
            ),
            # The dashboard's closed-per-day: only closed cases, by the scope's column, in closing order.
            models.Index(
                fields=["district", "closed_at"], condition=Q(status=Status.CLOSED), name="case_district_closed"
            ),
            models.Index(fields=["street", "closed_at"], condition=Q(status=Status.CLOSED), name="case_street_closed"),
            models.Index(
                fields=["community", "closed_at"], condition=Q(status=Status.CLOSED), name="case_community_closed"
            ),
            # A district's open cases with what its leader's figures count of them: the workbench's
            # open, overdue and red, the dashboard's overdue by department and the map's open cases
            # per grid read this index alone (an index-only scan) instead of one heap page per case.
            models.Index(
                fields=["district"],
                include=[
                    "id",
                    "status",
                    "colour",
                    "department",
                    "grid",
                    "response_due",
                    "dispatch_due",
                    "resolution_due",
                ],
                condition=Q(status__in=sorted(OPEN)),
                name="case_district_open",
            ),
            # A department's inbox, most urgent deadline first: the index is the page's ORDER BY.
            models.Index(
                F("department"),
                INBOX_DUE,
                F("id"),
                condition=Q(status__in=sorted(INBOX)),
                name="case_department_inbox",
            ),
            # The sweep's query: only cases with a clock running are indexed.
            models.Index(
                fields=["response_remind_at"],
                condition=Q(status__in=sorted(AWAITING_RESPONSE)),
                name="case_response_remind",
            ),
            models.Index(
                fields=["dispatch_remind_at"],
                condition=Q(status__in=sorted(AWAITING_DISPATCH)),
                name="case_dispatch_remind",
            ),
            models.Index(
                fields=["resolution_remind_at"],
                condition=Q(status__in=sorted(WORKING)),
                name="case_resolution_remind",
            ),
            # The district's workbench counts its escalated and extension queues: without these the
            # planner reads the district's whole open backlog to find the few cases in them.
            models.Index(
                fields=["district", "level"],
                condition=Q(last_action="escalate", status__in=sorted(OPEN)),  # Action.ESCALATE, defined below
                name="case_district_escalated",
            ),
            models.Index(
                fields=["district"],
                condition=Q(status=Status.IN_PROGRESS, extension_days__isnull=False),
                name="case_district_extension",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def in_scope(cls, scope) -> Q:
        """By place (the case's district, street, community or grid column) or by department, lead or assisting."""
        return _scope_q(scope)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def overdue_at(self, now=None) -> bool:
        """Computed on every read from the deadlines; no job has to have run."""
        now = now or timezone.now()
        if self.status in AWAITING_RESPONSE and self.response_due and now > self.response_due:
            return True
        if self.status in AWAITING_DISPATCH and self.dispatch_due and now > self.dispatch_due:
            return True
        return self.status in WORKING and bool(self.resolution_due) and now > self.resolution_due

    @property
    def is_overdue(self) -> bool:
        return self.overdue_at()

    @property
    def current_due(self):
        """The deadline the case is running against now."""
        if self.status in (Status.REPORTED, Status.DISPATCHED):
            return self.response_due
        if self.status in AWAITING_DISPATCH:
            return self.dispatch_due
        if self.status in WORKING:
            return self.resolution_due
        return None


class Action(models.TextChoices):
    REPORT = "report", _("上报")
    ACCEPT = "accept", _("受理")
    REJECT = "reject", _("不予受理")
    MERGE = "merge", _("合并重复")
    WHISTLE = "whistle", _("吹哨")
    DISPATCH = "dispatch", _("派遣")
    SIGN = "sign", _("报到签收")
    RETURN = "return", _("退回")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("同意延期")
    REFUSE_EXTENSION = "refuse_extension", _("不同意延期")
    RESOLVE = "resolve", _("处置反馈")
    VERIFY_PASS = "verify_pass", _("核查通过")
    VERIFY_REWORK = "verify_rework", _("核查返工")
    RATE = "rate", _("评价")
    CALLBACK = "callback", _("回访评价")
    REOPEN = "reopen", _("重新办理")
    ESCALATE = "escalate", _("升级")
    CORRECT = "correct", _("调整等级")
    REMIND = "remind", _("临期提醒")
    OVERDUE = "overdue", _("超期")
    SUPERVISE = "supervise", _("督办")
    RELOCATE = "relocate", _("区域合并")  # its place was merged into a neighbour (grids.merging)


class CaseEvent(models.Model):
    """One step of a case. Written once by a service, never changed or removed."""

    # The case and the actor lead the indexes below, which serve their lookups too.
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, db_index=False, related_name="events", verbose_name=_("案件")
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("为空表示居民或系统"),
    )
    actor_role = models.CharField(_("身份"), max_length=24)
    # The post the actor took the step in: its place (网格员 of grid A) or its department (部门 Y).
    actor_area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("身份所在区域")
    )
    actor_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("身份所在部门")
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    from_status = models.CharField(_("原状态"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=Status.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("部门")
    )
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("案件记录")
        verbose_name_plural = _("案件记录")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="caseevent_case_at"),
            # The yearly evaluation counts each worker's steps of one kind in a year (核查通过).
            models.Index(fields=["actor", "action", "at"], name="caseevent_actor_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("案件记录只能追加,不能修改"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("案件记录只能追加,不能删除"))


class PhotoStage(models.TextChoices):
    REPORT = "report", _("上报照片")
    AFTER = "after", _("处置后照片")
    VERIFY = "verify", _("核查照片")


def _photo_path(photo: "CasePhoto", filename: str) -> str:
    return f"cases/{photo.case.created_at:%Y/%m}/{photo.case.number}-{filename}"


class CasePhoto(models.Model):
    """A photo, re-encoded on upload (no EXIF, no GPS); served only through the case's scope."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="photos", verbose_name=_("案件"))
    event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, related_name="photos", verbose_name=_("记录"))
    stage = models.CharField(_("阶段"), max_length=8, choices=PhotoStage.choices)
    image = models.FileField(_("照片"), upload_to=_photo_path)
    width = models.PositiveIntegerField(_("宽度"))
    height = models.PositiveIntegerField(_("高度"))

    class Meta:
        verbose_name = _("案件照片")
        verbose_name_plural = _("案件照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_stage_display()}"


class CaseCounter(models.Model):
    """The last sequence number given out in a district on a day; one row lock per number."""

    district = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+", verbose_name=_("区县"))
    day = models.DateField(_("日期"))
    last = models.PositiveIntegerField(_("当日已用编号"), default=0)

    class Meta:
        verbose_name = _("案件编号计数")
        verbose_name_plural = _("案件编号计数")
        constraints = [models.UniqueConstraint(fields=["district", "day"], name="casecounter_one_per_day")]

    def __str__(self) -> str:
        return f"{self.district} {self.day} {self.last}"


class CaseDayCount(models.Model):
    """The dashboard's figures of one street on one local day (of a district, for its cases in no
    street), kept by cases.rollup inside every write that changes them: the cases reported that
    day by colour and status, those of them neither rejected nor merged by category, and the cases
    closed that day. A leader's period is the sum of its streets' days, not a count of its cases."""

    # The street, or the district for the cases it holds in no street. The unique constraint below
    # leads with it and is its index.
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("街道或区县")
    )
    district = models.ForeignKey(
        Area, on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("区县")
    )
    day = models.DateField(_("日期"))
    # {"colour:status": cases reported that day}
    reported = models.JSONField(_("当日上报"), default=dict)
    # {"category id": cases reported that day, neither rejected nor merged}
    categories = models.JSONField(_("当日上报(按类别)"), default=dict)
    closed = models.PositiveIntegerField(_("当日办结"), default=0)

    class Meta:
        verbose_name = _("案件日统计")
        verbose_name_plural = _("案件日统计")
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="casedaycount_one_per_day")]
        indexes = [models.Index(fields=["district", "day"], name="casedaycount_district_day")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.day}"


class AlertKind(models.TextChoices):
    REMINDER = "reminder", _("临期提醒")
    OVERDUE = "overdue", _("超期")
    SUPERVISION = "supervision", _("督办")


class CaseAlert(models.Model):
    """What the sweep has already done for one deadline of a case: at most once each."""

    # The unique constraint below leads with the case: it is the case's index.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, db_index=False, related_name="alerts", verbose_name=_("案件")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=AlertKind.choices)
    due = models.DateTimeField(_("期限"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限提醒")
        verbose_name_plural = _("期限提醒")
        constraints = [models.UniqueConstraint(fields=["case", "kind", "due"], name="casealert_once_per_deadline")]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.due}"


class DoorPlate(models.Model):
    """扫码上报 (seed 003): a building's QR door plate, found by an unguessable token."""

    building = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="door_plate", verbose_name=_("楼栋"))
    token = models.CharField(_("令牌"), max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("二维码门牌")
        verbose_name_plural = _("二维码门牌")

    def __str__(self) -> str:
        return str(self.building)
