"""The officer's queue over HTTP: its default order, sorting, the way back keeping the filters,
the archive, a report re-routed away read-only, reopened reports marked, and final actions
confirmed, every form answering with a redirect. The clock is pinned."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from litestar.testing import AsyncTestClient

from core import clock
from core.reports.intake import Reporter, public_report
from db.tables import Report
from tests.helpers import perform, report_in
from tests.pages.sessions import in_app, make_staff, post_form, sign_in

# Monday 1 December 2026, 09:00 in Malang.
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
_BACK_LINK = re.compile(r'id="back-to-queue" href="([^"]*)"')


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


def _report(client: AsyncTestClient, status: str = "open", text: str | None = None) -> str:
    extra = {"text": text} if text else {}
    return in_app(client, report_in, status=status, **extra).tracking_code


def _set(client: AsyncTestClient, code: str, **values: object) -> None:
    async def update() -> None:
        await Report.update({getattr(Report, k): v for k, v in values.items()}).where(
            Report.tracking_code == code
        )

    in_app(client, update)


def _codes(page: str) -> list[str]:
    return re.findall(r'data-code="([^"]+)"', page)


def _back_link(page: str) -> str:
    match = _BACK_LINK.search(page)
    assert match, "no way back to the queue"
    return html.unescape(match.group(1))


async def test_urgent_new_report_comes_first_and_the_queue_sorts_and_keeps_its_order(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    oldest, older, acknowledged, fresh = (_report(client) for _ in range(4))
    _set(client, oldest, created_at=NOW - timedelta(days=40), due_at=NOW - timedelta(days=30))
    _set(client, older, created_at=NOW - timedelta(days=30), due_at=NOW - timedelta(days=20))
    # Urgent but already taken on: it waits its turn by deadline.
    in_app(client, perform, action="acknowledge", code=acknowledged)
    _set(
        client,
        acknowledged,
        urgent=True,
        created_at=NOW - timedelta(days=1),
        due_at=NOW + timedelta(days=1),
        updated_at=NOW - timedelta(hours=1),
    )
    # A new urgent report with a two-hour deadline nobody has acknowledged.
    _set(client, fresh, urgent=True, due_at=NOW + timedelta(hours=2))
    _set(client, oldest, updated_at=NOW - timedelta(minutes=5))
    _set(client, older, updated_at=NOW - timedelta(days=2))
    await sign_in(client, "dina")

    queue = (await client.get("/officer")).text
    assert _codes(queue) == [fresh, oldest, older, acknowledged]
    assert _codes((await client.get("/officer?sort=deadline")).text) == [
        oldest, older, fresh, acknowledged
    ]  # fmt: skip
    assert _codes((await client.get("/officer?sort=received")).text) == [
        fresh, acknowledged, older, oldest
    ]  # fmt: skip
    assert _codes((await client.get("/officer?sort=activity")).text) == [
        fresh, oldest, acknowledged, older
    ]  # fmt: skip
    refused = await client.get("/officer?sort=random")
    assert refused.status_code == 400 and "Urutan tidak dikenal" in refused.text

    api = (await client.get("/api/v1/queue")).json()
    assert api["sort"] == "priority"
    assert [item["tracking_code"] for item in api["items"]] == [fresh, oldest, older, acknowledged]
    first = api["items"][0]
    assert (first["urgent"], first["acknowledged"], first["reopened"]) == (True, False, False)
    by_deadline = (await client.get("/api/v1/queue?sort=deadline")).json()
    assert by_deadline["items"][0]["tracking_code"] == oldest
    assert (await client.get("/api/v1/queue?sort=random")).status_code == 400

    # The way back from a report keeps the queue's filters and order, and only those.
    filtered = (await client.get("/officer?sort=deadline&overdue=1&utm=x")).text
    assert _codes(filtered) == [oldest, older]
    link = re.search(rf'href="(/officer/reports/{oldest}[^"]*)"', filtered)
    assert link
    report = (await client.get(html.unescape(link.group(1)))).text
    assert _back_link(report) == "/officer?overdue=1&sort=deadline"
    for hostile in ("https://evil.example/", "//evil.example", "status=deleted", "page=0"):
        page = await client.get(f"/officer/reports/{oldest}", params={"back": hostile})
        assert _back_link(page.text) == "/officer", hostile
    acted = await post_form(
        client,
        f"/officer/reports/{oldest}/acknowledge?back=overdue%3D1%26sort%3Ddeadline",
    )
    assert acted.status_code == 303
    assert acted.headers["location"] == (
        f"/officer/reports/{oldest}?back=overdue%3D1%26sort%3Ddeadline"
    )


async def test_reopened_reports_are_marked(client: AsyncTestClient) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    code = _report(client, "resolved")
    in_app(client, perform, action="reopen", code=code)
    await sign_in(client, "dina")
    row = (await client.get("/officer")).text
    assert 'data-reopened="1"' in row and "Dibuka kembali" in row
    item = (await client.get("/api/v1/queue")).json()["items"][0]
    assert (item["tracking_code"], item["reopened"], item["reopen_count"]) == (code, True, 1)


async def test_rejecting_asks_for_confirmation_and_the_archive_lists_it(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    code = _report(client, text="Iklan pinjaman online, bukan laporan")
    await sign_in(client, "dina")
    report = (await client.get(f"/officer/reports/{code}")).text
    assert 'name="confirm" value="1" required' in report

    unconfirmed = await post_form(
        client, f"/officer/reports/{code}/reject", {"note": "Iklan, bukan laporan"}
    )
    assert unconfirmed.status_code == 400 and "Centang konfirmasi" in unconfirmed.text
    assert in_app(client, public_report, tracking_code=code).status == "open"
    rejected = await post_form(
        client, f"/officer/reports/{code}/reject", {"note": "Iklan, bukan laporan", "confirm": "1"}
    )
    assert rejected.status_code == 303
    assert in_app(client, public_report, tracking_code=code).status == "rejected"

    assert code not in _codes((await client.get("/officer")).text)
    for status in ("rejected", "archive"):
        archive = await client.get(f"/officer?status={status}")
        assert archive.status_code == 200 and _codes(archive.text) == [code], status
    searched = await client.get("/officer?status=archive&q=pinjaman")
    assert _codes(searched.text) == [code]
    assert _codes((await client.get("/officer?status=archive&q=banjir")).text) == []
    api = (await client.get("/api/v1/queue?status=archive")).json()
    assert [item["tracking_code"] for item in api["items"]] == [code]


async def test_a_report_rerouted_away_stays_readable_read_only_to_the_department_before(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    make_staff(client, "sari", "officer", "DINKES")
    code = in_app(
        client,
        report_in,
        status="open",
        text="Sampah menumpuk di Jl. Kawi",
        reporter=Reporter(name="Budi Santoso", phone="081234567890"),
    ).tracking_code
    await sign_in(client, "dina")
    moved = await post_form(
        client,
        f"/officer/reports/{code}/reroute?back=sort%3Dreceived",
        {"department": "DLH", "note": "Ini soal sampah, bukan jalan"},
    )
    assert (moved.status_code, moved.headers["location"]) == (303, "/officer?sort=received")
    assert code not in _codes((await client.get("/officer")).text)

    page = await client.get(f"/officer/reports/{code}")
    assert page.status_code == 200
    assert 'id="read-only"' in page.text and "Ini soal sampah, bukan jalan" in page.text
    assert 'class="action"' not in page.text and '<form method="post" action="/officer' not in (
        page.text
    )
    assert "081234567890" not in page.text  # the reporter's contact stays with the new department
    refused = await post_form(
        client, f"/officer/reports/{code}/reject", {"note": "Bukan urusan kami", "confirm": "1"}
    )
    assert refused.status_code == 403
    for status in ("rerouted_away", "archive"):
        archive = (await client.get(f"/officer?status={status}")).text
        assert _codes(archive) == [code], status
        assert "Dialihkan ke perangkat daerah lain" in archive
    staff_json = (await client.get(f"/api/v1/staff/reports/{code}")).json()
    assert (staff_json["read_only"], staff_json["actions"], staff_json["reporter"]) == (
        True,
        [],
        None,
    )
    assert (await client.get("/api/v1/queue?status=archive")).json()["items"][0][
        "rerouted_away"
    ] is True

    await post_form(client, "/logout")
    await sign_in(client, "sari")  # never handled it
    assert (await client.get(f"/officer/reports/{code}")).status_code == 403
    assert (await client.get(f"/api/v1/staff/reports/{code}")).status_code == 403
    assert _codes((await client.get("/officer?status=archive")).text) == []


async def test_shown_once_secrets_and_final_admin_actions_answer_with_a_redirect(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "admin", "admin")
    make_staff(client, "dina", "officer", "DPUPRPKP")
    await sign_in(client, "admin")
    issued = await post_form(client, "/admin/integrations/keys", {"name": "Aplikasi SAMBAT"})
    assert (issued.status_code, issued.headers["location"]) == (303, "/admin/integrations")
    shown = (await client.get("/admin/integrations")).text
    assert "Aplikasi SAMBAT" in shown and 'id="issued"' in shown
    assert 'id="issued"' not in (await client.get("/admin/integrations")).text  # once

    users = (await client.get("/admin")).text
    dina = re.search(r'data-username="dina".*?action="(/admin/users/\d+/deactivate)"', users, re.S)
    assert dina
    unconfirmed = await post_form(client, dina.group(1))
    assert unconfirmed.status_code == 400 and "Centang konfirmasi" in unconfirmed.text
    assert (await post_form(client, dina.group(1), {"confirm": "1"})).status_code == 303
    assert (await sign_in(client, "dina")).status_code != 303  # deactivated: not signed in
