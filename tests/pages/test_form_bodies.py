"""Page forms are read into typed structs: a form the struct refuses (a required field left
out, a value of the wrong shape) answers as a page in the visitor's language, naming the
field, and changes nothing."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from core.catalogue import administration
from tests.pages.sessions import csrf_token, in_app, make_staff, post_form, sign_in

DEPARTMENT = {"name": "Dinas Perhubungan", "short_name": "Dishub", "scope": "lalu lintas"}


def _active(client: AsyncTestClient) -> bool:
    departments = in_app(client, administration.list_all_departments)
    return next(d.active for d in departments if d.code == "DISHUB")


def _page(response: Any) -> str:
    assert response.status_code == 400, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


async def test_a_refused_form_answers_as_a_page_in_the_visitors_language(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "admin", "admin")
    await sign_in(client, "admin")
    path = "/admin/departments/DISHUB"

    missing = _page(await post_form(client, path, DEPARTMENT))
    assert "Isian &#39;active&#39; wajib diisi." in missing
    wrong = _page(await post_form(client, path, {**DEPARTMENT, "active": "barangkali"}))
    assert "active: Harus berupa true/false, bukan teks." in wrong
    # A field sent twice where one value belongs (a hand-made request; browsers never do).
    token = await csrf_token(client)
    twice = await client.post(
        "/login",
        content=f"username=a&username=b&password=x&_csrf_token={token}",
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert "username: Harus berupa teks, bukan daftar." in _page(twice)
    assert _active(client)  # a department left out of `active` is not switched off

    await client.get("/bahasa/en?next=/admin/departments")
    missing = _page(await post_form(client, path, DEPARTMENT))
    assert "Field &#39;active&#39; is required." in missing
    wrong = _page(await post_form(client, path, {**DEPARTMENT, "active": "barangkali"}))
    assert "active: Expected bool, got str." in wrong
    assert _active(client)

    switched_off = await post_form(client, path, {**DEPARTMENT, "active": "0"})
    assert switched_off.status_code == 303 and not _active(client)


async def test_checkboxes_that_share_a_name_give_every_value_ticked(
    client: AsyncTestClient,
) -> None:
    make_staff(client, "admin", "admin")
    await sign_in(client, "admin")
    new: dict[str, Any] = {"name": "Dinas Uji", "short_name": "Uji", "scope": "uji coba"}
    one = await post_form(
        client, "/admin/departments", {**new, "code": "UJI-SATU", "dimensions": "living"}
    )
    both = ["living", "society"]
    two = await post_form(
        client, "/admin/departments", {**new, "code": "UJI-DUA", "dimensions": both}
    )
    assert one.status_code == two.status_code == 303
    departments = in_app(client, administration.list_all_departments)
    dimensions = {d.code: d.dimensions for d in departments}
    assert dimensions["UJI-SATU"] == ["living"]
    assert dimensions["UJI-DUA"] == ["living", "society"]
