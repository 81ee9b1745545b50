"""The two formats of GeoReport v2 and its error list.

JSON is the documents as they are. XML wraps them as the standard's examples do: a list is a
root element with one child per item (`<services><service>…`, `<service_requests><request>…`,
`<errors><error>…`), a null is an empty element, booleans are `true`/`false`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree

import msgspec
from litestar import Response

from core.errors import NotFound
from i18n import N_

JSON = "json"
XML = "xml"
MEDIA_TYPES = {JSON: "application/json", XML: "text/xml"}  # Litestar adds the charset
# The element name of each item of a list, by the list's own name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def split_format(name: str) -> tuple[str, str]:
    """'services.json' -> ('services', 'json'). Every GeoReport path ends in its format."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or extension.lower() not in MEDIA_TYPES:
        raise NotFound(
            N_("Alamat harus diakhiri .json atau .xml."),
            field="format",
        )
    return stem, extension.lower()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ElementTree.Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), key, item)
    elif isinstance(value, list):
        item_name = ITEM_NAMES[name]
        for item in value:
            _fill(ElementTree.SubElement(element, item_name), item_name, item)
    elif value is not None:
        element.text = _text(value)


def to_xml(root: str, content: Any) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, root, content)
    xml: bytes = ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)
    return xml


def respond(
    content: msgspec.Struct | Sequence[msgspec.Struct],
    *,
    root: str,
    fmt: str,
    status_code: int = 200,
) -> Response[bytes]:
    """`content` in `fmt`; `root` names the XML document element (and its items). Records
    are written field by field, in their order."""
    document = msgspec.to_builtins(content)
    body = (
        to_xml(root, document)
        if fmt == XML
        else json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    )
    return Response(body, status_code=status_code, media_type=MEDIA_TYPES[fmt])


class Open311Error(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the standard's error list."""

    code: int
    description: str


def error_list(status_code: int, description: str, *, fmt: str) -> Response[bytes]:
    return respond(
        [Open311Error(code=status_code, description=description)],
        root="errors",
        fmt=fmt,
        status_code=status_code,
    )
