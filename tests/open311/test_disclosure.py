"""Where an anonymous report is, as every door outside the department tells it, on both
engines: to about 100 m on the public API, Open311 (JSON and XML, one request and the list)
and the CSV export; exactly to the department's staff; never the address or the sender."""

from __future__ import annotations

import csv
import io

from litestar.testing import AsyncTestClient

from tests.open311.conftest import assert_same_in_xml
from tests.pages.sessions import PASSWORD, make_staff

BASE = "/open311/v2"
# A house on Jl. Kawi; the centre of its 0.001° cell is (-7.9665, 112.6325).
HOUSE = {"lat": -7.96648, "lon": 112.63219}
CELL = (-7.9665, 112.6325)
EXACT_DIGITS = ("96648", "63219")
ANONYMOUS = {
    "text": "Jalan berlubang di depan rumah saya, sudah dua kali saya jatuh",
    "anonymous": True,
    "location": HOUSE,
    "address": "Jl. Kawi 12A, Klojen",
    "reporter": {"name": "Siti Aminah", "email": "siti@example.com", "phone": "0812 3456 7890"},
}
PUBLIC = {"text": "Jalan berlubang besar di Jl. Soekarno Hatta", "location": HOUSE}


async def _sign_in(client: AsyncTestClient, username: str, role: str) -> None:
    make_staff(client, username, role)
    signed = await client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert signed.status_code == 200


def _hides_the_house(text: str) -> None:
    for secret in (*EXACT_DIGITS, "Kawi 12A", "Siti", "siti@", "3456"):
        assert secret not in text, secret


async def test_an_anonymous_report_is_placed_to_its_grid_cell_outside_the_department(
    client: AsyncTestClient,
) -> None:
    anonymous = (await client.post("/api/v1/reports", json=ANONYMOUS)).json()["tracking_code"]
    public = (await client.post("/api/v1/reports", json=PUBLIC)).json()["tracking_code"]

    # The public API: the cell, no address, no sender.
    tracked = await client.get(f"/api/v1/reports/{anonymous}")
    assert tracked.json()["location"] == {"lat": CELL[0], "lon": CELL[1]}
    assert tracked.json()["address"] is None
    _hides_the_house(tracked.text)
    _hides_the_house((await client.get(f"/lacak/{anonymous}")).text)
    # A public report keeps its exact place.
    assert (await client.get(f"/api/v1/reports/{public}")).json()["location"] == HOUSE

    # Open311, one request and the list, JSON and XML alike.
    for path in (f"requests/{anonymous}", "requests"):
        as_json = await client.get(f"{BASE}/{path}.json")
        as_xml = await client.get(f"{BASE}/{path}.xml")
        assert_same_in_xml(as_xml.content, as_json.json(), root="service_requests")
        found = {request["service_request_id"]: request for request in as_json.json()}
        assert (found[anonymous]["lat"], found[anonymous]["long"]) == CELL
        assert found[anonymous]["address"] is None
        _hides_the_house(str(found[anonymous]))
        if public in found:
            assert (found[public]["lat"], found[public]["long"]) == (HOUSE["lat"], HOUSE["lon"])

    # The export leaves the system: the cell there too.
    await _sign_in(client, "pimpinan", "leadership")
    exported = await client.get("/api/v1/exports/reports.csv")
    rows = {row["tracking_code"]: row for row in csv.DictReader(io.StringIO(exported.text))}
    assert (float(rows[anonymous]["latitude"]), float(rows[anonymous]["longitude"])) == CELL
    assert rows[anonymous]["address"] == ""
    assert float(rows[public]["latitude"]) == HOUSE["lat"]
    _hides_the_house(str(rows[anonymous]))

    # The department's staff go there: they see the house.
    await _sign_in(client, "admin.kota", "admin")
    staff = (await client.get(f"/api/v1/staff/reports/{anonymous}")).json()
    assert staff["location"] == HOUSE
