"""Reading and writing the files surveying offices hand out: GeoJSON (RFC 7946, a FeatureCollection)
and KML (Google Earth's, what 奥维 and most survey software export), each feature naming its place
by a `code` property and optionally a `name` and a `kind`. KML is read with the standard library:
its Placemarks, their ExtendedData (Data or SimpleData) and a Point, Polygon or MultiGeometry.

Shapefiles are not read: one is a set of files (.shp, .dbf, .prj) zipped together, and those a
surveying office keeps are usually in a projected CGCS2000 Gauss–Krüger zone, which needs PROJ
(pyproj) to turn into degrees; QGIS saves any of them as GeoJSON in two clicks.
"""

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grids.models import AreaKind

MAX_BYTES = 10 * 2**20
# A street's grids, compounds and buildings: a few thousand at most.
MAX_FEATURES = 5000


@dataclass
class Feature:
    number: int  # 1 for the file's first feature
    code: str
    name: str
    kind: str
    geometry: dict | None  # a GeoJSON geometry
    problem: str = ""  # why it cannot be read, in the user's language

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip()[:80]


def _unreadable() -> ValidationError:
    return ValidationError(_("文件不是可读的 GeoJSON 或 KML"), code="unreadable")


def read(data: bytes) -> list[Feature]:
    """The features of an uploaded file, GeoJSON or KML by its first character; a ValidationError
    for a file that is neither, too big, or holds no feature."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("文件超过%(mb)dMB,请分批导入"), code="too_big", params={"mb": MAX_BYTES // 2**20})
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    features = _read_kml(data) if head == b"<" else _read_geojson(data)
    if not features:
        raise ValidationError(_("文件中没有要素"), code="empty")
    if len(features) > MAX_FEATURES:
        raise ValidationError(_("要素超过%(n)d个,请分批导入"), code="too_many", params={"n": MAX_FEATURES})
    return features


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _feature(number: int, properties: dict, geometry) -> Feature:
    feature = Feature(
        number=number,
        code=_text(properties.get("code"))[:24],
        name=_text(properties.get("name"))[:60],
        kind=_text(properties.get("kind")),
        geometry=geometry if isinstance(geometry, dict) else None,
    )
    if not feature.code:
        feature.problem = _("要素缺少 code 属性")
    elif feature.geometry is None:
        feature.problem = _("要素没有几何形状")
    return feature


def _read_geojson(data: bytes) -> list[Feature]:
    try:
        collection = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise _unreadable() from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise ValidationError(_("GeoJSON 文件应为 FeatureCollection"), code="not_collection")
    features = collection.get("features")
    if not isinstance(features, list):
        raise _unreadable()
    read = []
    for number, item in enumerate(features[: MAX_FEATURES + 1], start=1):
        item = item if isinstance(item, dict) else {}
        properties = item.get("properties") if isinstance(item.get("properties"), dict) else {}
        read.append(_feature(number, properties, item.get("geometry")))
    return read


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _descendants(element, name: str) -> list:
    return [child for child in element.iter() if _local(child.tag) == name]


def _coordinates(element) -> list[list[float]]:
    """A KML coordinates text, "lng,lat[,alt] lng,lat[,alt] …", as GeoJSON positions."""
    text = " ".join(_text(found.text) for found in _descendants(element, "coordinates"))
    return [[float(part) for part in item.split(",")[:2]] for item in text.split()]


def _kml_polygon(element) -> list:
    rings = []
    for side in ("outerBoundaryIs", "innerBoundaryIs"):
        for boundary in _children(element, side):
            rings.extend(_coordinates(ring) for ring in _descendants(boundary, "LinearRing"))
    return rings


def _kml_geometry(placemark) -> dict | None:
    points = _descendants(placemark, "Point")
    polygons = _descendants(placemark, "Polygon")
    if polygons:
        shapes = [_kml_polygon(polygon) for polygon in polygons]
        if len(shapes) == 1:
            return {"type": "Polygon", "coordinates": shapes[0]}
        return {"type": "MultiPolygon", "coordinates": shapes}
    if points:
        position = _coordinates(points[0])
        return {"type": "Point", "coordinates": position[0] if position else []}
    return None


def _kml_properties(placemark) -> dict:
    properties = {}
    for data in _descendants(placemark, "Data"):
        values = _children(data, "value")
        properties[data.get("name", "")] = values[0].text if values else ""
    for data in _descendants(placemark, "SimpleData"):
        properties[data.get("name", "")] = data.text
    names = _children(placemark, "name")
    if names and not properties.get("name"):
        properties["name"] = names[0].text
    return properties


def _read_kml(data: bytes) -> list[Feature]:
    # Entities are what an XML bomb is made of, and KML never declares any; ElementTree fetches no
    # external entity and this expat (2.4 and later) bounds their expansion besides.
    if b"<!DOCTYPE" in data[:2048].upper() or b"<!ENTITY" in data.upper():
        raise _unreadable()
    try:
        root = ET.fromstring(data)  # noqa: S314 (no DOCTYPE or ENTITY, refused above)
    except ET.ParseError:
        raise _unreadable() from None
    read = []
    for number, placemark in enumerate(_descendants(root, "Placemark")[: MAX_FEATURES + 1], start=1):
        try:
            geometry, problem = _kml_geometry(placemark), ""
        except ValueError:
            geometry, problem = None, _("坐标格式不正确")
        feature = _feature(number, _kml_properties(placemark), geometry)
        if problem and feature.code:
            feature.problem = problem
        read.append(feature)
    return read


def feature_collection(shapes) -> dict:
    """AreaShape rows (with their area) as the FeatureCollection the import reads back."""
    features = []
    for shape in shapes:
        area = shape.area
        # A building is its point, its footprint (if surveyed) stays out: the import sets points.
        point = area.kind == AreaKind.BUILDING or not shape.boundary
        geometry = {"type": "Point", "coordinates": [shape.lng, shape.lat]} if point else shape.boundary
        properties = {"code": area.code, "name": area.name, "kind": area.kind}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}
