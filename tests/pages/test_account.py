"""A staff member's account page: a one-time code to link their Telegram chat, and unlinking."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from core.staff.telegram_link import link_chat
from db.tables import User
from tests.pages.sessions import in_app, make_staff, post_form, sign_in

_CODE = re.compile(r'data-code="([A-Z0-9]{8})"')


async def _chat_of(client: AsyncTestClient, username: str) -> int | None:
    async def read() -> int | None:
        row = await User.select(User.telegram_chat_id).where(User.username == username).first()
        return row["telegram_chat_id"]

    return in_app(client, read)


async def test_a_staff_member_links_and_unlinks_their_telegram_chat(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "dina", "officer", "DLH")
    await sign_in(client, "dina")
    page = await client.get("/akun")
    assert page.status_code == 200
    assert 'data-telegram="unlinked"' in page.text
    assert 'href="/akun"' in page.text  # the name in the header leads here

    issued = await post_form(client, "/akun/telegram")
    assert (issued.status_code, issued.headers["location"]) == (
        303,
        "/akun",
    )  # a reload resends nothing
    issued = await client.get("/akun")
    code = _CODE.search(issued.text)
    assert code, issued.text
    assert "berlaku sekali" in issued.text
    assert (await client.get("/akun")).text.count("data-code=") == 0  # shown once only

    linked = in_app(client, link_chat, code=code.group(1), chat_id=424242)
    assert linked is not None and linked.full_name == "Dina"
    page = await client.get("/akun")
    assert 'data-telegram="linked"' in page.text
    assert "424242" not in page.text  # the chat id is never shown

    unlinked = await post_form(client, "/akun/telegram/putus")
    assert unlinked.status_code == 303
    assert await _chat_of(client, "dina") is None
    assert 'data-telegram="unlinked"' in (await client.get("/akun")).text


async def test_the_account_page_needs_a_signed_in_staff_member_and_a_csrf_token(
    client: AsyncTestClient,
) -> None:
    page = await client.get("/akun", follow_redirects=False)
    assert page.status_code in {302, 303}
    assert "/login" in page.headers["location"]
    make_staff(client, "dina", "officer", "DLH")
    await sign_in(client, "dina")
    forged = await client.post("/akun/telegram", data={}, follow_redirects=False)
    assert forged.status_code == 403
    assert _CODE.search(forged.text) is None
