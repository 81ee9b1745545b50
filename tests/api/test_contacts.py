"""A sender on the web, the API or Open311 who gives the same contact is one citizen, on both
engines: held to the per-citizen limits, blocked as a whole, and never shown publicly."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from litestar.testing import AsyncTestClient

from core import clock
from core.citizens.contacts import contact_citizen, normalize_phone
from core.citizens.limits import REPORTS_PER_HOUR
from core.citizens.telegram import set_blocked
from core.integrations.api_keys import issue_api_key
from core.reports.intake import Reporter, submit_report
from core.staff.actors import Actor
from db.tables import Citizen, Report
from tests.helpers import FixedRouter
from tests.pages.sessions import in_app

MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
TEXT = "Saluran air di Jl. Sulfat mampet, tiap hujan meluap ke jalan"


async def _citizens_of(codes: list[str]) -> set[int]:
    rows = await Report.select(Report.citizen).where(Report.tracking_code.is_in(codes))
    return {row["citizen"] for row in rows}


async def _citizen_rows() -> list[dict]:
    return await Citizen.select(Citizen.email, Citizen.phone).order_by(Citizen.id)


async def _send(client: AsyncTestClient, reporter: dict, **extra: object) -> str:
    created = await client.post(
        "/api/v1/reports", json={"text": TEXT, "reporter": reporter, **extra}
    )
    assert created.status_code == 201, created.text
    return created.json()["tracking_code"]


def test_contacts_have_one_form() -> None:
    same_number = ("0812 3456 7890", "+62 812-3456-7890", "6281234567890", "812 3456 7890")
    assert {normalize_phone(raw) for raw in same_number} == {"+6281234567890"}
    assert normalize_phone("0062 812 3456 7890") == "+6281234567890"


async def test_one_contact_is_one_citizen_whichever_door(client: AsyncTestClient) -> None:
    with clock.frozen_at(MONDAY_9):
        codes = [
            await _send(client, {"name": "Siti", "email": "Siti@Example.id "}),
            await _send(client, {"email": "siti@example.id"}, anonymous=True),
            await _send(client, {"phone": "0812 3456 7890"}),
        ]
        # A new email with a known phone number: matched on the phone.
        codes.append(
            await _send(client, {"email": "baru@example.id", "phone": "+62 812-3456-7890"})
        )
        _, api_key = in_app(client, issue_api_key, name="Aplikasi SAMBAT", actor=Actor.system())
        posted = await client.post(
            "/open311/v2/requests.json",
            data={"api_key": api_key, "service_code": "UMUM", "description": TEXT,
                  "address_string": "Jl. Sulfat", "email": "SITI@example.id"},
        )  # fmt: skip
        assert posted.status_code == 200, posted.text
        codes.append(posted.json()[0]["service_request_id"])
    by_email = in_app(client, _citizens_of, codes=codes[:2] + codes[4:])
    by_phone = in_app(client, _citizens_of, codes=codes[2:4])
    assert len(by_email) == 1 and len(by_phone) == 1
    assert in_app(client, _citizen_rows) == [
        {"email": "siti@example.id", "phone": None},
        {"email": None, "phone": "+6281234567890"},
    ]
    # The anonymous one says nothing of its sender.
    public = await client.get(f"/api/v1/reports/{codes[1]}")
    assert "siti" not in public.text.lower()


async def test_the_sixth_report_in_an_hour_from_one_email_is_refused(
    client: AsyncTestClient,
) -> None:
    with clock.frozen_at(MONDAY_9):
        for n in range(REPORTS_PER_HOUR):
            await _send(client, {"email": "banyak@example.id" if n % 2 else " BANYAK@example.id"})
        for language, expected in (
            ("id", f"Anda sudah mengirim {REPORTS_PER_HOUR} laporan dalam satu jam terakhir"),
            ("en", f"You have sent {REPORTS_PER_HOUR} reports in the last hour"),
        ):
            refused = await client.post(
                "/api/v1/reports",
                json={"text": TEXT, "reporter": {"email": "Banyak@Example.id"}},
                headers={"accept-language": language},
            )
            assert refused.status_code == 403
            assert expected in refused.json()["detail"]
        # Someone else is not held to it.
        await _send(client, {"email": "lain@example.id"})
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=61)):
        await _send(client, {"email": "banyak@example.id"})


async def test_blocking_a_report_blocks_that_emails_later_reports(client: AsyncTestClient) -> None:
    first = await _send(client, {"email": "spam@example.id"})
    in_app(client, set_blocked, tracking_code=first, blocked=True, actor=Actor.system())
    refused = await client.post(
        "/api/v1/reports",
        json={"text": TEXT, "reporter": {"name": "Lain", "email": " SPAM@example.id"}},
        headers={"accept-language": "en"},
    )
    assert refused.status_code == 403
    assert "cannot send new reports" in refused.json()["detail"]
    in_app(client, set_blocked, tracking_code=first, blocked=False, actor=Actor.system())
    await _send(client, {"email": "spam@example.id"})


async def test_simultaneous_first_reports_with_one_email_make_one_citizen(db: str) -> None:
    found = await asyncio.gather(
        *(
            contact_citizen(channel="web", name=None, email="Kembar@example.id", phone=None)
            for _ in range(8)
        )
    )
    assert len(set(found)) == 1
    reports = await asyncio.gather(
        *(
            submit_report(
                text=TEXT,
                channel="api",
                router=FixedRouter("DPUPRPKP"),
                reporter=Reporter(email="kembar2@example.id"),
            )
            for _ in range(2)
        )
    )
    assert len({report.citizen for report in reports}) == 1
    assert await Citizen.count() == 2
