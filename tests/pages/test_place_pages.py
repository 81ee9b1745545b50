"""The maps' pages, the city's outlines, the API documentation offline and the favicon."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from litestar.testing import AsyncTestClient

from core import clock
from core.reports.intake import Location
from db.tables import Report
from tests.helpers import report_in
from tests.pages.sessions import in_app, make_staff, sign_in

PASAR_GADANG = Location(-8.0140, 112.6280)


async def test_the_department_map_shows_its_open_reports_with_a_point(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    make_staff(client, "lina", "officer", "DLH")
    code = in_app(client, report_in, status="open", location=PASAR_GADANG).tracking_code
    without_point = in_app(client, report_in, status="open").tracking_code
    await sign_in(client, "dina")

    page = await client.get("/officer/peta")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    points = json.loads(re.search(r'id="map-points">(.*?)</script>', page.text, re.S).group(1))
    assert [(p["tracking_code"], p["kecamatan"]) for p in points] == [(code, "Sukun")]
    assert points[0]["band"] in {"overdue", "today", "soon", "later"}
    assert without_point not in page.text
    assert 'href="/officer/peta"' in (await client.get("/officer")).text

    await client.post("/logout", follow_redirects=False)
    await sign_in(client, "lina")  # another department sees none of it
    assert code not in (await client.get("/officer/peta")).text
    assert (await client.get("/officer/peta?department=DPUPRPKP")).status_code == 403


async def test_the_map_page_is_for_staff_only(client: AsyncTestClient) -> None:
    response = await client.get("/officer/peta", follow_redirects=False)
    assert response.status_code in {302, 303, 401}


async def test_the_outlines_are_the_city_and_its_kecamatan(client: AsyncTestClient) -> None:
    outlines = (await client.get("/peta/batas.json")).json()
    names = {f["properties"]["name"] for f in outlines["features"]}
    assert names == {"Kota Malang", "Blimbing", "Kedungkandang", "Klojen", "Lowokwaru", "Sukun"}


async def test_a_public_report_shows_its_point_on_a_map(client: AsyncTestClient) -> None:
    code = in_app(client, report_in, status="open", location=PASAR_GADANG).tracking_code
    page = (await client.get(f"/lacak/{code}")).text
    assert 'data-map="point" ' in page and 'data-lat="-8.014"' in page
    assert "/static/vendor/leaflet/leaflet.js" in page


async def test_the_api_documentation_and_favicon_are_served_from_the_package(
    client: AsyncTestClient,
) -> None:
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page.text)
    assert assets and all(url.startswith("/") for url in assets), assets
    for url in assets:
        assert (await client.get(url)).status_code == 200, url
    icon = await client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"


async def test_leadership_sees_reports_received_and_overdue_per_kecamatan(
    client: AsyncTestClient,
) -> None:
    in_app(client, report_in, status="open", location=PASAR_GADANG)
    late = in_app(client, report_in, status="open", address="Jl. Kawi, Klojen")
    in_app(client, report_in, status="triage")  # names no place
    in_app(client, _overdue, code=late.tracking_code)
    make_staff(client, "pimpinan", "leadership")
    await sign_in(client, "pimpinan")

    page = (await client.get("/leadership")).text
    table = page[page.index('id="kecamatan"') :]
    found = re.findall(
        r'data-kecamatan="([^"]*)">.*?data-stat="received">(\d+)</td>\s*'
        r'<td class="num" data-stat="overdue">(\d+)',
        table,
        re.S,
    )
    rows = {name: (int(received), int(overdue)) for name, received, overdue in found}
    assert rows["Sukun"] == (1, 0)
    assert rows["Klojen"] == (1, 1)
    assert rows[""] == (1, 0)  # "Tidak diketahui"
    assert rows["Blimbing"] == (0, 0)


async def _overdue(code: str) -> None:
    await Report.update({Report.due_at: clock.now() - timedelta(hours=1)}).where(
        Report.tracking_code == code
    )
