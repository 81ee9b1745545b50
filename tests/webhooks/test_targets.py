"""Where a webhook may point, on both engines: internal addresses are refused when an admin
registers them and again when a delivery resolves the name; an operator's allow-list opens a
host on the city's network."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient

from config.settings import Settings
from core import clock
from core.errors import InvalidInput
from core.integrations import targets, webhooks
from core.messaging import outbox
from core.reports.intake import Reporter, submit_report
from core.staff.actors import Actor
from db.tables import OutboxMessage
from scheduler.delivery import deliver_all
from scheduler.webhooks import webhook_deliverer
from tests.apps import app_for
from tests.helpers import FixedRouter
from tests.pages.sessions import PASSWORD, make_staff, post_form, sign_in
from tests.webhooks.conftest import Receiver

TEXT = "Sampah menumpuk di TPS Jl. Kawi sudah seminggu, baunya sampai ke rumah warga"
INTERNAL = [
    "http://127.0.0.1:5432/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.20.30.40/hook",
    "http://192.168.1.10/hook",
    "http://[::1]:8000/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:a9fe:a9fe]/hook",  # 169.254.169.254, spelt as IPv6
    "http://localhost:8000/hook",  # a name that resolves to 127.0.0.1
    "http://0.0.0.0:8000/hook",
    "http://224.0.0.1/hook",
    "http://240.0.0.1/hook",
    "https://100.64.0.1/hook",  # carrier-grade NAT
]


@pytest.fixture
async def closed_client(database_url: str) -> AsyncIterator[AsyncTestClient]:
    """The whole app as shipped: no host allowed beyond the public internet."""
    app = await app_for(Settings(database_url=database_url, rate_limit=None))
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


async def test_internal_targets_are_refused_at_registration(
    closed_client: AsyncTestClient,
) -> None:
    client = closed_client
    make_staff(client, "admin.kominfo", "admin")
    signed_in = await client.post(
        "/api/v1/session", json={"username": "admin.kominfo", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    path = "/api/v1/admin/webhooks"
    for url in [*INTERNAL, "file:///etc/passwd", "gopher://dlh.example/x"]:
        refused = await client.post(path, json={"department": "DLH", "url": url})
        assert refused.status_code == 400, url
        assert refused.json()["errors"][0]["field"] == "url", url
    refused = await client.post(path, json={"department": "DLH", "url": INTERNAL[1]})
    assert "alamat internal" in refused.json()["errors"][0]["message"]
    english = await client.post(
        path, json={"department": "DLH", "url": INTERNAL[1]}, headers={"accept-language": "en"}
    )
    assert "INGATKAN_WEBHOOK_ALLOWED_HOSTS" in english.json()["errors"][0]["message"]
    assert "internal address" in english.json()["errors"][0]["message"]
    assert (await client.get(path)).json() == []

    # The admin's page applies the same rule, in the page's language.
    await sign_in(client, "admin.kominfo")
    page = await post_form(
        client, "/admin/integrations/webhooks", {"department": "DLH", "url": INTERNAL[0]}
    )
    assert page.status_code == 400 and "alamat internal" in page.text
    assert (await client.get(path)).json() == []

    # A public name that does not resolve yet is kept: each delivery checks it again.
    kept = await client.post(path, json={"department": "DLH", "url": "https://sipd.example/h"})
    assert kept.status_code == 201


async def _deliver(allowed_hosts: frozenset[str]) -> None:
    async with webhook_deliverer(allowed_hosts=allowed_hosts) as deliver:
        await deliver_all(deliverers={webhooks.CHANNEL: deliver})


async def _report() -> str:
    report = await submit_report(
        text=TEXT,
        channel="web",
        router=FixedRouter("DLH"),
        reporter=Reporter(name="Siti Aminah", phone="+62 812 3456 7890"),
    )
    return report.tracking_code


async def test_an_allowed_host_is_delivered_to(db: str, receiver: Receiver) -> None:
    """Listed by address or by name, a department's system on the city's network gets its
    events; the allow-list opens only what it lists."""
    port = receiver.base_url.rsplit(":", 1)[1]
    by_address = await webhooks.register_webhook(
        department_code="DLH",
        url=receiver.url("ok"),
        allowed_hosts={"127.0.0.1"},
        actor=Actor.system(),
    )
    by_name = await webhooks.register_webhook(
        department_code="DLH",
        url=f"http://localhost:{port}/ok",
        allowed_hosts={"localhost"},
        actor=Actor.system(),
    )
    assert by_address.url != by_name.url
    with pytest.raises(InvalidInput):
        await webhooks.register_webhook(
            department_code="DLH",
            url="http://10.1.2.3/hook",
            allowed_hosts={"localhost"},
            actor=Actor.system(),
        )
    code = await _report()
    await _deliver(frozenset({"127.0.0.1", "localhost"}))
    received = receiver.at("ok")
    assert len(received) == 2
    assert {request.headers["host"] for request in received} == {
        f"127.0.0.1:{port}",
        f"localhost:{port}",
    }
    assert all(code.encode() in request.body for request in received)


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def test_a_target_no_longer_allowed_is_not_delivered_to(db: str, receiver: Receiver) -> None:
    """Registered while the operator allowed it; the allow-list changed since. The name is
    resolved when the delivery connects, found to be loopback, and nothing is sent: the
    message fails for good (no retry), the delivery log and the log line say why, and no
    citizen's words or contact reach the log."""
    port = receiver.base_url.rsplit(":", 1)[1]
    hook = await webhooks.register_webhook(
        department_code="DLH",
        url=f"http://localhost:{port}/ok",
        allowed_hosts={"localhost"},
        actor=Actor.system(),
    )
    await _report()
    lines = _Lines()
    logger = logging.getLogger("ingatkan.webhooks")
    logger.addHandler(lines)
    try:
        await _deliver(frozenset())
        with clock.frozen_at(clock.now() + outbox.LONGEST_RETRY + timedelta(minutes=1)):
            await _deliver(frozenset())
    finally:
        logger.removeHandler(lines)

    assert receiver.at("ok") == []
    statuses = [row["status"] for row in await OutboxMessage.select(OutboxMessage.status).where(
        OutboxMessage.channel == webhooks.CHANNEL
    )]  # fmt: skip
    assert statuses == ["failed"]
    (attempt,) = await webhooks.delivery_log(webhook_id=hook.id)
    assert attempt.status_code is None and attempt.message_status == "failed"
    assert "localhost (127.0.0.1)" in attempt.error
    (line,) = lines.records
    assert line.levelno == logging.WARNING
    assert line.fields["webhook_id"] == hook.id  # type: ignore[attr-defined]
    written = f"{line.getMessage()} {line.fields}"  # type: ignore[attr-defined]
    assert "127.0.0.1" in written
    for private in ("Siti", "812 3456 7890", "Sampah", "/ok"):
        assert private not in written


async def test_the_allow_list_is_read_as_an_operator_writes_it() -> None:
    settings = Settings.from_env(
        {"INGATKAN_WEBHOOK_ALLOWED_HOSTS": " SIPD.malangkota.go.id. , [::FFFF:a00:203],"}
    )
    allowed = settings.webhook_allowed_hosts
    assert len(allowed) == 2 and Settings.from_env({}).webhook_allowed_hosts == frozenset()
    # an IPv4-mapped IPv6 spelling allows the IPv4 address it maps
    assert [str(a) for a in await targets.checked_addresses("10.0.2.3", 443, allowed)] == [
        "10.0.2.3"
    ]
    with pytest.raises(targets.TargetRefused):
        await targets.checked_addresses("10.0.2.4", 443, allowed)
