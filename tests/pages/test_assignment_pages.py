"""Assignment, internal notes, bulk actions and reply templates with placeholders, on the
staff pages over HTTP, on both engines."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from core.reports.intake import public_report
from core.reports.queue import staff_report
from db.tables import Department
from tests.helpers import perform, report_in
from tests.pages.sessions import in_app, make_staff, post_form, sign_in


def _report(client: AsyncTestClient, status: str = "open") -> str:
    return in_app(client, report_in, status=status).tracking_code


def _flashes(page: str) -> list[str]:
    return re.findall(r'<div class="flash flash-(?:ok|error)" role="status">([^<]*)</div>', page)


async def test_a_head_assigns_a_selection_and_sees_each_officers_load(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "kepala", "head", "DPUPRPKP")
    make_staff(client, "dina", "officer", "DPUPRPKP")
    first, second = _report(client), _report(client)
    done = _report(client, "resolved")
    elsewhere = _report(client)
    in_app(client, _reroute_to_dlh, code=elsewhere)

    await sign_in(client, "kepala")
    queue = (await client.get("/officer")).text
    assert f'name="codes" value="{first}" form="bulk"' in queue
    answer = await post_form(
        client,
        "/officer/bulk/assign",
        {"codes": [first, second, done, elsewhere], "officer": "dina", "back": "/officer?q="},
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/officer?q=")
    told = _flashes((await client.get("/officer")).text)
    assert len(told) == 4
    assert f"Laporan {first} ditugaskan kepada dina." in told
    assert f"Laporan {second} ditugaskan kepada dina." in told
    assert any(line.startswith(f"{done}: ") and "tidak dapat ditugaskan" in line for line in told)
    assert any(line.startswith(f"{elsewhere}: ") and "tidak berwenang" in line for line in told)
    assert in_app(client, staff_report, tracking_code=first).assignee_username == "dina"
    assert in_app(client, staff_report, tracking_code=elsewhere).assignee_username is None

    overview = (await client.get("/head")).text
    row = overview[overview.index('data-username="dina"') :]
    assert re.search(r'data-load="assigned"><a [^>]*>2<', row)
    assert 'data-stat="unassigned">0<' in overview  # both open reports are carried
    one = await post_form(client, f"/officer/reports/{first}/assign", {"officer": ""})
    assert one.status_code == 303
    assert 'data-stat="unassigned">1<' in (await client.get("/head")).text
    assert first in (await client.get("/officer?assigned=none")).text
    assert first not in (await client.get("/officer?assigned=dina")).text

    await post_form(client, "/logout")
    await sign_in(client, "dina")
    # An officer has no bulk form; they take a report from its page.
    assert 'form="bulk"' not in (await client.get("/officer")).text
    page = (await client.get(f"/officer/reports/{first}")).text
    assert 'data-assign="take"' in page
    taken = await post_form(client, f"/officer/reports/{first}/assign", {"officer": "dina"})
    assert taken.status_code == 303
    mine = (await client.get("/officer?assigned=me")).text
    assert first in mine and second in mine
    # Nor may they hand reports to someone else, one by one or several at once.
    refused = await post_form(
        client, "/officer/bulk/assign", {"codes": [first], "officer": "kepala"}
    )
    assert refused.status_code == 303
    told = _flashes((await client.get("/officer")).text)
    assert len(told) == 1 and told[0].startswith(f"{first}: ") and "tidak berwenang" in told[0]


async def _reroute_to_dlh(code: str) -> None:
    await perform("reroute", code)


async def test_a_verifier_routes_a_selection_and_learns_what_became_of_each(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "vera", "verifier")
    first, second = _report(client, "triage"), _report(client, "triage")
    gone = _report(client, "rejected")
    await sign_in(client, "vera")
    assert f'value="{first}" form="bulk"' in (await client.get("/verifier")).text
    answer = await post_form(
        client, "/verifier/bulk/route", {"codes": [first, second, gone], "department": "DLH"}
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/verifier")
    told = _flashes((await client.get("/verifier")).text)
    assert f"Laporan {first} diteruskan ke DLH." in told
    assert any(line.startswith(f"{gone}: ") for line in told) and len(told) == 3
    assert in_app(client, public_report, tracking_code=second).department.code == "DLH"
    nothing = await post_form(client, "/verifier/bulk/route", {"department": "DLH"})
    assert nothing.status_code == 303
    assert "Pilih sedikitnya satu laporan." in (await client.get("/verifier")).text


async def test_templates_fill_their_placeholders_and_refuse_unknown_ones(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "kepala", "head", "DPUPRPKP")
    make_staff(client, "dina", "officer", "DPUPRPKP")
    code = _report(client, "in_progress")
    await sign_in(client, "kepala")
    unknown = await post_form(
        client, "/head/templates", {"title": "Salah", "body": "Halo {nama}, laporan {kode}."}
    )
    assert unknown.status_code == 400
    assert "Penanda {nama} tidak dikenal" in unknown.text and "{tenggat}" in unknown.text
    added = await post_form(
        client, "/head/templates", {"title": "Jadwal", "body": "Laporan {kode} ditangani."}
    )
    assert added.status_code == 303
    page = (await client.get("/head")).text
    template_id = re.search(r'action="/head/templates/(\d+)"', page).group(1)  # type: ignore[union-attr]
    edited = await post_form(
        client,
        f"/head/templates/{template_id}",
        {"title": "Jadwal", "body": "Laporan {kode} ditangani {dinas} sebelum {tenggat}."},
    )
    assert edited.status_code == 303
    bad_edit = await post_form(
        client, f"/head/templates/{template_id}", {"title": "Jadwal", "body": "{x} lagi"}
    )
    assert bad_edit.status_code == 400 and "Penanda {x} tidak dikenal" in bad_edit.text
    await post_form(client, "/logout")

    await sign_in(client, "dina")
    short = in_app(
        client,
        Department.select(Department.short_name).where(Department.code == "DPUPRPKP").first().run,
    )["short_name"]
    page = (await client.get(f"/officer/reports/{code}")).text
    filled = re.search(rf'value="Laporan {code} ditangani ([^"]+) sebelum ([^"]+)\."', page)
    assert filled, page
    assert filled.group(1) == short
    assert re.fullmatch(r"\d{1,2} \w+ \d{4} \d{2}\.\d{2} WIB", filled.group(2))


async def test_notes_from_the_report_page(client: AsyncTestClient) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    code = _report(client)
    await sign_in(client, "dina")
    saved = await post_form(
        client, f"/officer/reports/{code}/notes", {"text": "Sudah telepon pak RT, tunggu kabar."}
    )
    assert (saved.status_code, saved.headers["location"]) == (303, f"/officer/reports/{code}")
    page = (await client.get(f"/officer/reports/{code}")).text
    assert 'data-event="noted" class="internal"' in page
    assert "Sudah telepon pak RT, tunggu kabar." in page
    empty = await post_form(client, f"/officer/reports/{code}/notes", {"text": " "})
    assert empty.status_code == 400 and "Catatan internal wajib diisi" in empty.text
    public = (await client.get(f"/lacak/{code}")).text
    assert "pak RT" not in public


async def test_a_head_marks_a_selection_as_duplicates_and_learns_each_outcome(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "kepala", "head", "DPUPRPKP")
    case, first, second = _report(client), _report(client), _report(client, "in_progress")
    done = _report(client, "resolved")
    await sign_in(client, "kepala")
    queue = (await client.get("/officer")).text
    assert 'action="/officer/bulk/merge"' in queue and 'name="into"' in queue

    unconfirmed = await post_form(client, "/officer/bulk/merge", {"codes": [first], "into": case})
    assert unconfirmed.status_code == 303
    assert "Centang konfirmasi dulu" in (await client.get("/officer")).text
    assert in_app(client, staff_report, tracking_code=first).merged_into_code is None

    answer = await post_form(
        client,
        "/officer/bulk/merge",
        {
            "codes": [first, second, done, case],
            "into": case.lower(),
            "confirm": "on",
            "back": "/officer?sort=received",
        },
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/officer?sort=received")
    told = _flashes((await client.get("/officer")).text)
    assert len(told) == 4
    assert f"Laporan {first} digabungkan ke {case}." in told
    assert f"Laporan {second} digabungkan ke {case}." in told
    assert any(line.startswith(f"{done}: ") and "tidak dapat digabungkan" in line for line in told)
    assert any(line.startswith(f"{case}: ") and "dirinya sendiri" in line for line in told)
    assert in_app(client, staff_report, tracking_code=case).reporters == 3

    nowhere = await post_form(
        client, "/officer/bulk/merge", {"codes": [done], "into": "lubang", "confirm": "on"}
    )
    assert nowhere.status_code == 303
    assert "Tulis kode pelacakan kasus tujuan" in (await client.get("/officer")).text
