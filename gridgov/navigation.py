"""The menu, declared once: each entry is a page and the check its view makes before answering,
so a role is offered exactly the pages it may open (tests/test_navigation.py walks them per role).

The checks are the views' own: a page of places opens to a scope with areas
(`area_scope_or_404`), the case pages to one with areas or departments (`case_scope_or_404`),
the dispatch board to who may dispatch for a street, the audit log to its readers."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.capabilities import Capability
from core.scope import Scope
from grids import geoimport
from grids.imports import kinds
from orgs import client_keys


@dataclass(frozen=True)
class Entry:
    label: Promise
    url_name: str
    opens: Callable[[Scope, object], bool]  # (scope, user) → the view answers this caller with the page
    # Tools of a few (the audit log, the admin) sit in the account menu, so the bar holds one line.
    tool: bool = False
    # The records staff keep share one dropdown (基础信息), under a heading per group.
    group: Promise | None = None
    args: tuple[str, ...] = ()  # for a page of several entries (each import kind's)

    @property
    def records(self) -> bool:
        return self.group is not None

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.args)


def _anyone(scope, user) -> bool:
    return True


def _places(scope, user) -> bool:
    return scope.has_areas


def _cases(scope, user) -> bool:
    return scope.has_areas or bool(scope.department_ids)


def _dispatcher(scope, user) -> bool:
    return scope.has_areas and scope.may(Capability.DISPATCH_FOR_STREET)


def _people_editor(scope, user) -> bool:
    return scope.has_areas and scope.may(Capability.EDIT_PEOPLE)


def _people_exporter(scope, user) -> bool:
    return scope.has_areas and scope.may(Capability.EXPORT_PEOPLE)


def _importer(kind: str) -> Callable[[Scope, object], bool]:
    def opens(scope, user) -> bool:
        return kinds.get(kind).may_start(scope)

    return opens


def _geometry_importer(scope, user) -> bool:
    return geoimport.may_import(scope)


def _auditor(scope, user) -> bool:
    return user.is_staff and user.has_perm("core.audit_reader")


def _webhook_keeper(scope, user) -> bool:
    return scope.may(Capability.MANAGE_WEBHOOKS)


def _key_keeper(scope, user) -> bool:
    return client_keys.may_keep(scope)


def _property_keeper(scope, user) -> bool:
    """物业服务: the street's and the community's staff (who inspect; the street also decides)."""
    return scope.has_areas and scope.may(Capability.MANAGE_COMMUNITY)


def _staff(scope, user) -> bool:
    return user.is_staff


# The dropdown's groups, in its order: the entries of a group stand together in MENU.
PEOPLE = _("人口与区域")
PARTY = _("党建与共建")
SERVICE = _("网格服务")
REVIEW = _("考核评价")

MENU = [
    Entry(_("工作台"), "home", _anyone),
    Entry(_("案件"), "cases:list", _cases),
    Entry(_("派遣台"), "cases:board", _dispatcher),
    Entry(_("指挥看板"), "cases:dashboard", _cases),
    Entry(_("区域"), "grids:tree", _places),
    Entry(_("一张图"), "grids:map", _places),
    Entry(pgettext_lazy("menu", "党组织"), "orgs:chart", _places),
    Entry(_("组织覆盖"), "orgs:coverage", _places),
    Entry(pgettext_lazy("menu", "共建单位"), "cobuilding:unit_list", _places),
    Entry(_("居民查询"), "grids:resident_search", _places, group=PEOPLE),
    Entry(_("区域维护"), "grids:place_list", _places, group=PEOPLE),
    Entry(_("住户"), "grids:household_list", _places, group=PEOPLE),
    Entry(_("居民"), "grids:resident_list", _places, group=PEOPLE),
    Entry(_("岗位任职"), "orgs:post_list", _places, group=PEOPLE),
    Entry(_("导入居民"), "grids:import_start", _people_editor, group=PEOPLE),
    *(
        Entry(label, "grids:kind_import_start", _importer(kind), group=PEOPLE, args=(kind,))
        for kind, label in [("buildings", _("导入楼栋")), ("posts", _("导入岗位")), ("members", _("导入党员"))]
    ),
    Entry(_("导入边界和位置点"), "grids:geometry_import", _geometry_importer, group=PEOPLE),
    Entry(_("导出居民"), "grids:export_residents", _people_exporter, group=PEOPLE),
    Entry(_("党组织维护"), "orgs:organization_list", _places, group=PARTY),
    Entry(_("党员名册"), "orgs:member_list", _places, group=PARTY),
    Entry(_("共治资源"), "cobuilding:resource_list", _places, group=PARTY),
    Entry(_("需求清单"), "cobuilding:need_list", _places, group=PARTY),
    Entry(_("服务项目"), "cobuilding:project_list", _places, group=PARTY),
    Entry(_("联席会议"), "cobuilding:meeting_list", _places, group=PARTY),
    Entry(_("区域化党建联盟"), "alliances:alliance_list", _places, group=PARTY),
    Entry(_("三级联席会议"), "alliances:meeting_list", _places, group=PARTY),
    Entry(_("在职党员双报告"), "alliances:service_list", _places, group=PARTY),
    Entry(_("走访计划"), "cases:visit_rule_list", _places, group=SERVICE),
    Entry(_("网格例会"), "gridwork:meeting_list", _places, group=SERVICE),
    Entry(_("例会制度"), "gridwork:meeting_rule_list", _places, group=SERVICE),
    Entry(_("便民服务"), "hall:request_list", _places, group=SERVICE),
    Entry(_("便民服务统计"), "hall:stats", _places, group=SERVICE),
    Entry(_("居民评议"), "appraisal:round_list", _places, group=REVIEW),
    Entry(_("网格员培训"), "appraisal:training_list", _places, group=REVIEW),
    Entry(_("年度考核"), "appraisal:ranking", _places, group=REVIEW),
    Entry(_("物业公司"), "estates:company_list", _property_keeper, group=REVIEW),
    Entry(_("物业准入退出"), "estates:term_list", _property_keeper, group=REVIEW),
    Entry(_("物业检查"), "estates:inspection_list", _property_keeper, group=REVIEW),
    Entry(_("物业考核"), "estates:round_list", _property_keeper, group=REVIEW),
    Entry(_("物业考核结果"), "estates:assessment_list", _property_keeper, group=REVIEW),
    Entry(_("经费测算"), "funding:runs", _places),
    Entry(_("事件推送"), "cases:webhook_list", _webhook_keeper, tool=True),
    Entry(_("审计日志"), "core:audit", _auditor, tool=True),
    Entry(_("接入密钥"), "orgs:client_keys", _key_keeper, tool=True),
    Entry(_("后台管理"), "admin:index", _staff, tool=True),
]


def menu_for(scope: Scope, user) -> list[Entry]:
    if not user.is_authenticated:
        return []
    return [entry for entry in MENU if entry.opens(scope, user)]
