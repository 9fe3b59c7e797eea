import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey

from core import identity
from core.bilingual import localized
from core.scoping import ScopedQuerySet, ScopedTreeManager


class City(models.Model):
    """A prefecture-level city 市: the fiscal partner of its districts, not a node of their trees."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("区划代码"), max_length=12, unique=True)

    class Meta:
        verbose_name = _("城市")
        verbose_name_plural = _("城市")

    def __str__(self) -> str:
        return self.name


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("市辖区")
    COUNTY = "county", _("县")
    COUNTY_CITY = "county_city", _("县级市")
    STREET = "street", _("街道")
    TOWN = "town", _("镇")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")
    COMPOUND = "compound", _("小区")
    BUILDING = "building", _("楼栋")


ROOT_KINDS = {AreaKind.DISTRICT, AreaKind.COUNTY, AreaKind.COUNTY_CITY}
# Which kinds may sit directly under which: the grid chain of seed 002 and 004.
PARENT_KINDS = {
    AreaKind.STREET: ROOT_KINDS,
    AreaKind.TOWN: ROOT_KINDS,
    AreaKind.COMMUNITY: {AreaKind.STREET, AreaKind.TOWN},
    AreaKind.GRID: {AreaKind.COMMUNITY},
    AreaKind.COMPOUND: {AreaKind.GRID},
    AreaKind.BUILDING: {AreaKind.GRID, AreaKind.COMPOUND},
}


class FiscalClass(models.TextChoices):
    # 市辖区 share costs with the city; 县 and 县级市 (两县一市) pay in full (seed 000).
    CITY_DISTRICT = "city_district", _("市辖区")
    COUNTY = "county", _("县(市)")


class Area(MPTTModel):
    """A place in one district's tree: district/county → street → community → grid → building."""

    kind = models.CharField(_("类型"), max_length=16, choices=AreaKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    # Statistical division code down to the community (12 digits); grid (2 digits), compound
    # (2 digits) and building (3 digits) numbers are appended to the parent's code.
    code = models.CharField(_("编码"), max_length=24, unique=True)
    parent = TreeForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级")
    )
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
        verbose_name=_("所属城市"),
        help_text=_("仅区、县、县级市填写"),
    )
    # Bounds of its own, not the database's integer range: the same on SQLite and PostgreSQL
    # (and so in the committed API schema).
    declared_households = models.PositiveIntegerField(
        _("申报户数"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(200_000)],
        help_text=_("官方统计户数,经费测算以此为准;仅社区填写"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    units = models.PositiveSmallIntegerField(
        _("单元数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("仅楼栋填写"),
    )
    floors = models.PositiveSmallIntegerField(
        _("层数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("仅楼栋填写"),
    )

    objects = ScopedTreeManager()
    # django-mptt's own walks and writes start from a node in hand (see core.scoping).
    tree = TreeManager()

    class MPTTMeta:
        order_insertion_by = ["code"]

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        # django-mptt declares its tree index outside migrations (its issue #682); without this
        # one every subtree filter scans the table.
        indexes = [models.Index(fields=["tree_id", "lft"], name="area_tree_lft")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="community") | Q(declared_households__isnull=True),
                name="area_declared_households_only_on_community",
                violation_error_message=_("只有社区填写申报户数"),
            ),
            models.CheckConstraint(
                condition=Q(kind="building") | Q(units__isnull=True, floors__isnull=True),
                name="area_units_floors_only_on_building",
                violation_error_message=_("只有楼栋填写单元数和层数"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=sorted(ROOT_KINDS)) | Q(city__isnull=True),
                name="area_city_only_on_root",
                violation_error_message=_("只有区、县、县级市填写所属城市"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q()

    # The subtree's counts, on an area read through grids.selectors.with_counts (one subquery gives
    # all three as `counts`; None where no building lies under the area).
    @property
    def household_count(self) -> int:
        return (self.counts or {}).get("households", 0)

    @property
    def resident_count(self) -> int:
        return (self.counts or {}).get("residents", 0)

    @property
    def key_group_count(self) -> int:
        return (self.counts or {}).get("key_group_residents", 0)

    @property
    def fiscal_class(self) -> FiscalClass:
        root_kind = self.kind if self.is_root_node() else self.get_root().kind
        return FiscalClass.CITY_DISTRICT if root_kind == AreaKind.DISTRICT else FiscalClass.COUNTY


class PlaceCounts(models.Model):
    """What the area tree shows of a place (BuildingCount, CommunityCount), kept by grids.rollup."""

    households = models.PositiveIntegerField(_("户数"), default=0)
    residents = models.PositiveIntegerField(_("在住人数"), default=0)
    # Living residents with an active tag of a group that is not sensitive, as the lists show them.
    key_group_residents = models.PositiveIntegerField(_("重点人群人数"), default=0)
    # Households by Occupancy, one field a value (`households_<value>`): the workbench's panel.
    households_owner = models.PositiveIntegerField(_("自住户数"), default=0)
    households_rented = models.PositiveIntegerField(_("出租户数"), default=0)
    households_vacant = models.PositiveIntegerField(_("空置户数"), default=0)

    class Meta:
        abstract = True


class BuildingCount(PlaceCounts):
    """What the area tree shows of one building, kept by grids.rollup.recount_buildings inside every
    write that changes it; an area's counts are the sum over the buildings of its subtree. Its own
    table: Area rows are locked by every tree write, and one row per building keeps writers apart."""

    building = models.OneToOneField(
        Area, on_delete=models.CASCADE, primary_key=True, related_name="rollup", verbose_name=_("楼栋")
    )

    class Meta:
        verbose_name = _("楼栋统计")
        verbose_name_plural = _("楼栋统计")

    def __str__(self) -> str:
        return f"{self.building_id}: {self.households}/{self.residents}/{self.key_group_residents}"


class BuildingGroupCount(models.Model):
    """Living residents of one building in one key group that is not sensitive, kept with its
    BuildingCount by grids.rollup.recount_buildings: the workbench's breakdown by group is a sum
    over the buildings of the scope, not a distinct count over its residents."""

    building = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="group_counts", verbose_name=_("楼栋"))
    group = models.ForeignKey("KeyGroup", on_delete=models.CASCADE, related_name="+", verbose_name=_("重点人群"))
    residents = models.PositiveIntegerField(_("人数"), default=0)

    class Meta:
        verbose_name = _("楼栋重点人群统计")
        verbose_name_plural = _("楼栋重点人群统计")
        constraints = [models.UniqueConstraint(fields=["building", "group"], name="building_group_count_once")]

    def __str__(self) -> str:
        return f"{self.building_id}/{self.group_id}: {self.residents}"


class CommunityCount(PlaceCounts):
    """A community's BuildingCount rows summed, counted again with them (grids.rollup): a street's,
    a district's or the city's counts add up a row per community, not one per building (a
    district has about 100 communities and 8,000 buildings)."""

    community = models.OneToOneField(
        Area, on_delete=models.CASCADE, primary_key=True, related_name="community_rollup", verbose_name=_("社区")
    )

    class Meta:
        verbose_name = _("社区统计")
        verbose_name_plural = _("社区统计")

    def __str__(self) -> str:
        return f"{self.community_id}: {self.households}/{self.residents}/{self.key_group_residents}"


class CommunityGroupCount(models.Model):
    """A community's BuildingGroupCount rows of one key group summed, kept with its CommunityCount."""

    community = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="community_group_counts", verbose_name=_("社区")
    )
    group = models.ForeignKey("KeyGroup", on_delete=models.CASCADE, related_name="+", verbose_name=_("重点人群"))
    residents = models.PositiveIntegerField(_("人数"), default=0)

    class Meta:
        verbose_name = _("社区重点人群统计")
        verbose_name_plural = _("社区重点人群统计")
        constraints = [models.UniqueConstraint(fields=["community", "group"], name="community_group_count_once")]

    def __str__(self) -> str:
        return f"{self.community_id}/{self.group_id}: {self.residents}"


class Occupancy(models.TextChoices):
    OWNER = "owner", _("自住")
    RENTED = "rented", _("出租")
    VACANT = "vacant", _("空置")


class Household(models.Model):
    """A dwelling on a building and the 四清 card kept on it (seed 004)."""

    building = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"kind": AreaKind.BUILDING},
        verbose_name=_("楼栋"),
    )
    unit = models.CharField(_("单元"), max_length=10, blank=True)
    floor = models.SmallIntegerField(_("楼层"), validators=[MinValueValidator(-10), MaxValueValidator(200)])
    room = models.CharField(_("房号"), max_length=10)
    occupancy = models.CharField(_("居住状态"), max_length=10, choices=Occupancy.choices, default=Occupancy.OWNER)
    # 四清: 家庭情况清, 人员类别清 (from the residents' tags), 区域设施清, 隐患矛盾清
    family_situation = models.TextField(_("家庭情况"), blank=True)
    facilities = models.TextField(_("设施情况"), blank=True, help_text=_("燃气、电梯、消防器材、无障碍设施等"))
    hazards = models.TextField(_("安全隐患"), blank=True)
    conflicts = models.TextField(_("矛盾纠纷"), blank=True)
    last_visited = models.DateField(_("最近走访"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        ordering = ["building", "unit", "floor", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "unit", "room"],
                name="household_unique_room",
                violation_error_message=_("该楼栋已登记此单元房号"),
            ),
        ]

    def __str__(self) -> str:
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{self.building.name}{unit}{self.room}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("building__")

    def clean(self) -> None:
        if self.building_id and self.building.kind != AreaKind.BUILDING:
            raise ValidationError({"building": _("住户只能登记在楼栋下")}, code="not_a_building")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class ResidenceStatus(models.TextChoices):
    REGISTERED = "registered", _("户籍人口")
    RESIDENT = "resident", _("常住非户籍")
    FLOATING = "floating", _("流动人口")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDPARENT = "grandparent", _("(外)祖父母")
    GRANDCHILD = "grandchild", _("(外)孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    TENANT = "tenant", _("租户")
    OTHER = "other", _("其他")


class ResidentEnd(models.TextChoices):
    MOVED_OUT = "moved_out", _("迁出")
    DIED = "died", _("死亡")
    DEPARTED = "departed", _("离开")


class ResidentQuerySet(ScopedQuerySet):
    def living(self):
        """Who lives in the household today: the card's "N口之家" counts these."""
        return self.filter(ended_on__isnull=True)


class Resident(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="residents", verbose_name=_("住户"))
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    # Encrypted at rest; found by exact match through the keyed hash beside it.
    citizen_id = EncryptedCharField(_("公民身份号码"), max_length=18)
    citizen_id_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The encrypted field stores an empty value as NULL.
    phone = EncryptedCharField(_("手机号"), max_length=20, blank=True, null=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    residence_status = models.CharField(_("居住类型"), max_length=12, choices=ResidenceStatus.choices)
    relation = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # A death or a departure ends a resident; the row stays, so the household's history is kept.
    ended_on = models.DateField(_("注销日期"), null=True, blank=True)
    # db_default: the bulk loaders write rows with their own column lists.
    end_reason = models.CharField(_("注销原因"), max_length=12, choices=ResidentEnd.choices, blank=True, db_default="")

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["household", "id"]
        constraints = [
            # 户主: exactly one per household among those living there; the services keep "at least".
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relation="head", ended_on__isnull=True),
                name="resident_one_head_per_household",
                violation_error_message=_("该户已有户主"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="") | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="resident_end_has_reason",
                violation_error_message=_("注销须同时填写日期和原因"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("household__building__")

    # Birth date and sex are 9 of the ID's 18 digits: stored beside it in clear they would undo most
    # of its encryption, so they are read from the decrypted number instead. Nothing filters on
    # them in SQL; should an age band ever be needed there, a coarse birth year is the most to keep.
    @property
    def birth_date(self) -> datetime.date:
        return identity.birth_date_of(self.citizen_id)

    @property
    def sex(self) -> Sex:
        return Sex(identity.sex_of(self.citizen_id))

    def age(self, on: datetime.date | None = None) -> int:
        on = on or timezone.localdate()
        before_birthday = (on.month, on.day) < (self.birth_date.month, self.birth_date.day)
        return on.year - self.birth_date.year - before_birthday


class MoveDirection(models.TextChoices):
    IN = "in", _("迁入")
    OUT = "out", _("迁出")


class Move(models.Model):
    """迁入/迁出: the household's own history of who came and who left, kept when the person moves on."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="moves", verbose_name=_("住户"))
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="moves", verbose_name=_("居民"))
    direction = models.CharField(_("类型"), max_length=3, choices=MoveDirection.choices)
    on = models.DateField(_("日期"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("迁入迁出记录")
        verbose_name_plural = _("迁入迁出记录")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.on}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("household__building__")


class AreaMerge(models.Model):
    """合并: a grid or building merged into a neighbour. The place itself is gone; what it was called,
    where it went, what moved and which households came with it stay here."""

    kind = models.CharField(_("类型"), max_length=16, choices=AreaKind.choices)
    name = models.CharField(_("原名称"), max_length=100)
    code = models.CharField(_("原编码"), max_length=24)
    # SET_NULL: the record outlives a later removal of the place it went into (its name is kept).
    into = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, related_name="merged_in", verbose_name=_("并入区域")
    )
    into_name = models.CharField(_("并入区域名称"), max_length=100)
    on = models.DateField(_("合并日期"))
    counts = models.JSONField(_("迁移数量"), default=dict)
    households = models.ManyToManyField(Household, related_name="merges", blank=True, verbose_name=_("迁移住户"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("区域合并记录")
        verbose_name_plural = _("区域合并记录")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.name} → {self.into_name} ({self.on})"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("into__")


class KeyGroupSubject(models.TextChoices):
    RESIDENT = "resident", _("居民")
    HOUSEHOLD = "household", _("住户")


class KeyGroup(models.Model):
    """重点人群: who needs care or attention (seed 002). Data, not code."""

    code = models.SlugField(_("代码"), unique=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True, help_text=_("英文界面显示;留空则显示中文名称"))
    applies_to = models.CharField(_("适用对象"), max_length=10, choices=KeyGroupSubject.choices)
    # Sensitive personal information in the sense of PIPL art. 28 (health, finances, criminal
    # records): hidden from lists and counts, shown only in a logged reveal.
    sensitive = models.BooleanField(_("敏感"), default=False)
    default_legal_basis = models.CharField(_("默认法律依据"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("重点人群")
        verbose_name_plural = _("重点人群")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.name, self.name_en)


class ActiveTagQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gte=on), since__lte=on)


class GroupTag(models.Model):
    group = models.ForeignKey(KeyGroup, on_delete=models.PROTECT, verbose_name=_("重点人群"))
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("截止日期"), null=True, blank=True)
    legal_basis = models.CharField(
        _("保留依据"), max_length=200, blank=True, help_text=_("留空则使用该人群的默认法律依据")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = ActiveTagQuerySet.as_manager()
    subject_kind: str  # which KeyGroupSubject the tagged row is

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.group_id is None:
            return
        if self.group.applies_to != self.subject_kind:
            raise ValidationError(
                {"group": _("“%(group)s”不适用于该对象") % {"group": self.group.name}}, code="wrong_subject"
            )
        self.legal_basis = (self.legal_basis or self.group.default_legal_basis).strip()
        if not self.legal_basis:
            raise ValidationError({"legal_basis": _("请填写保留该标记的法律依据")}, code="legal_basis")


class ResidentTag(GroupTag):
    subject_kind = KeyGroupSubject.RESIDENT
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="tags", verbose_name=_("居民"))

    class Meta:
        verbose_name = _("居民重点人群标记")
        verbose_name_plural = _("居民重点人群标记")
        constraints = [
            models.UniqueConstraint(fields=["resident", "group", "since"], name="residenttag_unique"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="residenttag_dates",
                violation_error_message=_("截止日期不能早于起始日期"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.group}"


class HouseholdTag(GroupTag):
    subject_kind = KeyGroupSubject.HOUSEHOLD
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="tags", verbose_name=_("住户"))

    class Meta:
        verbose_name = _("住户重点人群标记")
        verbose_name_plural = _("住户重点人群标记")
        constraints = [
            models.UniqueConstraint(fields=["household", "group", "since"], name="householdtag_unique"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="householdtag_dates",
                violation_error_message=_("截止日期不能早于起始日期"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.group}"


class SensitiveAccess(models.Model):
    """Every time someone sees a resident unmasked: who, when, whom and why."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("查看人"))
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, verbose_name=_("居民"))
    reason = models.CharField(_("查看事由"), max_length=200)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("敏感信息查看记录")
        verbose_name_plural = _("敏感信息查看记录")
        ordering = ["-at"]
        permissions = [("view_sensitive", _("可查看完整身份证号和敏感人群"))]

    def __str__(self) -> str:
        return f"{self.user} → {self.resident} ({self.at:%Y-%m-%d %H:%M})"


# The import and export records and the places' geometry live in modules of their own; imported
# here so the app registers them.
from grids.geo_models import AreaShape  # noqa: E402, F401
from grids.import_models import ImportRow, ImportRun, PeopleExport  # noqa: E402, F401
