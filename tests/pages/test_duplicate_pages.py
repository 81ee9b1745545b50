"""Duplicates over HTTP: the staff page's merge button and undo, the JSON API, and a citizen
joining a likely case at intake ("Saya juga mengalami ini")."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from core.reports.intake import public_report, submit_report
from tests.helpers import FixedRouter, report_in
from tests.pages.sessions import in_app, make_staff, post_form, sign_in

POTHOLE = "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema, motor sering jatuh"
AGAIN = "Jl. Soekarno Hatta depan Polinema berlubang besar, motor sering jatuh di situ"


def _open(client: AsyncTestClient, text: str) -> str:
    return in_app(client, report_in, status="open", text=text).tracking_code


async def test_staff_merge_a_duplicate_from_its_page_and_the_head_undoes_it(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "dina", "officer", "DPUPRPKP")
    make_staff(client, "kepala", "head", "DPUPRPKP")
    make_staff(client, "lina", "officer", "DLH")
    case = _open(client, POTHOLE)
    duplicate = _open(client, AGAIN)

    await sign_in(client, "lina")
    refused = await post_form(
        client, f"/officer/reports/{duplicate}/merge", {"into": case, "confirm": "1"}
    )
    assert refused.status_code == 403
    await post_form(client, "/logout")

    await sign_in(client, "dina")
    page = await client.get(f"/officer/reports/{duplicate}")
    assert f'name="into" value="{case}"' in page.text
    unconfirmed = await post_form(client, f"/officer/reports/{duplicate}/merge", {"into": case})
    assert unconfirmed.status_code == 400 and "Centang konfirmasi" in unconfirmed.text
    typed = "mlg " + case.removeprefix("MLG-").lower()  # as people type a code
    merged = await post_form(
        client, f"/officer/reports/{duplicate}/merge", {"into": typed, "confirm": "1"}
    )
    assert (merged.status_code, merged.headers["location"]) == (
        303,
        f"/officer/reports/{duplicate}",
    )
    after = await client.get(merged.headers["location"])
    assert 'id="merged-note"' in after.text and case in after.text
    assert f"Laporan {duplicate} digabungkan ke {case}." in after.text
    assert "Pisahkan kembali" not in after.text  # an officer cannot undo it
    assert "2 warga melaporkan kasus ini" in (await client.get(f"/officer/reports/{case}")).text
    assert "2 warga melaporkan kasus ini" in (await client.get(f"/lacak/{case}")).text
    as_json = (await client.get(f"/api/v1/staff/reports/{case}")).json()
    assert as_json["reporters"] == 2 and as_json["possible_duplicates"] == []
    assert (
        await post_form(client, f"/officer/reports/{duplicate}/unmerge", {"confirm": "1"})
    ).status_code == 403
    await post_form(client, "/logout")

    await sign_in(client, "kepala")
    undone = await post_form(client, f"/officer/reports/{duplicate}/unmerge", {"confirm": "1"})
    assert undone.status_code == 303
    assert in_app(client, public_report, tracking_code=duplicate).status == "open"
    as_json = (await client.get(f"/api/v1/staff/reports/{duplicate}")).json()
    assert as_json["possible_duplicates"][0]["tracking_code"] == case
    assert as_json["merged_into"] is None


async def test_a_citizen_joins_the_case_their_report_repeats(client: AsyncTestClient) -> None:
    case = _open(client, POTHOLE)
    client.app.state.router = FixedRouter("DPUPRPKP")
    sent = await post_form(client, "/laporan", {"text": AGAIN})
    assert sent.status_code == 303
    code = sent.headers["location"].removeprefix("/lacak/").removesuffix("?baru=1")
    confirmation = await client.get(sent.headers["location"])
    assert 'id="possible-case"' in confirmation.text and case in confirmation.text
    key = confirmation.text.split('name="key" required maxlength="40" autocomplete="off" value="')[
        1
    ].split('"')[0]
    wrong = await post_form(client, f"/lacak/{code}/gabung", {"into": case, "key": "SALAH"})
    assert wrong.status_code == 403 and "Kunci laporan tidak cocok" in wrong.text
    joined = await post_form(client, f"/lacak/{code}/gabung", {"into": case, "key": key})
    assert (joined.status_code, joined.headers["location"]) == (303, f"/lacak/{code}")
    mine = await client.get(f"/lacak/{code}")
    assert 'id="merged-into"' in mine.text and case in mine.text
    assert in_app(client, public_report, tracking_code=case).reporters == 2

    api = await client.post("/api/v1/reports", json={"text": AGAIN + " lagi"})
    assert api.status_code == 201 and api.json()["possible_case"] == case


async def test_a_citizen_joins_a_case_from_its_public_page(client: AsyncTestClient) -> None:
    case = _open(client, POTHOLE)
    mine = in_app(client, submit_report, text=AGAIN, channel="api", router=FixedRouter("DPUPRPKP"))
    page = await client.get(f"/lacak/{case}")
    assert 'id="join-this"' in page.text
    wrong = await post_form(
        client, f"/lacak/{case}/dukung", {"code": mine.tracking_code, "key": "SALAH"}
    )
    assert wrong.status_code == 403 and "Kunci laporan tidak cocok" in wrong.text
    joined = await post_form(
        client,
        f"/lacak/{case}/dukung",
        {"code": mine.tracking_code, "key": mine.follow_up_key},
    )
    assert (joined.status_code, joined.headers["location"]) == (303, f"/lacak/{case}")
    after = await client.get(f"/lacak/{case}")
    assert "2 warga melaporkan kasus ini" in after.text
    assert in_app(client, public_report, tracking_code=mine.tracking_code).status == "merged"
