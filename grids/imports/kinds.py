"""Which workbooks can be imported, declared once: for each kind its columns, the class that checks
and writes its rows a chunk at a time, its template workbook, the capability a user needs to start
it, its titles and the audit action of its real run. Residents and buildings are declared here;
posts and party members live a floor above and register themselves from orgs' AppConfig.ready(),
so this room never imports theirs."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.capabilities import Capability
from core.scope import Scope
from grids.import_models import ImportKind
from grids.imports.columns import COLUMNS, Column

DENIED = _("您的岗位不能办理这类导入")
STEPS = _("按“说明”表填写。")


@dataclass(frozen=True)
class Kind:
    slug: str  # a grids.import_models.ImportKind value
    title: Promise  # the start page's heading and the menu's words
    columns: list[Column]
    # engine(actor=, scope=) → an object with chunk(rows) → [Outcome], called for each chunk in
    # order, and done(), called once after the last, in the same transaction
    engine: Callable
    template: Callable[[Scope], bytes]  # the workbook to fill in, for this scope
    capability: str  # what a post must allow, somewhere, to start one; each row is checked at its place
    action: str  # the audit action of a real run that wrote its rows
    written: list[str]  # the fields a real run writes, for that audit entry
    denied: Promise = DENIED
    steps: Promise = STEPS
    list_route: str = ""  # the list page this kind fills, linked from the start page
    chunk: int = 2000  # rows checked (and written) together

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]

    def may_start(self, scope: Scope) -> bool:
        return scope.has_areas and scope.may(self.capability)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.slug] = kind


def get(slug: str) -> Kind:
    """The kind of that name, or a 404: a URL that names no kind names no page."""
    _load_own()
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None


def offered(scope: Scope) -> list[Kind]:
    """The kinds this user may start, in the order they were declared."""
    _load_own()
    order = list(ImportKind.values)
    kinds = sorted(KINDS.values(), key=lambda kind: order.index(kind.slug))
    return [kind for kind in kinds if kind.may_start(scope)]


_loaded = False


def _load_own() -> None:
    """This room's own kinds, declared on first use (their modules import this one)."""
    global _loaded
    if _loaded:
        return
    from grids.imports import buildings, residents, template

    register(
        Kind(
            slug="residents",
            title=_("导入住户和居民"),
            columns=COLUMNS,
            engine=residents.ResidentImport,
            template=template.template_workbook,
            capability=Capability.EDIT_PEOPLE,
            action="grids.import_residents",
            written=["household", "name", "citizen_id", "phone", "residence_status", "relation"],
            denied=_("您的岗位不能维护住户和居民"),
            steps=_("按“说明”表填写;楼栋编码见“楼栋”表。"),
            list_route="grids:resident_list",
            chunk=residents.CHUNK,
        )
    )
    register(
        Kind(
            slug="buildings",
            title=_("导入楼栋"),
            columns=buildings.COLUMNS,
            engine=buildings.BuildingImport,
            template=buildings.template_workbook,
            capability=Capability.KEEP_GRIDS,
            action="grids.import_buildings",
            written=["name", "code", "parent", "address", "units", "floors"],
            denied=_("您的岗位不能维护楼栋"),
            steps=_("按“说明”表填写;社区和网格名称见“网格”表。"),
            list_route="grids:place_list",
            chunk=200,
        )
    )
    _loaded = True
