"""What an Excel import or export leaves behind: the run with its counts and the outcome of every
row (number, outcome, reason: never the row's personal data), and a record of every export."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ImportKind(models.TextChoices):
    """What a workbook brings in; each kind's columns, checks and writes are in grids.imports.kinds
    (posts and party members registered there by orgs, a floor above)."""

    RESIDENTS = "residents", _("住户和居民")
    BUILDINGS = "buildings", _("楼栋")
    POSTS = "posts", _("岗位")
    MEMBERS = "members", _("党员")
    # Not a workbook: boundaries and building points from a GeoJSON or KML file (grids.geoimport).
    GEOMETRY = "geometry", _("边界和位置点")


class ImportRun(models.Model):
    """One pass over an uploaded workbook: a dry run (nothing kept) or the real run that follows it.

    Kept for its owner only; the uploaded file is removed once the real run is over, or, while
    the real run has refused rows to fix on its page, a little later (grids.imports.fixes)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("导入人"))
    kind = models.CharField(_("导入内容"), max_length=16, choices=ImportKind.choices, default=ImportKind.RESIDENTS)
    file_name = models.CharField(_("文件名"), max_length=200)
    source = models.FileField(_("上传文件"), upload_to="imports/%Y/%m/", blank=True)
    dry_run = models.BooleanField(_("试导入"), default=True)
    # The real run of a dry run: one at most, so a second click on "apply" finds the first.
    checked_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="applied_as", verbose_name=_("试导入")
    )
    all_or_nothing = models.BooleanField(_("有拒绝行时全部不导入"), default=False)
    # The community or street a geometry import is for; an Excel import has none.
    area = models.ForeignKey(
        "grids.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("范围")
    )
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    applied = models.BooleanField(_("已写入"), default=False)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    refused = models.PositiveIntegerField(_("拒绝"), default=0)
    refused_file = models.FileField(_("拒绝行"), upload_to="imports/%Y/%m/", blank=True)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Excel导入")
        verbose_name_plural = _("Excel导入")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-started_at"], name="importrun_owner_recent")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.refused


class RowOutcome(models.TextChoices):
    CREATED = "created", _("新增")
    UPDATED = "updated", _("更新")
    UNCHANGED = "unchanged", _("未变")
    REFUSED = "refused", _("拒绝")


class ImportRow(models.Model):
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("导入"))
    number = models.PositiveIntegerField(_("行号"))
    outcome = models.CharField(_("结果"), max_length=10, choices=RowOutcome.choices)
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    # A geometry import's feature: the code and name it gave (a workbook's row has its number only).
    place = models.CharField(_("地点"), max_length=80, blank=True)
    # A refused row fixed on the run's page (grids.imports.fixes): its outcome is then the fix's, the
    # refusal's reason stays beside it.
    fixed_at = models.DateTimeField(_("手工修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入行")
        verbose_name_plural = _("导入行")
        ordering = ["run", "number"]
        indexes = [models.Index(fields=["run", "outcome", "number"], name="importrow_run_outcome")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.number}"


class PeopleExport(models.Model):
    """Every export of residents: who, when, which area, how many rows, and whether in full."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("导出人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    area = models.ForeignKey("grids.Area", on_delete=models.PROTECT, verbose_name=_("范围"))
    rows = models.PositiveIntegerField(_("行数"), default=0)
    revealed = models.BooleanField(_("完整身份证号和手机号"), default=False)
    reason = models.CharField(_("事由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("居民导出记录")
        verbose_name_plural = _("居民导出记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.area} ({self.at:%Y-%m-%d %H:%M})"
