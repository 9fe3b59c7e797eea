"""Importing boundaries and building points for a community or a street from a GeoJSON or KML file
(grids.geofiles reads them): a dry run that says, feature by feature, matched (the place's shape
changes), new (the place had none), unchanged, or refused and why; then the real run, which writes
the valid ones in one transaction. Each feature is written through grids.shapes.set_shape, so the
file passes the very checks the 位置 page makes, and each place written gets its audit entry.

The checks that involve several features (a grid inside a community drawn in the same file, two
grids of the file overlapping) are made by writing: places top down (a community before its grids
before their buildings), each told which places are still to come so their old shapes do not count
against it; a pass that refuses anything is rolled back and run again without the refused, so the
shapes kept were each checked against what will stand. A dry run rolls back its last pass too.

The run and its per-feature outcomes are an ImportRun and its ImportRows, as the Excel imports
leave; unlike those it runs in the request: a street's file is a few thousand features at most
(geofiles.MAX_FEATURES), and a feature's check is a few queries."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.bulk import bulk_insert
from core.capabilities import Capability
from core.scope import Scope, scope_for
from grids import geofiles, geometry
from grids.geofiles import Feature
from grids.import_models import ImportKind, ImportRow, ImportRun, ImportStatus, RowOutcome
from grids.models import Area, AreaKind, AreaShape
from grids.shapes import set_shape

PLACE_KINDS = (AreaKind.STREET, AreaKind.TOWN, AreaKind.COMMUNITY)
# A feature's `kind` may be the English value or the Chinese word.
KIND_WORDS = {value: value for value in AreaKind.values} | {str(label): value for value, label in AreaKind.choices}


def may_import(scope: Scope) -> bool:
    return scope.has_areas and (scope.may(Capability.KEEP_GRIDS) or scope.may(Capability.KEEP_STREETS))


def importable_places(scope: Scope) -> QuerySet[Area]:
    """The streets and communities a file may be imported for: those the user sees."""
    return Area.objects.within(scope).filter(kind__in=PLACE_KINDS).order_by("tree_id", "lft")


def exported_shapes(scope: Scope, place: Area) -> QuerySet[AreaShape]:
    """The shapes of the place and everything under it that the user sees, top down."""
    return (
        AreaShape.objects.within(scope)
        .filter(area__tree_id=place.tree_id, area__lft__gte=place.lft, area__rght__lte=place.rght)
        .select_related("area")
        .order_by("area__lft")
    )


class _Rollback(Exception):
    """Leaves a pass with nothing kept."""


class _Check:
    """One file's features against one place: what each is, and what is wrong with it."""

    def __init__(self, *, actor, scope: Scope, place: Area, features: list[Feature]):
        self.actor, self.scope, self.place, self.features = actor, scope, place, features
        self.outcomes: dict[int, tuple[str, str]] = {}  # feature number → (outcome, reason)
        self.areas: dict[int, Area] = {}  # feature number → its place
        self._match()

    def _refuse(self, feature: Feature, reason: str) -> None:
        self.outcomes[feature.number] = (RowOutcome.REFUSED, reason)

    def _match(self) -> None:
        codes = {feature.code for feature in self.features if feature.code}
        under = (
            Area.objects.within(self.scope)
            .filter(tree_id=self.place.tree_id, lft__gte=self.place.lft, rght__lte=self.place.rght, code__in=codes)
            .select_related("parent", "shape")
        )
        found = {area.code: area for area in under}
        rest = codes - found.keys()
        seen_elsewhere = set(Area.objects.within(self.scope).filter(code__in=rest).values_list("code", flat=True))
        anywhere = set(
            Area.objects.unscoped("whether a code the user cannot see names a place at all, to say which fault it is")
            .filter(code__in=rest - seen_elsewhere)
            .values_list("code", flat=True)
        )
        seen: set[str] = set()
        for feature in self.features:
            area = found.get(feature.code)
            kind = KIND_WORDS.get(feature.kind) if feature.kind else (area.kind if area else "")
            if feature.problem:
                self._refuse(feature, feature.problem)
            elif feature.code in seen:
                self._refuse(feature, _("文件中已有编码相同的要素"))
            elif feature.kind and kind is None:
                self._refuse(feature, _("kind 属性“%(kind)s”不是区域类型") % {"kind": feature.kind[:20]})
            elif kind == AreaKind.GRID and (problem := self._grid_code_problem(feature.code, area)):
                self._refuse(feature, problem)
            elif area is None:
                self._refuse(feature, self._missing(feature.code, seen_elsewhere, anywhere))
            elif kind != area.kind:
                self._refuse(
                    feature,
                    _("%(code)s 是%(kind)s,不是文件所说的类型") % {"code": area.code, "kind": area.get_kind_display()},
                )
            elif problem := self._geometry_problem(feature, area):
                self._refuse(feature, problem)
            else:
                self.areas[feature.number] = area
            seen.add(feature.code)

    def _grid_code_problem(self, code: str, area: Area | None) -> str | None:
        if area is not None and area.parent is not None:
            community_code = area.parent.code
        elif self.place.kind == AreaKind.COMMUNITY:
            community_code = self.place.code
        else:
            community_code = code[:12]  # the form and the sequence number are all a street can check
        return geometry.grid_code_problem(code, community_code)

    def _missing(self, code: str, seen_elsewhere: set[str], anywhere: set[str]) -> str:
        if code in seen_elsewhere:
            return _("%(code)s 不在%(place)s内") % {"code": code, "place": self.place.name}
        if code in anywhere:
            return _("%(code)s 不在您的管辖范围内") % {"code": code}
        return _("没有编码为 %(code)s 的区域") % {"code": code}

    def _geometry_problem(self, feature: Feature, area: Area) -> str | None:
        """What is wrong with the geometry alone; None when it is fine (and the outcome is then
        unchanged, new or matched)."""
        shape = getattr(area, "shape", None)
        data = feature.geometry
        try:
            if area.kind == AreaKind.BUILDING:
                if data.get("type") != "Point":
                    return _("楼栋应为 Point(位置点)")
                lng, lat = (float(value) for value in data.get("coordinates", [])[:2])
                geometry.check_point(lng, lat)
                same = shape is not None and (shape.lng, shape.lat) == (round(lng, 6), round(lat, 6))
            else:
                drawn = geometry.polygon(data).normalize()
                # As kept, to six decimals; GEOS may have started the ring at another vertex.
                same = shape is not None and shape.boundary is not None
                same = same and drawn.equals_exact(geometry.polygon(shape.boundary).normalize(), 1e-6)
        except ValidationError as exc:
            return ";".join(exc.messages)
        except (TypeError, ValueError):
            return _("位置点坐标格式不正确")
        if same:
            self.outcomes[feature.number] = (RowOutcome.UNCHANGED, "")
        else:
            had = shape is not None and (shape.boundary if area.kind != AreaKind.BUILDING else shape.lat) is not None
            self.outcomes[feature.number] = (RowOutcome.UPDATED if had else RowOutcome.CREATED, "")
        return None

    def _to_write(self) -> list[Feature]:
        written = [f for f in self.features if self.outcomes[f.number][0] in (RowOutcome.CREATED, RowOutcome.UPDATED)]
        return sorted(written, key=lambda feature: (self.areas[feature.number].level, feature.number))

    def _write(self, feature: Feature, still_to_come: set[int]) -> None:
        area, data = self.areas[feature.number], feature.geometry
        if area.kind == AreaKind.BUILDING:
            lng, lat = data["coordinates"][:2]
            set_shape(actor=self.actor, area=area, lng=float(lng), lat=float(lat))
        else:
            set_shape(actor=self.actor, area=area, boundary=data, replacing=still_to_come)

    def _pass(self, features: list[Feature]) -> dict[int, str]:
        """Writes the features in order; the refused ones' reasons."""
        refused = {}
        still_to_come = {self.areas[feature.number].pk for feature in features}
        for feature in features:
            still_to_come.discard(self.areas[feature.number].pk)
            try:
                with transaction.atomic():
                    self._write(feature, still_to_come)
            except ValidationError as exc:
                refused[feature.number] = ";".join(exc.messages)
            except PermissionDenied as exc:
                refused[feature.number] = str(exc) or _("%(code)s 不在您的管辖范围内") % {"code": feature.code}
        return refused

    def run(self, *, keep: bool) -> None:
        """Passes until one refuses nothing; that one is kept if `keep`. Inside a transaction."""
        while True:
            try:
                with transaction.atomic():
                    refused = self._pass(self._to_write())
                    if refused or not keep:
                        raise _Rollback
                    return
            except _Rollback:
                for number, reason in refused.items():
                    self.outcomes[number] = (RowOutcome.REFUSED, reason)
                if not refused:
                    return

    def rows(self, run: ImportRun) -> list[ImportRow]:
        return [
            ImportRow(run=run, number=f.number, place=f.label, outcome=self.outcomes[f.number][0], reason=reason[:500])
            for f in self.features
            for reason in [self.outcomes[f.number][1]]
        ]


def _require_importer(actor, place: Area) -> Scope:
    scope = scope_for(actor)
    if not may_import(scope) or not scope.covers(place) or place.kind not in PLACE_KINDS:
        raise PermissionDenied(_("您的岗位不能导入这里的边界和位置点"))
    return scope


def _finish(run: ImportRun, check: _Check) -> None:
    outcomes = [outcome for outcome, _reason in check.outcomes.values()]
    for value in RowOutcome.values:
        setattr(run, value, outcomes.count(value))
    run.status = ImportStatus.DONE
    run.finished_at = timezone.now()
    run.save()
    bulk_insert(check.rows(run))


@transaction.atomic
def check_geometry_import(*, actor, place: Area, upload) -> ImportRun:
    """The dry run: every feature checked as if written, nothing kept but the run and its outcomes.
    The file is kept (named by a random id) for the real run."""
    scope = _require_importer(actor, place)
    data = upload.read(geofiles.MAX_BYTES + 1)
    features = geofiles.read(data)
    check = _Check(actor=actor, scope=scope, place=place, features=features)
    check.run(keep=False)
    run = ImportRun(owner=actor, kind=ImportKind.GEOMETRY, area=place, file_name=(upload.name or "")[:200])
    run.source.save(f"{uuid.uuid4().hex}.geo", ContentFile(data), save=False)
    _finish(run, check)
    audit.record(actor=actor, action="grids.check_geometry_import", target=run, fields=["area", "file_name", "source"])
    return run


@transaction.atomic
def apply_geometry_import(*, actor, run: ImportRun) -> ImportRun:
    """The real run of a dry run: checked again (places may have moved since), the valid features
    written together; a second request returns the first real run."""
    run = ImportRun.objects.select_for_update(of=("self",)).select_related("area").get(pk=run.pk, owner=actor)
    if hasattr(run, "applied_as"):
        return run.applied_as
    if not run.dry_run or run.kind != ImportKind.GEOMETRY or not run.source or run.area is None:
        raise ValidationError(_("只能在试导入完成后正式导入"), code="not_checked")
    scope = _require_importer(actor, run.area)
    with run.source.open("rb") as stored:
        features = geofiles.read(stored.read())
    check = _Check(actor=actor, scope=scope, place=run.area, features=features)
    check.run(keep=True)
    real = ImportRun(
        owner=actor,
        kind=ImportKind.GEOMETRY,
        area=run.area,
        file_name=run.file_name,
        dry_run=False,
        checked_by=run,
        applied=True,
    )
    _finish(real, check)
    run.source.storage.delete(run.source.name)
    ImportRun.objects.filter(pk=run.pk).update(source="")
    audit.record(
        actor=actor,
        action="grids.import_geometry",
        target=real,
        fields=["boundary", "lng", "lat", "created", "updated", "unchanged", "refused"],
    )
    return real
