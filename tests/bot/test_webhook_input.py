"""Hostile bodies on the Telegram webhook get a 400 and reach no handler; invisible text from
a citizen is not a report."""

from __future__ import annotations

import json

from db.tables import BotConversation, Report
from tests.bot.conftest import SECRET, Person, WebApp
from tests.bot.local_api import message_update

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff" * 5
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "content-type": "application/json"}


async def test_deep_or_nul_bodies_are_refused(web: WebApp) -> None:
    assert web.client is not None
    deep = b'{"update_id": 1, "message": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    nul = json.dumps(message_update(web.api.next_update_id(), 5001, text="Halo\u0000")).encode()
    for body, content_type in ((deep, "application/json"), (deep, "text/plain"), (nul, None)):
        headers = {**HEADERS, "content-type": content_type or HEADERS["content-type"]}
        response = await web.client.post("/telegram/webhook", content=body, headers=headers)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/json")
    assert web.api.sent() == []


async def test_invisible_text_is_not_a_report(ani: Person, budi: Person) -> None:
    await ani.says("📝 Buat laporan")
    (hint,) = await ani.says(INVISIBLE)
    assert "minimal 10 karakter" in hint
    # Out of the blue it is not taken as the start of a report either.
    await budi.says(INVISIBLE)
    states = await BotConversation.select(BotConversation.state)
    assert sorted(row["state"] for row in states) == ["idle", "report_text"]
    assert await Report.count() == 0
