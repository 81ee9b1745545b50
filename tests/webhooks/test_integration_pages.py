"""The admin's integrations page: keys and webhooks issued, shown once, revoked."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from tests.pages.sessions import make_staff, post_form, sign_in

PAGE = "/admin/integrations"
_ISSUED = re.compile(
    r'<div class="flash flash-ok" role="status" id="issued">.*?<code>([^<]+)</code>', re.S
)
WASTE = "Sampah menumpuk di TPS Jl. Kawi sudah seminggu, baunya sampai ke rumah warga"


async def test_admin_issues_and_revokes_keys_and_webhooks(client: AsyncTestClient) -> None:
    make_staff(client, "petugas.dlh", "officer", "DLH")
    await sign_in(client, "petugas.dlh")
    assert (await client.get(PAGE)).status_code == 403

    make_staff(client, "admin.kominfo", "admin")
    await sign_in(client, "admin.kominfo")
    page = await client.get(PAGE)
    assert page.status_code == 200 and 'href="/admin/integrations"' in page.text

    issued = await post_form(client, f"{PAGE}/keys", {"name": "Aplikasi SAMBAT"})
    assert (issued.status_code, issued.headers["location"]) == (303, PAGE)
    issued = await client.get(PAGE)
    key = _ISSUED.search(issued.text).group(1)
    assert key.startswith("ik_")
    assert key not in (await client.get(PAGE)).text  # shown once
    submit = {"api_key": key, "service_code": "DLH", "description": WASTE, "lat": "-7.97",
              "long": "112.63"}  # fmt: skip
    assert (await client.post("/open311/v2/requests.json", data=submit)).status_code == 200
    short = await post_form(client, f"{PAGE}/keys", {"name": "x"})
    assert short.status_code == 400

    key_id = re.search(r'data-key="(\d+)"', (await client.get(PAGE)).text).group(1)
    revoked = await post_form(client, f"{PAGE}/keys/{key_id}/revoke")
    assert revoked.status_code == 303
    assert (await client.post("/open311/v2/requests.json", data=submit)).status_code == 403

    registered = await post_form(
        client, f"{PAGE}/webhooks", {"department": "DLH", "url": "https://dlh.example/hook"}
    )
    assert registered.status_code == 303
    registered = await client.get(PAGE)
    secret = _ISSUED.search(registered.text).group(1)
    assert len(secret) >= 32 and secret not in (await client.get(PAGE)).text
    refused = await post_form(client, f"{PAGE}/webhooks", {"department": "DLH", "url": "dlh"})
    assert refused.status_code == 400 and "URL" in refused.text
    webhook_id = re.search(r'data-webhook="(\d+)"', (await client.get(PAGE)).text).group(1)
    log = await client.get(f"{PAGE}/webhooks/{webhook_id}")
    assert log.status_code == 200 and "https://dlh.example/hook" in log.text
    off = await post_form(client, f"{PAGE}/webhooks/{webhook_id}/deactivate")
    assert off.status_code == 303
    assert (await client.get(f"{PAGE}/webhooks/9999")).status_code == 404
