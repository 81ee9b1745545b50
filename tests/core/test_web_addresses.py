"""One rule for a web address given to the city, whichever field takes it (a policy's legal
text, a department's webhook, an Open311 photo link), and its message says what is accepted:
the policy form used to ask for https:// while taking http://. Both engines."""

from __future__ import annotations

import pytest

from core.catalogue import administration
from core.errors import InvalidInput
from core.integrations import webhooks
from core.staff.actors import Actor
from db.tables import Policy

HOST = "93.184.216.34"  # a public address: no name to resolve, and a webhook may target it
ACCEPTED = (f"http://{HOST}/perwali/12", f"https://{HOST}/perwali?tahun=2026&no=12")
REFUSED = (
    f"ftp://{HOST}/perwali",
    "javascript:alert(1)",
    "https://",
    f"https://{HOST}/perwali dua belas",
    f"https://{HOST}/perwali\x00",
    f"https://{HOST}/" + "a" * 500,
)


async def test_a_policy_link_and_a_webhook_take_the_same_addresses(db: str) -> None:
    operator = Actor.system()
    for number, address in enumerate(ACCEPTED + REFUSED):
        policy = {
            "code": f"PERWALI-{number}",
            "title": "Perwali",
            "summary": "Isi",
            "department_code": "DLH",
            "legal_url": address,
            "effective_from": None,
            "actor": operator,
        }
        hook = {"department_code": "DLH", "url": address, "allowed_hosts": frozenset()}
        if address in ACCEPTED:
            await administration.create_policy(**policy)
            await webhooks.register_webhook(**hook, actor=operator)
            continue
        for write, field in (
            (administration.create_policy(**policy), "legal_url"),
            (webhooks.register_webhook(**hook, actor=operator), "url"),
        ):
            with pytest.raises(InvalidInput) as refused:
                await write
            assert refused.value.field == field
            assert "http:// atau https://" in refused.value.message("id")
            assert "http:// or https://" in refused.value.message("en")
    stored = await Policy.select(Policy.legal_url).where(Policy.code.like("PERWALI-%"))
    assert sorted(row["legal_url"] for row in stored) == sorted(ACCEPTED)
