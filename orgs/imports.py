"""Posts (岗位) and party members (党员) from Excel: the two kinds of grids' import that live here,
a floor above it, registered into grids.imports.kinds from OrgsConfig.ready(). Each row goes
through the service its page uses (appoint, register_member), so the org chain, the date rules and
who may register whom are the same as one by one."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.blind_index import blind_index
from core.capabilities import Capability
from core.identity import parse_citizen_id
from core.scope import Scope
from grids.imports import kinds
from grids.imports.buildings import simple_workbook
from grids.imports.columns import Column, choice_values
from grids.imports.rowwise import Refused, RowByRow, choice, parse_date
from grids.models import Area, Resident
from orgs import services
from orgs.models import MemberKind, MemberStatus, Organization, PartyMember, Post, Role, Slot

POST_COLUMNS = [
    Column("name", "姓名", True, "张三", "任职人姓名,不超过50字"),
    Column("username", "用户名", False, "", "任职人的登录账号;楼栋长、单元长等可无账号,留空"),
    Column("role", "岗位", True, "专职网格员", "岗位名称,如专职网格员、楼栋长、社区工作人员", Role),
    Column("place", "地点", True, "", "任职的网格、楼栋或社区的编码(或不重名的名称),见“地点”表"),
    Column("slot", "AB岗", False, "A岗", "A岗或B岗;不分AB岗留空", Slot),
    Column("start", "任职日期", True, "2024-07-01", "日期,如2024-07-01"),
    Column("end", "离任日期", False, "", "仍在任留空;不能早于任职日期"),
]
MEMBER_COLUMNS = [
    Column("name", "姓名", False, "李四", "不超过50字;填了身份证号可留空,按居民档案的姓名"),
    Column(
        "citizen_id",
        "身份证号",
        False,
        "",
        "可留空;填写的须是本辖区登记的居民,用于关联其居民档案(不会显示或写回)",
        echo=False,
    ),
    Column("organization", "所属党组织", True, "", "党组织全称,见“党组织”表"),
    Column("status", "党员类别", True, "正式党员", "正式党员或预备党员", MemberStatus),
    Column("joined", "入党日期", True, "2010-07-01", "日期,如2010-07-01"),
    Column(
        "kind",
        "管理类型",
        True,
        "居住地党员(直接管)",
        "居住地党员(直接管)、在职党员(双重管)或流动党员(跟进管)",
        MemberKind,
    ),
    Column("work_unit", "工作单位", False, "", "在职党员必填,不超过100字"),
]
ROLES = choice_values(Role)
SLOTS = {**choice_values(Slot), "A": Slot.A, "B": Slot.B}
STATUSES = choice_values(MemberStatus)
MEMBER_KINDS = choice_values(MemberKind)


def _places(scope: Scope) -> list[Area]:
    """The places this user may appoint at, for the template's list."""
    found = Area.objects.within(scope).exclude(kind__in=["district", "county", "county_city"]).order_by("code")
    return [area for area in found[:5000] if services.appointer_capacity(scope, area) is not None]


class PostImport(RowByRow):
    columns = POST_COLUMNS
    fields = {
        "holder_name": "name",
        "user": "username",
        "role": "role",
        "area": "place",
        "slot": "slot",
        "start": "start",
        "end": "end",
    }
    place_key = "place"
    max_length = {"name": 50}

    def _place(self, text: str) -> Area:
        found = list(Area.objects.within(self.scope).filter(Q(code=text) | Q(name=text))[:2])
        exact = [area for area in found if area.code == text]
        if exact or len(found) == 1:
            return (exact or found)[0]
        if found:
            raise Refused("place", _("有多个同名的地点,请填编码"))
        raise Refused("place", _("地点不存在或不在您的辖区内"))

    def row(self, number: int, cells: dict[str, str]) -> str:
        role = choice("role", cells["role"], ROLES)
        slot = choice("slot", cells["slot"], SLOTS)
        start = parse_date("start", cells["start"])
        end = parse_date("end", cells["end"])
        place = self._place(cells["place"])
        user = None
        if cells["username"]:
            user = get_user_model().objects.filter(username=cells["username"], is_active=True).first()
            if user is None:
                raise Refused("username", _("没有这个用户名"))
        held = Post.objects.within(self.scope).filter(area=place, role=role, holder_name=cells["name"], start=start)
        if held.filter(end=end, slot=slot, user=user).exists():
            return "unchanged"
        # The same person, post, place and start is the post already held: a 离任日期 filled in
        # since ends it; nothing else about it is changed by an import.
        same = held.filter(slot=slot, user=user, end__isnull=True).first()
        if same is not None and end is not None:
            services.end_post(actor=self.actor, post=same, end=end)
            return "updated"
        services.appoint(
            actor=self.actor,
            post=Post(holder_name=cells["name"], user=user, role=role, area=place, slot=slot, start=start, end=end),
        )
        return "created"


class MemberImport(RowByRow):
    columns = MEMBER_COLUMNS
    fields = {
        "name": "name",
        "resident": "citizen_id",
        "organization": "organization",
        "status": "status",
        "joined": "joined",
        "kind": "kind",
        "work_unit": "work_unit",
        "reported_on": "joined",
    }
    place_key = "organization"
    max_length = {"name": 50, "work_unit": 100, "organization": 100}

    def __init__(self, *, actor, scope):
        super().__init__(actor=actor, scope=scope)
        self.seen: dict[str, int] = {}

    def _organization(self, name: str) -> Organization:
        found = list(Organization.objects.within(self.scope).filter(name=name)[:2])
        if len(found) > 1:
            raise Refused("organization", _("有多个同名的党组织,请在党组织页面核对"))
        if not found:
            # The same words for a name that is nowhere and one outside the scope.
            raise Refused("organization", _("党组织不存在或不在您的辖区内"))
        return found[0]

    def _resident(self, number: int, text: str) -> Resident | None:
        if not text:
            return None
        try:
            parsed = parse_citizen_id(text).number
        except Exception as exc:  # a ValidationError naming what is wrong, never the number
            raise Refused("citizen_id", getattr(exc, "messages", [_("身份证号无效")])[0]) from None
        digest = blind_index(parsed)
        if digest in self.seen:
            raise Refused("citizen_id", _("与第%(n)d行的身份证号重复") % {"n": self.seen[digest]})
        self.seen[digest] = number
        resident = (
            Resident.objects.within(self.scope)
            .living()
            .filter(citizen_id_hash=digest)
            .select_related("household__building")
            .first()
        )
        if resident is None:
            raise Refused("citizen_id", _("本辖区没有登记此身份证号的居民"))
        return resident

    def row(self, number: int, cells: dict[str, str]) -> str:
        status = choice("status", cells["status"], STATUSES)
        kind = choice("kind", cells["kind"], MEMBER_KINDS)
        joined = parse_date("joined", cells["joined"])
        if kind == MemberKind.IN_SERVICE and not cells["work_unit"]:
            raise Refused("work_unit", _("在职党员须填写工作单位"))
        resident = self._resident(number, cells["citizen_id"])
        if resident is None and not cells["name"]:
            raise Refused("name", _("不能为空"))
        organization = self._organization(cells["organization"])
        if resident is not None:
            already = (
                PartyMember.objects.unscoped("a member already in a roll refuses the row without saying which")
                .filter(resident=resident)
                .values_list("organization_id", flat=True)
                .first()
            )
            if already is not None:
                if already == organization.pk:
                    return "unchanged"
                raise Refused("organization", _("此人已在其他党组织的名册中,请先办理组织关系转接"))
        elif organization.members.filter(name=cells["name"], resident__isnull=True).exists():
            return "unchanged"
        services.register_member(
            actor=self.actor,
            member=PartyMember(
                name=cells["name"] or (resident.name if resident else ""),
                resident=resident,
                organization=organization,
                status=status,
                joined=joined,
                kind=kind,
                work_unit=cells["work_unit"],
            ),
        )
        return "created"


def posts_template(scope: Scope) -> bytes:
    places = _places(scope)
    sample = {column.key: column.sample for column in POST_COLUMNS}
    sample["place"] = places[0].code if places else "(地点编码)"
    listed = {
        "地点": [["编码", "名称", "类型"], *([p.code, p.name, p.get_kind_display()] for p in places)],
        "岗位名称": [["岗位"], *([str(label)] for label in ROLES if label not in Role.values)],
    }
    notes = [
        _("第2行是示例,导入前请删除或改为真实数据。"),
        _("社区工作人员任命本社区的网格、楼栋岗位,街道工作人员任命社区岗位,区工作人员任命街道岗位。"),
        _("同一人、同一岗位、同一地点、同一任职日期已有记录的视为未变。先试导入,再正式导入。"),
    ]
    return simple_workbook("岗位", POST_COLUMNS, sample, notes, listed)


def members_template(scope: Scope) -> bytes:
    organizations = list(Organization.objects.within(scope).select_related("area").order_by("name")[:5000])
    sample = {column.key: column.sample for column in MEMBER_COLUMNS}
    sample["organization"] = organizations[0].name if organizations else "(党组织名称)"
    listed = {
        "党组织": [["名称", "类型", "所在区域"], *([o.name, o.get_kind_display(), o.area.name] for o in organizations)]
    }
    notes = [
        _("第2行是示例,导入前请删除或改为真实数据。"),
        _("填了身份证号的,关联本辖区该居民的档案;已在本组织名册中的视为未变,已在其他组织名册中的请先办理转接。"),
        _("被拒绝行的表格中不写回身份证号。先试导入,再正式导入。"),
    ]
    return simple_workbook("党员", MEMBER_COLUMNS, sample, notes, listed)


def register() -> None:
    kinds.register(
        kinds.Kind(
            slug="posts",
            title=gettext_lazy("导入岗位"),
            columns=POST_COLUMNS,
            engine=PostImport,
            template=posts_template,
            capability=Capability.APPOINT_POSTS,
            action="orgs.import_posts",
            written=["holder_name", "user", "role", "area", "slot", "start", "end"],
            denied=gettext_lazy("您的岗位不能任免岗位"),
            steps=gettext_lazy("按“说明”表填写;地点编码见“地点”表。"),
            list_route="orgs:post_list",
            chunk=200,
        )
    )
    kinds.register(
        kinds.Kind(
            slug="members",
            title=gettext_lazy("导入党员"),
            columns=MEMBER_COLUMNS,
            engine=MemberImport,
            template=members_template,
            capability=Capability.KEEP_PARTY_MEMBERS,
            action="orgs.import_members",
            written=["name", "resident", "organization", "status", "joined", "kind", "work_unit"],
            denied=gettext_lazy("您的岗位不能维护党员"),
            steps=gettext_lazy("按“说明”表填写;党组织名称见“党组织”表。"),
            list_route="orgs:member_list",
            chunk=200,
        )
    )
