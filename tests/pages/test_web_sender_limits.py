"""The public web form holds a sender to the per-citizen limit by their email address, as the
API and the bot do, on both engines."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from litestar.testing import AsyncTestClient

from core import clock
from core.citizens.limits import REPORTS_PER_HOUR
from db.tables import Report
from tests.pages.sessions import in_app, post_form

MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
TEXT = "Pohon di depan SDN Sumbersari 2 miring ke jalan, takut tumbang kena angin"


async def test_the_form_refuses_one_email_past_the_hourly_limit(client: AsyncTestClient) -> None:
    with clock.frozen_at(MONDAY_9):
        for n in range(REPORTS_PER_HOUR):
            email = "Warga@Example.id" if n % 2 else "warga@example.id "
            sent = await post_form(client, "/laporan", {"text": TEXT, "email": email})
            assert sent.status_code == 303
        refused = await post_form(client, "/laporan", {"text": TEXT, "email": "WARGA@example.id"})
    assert refused.status_code == 400
    assert f"Anda sudah mengirim {REPORTS_PER_HOUR} laporan dalam satu jam terakhir" in refused.text
    assert in_app(client, Report.count().run) == REPORTS_PER_HOUR
