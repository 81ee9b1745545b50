"""An Open311 client's view: the app on each engine, a key, the standard's schemas."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from jsonschema import Draft7Validator, FormatChecker
from litestar.testing import AsyncTestClient
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from config.settings import Settings
from core.integrations.api_keys import issue_api_key
from core.routing.models import RoutingDecision
from core.staff.actors import Actor
from tests.apps import app_for
from tests.pages.sessions import in_app

# Copies of ../shared/open311/, the GeoReport v2 JSON Schemas and swagger document, so the
# tests run from any clone.
SCHEMAS = Path(__file__).parent / "schemas"
# What each XML list's items are called (GeoReport v2's examples).
XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
ERRORS_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}


class KeywordRouter:
    """A classifier stand-in: waste goes to DLH, roads to DPUPRPKP, anything else to triage."""

    def decide(self, text: str) -> RoutingDecision:
        lowered = text.lower()
        if "sampah" in lowered:
            return RoutingDecision(department_code="DLH", confidence=0.95, urgent=False)
        if "jalan" in lowered:
            return RoutingDecision(department_code="DPUPRPKP", confidence=0.9, urgent=False)
        return RoutingDecision(department_code=None, confidence=0.3, urgent=False)


def _format_checker() -> FormatChecker:
    """date-time and uri checked for real (jsonschema skips them without extra packages)."""
    checker = FormatChecker(formats=())

    @checker.checks("date-time", raises=ValueError)
    def date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        return datetime.fromisoformat(value).tzinfo is not None

    @checker.checks("uri")
    def uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and parts.netloc)

    return checker


class Schemas:
    def __init__(self) -> None:
        documents = {path.name: json.loads(path.read_text()) for path in SCHEMAS.glob("*.json")}
        self.documents = documents
        self.registry = Registry().with_resources(
            (name, Resource.from_contents(document, default_specification=DRAFT7))
            for name, document in documents.items()
        )
        self.checker = _format_checker()

    def _validator(self, schema: dict[str, Any]) -> Draft7Validator:
        return Draft7Validator(schema, registry=self.registry, format_checker=self.checker)

    def validate(self, name: str, instance: Any) -> None:
        """Against one of the standard's schema files, e.g. 'requests.json'."""
        self._validator(self.documents[name]).validate(instance)

    def validate_swagger(self, definition: str, instance: Any) -> None:
        """Each item of `instance` against a definition of swagger.json (for the answers that
        have no schema file of their own: POST requests, tokens)."""
        swagger = self.documents["swagger.json"]
        schema = {
            "type": "array",
            "minItems": 1,
            "items": {"$ref": f"#/definitions/{definition}"},
            "definitions": swagger["definitions"],
        }
        self._validator(schema).validate(instance)

    def validate_errors(self, instance: Any, code: int) -> None:
        self._validator(ERRORS_SCHEMA).validate(instance)
        assert [error["code"] for error in instance] == [code]


@pytest.fixture(scope="session")
def schemas() -> Schemas:
    return Schemas()


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[AsyncTestClient]:
    app = await app_for(
        Settings(database_url=database_url, rate_limit=None), router=KeywordRouter()
    )
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.fixture
def api_key(client: AsyncTestClient) -> str:
    """A key issued by an admin."""
    _, key = in_app(client, issue_api_key, name="Aplikasi SAMBAT", actor=Actor.system())
    return key


def _from_xml(element: ElementTree.Element) -> Any:
    children = list(element)
    if element.tag in XML_ITEMS:
        assert all(child.tag == XML_ITEMS[element.tag] for child in children), element.tag
        return [_from_xml(child) for child in children] or None
    if children:
        return {child.tag: _from_xml(child) for child in children}
    return element.text


def _as_xml_sees_it(value: Any) -> Any:
    """JSON content as XML carries it: text everywhere, nulls and empty lists as nothing."""
    if isinstance(value, dict):
        return {key: _as_xml_sees_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_xml_sees_it(item) for item in value] or None
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def assert_same_in_xml(xml_body: bytes, json_content: Any, *, root: str) -> None:
    """The XML form is well-formed, has the standard's root and carries the JSON's content."""
    element = ElementTree.fromstring(xml_body)  # noqa: S314 - our own server's answer
    assert element.tag == root
    assert _from_xml(element) == _as_xml_sees_it(json_content)
