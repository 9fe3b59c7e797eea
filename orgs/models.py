import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.models import Area, Resident


class DepartmentKind(models.TextChoices):
    GOVERNMENT = "government", _("职能部门")
    PROPERTY = "property", _("物业公司")
    UTILITY = "utility", _("公用事业单位")


class Department(models.Model):
    """A body that takes cases: 综治, 民政, 城管 … or a property company."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=DepartmentKind.choices, default=DepartmentKind.GOVERNMENT)
    jurisdiction = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("管辖区域"),
        help_text=_("区级部门填区,街道科室或物业公司填其服务范围"),
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["jurisdiction", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    GRID_WORKER = "grid_worker", _("专职网格员")
    GRID_WORKER_PART_TIME = "grid_worker_pt", _("兼职网格员")
    GRID_CHIEF = "grid_chief", _("网格总长")
    GRID_GROUP_LEADER = "grid_group_leader", _("网格工作组组长")
    BUILDING_HEAD = "building_head", _("楼栋长")
    UNIT_HEAD = "unit_head", _("单元长")
    COMMUNITY_STAFF = "community_staff", _("社区工作人员")
    COMMITTEE_MEMBER = "committee_member", _("两委委员")
    STREET_STAFF = "street_staff", _("街道工作人员")
    DEPARTMENT_OFFICER = "department_officer", _("部门工作人员")
    SUNK_STAFF = "sunk_staff", _("下沉人员")
    LEADER = "leader", _("领导")


# Where each role is held: at an area, at a department, or both (下沉人员: a department's
# officer sunk into a grid, seed 002).
AREA_ROLES = {
    Role.GRID_WORKER,
    Role.GRID_WORKER_PART_TIME,
    Role.GRID_CHIEF,
    Role.GRID_GROUP_LEADER,
    Role.BUILDING_HEAD,
    Role.UNIT_HEAD,
    Role.COMMUNITY_STAFF,
    Role.COMMITTEE_MEMBER,
    Role.STREET_STAFF,
    Role.LEADER,
}
DEPARTMENT_ROLES = {Role.DEPARTMENT_OFFICER}
AREA_AND_DEPARTMENT_ROLES = {Role.SUNK_STAFF}


class Slot(models.TextChoices):
    # AB岗 (seed 004): every grid has a primary and a backup holder.
    A = "A", _("A岗")
    B = "B", _("B岗")


class PostQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(end__isnull=True) | Q(end__gte=on), start__lte=on)


class Post(models.Model):
    """Someone holding a role at an area or a department: the single source of a user's scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("账号"),
        help_text=_("楼栋长、单元长等可无账号"),
    )
    holder_name = models.CharField(_("姓名"), max_length=50)
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts", verbose_name=_("对应居民")
    )
    role = models.CharField(_("岗位"), max_length=20, choices=Role.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("区域")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("部门")
    )
    slot = models.CharField(_("AB岗"), max_length=1, choices=Slot.choices, blank=True)
    start = models.DateField(_("任职日期"))
    end = models.DateField(_("离任日期"), null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("岗位任职")
        verbose_name_plural = _("岗位任职")
        ordering = ["area", "role", "slot"]
        indexes = [models.Index(fields=["user", "end"], name="post_user_end")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(AREA_ROLES), area__isnull=False, department__isnull=True)
                    | Q(role__in=sorted(DEPARTMENT_ROLES), area__isnull=True, department__isnull=False)
                    | Q(
                        role__in=sorted(AREA_AND_DEPARTMENT_ROLES),
                        area__isnull=False,
                        department__isnull=False,
                    )
                ),
                name="post_place_matches_role",
                violation_error_message=_("部门工作人员须填部门;下沉人员须同时填部门和网格;其他岗位须填区域"),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="post_dates",
                violation_error_message=_("离任日期不能早于任职日期"),
            ),
        ]

    def __str__(self) -> str:
        place = self.area or self.department
        slot = f"({self.slot})" if self.slot else ""
        return f"{self.holder_name} · {place} · {self.get_role_display()}{slot}"
