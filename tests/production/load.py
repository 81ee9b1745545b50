"""A mixed load spread over API replicas by the client (there is no balancer here): citizens
submitting reports, officers working their department's queue, readers following reports.

Every request comes from an address of its own (X-Forwarded-For, trusted from 127.0.0.1 as a
proxy in front of the replicas would set it), so the per-client rate limit sees many citizens,
not one. What the load was told is recorded, to be checked against the database afterwards.

The load runs until it has done a given amount of work, not for a time: on a busy machine (other
tests in parallel) it takes longer and still proves the same. A generous guard fails a load that
makes no progress, instead of hanging."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from tests.pages.sessions import PASSWORD

TEXTS = (
    "Lampu jalan di Jl. Kawi gang {n} mati sejak tiga hari",
    "Sampah di TPS Tlogomas tidak diangkut seminggu, bau sekali (blok {n})",
    "Lampu lalu lintas di perempatan Dinoyo mati sejak pagi, antrean {n} meter",
    "Jalan berlubang besar di Jl. Soekarno Hatta depan Polinema nomor {n}",
    "Air PDAM tidak mengalir di Sawojajar sudah {n} hari",
    "KTP-el saya belum jadi padahal sudah rekam {n} bulan",
    "Pedagang kaki lima menutup trotoar Jl. Semeru nomor {n}",
)
# The officer's steps on a report, and the timeline event each one writes.
STEPS = (("acknowledge", "acknowledged"), ("respond", "responded"), ("resolve", "resolved"))
GUARD_SECONDS = 600  # a guard against a load that makes no progress, not a measure


@dataclass
class Tally:
    """What the replicas told the load."""

    acknowledged: dict[str, str | None] = field(default_factory=dict)  # code -> department
    events: Counter[tuple[str, str]] = field(default_factory=Counter)  # (code, kind) -> 200s
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)  # what failed, for the report
    reads: int = 0

    def is_a_load(self) -> bool:
        """Enough of every kind of request for the proofs to mean something."""
        steps = sum(self.events.values())
        return len(self.acknowledged) >= 100 and steps >= 50 and self.reads >= 50


class Load:
    def __init__(self, base_urls: list[str], officers: dict[str, str]) -> None:
        self.base_urls = base_urls
        self.officers = officers  # department code -> username
        self.tally = Tally()
        self._addresses = (
            f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}" for n in itertools.count(1)
        )
        self._texts = itertools.count(1)
        self._to_work: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._sessions: dict[str, httpx.AsyncClient] = {}
        self._running = False

    def _headers(self) -> dict[str, str]:
        return {"X-Forwarded-For": next(self._addresses)}

    async def _send(
        self, client: httpx.AsyncClient, method: str, url: str, **kwargs: object
    ) -> httpx.Response | None:
        try:
            response = await client.request(method, url, headers=self._headers(), **kwargs)
        except httpx.TransportError as error:  # a replica going down under the load
            self.tally.transport_errors.append(f"{method} {url}: {error!r}")
            return None
        self.tally.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.tally.server_errors.append(f"{method} {url} -> {response.status_code}")
        return response

    async def sign_in_officers(self) -> None:
        for department, username in self.officers.items():
            session = httpx.AsyncClient(timeout=30)
            signed = await session.post(
                f"{self.base_urls[0]}/api/v1/session",
                json={"username": username, "password": PASSWORD},
                headers=self._headers(),
            )
            assert signed.status_code == 200, signed.text
            self._sessions[department] = session

    async def close(self) -> None:
        for session in self._sessions.values():
            await session.aclose()

    async def citizen(self, client: httpx.AsyncClient) -> None:
        while self._running:
            n = next(self._texts)
            base = self.base_urls[n % len(self.base_urls)]
            text = TEXTS[n % len(TEXTS)].format(n=n)
            response = await self._send(
                client, "POST", f"{base}/api/v1/reports", json={"text": text}
            )
            if response is not None and response.status_code == 201:
                body = response.json()
                department = body["department"]["code"] if body["department"] else None
                self.tally.acknowledged[body["tracking_code"]] = department
                if department in self._sessions:
                    self._to_work.put_nowait((body["tracking_code"], department))

    async def officer(self) -> None:
        """Work reports as they arrive; the first step is sent to every replica at once, as
        a double click landing on two of them would be."""
        while self._running:
            try:
                code, department = await asyncio.wait_for(self._to_work.get(), timeout=0.5)
            except TimeoutError:
                continue
            session = self._sessions[department]
            for index, (action, kind) in enumerate(STEPS):
                targets = self.base_urls if index == 0 else [random.choice(self.base_urls)]
                note = {} if action == "acknowledge" else {"note": f"Ditangani: {action}"}
                responses = await asyncio.gather(
                    *(
                        self._send(
                            session,
                            "POST",
                            f"{base}/api/v1/staff/reports/{code}/{action}",
                            json=note,
                        )
                        for base in targets
                    )
                )
                done = [r for r in responses if r is not None and r.status_code == 200]
                self.tally.events[(code, kind)] += len(done)
                if not done:
                    break  # the replica was down: leave the rest of this report alone

    async def reader(self, client: httpx.AsyncClient) -> None:
        while self._running:
            if not self.tally.acknowledged:
                await asyncio.sleep(0.05)
                continue
            code = random.choice(list(self.tally.acknowledged))
            base = random.choice(self.base_urls)
            response = await self._send(client, "GET", f"{base}/api/v1/reports/{code}")
            if response is not None:
                assert response.status_code == 200, (code, response.status_code, response.text)
                self.tally.reads += 1

    async def reached(self, condition: Callable[[Tally], bool], what: str) -> None:
        """Wait until the tally meets `condition`; fail, naming `what`, if it never does."""
        deadline = time.monotonic() + GUARD_SECONDS
        while not condition(self.tally):
            assert time.monotonic() < deadline, f"no {what}: {self.tally.statuses}"
            await asyncio.sleep(0.05)

    async def run(
        self,
        *,
        until: Callable[[Tally], bool] = Tally.is_a_load,
        citizens: int = 8,
        officers: int = 3,
        readers: int = 2,
    ) -> Tally:
        """Citizens, officers and readers at once until the tally meets `until`."""
        self._running = True

        async def stop_when_done() -> None:
            await self.reached(until, "end of the load")
            self._running = False

        try:
            async with httpx.AsyncClient(timeout=30) as client:
                await asyncio.gather(
                    stop_when_done(),
                    *(self.citizen(client) for _ in range(citizens)),
                    *(self.officer() for _ in range(officers)),
                    *(self.reader(client) for _ in range(readers)),
                )
        finally:
            self._running = False  # also when one of them failed: the others stop too
        return self.tally
