"""A location shared outside Kota Malang is refused by the bot, naming where to report."""

from __future__ import annotations

from db.tables import BotConversation
from tests.bot.conftest import Person, WebApp

REPORT_TEXT = "Lampu jalan di Jl. Kawi depan SD mati sejak tiga hari, gelap sekali malam hari"


async def test_a_location_outside_the_city_is_refused_and_one_inside_taken(
    web: WebApp, ani: Person
) -> None:
    await ani.says("/start")
    await ani.says("📝 Buat laporan")
    await ani.says(REPORT_TEXT)

    (refused,) = await ani.shares_location(-7.8713, 112.5269)  # Alun-alun Kota Batu
    assert "di luar Kota Malang" in refused
    assert "laporkan kepada Pemerintah Kota Batu" in refused
    stored = (await BotConversation.select(BotConversation.data).first())["data"]
    assert "latitude" not in str(stored)

    (kept,) = await ani.shares_location(-8.0140, 112.6280)  # Pasar Gadang, Sukun
    assert "Lokasi dicatat" in kept
