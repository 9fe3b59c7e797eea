"""Importing boundaries and building points from GeoJSON and KML for a community: the dry run's
outcome for every feature, the real run writing the valid ones together, the export read back,
and who may (another community's codes, another community's export)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from core.scope import SYSTEM
from grids import geoimport, geometry
from grids.import_models import ImportRun
from grids.models import Area, AreaKind, AreaShape
from grids.shapes import set_shape
from tests.factories import AreaFactory
from tests.grids.test_geometry import BOW_TIE, square


def stored(*corner_and_size):
    """A square as set_shape keeps it (six decimals, its ring turned clockwise by GEOS)."""
    return geometry.as_geojson(geometry.polygon(square(*corner_and_size)))


K1 = "980101001001"
CODES = {"K1": K1, "A": f"{K1}001", "B": f"{K1}002", "K2": "980101001002", "C": "980101001002001"}
CODES |= {"A1": "A1", "A2": "A2", "B1": "B1"}  # buildings' codes are the district's own


@pytest.fixture
def mapped(world):
    """K1 drawn (114.00–114.02, 30.00–30.02), grid B drawn small in its east half with B1 in it;
    grid A and its buildings not yet; three more grids of K1 (G, H, J) with no shape."""
    a = world.areas
    for key, code in CODES.items():
        Area.objects.filter(pk=a[key].pk).update(code=code)
        a[key].refresh_from_db()
    for key, sequence in [("G", "003"), ("H", "004"), ("J", "005")]:
        a[key] = AreaFactory(kind=AreaKind.GRID, name=f"网格{key}", parent=a["K1"], code=f"{K1}{sequence}")
    set_shape(actor=SYSTEM, area=a["K1"], boundary=square(114.0, 30.0, 0.02))
    set_shape(actor=SYSTEM, area=a["B"], boundary=square(114.012, 30.002, 0.005))
    set_shape(actor=SYSTEM, area=a["B1"], lng=114.015, lat=30.005)
    return a


def feature(code, geometry, **properties):
    return {"type": "Feature", "properties": {"code": code, **properties}, "geometry": geometry}


def point(lng, lat):
    return {"type": "Point", "coordinates": [lng, lat]}


def geojson_file(features, name="k1.geojson"):
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return SimpleUploadedFile(name, data, content_type="application/geo+json")


def outcomes(run: ImportRun) -> dict[int, tuple[str, str]]:
    return {row.number: (row.outcome, row.reason) for row in run.outcomes.all()}


GOOD_AND_BAD = [
    feature(CODES["A"], square(114.0, 30.0), name="网格A", kind="grid"),  # 1 new
    feature(CODES["B"], square(114.01, 30.0), kind="网格"),  # 2 matched: B's shape grows
    feature("A1", point(114.005, 30.005)),  # 3 new: in A as the file draws it
    feature("A2", point(114.015, 30.005)),  # 4 in grid B, not its own A (drawn in this file)
    feature("98010100100", square(114.0, 30.0), kind="grid"),  # 5 not the coding rule
    feature(f"{K1}003", {"type": "Polygon", "coordinates": [BOW_TIE]}),  # 6 G: crosses itself
    feature(f"{K1}004", square(114.0, 30.005)),  # 7 H: half over A, as this file draws A
    feature(f"{K1}005", square(114.03, 30.0)),  # 8 J: outside K1
    feature(CODES["C"], square(114.02, 30.0)),  # 9 K2's grid: not the user's
    feature(f"{K1}099", square(114.0, 30.0), kind="grid"),  # 10 by the rule, but no such grid
    feature(CODES["A"], square(114.0, 30.0)),  # 11 A again
    feature("B1", point(114.015, 30.005)),  # 12 where it is
    feature("", point(114.015, 30.005)),  # 13 no code
]
EXPECTED = {
    1: ("created", ""),
    2: ("updated", ""),
    3: ("created", ""),
    4: ("refused", "位置点不在网格A的范围内"),
    5: ("refused", "网格编码应为15位数字:社区12位编码加3位网格顺序号"),
    6: ("refused", "边界不是有效的多边形:Self-intersection[114.005 30.005]"),
    7: ("refused", "与同级的网格A重叠 50.0%(允许不超过 1%)"),
    8: ("refused", "边界超出了上级一社区的范围"),
    9: ("refused", "980101001002001 不在您的管辖范围内"),
    10: ("refused", "没有编码为 980101001001099 的区域"),
    11: ("refused", "文件中已有编码相同的要素"),
    12: ("unchanged", ""),
    13: ("refused", "要素缺少 code 属性"),
}


def test_a_dry_run_names_every_feature_and_writes_nothing(mapped, world):
    shapes_before = list(AreaShape.objects.values_list("area_id", "boundary", "lng", "lat").order_by("area_id"))
    run = geoimport.check_geometry_import(
        actor=world.users["community"], place=mapped["K1"], upload=geojson_file(GOOD_AND_BAD)
    )
    assert outcomes(run) == EXPECTED
    assert (run.created, run.updated, run.unchanged, run.refused) == (2, 1, 1, 9)
    assert run.dry_run and run.area == mapped["K1"] and not run.applied
    assert list(AreaShape.objects.values_list("area_id", "boundary", "lng", "lat").order_by("area_id")) == shapes_before
    assert not AuditEntry.objects.filter(action="grids.set_shape", actor=world.users["community"]).exists()
    assert run.outcomes.get(number=1).place == f"{CODES['A']} 网格A"


def test_the_real_run_writes_the_valid_features_together(mapped, world):
    community = world.users["community"]
    run = geoimport.check_geometry_import(actor=community, place=mapped["K1"], upload=geojson_file(GOOD_AND_BAD))
    real = geoimport.apply_geometry_import(actor=community, run=run)
    assert outcomes(real) == EXPECTED and real.applied and not real.dry_run
    assert geoimport.apply_geometry_import(actor=community, run=run) == real  # asked twice: the same run
    shapes = {shape.area_id: shape for shape in AreaShape.objects.all()}
    assert shapes[mapped["A"].pk].boundary == stored(114.0, 30.0)
    assert shapes[mapped["B"].pk].boundary == stored(114.01, 30.0)
    assert (shapes[mapped["A1"].pk].lng, shapes[mapped["A1"].pk].lat) == (114.005, 30.005)
    assert {mapped[key].pk for key in ["A2", "G", "H", "J"]}.isdisjoint(shapes)
    # The first pass refused A2, H and J and was rolled back whole: one entry per place written.
    written = AuditEntry.objects.filter(action="grids.set_shape", actor=community)
    assert sorted(written.values_list("target_id", flat=True)) == sorted(str(mapped[k].pk) for k in ["A", "B", "A1"])
    assert AuditEntry.objects.filter(action="grids.import_geometry", target_id=real.pk).exists()
    assert not ImportRun.objects.get(pk=run.pk).source  # the file is gone once applied


def test_the_real_run_checks_again(mapped, world):
    """A neighbour drawn after the dry run: the feature it now overlaps is refused, the rest kept."""
    community = world.users["community"]
    features = [feature(CODES["A"], square(114.0, 30.0)), feature("A1", point(114.005, 30.005))]
    run = geoimport.check_geometry_import(actor=community, place=mapped["K1"], upload=geojson_file(features))
    assert outcomes(run) == {1: ("created", ""), 2: ("created", "")}
    set_shape(actor=community, area=mapped["G"], boundary=square(114.0, 30.0, 0.008))
    real = geoimport.apply_geometry_import(actor=community, run=run)
    assert outcomes(real)[1][0] == "refused" and "网格G" in outcomes(real)[1][1]
    assert outcomes(real)[2] == ("created", "")  # in G's place it is still inside K1
    assert not AreaShape.objects.filter(area=mapped["A"]).exists()


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
  <Placemark><name>网格A</name>
    <ExtendedData><Data name="code"><value>{a}</value></Data><Data name="kind"><value>grid</value></Data></ExtendedData>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>
      114.0,30.0,0 114.01,30.0,0 114.01,30.01,0 114.0,30.01,0 114.0,30.0,0
    </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
  <Placemark><ExtendedData><SchemaData><SimpleData name="code">A1</SimpleData></SchemaData></ExtendedData>
    <Point><coordinates>114.005,30.005,0</coordinates></Point></Placemark>
  <Placemark><ExtendedData><SchemaData><SimpleData name="code">A2</SimpleData></SchemaData></ExtendedData>
    <Point><coordinates>114.03,30.005</coordinates></Point></Placemark>
  <Placemark><name>无编码</name><Point><coordinates>114.005,30.005</coordinates></Point></Placemark>
  <Placemark><ExtendedData><Data name="code"><value>{g}</value></Data></ExtendedData>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>
      114.0,30.0 114.01,30.01 114.01,30.0 114.0,30.01 114.0,30.0
    </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
  <Placemark><ExtendedData><Data name="code"><value>B1</value></Data></ExtendedData>
    <Point><coordinates>东经114,30</coordinates></Point></Placemark>
</Document></kml>"""


def test_a_kml_file_from_the_surveying_office(mapped, world):
    data = KML.format(a=CODES["A"], g=f"{K1}003").encode()
    upload = SimpleUploadedFile("k1.kml", data, content_type="application/vnd.google-earth.kml+xml")
    run = geoimport.check_geometry_import(actor=world.users["community"], place=mapped["K1"], upload=upload)
    assert outcomes(run) == {
        1: ("created", ""),
        2: ("created", ""),
        3: ("refused", "位置点不在网格A的范围内"),  # A as the same file draws it
        4: ("refused", "要素缺少 code 属性"),
        5: ("refused", "边界不是有效的多边形:Self-intersection[114.005 30.005]"),
        6: ("refused", "坐标格式不正确"),
    }
    assert run.outcomes.get(number=1).place == f"{CODES['A']} 网格A"


def test_a_file_that_is_neither_is_refused_whole(mapped, world, client_for):
    client = client_for(world.users["community"])
    for data in [
        b"not json",
        b'{"type": "Feature"}',
        b"<kml><Document/></kml>",
        b'<!DOCTYPE x [<!ENTITY a "b">]><kml/>',
    ]:
        upload = SimpleUploadedFile("bad.geojson", data)
        response = client.post(reverse("grids:geometry_import"), {"place": mapped["K1"].pk, "source": upload})
        assert response.status_code == 400
    assert not ImportRun.objects.exists()


def test_the_export_reads_back_unchanged(mapped, world, client_for):
    community = world.users["community"]
    run = geoimport.check_geometry_import(actor=community, place=mapped["K1"], upload=geojson_file(GOOD_AND_BAD))
    geoimport.apply_geometry_import(actor=community, run=run)
    response = client_for(community).get(reverse("grids:geometry_export", args=[mapped["K1"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    exported = json.loads(response.content)
    codes = [f["properties"]["code"] for f in exported["features"]]
    assert sorted(codes) == sorted([K1, CODES["A"], CODES["B"], "A1", "B1"])
    again = geoimport.check_geometry_import(
        actor=community, place=mapped["K1"], upload=geojson_file(exported["features"])
    )
    assert set(outcomes(again).values()) == {("unchanged", "")}


def test_pages_and_scope(mapped, world, client_for):
    community = client_for(world.users["community"])
    page = community.get(reverse("grids:geometry_import"))
    assert page.status_code == 200
    assert [p.pk for p in page.context["form"].fields["place"].queryset] == [mapped["K1"].pk]
    response = community.post(
        reverse("grids:geometry_import"), {"place": mapped["K1"].pk, "source": geojson_file(GOOD_AND_BAD)}
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("grids:geometry_import_run", args=[run.pk])
    shown = community.get(reverse("grids:geometry_import_run", args=[run.pk]))
    assert "与同级的网格A重叠 50.0%" in shown.content.decode()
    applied = community.post(reverse("grids:geometry_import_apply", args=[run.pk]))
    assert applied["Location"] == reverse("grids:geometry_import_run", args=[run.applied_as.pk])
    # Another community's import page, export and run are not there for them.
    assert community.post(reverse("grids:geometry_import"), {"place": mapped["K2"].pk}).status_code == 400
    assert community.get(reverse("grids:geometry_export", args=[mapped["K2"].pk])).status_code == 404
    street = client_for(world.users["street"])
    assert street.get(reverse("grids:geometry_import_run", args=[run.pk])).status_code == 404
    assert client_for(world.users["grid_a"]).get(reverse("grids:geometry_import")).status_code == 404
