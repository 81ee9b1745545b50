"""Mails per second through the outbox (claim, compose, link tokens, send, receipt, outcome)
against a bare aiosmtplib send loop of the same number of mails to the same aiosmtpd server,
in the same run, on PostgreSQL.

    .venv/bin/python -m bench.mail [--mails 2000] [--schedulers 4]

The database is created, migrated and dropped by the script; the SMTP server runs in it.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from email.message import EmailMessage
from typing import Any

import aiosmtplib
from aiosmtpd.controller import Controller

from bench.scratch import scratch_database
from config.settings import Settings, SmtpServer
from core import clock
from core.messaging import outbox
from db.engine import write_transaction
from db.tables import Citizen, MailReceipt
from scheduler.delivery import deliver_all
from scheduler.mail import mail_deliverers
from tests.ports import free_port


class Counter:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received += 1
        return "250 OK"


async def _queue(mails: int) -> None:
    moment = clock.now()
    rows = await Citizen.insert(
        *[
            Citizen(
                channel="api",
                email=f"warga{n}@example.id",
                email_confirmed_at=moment,
                created_at=moment,
            )
            for n in range(mails)
        ]
    ).returning(Citizen.id)
    async with write_transaction():
        await outbox.enqueue(
            *[
                outbox.Message(
                    dedupe_key=f"bench:mail:{n}",
                    channel="email",
                    template="acknowledged",
                    citizen_id=row["id"],
                    payload={"tracking_code": f"MLG-BENCH-{n:05d}", "status": "in_progress"},
                )
                for n, row in enumerate(rows)
            ]
        )


async def _bare(port: int, mails: int) -> float:
    started = time.perf_counter()
    for n in range(mails):
        message = EmailMessage()
        message["From"] = "ingatkan@malangkota.go.id"
        message["To"] = f"warga{n}@example.id"
        message["Subject"] = f"[MLG-BENCH-{n:05d}] Kabar laporan Anda"
        message.set_content("Laporan sedang ditangani.")
        await aiosmtplib.send(message, hostname="127.0.0.1", port=port, start_tls=False)
    return time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--schedulers", type=int, default=4)
    args = parser.parse_args()
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        async with scratch_database("mail") as url:
            await _queue(args.mails)
            bare = await _bare(controller.port, args.mails)
            settings = Settings(
                database_url=url,
                smtp=SmtpServer(host="127.0.0.1", port=controller.port, security="plain"),
            )

            async def scheduler() -> None:
                async with mail_deliverers(settings) as deliverers:
                    await deliver_all(deliverers=deliverers)

            started = time.perf_counter()
            await asyncio.gather(*(scheduler() for _ in range(args.schedulers)))
            through = time.perf_counter() - started
            assert counter.received == 2 * args.mails, counter.received
            assert await MailReceipt.count() == args.mails
    finally:
        controller.stop()
    print(f"{'what':<52}{'mails/s':>10}")
    print(f"{f'bare aiosmtplib send loop, {args.mails:,} mails':<52}{args.mails / bare:>10.0f}")
    print(
        f"{f'outbox, {args.schedulers} schedulers, {args.mails:,} mails, exactly once':<52}"
        f"{args.mails / through:>10.0f}"
    )
    print(f"ratio outbox/bare: {bare / through:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
