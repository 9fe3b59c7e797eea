import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey

from core.models import ApiCredential
from core.scoping import ScopedQuerySet, ScopedTreeManager
from grids.models import ROOT_KINDS, Area, Household, Resident


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

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["jurisdiction", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        """The departments of the districts the scope reaches (each district is its own tree), and
        the user's own: what a dispatcher may choose from and an officer works for."""
        return Q(jurisdiction__tree_id__in=sorted(scope.tree_ids)) | Q(pk__in=sorted(scope.department_ids))


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
    DISTRICT_STAFF = "district_staff", _("区指挥中心工作人员")
    DEPARTMENT_OFFICER = "department_officer", _("部门工作人员")
    SUNK_STAFF = "sunk_staff", _("下沉人员")
    LEADER = "leader", _("领导")
    FINANCE_OFFICER = "finance_officer", _("财政工作人员")
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORG_COMMITTEE_MEMBER = "org_committee_member", _("支委委员")
    GROUP_LEADER = "group_leader", _("党小组组长")
    CO_BUILDING_SECRETARY = "co_building_secretary", _("共建书记")
    STATION_HEAD = "station_head", _("服务站站长")
    WINDOW_STAFF = "window_staff", _("窗口工作人员")
    RC_DIRECTOR = "rc_director", _("居委会主任")
    RC_MEMBER = "rc_member", _("居委会委员")


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
    Role.DISTRICT_STAFF,
    Role.LEADER,
    Role.FINANCE_OFFICER,
    Role.STATION_HEAD,
    Role.WINDOW_STAFF,
    Role.RC_DIRECTOR,
    Role.RC_MEMBER,
}
DEPARTMENT_ROLES = {Role.DEPARTMENT_OFFICER}
AREA_AND_DEPARTMENT_ROLES = {Role.SUNK_STAFF}
# Secretary, deputy and committee members of a party organisation are posts too.
ORGANIZATION_ROLES = {
    Role.SECRETARY,
    Role.DEPUTY_SECRETARY,
    Role.ORG_COMMITTEE_MEMBER,
    Role.GROUP_LEADER,
    Role.CO_BUILDING_SECRETARY,
}

# How a committee is listed: by rank, not by the alphabet.
ORGANIZATION_ROLE_RANK = [
    Role.SECRETARY,
    Role.DEPUTY_SECRETARY,
    Role.ORG_COMMITTEE_MEMBER,
    Role.GROUP_LEADER,
    Role.CO_BUILDING_SECRETARY,
]


class Function(models.TextChoices):
    """Where in 一委一站一居 (seed 004) a community post sits: a station window or a work committee."""

    PARTY_MEMBER_WINDOW = "window_party", _("党员服务窗口")
    PUBLIC_SERVICE_WINDOW = "window_public", _("公共服务窗口")
    SOCIAL_SERVICE_WINDOW = "window_social", _("社会服务窗口")
    GOVERNANCE_WINDOW = "window_governance", _("社会治理窗口")
    MEDIATION = "committee_mediation", _("人民调解委员会")
    SECURITY = "committee_security", _("治安保卫委员会")
    PUBLIC_HEALTH = "committee_health", _("公共卫生委员会")
    FAMILY_PLANNING = "committee_family", _("计划生育委员会")
    CULTURE = "committee_culture", _("群众文化委员会")


WINDOWS = [f for f in Function if f.value.startswith("window_")]
WORK_COMMITTEES = [f for f in Function if f.value.startswith("committee_")]


class Slot(models.TextChoices):
    # AB岗 (seed 004): every grid has a primary and a backup holder.
    A = "A", _("A岗")
    B = "B", _("B岗")


class PostQuerySet(ScopedQuerySet):
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
    role = models.CharField(_("岗位"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("区域")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("部门")
    )
    organization = models.ForeignKey(
        "Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("党组织"),
    )
    slot = models.CharField(_("AB岗"), max_length=1, choices=Slot.choices, blank=True)
    function = models.CharField(
        _("窗口或工作委员会"), max_length=24, choices=Function.choices, blank=True, help_text=_("一委一站一居")
    )
    co_building_unit = models.ForeignKey(
        "cobuilding.CoBuildingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("来自共建单位"),
        help_text=_("共建书记由驻区单位领导班子成员担任"),
    )
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
                    | Q(role__in=sorted(ORGANIZATION_ROLES), area__isnull=True, department__isnull=True)
                )
                & (Q(organization__isnull=False) | ~Q(role__in=sorted(ORGANIZATION_ROLES)))
                & (Q(organization__isnull=True) | Q(role__in=sorted(ORGANIZATION_ROLES))),
                name="post_place_matches_role",
                violation_error_message=_(
                    "部门工作人员须填部门;下沉人员须同时填部门和网格;党组织书记、委员须填党组织;其他岗位须填区域"
                ),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="post_dates",
                violation_error_message=_("离任日期不能早于任职日期"),
            ),
        ]

    def __str__(self) -> str:
        place = self.area or self.department or self.organization
        slot = f"({self.slot})" if self.slot else ""
        return f"{self.holder_name} · {place} · {self.get_role_display()}{slot}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        """Posts held at an area in scope, or at an organisation seated in scope."""
        return Q(area__isnull=False) & scope.area_q("area__") | Q(organization__isnull=False) & scope.area_q(
            "organization__area__"
        )


class HandOver(models.Model):
    """AB岗 (seed 004): while the A holder is away, the B slot takes the post over for a period."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="hand_overs", verbose_name=_("A岗"))
    to = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="taken_over", verbose_name=_("B岗"))
    start = models.DateField(_("代岗开始"))
    end = models.DateField(_("代岗结束"))
    reason = models.CharField(_("事由"), max_length=200)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("AB岗代岗")
        verbose_name_plural = _("AB岗代岗")
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="handover_dates",
                violation_error_message=_("代岗结束日期不能早于开始日期"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post.holder_name} → {self.to.holder_name} ({self.start}–{self.end})"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("post__area__")


class OwnersCommittee(models.Model):
    """业主委员会 of a compound: a body that should have a party organisation (红色业委会, seed 000)."""

    compound = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="owners_committees", verbose_name=_("小区")
    )
    name = models.CharField(_("名称"), max_length=100)
    established = models.DateField(_("成立日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("业主委员会")
        verbose_name_plural = _("业主委员会")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.compound_id and self.compound.kind != "compound":
            raise ValidationError({"compound": _("业主委员会须设在小区")}, code="not_a_compound")


class OrgKind(models.TextChoices):
    STREET_WORKING_COMMITTEE = "street_committee", _("街道党工委")
    COMMUNITY_COMMITTEE = "community_committee", _("社区党委")
    COMMUNITY_GENERAL_BRANCH = "community_general_branch", _("社区党总支")
    COMMUNITY_BRANCH = "community_branch", _("社区党支部")
    GRID_BRANCH = "grid_branch", _("网格(居民区)党支部")
    COMPOUND_BRANCH = "compound_branch", _("小区党支部")
    BUILDING_GROUP = "building_group", _("楼栋(院落)党小组")
    OWNERS_COMMITTEE = "owners_committee", _("业委会党组织")
    PROPERTY_COMPANY = "property_company", _("物业企业党组织")
    NEW_ECONOMIC = "new_economic", _("新经济组织党组织")
    NEW_SOCIAL = "new_social", _("新社会组织党组织")


COMMUNITY_LEVEL_KINDS = {OrgKind.COMMUNITY_COMMITTEE, OrgKind.COMMUNITY_GENERAL_BRANCH, OrgKind.COMMUNITY_BRANCH}
# The horizontal "red" organisations: 红色业委会, 红色物业, new economic and social organisations.
HORIZONTAL_KINDS = {OrgKind.OWNERS_COMMITTEE, OrgKind.PROPERTY_COMPANY, OrgKind.NEW_ECONOMIC, OrgKind.NEW_SOCIAL}
# Organisations that count as a party presence in a grid (seed 003: a party group in every grid).
GRID_LEVEL_KINDS = {OrgKind.GRID_BRANCH, OrgKind.COMPOUND_BRANCH, OrgKind.BUILDING_GROUP}
BRANCH_KINDS = {OrgKind.COMMUNITY_BRANCH, OrgKind.GRID_BRANCH, OrgKind.COMPOUND_BRANCH, *HORIZONTAL_KINDS}
# Which kinds may sit directly under which (街道党工委 → 社区 → 网格/小区 → 楼栋).
ORG_PARENT_KINDS = {
    OrgKind.STREET_WORKING_COMMITTEE: set(),
    **{kind: {OrgKind.STREET_WORKING_COMMITTEE} for kind in COMMUNITY_LEVEL_KINDS},
    OrgKind.GRID_BRANCH: COMMUNITY_LEVEL_KINDS,
    OrgKind.COMPOUND_BRANCH: COMMUNITY_LEVEL_KINDS | {OrgKind.GRID_BRANCH},
    OrgKind.BUILDING_GROUP: {OrgKind.GRID_BRANCH, OrgKind.COMPOUND_BRANCH, OrgKind.COMMUNITY_BRANCH},
    **{kind: COMMUNITY_LEVEL_KINDS | {OrgKind.STREET_WORKING_COMMITTEE} for kind in HORIZONTAL_KINDS},
}


class Organization(MPTTModel):
    """A party organisation; one tree per street, rooted at its 街道党工委."""

    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    parent = TreeForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级党组织")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="seated_organizations", verbose_name=_("所在区域")
    )
    covers = models.ManyToManyField(
        Area, through="Coverage", related_name="party_organizations", verbose_name=_("覆盖区域")
    )
    property_company = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
        limit_choices_to={"kind": DepartmentKind.PROPERTY},
        verbose_name=_("物业公司"),
    )
    owners_committee = models.ForeignKey(
        OwnersCommittee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
        verbose_name=_("业主委员会"),
    )
    term_start = models.DateField(_("本届任期起"), null=True, blank=True)
    term_end = models.DateField(_("本届任期止"), null=True, blank=True)

    objects = ScopedTreeManager()
    # django-mptt's own walks and writes start from a node in hand (see core.scoping).
    tree = TreeManager()

    class MPTTMeta:
        order_insertion_by = ["name"]

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [models.Index(fields=["tree_id", "lft"], name="org_tree_lft")]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gt=models.F("term_start")),
                name="org_term_dates",
                violation_error_message=_("任期止必须晚于任期起"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        """An organisation is in scope where its seat is."""
        return scope.area_q("area__")

    def term_expired(self, on: datetime.date | None = None) -> bool:
        return self.term_end is not None and self.term_end < (on or timezone.localdate())


class Coverage(models.Model):
    """支部包片: an organisation covers areas (a compound branch may cover several compounds and grids)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="coverage", verbose_name=_("党组织")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="coverage", verbose_name=_("区域"))

    class Meta:
        verbose_name = _("覆盖区域")
        verbose_name_plural = _("覆盖区域")
        constraints = [models.UniqueConstraint(fields=["organization", "area"], name="coverage_unique")]

    def __str__(self) -> str:
        return f"{self.organization} → {self.area}"


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class MemberKind(models.TextChoices):
    # Seed 000: resident members managed directly, in-service members doubly, floating ones followed.
    RESIDENT = "resident", _("居住地党员(直接管)")
    IN_SERVICE = "in_service", _("在职党员(双重管)")
    FLOATING = "floating", _("流动党员(跟进管)")


class PartyMember(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    resident = models.OneToOneField(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_member",
        verbose_name=_("对应居民"),
        help_text=_("居住在本区的党员关联其居民档案"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name=_("所在党组织")
    )
    status = models.CharField(_("党员类别"), max_length=12, choices=MemberStatus.choices)
    joined = models.DateField(_("入党日期"))
    kind = models.CharField(_("管理类型"), max_length=12, choices=MemberKind.choices)
    work_unit = models.CharField(_("工作单位"), max_length=100, blank=True)
    reported_on = models.DateField(_("到社区报到日期"), null=True, blank=True, help_text=_("在职党员双报到"))
    # 双报到: the in-service member reports to the community and, through their unit, to the
    # co-building unit it signed with (a name of the room above, never an import of it).
    co_building_unit = models.ForeignKey(
        "cobuilding.CoBuildingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_members",
        verbose_name=_("共建单位"),
    )
    # 组织关系转出本区: the member leaves the roll without being deleted.
    left_on = models.DateField(_("转出日期"), null=True, blank=True)
    left_to = models.CharField(_("转往组织"), max_length=100, blank=True)
    households = models.ManyToManyField(
        Household, blank=True, related_name="party_members_caring", verbose_name=_("联系住户(党员包住户)")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["organization", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="in_service") | ~Q(work_unit=""),
                name="member_in_service_has_work_unit",
                violation_error_message=_("在职党员须填写工作单位"),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True, left_to="") | (Q(left_on__isnull=False) & ~Q(left_to="")),
                name="member_left_with_destination",
                violation_error_message=_("转出本区须同时填写转出日期和转往组织"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        """A member goes with their organisation."""
        return scope.area_q("organization__area__")


class MemberTransfer(models.Model):
    """组织关系转接: one move of a member's roll, from an organisation (or from outside the
    district) to another (or out of it). Kept as rows, not only audit entries: the audit trail
    names fields, never values, and a member's history must say from where to where."""

    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("党员"))
    from_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        verbose_name=_("转出党组织"),
    )
    to_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_in",
        verbose_name=_("转入党组织"),
    )
    outside = models.CharField(_("区外组织"), max_length=100, blank=True, help_text=_("从区外转入或转往区外时填写"))
    on = models.DateField(_("转接日期"))
    reason = models.CharField(_("事由"), max_length=200)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-on", "-id"]
        constraints = [
            # One end inside the district at least, and an end outside it is named.
            models.CheckConstraint(
                condition=(Q(from_organization__isnull=False) | Q(to_organization__isnull=False))
                & (Q(from_organization__isnull=False, to_organization__isnull=False) | ~Q(outside="")),
                name="transfer_has_both_ends",
                violation_error_message=_("转接须有转出和转入两端,区外一端须写明组织"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.from_organization or self.outside} → {self.to_organization or self.outside}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("member__organization__area__")


class ServicePoints(models.Model):
    """积分制: points an in-service member earns serving the community they reported to."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="points", verbose_name=_("党员"))
    on = models.DateField(_("日期"))
    points = models.SmallIntegerField(_("积分"))
    reason = models.CharField(_("事由"), max_length=200)
    # A wrong entry is never edited: a counter-entry of the opposite points names it.
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("更正的记录"),
    )

    class Meta:
        verbose_name = _("服务积分")
        verbose_name_plural = _("服务积分")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.member} {self.points:+d} {self.reason}"

    def clean(self) -> None:
        # 积分制 is for in-service members reporting to the community (seed 000).
        if self.member_id and self.member.kind != MemberKind.IN_SERVICE:
            raise ValidationError({"member": _("服务积分只记在职党员")}, code="not_in_service")


def _card_photo_path(card: "PostCard", filename: str) -> str:
    return f"cards/{card.post_id}-{filename}"


class PostCard(models.Model):
    """挂牌上岗 (seed 002, 004): what a post shows residents on its grid's public card — a photo, its
    duties and a work contact number. Kept beside the post, not on the person: the card is the
    post's (a new holder brings a new card, the duties are the role's at that place), many holders
    (楼栋长) have no account or resident record to hang it on, and keeping the public fields in a
    row of their own means the card can never show anything else of the post or the person."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="card", verbose_name=_("岗位任职"))
    # Re-encoded on upload like a case photo (cases.photos): only pixels, no EXIF position.
    photo = models.FileField(_("照片"), upload_to=_card_photo_path, blank=True)
    duties = models.CharField(_("岗位职责"), max_length=300, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True, help_text=_("公开的工作电话,不填个人手机号"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("挂牌信息")
        verbose_name_plural = _("挂牌信息")

    def __str__(self) -> str:
        return str(self.post)

    @classmethod
    def in_scope(cls, scope) -> Q:
        return Q(post__area__isnull=False) & scope.area_q("post__area__") | Q(
            post__organization__isnull=False
        ) & scope.area_q("post__organization__area__")


class ClientKey(ApiCredential):
    """A key for another system (the 12345 hotline platform, a department's own case system),
    tied to one district or one department. It signs in as a service account of its own that holds
    one post, district staff of the district or an officer of the department, so the scope, the
    capabilities and the audit trail of a person in that post apply to it unchanged."""

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="client_key", verbose_name=_("服务账号")
    )
    district = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="client_keys",
        limit_choices_to={"kind__in": sorted(ROOT_KINDS)},
        verbose_name=_("区县"),
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="client_keys", verbose_name=_("部门")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签发人"),
        help_text=_("为空表示由命令行签发"),
    )

    class Meta:
        verbose_name = _("接入密钥")
        verbose_name_plural = _("接入密钥")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(district__isnull=False, department__isnull=True)
                | Q(district__isnull=True, department__isnull=False),
                name="client_key_district_or_department",
                violation_error_message=_("接入密钥须属于一个区县或一个部门,二者选一"),
            ),
        ]

    @property
    def holder(self):
        return self.district or self.department


class TargetBound(models.TextChoices):
    AT_LEAST = "at_least", _("不低于")
    AT_MOST = "at_most", _("不超过")


class CoverageTarget(models.Model):
    """A target the seeds set for the organisation's coverage (a rate in per cent) or a community's
    size (households), as policy data with its clause. Bounds include the number itself (不低于、
    不超过; 以上、以下含本数, Civil Code art. 1259): a rate of exactly 95 % meets a 95 % target."""

    code = models.SlugField(_("代码"), unique=True)
    label = models.CharField(_("指标"), max_length=100)
    bound = models.CharField(_("方向"), max_length=8, choices=TargetBound.choices, default=TargetBound.AT_LEAST)
    value = models.DecimalField(_("目标值"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=10, help_text=_("百分比或户数的单位"))
    clause = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("覆盖目标")
        verbose_name_plural = _("覆盖目标")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.label} {self.get_bound_display()} {self.value}{self.unit}"

    def met(self, figure) -> bool:
        if figure is None:
            return False
        return figure >= self.value if self.bound == TargetBound.AT_LEAST else figure <= self.value
