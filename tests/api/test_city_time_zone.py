"""The city's time zone comes from the settings the app was made with, not from the
environment at each use: an app made for a city on WITA keeps its deadlines and its export
on WITA."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import AsyncTestClient

from api.app import create_app
from config import settings as city_settings
from config.settings import Settings
from core import clock
from core.routing.decision import TriageRouter
from core.service_levels.calendar import WorkingCalendar
from core.service_levels.deadlines import Stage, deadline
from db.tables import Holiday
from tests.pages.sessions import PASSWORD, in_app, make_staff

# Friday 23:30 in Jakarta (WIB) is already Saturday 00:30 in Makassar (WITA).
SENT = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
TEXT = "Lampu jalan di Jl. Kawi mati sejak tiga hari, gelap sekali malam hari"


@pytest.fixture
async def makassar(database_url: str) -> AsyncIterator[AsyncTestClient]:
    app = create_app(
        Settings(database_url=database_url, rate_limit=None, timezone="Asia/Makassar"),
        router=TriageRouter(),
    )
    try:
        async with AsyncTestClient(app=app) as client:
            yield client
    finally:  # later tests of core alone read the environment's zone again
        city_settings.bind(Settings.from_env())


async def test_deadlines_and_the_export_keep_the_apps_time_zone(
    makassar: AsyncTestClient,
) -> None:
    holidays = frozenset(row["day"] for row in in_app(makassar, Holiday.select(Holiday.day).run))

    def triage_due(zone: str) -> datetime:
        calendar = WorkingCalendar(holidays=holidays, tz=ZoneInfo(zone))
        return deadline(Stage.TRIAGE, start=SENT, calendar=calendar, urgent=False)

    assert triage_due("Asia/Makassar") != triage_due("Asia/Jakarta")
    with clock.frozen_at(SENT):
        created = await makassar.post("/api/v1/reports", json={"text": TEXT})
    assert created.status_code == 201, created.text
    assert datetime.fromisoformat(created.json()["due_at"]) == triage_due("Asia/Makassar")

    make_staff(makassar, "pimpinan", "leadership")
    signed_in = await makassar.post(
        "/api/v1/session", json={"username": "pimpinan", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    with clock.frozen_at(SENT):
        exported = await makassar.get("/api/v1/exports/reports.csv")
    assert exported.status_code == 200, exported.text
    (row,) = list(csv.DictReader(io.StringIO(exported.text)))
    assert row["created_at"] == "2026-11-21T00:30:00+08:00"
