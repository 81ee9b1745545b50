"""Staff by email (a real SMTP server, aiosmtpd; both engines; the clock pinned): a department
whose staff linked no Telegram still hears of its reports, each staff member exactly once per
event however many schedulers run; staff on Telegram are not mailed; the addresses are entered
at the command line and on the admin's pages, validated and unique whatever their case."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from litestar.testing import AsyncTestClient

from config.settings import Settings
from core import clock
from core.reports.intake import Reporter, submit_report
from core.service_levels import scheduled
from core.staff.actors import Actor
from core.staff.users import create_user
from db.tables import OutboxMessage, User
from scheduler.delivery import deliver_all
from scheduler.runner import delivery_channels
from tests.core.test_policy_reviews import _open_parking_review
from tests.helpers import FixedRouter
from tests.mail.conftest import PUBLIC_URL, Mailbox, mail_settings
from tests.mail.test_mail import plain, readable
from tests.pages.sessions import make_staff, post_form, sign_in
from tests.test_cli import _run

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)  # first response due Thursday 09:00
DINA, BUDI, EKO = "dina@dlh.malangkota.go.id", "budi@dlh.malangkota.go.id", "eko@example.id"


async def _staff(username: str, role: str, email: str, *, telegram: int | None = None) -> None:
    user = await create_user(
        username=username,
        full_name=username.title(),
        password="kata-sandi-rahasia",
        role=role,
        department_code="DLH",
        email=email,
        actor=Actor.system(),
    )
    if telegram is not None:
        await User.update({User.telegram_chat_id: telegram}).where(User.id == user.id)


async def _deliver_as_schedulers(settings: Settings, count: int = 4) -> None:
    async def one() -> None:
        async with delivery_channels(settings) as deliverers:
            await deliver_all(deliverers=deliverers, batch=3)

    await asyncio.gather(*(one() for _ in range(count)))


async def test_a_department_without_telegram_hears_of_its_overdue_report_once(
    db: str, mailbox: Mailbox
) -> None:
    await _staff("dina", "officer", "Dina@DLH.malangkota.go.id ")
    await _staff("budi", "head", BUDI)
    await _staff("eko", "officer", EKO, telegram=700_001)  # hears by Telegram, never by mail
    with clock.frozen_at(MONDAY_9):
        report = await submit_report(
            text="Sampah di TPS Jl. Sulfat tidak diangkut sudah seminggu, bau sekali",
            channel="web",
            router=FixedRouter("DLH"),
            anonymous=True,
            reporter=Reporter(name="Siti Rahayu", phone="081234567890"),
        )
    code = report.tracking_code

    # Without an SMTP server the mail waits in the outbox.
    with clock.frozen_at(MONDAY_9):
        await _deliver_as_schedulers(Settings(database_url=db, rate_limit=None), count=1)
    waiting = await OutboxMessage.count().where(
        (OutboxMessage.channel == "staff_email") & (OutboxMessage.status == "pending")
    )
    assert waiting == 2  # the new report, to Dina and to Budi

    # Past the deadline, four schedulers sweep and deliver at once, and then again.
    settings = mail_settings(db, mailbox)
    with clock.frozen_at(MONDAY_9 + timedelta(days=4)):
        await asyncio.gather(*(scheduled.sweep(batch=3) for _ in range(4)))
        await _deliver_as_schedulers(settings)
        await asyncio.gather(*(scheduled.sweep(batch=3) for _ in range(4)))
        await _deliver_as_schedulers(settings)

    assert mailbox.to(EKO) == []
    dina = sorted(message["Subject"] for message in mailbox.to(DINA))
    budi = sorted(message["Subject"] for message in mailbox.to(BUDI))
    # The officer hears of the new report and the reminder; the head of the overdue too.
    assert dina == [f"[{code}] Laporan baru untuk Dinas Lingkungan Hidup",
                    f"[{code}] Pengingat tenggat laporan"]  # fmt: skip
    assert budi == sorted([*dina, f"[{code}] Laporan melewati tenggat"])
    (overdue,) = [m for m in mailbox.to(BUDI) if "melewati tenggat" in m["Subject"]]
    text = plain(overdue)
    assert f"{PUBLIC_URL}/officer/reports/{code}" in text
    assert "melewati tenggat" in text
    html = overdue.get_body(preferencelist=("html",))
    assert html is not None and f'href="{PUBLIC_URL}/officer/reports/{code}"' in str(
        html.get_content()
    )
    for message in mailbox.messages:  # nothing of the anonymous reporter
        assert "Siti" not in readable(message) and "0812" not in readable(message)


async def test_a_confidential_report_is_mailed_without_its_text(db: str, mailbox: Mailbox) -> None:
    await _staff("dina", "officer", DINA)
    with clock.frozen_at(MONDAY_9):
        report = await submit_report(
            text="Pungutan liar di loket parkir pasar, petugasnya bernama Pak Joko",
            channel="web",
            router=FixedRouter("DLH"),
            confidential=True,
            reporter=Reporter(name="Siti Rahayu", email="siti@example.id"),
        )
        await _deliver_as_schedulers(mail_settings(db, mailbox), count=1)
    (notice,) = mailbox.to(DINA)
    assert report.tracking_code in notice["Subject"]
    assert "Pak Joko" not in readable(notice) and "Siti" not in readable(notice)
    assert "Laporan rahasia" in plain(notice)


async def test_the_command_line_stores_an_address_and_refuses_a_bad_one(db: str) -> None:
    password = "kata-sandi-rahasia\nkata-sandi-rahasia\n"
    created = _run(
        "users", "create", "--username", "sari.dlh", "--role", "officer", "--department", "DLH",
        "--email", " Sari@DLH.Malangkota.go.id", database_url=db, stdin=password,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    stored = await User.select(User.email).where(User.username == "sari.dlh").first()
    assert stored["email"] == "sari@dlh.malangkota.go.id"
    for bad in ("sari-at-dlh", "SARI@dlh.malangkota.go.id"):  # not an address; taken
        refused = _run(
            "users", "create", "--username", "tono", "--role", "officer", "--department", "DLH",
            "--email", bad, database_url=db, stdin=password,
        )  # fmt: skip
        assert refused.returncode != 0 and "email" in refused.stderr, refused.stderr
    assert not await User.exists().where(User.username == "tono")


async def test_the_admin_gives_and_changes_an_address(mail_client: AsyncTestClient) -> None:
    client = mail_client
    make_staff(client, "admin", "admin")
    dina = make_staff(client, "dina", "officer", "DLH")
    await sign_in(client, "admin")
    created = await post_form(
        client, "/admin/users",
        {"username": "budi", "role": "head", "department": "DLH", "email": "Budi@DLH.go.id",
         "password": "panjang-sekali-1"},
    )  # fmt: skip
    assert created.status_code == 303
    page = (await client.get("/admin/")).text
    assert "budi@dlh.go.id" in page
    assert page.count('data-reach="email"') == 1 and page.count('data-reach="nobody"') == 2

    to_dina = f"/admin/users/{dina.id}/email"
    changed = await post_form(client, to_dina, {"email": "dina@dlh.go.id"})
    assert changed.status_code == 303
    taken = await post_form(client, to_dina, {"email": "BUDI@dlh.go.id"})
    assert taken.status_code == 400 and "sudah dipakai" in taken.text
    bad = await post_form(client, to_dina, {"email": "dina@"})
    assert bad.status_code == 400 and "tidak valid" in bad.text
    page = (await client.get("/admin/")).text
    assert "dina@dlh.go.id" in page and page.count('data-reach="email"') == 2

    # The officer sees where their notices go; the address is theirs and the admin's only.
    await sign_in(client, "dina")
    account = (await client.get("/akun/")).text
    assert 'data-notices="email"' in account and "dina@dlh.go.id" in account
    assert "budi@dlh.go.id" not in account
    assert (await client.get("/admin/")).status_code in (401, 403)


async def test_a_head_without_telegram_is_mailed_the_policy_review(
    db: str, mailbox: Mailbox
) -> None:
    await create_user(
        username="hadi", full_name="Hadi", password="kata-sandi-rahasia", role="head",
        department_code="DISHUB", email="hadi@dishub.malangkota.go.id", actor=Actor.system(),
    )  # fmt: skip
    with clock.frozen_at(MONDAY_9):
        review_id, _ = await _open_parking_review()
        await _deliver_as_schedulers(mail_settings(db, mailbox), count=2)
    (notice,) = mailbox.to("hadi@dishub.malangkota.go.id")
    assert notice["Subject"].startswith("Tinjauan kebijakan «") and "dibuka" in notice["Subject"]
    assert f"{PUBLIC_URL}/policies/reviews/{review_id}" in plain(notice)
