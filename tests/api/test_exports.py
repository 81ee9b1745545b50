"""The reports export as leadership downloads it, on both engines: filtered, complete, free
of what must not leave the building, and read page by page."""

from __future__ import annotations

import csv
import io
import math
from datetime import datetime
from typing import Any

from litestar.testing import AsyncTestClient

from config.settings import Settings
from core import clock
from core.figures.export import COLUMNS, csv_chunks
from core.figures.models import ExportFilters
from core.reports.synthetic import seed_history
from db.tables import Report
from tests.pages.sessions import PASSWORD, in_app, make_staff

PATH = "/api/v1/exports/reports.csv"
FORMULA = '=HYPERLINK("http://contoh.invalid","klik") jalan di depan rumah rusak parah'


async def _sign_in(
    client: AsyncTestClient, username: str, role: str, department: str | None = None
) -> None:
    make_staff(client, username, role, department)
    response = await client.post(
        "/api/v1/session", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200


def _rows(response: Any) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(response.text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


async def _reports() -> list[dict[str, Any]]:
    return await Report.select(
        Report.tracking_code,
        Report.status,
        Report.created_at,
        Report.department.code.as_alias("department"),
    ).order_by(Report.id)


async def test_export_as_leadership_downloads_it(client: AsyncTestClient) -> None:
    assert (await client.get(PATH)).status_code == 401
    await _sign_in(client, "petugas.dlh", "officer", "DLH")
    assert (await client.get(PATH)).status_code == 403

    in_app(client, seed_history, reports=400, days=60, seed=11)
    submitted = {}
    for name, body in {
        "formula": {"text": FORMULA},
        "anonymous": {"text": "Lampu jalan mati di gang tiga", "anonymous": True,
                      "address": "Gang III no. 4, Sukun"},
        "confidential": {"text": "Pungli di kelurahan saat mengurus KTP", "confidential": True,
                         "address": "Kelurahan Oro-oro Dowo",
                         "location": {"lat": -7.97, "lon": 112.63}},
    }.items():  # fmt: skip
        created = await client.post("/api/v1/reports", json=body)
        submitted[name] = created.json()["tracking_code"]

    await _sign_in(client, "pimpinan", "leadership")
    response = await client.get(PATH)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="laporan-semua.csv"'
    rows = _rows(response)
    reports = in_app(client, _reports)
    assert [row["tracking_code"] for row in rows] == [r["tracking_code"] for r in reports]
    by_code = {row["tracking_code"]: row for row in rows}
    assert by_code[submitted["formula"]]["text"] == "'" + FORMULA
    assert by_code[submitted["anonymous"]]["address"] == ""
    assert by_code[submitted["anonymous"]]["anonymous"] == "true"
    hidden = by_code[submitted["confidential"]]
    assert (hidden["text"], hidden["address"], hidden["latitude"]) == ("", "", "")
    assert all(row["text"] for row in rows if row["confidential"] == "false")
    assert datetime.fromisoformat(rows[0]["created_at"]).utcoffset() is not None

    # Filters: each answer is exactly the matching reports.
    tz = Settings.from_env().tz
    today = clock.now().astimezone(tz).date()
    since, until = today.replace(day=1), today
    for params, matches in [
        ({"department": "dlh"}, lambda r: r["department"] == "DLH"),
        ({"status": "closed,rejected"}, lambda r: r["status"] in {"closed", "rejected"}),
        ({"from": since.isoformat(), "to": until.isoformat()},
         lambda r: since <= r["created_at"].astimezone(tz).date() <= until),
        ({"department": "DLH", "status": "open"},
         lambda r: r["department"] == "DLH" and r["status"] == "open"),
    ]:  # fmt: skip
        filtered = _rows(await client.get(PATH, params=params))
        expected = [r["tracking_code"] for r in reports if matches(r)]
        assert [row["tracking_code"] for row in filtered] == expected, params
        assert expected, params
    named = await client.get(PATH, params={"department": "DLH", "from": "2026-01-01"})
    assert 'filename="laporan-dlh-2026-01-01.csv"' in named.headers["content-disposition"]

    for params, field in [
        ({"department": "NOPE"}, "department"),
        ({"status": "open,bogus"}, "status"),
        ({"from": "kemarin"}, "from"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
    ]:
        refused = await client.get(PATH, params=params)
        assert refused.status_code == 400, params
        assert refused.json()["errors"][0]["field"] == field


async def test_pages_follow_the_key(db: str) -> None:
    await seed_history(reports=50, days=30, seed=5)
    chunks = [chunk async for chunk in csv_chunks(ExportFilters(), page_size=7)]
    assert len(chunks) == math.ceil(50 / 7)
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode())))
    assert [row["tracking_code"] for row in rows] == [r["tracking_code"] for r in await _reports()]
    nothing = [
        chunk async for chunk in csv_chunks(ExportFilters(statuses=("referred",), department_id=-1))
    ]
    assert b"".join(nothing).decode().splitlines() == [",".join(COLUMNS)]
