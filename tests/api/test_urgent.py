"""An urgent report's sender is told the emergency lines first and only the truth about who was
alerted, on the JSON API and on the web confirmation page, in Indonesian and in English; the
step taken when nobody acted in time is on the staff page's timeline, named. The classifier is
the real one; the clock is pinned."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient

from core import clock
from core.reports.emergency import TRIAGE_ACK_MINUTES
from core.reports.intake import submit_report
from core.reports.queue import staff_report
from core.reports.scheduled import alert_unanswered_urgent
from core.staff.actors import Actor
from core.staff.users import create_user
from tests.helpers import FixedRouter
from tests.mail.conftest import MONDAY_9
from tests.pages.sessions import PASSWORD, in_app, make_staff, post_form, sign_in

WIRE = "Kabel listrik putus menjuntai ke jalan di depan SD, anak-anak lewat"
CLOGGED = "Saluran air di Jl. Sulfat mampet, tiap hujan meluap ke jalan"
LINES_ID = [
    {"name": "Call Center 112 Kota Malang", "number": "112"},
    {"name": "Polisi", "number": "110"},
    {"name": "Pemadam Kebakaran", "number": "113"},
    {"name": "Ambulans", "number": "119"},
    {"name": "PLN", "number": "123"},
]


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with clock.frozen_at(MONDAY_9):
        yield


def _verifier(client: AsyncTestClient) -> None:
    in_app(
        client,
        create_user,
        username="sari",
        full_name="Sari",
        password=PASSWORD,
        role="verifier",
        email="sari@diskominfo.malangkota.go.id",
        actor=Actor.system(),
    )


async def test_the_api_answers_the_emergency_lines_and_who_was_alerted(
    client: AsyncTestClient,
) -> None:
    nobody = await client.post("/api/v1/reports", json={"text": WIRE})
    assert nobody.status_code == 201, nobody.text
    body = nobody.json()
    assert body["urgent"] is True and body["department"] is None
    assert body["emergency_contacts"] == LINES_ID
    assert body["alerted"] is None  # no staff member can be reached: not claimed

    _verifier(client)
    english = await client.post(
        "/api/v1/reports", json={"text": WIRE}, headers={"Accept-Language": "en"}
    )
    body = english.json()
    assert body["alerted"] == "verifiers"
    assert [line["number"] for line in body["emergency_contacts"]] == [
        "112", "110", "113", "119", "123"
    ]  # fmt: skip
    assert body["emergency_contacts"][:2] == [
        {"name": "Kota Malang Call Center 112", "number": "112"},
        {"name": "Police", "number": "110"},
    ]

    calm = (await client.post("/api/v1/reports", json={"text": CLOGGED})).json()
    assert calm["urgent"] is False
    assert calm["emergency_contacts"] == [] and calm["alerted"] is None


async def test_the_confirmation_page_shows_the_numbers_first(client: AsyncTestClient) -> None:
    _verifier(client)
    sent = await post_form(client, "/laporan", {"text": WIRE})
    assert sent.status_code == 303
    page = (await client.get(sent.headers["location"])).text
    assert page.index('id="emergency"') < page.index('id="received"')
    assert page.index('id="emergency"') < page.index('id="tracking-code"')
    assert '<a href="tel:112">Call Center 112 Kota Malang: <strong>112</strong></a>' in page
    assert "Petugas verifikasi sudah diberi tahu saat ini juga." in page
    code = sent.headers["location"].removeprefix("/lacak/").removesuffix("?baru=1")
    # Tracked later, the page is about the report again.
    assert 'id="emergency"' not in (await client.get(f"/lacak/{code}")).text

    await client.get("/bahasa/en?next=/")
    sent = await post_form(client, "/laporan", {"text": WIRE})
    page = (await client.get(sent.headers["location"])).text
    assert page.index("Emergency? Call now:") < page.index('id="received"')
    assert "Police: <strong>110</strong>" in page
    assert "The verification officers have been alerted just now." in page

    calm = await post_form(client, "/laporan", {"text": CLOGGED})
    assert 'id="emergency"' not in (await client.get(calm.headers["location"])).text


async def test_the_step_when_nobody_acted_is_on_the_staff_timeline(
    client: AsyncTestClient,
) -> None:
    _verifier(client)
    code = (await client.post("/api/v1/reports", json={"text": WIRE})).json()["tracking_code"]
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=TRIAGE_ACK_MINUTES)):
        assert in_app(client, alert_unanswered_urgent) == 1
    await sign_in(client, "sari")
    staff_page = await client.get(f"/officer/reports/{code}")
    assert staff_page.status_code == 200
    assert "Laporan mendesak belum ditangani: pimpinan dan admin diberi tahu" in staff_page.text
    public = (await client.get(f"/api/v1/reports/{code}")).json()
    assert "urgent_unanswered" not in [entry["event"] for entry in public["timeline"]]


async def test_an_admin_sets_how_long_an_urgent_report_may_wait_in_a_department(
    client: AsyncTestClient,
) -> None:
    """The department page edits `urgent_ack_minutes` within core's range; the job alerts on
    the new time, for the urgent report waiting now and for the next one."""
    make_staff(client, "admin", "admin")
    urgent = FixedRouter("DPUPRPKP", urgent=True)
    waiting = in_app(client, submit_report, text=WIRE, channel="api", router=urgent)
    await sign_in(client, "admin")
    page = await client.get("/admin/departments")
    assert 'name="urgent_ack_minutes" min="5" max="120" value="30"' in page.text
    department = {"name": "Dinas PU", "short_name": "DPUPR", "scope": "jalan", "active": "1"}
    path = "/admin/departments/DPUPRPKP"
    for wrong, refusal in (("2", "5 sampai 120"), ("121", "5 sampai 120"), ("10m", "menit")):
        refused = await post_form(client, path, {**department, "urgent_ack_minutes": wrong})
        assert refused.status_code == 400 and refusal in refused.text, wrong
    saved = await post_form(client, path, {**department, "urgent_ack_minutes": "10"})
    assert saved.status_code == 303
    page = await client.get("/admin/departments")
    assert 'name="urgent_ack_minutes" min="5" max="120" value="10"' in page.text

    with clock.frozen_at(MONDAY_9 + timedelta(minutes=9)):
        assert in_app(client, alert_unanswered_urgent) == 0
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=10)):
        assert in_app(client, alert_unanswered_urgent) == 1
        later = in_app(client, submit_report, text=WIRE, channel="api", router=urgent)
    # The step taken stays taken when the time changes again; the new report moves with it.
    emptied = await post_form(client, path, {**department, "urgent_ack_minutes": ""})
    assert emptied.status_code == 303  # empty: the city default again
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=10 + TRIAGE_ACK_MINUTES - 1)):
        assert in_app(client, alert_unanswered_urgent) == 0
    with clock.frozen_at(MONDAY_9 + timedelta(minutes=10 + TRIAGE_ACK_MINUTES)):
        assert in_app(client, alert_unanswered_urgent) == 1
    steps = {
        code: [e.kind for e in in_app(client, staff_report, tracking_code=code).timeline]
        for code in (waiting.tracking_code, later.tracking_code)
    }
    assert all(events.count("urgent_unanswered") == 1 for events in steps.values()), steps
