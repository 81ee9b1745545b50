"""A point outside Kota Malang is refused by every HTTP door (the JSON API, the web form,
Open311), naming where to report instead; a point inside gives the report its kecamatan."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from db.tables import Report
from tests.pages.sessions import in_app, post_form

WASTE = "Tumpukan sampah di pinggir jalan sudah seminggu tidak diangkut"
KEPANJEN = ("-8.1300", "112.5720")  # Kabupaten Malang
BATU = ("-7.8713", "112.5269")  # Kota Batu
SUKUN = ("-8.0140", "112.6280")  # Pasar Gadang


async def test_every_door_refuses_a_point_outside_the_city(
    client: AsyncTestClient, api_key: str
) -> None:
    api = await client.post(
        "/api/v1/reports",
        json={"text": WASTE, "location": {"lat": float(BATU[0]), "lon": float(BATU[1])}},
    )
    assert api.status_code == 400
    assert api.json()["errors"][0]["field"] == "location"
    assert "Pemerintah Kota Batu" in api.json()["detail"]

    form = await post_form(
        client, "/laporan", {"text": WASTE, "latitude": KEPANJEN[0], "longitude": KEPANJEN[1]}
    )
    assert form.status_code == 400
    assert 'data-field="location"' in form.text
    assert "laporkan kepada Pemerintah Kabupaten Malang" in form.text
    assert WASTE in form.text  # what the citizen wrote is kept

    open311 = await client.post(
        "/open311/v2/requests.json",
        data={"api_key": api_key, "service_code": "DLH", "description": WASTE,
              "lat": KEPANJEN[0], "long": KEPANJEN[1]},
    )  # fmt: skip
    assert open311.status_code == 400
    assert "Kabupaten Malang" in open311.json()[0]["description"]

    assert in_app(client, Report.count().run) == 0

    sent = await post_form(
        client, "/laporan", {"text": WASTE, "latitude": SUKUN[0], "longitude": SUKUN[1]}
    )
    assert sent.status_code == 303
    kept = in_app(client, Report.select(Report.kecamatan, Report.latitude).first().run)
    assert kept == {"kecamatan": "Sukun", "latitude": float(SUKUN[0])}
