"""The specification's two formats. JSON is DRF's; XML is written here, shaped as the
specification's examples: a root (`services`, `service_requests`, `errors`, `discovery`,
`service_definition`) named by the view, one element per row (`service`, `request`, `error`), and
lists inside a row as their singular (`endpoints` > `endpoint`, `values` > `value`)."""

from xml.etree import ElementTree

from rest_framework.renderers import BaseRenderer, JSONRenderer

SINGULAR = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


class Open311JSONRenderer(JSONRenderer):
    charset = "utf-8"


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ElementTree.Element, row: dict) -> None:
    for name, value in row.items():
        child = ElementTree.SubElement(element, name)
        if isinstance(value, list):
            for item in value:
                inner = ElementTree.SubElement(child, SINGULAR[name])
                if isinstance(item, dict):
                    _fill(inner, item)
                else:
                    inner.text = _text(item)
        elif isinstance(value, dict):
            _fill(child, value)
        else:
            child.text = _text(value)


class Open311XMLRenderer(BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        response, view = context.get("response"), context.get("view")
        if response is not None and response.status_code >= 400:
            root, item = "errors", "error"
        else:
            root, item = view.xml_root, view.xml_item
        element = ElementTree.Element(root)
        if isinstance(data, list):
            for row in data:
                _fill(ElementTree.SubElement(element, item), row)
        else:
            _fill(element, data)
        return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)
