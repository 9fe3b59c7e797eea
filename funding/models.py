"""Funding policies as data: a document and its typed rule rows, each with the clause it comes from."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet
from grids.models import Area, FiscalClass
from orgs.models import COMMUNITY_LEVEL_KINDS, OrgKind

COMMUNITY_ORG_KINDS = [(k.value, k.label) for k in OrgKind if k in COMMUNITY_LEVEL_KINDS]


class PolicySubject(models.TextChoices):
    COMMUNITY_FUNDS = "community_funds", _("社区经费")
    WORKER_PAY = "worker_pay", _("社区工作者薪酬")


class Policy(models.Model):
    code = models.SlugField(_("代码"), unique=True)
    subject = models.CharField(
        _("类别"), max_length=16, choices=PolicySubject.choices, default=PolicySubject.COMMUNITY_FUNDS
    )
    issuing_body = models.CharField(_("发文机关"), max_length=100)
    title = models.CharField(_("文件名称"), max_length=200)
    issued_on = models.DateField(_("发文日期"), null=True, blank=True, help_text=_("原文未载明的留空"))
    jurisdiction = models.CharField(_("适用范围"), max_length=100)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("经费政策")
        verbose_name_plural = _("经费政策")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return self.title


class Item(models.TextChoices):
    PARTY_BUILDING = "party_building", _("社区党建经费")
    SERVICE_FUND = "service_fund", _("为民服务和发展专项资金")
    GRID_LEADER_SUBSIDY = "grid_leader_subsidy", _("网格党组织负责人工作补助")
    NEW_STAFF_SALARIES = "new_staff_salaries", _("新增两委成员及网格员工资")
    NEW_VENUE = "new_venue", _("新增社区党组织阵地")
    # The district's optional subsidies: lines appear only once the district sets an amount.
    BRANCH_COMMITTEE_SUBSIDY = "branch_committee_subsidy", _("网格支部委员工作补助")
    BUILDING_GROUP_LEADER_SUBSIDY = "building_group_leader_subsidy", _("楼栋党小组组长工作补助")
    BUILDING_HEAD_SUBSIDY = "building_head_subsidy", _("楼栋长工作补助")


class PolicyRow(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, verbose_name=_("政策"))
    clause = models.TextField(_("原文条款"))

    class Meta:
        abstract = True


class PartyBuildingRate(PolicyRow):
    """社区党建经费 by the community party organisation's actual kind."""

    org_kind = models.CharField(_("社区党组织类型"), max_length=32, choices=COMMUNITY_ORG_KINDS)
    annual_amount = models.DecimalField(_("每年金额(元)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("党建经费标准")
        verbose_name_plural = _("党建经费标准")
        constraints = [models.UniqueConstraint(fields=["policy", "org_kind"], name="partybuildingrate_unique")]

    def __str__(self) -> str:
        return f"{self.get_org_kind_display()} {self.annual_amount}"


class HouseholdBand(PolicyRow):
    """为民服务和发展专项资金 by households; each bound's inclusiveness is data, with the reading taken."""

    min_households = models.PositiveIntegerField(_("户数下限"), null=True, blank=True)
    min_inclusive = models.BooleanField(_("含下限"), default=True)
    max_households = models.PositiveIntegerField(_("户数上限"), null=True, blank=True)
    max_inclusive = models.BooleanField(_("含上限"), default=True)
    annual_amount = models.DecimalField(_("每年金额(元)"), max_digits=12, decimal_places=2)
    reading = models.CharField(_("边界解释"), max_length=300)

    class Meta:
        verbose_name = _("户数档次")
        verbose_name_plural = _("户数档次")
        ordering = ["min_households"]

    def __str__(self) -> str:
        return f"{self.min_households or 0}–{self.max_households or '∞'} {self.annual_amount}"

    def contains(self, households: int) -> bool:
        low, high = self.min_households, self.max_households
        above_min = low is None or households > low or (households == low and self.min_inclusive)
        below_max = high is None or households < high or (households == high and self.max_inclusive)
        return above_min and below_max


class SubsidyRole(models.TextChoices):
    GRID_LEADER = "grid_leader", _("网格(居民区)党组织负责人")
    BRANCH_COMMITTEE_MEMBER = "branch_committee_member", _("网格(居民区)支部委员")
    BUILDING_GROUP_LEADER = "building_group_leader", _("楼栋党小组组长")
    BUILDING_HEAD = "building_head", _("楼栋长")


class MonthlySubsidy(PolicyRow):
    """Monthly work subsidies; the district's optional ones are zero until it sets them."""

    role = models.CharField(_("对象"), max_length=32, choices=SubsidyRole.choices)
    monthly_amount = models.DecimalField(_("每月金额(元)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("工作补助标准")
        verbose_name_plural = _("工作补助标准")
        constraints = [models.UniqueConstraint(fields=["policy", "role"], name="monthlysubsidy_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.monthly_amount}"


class CostSplit(PolicyRow):
    """Who pays: city parts to district/county parts, per item and fiscal class (5:5, 6:4, 0:1)."""

    item = models.CharField(_("经费项目"), max_length=32, choices=Item.choices)
    fiscal_class = models.CharField(_("财政类别"), max_length=16, choices=FiscalClass.choices)
    city_parts = models.PositiveSmallIntegerField(_("市级份额"))
    local_parts = models.PositiveSmallIntegerField(_("区县份额"))
    stated = models.BooleanField(
        _("文件有规定"), default=True, help_text=_("文件未规定由谁承担的,按区县全额测算并在报表中标注为假设")
    )

    class Meta:
        verbose_name = _("分担比例")
        verbose_name_plural = _("分担比例")
        constraints = [
            models.UniqueConstraint(fields=["policy", "item", "fiscal_class"], name="costsplit_unique"),
            models.CheckConstraint(condition=Q(city_parts__gt=0) | Q(local_parts__gt=0), name="costsplit_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.get_fiscal_class_display()} {self.city_parts}:{self.local_parts}"


class NewUnitCost(models.Model):
    """Entered by finance staff: the staff and venue a community (or its new grids) adds in a year."""

    year = models.PositiveSmallIntegerField(_("年度"))
    community = models.ForeignKey(
        "grids.Area", on_delete=models.PROTECT, related_name="new_unit_costs", verbose_name=_("社区")
    )
    new_staff = models.PositiveSmallIntegerField(_("新增两委成员及网格员人数"), default=0)
    new_staff_annual_salary = models.DecimalField(_("人均年工资(元)"), max_digits=12, decimal_places=2, default=0)
    new_venue_cost = models.DecimalField(_("新增阵地费用(元)"), max_digits=14, decimal_places=2, default=0)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("新增社区网格费用")
        verbose_name_plural = _("新增社区网格费用")
        constraints = [models.UniqueConstraint(fields=["year", "community"], name="newunitcost_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.community}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("community__")

    def clean(self) -> None:
        if self.community_id and self.community.kind != "community":
            raise ValidationError({"community": _("须为社区")}, code="not_a_community")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class BudgetRun(models.Model):
    """A budget for a year and a place, stored with its inputs and policy so it never changes."""

    year = models.PositiveSmallIntegerField(_("年度"))
    # Either one district or county, or a whole city (all its districts and counties).
    area = models.ForeignKey(
        "grids.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_runs",
        verbose_name=_("区县"),
        help_text=_("区、县或县级市"),
    )
    whole_city = models.ForeignKey(
        "grids.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_runs",
        verbose_name=_("城市"),
    )
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, verbose_name=_("政策"))
    # The policy rows as they were when the run was made: editing a policy never alters a run.
    policy_snapshot = models.JSONField(_("政策快照"), default=dict)
    status = models.CharField(_("状态"), max_length=8, choices=RunStatus.choices, default=RunStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    warnings = models.JSONField(_("提示"), default=list)
    amount = models.DecimalField(_("合计"), max_digits=16, decimal_places=2, default=0)
    city = models.DecimalField(_("市级承担"), max_digits=16, decimal_places=2, default=0)
    local = models.DecimalField(_("区县承担"), max_digits=16, decimal_places=2, default=0)
    # Empty for a run the system started (the demo loader, a command).
    created_by = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_runs",
        verbose_name=_("发起人"),
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("经费测算")
        verbose_name_plural = _("经费测算")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["area", "year"], name="budgetrun_area_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=True, whole_city__isnull=False)
                | Q(area__isnull=False, whole_city__isnull=True),
                name="budgetrun_one_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.scope_name} #{self.pk}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        """Runs of a district or county the scope reaches into, and the city-wide runs of its cities;
        what each shows is narrowed again to the scope's own communities (BudgetCommunity)."""
        trees = sorted(scope.tree_ids)
        cities = (
            Area.objects.unscoped("a subquery naming the cities of the scope's trees, no row is shown")
            .filter(tree_id__in=trees, parent__isnull=True)
            .values("city_id")
        )
        return Q(area__tree_id__in=trees) | Q(whole_city__in=cities)

    @property
    def scope_name(self) -> str:
        return self.area.name if self.area_id else f"{self.whole_city.name}({_('全市')})"


class BudgetCommunity(models.Model):
    """One community's inputs as the run saw them."""

    run = models.ForeignKey(BudgetRun, on_delete=models.CASCADE, related_name="communities", verbose_name=_("测算"))
    community = models.ForeignKey("grids.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区"))
    name = models.CharField(_("社区名称"), max_length=100)
    fiscal_class = models.CharField(_("财政类别"), max_length=16, choices=FiscalClass.choices)
    org_kind = models.CharField(_("社区党组织类型"), max_length=32, choices=COMMUNITY_ORG_KINDS)
    declared_households = models.PositiveIntegerField(_("申报户数"))
    grid_party_org_leaders = models.PositiveIntegerField(_("在岗网格党组织负责人"))
    branch_committee_members = models.PositiveIntegerField(_("在岗网格支部委员"), default=0)
    building_group_leaders = models.PositiveIntegerField(_("在岗楼栋党小组组长"), default=0)
    building_heads = models.PositiveIntegerField(_("在岗楼栋长"), default=0)
    new_staff = models.PositiveSmallIntegerField(_("新增人员"), default=0)
    new_staff_annual_salary = models.DecimalField(_("人均年工资(元)"), max_digits=12, decimal_places=2, default=0)
    new_venue_cost = models.DecimalField(_("新增阵地费用(元)"), max_digits=14, decimal_places=2, default=0)
    amount = models.DecimalField(_("合计"), max_digits=14, decimal_places=2, default=0)
    city = models.DecimalField(_("市级承担"), max_digits=14, decimal_places=2, default=0)
    local = models.DecimalField(_("区县承担"), max_digits=14, decimal_places=2, default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("测算社区")
        verbose_name_plural = _("测算社区")
        ordering = ["run", "community__tree_id", "community__lft"]
        constraints = [models.UniqueConstraint(fields=["run", "community"], name="budgetcommunity_unique")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        """Community staff see their community's lines only; district staff the whole run."""
        return scope.area_q("community__")


class BudgetLine(models.Model):
    community = models.ForeignKey(
        BudgetCommunity, on_delete=models.CASCADE, related_name="lines", verbose_name=_("社区")
    )
    item = models.CharField(_("经费项目"), max_length=32, choices=Item.choices)
    amount = models.DecimalField(_("金额"), max_digits=14, decimal_places=2)
    city = models.DecimalField(_("市级承担"), max_digits=14, decimal_places=2)
    local = models.DecimalField(_("区县承担"), max_digits=14, decimal_places=2)
    clause = models.TextField(_("依据"))
    assumption = models.BooleanField(_("假设"), default=False)

    class Meta:
        verbose_name = _("测算明细")
        verbose_name_plural = _("测算明细")
        ordering = ["community", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount=models.F("city") + models.F("local")), name="line_shares_add_up")
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.get_item_display()} {self.amount}"


class Scenario(models.Model):
    """A what-if re-division: some communities redrawn as others. Nothing in the real data changes;
    the proposal and both budgets are stored as computed when it was saved."""

    name = models.CharField(_("方案名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    communities = models.ManyToManyField("grids.Area", related_name="+", verbose_name=_("涉及社区"))
    proposal = models.JSONField(_("调整方案"))
    before = models.JSONField(_("调整前"), default=list)
    after = models.JSONField(_("调整后"), default=list)
    # Empty for a scenario the system saved (the demo loader).
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("区划调整测算")
        verbose_name_plural = _("区划调整测算")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        """Scenarios touching a community in the scope."""
        touching = cls.communities.through.objects.filter(scope.area_q("area__")).values("scenario_id")
        return Q(pk__in=touching)


class Qualification(models.TextChoices):
    NONE = "none", _("无")
    JUNIOR = "junior", _("初级社会工作者")
    INTERMEDIATE = "intermediate", _("中级社会工作师")
    SENIOR = "senior", _("高级社会工作师")


class ProfessionalAllowance(PolicyRow):
    """职业津贴 by social-work qualification (seed 003)."""

    qualification = models.CharField(_("职业资格"), max_length=12, choices=Qualification.choices)
    monthly_amount = models.DecimalField(_("每月金额(元)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("职业津贴标准")
        verbose_name_plural = _("职业津贴标准")
        constraints = [
            models.UniqueConstraint(fields=["policy", "qualification"], name="allowance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_qualification_display()} {self.monthly_amount}"


class PayRisePromise(PolicyRow):
    """三年内平均月增资不少于500元 (seed 000), as data."""

    years = models.PositiveSmallIntegerField(_("年限"))
    minimum_monthly_rise = models.DecimalField(_("平均月增资不少于(元)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("增资承诺")
        verbose_name_plural = _("增资承诺")

    def __str__(self) -> str:
        return f"{self.years}年 ≥ {self.minimum_monthly_rise}"


class PayRecord(models.Model):
    """A community worker's pay for a year, in the structure of seed 003 (monthly figures, and the
    annual bonus as paid)."""

    community = models.ForeignKey(
        "grids.Area", on_delete=models.PROTECT, related_name="pay_records", verbose_name=_("社区")
    )
    user = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, null=True, blank=True, related_name="pay_records", verbose_name=_("账号")
    )
    name = models.CharField(_("姓名"), max_length=50)
    year = models.PositiveSmallIntegerField(_("年度"))
    basic = models.DecimalField(_("基本工资(月)"), max_digits=10, decimal_places=2)
    seniority = models.DecimalField(_("工作年限工资(月)"), max_digits=10, decimal_places=2, default=0)
    grade = models.DecimalField(_("等级工资(月)"), max_digits=10, decimal_places=2, default=0)
    performance = models.DecimalField(_("绩效工资(月)"), max_digits=10, decimal_places=2, default=0)
    annual_bonus = models.DecimalField(_("年度奖励工资(年)"), max_digits=12, decimal_places=2, default=0)
    qualification = models.CharField(
        _("职业资格"), max_length=12, choices=Qualification.choices, default=Qualification.NONE
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("社区工作者薪酬")
        verbose_name_plural = _("社区工作者薪酬")
        ordering = ["community", "year", "name"]
        indexes = [models.Index(fields=["community", "year"], name="payrecord_community_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("community__")
