"""The posts and party-members imports: each through its service (appoint, register_member), so a
workbook is refused exactly where the page would refuse the same entry, with the column named."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry
from core.scope import SYSTEM
from orgs import services as org_services
from orgs.imports import MEMBER_COLUMNS, POST_COLUMNS
from orgs.models import PartyMember, Post
from tests.factories import citizen_id
from tests.grids.workbooks import apply_kind, import_kind, outcomes, reasons, xlsx

POST_HEADINGS = [column.heading for column in POST_COLUMNS]
MEMBER_HEADINGS = [column.heading for column in MEMBER_COLUMNS]
BAD_CHECK_DIGIT = "110105198005170010"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# Posts ---------------------------------------------------------------------------------------------


def _post_rows(world):
    a = world.areas
    User.objects.create_user("import_b_slot")
    return [
        ["王网格", "", "兼职网格员", a["A"].code, "", datetime.date(2026, 1, 1), ""],  # 2 created (a date cell)
        ["李楼长", "", "楼栋长", "A1楼", "", "2026-02-01", "2026-12-31"],  # 3 created (a place by its name)
        ["赵代岗", "import_b_slot", "专职网格员", a["B"].code, "B岗", "2026/3/1", ""],  # 4 created
        ["world_grid_a", "world_grid_a", "专职网格员", a["A"].code, "A岗", "2024-01-01", ""],  # 5 unchanged
        ["钱倒挂", "", "专职网格员", a["A"].code, "", "2026-05-01", "2026-04-01"],  # 6
        ["孙越级", "", "街道工作人员", a["A"].code, "", "2026-01-01", ""],  # 7
        ["周社区", "", "社区工作人员", a["K1"].code, "", "2026-01-01", ""],  # 8: the community's own level
        ["吴别处", "", "专职网格员", a["C"].code, "", "2026-01-01", ""],  # 9: a grid of K2
        ["郑队长", "", "队长", a["A"].code, "", "2026-01-01", ""],  # 10
        ["冯日期", "", "楼栋长", a["A1"].code, "", "明天", ""],  # 11
        ["陈账号", "nobody_by_that_name", "楼栋长", a["A1"].code, "", "2026-01-01", ""],  # 12
        ["褚A岗", "", "专职网格员", a["A"].code, "A岗", "2026-06-01", ""],  # 13: grid worker A holds it
    ]


POST_EXPECTED = {2: "created", 3: "created", 4: "created", 5: "unchanged", **{n: "refused" for n in range(6, 14)}}
POST_REASONS = {
    6: "离任日期:离任日期不能早于任职日期",
    7: "岗位:网格不能由您任命为“街道工作人员”",
    8: "地点:您的岗位不能任免这一级的岗位",
    9: "地点:地点不存在或不在您的辖区内",
    10: "岗位:“队长”不是可选的值",
    11: "任职日期:应为日期,如2024-07-01",
    12: "用户名:没有这个用户名",
    13: "AB岗:该区域此岗位的A岗已有人在岗",
}


def test_the_posts_dry_run_gives_each_row_its_outcome_and_appoints_nobody(world, client_for, run_tasks_here):
    before = Post.objects.count()
    client = client_for(world.users["community"])
    response, run = import_kind(client, "posts", xlsx(_post_rows(world), headings=POST_HEADINGS), run_tasks_here)
    assert response.status_code == 302
    assert outcomes(run) == POST_EXPECTED and reasons(run) == POST_REASONS
    assert Post.objects.count() == before


def test_the_posts_real_run_appoints_through_the_org_chain(world, client_for, run_tasks_here):
    before = Post.objects.count()
    client = client_for(world.users["community"])
    _response, run = import_kind(client, "posts", xlsx(_post_rows(world), headings=POST_HEADINGS), run_tasks_here)
    real = apply_kind(client, run, run_tasks_here)
    assert real.applied and outcomes(real) == POST_EXPECTED
    assert Post.objects.count() == before + 3
    post = Post.objects.get(holder_name="李楼长")
    assert (post.area, post.role, post.start, post.end) == (
        world.areas["A1"],
        "building_head",
        datetime.date(2026, 2, 1),
        datetime.date(2026, 12, 31),
    )
    b_slot = Post.objects.get(holder_name="赵代岗")
    assert (b_slot.user.username, b_slot.slot) == ("import_b_slot", "B")
    assert not Post.objects.filter(holder_name__in=["钱倒挂", "孙越级", "周社区", "吴别处", "褚A岗"]).exists()
    assert AuditEntry.objects.filter(action="orgs.appoint", target_id=str(post.pk)).exists()
    assert AuditEntry.objects.get(action="orgs.import_posts").target_id == str(real.pk)


def test_the_same_sheet_again_with_a_leaving_date_ends_the_post_it_made(world, client_for, run_tasks_here):
    client = client_for(world.users["community"])
    row = ["新楼栋长", "", "楼栋长", world.areas["A2"].code, "", "2026-02-01", ""]
    for sheet in ([row], [row]):
        _response, run = import_kind(client, "posts", xlsx(sheet, headings=POST_HEADINGS), run_tasks_here)
        apply_kind(client, run, run_tasks_here)
    ended = [*row[:6], "2026-11-30"]
    _response, run = import_kind(client, "posts", xlsx([ended], headings=POST_HEADINGS), run_tasks_here)
    real = apply_kind(client, run, run_tasks_here)
    assert outcomes(real) == {2: "updated"}
    post = Post.objects.get(holder_name="新楼栋长")  # one post, the one the first sheet made
    assert post.end == datetime.date(2026, 11, 30)


def test_street_staff_appoint_at_communities_not_in_grids(world, client_for, run_tasks_here):
    a = world.areas
    rows = [
        ["社区新人", "", "社区工作人员", a["K2"].code, "", "2026-01-01", ""],
        ["网格新人", "", "专职网格员", a["C"].code, "", "2026-01-01", ""],
    ]
    client = client_for(world.users["street"])
    _response, run = import_kind(client, "posts", xlsx(rows, headings=POST_HEADINGS), run_tasks_here)
    assert outcomes(run) == {2: "created", 3: "refused"}
    assert reasons(run) == {3: "地点:您的岗位不能任免这一级的岗位"}


def test_the_posts_template_lists_where_the_user_may_appoint(world, client_for):
    response = client_for(world.users["community"]).get(reverse("grids:kind_import_template", args=["posts"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["岗位", "说明", "地点", "岗位名称"]
    header, sample = list(workbook.worksheets[0].iter_rows(max_row=2, values_only=True))
    assert list(header) == ["姓名", "用户名", "岗位", "地点", "AB岗", "任职日期", "离任日期"]
    listed = {r[0] for r in workbook["地点"].iter_rows(min_row=2, values_only=True)}
    a = world.areas
    assert {a["A"].code, a["B"].code, a["A1"].code} <= listed
    assert a["K1"].code not in listed and a["C"].code not in listed
    assert sample[3] in listed


def test_only_who_appoints_may_import_posts(world, client_for):
    for persona in ["grid_a", "sunk", "officer", "leader"]:
        response = client_for(world.users[persona]).get(reverse("grids:kind_import_start", args=["posts"]))
        assert response.status_code == 404, persona


# Party members -------------------------------------------------------------------------------------


def _member_rows(world):
    r = world.residents
    org_services.register_member(  # A2's resident is already in the community's roll
        actor=SYSTEM,
        member=PartyMember(
            resident=r["A2"],
            organization=world.orgs["K1"],
            status="full",
            joined=datetime.date(2001, 7, 1),
            kind="resident",
        ),
    )
    return [
        ["新党员甲", "", "网格A党支部", "正式党员", "2015-07-01", "居住地党员(直接管)", ""],  # 2 created
        ["", r["A1b"].citizen_id, "网格A党支部", "预备党员", "2025-01-01", "居住地党员(直接管)", ""],  # 3 created
        ["在职戊", "", "一社区党总支", "正式党员", "2012-07-01", "在职党员(双重管)", "区财政局"],  # 4 created
        ["", r["A1"].citizen_id, "网格A党支部", "正式党员", "2010-07-01", "居住地党员(直接管)", ""],  # 5 unchanged
        ["党员乙", "", "网格A党支部", "正式党员", "2010-07-01", "流动党员(跟进管)", ""],  # 6 unchanged
        ["无组织", "", "没有这个党支部", "正式党员", "2010-07-01", "居住地党员(直接管)", ""],  # 7
        ["", r["A2"].citizen_id, "网格A党支部", "正式党员", "2010-07-01", "居住地党员(直接管)", ""],  # 8
        ["校验位错", BAD_CHECK_DIGIT, "网格A党支部", "正式党员", "2010-07-01", "居住地党员(直接管)", ""],  # 9
        ["未登记", citizen_id(), "网格A党支部", "正式党员", "2010-07-01", "居住地党员(直接管)", ""],  # 10
        ["在职无单位", "", "网格A党支部", "正式党员", "2010-07-01", "在职党员(双重管)", ""],  # 11
        ["类别错", "", "网格A党支部", "党员", "2010-07-01", "居住地党员(直接管)", ""],  # 12
        ["日期错", "", "网格A党支部", "正式党员", "2010-13-01", "居住地党员(直接管)", ""],  # 13
    ]


MEMBER_EXPECTED = {2: "created", 3: "created", 4: "created", 5: "unchanged", 6: "unchanged"}
MEMBER_EXPECTED |= {n: "refused" for n in range(7, 14)}
MEMBER_REASONS = {
    7: "所属党组织:党组织不存在或不在您的辖区内",
    8: "所属党组织:此人已在其他党组织的名册中,请先办理组织关系转接",
    9: "身份证号:身份证号校验位不正确,请核对最后一位",
    10: "身份证号:本辖区没有登记此身份证号的居民",
    11: "工作单位:在职党员须填写工作单位",
    12: "党员类别:“党员”不是可选的值",
    13: "入党日期:应为日期,如2024-07-01",
}


# The roll's keepers import it: the community's staff for the community's organisations.
def test_the_members_dry_run_and_real_run_give_each_row_its_outcome(world, client_for, run_tasks_here):
    client = client_for(world.users["community"])
    rows = _member_rows(world)
    before = PartyMember.objects.count()
    _response, run = import_kind(client, "members", xlsx(rows, headings=MEMBER_HEADINGS), run_tasks_here)
    assert outcomes(run) == MEMBER_EXPECTED and reasons(run) == MEMBER_REASONS
    assert PartyMember.objects.count() == before
    real = apply_kind(client, run, run_tasks_here)
    assert real.applied and outcomes(real) == MEMBER_EXPECTED
    assert PartyMember.objects.count() == before + 3
    linked = PartyMember.objects.get(resident=world.residents["A1b"])
    assert (linked.name, linked.organization, linked.status) == ("A1独居老人", world.orgs["A"], "probationary")
    assert PartyMember.objects.get(name="在职戊").work_unit == "区财政局"
    assert not PartyMember.objects.filter(name__in=["无组织", "校验位错", "未登记", "在职无单位"]).exists()
    assert PartyMember.objects.get(resident=world.residents["A1"]).organization == world.orgs["A"]
    assert PartyMember.objects.get(resident=world.residents["A2"]).organization == world.orgs["K1"]
    assert AuditEntry.objects.get(action="orgs.import_members").target_id == str(real.pk)


def test_an_id_is_never_echoed_back(world, client_for, run_tasks_here):
    client = client_for(world.users["admin"])
    rows = _member_rows(world)
    _response, run = import_kind(client, "members", xlsx(rows, headings=MEMBER_HEADINGS), run_tasks_here)
    ids = [row[1] for row in rows if row[1]]
    page = client.get(reverse("grids:kind_import_run", args=["members", run.pk])).content.decode()
    response = client.get(reverse("grids:kind_import_refused", args=["members", run.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
    assert [row[-2] for row in sheet.iter_rows(min_row=2, values_only=True)] == sorted(MEMBER_REASONS)
    for number in ids:
        assert number not in page and all(number not in cell for cell in cells)
        assert not any(number in reason for reason in reasons(run).values())


def test_an_organisation_outside_the_scope_is_refused_as_unknown(world, client_for, run_tasks_here):
    before = PartyMember.objects.count()
    rows = [["二社区新党员", "", "二社区党支部", "正式党员", "2010-07-01", "居住地党员(直接管)", ""]]
    client = client_for(world.users["community"])
    _response, run = import_kind(client, "members", xlsx(rows, headings=MEMBER_HEADINGS), run_tasks_here)
    assert reasons(run) == {2: "所属党组织:党组织不存在或不在您的辖区内"}
    assert PartyMember.objects.count() == before


def test_the_members_template_lists_the_organisations_in_scope(world, client_for):
    response = client_for(world.users["community"]).get(reverse("grids:kind_import_template", args=["members"]))
    workbook = load_workbook(io.BytesIO(response.content))
    header, _sample = list(workbook["党员"].iter_rows(max_row=2, values_only=True))
    assert list(header) == ["姓名", "身份证号", "所属党组织", "党员类别", "入党日期", "管理类型", "工作单位"]
    listed = {r[0] for r in workbook["党组织"].iter_rows(min_row=2, values_only=True)}
    assert {"一社区党总支", "网格A党支部", "A1楼党小组"} <= listed and "二社区党支部" not in listed
