"""The whole GeoReport v2 API walked as a client would, on both engines: every JSON answer
validated against the standard's schemas, every XML answer parsed and compared with its JSON
twin, errors as the standard's error list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from core import clock
from core.integrations.api_keys import list_api_keys, revoke_api_key
from core.reports.synthetic import seed_history
from core.staff.actors import Actor
from db.tables import Report
from tests.helpers import ADMIN, clock_running_from, perform
from tests.open311.conftest import Schemas, assert_same_in_xml
from tests.pages.sessions import in_app

BASE = "/open311/v2"
WASTE = "Sampah menumpuk di TPS Jl. Kawi sudah seminggu, baunya sampai ke rumah warga"
ROAD = "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, sudah dua motor jatuh"
SECRET = "Pungli di kantor kelurahan saat mengurus surat pindah, diminta uang 200 ribu"


async def _both(
    client: AsyncTestClient, path: str, *, root: str, params: dict[str, str] | None = None
) -> Any:
    """GET `path` in .json and .xml; check they agree and return the JSON."""
    as_json = await client.get(f"{BASE}/{path}.json", params=params)
    assert as_json.status_code == 200, as_json.text
    assert as_json.headers["content-type"].startswith("application/json")
    as_xml = await client.get(f"{BASE}/{path}.xml", params=params)
    assert as_xml.status_code == 200, as_xml.text
    assert as_xml.headers["content-type"].startswith("text/xml")
    assert_same_in_xml(as_xml.content, as_json.json(), root=root)
    return as_json.json()


async def _error(
    client: AsyncTestClient,
    schemas: Schemas,
    method: str,
    path: str,
    code: int,
    **request: Any,
) -> str:
    """The same failing request in .json and .xml: the standard's error list with `code`."""
    descriptions = []
    for fmt in ("json", "xml"):
        response = await client.request(method, f"{BASE}/{path}.{fmt}", **request)
        assert response.status_code == code, response.text
        if fmt == "json":
            schemas.validate_errors(response.json(), code)
            descriptions.append(response.json()[0]["description"])
        else:
            assert_same_in_xml(
                response.content,
                [{"code": code, "description": descriptions[0]}],
                root="errors",
            )
    return descriptions[0]


async def _count() -> int:
    return await Report.count()


async def _report(code: str) -> dict[str, Any]:
    return await Report.select().where(Report.tracking_code == code).first()


async def _confidential_codes() -> list[str]:
    rows = await Report.select(Report.tracking_code).where(Report.confidential == True)  # noqa: E712
    return [row["tracking_code"] for row in rows]


async def _post(client: AsyncTestClient, fmt: str = "json", **fields: str) -> Any:
    return await client.post(f"{BASE}/requests.{fmt}", data=fields)


async def test_discovery_and_services(client: AsyncTestClient, schemas: Schemas) -> None:
    discovery = await _both(client, "discovery", root="discovery")
    (endpoint,) = discovery["endpoints"]
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}

    services = await _both(client, "services", root="services")
    schemas.validate("services.json", services)
    by_code = {service["service_code"]: service for service in services}
    assert len(by_code) == 19  # 18 departments and the general service
    assert "UMUM" in by_code and "DLH" in by_code
    assert "waste collection" in by_code["DLH"]["keywords"].split(", ")
    assert by_code["DLH"]["group"] == "environment"
    assert all(service["metadata"] and service["type"] == "realtime" for service in services)

    definition = await _both(client, "services/DLH", root="service_definition")
    schemas.validate("service-definition.json", definition)
    attributes = {attribute["code"]: attribute for attribute in definition["attributes"]}
    assert set(attributes) == {"service_level", "anonymous", "confidential", "policy", "stance"}
    assert attributes["service_level"]["variable"] is False
    assert "3" in attributes["service_level"]["description"]
    assert [value["key"] for value in attributes["stance"]["values"]] == [
        "objection",
        "suggestion",
        "support",
    ]
    general = await _both(client, "services/umum", root="service_definition")
    schemas.validate("service-definition.json", general)

    english = await client.get(f"{BASE}/services.json", headers={"accept-language": "en"})
    assert english.json()[0]["service_name"] == "General report"

    await _error(client, schemas, "GET", "services/NOPE", 404)
    await _error(client, schemas, "GET", "services", 404, params={"jurisdiction_id": "sby.go.id"})
    ours = await client.get(f"{BASE}/services.json", params={"jurisdiction_id": "malangkota.go.id"})
    assert ours.status_code == 200
    await _error(client, schemas, "GET", "no/such/thing", 404)
    await _error(client, schemas, "PUT", "requests", 405)
    unknown_format = await client.get(f"{BASE}/services.yaml")
    assert unknown_format.status_code == 404
    schemas.validate_errors(unknown_format.json(), 404)


# A working day, with a fraction of a second: deadlines keep the time of day on working days,
# and Open311 prints them to the second.
WORKING_MORNING = datetime(2026, 12, 2, 3, 15, 30, 123_456, tzinfo=UTC)  # Wednesday 10:15 WIB


async def test_submit_follow_and_search(
    client: AsyncTestClient, schemas: Schemas, api_key: str
) -> None:
    with clock_running_from(WORKING_MORNING):
        await _submit_follow_and_search(client, schemas, api_key)


async def _submit_follow_and_search(
    client: AsyncTestClient, schemas: Schemas, api_key: str
) -> None:
    # Refused submissions: the standard's 403 for a key, 400 and 404 for the rest.
    await _error(client, schemas, "POST", "requests", 403, data={"service_code": "DLH"})
    await _error(
        client, schemas, "POST", "requests", 403, data={"api_key": "ik_nope", "service_code": "DLH"}
    )
    place = {"lat": "-7.9666", "long": "112.6326"}
    refused = [
        ({"description": WASTE, **place}, 400, "service_code"),
        ({"service_code": "NOPE", "description": WASTE, **place}, 404, "NOPE"),
        ({"service_code": "DLH", **place}, 400, "description"),
        ({"service_code": "DLH", "description": "kotor", **place}, 400, "10"),
        ({"service_code": "DLH", "description": WASTE}, 400, "lat"),
        ({"service_code": "DLH", "description": WASTE, "lat": "-7.9"}, 400, "long"),
        ({"service_code": "DLH", "description": WASTE, "lat": "utara", "long": "1"}, 400, "lat"),
        ({"service_code": "DLH", "description": WASTE, "lat": "95", "long": "112"}, 400, "90"),
        ({"service_code": "DLH", "description": WASTE, "address_id": "A-17"}, 400, "address_id"),
        ({"service_code": "DLH", "description": WASTE, "attribute[priority]": "high", **place},
         400, "attribute[priority]"),
        ({"service_code": "DLH", "description": WASTE, "attribute[anonymous]": "ya", **place},
         400, "attribute[anonymous]"),
        ({"service_code": "DLH", "description": WASTE, "attribute[policy]": "NO-SUCH", **place},
         400, "NO-SUCH"),
        ({"service_code": "DLH", "description": WASTE, "media_url": "javascript:alert(1)",
          **place}, 400, "media_url"),
        ({"service_code": "DLH", "description": WASTE, "email": "not an email", **place},
         400, "email"),
        ({"service_code": "DLH", "description": WASTE, "jurisdiction_id": "sby.go.id", **place},
         404, "jurisdiction_id"),
    ]  # fmt: skip
    for fields, code, named in refused:
        description = await _error(
            client, schemas, "POST", "requests", code, data={"api_key": api_key, **fields}
        )
        assert named in description, (fields, description)
    as_json_body = await client.post(
        f"{BASE}/requests.json",
        content=f'{{"api_key": "{api_key}"}}',
        headers={"content-type": "application/json"},
    )
    assert as_json_body.status_code == 400
    assert in_app(client, _count) == 0

    # A waste report, anonymous, with a name given and a photo link.
    created = await _post(
        client,
        api_key=api_key,
        service_code="UMUM",
        description=WASTE,
        address_string="Jl. Kawi 12, Klojen",
        first_name="Siti",
        last_name="Aminah",
        email="siti@example.com",
        phone="+62 812 3456 7890",
        media_url="https://example.com/foto/tps.jpg",
        **{"attribute[anonymous]": "true"},
    )
    assert created.status_code == 200, created.text
    schemas.validate_swagger("RequestResponse", created.json())
    (receipt,) = created.json()
    waste_id, token = receipt["service_request_id"], receipt["token"]
    assert waste_id.startswith("MLG-") and "account_id" not in receipt
    assert "Dinas Lingkungan Hidup" in receipt["service_notice"]

    # A road report sent as XML, with a place; a confidential report.
    road = await _post(client, "xml", api_key=api_key, service_code="DPUPRPKP", description=ROAD,
                       **place)  # fmt: skip
    assert road.status_code == 200 and road.headers["content-type"].startswith("text/xml")
    road_id = road.text.split("<service_request_id>")[1].split("<")[0]
    secret = await _post(client, api_key=api_key, service_code="INSPEKTORAT", description=SECRET,
                         address_string="Kelurahan Oro-oro Dowo",
                         **{"attribute[confidential]": "true"})  # fmt: skip
    assert secret.status_code == 200
    secret_id, secret_token = (secret.json()[0][key] for key in ("service_request_id", "token"))

    # Following one request: the classifier's department, the deadline, no address or name.
    (waste,) = await _both(client, f"requests/{waste_id}", root="service_requests")
    schemas.validate("requests.json", [waste])
    assert waste["status"] == "open" and waste["status_notes"] is None
    assert (
        waste["service_code"] == "DLH" and waste["agency_responsible"] == "Dinas Lingkungan Hidup"
    )
    assert waste["description"] == WASTE
    assert waste["address"] is None  # anonymous
    assert waste["media_url"] == "https://example.com/foto/tps.jpg"
    report = in_app(client, _report, code=waste_id)
    assert datetime.fromisoformat(waste["expected_datetime"]) == report["due_at"]
    assert "Siti" not in str(waste) and "6789" not in str(waste)
    tokens = await _both(client, f"tokens/{token}", root="service_requests")
    schemas.validate_swagger("TokenResponse", tokens)
    assert tokens == [{"service_request_id": waste_id, "token": token}]

    # The department works on it: the notes and the status follow.
    in_app(client, perform, action="acknowledge", code=waste_id, actor=ADMIN)
    in_app(client, perform, action="respond", code=waste_id, actor=ADMIN)
    (waste,) = await _both(client, f"requests/{waste_id}", root="service_requests")
    schemas.validate("requests.json", [waste])
    assert waste["status"] == "open"
    assert waste["status_notes"] == "Petugas menuju lokasi besok pagi"
    in_app(client, perform, action="resolve", code=waste_id, actor=ADMIN)
    (waste,) = await _both(client, f"requests/{waste_id}", root="service_requests")
    assert waste["status"] == "closed" and waste["status_notes"] == "Lubang sudah ditambal"
    assert waste["expected_datetime"] is None
    assert waste["updated_datetime"] >= waste["requested_datetime"]

    # Searching: every answer validates; the confidential report never appears.
    everything = await _both(client, "requests", root="service_requests")
    schemas.validate("requests.json", everything)
    assert [found["service_request_id"] for found in everything] == [road_id, waste_id]
    searches: list[tuple[dict[str, str], list[str]]] = [
        ({"status": "closed"}, [waste_id]),
        ({"status": "open"}, [road_id]),
        ({"status": "open,closed"}, [road_id, waste_id]),
        ({"service_code": "DPUPRPKP"}, [road_id]),
        ({"service_code": "INSPEKTORAT"}, []),
        ({"service_code": "UMUM"}, []),
        ({"service_request_id": f"{waste_id},{secret_id},MLG-XXXXXX", "status": "open"},
         [waste_id]),
        ({"start_date": (clock.now() - timedelta(days=1)).isoformat(timespec="seconds"),
          "end_date": (clock.now() + timedelta(days=1)).isoformat(timespec="seconds")},
         [road_id, waste_id]),
        ({"end_date": "2020-01-01T00:00:00+07:00"}, []),
    ]  # fmt: skip
    for params, expected in searches:
        found = await _both(client, "requests", root="service_requests", params=params)
        schemas.validate("requests.json", found)
        assert [item["service_request_id"] for item in found] == expected, params
    await _error(client, schemas, "GET", f"requests/{secret_id}", 404)
    await _error(client, schemas, "GET", f"tokens/{secret_token}", 404)
    await _error(client, schemas, "GET", "requests/MLG-XXXXXX", 404)
    await _error(client, schemas, "GET", "tokens/no-such-token", 404)
    bad_searches = [
        {"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-05-01T00:00:00+07:00"},
        {"start_date": "2026-02-01T00:00:00+07:00", "end_date": "2026-01-01T00:00:00+07:00"},
        {"start_date": "kemarin"},
        {"status": "pending"},
        {"service_code": "NOPE"},
        {"service_request_id": ",".join(f"MLG-{n:06d}" for n in range(101))},
    ]
    for params in bad_searches:
        await _error(client, schemas, "GET", "requests", 400, params=params)

    # A revoked key is refused from then on.
    for key in in_app(client, list_api_keys):
        in_app(client, revoke_api_key, key_id=key.id, actor=Actor.system())
    await _error(
        client,
        schemas,
        "POST",
        "requests",
        403,
        data={"api_key": api_key, "service_code": "DLH", "description": WASTE, **place},
    )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_search_limits(client: AsyncTestClient, schemas: Schemas) -> None:
    """At most 1000 requests, newest first, none of them confidential."""
    in_app(client, seed_history, reports=1500, days=60, seed=3)
    hidden = set(in_app(client, _confidential_codes))
    assert hidden
    found = await _both(client, "requests", root="service_requests")
    schemas.validate("requests.json", found)
    assert len(found) == 1000
    moments = [datetime.fromisoformat(item["requested_datetime"]) for item in found]
    assert moments == sorted(moments, reverse=True)
    assert not hidden & {item["service_request_id"] for item in found}
    closed = await _both(client, "requests", root="service_requests", params={"status": "closed"})
    assert closed and {item["status"] for item in closed} == {"closed"}
