"""The public pages: no sign-in, no personal data, Indonesian first."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from db.tables import Citizen, Report
from tests.helpers import perform, report_in
from tests.pages.sessions import in_app, post_form

TEXT = "Pohon di depan SDN Sumbersari 2 miring ke jalan, takut tumbang kena angin"


async def test_a_web_report_keeps_its_contact_private(client: AsyncTestClient) -> None:
    sent = await post_form(
        client, "/laporan",
        {"text": TEXT, "name": "Siti Aminah", "phone": "0812 3456 7890", "anonymous": "on"},
    )  # fmt: skip
    assert sent.status_code == 303
    code = sent.headers["location"].removeprefix("/lacak/").removesuffix("?baru=1")
    tracked = await client.get(sent.headers["location"])
    assert tracked.status_code == 200 and code in tracked.text and TEXT in tracked.text
    assert "Siti" not in tracked.text and "3456" not in tracked.text
    citizens = in_app(client, Citizen.select(Citizen.name, Citizen.channel).run)
    assert citizens == [{"name": "Siti Aminah", "channel": "web"}]
    report = in_app(
        client, Report.select(Report.anonymous).where(Report.tracking_code == code).first().run
    )
    assert report == {"anonymous": True}


async def test_bad_input_is_shown_next_to_the_field(client: AsyncTestClient) -> None:
    for form, field, message in (
        ({"text": "pendek"}, "text", "minimal 10 karakter"),
        ({"text": TEXT, "phone": "telepon saya"}, "phone", "Nomor telepon tidak valid"),
        ({"text": TEXT, "policy": "TIDAK-ADA"}, "policy", "tidak dikenal"),
        ({"text": "x" * 5000}, "text", "4000"),
    ):
        response = await post_form(client, "/laporan", form)
        assert response.status_code == 400, form
        assert f'data-field="{field}"' in response.text and message in response.text, form
    assert in_app(client, Report.count().run) == 0


async def test_the_form_presets_no_stance_and_sends_none_unless_chosen(
    client: AsyncTestClient,
) -> None:
    stance = (await client.get("/")).text.split('<select id="stance"')[1].split("</select>")[0]
    assert "selected" not in stance
    assert '<option value="">' in stance
    plain = await post_form(client, "/laporan", {"text": TEXT, "policy": "", "stance": ""})
    linked = await post_form(
        client, "/laporan",
        {"text": "Retribusi lapak Pasar naik", "policy": "SE-2025-PASAR", "stance": "support"},
    )  # fmt: skip
    codes = [
        response.headers["location"].removeprefix("/lacak/").removesuffix("?baru=1")
        for response in (plain, linked)
    ]
    rows = in_app(
        client,
        Report.select(Report.tracking_code, Report.stance)
        .where(Report.tracking_code.is_in(codes))
        .run,
    )
    stances = {row["tracking_code"]: row["stance"] for row in rows}
    assert [stances[code] for code in codes] == [None, "support"]


async def test_confidential_reports_stay_hidden_and_resolved_examples_are_public(
    client: AsyncTestClient,
) -> None:
    public = in_app(client, report_in, status="resolved", text="Lampu taman Merbabu mati semua")
    anonymous = in_app(
        client, report_in, status="resolved", text="Pungli di loket parkir", anonymous=True
    )
    secret = in_app(
        client, report_in, status="triage", text="Petugas minta uang untuk KTP", confidential=True
    )

    home = (await client.get("/")).text
    recent = home.split('id="recent"')[1].split("</section>")[0]
    assert public.tracking_code in recent and "Lubang sudah ditambal" in recent
    assert anonymous.tracking_code not in recent
    tracked = await client.get(f"/lacak/{secret.tracking_code}")
    assert tracked.status_code == 200
    assert "Petugas minta uang" not in tracked.text and "rahasia" in tracked.text


async def test_tracking_codes_and_languages(client: AsyncTestClient) -> None:
    code = in_app(client, report_in, status="triage").tracking_code
    typed = await client.get(
        f"/lacak?kode={code.lower().replace('-', ' ')}", follow_redirects=False
    )
    assert (typed.status_code, typed.headers["location"]) == (303, f"/lacak/{code}")
    bad = await client.get("/lacak?kode=ABC")
    assert bad.status_code == 400 and "Kode laporan tidak dikenali" in bad.text
    unknown = await client.get("/lacak/MLG-CCCCCC")
    assert unknown.status_code == 404 and "<!doctype html>" in unknown.text

    assert "Menunggu verifikasi" in (await client.get(f"/lacak/{code}")).text
    switched = await client.get(f"/bahasa/en?next=/lacak/{code}", follow_redirects=False)
    assert switched.headers["location"] == f"/lacak/{code}"
    assert "HttpOnly" in switched.headers["set-cookie"]
    english = await client.get(f"/lacak/{code}")
    assert "Awaiting triage" in english.text and '<html lang="en">' in english.text
    for elsewhere in ("https://evil.example/", "//evil.example"):
        away = await client.get(f"/bahasa/id?next={elsewhere}", follow_redirects=False)
        assert away.headers["location"] == "/"
    # Line breaks never reach the redirect: the edge refuses them in any query string.
    smuggled = "/bahasa/id?next=/%0d%0aSet-Cookie:%20x=1"
    refused = await client.get(smuggled, follow_redirects=False)
    assert refused.status_code == 400 and "location" not in refused.headers
    assert "x=1" not in refused.headers.get("set-cookie", "")


def _resolve(client: AsyncTestClient, code: str) -> None:
    """Staff resolve the report, routing it first if the classifier left it in triage."""
    report = in_app(
        client, Report.select(Report.status).where(Report.tracking_code == code).first().run
    )
    actions = ["acknowledge", "resolve"]
    if report["status"] == "triage":
        actions.insert(0, "route")
    for action in actions:
        in_app(client, perform, action=action, code=code)


async def test_a_web_sender_gets_a_key_once_and_confirms_the_resolved_report_with_it(
    client: AsyncTestClient,
) -> None:
    sent = await post_form(client, "/laporan", {"text": TEXT})
    page = (await client.get(sent.headers["location"])).text
    shown = re.search(r"Kunci laporan Anda: ([A-Z0-9]{5})-([A-Z0-9]{5})", page)
    assert shown, page
    key = shown.group(1) + shown.group(2)
    code = sent.headers["location"].removeprefix("/lacak/").removesuffix("?baru=1")
    again = (await client.get(f"/lacak/{code}")).text
    assert key[:5] not in again and 'id="follow-up"' not in again  # once; not resolved yet

    _resolve(client, code)
    resolved = (await client.get(f"/lacak/{code}")).text
    assert 'id="follow-up"' in resolved and "Sudah selesai?" in resolved

    wrong = await post_form(client, f"/lacak/{code}/selesai", {"key": "AAAAA-AAAAA", "rating": "5"})
    assert wrong.status_code == 403
    assert "Kunci laporan tidak cocok" in wrong.text and 'id="follow-up-error"' in wrong.text
    bad_rating = await post_form(client, f"/lacak/{code}/selesai", {"key": key, "rating": "x"})
    assert bad_rating.status_code == 400 and "Penilaian harus 1 sampai 5" in bad_rating.text

    confirmed = await post_form(client, f"/lacak/{code}/selesai", {"key": key, "rating": "5"})
    assert confirmed.status_code == 303
    closed = (await client.get(f"/lacak/{code}")).text
    assert 'data-status="closed"' in closed and "Laporan ditutup dengan konfirmasi Anda" in closed
    assert 'id="follow-up"' not in closed


async def test_a_web_sender_reopens_and_a_report_without_a_key_cannot_be(
    client: AsyncTestClient,
) -> None:
    sent = await post_form(client, "/laporan", {"text": TEXT})
    page = (await client.get(sent.headers["location"])).text
    key = "".join(re.search(r"Kunci laporan Anda: ([A-Z0-9]{5})-([A-Z0-9]{5})", page).groups())
    code = sent.headers["location"].removeprefix("/lacak/").removesuffix("?baru=1")
    _resolve(client, code)
    reopened = await post_form(
        client, f"/lacak/{code}/belum-selesai", {"key": key, "reason": "Masih miring ke jalan"}
    )
    assert reopened.status_code == 303
    assert 'data-status="in_progress"' in (await client.get(f"/lacak/{code}")).text

    from_telegram = in_app(client, report_in, status="resolved", channel="telegram")
    refused = await post_form(
        client,
        f"/lacak/{from_telegram.tracking_code}/selesai",
        {"key": key, "rating": "5"},
    )
    assert refused.status_code == 403
    forged = await client.post(f"/lacak/{code}/selesai", data={"key": key})
    assert forged.status_code == 403  # no CSRF token


async def test_a_reopen_reason_has_the_same_bounds_here_as_in_the_api_and_the_bot(
    client: AsyncTestClient,
) -> None:
    """Up to core.reports.lifecycle.NOTE_MAX (4000) characters: the form says so, a longer reason is
    refused, not cut short; 3000 characters are taken whole."""
    sent = await post_form(client, "/laporan", {"text": TEXT})
    page = (await client.get(sent.headers["location"])).text
    key = "".join(re.search(r"Kunci laporan Anda: ([A-Z0-9]{5})-([A-Z0-9]{5})", page).groups())
    code = sent.headers["location"].removeprefix("/lacak/").removesuffix("?baru=1")
    _resolve(client, code)
    assert 'name="reason" required maxlength="4000"' in (await client.get(f"/lacak/{code}")).text
    path = f"/lacak/{code}/belum-selesai"
    too_long = await post_form(client, path, {"key": key, "reason": "x" * 4001})
    assert too_long.status_code == 400 and "paling panjang 4000 karakter" in too_long.text
    reason = ("Pohonnya masih miring dan makin condong ke jalan. " * 70)[:3000].strip()
    reopened = await post_form(client, path, {"key": key, "reason": reason})
    assert reopened.status_code == 303
    note = in_app(
        client,
        Report.select(Report.status).where(Report.tracking_code == code).first().run,
    )
    assert note == {"status": "in_progress"}
    assert reason in (await client.get(f"/lacak/{code}")).text
