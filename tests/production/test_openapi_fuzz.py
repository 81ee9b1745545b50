"""Hostile input: schemathesis generates requests from the product's own OpenAPI document and
sends them to a served process. Whatever it sends, no 5xx, and every answer matches the
document."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.production.processes import ApiReplica, forget_redis_keys

pytestmark = pytest.mark.slow  # starts `ingatkan` processes

# The public JSON API; staff, Open311 and pages have tests of their own.
# What a client may rely on: never a 5xx, and only answers the document describes. (Not
# "every schema-valid request is accepted": the document gives `text` as a string, while the
# product also wants 10–4000 characters without control characters, refused with a 400 that
# names the field, as the contract asks.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
PUBLIC = r"^/(api/v1/(reports|departments|policies)(/.*)?|health)$"


@pytest.fixture(scope="module")
def served(
    templates: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiReplica]:
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(templates["sqlite"], folder / "ingatkan.sqlite3")
    replica = ApiReplica(
        f"sqlite:///{folder / 'ingatkan.sqlite3'}", folder, INGATKAN_RATE_LIMIT="off"
    )
    replica.start()
    try:
        yield replica
    finally:
        replica.stop()
        forget_redis_keys()


@pytest.fixture(scope="module")
def api_schema(served: ApiReplica) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_url(f"{served.base_url}/schema/openapi.json")
    return schema.include(path_regex=PUBLIC)


def test_public_api_holds_to_its_document(api_schema: schemathesis.BaseSchema) -> None:
    failures, tried = {}, []
    for loaded in api_schema.get_all_operations():
        operation = loaded.ok()
        tried.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=60,
            deadline=None,
            derandomize=True,  # the same cases on every run: a CI failure reproduces
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def holds(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS, timeout=10)

        try:
            holds()
        except Exception as failure:  # gathered, reported together below
            failures[operation.label] = failure
    # submit, track, departments, policies, health: the filter must not leave the test empty
    assert len(tried) >= 5, tried
    assert failures == {}, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
