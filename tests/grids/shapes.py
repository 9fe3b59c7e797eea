"""Shapes for the persona world's places, laid out as the demo's are (demo.geo): neighbours share
edges, every place lies in the one above, every building has a point."""

from demo import geo
from grids.models import Area, AreaShape


def draw(areas=None) -> dict[int, AreaShape]:
    """A shape for every area (or those given, with their subtrees), in one bulk insert."""
    rows = list(
        (areas if areas is not None else Area.objects.all())
        .order_by("tree_id", "lft")
        .values("pk", "kind", "parent_id")
    )
    nodes = {row["pk"]: {"pk": row["pk"], "kind": row["kind"], "children": []} for row in rows}
    roots = []
    for row in rows:
        parent = nodes.get(row["parent_id"])
        (parent["children"] if parent else roots).append(nodes[row["pk"]])
    shapes = [AreaShape(area_id=node["pk"], **geo.shape_fields(shape)) for node, shape in geo.lay_out(roots, "tests")]
    AreaShape.objects.bulk_create(shapes)
    return {shape.area_id: shape for shape in shapes}
