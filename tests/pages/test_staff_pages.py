"""Officer, head and admin pages over HTTP: what each action does and shows."""

from __future__ import annotations

from datetime import timedelta

from litestar.testing import AsyncTestClient

from core import clock
from core.reports.intake import public_report
from db.tables import ReplyTemplate, Report, ReportLadder
from tests.helpers import report_in
from tests.pages.sessions import in_app, make_staff, post_form, sign_in


def _open_report(client: AsyncTestClient, **submit: object) -> str:
    return in_app(client, report_in, status="open", **submit).tracking_code


async def _set(client: AsyncTestClient, code: str, **values: object) -> None:
    async def update() -> None:
        await Report.update({getattr(Report, k): v for k, v in values.items()}).where(
            Report.tracking_code == code
        )

    in_app(client, update)


async def _set_level(client: AsyncTestClient, code: str, level: int) -> None:
    async def update() -> None:
        report = await Report.select(Report.ladder).where(Report.tracking_code == code).first()
        await ReportLadder.update({ReportLadder.level: level}).where(
            ReportLadder.id == report["ladder"]
        )

    in_app(client, update)


async def test_officer_works_a_report_with_the_departments_reply_templates(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "kepala", "head", "DPUPRPKP")
    make_staff(client, "dina", "officer", "DPUPRPKP")
    code = _open_report(client)

    await sign_in(client, "kepala")
    added = await post_form(
        client, "/head/templates",
        {"title": "Dijadwalkan", "body": "Perbaikan sudah kami jadwalkan minggu ini."},
    )  # fmt: skip
    assert added.status_code == 303
    too_short = await post_form(client, "/head/templates", {"title": "x", "body": "y"})
    assert too_short.status_code == 400 and "Judul templat" in too_short.text
    await post_form(client, "/logout")

    await sign_in(client, "dina")
    page = await client.get(f"/officer/reports/{code}")
    assert page.status_code == 200
    assert 'value="Perbaikan sudah kami jadwalkan minggu ini."' in page.text
    assert (await post_form(client, f"/officer/reports/{code}/acknowledge")).status_code == 303
    empty = await post_form(client, f"/officer/reports/{code}/respond", {"note": "  "})
    assert empty.status_code == 400 and "Jawaban wajib diisi" in empty.text
    replied = await post_form(
        client, f"/officer/reports/{code}/respond",
        {"note": "Perbaikan sudah kami jadwalkan minggu ini."},
    )  # fmt: skip
    assert replied.status_code == 303
    before = in_app(client, public_report, tracking_code=code).due_at
    assert (
        await post_form(
            client, f"/officer/reports/{code}/mark_field_work", {"note": "Perlu alat berat"}
        )
    ).status_code == 303
    public = in_app(client, public_report, tracking_code=code)
    assert public.due_at - before > timedelta(days=40)  # 60 instead of 14 working days
    assert [entry.note for entry in public.timeline][-2:] == [
        "Perbaikan sudah kami jadwalkan minggu ini.",
        "Perlu alat berat",
    ]
    again = await post_form(client, f"/officer/reports/{code}/acknowledge")
    assert again.status_code == 409  # already in progress: said on the page, nothing changes
    assert "tidak dapat" in again.text
    refer = await post_form(
        client,
        f"/officer/reports/{code}/refer",
        {"note": "Jalan provinsi: Dinas PU Jatim", "confirm": "1"},
    )
    assert refer.status_code == 303
    assert in_app(client, public_report, tracking_code=code).status == "referred"


async def test_rerouting_hands_the_report_to_the_other_department(client: AsyncTestClient) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    make_staff(client, "lina", "officer", "DLH")
    code = _open_report(client)
    await sign_in(client, "dina")
    moved = await post_form(
        client, f"/officer/reports/{code}/reroute",
        {"department": "DLH", "note": "Ini soal sampah, bukan jalan"},
    )  # fmt: skip
    assert (moved.status_code, moved.headers["location"]) == (303, "/officer")
    before = await client.get(f"/officer/reports/{code}")  # handled it before: read-only
    assert before.status_code == 200 and 'id="read-only"' in before.text
    assert f'data-code="{code}"' not in (await client.get("/officer")).text
    await post_form(client, "/logout")
    await sign_in(client, "lina")
    queue = await client.get("/officer")
    assert f'data-code="{code}"' in queue.text
    report = await client.get(f"/officer/reports/{code}")
    assert "Ini soal sampah, bukan jalan" in report.text  # the reason, for staff only


async def test_queue_page_filters_colours_and_bad_filters(client: AsyncTestClient) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    late = _open_report(client, text="Gorong-gorong ambrol di Jl. Galunggung, Klojen")
    urgent = _open_report(client, text="Tiang listrik miring hampir roboh di Sukun")
    await _set(client, late, due_at=clock.now() - timedelta(hours=3))
    await _set(client, urgent, urgent=True)
    await sign_in(client, "dina")

    queue = (await client.get("/officer")).text
    assert f'class="edge-overdue" data-code="{late}"' in queue
    assert queue.index(urgent) < queue.index(late)  # urgent and not yet acknowledged first
    only_urgent = (await client.get("/officer?urgent=1")).text
    assert urgent in only_urgent and late not in only_urgent
    only_klojen = (await client.get("/officer?kecamatan=Klojen")).text
    assert late in only_klojen and urgent not in only_klojen
    for bad in ("status=deleted", "page=abc", "page=0", "department=DLH"):
        response = await client.get(f"/officer?{bad}", follow_redirects=False)
        assert response.status_code in (400, 403), bad
        assert "<!doctype html>" in response.text  # a page, not JSON


async def test_head_sees_overdue_and_escalated_and_keeps_templates_to_their_department(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "kepala", "head", "DPUPRPKP")
    make_staff(client, "kepala.dlh", "head", "DLH")
    late = _open_report(client)
    escalated = _open_report(client)
    await _set(client, late, due_at=clock.now() - timedelta(days=2))
    await _set_level(client, escalated, 3)
    await sign_in(client, "kepala")
    overview = (await client.get("/head")).text
    assert 'data-stat="overdue">1<' in overview and 'data-stat="escalated">1<' in overview
    assert late in overview and escalated in overview
    await post_form(client, "/head/templates", {"title": "Terima kasih", "body": "Terima kasih."})
    template_id = in_app(client, ReplyTemplate.select(ReplyTemplate.id).first().run)["id"]
    await post_form(client, "/logout")

    await sign_in(client, "kepala.dlh")
    refused = await post_form(client, f"/head/templates/{template_id}/delete")
    assert refused.status_code == 403
    assert in_app(client, ReplyTemplate.count().run) == 1


async def test_admin_manages_users_departments_and_policies(client: AsyncTestClient) -> None:
    make_staff(client, "admin", "admin")
    await sign_in(client, "admin")
    created = await post_form(
        client, "/admin/users",
        {"username": "budi", "full_name": "Budi", "role": "officer", "department": "DISHUB",
         "password": "panjang-sekali-1"},
    )  # fmt: skip
    assert created.status_code == 303
    bad = await post_form(
        client, "/admin/users",
        {"username": "x", "role": "officer", "department": "DISHUB",
         "password": "panjang-sekali-1"},
    )  # fmt: skip
    assert bad.status_code == 400 and "Nama pengguna" in bad.text

    override = await post_form(
        client, "/admin/departments/DISHUB",
        {"name": "Dinas Perhubungan", "short_name": "Dishub", "scope": "lalu lintas",
         "first_response_days": "1", "resolution_days": "", "active": "1"},
    )  # fmt: skip
    assert override.status_code == 303
    zero = await post_form(
        client, "/admin/departments/DISHUB",
        {"name": "Dinas Perhubungan", "short_name": "Dishub", "scope": "lalu lintas",
         "first_response_days": "0", "active": "1"},
    )  # fmt: skip
    assert zero.status_code == 400 and "hari kerja" in zero.text
    triage = in_app(client, report_in, status="triage").tracking_code
    routed = await post_form(client, f"/verifier/{triage}/route", {"department": "DISHUB"})
    assert routed.status_code == 303
    report = in_app(client, public_report, tracking_code=triage)
    assert report.due_at - report.timeline[-1].at <= timedelta(days=4)  # 1 working day

    policy = await post_form(
        client, "/admin/policies",
        {"code": "SE-2026-TRUK", "title": "Larangan truk besar di jam sibuk",
         "summary": "Truk di atas 8 ton dilarang masuk kota pukul 06.00–09.00.",
         "department": "DISHUB", "effective_from": "2026-01-01"},
    )  # fmt: skip
    assert policy.status_code == 303
    revoked = await post_form(
        client, "/admin/policies/SE-2026-TRUK",
        {"title": "Larangan truk besar di jam sibuk", "summary": "Dicabut.", "status": "revoked"},
    )  # fmt: skip
    assert revoked.status_code == 303
    home = (await client.get("/")).text
    assert "Larangan truk besar di jam sibuk" in home.split('id="decisions"')[1]

    await post_form(client, "/logout")
    assert (await sign_in(client, "budi", "panjang-sekali-1")).status_code == 303


async def test_triage_answers_htmx_with_the_item_alone(client: AsyncTestClient) -> None:
    make_staff(client, "vera", "verifier")
    code = in_app(client, report_in, status="triage").tracking_code
    await sign_in(client, "vera")
    token = (await client.get("/verifier")).text.split('name="_csrf_token" value="')[1][:128]
    htmx = {"hx-request": "true", "x-csrftoken": token}

    refused = await client.post(
        f"/verifier/{code}/route", data={"department": "NOPE"}, headers=htmx
    )
    assert refused.status_code == 200  # swapped in place, with the reason
    assert refused.text.startswith('<article class="triage-item') and "NOPE" in refused.text
    assert "<html" not in refused.text
    rejected = await client.post(
        f"/verifier/{code}/reject",
        data={"note": "Laporan ganda dari MLG-AAAAAA", "confirm": "1"},
        headers=htmx,
    )
    assert 'data-done="true"' in rejected.text and code in rejected.text
    late = await client.post(f"/verifier/{code}/route", data={"department": "DLH"}, headers=htmx)
    assert 'data-done="true"' in late.text  # someone already decided: said, not an error page
    assert in_app(client, public_report, tracking_code=code).status == "rejected"
