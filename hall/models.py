"""一站式便民服务大厅 (seed 004): the service catalogue the community's management service station
offers at its windows, and each service request a resident brings (at a window, or through the
building's QR plate), handled by a station staff member within the item's time limit in working
days (限时办结) and ended with a result: done, or refused with the reason.

The catalogue (categories and items) is the same for every station and is configuration, kept in
Django admin; the windows are each station's own (一站: 党员服务、公共服务、社会服务、社会治理窗口)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from core.scoping import ScopedQuerySet
from grids.models import Area, AreaKind, Household


class WindowKind(models.TextChoices):
    """The station's four windows (seed 004: 社区管理服务站下设四个窗口)."""

    PARTY = "party", _("党员服务窗口")
    PUBLIC = "public", _("公共服务窗口")
    SOCIAL = "social", _("社会服务窗口")
    GOVERNANCE = "governance", _("社会治理窗口")


class ServiceCategory(models.Model):
    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="items", verbose_name=_("服务类别")
    )
    code = models.SlugField(_("编码"), max_length=60, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    documents = models.TextField(_("所需材料"), blank=True)
    limit_days = models.PositiveSmallIntegerField(
        _("办理时限(工作日)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    window = models.CharField(_("受理窗口"), max_length=16, choices=WindowKind.choices)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在办"), default=True)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["category__position", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(limit_days__gte=1, limit_days__lte=60),
                name="serviceitem_limit_range",
                violation_error_message=_("办理时限须在1至60个工作日之间"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    """One window of a community's station, staffed by its people (坐岗)."""

    community = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="service_windows",
        limit_choices_to={"kind": AreaKind.COMMUNITY},
        verbose_name=_("社区"),
    )
    kind = models.CharField(_("窗口类型"), max_length=16, choices=WindowKind.choices)
    name = models.CharField(_("窗口名称"), max_length=60)
    active = models.BooleanField(_("开放"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务窗口")
        verbose_name_plural = _("服务窗口")
        ordering = ["community__tree_id", "community__lft", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["community", "kind"], name="window_one_kind_per_station"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("community__")


class Source(models.TextChoices):
    WINDOW = "window", _("窗口受理")
    QR = "qr", _("扫码申请")
    API = "api", _("系统接入")
    # 网格员代办: the grid worker takes the request on the doorstep and carries it to the station.
    PROXY = "proxy", _("网格员代办")


class Status(models.TextChoices):
    RECEIVED = "received", _("待分办")
    ASSIGNED = "assigned", _("办理中")
    DONE = "done", _("已办结")
    REFUSED = "refused", _("不予办理")


OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED)
FINISHED_STATUSES = (Status.DONE, Status.REFUSED)


class ServiceRequest(models.Model):
    """办件: one resident's request for one item at one community's station."""

    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="requests", verbose_name=_("服务事项"))
    community = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="service_requests",
        limit_choices_to={"kind": AreaKind.COMMUNITY},
        verbose_name=_("社区"),
    )
    building = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": AreaKind.BUILDING},
        verbose_name=_("楼栋"),
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("住户")
    )
    window = models.ForeignKey(
        Window, on_delete=models.PROTECT, null=True, blank=True, related_name="requests", verbose_name=_("窗口")
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    applicant_name = models.CharField(_("申请人"), max_length=40)
    applicant_phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, null=True)
    note = models.TextField(_("诉求说明"), blank=True)
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受理人"),
        help_text=_("为空表示居民扫码申请"),
    )
    due_at = models.DateTimeField(_("办结时限"))
    # The deadline reaches into a year whose holidays are not announced yet (core.workdays).
    due_provisional = models.BooleanField(_("时限待定"), default=False)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("经办人"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    result = models.TextField(_("办理结果"), blank=True)
    finished_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # The QR form's (and the API's) key: the same submission sent twice makes one request.
    submission_key = models.UUIDField(null=True, blank=True, editable=False, unique=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("便民服务办件")
        verbose_name_plural = _("便民服务办件")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "due_at"], name="servicerequest_open_due"),
            models.Index(fields=["handler", "finished_at"], name="servicerequest_handled"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FINISHED_STATUSES, finished_at__isnull=False)
                | Q(status__in=OPEN_STATUSES, finished_at__isnull=True),
                name="servicerequest_finished_when_ended",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REFUSED) | ~Q(result=""),
                name="servicerequest_refusal_has_reason",
                violation_error_message=_("不予办理须说明理由"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.applicant_name}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        """The station's staff see their community's requests; a grid worker those of their buildings."""
        return scope.area_q("community__") | scope.area_q("building__")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, now=None) -> bool:
        """Past its deadline and still open, or finished after it: computed on every read."""
        if self.finished_at is not None:
            return self.finished_at > self.due_at
        return (now or timezone.now()) > self.due_at
