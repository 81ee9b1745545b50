"""The sender of a report made without Telegram confirms, rates or reopens it with the
follow-up key given once at submission, through the JSON API."""

from __future__ import annotations

import hashlib

from litestar.testing import AsyncTestClient

from db.tables import Report
from tests.helpers import perform
from tests.pages.sessions import in_app

TEXT = "Saluran air di Jl. Sulfat mampet, tiap hujan meluap ke jalan"


async def _resolved_report(client: AsyncTestClient) -> tuple[str, str]:
    created = await client.post("/api/v1/reports", json={"text": TEXT})
    assert created.status_code == 201
    body = created.json()
    code, key = body["tracking_code"], body["follow_up_key"]
    in_app(client, perform, action="acknowledge", code=code)
    in_app(client, perform, action="resolve", code=code)
    return code, key


async def test_the_key_is_given_once_and_only_its_hash_is_kept(client: AsyncTestClient) -> None:
    code, key = await _resolved_report(client)
    assert len(key) == 10
    tracked = await client.get(f"/api/v1/reports/{code}")
    assert key not in tracked.text and "follow_up_key" not in tracked.text
    stored = in_app(
        client,
        Report.select(Report.follow_up_key).where(Report.tracking_code == code).first().run,
    )
    assert stored["follow_up_key"] == hashlib.sha256(key.encode()).hexdigest()


async def test_the_sender_confirms_and_rates_with_the_key(client: AsyncTestClient) -> None:
    code, key = await _resolved_report(client)
    wrong = await client.post(f"/api/v1/reports/{code}/confirm", json={"key": "AAAAAAAAAA"})
    assert wrong.status_code == 403
    assert "Kunci laporan tidak cocok" in wrong.json()["detail"]
    english = await client.post(
        f"/api/v1/reports/{code}/confirm",
        json={"key": "AAAAAAAAAA"},
        headers={"Accept-Language": "en"},
    )
    assert "report key does not match" in english.json()["detail"]
    assert (await client.get(f"/api/v1/reports/{code}")).json()["status"] == "resolved"

    typed = f"{key[:5].lower()}-{key[5:].lower()}"  # as people copy it
    confirmed = await client.post(
        f"/api/v1/reports/{code}/confirm", json={"key": typed, "rating": 4}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "closed" and confirmed.json()["rating"] == 4
    again = await client.post(f"/api/v1/reports/{code}/confirm", json={"key": key})
    assert again.status_code == 409  # closed already


async def test_the_sender_reopens_with_a_reason(client: AsyncTestClient) -> None:
    code, key = await _resolved_report(client)
    no_reason = await client.post(
        f"/api/v1/reports/{code}/reopen", json={"key": key, "reason": "   "}
    )
    assert no_reason.status_code == 400
    reopened = await client.post(
        f"/api/v1/reports/{code}/reopen",
        json={"key": key, "reason": "Masih meluap waktu hujan kemarin sore"},
    )
    assert reopened.status_code == 200, reopened.text
    body = reopened.json()
    assert body["status"] == "in_progress"
    assert body["timeline"][-1]["note"] == "Masih meluap waktu hujan kemarin sore"


async def test_bad_follow_up_requests_are_refused_cleanly(client: AsyncTestClient) -> None:
    code, key = await _resolved_report(client)
    for body, status in (
        ({"key": key, "rating": 9}, 400),
        ({"key": key, "rating": "lima"}, 400),
        ({"key": "x" * 41}, 400),
        ({"rating": 5}, 400),
        ({"key": key, "extra": True}, 400),
    ):
        response = await client.post(f"/api/v1/reports/{code}/confirm", json=body)
        assert response.status_code == status, (body, response.text)
    unknown = await client.post("/api/v1/reports/MLG-CCCCCC/confirm", json={"key": key})
    assert unknown.status_code == 404
    assert (await client.get(f"/api/v1/reports/{code}")).json()["status"] == "resolved"


async def test_a_reopen_reason_has_the_same_bounds_here_as_on_the_page_and_in_the_bot(
    client: AsyncTestClient,
) -> None:
    """Up to core.reports.lifecycle.NOTE_MAX (4000) characters, whichever door: a 3000-character
    reason is taken, a longer one than 4000 refused (tests/pages and tests/bot check the same)."""
    code, key = await _resolved_report(client)
    too_long = await client.post(
        f"/api/v1/reports/{code}/reopen", json={"key": key, "reason": "x" * 4001}
    )
    assert too_long.status_code == 400
    reason = ("Air masih meluap ke jalan setiap hujan deras. " * 70)[:3000].strip()
    reopened = await client.post(
        f"/api/v1/reports/{code}/reopen", json={"key": key, "reason": reason}
    )
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["timeline"][-1]["note"] == reason
